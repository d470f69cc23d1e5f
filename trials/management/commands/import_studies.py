from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trials.models import SyncRun
from trials.sync import SyncAlreadyRunning, run_import


class Command(BaseCommand):
    help = (
        "Loads ClinicalTrials.gov v2 records from files or folders (one record, a list, or an API "
        "result page; plain or gzipped) through the same path a sync uses."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A .json or .json.gz file, or a folder of them.")

    def handle(self, *args, paths, **options):
        missing = [path for path in paths if not Path(path).exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        try:
            report = run_import(paths, progress=lambda run: self.stdout.write(f"  {run.fetched} records read..."))
        except SyncAlreadyRunning as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            raise CommandError(f"The import stopped and was recorded as failed: {exc}") from exc
        run = report.run
        self.stdout.write(
            f"Loaded {run.created + run.updated + run.unchanged} studies: {run.created} new, "
            f"{run.updated} updated, {run.unchanged} unchanged. Rejected {run.failed}."
        )
        for source, reason in report.rejections:
            self.stdout.write(f"  Rejected {source}: {reason}")
        if run.outcome == SyncRun.Outcome.FAILED:
            raise CommandError(run.error)
