import pytest


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
