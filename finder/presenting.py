"""Turn a Study into what its page says: plain words for the registry's codes and text.

The name mappings here are the one place the site names statuses, phases and labels; the
search page's filters use them too. Label codes are those of data/ctgov/TAXONOMY.md.
"""

import datetime
import math
import re
from dataclasses import dataclass

from trials import flags
from trials.models import OPEN_STATUSES, Phase, Sex, Status
from trials.querysets import EARTH_RADIUS_KM

STATUS_NAMES = {
    Status.RECRUITING: "Recruiting now",
    Status.NOT_YET_RECRUITING: "Not recruiting yet",
    Status.ENROLLING_BY_INVITATION: "By invitation only",
    Status.AVAILABLE: "Available outside a trial (expanded access)",
    Status.ACTIVE_NOT_RECRUITING: "Running, not taking new people",
    Status.COMPLETED: "Finished",
    Status.SUSPENDED: "Paused",
    Status.TERMINATED: "Stopped early",
    Status.WITHDRAWN: "Withdrawn before it started",
    Status.NO_LONGER_AVAILABLE: "No longer available",
    Status.TEMPORARILY_NOT_AVAILABLE: "Not available for now",
    Status.APPROVED_FOR_MARKETING: "Approved for sale",
    Status.WITHHELD: "Details withheld",
    Status.UNKNOWN: "Unknown: not updated for over two years",
}

PHASE_NAMES = {
    Phase.EARLY_PHASE1: "Early phase 1: a very small first test",
    Phase.PHASE1: "Phase 1: is it safe?",
    Phase.PHASE2: "Phase 2: does it work, and at what dose?",
    Phase.PHASE3: "Phase 3: does it work better than usual care?",
    Phase.PHASE4: "Phase 4: watching a treatment after approval",
    Phase.NA: "No phase: not a drug trial",
}

ROUTE_NAMES = {
    "intrathecal": "Into the spinal fluid (intrathecal)",
    "intracerebroventricular": "Into the fluid spaces of the brain (intracerebroventricular)",
    "intraspinal": "Into the spinal cord (intraspinal)",
    "intracerebral": "Into the brain (intracerebral)",
    "intravenous": "Into a vein (intravenous)",
    "intra_arterial": "Into an artery (intra-arterial)",
    "intramuscular": "Into a muscle (intramuscular)",
    "subcutaneous": "Under the skin (subcutaneous)",
    "oral": "By mouth (oral)",
    "intranasal": "Into the nose (intranasal)",
    "inhaled": "Breathed in (inhaled)",
    "transdermal": "Through the skin (transdermal)",
    "other": "Another way",
}

CELL_TYPE_NAMES = {
    "msc": "Mesenchymal stem cells (MSC)",
    "msc_derived": "Products made from MSCs, such as exosomes",
    "neural": "Nerve stem or progenitor cells (neural)",
    "hematopoietic": "Blood-forming or bone-marrow cells (hematopoietic)",
    "immune": "Immune cells",
    "other_cell": "Other cells",
}

CELL_SOURCE_NAMES = {
    "bone_marrow": "Bone marrow",
    "adipose": "Fat tissue (adipose)",
    "umbilical_cord": "Umbilical cord",
    "placenta": "Placenta",
    "dental_pulp": "Tooth pulp (dental pulp)",
    "peripheral_blood": "Blood",
    "fetal_tissue": "Fetal tissue",
    "embryonic": "Embryonic stem cells",
    "ipsc": "Stem cells made from adult cells (iPSC)",
    "other": "Another tissue",
    "unspecified": "Not stated",
}

DONOR_NAMES = {
    "autologous": "The patient's own cells (autologous)",
    "allogeneic": "Cells from another person (allogeneic)",
    "unspecified": "Not stated",
}

SEX_NAMES = {
    Sex.ALL: "All sexes",
    Sex.FEMALE: "Female only",
    Sex.MALE: "Male only",
}

# The labels a study page explains, each as the question it answers.
LABEL_FIELDS = (
    ("routes", "How it is given", ROUTE_NAMES),
    ("cell_types", "What kind of cells", CELL_TYPE_NAMES),
    ("cell_sources", "Where the cells come from", CELL_SOURCE_NAMES),
    ("donors", "Whose cells", DONOR_NAMES),
)

