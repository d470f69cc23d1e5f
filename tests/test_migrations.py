"""The models and their migrations agree, so a deploy builds the schema the code expects."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    # Exits with status 1, failing the test, when a model differs from what its migrations make.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
