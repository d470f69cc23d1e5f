"""Storing pages of records in bulk: created, updated, unchanged, rejected, and idempotent."""

import copy
import datetime
import gc
import json
import logging

import pytest
from django.forms.models import model_to_dict

from trials.ingest import upsert_pages, upsert_records
from trials.models import Site, Study

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(shared_dir):
    """A genuine page of ten whole records, as the API served it."""
    return json.loads((shared_dir / "envelopes" / "forecaster-sample-page.json").read_text())["studies"]


def nct_id(record):
    return record["protocolSection"]["identificationModule"]["nctId"]


def database_contents():
    studies = [model_to_dict(s) | {"synced_at": s.synced_at} for s in Study.objects.order_by("nct_id")]
    sites = [model_to_dict(s, exclude=["id"]) for s in Site.objects.order_by("study__nct_id", "id")]
    return studies, sites


def test_a_page_creates_its_studies_and_their_sites(page):
    result = upsert_records(page)

    assert (result.created, result.updated, result.unchanged, result.failed) == (10, 0, 0, 0)
    assert set(Study.objects.values_list("nct_id", flat=True)) == {nct_id(r) for r in page}
    expected_sites = sum(len(r["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])) for r in page)
    assert Site.objects.count() == expected_sites > 0
    stored = Study.objects.get(nct_id=nct_id(page[0]))
    assert stored.raw == page[0]
    assert stored.in_scope is True


def test_storing_a_page_twice_changes_nothing(page):
    upsert_records(page)
    before = database_contents()

    result = upsert_records(page)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 10)
    assert database_contents() == before


def test_a_changed_record_is_updated_and_its_sites_replaced(shared_record):
    record = shared_record("NCT02513394")
    upsert_records([record])
    changed = copy.deepcopy(record)
    changed["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    del changed["protocolSection"]["contactsLocationsModule"]["locations"][1:]

    result = upsert_records([changed])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    study = Study.objects.get(nct_id="NCT02513394")
    assert study.overall_status == "COMPLETED"
    assert list(study.sites.values_list("facility", flat=True)) == [
        "University of South Alabama Mitchell Cancer Institute"
    ]


def test_an_unchanged_study_keeps_its_row_and_sites_while_others_change(shared_record):
    unchanged, changing = shared_record("NCT02513394"), shared_record("NCT00711542")
    upsert_records([unchanged, changing])
    site_ids = set(Site.objects.filter(study__nct_id="NCT02513394").values_list("id", flat=True))
    changing["protocolSection"]["identificationModule"]["acronym"] = "NEW"

    result = upsert_records([unchanged, changing])

    assert (result.updated, result.unchanged) == (1, 1)
    assert set(Site.objects.filter(study__nct_id="NCT02513394").values_list("id", flat=True)) == site_ids


def test_a_malformed_record_is_logged_and_skipped_and_the_rest_of_the_page_loads(page, caplog):
    broken = copy.deepcopy(page[3])
    broken["protocolSection"]["designModule"]["phases"] = "PHASE2"
    nameless = {"protocolSection": {"identificationModule": {"briefTitle": "No id"}}}

    with caplog.at_level(logging.WARNING, logger="trials.ingest"):
        result = upsert_records([*page[:3], broken, *page[4:], nameless])

    assert result.created == 9
    assert [(r.position, r.nct_id) for r in result.rejections] == [(3, nct_id(broken)), (10, None)]
    assert "phases should be a list" in result.rejections[0].reason
    assert not Study.objects.filter(nct_id=nct_id(broken)).exists()
    assert f"{nct_id(broken)}: protocolSection.designModule.phases should be a list" in caplog.text
    assert "record 11: protocolSection.identificationModule.nctId is missing" in caplog.text


def test_the_last_copy_of_a_study_in_a_page_wins(shared_record):
    first = shared_record("NCT00711542")
    last = copy.deepcopy(first)
    last["protocolSection"]["identificationModule"]["acronym"] = "LAST"

    result = upsert_records([first, last])

    assert (result.created, result.failed) == (1, 0)
    assert Study.objects.get(nct_id="NCT00711542").acronym == "LAST"


def test_a_study_flagged_out_of_scope_is_back_in_scope_when_it_changes(shared_record):
    record = shared_record("NCT00711542")
    upsert_records([record])
    Study.objects.update(in_scope=False)
    record["protocolSection"]["identificationModule"]["acronym"] = "BACK"

    upsert_records([record])

    assert Study.objects.get(nct_id="NCT00711542").in_scope is True


def test_the_result_names_every_study_seen_and_the_newest_update_date(page):
    upsert_records(page[:4])

    result = upsert_records(page)

    newest = max(datetime.date.fromisoformat(r["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"]) for r in page)
    assert result.seen == {nct_id(r) for r in page}
    assert result.newest_update_posted == newest


def test_pages_are_stored_each_in_turn_and_reported_as_committed(page):
    reported = []

    def on_page(result):
        reported.append((result.created, Study.objects.count()))

    total = upsert_pages([page[:4], [], page[4:]], on_page=on_page)

    assert reported == [(4, 4), (0, 4), (6, 10)]
    assert total.created == 10
    assert total.seen == {nct_id(r) for r in page}


@pytest.mark.django_db(transaction=True)
def test_an_error_reading_a_page_keeps_every_page_read_before_it(page):
    def pages():
        yield page[:5]
        yield page[5:]
        raise ConnectionError("the network went away")

    with pytest.raises(ConnectionError):
        upsert_pages(pages())

    assert Study.objects.count() == 10


def test_the_garbage_collector_runs_less_often_only_while_pages_stream(page):
    before = gc.get_threshold()
    during = []

    def pages():
        yield page[:5]
        raise ConnectionError("the network went away")

    with pytest.raises(ConnectionError):
        upsert_pages(pages(), on_page=lambda result: during.append(gc.get_threshold()))

    assert during[0][0] > before[0]
    assert gc.get_threshold() == before
