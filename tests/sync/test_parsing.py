"""Turning v2 records into Study and Site values: real records, missing modules, wrong types."""

import datetime
import json

import pytest

import trials.parsing
from trials.parsing import RecordError, canonical_json, json_hash, parse_record


def minimal(nct_id="NCT01234567", **protocol):
    return {"protocolSection": {"identificationModule": {"nctId": nct_id}, **protocol}}


def test_a_whole_record_gives_its_columns_and_every_geocoded_site(shared_record):
    parsed = parse_record(shared_record("NCT02513394"))

    study = parsed.study
    assert study["nct_id"] == parsed.nct_id == "NCT02513394"
    assert study["brief_title"] == "PALbociclib CoLlaborative Adjuvant Study"
    assert study["overall_status"] == "ACTIVE_NOT_RECRUITING"
    assert study["start_date"] == datetime.date(2015, 8, 1)  # "2015-08"
    assert study["last_update_posted"] == datetime.date(2023, 6, 15)
    assert study["minimum_age_years"] == 18.0
    assert study["maximum_age_years"] is None
    assert len(parsed.sites) == 437
    assert parsed.sites[0] == {
        "facility": "University of South Alabama Mitchell Cancer Institute",
        "city": "Mobile",
        "state": "Alabama",
        "postal_code": "36604",
        "country": "United States",
        "status": "",
        "latitude": 30.69436,
        "longitude": -88.04305,
        "contacts": [],
    }


def located(**location):
    return minimal(contactsLocationsModule={"locations": [location]})


def test_a_site_the_registry_did_not_geocode_is_placed_at_its_zip_code_or_city(shared_record):
    # The bundled records have no geoPoints; this one gives a ZIP code but no country.
    mayo = parse_record(shared_record("NCT01609283")).sites[0]
    assert (mayo["city"], mayo["postal_code"], mayo["country"]) == ("Rochester", "55905", "")
    assert (round(mayo["latitude"], 1), round(mayo["longitude"], 1)) == (44.0, -92.5)

    paris = parse_record(located(city="Paris Cedex 13", zip="75651", country="France")).sites[0]
    assert (round(paris["latitude"], 1), round(paris["longitude"], 1)) == (48.9, 2.3)
    milan = parse_record(located(city="Milano", country="Italy")).sites[0]  # GeoNames says "Milan"
    assert (round(milan["latitude"], 1), round(milan["longitude"], 1)) == (45.5, 9.2)


@pytest.mark.parametrize(
    "location",
    [
        {"city": "Rochester", "country": "United States"},  # Minnesota's or New York's?
        {"city": "Rochester", "state": "Minnesota"},  # no country, no ZIP code
        {"city": "New York", "zip": "10467"},  # the ZIP code is the Bronx's: they disagree
        {"city": "Nedlands", "zip": "6009", "country": "Australia"},  # too small for the gazetteer
        {"country": "Japan"},
    ],
)
def test_a_site_whose_place_is_in_doubt_stays_unplaced(location):
    site = parse_record(located(**location)).sites[0]
    assert (site["latitude"], site["longitude"]) == (None, None)


def test_the_registrys_geopoint_is_kept_over_the_gazetteer():
    site = parse_record(
        located(city="Rochester", state="Minnesota", zip="55905", country="United States", geoPoint={"lat": 1.5, "lon": 2.5})
    ).sites[0]
    assert (site["latitude"], site["longitude"]) == (1.5, 2.5)


def test_every_shared_record_parses(shared_dir):
    paths = sorted(shared_dir.glob("records/*.json")) + sorted(shared_dir.glob("dev/*.json"))
    parsed = [parse_record(json.loads(path.read_text())) for path in paths]
    assert [p.nct_id for p in parsed] == [path.stem for path in paths]


def test_a_record_with_only_its_id_gives_empty_values():
    parsed = parse_record(minimal())

    assert parsed.sites == []
    assert parsed.study["brief_title"] == ""
    assert parsed.study["conditions"] == []
    assert parsed.study["interventions"] == []
    assert parsed.study["enrollment"] is None
    assert parsed.study["start_date"] is None
    assert parsed.study["healthy_volunteers"] is None


def test_the_official_title_stands_in_for_a_missing_brief_title():
    record = minimal(identificationModule={"nctId": "NCT01234567", "officialTitle": "A Long Official Title"})
    assert parse_record(record).study["brief_title"] == "A Long Official Title"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-05-17", datetime.date(2023, 5, 17)),
        ("2023-05", datetime.date(2023, 5, 1)),
        ("2023", datetime.date(2023, 1, 1)),
    ],
)
def test_partial_dates_are_read_as_their_first_day(text, expected):
    record = minimal(statusModule={"startDateStruct": {"date": text}})
    assert parse_record(record).study["start_date"] == expected


@pytest.mark.parametrize(
    "age, years",
    [
        ("18 Years", 18.0),
        ("1 Year", 1.0),
        ("6 Months", 0.5),
        ("2 Weeks", 14 / 365.25),
        ("28 Days", 28 / 365.25),
        ("12 Hours", 0.5 / 365.25),
        ("N/A", None),
    ],
)
def test_ages_are_read_as_years(age, years):
    record = minimal(eligibilityModule={"minimumAge": age})
    assert parse_record(record).study["minimum_age_years"] == pytest.approx(years)


