"""Sync runs against a replayed registry: full, incremental, skipped, interrupted, one at a time."""

import copy
import datetime
import urllib.parse

import pytest
from django.db import OperationalError, connection

from trials.ctgov import CtgovUnavailable
from trials.models import Study, SyncRun
from trials.sync import SYNC_LOCK_KEY, SyncAlreadyRunning, run_sync

pytestmark = pytest.mark.django_db

FULL, INCREMENTAL = SyncRun.Kind.FULL, SyncRun.Kind.INCREMENTAL


def in_pages(records, size=2):
    return [records[i : i + size] for i in range(0, len(records), size)]


def ids(records):
    return {r["protocolSection"]["identificationModule"]["nctId"] for r in records}


def newest_update(records):
    dates = [r["protocolSection"].get("statusModule", {}).get("lastUpdatePostDateStruct", {}).get("date") for r in records]
    return max(datetime.date.fromisoformat(date) for date in dates if date)


def query_of(request):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))


def stored_rows():
    return list(Study.objects.order_by("nct_id").values())


def test_a_full_sync_stores_every_page_and_records_the_run(registry, client, dev_records, settings):
    records = dev_records[:10]
    registry.serve(in_pages(records))

    run = run_sync(FULL, client=client)

    assert set(Study.objects.values_list("nct_id", flat=True)) == ids(records)
    assert (run.kind, run.outcome, run.error) == (FULL, SyncRun.Outcome.SUCCEEDED, "")
    assert (run.fetched, run.created, run.updated, run.unchanged, run.failed) == (10, 10, 0, 0, 0)
    assert run.api_version == "2.0.5"
    assert run.data_timestamp == datetime.datetime(2026, 9, 4, 9, 0, 6, tzinfo=datetime.UTC)
    assert run.watermark == newest_update(records)
    assert run.finished_at is not None
    first = query_of(registry.study_requests()[0])
    assert first["query.cond"] == settings.CTGOV_CONDITION_QUERY
    assert "filter.advanced" not in first


def test_syncing_the_same_data_twice_leaves_the_same_database(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:10]))
    run_sync(FULL, client=client)
    before = stored_rows()
    registry.serve(in_pages(dev_records[:10]), data_timestamp="2026-09-05T09:00:04")

    second = run_sync(FULL, client=client)

    assert (second.created, second.updated, second.unchanged) == (0, 0, 10)
    assert stored_rows() == before


def test_an_incremental_sync_asks_only_for_studies_updated_since_the_watermark(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:6]))
    first = run_sync(FULL, client=client)
    updated = copy.deepcopy(dev_records[0])
    updated["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    updated["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2026-09-04"}
    registry.serve([[updated]], data_timestamp="2026-09-05T09:00:04")

    run = run_sync(INCREMENTAL, client=client)

    since = (first.watermark - datetime.timedelta(days=2)).isoformat()
    request = registry.study_requests()[-1]
    assert query_of(request)["filter.advanced"] == f"AREA[LastUpdatePostDate]RANGE[{since},MAX]"
    assert (run.kind, run.outcome, run.updated) == (INCREMENTAL, SyncRun.Outcome.SUCCEEDED, 1)
    assert run.watermark == datetime.date(2026, 9, 4)
    assert Study.objects.get(nct_id=updated["protocolSection"]["identificationModule"]["nctId"]).overall_status == "COMPLETED"
    assert Study.objects.count() == 6


def test_an_incremental_sync_that_finds_nothing_keeps_the_watermark(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:4]))
    first = run_sync(FULL, client=client)
    registry.serve([[]], data_timestamp="2026-09-05T09:00:04")

    run = run_sync(INCREMENTAL, client=client)

    assert (run.outcome, run.fetched, run.watermark) == (SyncRun.Outcome.SUCCEEDED, 0, first.watermark)


def test_an_incremental_sync_without_a_successful_sync_before_it_runs_as_a_full_one(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:4]))

    run = run_sync(INCREMENTAL, client=client)

    assert run.kind == FULL
    assert "filter.advanced" not in query_of(registry.study_requests()[0])


def test_an_incremental_sync_after_a_sync_without_a_watermark_runs_as_a_full_one(registry, client, dev_records):
    undated = [r for r in dev_records if "lastUpdatePostDateStruct" not in r["protocolSection"].get("statusModule", {})][:2]
    registry.serve([undated])
    assert run_sync(FULL, client=client).watermark is None
    registry.serve([undated], data_timestamp="2026-09-05T09:00:04")

    run = run_sync(INCREMENTAL, client=client)

    assert (run.kind, run.outcome) == (FULL, SyncRun.Outcome.SUCCEEDED)
    assert "filter.advanced" not in query_of(registry.study_requests()[-1])