# Record paths (list indexes removed) in the words a reader would use.
FIELD_NAMES = {
    "briefTitle": "the title",
    "officialTitle": "the official title",
    "acronym": "the short name",
    "briefSummary": "the summary",
    "detailedDescription": "the detailed description",
    "interventions.name": "the intervention name",
    "interventions.description": "the intervention description",
    "interventions.otherNames": "another name of the intervention",
    "interventions.type": "the intervention type",
    "armGroups.label": "a study group's name",
    "armGroups.description": "a study group's description",
    "armGroups.interventionNames": "a study group's treatments",
    "conditions": "the conditions",
    "keywords": "the keywords",
    "phases": "the phase list",
    "eligibilityCriteria": "the eligibility criteria",
    "statusVerifiedDate": "the date the status was last checked",
    "completionDateStruct.date": "the completion date",
}

KM_PER_MILE = 1.609344

GUIDANCE_URL = (
    "https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
    "important-patient-and-consumer-information-about-regenerative-medicine-therapies"
)


def name_of(names: dict, code: str) -> str:
    """The plain name of a code; a code the registry added since gets a readable fallback."""
    return names.get(code) or code.replace("_", " ").capitalize()


def names_of(names: dict, codes) -> list[str]:
    return [name_of(names, code) for code in codes]


def status_name(code: str, missing: str = "") -> str:
    """A study's or a site's status in plain words; `missing` when the record gives none."""
    return name_of(STATUS_NAMES, code) if code else missing


def describe_field(path: str) -> str:
    """'protocolSection.armsInterventionsModule.interventions[0].description' → 'the intervention description'."""
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    return FIELD_NAMES.get(".".join(parts[-2:])) or FIELD_NAMES.get(parts[-1]) or "the record"


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


# Ages and dates


def age_range(minimum: float | None, maximum: float | None) -> str:
    """'18 to 75 years', '18 years and older', 'Up to 17 years', '6 months to 17 years'."""
    low = _age(minimum) if minimum else None
    high = _age(maximum) if maximum else None
    if low and high:
        if low[1] == high[1]:
            return f"{low[0]} to {_unit(high)}"
        return f"{_unit(low)} to {_unit(high)}"
    if low:
        return f"{_unit(low)} and older"
    if high:
        return f"Up to {_unit(high)}"
    return "No age limits stated"


def _age(years: float) -> tuple[int, str]:
    """An age in the largest whole unit that states it exactly."""
    for unit, per_year in (("year", 1), ("month", 12), ("week", 365.25 / 7), ("day", 365.25)):
        amount = years * per_year
        if abs(amount - round(amount)) < 1e-6 * per_year:
            return round(amount), unit
    return round(years * 365.25), "day"


def _unit(age: tuple[int, str]) -> str:
    amount, unit = age
    return f"{amount} {unit}" + ("" if amount == 1 else "s")


def registry_date(record: dict, path: str, value: datetime.date | None) -> str:
    """A stored date as the record gave it: 'December 2023' when it named only the month."""
    if value is None:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}", str(_at(record, path) or "")):
        return value.strftime("%B %Y")
    return f"{value.day} {value:%B %Y}"


def _at(record, path: str):
    """The value at a dotted record path such as 'protocolSection.statusModule.statusVerifiedDate'."""
    value = record
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


# Warnings


@dataclass(frozen=True)
class Evidence:
    where: str  # "the summary"
    phrase: str


@dataclass(frozen=True)
class ShownWarning:
    kind: str  # "out_of_date" or "pays": also the CSS hook
    title: str
    message: str
    quotes: tuple[Evidence, ...] = ()
    link: str = ""


