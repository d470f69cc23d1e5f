"""The two protective warnings, on real records and on edited copies of them."""

import datetime
import importlib
import json

import pytest
from django.apps import apps

from trials.flags import COMPLETION_FIELD, STATUS_VERIFIED_FIELD, out_of_date, pay_to_participate, stale_cutoff
from trials.ingest import upsert_records
from trials.models import Study
from finder import searchindex

TODAY = datetime.date(2026, 11, 26)
SUMMARY = "protocolSection.descriptionModule.briefSummary"


def all_shared_records(shared_dir):
    paths = sorted((shared_dir / "dev").glob("*.json")) + sorted((shared_dir / "records").glob("*.json"))
    return [json.loads(path.read_text()) for path in paths]


def with_summary(record: dict, text: str) -> dict:
    record["protocolSection"].setdefault("descriptionModule", {})["briefSummary"] = text
    return record


def stored(record: dict) -> Study:
    result = upsert_records([record])
    assert not result.rejections
    return Study.objects.get(nct_id=record["protocolSection"]["identificationModule"]["nctId"])


# Pay to participate


def test_no_real_record_says_participants_pay(shared_dir):
    """80 real records, some about costs ("cost-effectiveness", "implementation costs",
    "side effects or cost"): none says the participant pays, so none may be flagged."""
    records = all_shared_records(shared_dir)
    assert len(records) == 80
    flagged = [record["protocolSection"]["identificationModule"]["nctId"] for record in records if pay_to_participate(record)]
    assert flagged == []


@pytest.mark.parametrize(
    "sentence",
    [
        "This is a patient-funded study.",
        "This is a Patient Funded trial of adipose stem cells.",
        "Self-pay patients are eligible.",
        "The treatment is self-funded.",
        "Participants will pay for the stem cell treatment.",
        "The cost of the treatment will be borne by the patient.",
        "A fee of $15,000 is charged for cell processing.",
        "Patients cover the laboratory fees.",
        "All costs are paid out of pocket.",
        "Patients will be charged for the cell product.",
        "Patients are responsible for the cost of the procedure.",
        "Treatment is given at the patient's own expense.",
    ],
)
def test_a_record_saying_the_participant_pays_is_flagged_with_that_sentence(shared_record, sentence):
    record = with_summary(shared_record("NCT04651855"), f"Autologous MSCs are given intrathecally. {sentence}")
    assert pay_to_participate(record) == [{"field": SUMMARY, "phrase": sentence}]


@pytest.mark.parametrize(
    "sentence",
    [
        "The study drug is provided at no cost to participants.",
        "There is no charge for the treatment.",
        "The cells are given free of charge.",
        "Treatment is free to all participants.",
        "Patients will pay nothing for the study product.",
        "There is no fee for taking part.",
        "Participants will not have to pay for study procedures.",
        "You won't be charged for the study treatment.",
        "The sponsor will pay for all study-related costs.",
        "Costs are covered by the study.",
        "Participants will be paid $50 for each visit.",
        "Participants receive a fee of $25 for their time.",
        "Participants will be reimbursed for travel.",
        "Patients must pay for their own travel.",
        "Eligible Medicare fee-for-service beneficiaries.",
        "Patients need a feeding tube.",
        "Cost-effectiveness of both methods is compared.",
    ],
)
def test_words_saying_the_participant_does_not_pay_do_not_flag(shared_record, sentence):
    record = with_summary(shared_record("NCT04651855"), sentence)
    assert pay_to_participate(record) == []


