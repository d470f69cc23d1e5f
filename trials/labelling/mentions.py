"""Which words of a record speak of what the study gives: its mentions, and whether each counts.

A mention is a term of the vocabulary found in a passage. TAXONOMY.md counts only the study's
own interventions, so a mention counts when its clause is about what the study gives: not who
may join, not earlier research (in summaries and descriptions; though what it says the study's
own named product is still counts), not the care participants get anyway, not a measurement,
not a harvest, not biology. What the record's design says decides the rest: a device study's
route words need something given; "adult" cells are someone else's only when the participants
are children.
"""

import functools
import re
import string
from dataclasses import dataclass
from typing import NamedTuple

from trials.labelling import cues
from trials.labelling.scanner import Scanner
from trials.labelling.text import Clause, Clauses, Passage, Role, inclusion_criteria, items, mapping
from trials.labelling.vocabulary import ABBREVIATIONS, WORDS, Term, Trait

_WORDS = Scanner(WORDS, lowercase=True, word_start=True)
# Lower-case letters may lead an abbreviation ("hUC-MSC", "aUCMSC"); capitals and digits may not ("HIV").
_ABBREVIATION_TERMS = frozenset(map(id, ABBREVIATIONS))  # terms hold dicts: known by identity
_ABBREVIATIONS = Scanner(ABBREVIATIONS, lowercase=False, not_after=string.ascii_uppercase + string.digits)
# Eligibility criteria are read only for a protocol's immunosuppression of the graft.
_GRAFT_PROTECTION = Scanner(
    [term for term in WORDS if term.traits & Trait.IMMUNOSUPPRESSION], lowercase=True, word_start=True
)

# Intervention types that put a product into the body; a study with none of them (devices,
# behaviour, procedures) has a route only where its text says something is given.
_PRODUCT_KINDS = frozenset({"DRUG", "BIOLOGICAL", "GENETIC", "COMBINATION_PRODUCT", "DIETARY_SUPPLEMENT"})
_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*(year|month|week|day)", re.IGNORECASE)
_DAYS = {"year": 365.25, "month": 30.44, "week": 7.0, "day": 1.0}
_ADULT_DAYS = 18 * 365.25
_NEGATION_WINDOW = 45
_CONTEXT_WORDS = 3
_REJECT_WINDOW = 30
_NAME_LENGTH = 4
_MSC_WORDS = ("mesenchymal", "stromal")
_DEFINITION_REACH = 60  # characters before an abbreviation's bracket where the words it stands for end


@dataclass
class Design:
    """What the record's design says about how to read its text."""

    observational: bool  # gives nothing, unless its text says the study gives it
    gives_product: bool  # a drug, biological or supplement, or types not stated
    behavioural: bool  # food and diet words there describe a programme, not a product
    minors_only: bool  # "adult" cells given to children come from someone else
    record_passages: list[Passage]

    @classmethod
    def of(cls, protocol: dict, record_passages: list[Passage]) -> "Design":
        kinds = {
            intervention.get("type")
            for intervention in items(mapping(protocol, "armsInterventionsModule").get("interventions"))
            if isinstance(intervention, dict) and isinstance(intervention.get("type"), str)
        }
        observational = mapping(protocol, "designModule").get("studyType") == "OBSERVATIONAL"
        maximum_age = mapping(protocol, "eligibilityModule").get("maximumAge")
        return cls(
            observational=observational,
            gives_product=not observational and (not kinds or bool(kinds & _PRODUCT_KINDS)),
            behavioural="BEHAVIORAL" in kinds,
            minors_only=_days(maximum_age) < _ADULT_DAYS,
            record_passages=record_passages,
        )

    @functools.cached_property
    def intervention_names(self) -> tuple[str, ...]:
        """The interventions' names, lower-cased; not placebos, nor names too short to tell apart."""
        return tuple(
            passage.lowered
            for passage in self.record_passages
            if passage.role is Role.INTERVENTION
            and not passage.path.endswith(".description")
            and len(passage.lowered) >= _NAME_LENGTH
            and "placebo" not in passage.lowered
        )

    def names_an_intervention(self, clause: Clause) -> bool:
        return any(name in clause.text for name in self.intervention_names)

    def defines_an_intervention(self, clause: Clause) -> bool:
        """The clause says what one of the interventions is, naming it after in brackets: "... (lenzumestrocel)"."""
        return any(f"({name}" in clause.text for name in self.intervention_names)

    @functools.cached_property
    def own_care_drugs(self) -> frozenset[str]:
        """Standard ALS drugs that are this study's own interventions (looked up only when one is named)."""
        return frozenset(
            found[0]
            for passage in self.record_passages
            if passage.role in (Role.INTERVENTION, Role.TITLE)
            for found in cues.STANDARD_CARE_DRUGS.finditer(passage.lowered)
        )


