"""The hard cases of TAXONOMY.md on real records from the shared set, and on edited copies of them."""

import copy
import re

import pytest

from trials.labelling import StudyLabels, label_study


def _protocol(record: dict) -> dict:
    return record["protocolSection"]


def _describe(record: dict, text: str) -> dict:
    """The record with `text` added as a paragraph of its detailed description."""
    description = _protocol(record).setdefault("descriptionModule", {})
    description["detailedDescription"] = (description.get("detailedDescription") or "") + "\n\n" + text
    return record


def test_intrathecal_in_exclusion_criteria_is_not_a_route(shared_record):
    record = shared_record("NCT04569084")  # oral edaravone
    _protocol(record)["eligibilityModule"] = {
        "eligibilityCriteria": "Inclusion Criteria:\n\n* ALS\n\nExclusion Criteria:\n\n* No prior intrathecal therapy"
    }
    _describe(record, "Patients who received intrathecal antisense drugs in the last 6 months are excluded.")

    assert label_study(record).routes == ("oral",)


def test_riluzole_taken_as_background_care_gives_no_route(shared_record):
    record = _describe(
        shared_record("NCT06513546"),  # subcutaneous PLL001
        "Participants may continue riluzole 50 mg tablets twice daily. Patients on oral riluzole keep a stable dose.",
    )

    assert label_study(record).routes == ("subcutaneous",)


def test_a_standard_als_drug_that_is_the_studys_own_product_keeps_its_route(shared_record):
    assert label_study(shared_record("NCT04569084")).routes == ("oral",)  # "Oral edaravone"


def test_a_harvest_procedure_names_the_source_but_is_not_a_route(shared_record):
    labels = label_study(shared_record("NCT01142856"))  # "isolated from adipose tissue by subcutaneous biopsy"

    assert labels.routes == ("intrathecal",)
    assert labels.cell_sources == ("adipose",)


def test_blood_collected_to_make_the_product_is_not_its_source(shared_record):
    labels = label_study(shared_record("NCT06910384"))  # "collection of peripheral blood and bone marrow"

    assert labels.cell_sources == ("bone_marrow",)


def test_a_placebo_arm_route_counts(shared_record):
    labels = label_study(shared_record("NCT05671796"))  # placebo "subcutaneous injections"

    assert labels.routes == ("intrathecal", "subcutaneous")


def test_stem_cells_in_background_on_other_studies_make_no_cell_product(shared_record):
    record = _describe(
        shared_record("NCT04615923"),  # oral pridopidine
        "Previous trials of stem cell transplantation in ALS have used intrathecal mesenchymal stem cells. "
        "Stem cell therapies have been tested in several studies.",
    )

    labels = label_study(record)

    assert (labels.routes, labels.cell_types, labels.cell_sources, labels.donors) == (("oral",), (), (), ())


def test_nurowns_combined_intramuscular_and_intrathecal_routes_are_both_labelled(shared_record):
    assert label_study(shared_record("NCT02017912")).routes == ("intramuscular", "intrathecal")


def test_route_abbreviations_read_like_the_words(shared_record):
    record = shared_record("NCT02017912")
    description = _protocol(record)["descriptionModule"]
    description["detailedDescription"] = description["detailedDescription"].replace(
        "combined intramuscular and intrathecal administration", "combined IM and IT administration"
    )
    description["briefSummary"] = "MSC-NTF cells given by IM and IT injection."

    assert label_study(record).routes == ("intramuscular", "intrathecal")


def test_msc_ntf_is_bone_marrow_msc_even_where_the_record_does_not_say_bone_marrow(shared_record):
    record = shared_record("NCT02017912")
    description = _protocol(record)["descriptionModule"]
    description["detailedDescription"] = description["detailedDescription"].replace("bone marrow", "tissue")

    labels = label_study(record)

    assert (labels.cell_types, labels.cell_sources, labels.donors) == (("msc",), ("bone_marrow",), ("autologous",))


def test_whartons_jelly_cells_are_umbilical_cord_msc_from_a_donor(shared_record):
    labels = label_study(shared_record("NCT04651855"))

    assert (labels.cell_types, labels.cell_sources, labels.donors) == (("msc",), ("umbilical_cord",), ("allogeneic",))


def test_exosomes_of_msc_are_msc_derived_not_msc(shared_record):
    labels = label_study(shared_record("NCT06607900"))

    assert labels.cell_types == ("msc_derived",)
    assert labels.routes == ("intranasal",)


def test_exosomes_of_unnamed_stem_cells_are_other_cells(shared_record):
    labels = label_study(shared_record("NCT06181526"))

    assert (labels.cell_types, labels.cell_sources, labels.donors) == (
        ("other_cell",),
        ("unspecified",),
        ("unspecified",),
    )


@pytest.mark.parametrize("nct_id", ["NCT01609283", "NCT01142856"])
def test_csf_wording_beats_a_bare_intraspinal(shared_record, nct_id):
    assert label_study(shared_record(nct_id)).routes == ("intrathecal",)


def test_intraspinal_and_intrathecal_named_as_two_routes_are_both_kept(shared_record):
    assert label_study(shared_record("NCT01254539")).routes == ("intraspinal", "intrathecal")


def test_spinal_cord_injection_is_intraspinal_even_with_a_stereotactic_device(shared_record):
    assert label_study(shared_record("NCT02943850")).routes == ("intraspinal",)


def test_bone_marrow_stem_cells_not_called_mesenchymal_are_hematopoietic(shared_record):
    labels = label_study(shared_record("NCT01363401"))  # HYNR-CS: the record never says mesenchymal

    assert (labels.cell_types, labels.cell_sources) == (("hematopoietic",), ("bone_marrow",))