@pytest.mark.parametrize(
    "place, path",
    [
        (("armsInterventionsModule", "interventions", 0, "description"),
         "protocolSection.armsInterventionsModule.interventions[0].description"),
        (("eligibilityModule", "eligibilityCriteria"), "protocolSection.eligibilityModule.eligibilityCriteria"),
        (("identificationModule", "officialTitle"), "protocolSection.identificationModule.officialTitle"),
        (("descriptionModule", "detailedDescription"), "protocolSection.descriptionModule.detailedDescription"),
    ],
)
def test_evidence_names_the_field_the_words_are_in(shared_record, place, path):
    record = shared_record("NCT02881476")
    *parents, last = place
    target = record["protocolSection"]
    for key in parents:
        target = target[key]
    target[last] = "* Diagnosed with ALS\n* Willing to pay the treatment fee of 20,000 USD"
    assert pay_to_participate(record) == [{"field": path, "phrase": "Willing to pay the treatment fee of 20,000 USD"}]


def test_arm_group_descriptions_are_read(shared_record):
    record = shared_record("NCT02881476")
    record["protocolSection"]["armsInterventionsModule"]["armGroups"] = [
        {"label": "Stem cells", "description": "Patients self-pay for two injections."}
    ]
    assert pay_to_participate(record) == [
        {
            "field": "protocolSection.armsInterventionsModule.armGroups[0].description",
            "phrase": "Patients self-pay for two injections.",
        }
    ]


def test_a_long_sentence_is_cut_around_the_words_that_flag_it(shared_record):
    sentence = "Participants " + "attend many visits and " * 20 + "the cells are patient-funded " + "and tested " * 20
    (evidence,) = pay_to_participate(with_summary(shared_record("NCT04651855"), sentence))
    assert "patient-funded" in evidence["phrase"]
    assert evidence["phrase"].startswith("…") and evidence["phrase"].endswith("…")
    assert len(evidence["phrase"]) <= 242


@pytest.mark.parametrize(
    "record",
    [
        None,
        [],
        {"protocolSection": []},
        {"protocolSection": {"descriptionModule": {"briefSummary": 7}}},
        {"protocolSection": {"armsInterventionsModule": {"interventions": {"name": "fee"}}}},
        {"protocolSection": {"armsInterventionsModule": {"armGroups": ["self-pay", None]}}},
    ],
)
def test_a_malformed_record_is_not_flagged_and_does_not_raise(record):
    assert pay_to_participate(record) == []


@pytest.mark.django_db
def test_storing_a_record_keeps_its_pay_flag_and_evidence(shared_record):
    study = stored(with_summary(shared_record("NCT04651855"), "This is a patient-funded study."))
    assert study.pays_flag is True
    assert study.flag_evidence == {"pays": [{"field": SUMMARY, "phrase": "This is a patient-funded study."}]}


@pytest.mark.django_db
def test_a_record_that_stops_asking_for_payment_loses_its_flag(shared_record):
    stored(with_summary(shared_record("NCT04651855"), "This is a patient-funded study."))
    study = stored(with_summary(shared_record("NCT04651855"), "The study is funded by a grant."))
    assert (study.pays_flag, study.flag_evidence) == (False, {})


@pytest.mark.django_db
def test_the_migration_flags_studies_stored_before_the_column_existed(shared_record):
    study = stored(with_summary(shared_record("NCT04651855"), "This is a patient-funded study."))
    Study.objects.filter(pk=study.pk).update(pays_flag=False, flag_evidence={})
    migration = importlib.import_module("trials.migrations.0002_study_pay_flag")
    migration.flag_stored_studies(apps, None)
    study.refresh_from_db()
    assert study.pays_flag is True
    assert study.flag_evidence["pays"][0]["phrase"] == "This is a patient-funded study."


# Out of date


def test_stale_cutoff_is_two_years_back_and_copes_with_29_february():
    assert stale_cutoff(datetime.date(2026, 11, 26)) == datetime.date(2024, 11, 26)
    assert stale_cutoff(datetime.date(2028, 2, 29)) == datetime.date(2026, 2, 28)


