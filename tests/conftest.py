import json
from pathlib import Path

import pytest

from trials.datafiles import CTGOV_DATA_DIR


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The bundled ClinicalTrials.gov data (see data/ctgov/README.md)."""
    return CTGOV_DATA_DIR


@pytest.fixture
def shared_record(shared_dir):
    """Reads one shared record by NCT id (from dev/ or records/), as a dict the test may edit."""

    def read(nct_id: str) -> dict:
        for folder in ("dev", "records"):
            path = shared_dir / folder / f"{nct_id}.json"
            if path.exists():
                return json.loads(path.read_text())
        raise LookupError(f"{nct_id} is not in {shared_dir}/dev or /records")

    return read
