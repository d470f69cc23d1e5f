import json

import pytest

from trials.labelling.evaluate import shared_dir


@pytest.fixture(scope="session")
def ctgov_dir():
    """The shared ClinicalTrials.gov data: $CTGOV_SHARED_DIR, by default <repo>/../shared/ctgov."""
    path = shared_dir()
    assert (path / "dev" / "labels.csv").is_file(), f"no shared data at {path}: set CTGOV_SHARED_DIR"
    return path


@pytest.fixture
def real_record(ctgov_dir):
    """Reads a real record from dev/ or records/ by NCT id, as a fresh dict a test may edit."""

    def read(nct_id: str) -> dict:
        for folder in ("dev", "records"):
            path = ctgov_dir / folder / f"{nct_id}.json"
            if path.exists():
                return json.loads(path.read_text())
        raise LookupError(f"{nct_id} is not in {ctgov_dir}/dev or /records")

    return read


@pytest.fixture
def make_study():
    """Builds a v2 record from text: interventions as (type, name, description), arms as (type, label, description)."""

    def study(
        title="",
        summary="",
        description="",
        interventions=(),
        arms=(),
        keywords=(),
        study_type="INTERVENTIONAL",
        phases=("PHASE2",),
        eligibility=None,
    ) -> dict:
        return {
            "protocolSection": {
                "identificationModule": {"nctId": "NCT99000001", "briefTitle": title},
                "descriptionModule": {"briefSummary": summary, "detailedDescription": description},
                "conditionsModule": {"keywords": list(keywords)},
                "designModule": {"studyType": study_type, "phases": list(phases)},
                "armsInterventionsModule": {
                    "interventions": [{"type": t, "name": n, "description": d} for t, n, d in interventions],
                    "armGroups": [{"type": t, "label": label, "description": d} for t, label, d in arms],
                },
                **({"eligibilityModule": eligibility} if eligibility else {}),
            }
        }

    return study
