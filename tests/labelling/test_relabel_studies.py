"""`manage.py relabel_studies`: stored studies get the labeller's labels now, and only changed rows are written."""

import pytest
from django.core.management import call_command

from trials.ingest import upsert_records
from trials.labelling import label_study
from trials.labelling.store import relabel_all
from trials.models import Study

pytestmark = pytest.mark.django_db

NCT_IDS = ["NCT02017912", "NCT04651855", "NCT01605006", "NCT06607900"]


@pytest.fixture
def stored(shared_record):
    records = [shared_record(nct_id) for nct_id in NCT_IDS]
    upsert_records(records)
    return {record["protocolSection"]["identificationModule"]["nctId"]: record for record in records}


def test_stale_labels_are_replaced_and_the_rest_left_alone(stored, capsys):
    Study.objects.filter(nct_id__in=["NCT02017912", "NCT04651855"]).update(
        routes=["oral"], cell_types=[], cell_sources=[], donors=[], label_evidence={}
    )

    call_command("relabel_studies", "--batch-size", "3")

    assert capsys.readouterr().out.strip() == "Relabelled 4 studies: 2 changed."
    for study in Study.objects.all():
        expected = label_study(stored[study.nct_id])
        assert (study.routes, study.cell_types, study.cell_sources, study.donors) == (
            list(expected.routes),
            list(expected.cell_types),
            list(expected.cell_sources),
            list(expected.donors),
        )
        assert study.label_evidence == expected.evidence


def test_relabelling_up_to_date_studies_changes_nothing(stored):
    counts = relabel_all(batch_size=2)

    assert (counts.studies, counts.changed) == (len(NCT_IDS), 0)
