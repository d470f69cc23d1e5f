"""Relabel the stored studies: after the labeller changes, every study gets the labels it gives now.

Reads each study's raw record in batches by primary key (a batch is one short query, and no
cursor stays open while rows are written), labels it, and writes back only the studies whose
labels or evidence changed: one bulk UPDATE and one transaction per batch, so an interrupted
run leaves every batch either done or untouched and can simply be run again.
"""

from dataclasses import dataclass

from django.db import transaction

from trials.labelling import label_study
from trials.labelling.vocabulary import LABEL_FIELDS
from trials.models import Study

LABEL_COLUMNS = (*LABEL_FIELDS, "label_evidence")  # the keys of StudyLabels.as_columns()


@dataclass
class RelabelCounts:
    studies: int = 0
    changed: int = 0


def relabel_all(batch_size: int = 500) -> RelabelCounts:
    counts = RelabelCounts()
    last_pk = 0
    while True:
        batch = list(
            Study.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "raw", *LABEL_COLUMNS)[:batch_size]
        )
        if not batch:
            return counts
        last_pk = batch[-1][0]
        changed = []
        for pk, raw, *stored in batch:
            columns = label_study(raw).as_columns()
            if [columns[name] for name in LABEL_COLUMNS] != stored:
                changed.append(Study(pk=pk, **columns))
        if changed:
            with transaction.atomic():
                Study.objects.bulk_update(changed, LABEL_COLUMNS)
        counts.studies += len(batch)
        counts.changed += len(changed)
