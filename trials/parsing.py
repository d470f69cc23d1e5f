"""One ClinicalTrials.gov v2 record → the values of its Study row and its sites.

Every module of a record is optional (the API omits empty ones; data/ctgov/API.md §4,
"Parse defensively"), so a missing part gives an empty value. A part of the wrong type, or a
value the database could not hold, is a broken record: parsing raises `RecordError` so the
record is rejected with a reason instead of being stored half-read.

Pure: no database, no network.
"""

import datetime
import hashlib
import logging
import math
import re
from dataclasses import dataclass

import orjson

from trials.flags import stored_flag_fields
from trials.gazetteer import site_point
from trials.labelling import label_study
from trials.models import Site, Study
from trials.records import nct_id_of

logger = logging.getLogger(__name__)

# PostgreSQL text and jsonb cannot hold U+0000; one such character would fail a whole page.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# Ages are "<number> <unit>" (API.md §5); the registry's units run from minutes to years.
_AGE = re.compile(r"(\d+(?:\.\d+)?) (Year|Month|Week|Day|Hour|Minute)s?", re.IGNORECASE)
_DAYS_PER_YEAR = 365.25
_YEARS_PER_UNIT = {
    "year": 1.0,
    "month": 1 / 12,
    "week": 7 / _DAYS_PER_YEAR,
    "day": 1 / _DAYS_PER_YEAR,
    "hour": 1 / (24 * _DAYS_PER_YEAR),
    "minute": 1 / (24 * 60 * _DAYS_PER_YEAR),
}
_MAX_ENROLLMENT = 2**31 - 1  # PositiveIntegerField is a PostgreSQL integer


class RecordError(ValueError):
    """A record that cannot be stored; `nct_id` is None when the record has none."""

    def __init__(self, nct_id: str | None, reason: str):
        super().__init__(f"{nct_id or 'record without an NCT id'}: {reason}")
        self.nct_id = nct_id
        self.reason = reason


class _Malformed(ValueError):
    """Raised deep inside the readers; `parse_record` adds the NCT id."""


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    nct_id: str
    study: dict  # Study column → value, except raw, raw_hash, synced_at and in_scope
    sites: list[dict]  # Site column → value, except study


def canonical_json(record: dict) -> bytes:
    """The record as one stable text in UTF-8, so equal records hash equal whatever their key
    order. The write path hashes and stores these bytes as they are: decoding them and encoding
    them back would cost ~30 µs a study (measured on the benchmark corpus).

    It is the text stored as `raw`, so it must suit jsonb, which cannot hold NUL characters.
    orjson writes what json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    writes, ten times faster, except that it writes NaN and Infinity (which are not JSON) as
    null: readers of records must reject them, as the API client's decoder does.
    """
    data = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    if b"\\u0000" in data and _JSON_NUL.search(data):  # the substring test is the fast path
        raise RecordError(nct_id_of(record), "contains a NUL character, which cannot be stored")
    return data


def json_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def required_nct_id(record) -> str:
    nct_id = nct_id_of(record)
    if nct_id is None:
        if not isinstance(record, dict):
            raise RecordError(None, f"a study record should be an object, not {_kind(record)}")
        raise RecordError(None, "protocolSection.identificationModule.nctId is missing or not like NCT01234567")
    return nct_id


def parse_record(record) -> ParsedRecord:
    nct_id = required_nct_id(record)
    try:
        protocol = _obj(record.get("protocolSection"), "protocolSection")
        study = {"nct_id": nct_id, **_study(protocol), **_labels(record), **stored_flag_fields(record)}
        sites = _sites(protocol)
    except _Malformed as exc:
        raise RecordError(nct_id, str(exc)) from None
    return ParsedRecord(nct_id, study, sites)


def _module(protocol: dict, name: str) -> tuple[dict, str]:
    path = f"protocolSection.{name}"
    return _obj(protocol.get(name), path), path


