"""A record's text, cut into the passages that can say what the study gives, and those into clauses.

Routes and cell sources live in free text (API.md §5), so the labeller reads the fields that
describe the study's interventions, each tagged with its role: the interventions and arms
are the study's own words about what it gives; titles and keywords name it; summaries and
descriptions mix it with background. Eligibility criteria only describe who may join, so they
are kept apart and read for one thing only (see mentions.py). Every module of a record is
optional, and a value of the wrong type is skipped rather than trusted.
"""

import bisect
import enum
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from trials.labelling import cues


class Role(enum.Enum):
    INTERVENTION = "intervention"
    ARM = "arm"
    TITLE = "title"
    KEYWORD = "keyword"
    NARRATIVE = "narrative"
    ELIGIBILITY = "eligibility"


class Passage(NamedTuple):
    path: str  # dotted path in the record, e.g. protocolSection.armsInterventionsModule.interventions[0].description
    text: str
    lowered: str  # `text` lower-cased, line breaks as spaces, with the same offsets (see `lower`)
    role: Role
    kinds: frozenset[str]  # intervention types it speaks of ("DRUG", ...); empty when unknown


def mapping(value, *keys) -> dict:
    """value[keys[0]][keys[1]]..., or {} wherever a step is missing or not an object."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def items(value) -> list:
    return value if isinstance(value, list) else []


def passages(protocol: dict) -> list[Passage]:
    """The passages of a record's protocolSection, the study's own words first."""
    found: list[Passage] = []

    def add(path: str, value, role: Role, kinds: frozenset[str] = frozenset()) -> None:
        if isinstance(value, str) and value.strip():
            found.append(Passage(path, value, lower(value), role, kinds))

    arms_interventions = mapping(protocol, "armsInterventionsModule")
    path = "protocolSection.armsInterventionsModule.interventions"
    for i, intervention in enumerate(items(arms_interventions.get("interventions"))):
        if isinstance(intervention, dict):
            kinds = frozenset({intervention["type"]}) if isinstance(intervention.get("type"), str) else frozenset()
            add(f"{path}[{i}].name", intervention.get("name"), Role.INTERVENTION, kinds)
            add(f"{path}[{i}].description", intervention.get("description"), Role.INTERVENTION, kinds)
            for j, other in enumerate(items(intervention.get("otherNames"))):
                add(f"{path}[{i}].otherNames[{j}]", other, Role.INTERVENTION, kinds)

    path = "protocolSection.armsInterventionsModule.armGroups"
    for i, arm in enumerate(items(arms_interventions.get("armGroups"))):
        if not isinstance(arm, dict) or arm.get("type") == "NO_INTERVENTION":
            continue  # an arm that gets nothing says nothing about what the study gives
        names = [name for name in items(arm.get("interventionNames")) if isinstance(name, str)]
        # "Drug: Riluzole" -> DRUG: the arm speaks of its interventions' types.
        kinds = frozenset(name.split(":", 1)[0].strip().upper().replace(" ", "_") for name in names if ":" in name)
        add(f"{path}[{i}].label", arm.get("label"), Role.ARM, kinds)
        add(f"{path}[{i}].description", arm.get("description"), Role.ARM, kinds)
        for j, name in enumerate(names):
            add(f"{path}[{i}].interventionNames[{j}]", name, Role.ARM, kinds)

    identification = mapping(protocol, "identificationModule")
    for key in ("briefTitle", "officialTitle"):
        add(f"protocolSection.identificationModule.{key}", identification.get(key), Role.TITLE)
    for i, keyword in enumerate(items(mapping(protocol, "conditionsModule").get("keywords"))):
        add(f"protocolSection.conditionsModule.keywords[{i}]", keyword, Role.KEYWORD)

    description = mapping(protocol, "descriptionModule")
    for key in ("briefSummary", "detailedDescription"):
        add(f"protocolSection.descriptionModule.{key}", _without_criteria(description.get(key)), Role.NARRATIVE)
    design = mapping(protocol, "designModule", "designInfo")
    path = "protocolSection.designModule.designInfo.interventionModelDescription"
    add(path, design.get("interventionModelDescription"), Role.NARRATIVE)
    return found


def _without_criteria(text):
    """The text with any list of eligibility criteria in it blanked out (offsets kept)."""
    if not isinstance(text, str) or "criteria" not in text.lower():
        return text
    return cues.CRITERIA_SECTION.sub(lambda section: " " * len(section[0]), text)


def inclusion_criteria(protocol: dict) -> list[Passage]:
    """Who may join: read apart, for the one thing criteria say about the product (mentions.py)."""
    criteria = mapping(protocol, "eligibilityModule").get("eligibilityCriteria")
    if not isinstance(criteria, str):
        return []
    inclusion = cues.EXCLUSION_HEADING.split(criteria, maxsplit=1)[0]
    path = "protocolSection.eligibilityModule.eligibilityCriteria"
    return [Passage(path, inclusion, lower(inclusion), Role.ELIGIBILITY, frozenset())]


# Where one statement ends and the next begins: a sentence end (not "e.g. riluzole"), a
# semicolon, a new line (but not a hard-wrapped line that goes on in lower case: "riluzole
# (50-mg\ntablet twice/day)"); and the phrases that start a clause about something else ("...
# intravenously in addition to standard of care"). Two simple patterns: one alternation of
# both is several times slower.
_SENTENCE_BREAK = re.compile(r"[.!?;\n](?:(?<=;)|(?<=\n)(?![ \t]*[a-z])|(?=\s+[^a-z\s]))")
_PHRASE_BREAK = re.compile(r" (?:in addition to|along with|as well as|together with|on top of|whereas|while|then)\b")


@dataclass
class Clause:
    """One clause of a passage, lower-cased, with its cues found once, when first asked for."""

    start: int
    text: str
    _cues: dict | None = field(default=None, repr=False)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def cue(self, name: str) -> tuple[int, int] | None:
        """Where the first match of the cue `name` (see cues.py) is in this clause."""
        return self._found().get(name)

    def has(self, *names: str) -> bool:
        found = self._found()
        return any(name in found for name in names)

    def _found(self) -> dict:
        if self._cues is None:
            self._cues = cues.find(self.text)
        return self._cues

    def before(self, position: int) -> str:
        """The clause's words before `position` (an offset in the passage)."""
        return self.text[: position - self.start]


class Clauses:
    """The clauses of one passage, found by the position of a mention."""

    def __init__(self, passage: Passage):
        self._lowered = passage.lowered
        breaks = sorted(
            [(b.start(), b.end()) for b in _SENTENCE_BREAK.finditer(passage.text)]
            + [(b.start(), b.start() + 1) for b in _PHRASE_BREAK.finditer(passage.lowered)]
        )
        self._starts = [0, *(end for _, end in breaks)]
        self._ends = [*(start for start, _ in breaks), len(passage.text)]
        self._made: dict[int, Clause] = {}

    def at(self, position: int) -> Clause:
        index = bisect.bisect_right(self._starts, position) - 1
        if index not in self._made:
            start = self._starts[index]
            self._made[index] = Clause(start, self._lowered[start : self._ends[index]])
        return self._made[index]


def lower(text: str) -> str:
    """Lower-cased text with the same offsets, so matches map back to the original words.

    Line breaks read as spaces: a hard-wrapped line can split any phrase ("by\nmouth").
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)  # e.g. "İ" grows
    return lowered.replace("\n", " ")
