"""The first run (`manage.py bootstrap`): the bundled snapshot goes into an empty database, and a
sync is queued only when ClinicalTrials.gov answers. The registry is replayed at the HTTP
boundary; the queue is the real Redis broker."""

import json
from io import StringIO

import kombu
import pytest
import requests
import responses
from django.core.management import call_command

from trials.datafiles import SNAPSHOT_DIR
from trials.models import Study, SyncRun

API = "https://ctgov.test/api/v2"
SNAPSHOT_SIZE = len(list(SNAPSHOT_DIR.glob("NCT*.json")))
QUEUE = "celery"  # Celery's default queue; kombu keeps it as a Redis list of that name


@pytest.fixture
def registry(settings):
    settings.CTGOV_API_URL = API
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def answering_registry(registry, shared_dir):
    version = (shared_dir / "envelopes" / "version-response-2026-09-06.json").read_text()
    registry.get(f"{API}/version", body=version, content_type="application/json")
    return registry


@pytest.fixture
def queued_tasks(settings):
    """Names of the tasks waiting in the broker, read straight from Redis."""
    with kombu.Connection(settings.CELERY_BROKER_URL) as broker:
        redis = broker.default_channel.client
        redis.delete(QUEUE)
        yield lambda: [json.loads(message)["headers"]["task"] for message in redis.lrange(QUEUE, 0, -1)]
        redis.delete(QUEUE)


def bootstrap() -> str:
    out = StringIO()
    call_command("bootstrap", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_offline_first_run_loads_every_snapshot_study_and_says_plainly_it_cannot_sync(
    registry, queued_tasks, django_capture_on_commit_callbacks
):
    registry.get(f"{API}/version", body=requests.ConnectionError("Name or service not known"))
    with django_capture_on_commit_callbacks(execute=True):
        output = bootstrap()

    assert SNAPSHOT_SIZE == 58
    assert Study.objects.count() == SNAPSHOT_SIZE
    assert SyncRun.objects.get().kind == SyncRun.Kind.IMPORT
    assert output.rstrip().endswith(
        "ClinicalTrials.gov can't be reached from here, so TrialFinder is showing the bundled "
        f"snapshot of {SNAPSHOT_SIZE} studies. It will sync when the connection returns."
    )
    assert queued_tasks() == []


@pytest.mark.django_db
def test_first_run_with_the_registry_answering_loads_the_snapshot_and_queues_a_sync(
    answering_registry, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = bootstrap()

    assert Study.objects.count() == SNAPSHOT_SIZE
    assert queued_tasks() == ["trials.tasks.incremental_sync"]
    assert "ClinicalTrials.gov answers: a sync is queued" in output


@pytest.mark.django_db
def test_the_sync_is_queued_only_once_the_transaction_commits(
    answering_registry, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as waiting:
        bootstrap()
        assert queued_tasks() == []
    assert len(waiting) == 1


@pytest.mark.django_db
def test_a_database_with_studies_keeps_them_and_gets_no_second_snapshot(
    registry, queued_tasks, django_capture_on_commit_callbacks
):
    call_command("import_studies", str(SNAPSHOT_DIR / "NCT04651855.json"), stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        output = bootstrap()

    assert list(Study.objects.values_list("nct_id", flat=True)) == ["NCT04651855"]
    assert SyncRun.objects.count() == 1
    assert "so TrialFinder is showing the 1 study it has." in output


@pytest.mark.django_db
def test_a_registry_answering_503_counts_as_unreachable_after_one_try(
    registry, queued_tasks, django_capture_on_commit_callbacks
):
    registry.get(f"{API}/version", body="Service Unavailable", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        output = bootstrap()

    assert len(registry.calls) == 1
    assert "ClinicalTrials.gov can't be reached from here" in output
    assert queued_tasks() == []