def test_bone_marrow_stem_cells_the_record_calls_mesenchymal_are_msc(shared_record):
    assert label_study(shared_record("NCT05671796")).cell_types == ("msc",)


def test_electrodes_of_a_device_give_no_route(shared_record):
    assert label_study(shared_record("NCT01605006")).routes == ()  # "implanted intramuscular diaphragm electrodes"


def test_a_tablet_computer_is_not_an_oral_tablet(shared_record):
    assert label_study(shared_record("NCT06315673")).routes == ()


def test_a_bronchodilator_given_to_measure_lung_function_gives_no_route(shared_record):
    assert label_study(shared_record("NCT03572335")).routes == ()


def test_a_contrast_agent_for_imaging_gives_no_route(shared_record):
    record = _describe(shared_record("NCT04615923"), "Gadolinium contrast is given intravenously for each MRI.")

    assert label_study(record).routes == ("oral",)


def test_a_prophylactic_antibiotic_is_not_the_studys_product(shared_record):
    assert label_study(shared_record("NCT02152735")).routes == ()  # "cefazolin intravenously as antibiotic prophylaxis"


def test_adult_cells_given_to_children_come_from_a_donor(shared_record):
    labels = label_study(shared_record("NCT02336230"))  # adult MSCs, participants 2 months to 17 years

    assert labels.donors == ("allogeneic",)


def test_the_transplant_behind_the_disease_is_not_the_product(shared_record):
    labels = label_study(shared_record("NCT02336230"))  # "aGVHD following allogeneic hematopoietic stem cell transplant"

    assert labels.cell_types == ("msc",)


def test_adult_cells_given_to_adults_say_nothing_about_the_donor(shared_record):
    record = shared_record("NCT02336230")
    _protocol(record)["eligibilityModule"]["maximumAge"] = "75 Years"

    assert label_study(record).donors == ("unspecified",)


def test_a_graft_the_protocol_immunosuppresses_is_allogeneic(shared_record):
    assert label_study(shared_record("NCT02943850")).donors == ("allogeneic",)


def test_exclusion_of_immunosuppressant_users_says_nothing_about_the_donor(shared_record):
    labels = label_study(shared_record("NCT06097780"))  # "Current or planned use of immunosuppressants" (exclusion)

    assert (labels.cell_sources, labels.donors) == (("dental_pulp",), ("unspecified",))


def test_ipsc_derived_neurons_are_neural_from_an_ipsc_line(shared_record):
    labels = label_study(shared_record("NCT07118319"))

    assert (labels.cell_types, labels.cell_sources, labels.donors) == (("neural",), ("ipsc",), ("allogeneic",))


def test_regulatory_t_cells_named_as_a_drugs_target_are_not_a_cell_product(shared_record):
    assert label_study(shared_record("NCT07161999")).cell_types == ()


@pytest.mark.parametrize("nct_id", ["NCT05137665", "NCT06578195", "NCT06735014", "NCT03475563"])
def test_observational_studies_that_give_nothing_get_no_routes_or_cells(shared_record, nct_id):
    labels = label_study(shared_record(nct_id))

    assert (labels.routes, labels.cell_types, labels.cell_sources, labels.donors) == ((), (), (), ())


def test_an_observational_study_that_gives_food_is_oral(shared_record):
    assert label_study(shared_record("NCT05594173")).routes == ("oral",)


def test_food_in_a_behavioural_programme_is_not_a_route(shared_record):
    assert label_study(shared_record("NCT05766735")).routes == ()


def test_phases_are_the_design_modules_valid_codes(shared_record):
    record = shared_record("NCT01363401")
    _protocol(record)["designModule"]["phases"] = ["PHASE2", "PHASE1", "PHASE9", 7]

    assert label_study(record).phases == ("PHASE1", "PHASE2")


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"protocolSection": None},
        {"protocolSection": {"armsInterventionsModule": {"interventions": ["Drug: X", None, {"name": 5}]}}},
        {"protocolSection": {"descriptionModule": {"briefSummary": 12}, "designModule": {"phases": "PHASE1"}}},
        {"protocolSection": {"armsInterventionsModule": {"armGroups": [{"interventionNames": [None, "Drug"]}]}}},
    ],
)
def test_missing_or_malformed_modules_give_empty_labels(record):
    assert label_study(record) == StudyLabels(nct_id=None)


def test_as_dict_is_the_json_line_shape(shared_record):
    line = label_study(shared_record("NCT02017912")).as_dict()

    assert list(line) == ["nct_id", "phases", "routes", "cell_types", "cell_sources", "donors", "evidence"]
    assert line["nct_id"] == "NCT02017912"
    assert (
        line["evidence"]["routes"]["intrathecal"][0]["field"] == "protocolSection.descriptionModule.detailedDescription"
    )


def _field_text(record: dict, path: str) -> str:
    value = record
    for key, index in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
        value = value[key] if index == "" else value[key][int(index)]
    return value if isinstance(value, str) else " ".join(value)


def test_every_evidence_item_quotes_the_field_it_names(shared_dir, shared_record):
    paths = sorted(shared_dir.glob("dev/NCT*.json")) + sorted(shared_dir.glob("records/NCT*.json"))
    checked = 0
    for path in paths:
        record = shared_record(path.stem)
        labels = label_study(copy.deepcopy(record))
        for label_field, codes in labels.evidence.items():
            assert set(codes) == set(getattr(labels, label_field))
            for code, items in codes.items():
                assert items, f"{path.stem} {label_field} {code} has no evidence"
                for item in items:
                    words = " ".join(_field_text(record, item["field"]).split())
                    assert item["phrase"] in words, (path.stem, item)
                    checked += 1
    assert checked > 300