def _days(age) -> float:
    match = _AGE.search(age) if isinstance(age, str) else None
    return float(match[1]) * _DAYS[match[2].lower()] if match else float("inf")


class Mention(NamedTuple):
    term: Term
    passage: Passage
    clause: Clause
    start: int
    end: int

    @property
    def phrase(self) -> str:
        """The matched words and a few either side, within their clause: what a reader checks."""
        text, clause = self.passage.text, self.clause
        start, end = self.start, self.end
        while start > clause.start and not text[start - 1].isspace():
            start -= 1
        while end < clause.end and not text[end].isspace():
            end += 1
        before = text[clause.start : start].split()[-_CONTEXT_WORDS:]
        after = text[end : clause.end].split()[:_CONTEXT_WORDS]
        return " ".join([*before, text[start:end], *after])

    @property
    def traits(self) -> int:
        return self.term.traits

    def code(self, label_field: str) -> str | None:
        return self.term.labels.get(label_field)


def counted_mentions(protocol: dict, record_passages: list[Passage]) -> list[Mention]:
    """The mentions of a record that speak of what the study gives, in passage order."""
    design = Design.of(protocol, record_passages)
    found = _mentions(record_passages, (_WORDS, _ABBREVIATIONS)) + _mentions(
        [p for p in inclusion_criteria(protocol) if "immuno" in p.lowered], (_GRAFT_PROTECTION,)
    )
    defined = _defined_abbreviations(found)
    if defined:
        found = [m for m in found if id(m.term) not in _ABBREVIATION_TERMS or _token(m) not in defined]
    cell_clauses = {id(m.clause) for m in found if m.code("cell_types")}
    return [m for m in found if _counts(m, design, cell_clauses)]


def _token(mention: Mention) -> str:
    """The whole word an abbreviation was found in, singular: "UCBMSC" for the "MSC" in "UCBMSCs"."""
    text, start, end = mention.passage.text, mention.start, mention.end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "-"):
        end += 1
    return text[start:end].removesuffix("s")


def _defined_abbreviations(found: list[Mention]) -> set[str]:
    """Cell abbreviations the record defines in brackets after cell words whose initials they spell:
    "umbilical cord blood mononuclear stem cells (UCBMSCs)". Such an abbreviation means those words,
    which are read on their own, whatever a part of it would mean elsewhere ("MSC")."""
    defined = set()
    for mention in found:
        if id(mention.term) not in _ABBREVIATION_TERMS or not mention.code("cell_types"):
            continue
        token, text = _token(mention), mention.passage.text
        opening = text.rfind("(", 0, mention.start)
        if opening < 0 or not text.startswith(token, opening + 1):
            continue
        named = any(
            m.passage is mention.passage and m.code("cell_types") and opening - _DEFINITION_REACH <= m.end <= opening
            for m in found
        )
        # Words that call the cells mesenchymal or stromal make them MSCs whatever else they say
        # ("mesenchymal bone marrow stem cells (MSC)"): the abbreviation then agrees with them.
        says_msc = any(word in mention.passage.lowered[max(0, opening - _DEFINITION_REACH) : opening] for word in _MSC_WORDS)
        if named and not says_msc and _spells(token, text[:opening]):
            defined.add(token)
    return defined


def _spells(abbreviation: str, before: str) -> bool:
    """Whether the abbreviation's letters are, in order, initials of the last words of `before`
    (words may be skipped: "bone marrow derived mesenchymal stem cells (BM-MSCs)")."""
    letters = [c.lower() for c in abbreviation if c.isalpha()]
    words = re.findall(r"[^\W\d_]+", before)[-2 * len(letters) :]
    if not words or words[-1][0].lower() != letters[-1]:
        return False
    for word in reversed(words):
        if letters and word[0].lower() == letters[-1]:
            letters.pop()
    return not letters


def _mentions(record_passages: list[Passage], scanners: tuple[Scanner, ...]) -> list[Mention]:
    found = []
    scanned: dict[str, tuple[list, Clauses | None]] = {}  # arms often repeat an intervention's words
    for passage in record_passages:
        if passage.text not in scanned:
            lowered = passage.lowered
            hits = [
                (term, start, end)
                for scanner in scanners
                for term, start, end in scanner.finditer(lowered if scanner.lowercase else passage.text)
                if not (
                    term.reject_before and term.reject_before.search(lowered[max(0, start - _REJECT_WINDOW) : start])
                )
            ]
            scanned[passage.text] = (hits, Clauses(passage) if hits else None)
        hits, clauses = scanned[passage.text]
        found.extend(Mention(term, passage, clauses.at(start), start, end) for term, start, end in hits)
    return found


