"""`manage.py sync_studies`: the same run as the task, with progress, and a failing exit when it fails."""

import io

import pytest
from django.core.management import CommandError, call_command

from trials.models import Study, SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fake_registry_settings(settings, registry):
    settings.CTGOV_API_URL = registry.url
    settings.CTGOV_MIN_INTERVAL_SECONDS = 0
    settings.CTGOV_MAX_RETRIES = 0


def sync(*args):
    out = io.StringIO()
    call_command("sync_studies", *args, stdout=out)
    return out.getvalue()


def test_a_full_sync_shows_its_progress_page_by_page(registry, dev_records):
    registry.serve([dev_records[:3], dev_records[3:5]])

    output = sync("--full")

    assert output.splitlines() == [
        "Starting a full sync with ClinicalTrials.gov...",
        "  3 studies fetched: 3 new, 0 updated, 0 unchanged, 0 rejected.",
        "  5 studies fetched: 5 new, 0 updated, 0 unchanged, 0 rejected.",
        "Done. 5 studies fetched: 5 new, 0 updated, 0 unchanged, 0 rejected.",
    ]
    assert Study.objects.count() == 5


def test_an_incremental_sync_says_when_there_is_nothing_new(registry, dev_records):
    registry.serve([dev_records[:3]])
    sync("--full")

    output = sync()

    assert output.startswith("Starting an incremental sync")

    assert "Nothing to do: the registry has not loaded new data since the last sync." in output
    assert SyncRun.objects.first().outcome == SyncRun.Outcome.SKIPPED


def test_a_failed_sync_ends_the_command_with_an_error(registry, dev_records):
    registry.serve([dev_records[:3], dev_records[3:5]], failing_page=2)

    with pytest.raises(CommandError, match="The sync failed and was recorded as failed: ClinicalTrials.gov did not answer"):
        sync("--full")
    assert SyncRun.objects.get().outcome == SyncRun.Outcome.FAILED