def _study(protocol: dict) -> dict:
    ident, ident_path = _module(protocol, "identificationModule")
    status, status_path = _module(protocol, "statusModule")
    sponsors, sponsors_path = _module(protocol, "sponsorCollaboratorsModule")
    description, description_path = _module(protocol, "descriptionModule")
    conditions_module, conditions_path = _module(protocol, "conditionsModule")
    design, design_path = _module(protocol, "designModule")
    arms, arms_path = _module(protocol, "armsInterventionsModule")
    eligibility, eligibility_path = _module(protocol, "eligibilityModule")
    contacts, contacts_path = _module(protocol, "contactsLocationsModule")

    def text(module, path, key):
        return _str(module.get(key), f"{path}.{key}")

    def struct_date(key):
        struct = _obj(status.get(key), f"{status_path}.{key}")
        return _date(struct.get("date"), f"{status_path}.{key}.date")

    interventions = [
        _intervention(item, f"{arms_path}.interventions[{i}]")
        for i, item in enumerate(_list(arms.get("interventions"), f"{arms_path}.interventions"))
    ]
    conditions = _strs(conditions_module.get("conditions"), f"{conditions_path}.conditions")
    keywords = _strs(conditions_module.get("keywords"), f"{conditions_path}.keywords")
    lead = _obj(sponsors.get("leadSponsor"), f"{sponsors_path}.leadSponsor")
    lead_sponsor = _str(lead.get("name"), f"{sponsors_path}.leadSponsor.name")
    collaborators = [
        _str(_obj(item, f"{sponsors_path}.collaborators[{i}]").get("name"), f"{sponsors_path}.collaborators[{i}].name")
        for i, item in enumerate(_list(sponsors.get("collaborators"), f"{sponsors_path}.collaborators"))
    ]
    _strs(design.get("phases"), f"{design_path}.phases")  # the labeller turns them into labels
    enrollment_info = _obj(design.get("enrollmentInfo"), f"{design_path}.enrollmentInfo")
    healthy = eligibility.get("healthyVolunteers")
    if healthy is not None and not isinstance(healthy, bool):
        raise _wrong(f"{eligibility_path}.healthyVolunteers", "true or false", healthy)
    official_title = text(ident, ident_path, "officialTitle")

    return {
        "brief_title": text(ident, ident_path, "briefTitle") or official_title,
        "official_title": official_title,
        "acronym": text(ident, ident_path, "acronym"),
        "brief_summary": text(description, description_path, "briefSummary"),
        "detailed_description": text(description, description_path, "detailedDescription"),
        "overall_status": _code(status.get("overallStatus"), f"{status_path}.overallStatus", Study, "overall_status"),
        "status_verified_date": _date(status.get("statusVerifiedDate"), f"{status_path}.statusVerifiedDate"),
        "why_stopped": text(status, status_path, "whyStopped"),
        "study_type": _code(design.get("studyType"), f"{design_path}.studyType", Study, "study_type"),
        "conditions": conditions,
        "keywords": keywords,
        "interventions": interventions,
        "arm_groups": [
            _arm_group(item, f"{arms_path}.armGroups[{i}]")
            for i, item in enumerate(_list(arms.get("armGroups"), f"{arms_path}.armGroups"))
        ],
        "minimum_age_years": _age(eligibility.get("minimumAge"), f"{eligibility_path}.minimumAge"),
        "maximum_age_years": _age(eligibility.get("maximumAge"), f"{eligibility_path}.maximumAge"),
        "sex": _code(eligibility.get("sex"), f"{eligibility_path}.sex", Study, "sex"),
        "healthy_volunteers": healthy,
        "eligibility_criteria": text(eligibility, eligibility_path, "eligibilityCriteria"),
        "lead_sponsor": lead_sponsor,
        "collaborators": collaborators,
        "enrollment": _count(enrollment_info.get("count"), f"{design_path}.enrollmentInfo.count"),
        "start_date": struct_date("startDateStruct"),
        "primary_completion_date": struct_date("primaryCompletionDateStruct"),
        "completion_date": struct_date("completionDateStruct"),
        "first_posted": struct_date("studyFirstPostDateStruct"),
        "last_update_posted": struct_date("lastUpdatePostDateStruct"),
        "central_contacts": _contacts(contacts.get("centralContacts"), f"{contacts_path}.centralContacts"),
        "search_terms": "\n".join(
            [
                *(item["name"] for item in interventions),
                *(name for item in interventions for name in item["other_names"]),
                *conditions,
                *keywords,
                lead_sponsor,
                *collaborators,
            ]
        ),
    }


def _sites(protocol: dict) -> list[dict]:
    contacts, path = _module(protocol, "contactsLocationsModule")
    locations = _list(contacts.get("locations"), f"{path}.locations")
    return [_site(location, f"{path}.locations[{i}]") for i, location in enumerate(locations)]


def _intervention(value, path: str) -> dict:
    item = _obj(value, path)
    return {
        "type": _str(item.get("type"), f"{path}.type"),
        "name": _str(item.get("name"), f"{path}.name"),
        "other_names": _strs(item.get("otherNames"), f"{path}.otherNames"),
        "description": _str(item.get("description"), f"{path}.description"),
    }


def _arm_group(value, path: str) -> dict:
    item = _obj(value, path)
    return {
        "label": _str(item.get("label"), f"{path}.label"),
        "type": _str(item.get("type"), f"{path}.type"),
        "description": _str(item.get("description"), f"{path}.description"),
        "intervention_names": _strs(item.get("interventionNames"), f"{path}.interventionNames"),
    }


