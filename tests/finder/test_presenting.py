"""Plain words for a study: names, ages, dates, criteria, contacts, labels and warnings."""

import datetime
from types import SimpleNamespace

import pytest

from finder import presenting
from finder.presenting import Block, Item
from trials.flags import COMPLETION_FIELD, STATUS_VERIFIED_FIELD

TODAY = datetime.date(2026, 11, 26)


def criteria_of(shared_record, nct_id):
    record = shared_record(nct_id)
    return presenting.split_criteria(record["protocolSection"]["eligibilityModule"]["eligibilityCriteria"])


def texts(block: Block) -> list[str]:
    return [item.text for item in block.items]


# Names


def test_every_taxonomy_code_has_a_plain_name(shared_dir):
    taxonomy = (shared_dir / "TAXONOMY.md").read_text()
    for field, _, names in presenting.LABEL_FIELDS:
        section = taxonomy.split(f"## {field}")[1].split("\n## ")[0]
        rows = [line for line in section.splitlines() if line.startswith("| ") and "code" not in line]
        codes = {row.split("|")[1].strip() for row in rows}
        assert codes == set(names), field


def test_an_unknown_code_gets_a_readable_fallback():
    assert presenting.name_of(presenting.ROUTE_NAMES, "intrathecal") == "Into the spinal fluid (intrathecal)"
    assert presenting.name_of(presenting.ROUTE_NAMES, "intra_ocular") == "Intra ocular"


@pytest.mark.parametrize(
    "path, words",
    [
        ("protocolSection.armsInterventionsModule.interventions[2].description", "the intervention description"),
        ("protocolSection.armsInterventionsModule.armGroups[0].label", "a study group's name"),
        ("protocolSection.descriptionModule.briefSummary", "the summary"),
        (COMPLETION_FIELD, "the completion date"),
        ("protocolSection.somethingNew.field", "the record"),
    ],
)
def test_record_paths_are_described_in_plain_words(path, words):
    assert presenting.describe_field(path) == words


@pytest.mark.parametrize(
    "minimum, maximum, words",
    [
        (18, 75, "18 to 75 years"),
        (18, None, "18 years and older"),
        (None, 17, "Up to 17 years"),
        (0.5, 17, "6 months to 17 years"),
        (1, None, "1 year and older"),
        (None, None, "No age limits stated"),
        (0, None, "No age limits stated"),
    ],
)
def test_age_range_in_words(minimum, maximum, words):
    assert presenting.age_range(minimum, maximum) == words


def test_a_month_only_registry_date_is_shown_as_a_month():
    record = {"protocolSection": {"statusModule": {"statusVerifiedDate": "2023-12"}}}
    assert presenting.registry_date(record, STATUS_VERIFIED_FIELD, datetime.date(2023, 12, 1)) == "December 2023"
    record = {"protocolSection": {"statusModule": {"completionDateStruct": {"date": "2024-10-30"}}}}
    assert presenting.registry_date(record, COMPLETION_FIELD, datetime.date(2024, 10, 30)) == "30 October 2024"


# Registry text


def test_text_becomes_paragraphs_and_lists_with_wrapped_lines_joined():
    text = (
        "First line\nof a paragraph.\n\nSpecific aims:\n\n* Safety\n* Dose, assessed\n  over 6 months"
        "\n\nA closing paragraph."
    )
    assert presenting.text_blocks(text) == [
        Block(text="First line of a paragraph."),
        Block(text="Specific aims:"),
        Block(items=(Item("Safety"), Item("Dose, assessed over 6 months"))),
        Block(text="A closing paragraph."),
    ]


def test_indented_items_nest_under_the_item_above(shared_record):
    # NCT00276835 nests two levels deep with two-space indents.
    (section,) = criteria_of(shared_record, "NCT00276835")
    first_list = section.blocks[1]
    lesion = first_list.items[1]
    assert lesion.text.startswith("At least 1 measurable lesion")
    assert lesion.children[2].text == "The following are considered non-measurable lesions:"
    assert lesion.children[2].children[0].text == "Bone lesions"


def test_markdown_escapes_and_emphasis_are_removed():
    assert presenting.text_blocks("* Age \\> 18 and FEV\\_1 \\< 75%\n* **Not** pregnant") == [
        Block(items=(Item("Age > 18 and FEV_1 < 75%"), Item("Not pregnant")))
    ]


def test_numbered_items_without_a_space_are_items_but_abbreviations_are_not():
    # NCT06645197 writes "1.Able to understand...".
    assert presenting.text_blocks("1.Able to consent\n2.Aged 18 or over") == [
        Block(items=(Item("Able to consent"), Item("Aged 18 or over")), numbered=True)
    ]
    assert presenting.text_blocks("e.g. riluzole") == [Block(text="e.g. riluzole")]