def _counts(mention: Mention, design: Design, cell_clauses: set[int]) -> bool:
    """Whether the mention speaks of what this study gives."""
    role, clause = mention.passage.role, mention.clause
    if role is Role.ELIGIBILITY:
        # "Able to tolerate the immunosuppression regimen": the protocol protects a graft.
        return True
    if cues.NEGATION.search(clause.before(mention.start)[-_NEGATION_WINDOW:]):
        return False
    if clause.has(cues.ELIGIBILITY):
        return False
    if role is Role.NARRATIVE and clause.has(cues.BACKGROUND):
        # Earlier research does not count, except for what it says the study's own product is
        # ("earlier trials of autologous BM-MSCs (lenzumestrocel) showed..."), not how it was given then.
        if mention.term.field == "routes" or not design.defines_an_intervention(clause):
            return False
    if design.observational and not clause.has(cues.STUDY_GIVES):
        return False  # it gives nothing but what it says it gives: no care received, no cells collected
    if mention.term.field == "routes":
        return _route_counts(mention, design)
    return _cell_mention_counts(mention, design, cell_clauses)


def _about_this_study(clause: Clause, design: Design) -> bool:
    """The clause says the study gives something, calls it investigational, or names an intervention."""
    return clause.has(cues.STUDY_GIVES) or "investigational" in clause.text or design.names_an_intervention(clause)


def _route_counts(mention: Mention, design: Design) -> bool:
    clause, traits = mention.clause, mention.traits
    if clause.has(cues.CONCOMITANT, cues.MEASUREMENT):
        return False
    if clause.cue(cues.STANDARD_CARE) and _route_of_care(mention, design):
        return False  # "patients on riluzole 50 mg tablets twice daily"
    needs_giving = traits & Trait.NEEDS_ADMIN or not design.gives_product or clause.has(cues.HARVEST)
    if needs_giving and not clause.has(cues.ADMINISTRATION, cues.STUDY_GIVES):
        return False
    if traits & Trait.NEEDS_ADMIN and clause.has(cues.CSF_SAMPLING):
        return False
    if traits & Trait.DIETARY:
        in_programme = mention.passage.role is Role.NARRATIVE and design.behavioural
        return not (in_programme or "BEHAVIORAL" in mention.passage.kinds)
    return True


def _route_of_care(mention: Mention, design: Design) -> bool:
    """The route word is nearer a standard ALS drug that the participants keep than any of the study's
    interventions: not "in addition to riluzole, patients receive drug X intravenously"."""
    text = mention.clause.text
    start, end = mention.start - mention.clause.start, mention.end - mention.clause.start

    def distance(at: int, length: int) -> int:
        return max(at - end, start - (at + length), 0)

    care = [
        distance(found.start(), len(found[0]))
        for found in cues.STANDARD_CARE_DRUGS.finditer(text)
        if found[0] not in design.own_care_drugs
    ]
    own = [distance(text.find(name), len(name)) for name in design.intervention_names if name in text]
    return bool(care) and (not own or min(care) <= min(own))


def _cell_mention_counts(mention: Mention, design: Design, cell_clauses: set[int]) -> bool:
    clause, traits = mention.clause, mention.traits
    prior = clause.cue(cues.PRIOR_EVENT)
    if prior and prior[0] <= mention.start - clause.start < prior[1]:
        return False
    narrative = mention.passage.role is Role.NARRATIVE
    if traits & Trait.NEEDS_PRODUCT:
        if clause.has(cues.MECHANISM):
            return False
        if narrative and not clause.has(cues.PRODUCT, cues.ADMINISTRATION, cues.HARVEST):
            return False
    if traits & Trait.GENERIC and narrative and not _about_this_study(clause, design):
        return False  # "stem cell therapy is being investigated in ALS": not this study's product
    if traits & Trait.ADULT_CELLS and not design.minors_only:
        return False
    if mention.term.field == "cell_sources":
        # A tissue is a source beside cells ("placental delivery" is not), or where it is
        # harvested for them ("bone marrow will be aspirated"), but not sampled for a test.
        beside_cells = id(clause) in cell_clauses or "cell" in clause.text
        return beside_cells or (clause.has(cues.HARVEST) and not clause.has(cues.MEASUREMENT))
    return True