def _contacts(value, path: str) -> list[dict]:
    contacts = []
    for i, item in enumerate(_list(value, path)):
        item = _obj(item, f"{path}[{i}]")
        contacts.append(
            {
                "name": _str(item.get("name"), f"{path}[{i}].name"),
                "role": _str(item.get("role"), f"{path}[{i}].role"),
                "phone": _str(item.get("phone"), f"{path}[{i}].phone"),
                "phone_ext": _str(item.get("phoneExt"), f"{path}[{i}].phoneExt"),
                "email": _str(item.get("email"), f"{path}[{i}].email"),
            }
        )
    return contacts


def _site(value, path: str) -> dict:
    location = _obj(value, path)
    site = {
        "facility": _str(location.get("facility"), f"{path}.facility"),
        "city": _str(location.get("city"), f"{path}.city"),
        "state": _str(location.get("state"), f"{path}.state"),
        "postal_code": _str(location.get("zip"), f"{path}.zip"),
        "country": _str(location.get("country"), f"{path}.country"),
        "status": _code(location.get("status"), f"{path}.status", Site, "status"),
        "latitude": None,
        "longitude": None,
        "contacts": _contacts(location.get("contacts"), f"{path}.contacts"),
    }
    if location.get("geoPoint") is not None:
        point = _obj(location["geoPoint"], f"{path}.geoPoint")
        site["latitude"] = _coordinate(point.get("lat"), f"{path}.geoPoint.lat", 90)
        site["longitude"] = _coordinate(point.get("lon"), f"{path}.geoPoint.lon", 180)
    elif place := site_point(site["city"], site["state"], site["postal_code"], site["country"]):
        # The registry geocodes nearly every site; one it did not is placed like its geoPoints
        # are, at its city's (or ZIP code's) centre, so that searches near a place find it.
        site["latitude"], site["longitude"] = place.latitude, place.longitude
    return site


def _labels(record: dict) -> dict:
    try:
        return label_study(record).as_columns()
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # A shape the checks above let through but the labeller cannot read: reject this
        # record only, rather than failing the page it came in.
        logger.exception("Labelling failed")
        raise _Malformed(f"could not be labelled ({type(exc).__name__}: {exc})") from exc


# Readers: each takes a value and its path in the record, and returns it checked.


def _obj(value, path: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _wrong(path, "an object", value)
    return value


def _list(value, path: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _wrong(path, "a list", value)
    return value


def _str(value, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _wrong(path, "text", value)
    return value


def _strs(value, path: str) -> list[str]:
    items = _list(value, path)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise _wrong(f"{path}[{i}]", "text", item)
    return items


def _code(value, path: str, model, column: str) -> str:
    """An enum value for `column`; unknown values are kept (the API adds some) if they fit."""
    code = _str(value, path)
    limit = model._meta.get_field(column).max_length
    if len(code) > limit:
        raise _Malformed(f"{path} is {len(code)} characters long; at most {limit} fit")
    return code


def _number(value, path: str) -> int | float | None:
    # bool is an int in Python but never a number in JSON.
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise _wrong(path, "a number", value)
    return value


def _count(value, path: str) -> int | None:
    number = _number(value, path)
    if number is None:
        return None
    if not math.isfinite(number) or number != int(number) or not 0 <= number <= _MAX_ENROLLMENT:
        raise _Malformed(f"{path} should be a whole number from 0 to {_MAX_ENROLLMENT}, not {number}")
    return int(number)


def _coordinate(value, path: str, limit: int) -> float:
    number = _number(value, path)
    if number is None or not -limit <= number <= limit:
        raise _Malformed(f"{path} should be a number from -{limit} to {limit}, not {number}")
    return float(number)


def _date(value, path: str) -> datetime.date | None:
    """ISO dates, or the registry's partial ones: "2023-05" is taken as 1 May 2023."""
    text = _str(value, path)
    if not text:
        return None
    match = _PARTIAL_DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        year, month, day = match.groups()
        return datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise _Malformed(f"{path} should be a date like 2023-05-31 or 2023-05, not {text!r}") from None


def _age(value, path: str) -> float | None:
    """Years as a float ("6 Months" → 0.5); None for no limit ("N/A" or absent)."""
    text = _str(value, path).strip()
    if not text or text.upper() == "N/A":
        return None
    match = _AGE.fullmatch(text)
    if match is None:
        raise _Malformed(f"{path} should be an age like '18 Years' or '6 Months', not {text!r}")
    return float(match[1]) * _YEARS_PER_UNIT[match[2].lower()]


def _wrong(path: str, expected: str, value) -> _Malformed:
    return _Malformed(f"{path} should be {expected}, not {_kind(value)}")


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