def test_a_short_line_ending_in_a_colon_is_a_label():
    assert Block(text="ALS participants:").is_label
    assert not Block(text="Patients must: be over 18 and have ALS and " + "more " * 20 + ":").is_label
    assert not Block(items=(Item("x:"),)).is_label


# Eligibility criteria


def test_criteria_split_into_inclusion_and_exclusion(shared_record):
    inclusion, exclusion = criteria_of(shared_record, "NCT06181526")
    assert (inclusion.kind, exclusion.kind) == ("inclusion", "exclusion")
    (included,) = inclusion.blocks
    assert included.numbered and len(included.items) == 7
    assert included.items[1].text == "18 years old≤ age≤ 75 years old, males or females;"
    assert texts(exclusion.blocks[0])[0] == "Diagnosed with familial ALS (based on family history);"


def test_headings_without_colons_in_other_case_still_split(shared_record):
    # NCT03291366: "Inclusion Criteria" and "Exclusion Criteria" with no colon.
    assert [section.kind for section in criteria_of(shared_record, "NCT03291366")] == ["inclusion", "exclusion"]
    assert [s.kind for s in presenting.split_criteria("INCLUSION:\n- a\n\nexclusion criteria:\n- b")] == [
        "inclusion",
        "exclusion",
    ]


def test_wrapped_items_without_blank_lines_stay_whole(shared_record):
    # NCT02623699 wraps long items over several unindented lines.
    inclusion, exclusion = criteria_of(shared_record, "NCT02623699")
    assert inclusion.title == "Key Inclusion Criteria: Part A and B"
    assert texts(inclusion.blocks[0])[1].endswith("may be considered for inclusion, at the discretion of the Investigator.")
    assert exclusion.title == "Key Exclusion Criteria: Part A and B"


def test_criteria_run_into_one_line_are_split_at_semicolons(shared_record):
    # NCT05671796: "Inclusion Criteria: a; b; c. Exclusion Criteria: d; e; ..."
    inclusion, exclusion = criteria_of(shared_record, "NCT05671796")
    assert texts(inclusion.blocks[0]) == [
        "Both sexes over 18 years old",
        "Closed or open spinal cord injury at the thoracic or lumbar level in the subacute phase "
        "(between 3 and 6 months after the event)",
        "ASIA A rating.",
    ]
    assert texts(exclusion.blocks[0])[:2] == ["Section of the spinal anatomy", "Active infectious diseases"]


def test_criteria_without_headings_are_one_list(shared_record):
    # NCT06344260 lists its criteria with no inclusion or exclusion heading.
    (section,) = criteria_of(shared_record, "NCT06344260")
    assert section.kind == "other"
    assert section.blocks[0].items[0].text.startswith("Patient provides written informed consent")


def test_text_before_a_lone_exclusion_heading_is_the_inclusion_criteria(shared_record):
    # NCT03630471 starts with "Eligibility criteria:" and has only an "Exclusion criteria:" heading.
    inclusion, exclusion = criteria_of(shared_record, "NCT03630471")
    assert (inclusion.kind, exclusion.kind) == ("inclusion", "exclusion")
    assert [block.text for block in inclusion.blocks if block.text] == [
        "Eligibility criteria:",
        "For adolescent participants:",
        "For parent participants:",
    ]


def test_a_heading_with_nothing_under_it_is_dropped(shared_record):
    # NCT06607900 opens with "General Criteria:" straight before "Inclusion Criteria:".
    assert [section.kind for section in criteria_of(shared_record, "NCT06607900")] == ["inclusion", "exclusion"]


def test_a_qualified_heading_keeps_its_words_and_a_plain_one_does_not(shared_record):
    sections = criteria_of(shared_record, "NCT06578195")
    assert [section.title for section in sections] == [
        "Inclusion Criteria for ALS participants",
        "Inclusion Criteria for control participants",
    ]
    assert [section.title for section in criteria_of(shared_record, "NCT04172792")] == ["", ""]


def test_empty_criteria_give_no_sections():
    assert presenting.split_criteria("") == []


# Contacts and sites


def test_contacts_get_tel_and_mailto_links():
    (contact,) = presenting.contacts(
        [
            {
                "name": "Jacqueline Rodriguez",
                "role": "CONTACT",
                "phone": "434-422-2653",
                "phone_ext": "12",
                "email": "ZMT8XG@uvahealth.org",
            }
        ]
    )
    assert contact.phone == "434-422-2653 ext. 12"
    assert contact.phone_href == "tel:4344222653;ext=12"
    assert contact.email_href == "mailto:ZMT8XG@uvahealth.org"
    assert contact.role == "Contact"


def test_a_country_code_given_as_the_extension_is_shown_before_the_number():
    # NCT06171568 gives phone "01.49.95.81.69" with phoneExt "+33".
    (contact,) = presenting.contacts([{"phone": "01.49.95.81.69", "phone_ext": "+33"}])
    assert (contact.phone, contact.phone_href) == ("+33 01.49.95.81.69", "tel:0149958169")


