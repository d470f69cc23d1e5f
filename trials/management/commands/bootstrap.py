from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.defaultfilters import pluralize

from trials.ctgov import CtgovClient, CtgovError
from trials.datafiles import SNAPSHOT_DIR
from trials.models import Study
from trials.tasks import incremental_sync

# One quick try: a registry that is down or out of reach should not hold up the app's start.
PROBE_TIMEOUT_SECONDS = 5


class Command(BaseCommand):
    help = (
        "First run: loads the bundled snapshot of studies into an empty database, then queues a "
        "sync if ClinicalTrials.gov answers. `make run` and docker-compose run it after migrating; "
        "running it again does no harm."
    )

    def handle(self, *args, **options):
        snapshot_loaded = not Study.objects.exists()
        if snapshot_loaded:
            self.stdout.write(f"No studies yet: loading the bundled snapshot from {SNAPSHOT_DIR}.")
            call_command("import_studies", str(SNAPSHOT_DIR), stdout=self.stdout, stderr=self.stderr)
        count = Study.objects.count()
        studies = f"{count} stud{pluralize(count, 'y,ies')}"

        if not registry_answers():
            shown = f"the bundled snapshot of {studies}" if snapshot_loaded else f"the {studies} it has"
            self.stdout.write(
                f"ClinicalTrials.gov can't be reached from here, so TrialFinder is showing {shown}. "
                "It will sync when the connection returns."
            )
            return
        # An incremental sync runs as a full one until a sync has succeeded (trials.sync.run_sync),
        # so the first run fetches everything and later runs only catch up.
        transaction.on_commit(incremental_sync.delay)
        self.stdout.write(
            f"ClinicalTrials.gov answers: a sync is queued, and the worker will bring the {studies} "
            "up to date in the background."
        )


def registry_answers() -> bool:
    with CtgovClient(timeout=PROBE_TIMEOUT_SECONDS, max_retries=0) as client:
        try:
            client.version()
        except CtgovError:
            return False
    return True