def warnings(study, today: datetime.date) -> list[ShownWarning]:
    """The protective warnings for a study, each with the evidence behind it.

    Reads only overall_status, status_verified_date, completion_date, pays_flag and
    flag_evidence, so a list of results can load just those. Dates are named by month: the
    registry verifies statuses by the month, and a month reads more easily.
    """
    shown = []
    stale = flags.out_of_date(study, today)
    if stale:
        reasons = []
        for item in stale:
            when = f"{item['date']:%B %Y}"
            if item["field"] == flags.STATUS_VERIFIED_FIELD:
                reasons.append(f"its status was last checked in {when}, more than two years ago")
            else:
                reasons.append(f"its completion date, {when}, has passed")
        message = (
            f"The record says “{Status(study.overall_status).label}”, but {' and '.join(reasons)}. "
            "Ask the study team whether it is still open before you plan anything."
        )
        shown.append(ShownWarning("out_of_date", "Status may be out of date", message))
    pays = study.flag_evidence.get("pays") if study.pays_flag and isinstance(study.flag_evidence, dict) else None
    if pays:
        shown.append(
            ShownWarning(
                "pays",
                "Participants may be asked to pay",
                "The record’s own words suggest that people pay for the treatment:",
                quotes=tuple(_evidence(item) for item in _items(pays)),
                link=GUIDANCE_URL,
            )
        )
    return shown


def _evidence(item: dict) -> Evidence:
    return Evidence(describe_field(str(item.get("field", ""))), str(item.get("phrase", "")))


# Labels


@dataclass(frozen=True)
class Quotes:
    where: str  # "the detailed description"
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    quotes: tuple[Quotes, ...]  # by field, in the order the labeller found them


@dataclass(frozen=True)
class LabelGroup:
    field: str
    question: str
    labels: tuple[Label, ...]


# More than a few quotes per label repeat each other ("the title says 'Mesenchymal'"...).
MAX_QUOTES_PER_LABEL = 3


def label_groups(study) -> list[LabelGroup]:
    """The study's labels with the record's words behind each, for the fields it has labels in."""
    evidence = study.label_evidence if isinstance(study.label_evidence, dict) else {}
    groups = []
    for field, question, names in LABEL_FIELDS:
        by_code = evidence.get(field) if isinstance(evidence.get(field), dict) else {}
        labels = tuple(
            Label(code, name_of(names, code), _quotes(_evidence(item) for item in _items(by_code.get(code))))
            for code in getattr(study, field)
        )
        if labels:
            groups.append(LabelGroup(field, question, labels))
    return groups


def _quotes(evidence) -> tuple[Quotes, ...]:
    """The first few distinct phrases, grouped by the field they are in."""
    by_field: dict[str, list[str]] = {}
    for item in tuple(dict.fromkeys(evidence))[:MAX_QUOTES_PER_LABEL]:
        by_field.setdefault(item.where, []).append(item.phrase)
    return tuple(Quotes(where, tuple(phrases)) for where, phrases in by_field.items())


def _items(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# Registry text: the small part of CommonMark the registry uses (paragraphs, nested lists).


@dataclass(frozen=True)
class Item:
    text: str
    children: tuple["Item", ...] = ()


@dataclass(frozen=True)
class Block:
    """A paragraph (text) or a list (items)."""

    text: str = ""
    items: tuple[Item, ...] = ()
    numbered: bool = False

    @property
    def is_label(self) -> bool:
        """A short line ending in a colon, like 'ALS participants:', introduces what follows."""
        return bool(self.text) and self.text.endswith(":") and len(self.text) <= 80


# "* item", "- item", "1. item", "a) item", and "1.Item" as some records write it.
_LIST_ITEM = re.compile(
    r"^(?P<indent>\s*)(?:(?P<bullet>[*+•-])\s+|(?P<number>\d{1,3}[.)](?:\s+|(?=[A-Za-z]))|[a-z][.)]\s+))(?P<text>.*)$"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~=])")  # the registry escapes markdown characters
_EMPHASIS = re.compile(r"\*\*|__")


def text_blocks(text: str) -> list[Block]:
    """Registry markdown as paragraphs and lists; soft line breaks join, as in markdown."""
    blocks, paragraph, entries = [], [], []
    numbered = after_blank = False

    def flush():
        nonlocal paragraph, entries
        if paragraph:
            blocks.append(Block(text=_clean(" ".join(paragraph))))
        if entries:
            blocks.append(Block(items=_nest(entries), numbered=numbered))
        paragraph, entries = [], []

    for line in text.splitlines():
        if not line.strip():
            after_blank = True
            if paragraph:  # a blank line ends a paragraph, but a list may go on after one
                flush()
            continue
        item = _LIST_ITEM.match(line)
        if item:
            if paragraph or not entries:
                flush()
                numbered = bool(item["number"])
            entries.append([len(item["indent"].expandtabs(4)), item["text"].strip()])
        elif entries and (not after_blank or line[:1].isspace()):
            entries[-1][1] += " " + line.strip()  # a wrapped or indented continuation of the item
        else:
            if entries:
                flush()
            paragraph.append(line.strip())
        after_blank = False
    flush()
    return blocks