@pytest.mark.django_db
def test_a_not_yet_recruiting_study_unverified_since_2023_and_past_its_end_is_out_of_date(shared_record):
    # NCT06181526: NOT_YET_RECRUITING, status verified 2023-12, completion 2024-10-30.
    study = stored(shared_record("NCT06181526"))
    assert out_of_date(study, TODAY) == [
        {"field": STATUS_VERIFIED_FIELD, "date": datetime.date(2023, 12, 1)},
        {"field": COMPLETION_FIELD, "date": datetime.date(2024, 10, 30)},
    ]


@pytest.mark.django_db
def test_a_recruiting_study_verified_recently_and_ending_later_is_not_out_of_date(shared_record):
    # NCT07019935: RECRUITING, verified 2025-06, completion 2030-10-01.
    study = stored(shared_record("NCT07019935"))
    assert out_of_date(study, TODAY) == []
    assert out_of_date(study, datetime.date(2027, 6, 2)) == [
        {"field": STATUS_VERIFIED_FIELD, "date": datetime.date(2025, 6, 1)}
    ]


@pytest.mark.django_db
def test_a_verification_exactly_two_years_old_is_not_yet_stale(shared_record):
    study = stored(shared_record("NCT07019935"))
    assert out_of_date(study, datetime.date(2027, 6, 1)) == []


@pytest.mark.django_db
def test_an_edited_copy_whose_completion_date_has_passed_is_out_of_date(shared_record):
    record = shared_record("NCT07019935")
    record["protocolSection"]["statusModule"]["completionDateStruct"] = {"date": "2026-01", "type": "ESTIMATED"}
    study = stored(record)
    assert out_of_date(study, TODAY) == [{"field": COMPLETION_FIELD, "date": datetime.date(2026, 1, 1)}]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["COMPLETED", "ACTIVE_NOT_RECRUITING", "TERMINATED", "UNKNOWN"])
def test_a_closed_study_is_never_out_of_date(shared_record, status):
    record = shared_record("NCT06181526")
    record["protocolSection"]["statusModule"]["overallStatus"] = status
    assert out_of_date(stored(record), TODAY) == []


@pytest.mark.django_db
def test_an_open_study_without_dates_is_not_out_of_date(shared_record):
    # NCT05137665: RECRUITING, but its record gives neither a verified nor a completion date.
    study = stored(shared_record("NCT05137665"))
    assert (study.status_verified_date, study.completion_date) == (None, None)
    assert out_of_date(study, TODAY) == []


# The same rules in the search's copy of the data


def flagged(rule) -> set[str]:
    """The NCT numbers of the studies in the search's copy of the data that `rule` picks."""
    copy = searchindex.current()
    return set(Study.objects.filter(id__in=copy.ids[rule(copy)].tolist()).values_list("nct_id", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("today", [TODAY, datetime.date(2025, 6, 1), datetime.date(2030, 1, 1)])
def test_the_search_flags_exactly_the_studies_the_python_check_flags(shared_dir, today):
    upsert_records(all_shared_records(shared_dir))
    in_python = {study.nct_id for study in Study.objects.all() if out_of_date(study, today)}
    assert in_python  # the real records include stale ones on each of these dates
    assert flagged(lambda copy: copy.out_of_date(today)) == in_python


@pytest.mark.django_db
def test_hiding_warnings_hides_out_of_date_and_paying_studies_only(shared_dir, shared_record):
    upsert_records(all_shared_records(shared_dir))
    stored(with_summary(shared_record("NCT07019935"), "The treatment is self-funded by participants."))
    shown = flagged(lambda copy: ~copy.out_of_date(TODAY) & ~copy.pays)
    assert "NCT06181526" not in shown  # out of date
    assert "NCT07019935" not in shown  # asks for payment
    assert "NCT05137665" in shown  # open, no dates: nothing to warn about
    assert "NCT00276835" in shown  # completed long ago: not a warning
    assert flagged(lambda copy: copy.pays) == {"NCT07019935"}
    assert shown == {
        study.nct_id for study in Study.objects.all() if not out_of_date(study, TODAY) and not study.pays_flag
    }
