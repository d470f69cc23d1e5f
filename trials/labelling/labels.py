"""A study's labels and the evidence behind each: what the labeller returns."""

from dataclasses import dataclass, field

from trials.labelling.vocabulary import LABEL_FIELDS

# Evidence items kept per label: enough to show why, few enough to store on every study.
EVIDENCE_PER_LABEL = 3


@dataclass(frozen=True)
class StudyLabels:
    nct_id: str | None
    phases: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    cell_types: tuple[str, ...] = ()
    cell_sources: tuple[str, ...] = ()
    donors: tuple[str, ...] = ()
    # field -> {code: [{"field": "<dotted record path>", "phrase": "<the words>"}, ...]}
    evidence: dict = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        """The JSON line `label_studies` prints."""
        return {"nct_id": self.nct_id, **self._codes(), "evidence": self.evidence}

    def as_columns(self) -> dict:
        """The values of the Study columns that store the labels."""
        return {**self._codes(), "label_evidence": self.evidence}

    def _codes(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in LABEL_FIELDS}


class Evidence:
    """Collects, for each label, the record fields and phrases that support it."""

    def __init__(self):
        self._items: dict[str, dict[str, list[dict]]] = {}

    def add(self, label_field: str, code: str, path: str, phrase: str) -> None:
        found = self._items.setdefault(label_field, {}).setdefault(code, [])
        item = {"field": path, "phrase": " ".join(phrase.split())}
        if len(found) < EVIDENCE_PER_LABEL and item not in found:
            found.append(item)

    def is_full(self, label_field: str, code: str) -> bool:
        return len(self._items.get(label_field, {}).get(code, ())) >= EVIDENCE_PER_LABEL

    def for_labels(self, labels: dict[str, set[str]]) -> dict:
        """The evidence of the labels kept, in the order the codes sort."""
        return {
            name: {code: self._items.get(name, {}).get(code, []) for code in sorted(codes)}
            for name, codes in labels.items()
            if codes
        }