def _nest(entries: list[list]) -> tuple[Item, ...]:
    """Flat (indent, text) entries → items whose deeper-indented followers are their children."""
    root: list = []
    stack = [(-1, root)]
    for indent, text in entries:
        while indent <= stack[-1][0]:
            stack.pop()
        children: list = []
        stack[-1][1].append((text, children))
        stack.append((indent, children))

    def freeze(nodes):
        return tuple(Item(_clean(text), freeze(children)) for text, children in nodes)

    return freeze(root)


def _clean(text: str) -> str:
    return _EMPHASIS.sub("", _ESCAPE.sub(r"\1", text)).strip()


# Eligibility criteria


@dataclass(frozen=True)
class CriteriaSection:
    kind: str  # "inclusion", "exclusion", or "other" when the record has no such headings
    title: str  # the record's own heading when it says more than "Inclusion Criteria"
    blocks: tuple[Block, ...]


# "Inclusion Criteria:", "Key Part A Exclusion Criteria:", "Inclusion:", "Exclusion criteria for part 2"
_HEADING = re.compile(
    r"^[#*\s]*(?P<title>(?:[\w/()-]+\s+){0,4}?(?P<kind>inclusion|exclusion)\b[^:\n]{0,60}?)[*\s]*"
    r"(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_PLAIN_HEADING = re.compile(r"(?:inclusion|exclusion)(?:\s+criteria)?", re.IGNORECASE)
# Some records run everything into one line: "Inclusion Criteria: a; b. Exclusion Criteria: c".
_INLINE_HEADING = re.compile(r"(?<=[.;])[ \t]+(?=(?:key\s+)?(?:inclusion|exclusion)\s+criteria\s*:)", re.IGNORECASE)


def split_criteria(text: str) -> list[CriteriaSection]:
    """Eligibility criteria as inclusion and exclusion sections, in the record's order.

    Without headings the whole text is one "other" section. Text before the first heading is
    kept as its own "other" section, unless the record has only an exclusion heading: then what
    comes before it is the inclusion criteria.
    """
    sections: list[tuple[str, str, list[str]]] = [("other", "", [])]
    for line in _INLINE_HEADING.sub("\n", text or "").splitlines():
        heading = None if _LIST_ITEM.match(line) else _HEADING.match(line)
        if heading and (heading["rest"] is not None or "criteria" in heading["title"].lower()):
            title, body = _heading_title(heading)
            sections.append((heading["kind"].lower(), title, body))
        else:
            sections[-1][2].append(line)
    kinds = {kind for kind, _, _ in sections}
    if "exclusion" in kinds and "inclusion" not in kinds:
        sections[0] = ("inclusion", "", sections[0][2])
    result = []
    for kind, title, lines in sections:
        blocks = tuple(text_blocks("\n".join(lines)))
        if any(not block.is_label for block in blocks):
            result.append(CriteriaSection(kind, title, blocks))
    return result


def _heading_title(heading: re.Match) -> tuple[str, list[str]]:
    """The heading's own words worth showing, and the criteria written on the same line."""
    title = _clean(heading["title"])
    rest = _clean(heading["rest"] or "")
    if ";" in rest:  # "Inclusion Criteria: aged 18 or over; ALS diagnosis"
        return _plain_title(title), [f"* {part.strip()}" for part in rest.split(";") if part.strip()]
    if len(rest) > 60:
        return _plain_title(title), [rest]
    if rest:  # "Key Inclusion Criteria: Part A and B"
        return f"{title}: {rest}", []
    return _plain_title(title), []


def _plain_title(title: str) -> str:
    return "" if _PLAIN_HEADING.fullmatch(title) else title


# Sites and contacts


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    phone: str
    phone_href: str  # "" when the phone text has no number to dial
    email: str
    email_href: str


@dataclass(frozen=True)
class ShownSite:
    facility: str
    place: str
    country: str
    status: str
    is_open: bool
    contacts: tuple[Contact, ...]
    distance_km: float | None = None

    @property
    def distance_miles(self) -> float | None:
        return None if self.distance_km is None else self.distance_km / KM_PER_MILE


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def contacts(items) -> tuple[Contact, ...]:
    """Contacts as stored by trials.parsing, with tel: and mailto: links when they are usable."""
    shown = []
    for item in _items(items):
        phone, extension, email = (str(item.get(key) or "").strip() for key in ("phone", "phone_ext", "email"))
        digits = re.sub(r"[^\d+]", "", phone)
        if extension.startswith("+"):
            # Some records put the country code in phoneExt ("+33" in NCT06171568): show it, dial as given.
            phone, extension = f"{extension} {phone}", ""
        extension_digits = re.sub(r"\D", "", extension)
        phone_href = f"tel:{digits}" + (f";ext={extension_digits}" if extension_digits else "") if digits else ""
        shown.append(
            Contact(
                name=str(item.get("name") or "").strip(),
                role=str(item.get("role") or "").replace("_", " ").capitalize(),
                phone=f"{phone} ext. {extension}" if extension else phone,
                phone_href=phone_href,
                email=email,
                email_href=f"mailto:{email}" if _EMAIL.fullmatch(email) else "",
            )
        )
    return tuple(shown)


def shown_sites(sites, origin=None) -> list[ShownSite]:
    """Sites nearest `origin` (anything with latitude and longitude) first, else open sites first."""
    shown = [
        ShownSite(
            facility=site.facility,
            place=", ".join(part for part in (site.city, site.state, site.postal_code, site.country) if part),
            country=site.country,
            status=status_name(site.status),
            is_open=is_open(site.status),
            contacts=contacts(site.contacts),
            distance_km=distance_km(origin, site) if origin else None,
        )
        for site in sites
    ]
    if origin:
        return sorted(shown, key=lambda site: (site.distance_km is None, site.distance_km or 0))
    return sorted(shown, key=lambda site: (not site.is_open, site.country, site.place))


def distance_km(origin, site) -> float | None:
    """Great-circle (haversine) distance; None when the registry gave the site no coordinates."""
    if site.latitude is None or site.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (origin.latitude, origin.longitude, site.latitude, site.longitude))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def countries(sites: list[ShownSite]) -> list[str]:
    """Site countries, most sites first."""
    counts: dict[str, int] = {}
    for site in sites:
        if site.country:
            counts[site.country] = counts.get(site.country, 0) + 1
    return sorted(counts, key=lambda country: (-counts[country], country))


