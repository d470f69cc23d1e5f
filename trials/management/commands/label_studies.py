import orjson
from django.core.management.base import BaseCommand, CommandError

from trials.labelling import label_study
from trials.records import read_records


class Command(BaseCommand):
    help = (
        "Labels ClinicalTrials.gov v2 records from files or folders (one record, a list, or an API "
        "result page; plain or gzipped) and prints one JSON object per study. Needs no database."
    )
    requires_system_checks = []  # labelling files must work without a database or a migrated app

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A .json or .json.gz file, or a folder of them.")

    def handle(self, *args, paths, **options):
        unreadable = 0
        for result in read_records(paths):
            if result.error:
                unreadable += 1
                self.stderr.write(f"{result.source}: {result.error}")
                continue
            line = orjson.dumps(label_study(result.record).as_dict()).decode()
            self.stdout.write(line)
        if unreadable:
            raise CommandError(f"{unreadable} record(s) or file(s) could not be read; the others were labelled.")