def test_an_incremental_sync_is_skipped_when_the_registry_has_not_loaded_new_data(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:4]))
    first = run_sync(FULL, client=client)
    requests_before = len(registry.study_requests())
    registry.serve([dev_records[4:6]])  # same dataTimestamp

    run = run_sync(INCREMENTAL, client=client)

    assert run.outcome == SyncRun.Outcome.SKIPPED
    assert run.watermark == first.watermark
    assert len(registry.study_requests()) == requests_before
    assert Study.objects.count() == 4


def test_a_full_sync_flags_studies_that_left_the_scope_and_deletes_none(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:6]))
    run_sync(FULL, client=client)
    Study.objects.filter(nct_id__in=ids(dev_records[4:6])).update(in_scope=False)
    registry.serve(in_pages(dev_records[2:6]), data_timestamp="2026-09-05T09:00:04")

    run_sync(FULL, client=client)

    assert Study.objects.count() == 6
    assert set(Study.objects.filter(in_scope=False).values_list("nct_id", flat=True)) == ids(dev_records[:2])
    assert set(Study.objects.filter(in_scope=True).values_list("nct_id", flat=True)) == ids(dev_records[2:6])


def test_a_full_sync_that_sees_no_studies_flags_none(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:4]))
    run_sync(FULL, client=client)
    registry.serve([[]], data_timestamp="2026-09-05T09:00:04")

    run_sync(FULL, client=client)

    assert Study.objects.filter(in_scope=True).count() == 4


def test_a_malformed_record_is_counted_and_the_rest_of_its_page_loads(registry, client, dev_records):
    broken = copy.deepcopy(dev_records[1])
    broken["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": "twenty"}
    registry.serve([[dev_records[0], broken, dev_records[2]]])

    run = run_sync(FULL, client=client)

    assert (run.outcome, run.created, run.failed) == (SyncRun.Outcome.SUCCEEDED, 2, 1)
    assert not Study.objects.filter(nct_id__in=ids([broken])).exists()


def test_progress_is_reported_after_each_page(registry, client, dev_records):
    registry.serve(in_pages(dev_records[:6]))
    seen = []

    run_sync(FULL, client=client, progress=lambda run: seen.append((run.fetched, SyncRun.objects.get(pk=run.pk).fetched)))

    assert seen == [(2, 2), (4, 4), (6, 6)]


@pytest.mark.django_db(transaction=True)
def test_a_sync_interrupted_on_page_3_of_5_keeps_earlier_pages_and_the_next_run_completes(registry, client, dev_records):
    pages = in_pages(dev_records[:10])
    registry.serve(pages, failing_page=3)

    with pytest.raises(CtgovUnavailable):
        run_sync(FULL, client=client)

    failed = SyncRun.objects.get()
    assert failed.outcome == SyncRun.Outcome.FAILED
    assert "CtgovUnavailable: ClinicalTrials.gov did not answer" in failed.error
    assert (failed.created, failed.finished_at is not None) == (4, True)
    assert set(Study.objects.values_list("nct_id", flat=True)) == ids(dev_records[:4])

    registry.serve(pages)
    run = run_sync(INCREMENTAL, client=client)

    assert (run.kind, run.outcome, run.created, run.unchanged) == (FULL, SyncRun.Outcome.SUCCEEDED, 6, 4)
    assert Study.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_a_sync_whose_database_connection_drops_is_marked_failed_and_the_next_run_completes(
    registry, client, dev_records, another_session
):
    pages = in_pages(dev_records[:10])
    registry.serve(pages)

    def kill_the_connection_after_page_2(run):
        if run.fetched == 4:
            another_session.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])

    with pytest.raises(OperationalError):
        run_sync(FULL, client=client, progress=kill_the_connection_after_page_2)

    registry.serve(pages)
    run = run_sync(FULL, client=client)

    first = SyncRun.objects.exclude(pk=run.pk).get()
    assert first.outcome == SyncRun.Outcome.FAILED
    assert first.error.startswith("OperationalError: server closed the connection")
    assert (run.outcome, run.created, run.unchanged) == (SyncRun.Outcome.SUCCEEDED, 6, 4)
    assert Study.objects.count() == 10


def test_a_run_left_running_by_a_killed_worker_is_marked_failed_by_the_next(registry, client, dev_records):
    killed = SyncRun.objects.create(kind=FULL)
    registry.serve([dev_records[:2]])

    run_sync(FULL, client=client)

    killed.refresh_from_db()
    assert killed.outcome == SyncRun.Outcome.FAILED
    assert killed.error == "Interrupted: the process running it stopped before it finished."


@pytest.mark.django_db(transaction=True)
def test_only_one_sync_runs_at_a_time(registry, client, another_session):
    another_session.execute("SELECT pg_advisory_lock(%s)", [SYNC_LOCK_KEY])

    with pytest.raises(SyncAlreadyRunning, match="Another sync or import is running"):
        run_sync(FULL, client=client)

    assert not SyncRun.objects.exists()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="not a sync kind"):
        run_sync("import")