def test_contacts_without_a_number_or_a_valid_address_get_no_link():
    (contact,) = presenting.contacts([{"name": "Study desk", "phone": "see website", "email": "ask at the front desk"}])
    assert (contact.phone_href, contact.email_href) == ("", "")
    assert contact.phone == "see website"


def test_malformed_contacts_are_skipped():
    assert presenting.contacts(None) == ()
    assert presenting.contacts(["a", None, 3]) == ()


def site(**fields):
    defaults = dict(
        facility="", city="", state="", postal_code="", country="", status="", latitude=None, longitude=None, contacts=[]
    )
    return SimpleNamespace(**{**defaults, **fields})


def test_distance_is_the_great_circle_distance():
    boston = SimpleNamespace(latitude=42.35843, longitude=-71.05977)
    new_york = site(latitude=40.71427, longitude=-74.00597)
    assert presenting.distance_km(boston, new_york) == pytest.approx(306, abs=2)
    assert presenting.distance_km(boston, site()) is None


def test_sites_nearest_first_when_there_is_a_place_else_open_first():
    boston = SimpleNamespace(latitude=42.35843, longitude=-71.05977)
    sites = [
        site(city="Paris", country="France", status="RECRUITING", latitude=48.85, longitude=2.35),
        site(city="Nowhere", country="United States"),
        site(city="New York", country="United States", status="COMPLETED", latitude=40.71, longitude=-74.0),
    ]
    assert [s.place for s in presenting.shown_sites(sites, boston)] == [
        "New York, United States",
        "Paris, France",
        "Nowhere, United States",
    ]
    shown = presenting.shown_sites(sites)
    assert [s.place for s in shown][0] == "Paris, France"
    assert (shown[0].status, shown[0].is_open) == ("Recruiting now", True)
    assert presenting.countries(shown) == ["United States", "France"]


# Labels and warnings


def test_labels_come_with_the_records_words():
    study = SimpleNamespace(
        routes=["intrathecal"],
        cell_types=["msc"],
        cell_sources=[],
        donors=[],
        label_evidence={
            "routes": {
                "intrathecal": [
                    {
                        "field": "protocolSection.armsInterventionsModule.interventions[0].description",
                        "phrase": "by lumbar puncture",
                    }
                ]
            },
            "cell_types": {"msc": "not a list"},
        },
    )
    routes, cells = presenting.label_groups(study)
    assert routes.question == "How it is given"
    assert routes.labels[0].name == "Into the spinal fluid (intrathecal)"
    assert routes.labels[0].quotes == (presenting.Quotes("the intervention description", ("by lumbar puncture",)),)
    assert cells.labels[0].quotes == ()


def stub_study(**fields):
    defaults = dict(
        overall_status="RECRUITING",
        status_verified_date=None,
        completion_date=None,
        pays_flag=False,
        flag_evidence={},
    )
    return SimpleNamespace(**{**defaults, **fields})


def test_out_of_date_warning_says_what_the_record_says_and_why():
    study = stub_study(
        overall_status="NOT_YET_RECRUITING",
        status_verified_date=datetime.date(2023, 12, 1),
        completion_date=datetime.date(2024, 10, 30),
    )
    (warning,) = presenting.warnings(study, TODAY)
    assert warning.title == "Status may be out of date"
    assert warning.message.startswith(
        "The record says “Not yet recruiting”, but its status was last checked in December 2023, more than two years "
        "ago and its completion date, October 2024, has passed."
    )


def test_pay_warning_quotes_the_record_and_links_to_guidance():
    study = stub_study(
        pays_flag=True,
        flag_evidence={"pays": [{"field": "protocolSection.descriptionModule.briefSummary", "phrase": "Paid by you."}]},
    )
    (warning,) = presenting.warnings(study, TODAY)
    assert warning.title == "Participants may be asked to pay"
    assert warning.quotes == (presenting.Evidence("the summary", "Paid by you."),)
    assert warning.link.startswith("https://www.fda.gov/")


def test_no_warnings_for_a_current_free_study():
    assert presenting.warnings(stub_study(completion_date=datetime.date(2027, 1, 1)), TODAY) == []


def test_repeated_quotes_are_shown_once_and_only_the_first_few_grouped_by_field():
    quote = {"field": "protocolSection.identificationModule.briefTitle", "phrase": "Mesenchymal"}
    others = [
        {"field": f"protocolSection.armsInterventionsModule.interventions[{i}].name", "phrase": f"MSC {i}"}
        for i in range(4)
    ]
    study = SimpleNamespace(
        routes=[], cell_types=["msc"], cell_sources=[], donors=[],
        label_evidence={"cell_types": {"msc": [quote, quote, *others]}},
    )
    (group,) = presenting.label_groups(study)
    assert group.labels[0].quotes == (
        presenting.Quotes("the title", ("Mesenchymal",)),
        presenting.Quotes("the intervention name", ("MSC 0", "MSC 1")),
    )
