"""/studies/<NCT id>/: the study in plain words, its warnings, and friendly errors."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.views.defaults import bad_request, server_error

from finder import presenting
from trials.ingest import upsert_records
from trials.models import Study

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(shared_record):
    """Stores shared records through the real ingest path, optionally edited first."""

    def store(nct_id: str, edit=None) -> Study:
        record = shared_record(nct_id)
        if edit:
            edit(record["protocolSection"])
        assert not upsert_records([record]).rejections
        return Study.objects.get(nct_id=nct_id)

    return store


def page(client, path, **headers):
    response = client.get(path, headers=headers)
    return response, response.content.decode()


def test_the_page_shows_the_study_in_plain_words(client, store):
    study = store("NCT06181526")
    response, html = page(client, "/studies/NCT06181526/")
    assert response.status_code == 200
    assert "<h1>Safety and Preliminary Efficacy of Aleeto in Amyotrophic Lateral Sclerosis</h1>" in html
    assert "Not recruiting yet" in html  # the status in plain words
    assert "Phase 1: is it safe?" in html
    assert "Aleeto" in html and "intrathecal injection" in html  # what is tested
    assert "All sexes" in html
    assert '<a class="button button-secondary" href="https://clinicaltrials.gov/study/NCT06181526">' in html
    assert f"{timezone.localtime(study.synced_at):%-d %B %Y}" in html  # when it was last synced


def test_eligibility_is_split_into_who_can_and_who_cannot_join(client, store):
    store("NCT06181526")
    _, html = page(client, "/studies/NCT06181526/")
    can, cannot = html.index("You may be able to join if"), html.index("You cannot join if")
    assert can < html.index("<li>18 years old≤ age≤ 75 years old, males or females;</li>") < cannot
    assert cannot < html.index("<li>Obvious dysphagia;</li>")


def test_the_id_is_found_whatever_its_case_and_spacing(client, store):
    store("NCT06181526")
    for path in ("/studies/nct06181526/", "/studies/Nct06181526/", "/studies/%20NCT06181526%20/"):
        response, html = page(client, path)
        assert response.status_code == 200, path
        assert '<link rel="canonical" href="/studies/NCT06181526/">' in html


def test_an_unknown_study_gets_a_friendly_404_with_a_hint(client):
    response, html = page(client, "/studies/%20nct09999999/")
    assert response.status_code == 404
    assert "We couldn’t find that study" in html
    assert "NCT01234567" in html  # what an NCT number looks like
    assert 'href="https://clinicaltrials.gov/study/NCT09999999"' in html
    assert 'href="/"' in html  # back to the search


@pytest.mark.parametrize(
    "path",
    [
        "/studies/garbage/",
        "/studies/NCT123/",
        "/studies/NCT0123456789/",
        "/studies/%E2%9C%93%E2%9C%93/",
        "/studies/NCT%0001234567/",
        "/studies/" + "x" * 2000 + "/",
        "/studies/%3Cimg%20src=x%20onerror=alert(1)%3E/",
    ],
)
def test_a_malformed_id_gets_the_friendly_404_and_no_registry_link(client, path):
    response, html = page(client, path)
    assert response.status_code == 404
    assert "We couldn’t find that study" in html
    assert "is not a study number" in html
    assert "clinicaltrials.gov/study/" not in html
    assert "<img src=x" not in html


def test_other_missing_pages_get_the_friendly_404(client):
    response, html = page(client, "/no-such-page/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in html


def test_a_stale_open_study_carries_the_out_of_date_warning_with_its_dates(client, store):
    store("NCT06181526")  # NOT_YET_RECRUITING, verified 2023-12, completion 2024-10-30
    _, html = page(client, "/studies/NCT06181526/")
    assert "Status may be out of date" in html
    assert "last checked in December 2023, more than two years ago" in html
    assert "its completion date, October 2024, has passed" in html


def test_a_current_study_carries_no_warning(client, store):
    def future(protocol):
        protocol["statusModule"]["statusVerifiedDate"] = f"{timezone.localdate():%Y-%m}"
        protocol["statusModule"]["completionDateStruct"] = {"date": "2099-12", "type": "ESTIMATED"}

    store("NCT06181526", future)
    _, html = page(client, "/studies/NCT06181526/")
    assert 'class="warnings"' not in html


def test_a_paying_study_quotes_the_record_and_links_to_guidance(client, store):
    def patient_funded(protocol):
        protocol["descriptionModule"]["briefSummary"] += " This is a patient-funded study."

    store("NCT04651855", patient_funded)
    _, html = page(client, "/studies/NCT04651855/")
    assert "Participants may be asked to pay" in html
    assert "<q>This is a patient-funded study.</q> (the summary)" in html
    assert 'href="https://www.fda.gov/vaccines-blood-biologics/' in html


def test_labels_are_shown_with_the_records_words_behind_them(client, store):
    study = store("NCT01142856")  # labelled by the labeller as it is stored
    (first, *_) = study.label_evidence["routes"]["intrathecal"]
    assert first["field"] == "protocolSection.descriptionModule.detailedDescription"
    _, html = page(client, "/studies/NCT01142856/")
    assert "<h3>How it is given</h3>" in html
    assert (
        "<strong>Into the spinal fluid (intrathecal)</strong>, because\n      the detailed description says "
        f"<q>…{escape(first['phrase'])}…</q>" in html
    )
    assert "<h3>Where the cells come from</h3>" in html
    assert "<strong>Fat tissue (adipose)</strong>" in html


def test_sites_show_status_and_contacts_with_tel_and_mailto_links(client, store):
    store("NCT05766735")
    _, html = page(client, "/studies/NCT05766735/")
    assert '<a class="target" href="tel:4344222653">434-422-2653</a>' in html
    assert '<a class="target" href="mailto:ZMT8XG@uvahealth.org">ZMT8XG@uvahealth.org</a>' in html
    assert "Charlottesville" in html
    assert '<span class="tag status-open">Recruiting now</span>' in html


def test_near_a_place_sorts_sites_by_distance(client, store):
    store("NCT05766735")  # sites from Aurora, Colorado to Charlottesville, Virginia
    response, html = page(client, "/studies/NCT05766735/?near=Denver")
    assert response.status_code == 200
    assert "Nearest to Denver, Colorado, United States first." in html
    assert html.index("Aurora") < html.index("Charlottesville, Virginia")
    assert "km (" in html and "miles) away" in html


@pytest.mark.parametrize(
    "near, message",
    [
        ("Springfield", "More than one place is called “Springfield”"),
        ("Qzxqzxqzx", "We could not find “Qzxqzxqzx”"),
        ("a" * 101, "at most 100 characters"),
        ("Bo\x00ston", "a character we cannot read"),
    ],
)
def test_a_place_we_cannot_use_gets_a_400_that_still_shows_the_study(client, store, near, message):
    store("NCT05766735")
    response = client.get("/studies/NCT05766735/", {"near": near})
    html = response.content.decode()
    assert response.status_code == 400
    assert "We couldn’t sort the places by distance" in html
    assert message in html
    assert "Charlottesville" in html  # the study is still there


def test_ambiguous_places_are_offered_as_links(client, store):
    store("NCT05766735")
    _, html = page(client, "/studies/NCT05766735/?near=Springfield")
    assert 'href="/studies/NCT05766735/?near=Springfield%2C%20Illinois%2C%20United%20States#where"' in html


def test_a_study_without_sites_ignores_near(client, store):
    store("NCT06181526")
    response, html = page(client, "/studies/NCT06181526/?near=Qzxqzxqzx")
    assert response.status_code == 200
    assert "The record lists no places yet." in html


def test_sites_without_coordinates_offer_no_sorting_and_ignore_near(client, store):
    def unplaceable(protocol):  # no geoPoint, and a city name that fits several places
        protocol["contactsLocationsModule"]["locations"] = [{"facility": "Mayo Clinic", "city": "Rochester"}]

    store("NCT01142856", unplaceable)
    response, html = page(client, "/studies/NCT01142856/?near=Qzxqzxqzx")
    assert response.status_code == 200
    assert "Mayo Clinic" in html
    assert 'name="near"' not in html


def test_back_link_returns_to_the_search_with_its_filters(client, store):
    store("NCT06181526")
    _, html = page(client, "/studies/NCT06181526/", referer="http://testserver/?route=intrathecal&near=Boston")
    assert '<a class="target" href="/?route=intrathecal&amp;near=Boston">← Back to search</a>' in html


@pytest.mark.parametrize(
    "referer", ["https://evil.example/?q=1", "http://testserver/studies/NCT01234567/", "not a url"]
)
def test_back_link_ignores_other_pages_and_sites(client, store, referer):
    store("NCT06181526")
    _, html = page(client, "/studies/NCT06181526/", referer=referer)
    assert '<a class="target" href="/">← Back to search</a>' in html


def test_the_largest_study_page_stays_light(client, store):
    store("NCT02513394")  # 437 sites
    response, html = page(client, "/studies/NCT02513394/")
    assert response.status_code == 200
    assert len(response.content) < 300_000
    assert "<script" not in html
    assert "Show 427 more places" in html


def test_a_record_missing_most_modules_still_renders(client):
    record = {"protocolSection": {"identificationModule": {"nctId": "NCT01111111", "briefTitle": "Bare"}}}
    assert not upsert_records([record]).rejections
    response, html = page(client, "/studies/NCT01111111/")
    assert response.status_code == 200
    assert "No age limits stated" in html
    assert "The record lists no eligibility criteria." in html
    assert "Not stated" in html


def test_an_out_of_scope_study_says_it_may_be_old(client, store):
    store("NCT06181526")
    Study.objects.filter(nct_id="NCT06181526").update(
        in_scope=False, synced_at=timezone.now() - datetime.timedelta(days=90)
    )
    _, html = page(client, "/studies/NCT06181526/")
    assert "no longer among the ALS studies TrialFinder keeps up to date" in html


def test_odd_stored_values_do_not_break_the_page(client, store):
    store("NCT05766735")
    Study.objects.filter(nct_id="NCT05766735").update(
        overall_status="SOMETHING_NEW",
        phases=["PHASE9"],
        interventions=[1, "x", {"name": "Drug A", "type": "NEW_TYPE"}],
        central_contacts={"not": "a list"},
        label_evidence="not an object",
        routes=["intra_ocular"],
        pays_flag=True,
        flag_evidence=["not", "an", "object"],
    )
    response, html = page(client, "/studies/NCT05766735/")
    assert response.status_code == 200
    assert "Something new" in html and "Phase9" in html and "Intra ocular" in html
    assert "Drug A" in html


def test_the_error_pages_are_friendly_and_need_no_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in response.content.decode()
    response = bad_request(rf.get("/"), exception=None)
    assert response.status_code == 400
    assert "We couldn’t understand that request" in response.content.decode()


def test_warnings_read_only_a_studys_flag_columns(store, django_assert_num_queries):
    """The search results show warnings too: with these columns loaded they need no query
    of their own."""

    def patient_funded(protocol):
        protocol["descriptionModule"]["briefSummary"] = "Participants pay a fee of $20,000."

    store("NCT06181526", patient_funded)
    study = Study.objects.only(
        "overall_status", "status_verified_date", "completion_date", "pays_flag", "flag_evidence"
    ).get(nct_id="NCT06181526")
    with django_assert_num_queries(0):
        html = render_to_string("finder/_warnings.html", {"warnings": presenting.warnings(study, timezone.localdate())})
    assert "Status may be out of date" in html
    assert "<q>Participants pay a fee of $20,000.</q> (the summary)" in html
