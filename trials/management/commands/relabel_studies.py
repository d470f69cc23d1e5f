from django.core.management.base import BaseCommand

from trials.labelling.store import relabel_all


class Command(BaseCommand):
    help = "Labels every stored study again from its raw record and saves the labels that changed."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Studies read and written per transaction.")

    def handle(self, *args, batch_size, **options):
        counts = relabel_all(batch_size=batch_size)
        self.stdout.write(f"Relabelled {counts.studies} studies: {counts.changed} changed.")
