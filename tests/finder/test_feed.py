"""The feed of a search: the studies that newly match it or changed, as RSS and Atom."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from trials.ingest import upsert_records

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def store(shared_record):
    def store(nct_id, status, days_since_update, new_id=None):
        record = shared_record(nct_id)
        status_module = record["protocolSection"]["statusModule"]
        status_module["overallStatus"] = status
        status_module["lastUpdatePostDateStruct"] = {"date": f"{TODAY - datetime.timedelta(days=days_since_update)}"}
        if new_id:
            record["protocolSection"]["identificationModule"]["nctId"] = new_id
        assert not upsert_records([record]).rejections

    return store


def rss_items(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def test_the_feed_lists_matching_studies_most_recently_updated_first(client, store):
    store("NCT07322003", "RECRUITING", 30)
    store("NCT06344260", "RECRUITING", 2)
    store("NCT02017912", "COMPLETED", 1)  # cannot be joined: not in the default search
    items = rss_items(client.get("/feed/"))
    assert [item.findtext("link").rsplit("/", 2)[-2] for item in items] == ["NCT06344260", "NCT07322003"]
    assert items[0].findtext("title") == "Neural Stem Cell Treatment for Amyotrophic Lateral Sclerosis (STEMALS)"
    assert items[0].findtext("description").startswith("Recruiting now. Phase 2: does it work")


def test_the_feed_follows_the_searchs_filters(client, store):
    store("NCT07322003", "RECRUITING", 30)
    store("NCT02017912", "COMPLETED", 1)
    response = client.get("/feed/?status=COMPLETED&q=NurOwn")
    channel = ET.fromstring(response.content).find("channel")
    assert [item.findtext("title")[:40] for item in channel.findall("item")] == [
        "Phase 2, Randomized, Double Blind, Place"
    ]
    assert channel.findtext("title") == "TrialFinder: Finished, “NurOwn”"
    assert channel.findtext("link").endswith("/?status=COMPLETED&q=NurOwn")


def test_a_changed_study_gets_a_new_item_id_so_readers_show_it_again(client, store):
    store("NCT07322003", "RECRUITING", 30)
    before = rss_items(client.get("/feed/"))[0].findtext("guid")
    store("NCT07322003", "RECRUITING", 0)
    after = rss_items(client.get("/feed/"))[0].findtext("guid")
    assert before == f"NCT07322003@{TODAY - datetime.timedelta(days=30)}"
    assert after == f"NCT07322003@{TODAY}"


def test_the_feed_lists_at_most_fifty_studies(client, store):
    for number in range(55):
        store("NCT07322003", "RECRUITING", number, new_id=f"NCT9{number:07d}")
    items = rss_items(client.get("/feed/"))
    assert len(items) == 50
    assert items[0].findtext("guid") == f"NCT90000000@{TODAY}"


def test_the_atom_feed_lists_the_same_studies(client, store):
    store("NCT07322003", "RECRUITING", 30)
    response = client.get("/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == [f"NCT07322003@{TODAY - datetime.timedelta(days=30)}"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("phase=XYZ", "“XYZ” is not one of the choices under “Phase”, so it was left out."),
        ("age=abc", "Age must be a whole number of years, like 54."),
        ("place=Rochester", "More than one place is called “Rochester”. Which one do you mean?"),
        ("place=12%00345", "That place name contains a character we cannot read."),
    ],
)
def test_a_feed_of_a_search_it_cannot_follow_answers_400_in_plain_words(client, query, message):
    for path in ("/feed/", "/feed/atom/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert message in response.content.decode()


def test_the_search_page_links_to_the_feed_of_the_same_search(client, store):
    store("NCT07322003", "RECRUITING", 30)
    html = client.get("/?phase=PHASE3&page=1&sort=newest").content.decode()
    assert '<a href="/feed/?phase=PHASE3">RSS feed</a>' in html
    assert 'type="application/atom+xml" title="Studies matching this search (Atom)" href="/feed/atom/?phase=PHASE3"' in html
