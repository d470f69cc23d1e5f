"""The models and their migrations agree, so a deploy builds the schema the code expects."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    # Exits with status 1, failing the test, when a model differs from what its migrations make.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_upgrading_places_the_stored_sites_the_registry_did_not_geocode():
    executor = MigrationExecutor(connection)
    before, after = [("trials", "0007_site_unit_vectors")], [("trials", "0008_place_sites_without_coordinates")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    study = old_apps.get_model("trials", "Study").objects.create(
        nct_id="NCT01609283", raw={}, raw_hash="", synced_at=timezone.now()
    )
    site = old_apps.get_model("trials", "Site").objects.create(
        study=study, city="Rochester", state="Minnesota", postal_code="55905"
    )
    try:
        executor = MigrationExecutor(connection)  # the graph as it is now, with 0007 applied
        executor.migrate(after)
        site = executor.loader.project_state(after).apps.get_model("trials", "Site").objects.get(pk=site.pk)
        assert (round(site.latitude, 1), round(site.longitude, 1)) == (44.0, -92.5)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