# The whole page


@dataclass(frozen=True)
class Intervention:
    name: str
    kind: str
    other_names: tuple[str, ...]


def study_page(study, sites, today: datetime.date) -> dict:
    """Everything the study page shows beyond the Study itself; `sites` are ShownSites, in order."""
    status = study.overall_status
    return {
        "warnings": warnings(study, today),
        "status_name": status_name(status, "Not stated"),
        "status_is_open": is_open(status),
        "phase_names": names_of(PHASE_NAMES, study.phases),
        "route_names": names_of(ROUTE_NAMES, study.routes),
        "interventions": [
            Intervention(
                str(item.get("name") or "Not named"),
                name_of({}, str(item.get("type") or "")),
                tuple(item.get("other_names") or ()),
            )
            for item in _items(study.interventions)
        ],
        "ages": age_range(study.minimum_age_years, study.maximum_age_years),
        "sex_name": name_of(SEX_NAMES, study.sex) if study.sex else "Not stated",
        "summary": text_blocks(study.brief_summary),
        "description": text_blocks(study.detailed_description),
        "criteria": split_criteria(study.eligibility_criteria),
        "central_contacts": contacts(study.central_contacts),
        "sites": sites,
        "open_site_count": sum(site.is_open for site in sites),
        "countries": countries(sites),
        "label_groups": label_groups(study),
        "start_date": registry_date(study.raw, "protocolSection.statusModule.startDateStruct.date", study.start_date),
        "completion_date": registry_date(
            study.raw, "protocolSection.statusModule.completionDateStruct.date", study.completion_date
        ),
        "completion_type": _at(study.raw, "protocolSection.statusModule.completionDateStruct.type"),
        "verified_date": registry_date(
            study.raw, flags.STATUS_VERIFIED_FIELD, study.status_verified_date
        ),
    }
