"""The search's copy of the studies in memory: read again whenever the data changes, never stale."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from finder import searchindex
from trials.ingest import upsert_records
from trials.models import Site, Study

pytestmark = pytest.mark.django_db

OPEN_STUDY = "NCT05766735"  # recruiting, at two open sites in the United States


@pytest.fixture
def stored(shared_record):
    assert not upsert_records([shared_record(OPEN_STUDY)]).rejections
    return Study.objects.get(nct_id=OPEN_STUDY)


def in_copy(study) -> bool:
    return study.pk in searchindex.current().ids


def test_the_copy_holds_the_studies_in_scope_and_follows_each_change(stored):
    assert in_copy(stored)
    Study.objects.filter(pk=stored.pk).update(in_scope=False)
    assert not in_copy(stored)
    Study.objects.filter(pk=stored.pk).update(in_scope=True)
    assert in_copy(stored)
    Study.objects.filter(pk=stored.pk).delete()
    assert not in_copy(stored)


def test_a_change_to_a_studys_columns_or_sites_shows_in_the_next_search(stored):
    copy = searchindex.current()
    position = copy.positions([stored.pk])[0]
    assert copy.has_status(["RECRUITING"])[position]
    assert copy.in_region(["United States"])[position]

    Study.objects.filter(pk=stored.pk).update(overall_status="COMPLETED")
    copy = searchindex.current()
    assert not copy.has_status(["RECRUITING"])[position]

    Site.objects.filter(study=stored).update(country="Canada")
    copy = searchindex.current()
    assert not copy.in_region(["United States"])[position]
    assert copy.in_region(["Canada"])[position]


def test_the_copy_is_read_once_and_kept_while_nothing_changes(stored):
    first = searchindex.current()
    with CaptureQueriesContext(connection) as queries:
        assert searchindex.current() is first
    assert len(queries) == 1  # the data version only


def test_the_data_version_changes_with_every_write_and_never_comes_back_after_a_rollback(stored):
    before = searchindex.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Study.objects.filter(pk=stored.pk).update(overall_status="COMPLETED")
        rolled_back = searchindex.data_version()
        assert rolled_back != before
        raise RuntimeError("undo")
    assert searchindex.data_version() == before
    Site.objects.filter(study=stored).update(status="")
    assert searchindex.data_version() not in (before, rolled_back)


def test_a_copy_read_inside_a_rolled_back_change_is_not_used_after_it(stored):
    with pytest.raises(RuntimeError), transaction.atomic():
        Study.objects.filter(pk=stored.pk).update(in_scope=False)
        assert not in_copy(stored)
        raise RuntimeError("undo")
    assert in_copy(stored)
