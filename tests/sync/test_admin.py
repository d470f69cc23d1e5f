"""The admin: studies and sites to look at and search, sync runs with their counts and outcome."""

import pytest

from trials.ingest import upsert_records
from trials.models import Study, SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(shared_record):
    upsert_records([shared_record("NCT04651855"), shared_record("NCT02513394")])


def test_studies_can_be_found_by_nct_id(admin_client, stored):
    page = admin_client.get("/admin/trials/study/", {"q": "NCT04651855"}).content.decode()

    assert "NCT04651855" in page
    assert "NCT02513394" not in page


def test_studies_can_be_found_by_title(admin_client, stored):
    page = admin_client.get("/admin/trials/study/", {"q": "Wharton"}).content.decode()

    assert "NCT04651855" in page
    assert "NCT02513394" not in page


def test_a_study_page_shows_its_sites_and_cannot_be_edited(admin_client, stored):
    study = Study.objects.get(nct_id="NCT02513394")

    page = admin_client.get(f"/admin/trials/study/{study.pk}/change/").content.decode()

    assert "University of South Alabama Mitchell Cancer Institute" in page
    assert 'name="_save"' not in page
    assert admin_client.get("/admin/trials/study/add/").status_code == 403


def test_the_sync_run_list_shows_counts_and_outcome(admin_client):
    SyncRun.objects.create(kind=SyncRun.Kind.FULL, outcome=SyncRun.Outcome.FAILED, fetched=4321, created=1234, failed=7)

    page = admin_client.get("/admin/trials/syncrun/").content.decode()

    for text in ("4321", "1234", "Failed", "Full"):
        assert text in page