def test_search_terms_gather_names_conditions_keywords_and_sponsors():
    record = minimal(
        armsInterventionsModule={"interventions": [{"name": "NurOwn", "otherNames": ["MSC-NTF cells"]}]},
        conditionsModule={"conditions": ["ALS"], "keywords": ["stem cells"]},
        sponsorCollaboratorsModule={"leadSponsor": {"name": "BrainStorm"}, "collaborators": [{"name": "CIRM"}]},
    )
    terms = parse_record(record).study["search_terms"].split("\n")
    assert terms == ["NurOwn", "MSC-NTF cells", "ALS", "stem cells", "BrainStorm", "CIRM"]


def test_labels_and_their_evidence_come_from_the_labeller(shared_record):
    study = parse_record(shared_record("NCT04651855")).study  # Wharton's jelly MSCs, intrathecal

    assert study["phases"] == ["PHASE1", "PHASE2"]
    assert "msc" in study["cell_types"]
    assert "intrathecal" in study["routes"]
    assert study["label_evidence"]["routes"]["intrathecal"]


def test_the_pay_warning_is_stored_with_the_study():
    record = minimal(descriptionModule={"briefSummary": "Patients pay for the cells out of pocket."})
    study = parse_record(record).study
    assert study["pays_flag"] is True
    assert study["flag_evidence"]["pays"]


@pytest.mark.parametrize(
    "protocol, reason",
    [
        ({"designModule": {"phases": "PHASE2"}}, "protocolSection.designModule.phases should be a list, not text"),
        (
            {"designModule": {"enrollmentInfo": {"count": "20"}}},
            "protocolSection.designModule.enrollmentInfo.count should be a number, not text",
        ),
        ({"designModule": {"enrollmentInfo": {"count": -3}}}, "enrollmentInfo.count should be a whole number"),
        ({"designModule": {"enrollmentInfo": {"count": 2.5}}}, "enrollmentInfo.count should be a whole number"),
        ({"designModule": {"enrollmentInfo": {"count": True}}}, "should be a number, not true/false"),
        ({"statusModule": {"startDateStruct": {"date": "soon"}}}, "startDateStruct.date should be a date"),
        ({"statusModule": {"startDateStruct": {"date": "2023-13"}}}, "startDateStruct.date should be a date"),
        ({"eligibilityModule": {"minimumAge": "eighteen"}}, "minimumAge should be an age"),
        ({"eligibilityModule": {"healthyVolunteers": "No"}}, "healthyVolunteers should be true or false"),
        ({"conditionsModule": {"conditions": ["ALS", 7]}}, "conditions[1] should be text, not a number"),
        ({"descriptionModule": "none"}, "protocolSection.descriptionModule should be an object, not text"),
        ({"designModule": {"studyType": "INTERVENTIONAL_AND_OBSERVATIONAL"}}, "studyType is 32 characters long"),
        (
            {"contactsLocationsModule": {"locations": [{"geoPoint": {"lat": 91.0, "lon": 0.0}}]}},
            "locations[0].geoPoint.lat should be a number from -90 to 90, not 91.0",
        ),
        (
            {"contactsLocationsModule": {"locations": [{"geoPoint": {"lat": 10.0, "lon": "east"}}]}},
            "locations[0].geoPoint.lon should be a number, not text",
        ),
        ({"contactsLocationsModule": {"locations": ["Boston"]}}, "locations[0] should be an object, not text"),
    ],
)
def test_a_wrongly_typed_field_rejects_the_record_naming_the_field(protocol, reason):
    with pytest.raises(RecordError) as raised:
        parse_record(minimal("NCT07654321", **protocol))
    assert raised.value.nct_id == "NCT07654321"
    assert reason in raised.value.reason


@pytest.mark.parametrize(
    "record, reason",
    [
        ({"protocolSection": {}}, "nctId is missing"),
        (minimal("NCT123"), "nctId is missing or not like NCT01234567"),
        (minimal(12345678), "nctId is missing or not like NCT01234567"),
        (["NCT01234567"], "a study record should be an object, not a list"),
    ],
)
def test_a_record_without_a_proper_nct_id_is_rejected(record, reason):
    with pytest.raises(RecordError) as raised:
        parse_record(record)
    assert raised.value.nct_id is None
    assert reason in raised.value.reason


def test_a_record_the_labeller_cannot_read_is_rejected_alone(monkeypatch):
    def failing_labeller(record):
        raise TypeError("unexpected shape")

    monkeypatch.setattr(trials.parsing, "label_study", failing_labeller)
    with pytest.raises(RecordError, match="could not be labelled"):
        parse_record(minimal())


def test_canonical_json_does_not_depend_on_key_order():
    one = {"b": 1, "a": {"d": [1, 2], "c": "é"}}
    other = {"a": {"c": "é", "d": [1, 2]}, "b": 1}

    assert canonical_json(one) == canonical_json(other) == '{"a":{"c":"é","d":[1,2]},"b":1}'.encode()
    assert json_hash(canonical_json(one)) == json_hash(canonical_json(other))
    assert json_hash(canonical_json(one)) != json_hash(canonical_json({**one, "b": 2}))


def test_canonical_json_matches_the_standard_library_on_real_records(shared_record):
    record = shared_record("NCT02552212")
    assert canonical_json(record) == json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_a_nul_character_rejects_the_record_but_an_escaped_backslash_u_does_not():
    with pytest.raises(RecordError, match="NUL character"):
        canonical_json(minimal(descriptionModule={"briefSummary": "a\x00b"}))
    assert canonical_json(minimal(descriptionModule={"briefSummary": "C:\\u0000"}))
