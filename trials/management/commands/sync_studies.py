from django.core.management.base import BaseCommand, CommandError

from trials.models import SyncRun
from trials.sync import SyncAlreadyRunning, run_sync


class Command(BaseCommand):
    help = (
        "Fetches studies from ClinicalTrials.gov, as the scheduled task does: those updated since "
        "the last sync, or with --full every study matching CTGOV_CONDITION_QUERY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Fetch every study in scope, and flag stored studies that left it.",
        )

    def handle(self, *args, full, **options):
        kind = SyncRun.Kind.FULL if full else SyncRun.Kind.INCREMENTAL
        self.stdout.write(f"Starting {'a full' if full else 'an incremental'} sync with ClinicalTrials.gov...")
        try:
            run = run_sync(kind, progress=self._show_progress)
        except SyncAlreadyRunning as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            raise CommandError(f"The sync failed and was recorded as failed: {exc}") from exc
        if run.outcome == SyncRun.Outcome.SKIPPED:
            self.stdout.write("Nothing to do: the registry has not loaded new data since the last sync.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Done. {_counts(run)}"))

    def _show_progress(self, run: SyncRun) -> None:
        self.stdout.write(f"  {_counts(run)}")


def _counts(run: SyncRun) -> str:
    return (
        f"{run.fetched} studies fetched: {run.created} new, {run.updated} updated, "
        f"{run.unchanged} unchanged, {run.failed} rejected."
    )
