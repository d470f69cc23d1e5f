"""Warnings that protect people: a status that may be out of date, and a study that may charge.

Stem-cell therapy for ALS draws clinics that sell unproven treatment under the name of a
"trial", and many registry records are left unchanged for years. Each check returns its
evidence (which field, which words or which date) so the pages can say why, and an empty
list when there is nothing to warn about.

Pure functions: the pay check reads a v2 record (it runs when a study is stored); the
out-of-date check reads a Study's columns, because it depends on today's date.
"""

import datetime
import re

from trials.models import OPEN_STATUSES

# A record that still says "recruiting" but was last verified longer ago than this may be stale:
# the registry's own "Unknown status" rule uses the same two years, but waits for the
# completion date to pass too (https://clinicaltrials.gov/study-basics/glossary, "Unknown").
STALE_AFTER_YEARS = 2

STATUS_VERIFIED_FIELD = "protocolSection.statusModule.statusVerifiedDate"
COMPLETION_FIELD = "protocolSection.statusModule.completionDateStruct.date"


def stale_cutoff(today: datetime.date) -> datetime.date:
    """The date STALE_AFTER_YEARS before `today` (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - STALE_AFTER_YEARS)
    except ValueError:
        return today.replace(year=today.year - STALE_AFTER_YEARS, day=28)


def out_of_date(study, today: datetime.date) -> list[dict]:
    """Why an open study's status may be out of date: [{"field", "date"}], or [] if it is not.

    `finder.searchindex.SearchIndex.out_of_date` is the same rule over every study, for the search.
    """
    if study.overall_status not in OPEN_STATUSES:
        return []
    evidence = []
    if study.status_verified_date and study.status_verified_date < stale_cutoff(today):
        evidence.append({"field": STATUS_VERIFIED_FIELD, "date": study.status_verified_date})
    if study.completion_date and study.completion_date < today:
        evidence.append({"field": COMPLETION_FIELD, "date": study.completion_date})
    return evidence


# Where a record describes what happens to participants; the pay check reads only these.
_TEXT_PATHS = (
    ("identificationModule", "briefTitle"),
    ("identificationModule", "officialTitle"),
    ("descriptionModule", "briefSummary"),
    ("descriptionModule", "detailedDescription"),
    ("eligibilityModule", "eligibilityCriteria"),
)
_LIST_TEXT_PATHS = (
    ("armsInterventionsModule", "interventions", ("name", "description")),
    ("armsInterventionsModule", "armGroups", ("label", "description")),
)

_PERSON = r"(?:patients?|participants?|subjects?|volunteers?)"
# Words that say the participant pays. Each is matched within one sentence.
_PAYS = re.compile(
    "|".join(
        [
            rf"\b(?:{_PERSON}|self)[- ]?(?:funded|financed|paid|pay(?:ing|s)?)\b",  # patient-funded, self-pay
            r"\bout[- ]of[- ]pocket\b",
            rf"\b(?:{_PERSON}|they)\s+(?:\w+\s+){{0,2}}?(?:pay|pays|paying)\b",  # participants will pay
            rf"\b(?:{_PERSON}|they)\s+(?:will\s+be|are|is|must\s+be|may\s+be)\s+(?:charged|billed)\b",
            rf"\b(?:charged|billed)\s+to\s+(?:the\s+)?{_PERSON}",
            rf"\b(?:borne|paid|covered|funded|financed)\s+(?:for\s+)?by\s+(?:the\s+)?{_PERSON}",
            rf"\b{_PERSON}\s+(?:are|is|will\s+be)\s+(?:financially\s+)?responsible\s+for\b",
            r"\bat\s+(?:their|his\s+or\s+her|the\s+patient's|the\s+participant's)\s+own\s+(?:cost|expense)\b",
            r"\bfees?\b(?![- ]for[- ]service)",
        ]
    ),
    re.IGNORECASE,
)
# Words that say the participant does not pay, or is paid: a sentence with these never warns.
_FREE = re.compile(
    "|".join(
        [
            r"\bno\s+(?:cost|charge|fee|payment)s?\b",
            r"\bfree\s+of\s+(?:charge|cost)\b",
            r"\b(?:for|is|are|be)\s+free\b",
            rf"\bfree\s+(?:to|for)\s+(?:the\s+|all\s+)?{_PERSON}",
            r"\b(?:pay|cost)s?\s+nothing\b|\bnothing\s+to\s+pay\b",
            r"\bat\s+no\s+(?:cost|charge|expense)\b",
            r"\bwithout\s+(?:any\s+)?(?:cost|charge|fee|payment)s?\b",
            r"(?:\bnot|n't|\bnever)\s+(?:be\s+|have\s+to\s+|need\s+to\s+|be\s+asked\s+to\s+|be\s+required\s+to\s+)?"
            r"(?:charged|billed|pay|responsible)\b",
            r"\b(?:sponsor|study|company|trial|grant|institution)\s+(?:will\s+)?(?:pay|pays|covers?|bears?)\b",
            r"\b(?:paid|covered|funded|borne)\s+(?:for\s+)?by\s+(?:the\s+)?(?:sponsor|study|company|trial|grant)\b",
            rf"\b{_PERSON}\s+(?:will\s+be|are|is)\s+(?:compensated|reimbursed|paid)\b",
            r"\bstipend\b",
            r"\breceive\b[^.]{0,40}\b(?:fee|payment|compensation)\b",
            r"\bpay\s+(?:for\s+)?(?:their\s+)?(?:own\s+)?(?:travel|transport|parking|lodging|accommodation)\b",
        ]
    ),
    re.IGNORECASE,
)
# Every _PAYS pattern contains one of these; a text with none of them is skipped without
# running the regexes, which keeps the check cheap enough for every upsert.
_PAY_STEMS = ("pay", "paid", "fund", "financ", "pocket", "charge", "bill", "borne", "cover", "responsib", "cost",
              "expense", "fee")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_BULLET = re.compile(r"^\s*(?:[*\-•]|\d+[.)])\s*")
_PHRASE_LIMIT = 240


def pay_to_participate(record) -> list[dict]:
    """Where the record's own text says participants pay: [{"field", "phrase"}], or []."""
    evidence = []
    for path, text in _texts(record):
        stems = _money_stems(text)
        if not stems:
            continue
        for sentence in _SENTENCE_END.split(text):
            lowered = sentence.lower()
            if not any(stem in lowered for stem in stems):
                continue
            sentence = _BULLET.sub("", sentence).strip()
            match = _PAYS.search(sentence)
            if match and not _FREE.search(sentence):
                evidence.append({"field": path, "phrase": _phrase(sentence, match)})
    return evidence


def _money_stems(text: str) -> list[str]:
    """The _PAY_STEMS in `text`: its sentences need looking for those alone."""
    lowered = text.lower()
    return [stem for stem in _PAY_STEMS if stem in lowered]


def stored_flag_fields(record) -> dict:
    """The Study columns that keep the pay warning, so a search can filter on it in SQL."""
    evidence = pay_to_participate(record)
    return {"pays_flag": bool(evidence), "flag_evidence": {"pays": evidence} if evidence else {}}


def _texts(record):
    protocol = record.get("protocolSection") if isinstance(record, dict) else None
    if not isinstance(protocol, dict):
        return
    for module_name, key in _TEXT_PATHS:
        module = protocol.get(module_name)
        if isinstance(module, dict) and isinstance(module.get(key), str):
            yield f"protocolSection.{module_name}.{key}", module[key]
    for module_name, list_name, keys in _LIST_TEXT_PATHS:
        module = protocol.get(module_name)
        items = module.get(list_name) if isinstance(module, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            for key in keys:
                if isinstance(item, dict) and isinstance(item.get(key), str):
                    yield f"protocolSection.{module_name}.{list_name}[{i}].{key}", item[key]


def _phrase(sentence: str, match: re.Match) -> str:
    """The sentence, cut around the matched words when it is long."""
    if len(sentence) <= _PHRASE_LIMIT:
        return sentence
    middle = (match.start() + match.end()) // 2
    start = max(0, middle - _PHRASE_LIMIT // 2)
    end = start + _PHRASE_LIMIT
    return ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")
