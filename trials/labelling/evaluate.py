"""Score the labeller against reference labels, beside the naive keyword baseline.

    python -m trials.labelling.evaluate [--diff]                    # the two reference sets
    python -m trials.labelling.evaluate [--diff] --labels CSV [DIR ...]

With no --labels it scores both reference sets in turn: the development set
(data/ctgov/dev/labels.csv, over the records in dev/ and records/) and the validation set
(data/ctgov/validation/). Another set's records are read from DIRs, by default the folder of its
CSV. Precision, recall and F1 are micro-averaged over label codes: every (study, code) pair is
one decision.
"""

import argparse
import csv
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from trials.labelling.labels import StudyLabels
from trials.labelling.naive import naive_label_study
from trials.labelling.rules import label_study
from trials.datafiles import CTGOV_DATA_DIR
from trials.labelling.vocabulary import LABEL_FIELDS
from trials.records import read_records

Reference = dict[str, dict[str, frozenset[str]]]  # nct_id -> field -> codes


def default_paths() -> tuple[Path, list[Path]]:
    """The development set: its labels and its record folders."""
    return CTGOV_DATA_DIR / "dev" / "labels.csv", [CTGOV_DATA_DIR / "dev", CTGOV_DATA_DIR / "records"]


VALIDATION_DIR = CTGOV_DATA_DIR / "validation"


@dataclass(frozen=True)
class ReferenceSet:
    name: str
    labels: Path
    dirs: list[Path]


def reference_sets() -> list[ReferenceSet]:
    development_labels, development_dirs = default_paths()
    return [
        ReferenceSet("development", development_labels, development_dirs),
        ReferenceSet("validation", VALIDATION_DIR / "labels.csv", [VALIDATION_DIR]),
    ]


def read_reference(path: Path) -> Reference:
    with open(path, newline="", encoding="utf-8") as file:
        return {
            row["nct_id"]: {name: frozenset(code for code in row[name].split("|") if code) for name in LABEL_FIELDS}
            for row in csv.DictReader(file)
        }


def read_studies(dirs: Iterable[Path]) -> dict[str, dict]:
    """The readable records under `dirs` by NCT id (the reference names them so)."""
    return {
        result.record["protocolSection"]["identificationModule"]["nctId"]: result.record
        for result in read_records(dirs)
        if result.record is not None
    }


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Evaluation:
    scores: dict[str, Score]
    exact: int
    total: int
    differences: list[str]


def evaluate(labeller: Callable[[dict], StudyLabels], studies: dict[str, dict], reference: Reference) -> Evaluation:
    scores = {name: Score() for name in LABEL_FIELDS}
    exact, differences = 0, []
    for nct_id in sorted(reference.keys() & studies.keys()):
        labels = labeller(studies[nct_id])
        matches = True
        for name in LABEL_FIELDS:
            got, expected = set(getattr(labels, name)), reference[nct_id][name]
            score = scores[name]
            score.true_positives += len(got & expected)
            score.false_positives += len(got - expected)
            score.false_negatives += len(expected - got)
            if got != expected:
                matches = False
                differences.append(f"{nct_id} {name}: got {sorted(got)}, expected {sorted(expected)}")
        exact += matches
    return Evaluation(scores, exact, len(reference.keys() & studies.keys()), differences)


def table(results: dict[str, Evaluation]) -> str:
    names = list(results)
    lines = [f"{'':14}" + "".join(f"{name:^24}" for name in names)]
    lines.append(f"{'field':14}" + f"{'P':>8}{'R':>8}{'F1':>8}" * len(names))
    for field in LABEL_FIELDS:
        cells = "".join(
            f"{s.precision:8.3f}{s.recall:8.3f}{s.f1:8.3f}" for s in (results[name].scores[field] for name in names)
        )
        lines.append(f"{field:14}{cells}")
    lines.append(f"{'exact match':14}" + "".join(f"{f'{r.exact}/{r.total}':>24}" for r in results.values()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="record directories or files (default: the CSV's folder)")
    parser.add_argument("--labels", type=Path, help="reference labels CSV (default: both reference sets)")
    parser.add_argument("--diff", action="store_true", help="list every label that differs from the reference")
    args = parser.parse_args(argv)
    if args.labels:
        sets = [ReferenceSet(str(args.labels), args.labels, args.dirs or [args.labels.parent])]
    elif args.dirs:
        parser.error("record folders need --labels")
    else:
        sets = reference_sets()

    paths = [path for reference_set in sets for path in (reference_set.labels, *reference_set.dirs)]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        print(f"missing: {', '.join(missing)}", file=sys.stderr)
        return 2
    status = 0
    for i, reference_set in enumerate(sets):
        if i:
            print()
        status = max(status, report(reference_set, args.diff))
    return status


def report(reference_set: ReferenceSet, diff: bool) -> int:
    """Prints one set's scores (and differences); 1 when a reference study has no record."""
    reference = read_reference(reference_set.labels)
    studies = read_studies(reference_set.dirs)
    results = {
        "labeller": evaluate(label_study, studies, reference),
        "naive": evaluate(naive_label_study, studies, reference),
    }
    print(f"{reference_set.name} set: {results['labeller'].total} studies")
    print(table(results))
    if diff:
        print("\n".join(["", *results["labeller"].differences]))
    unlabelled = sorted(reference.keys() - studies.keys())
    if unlabelled:
        print(f"no record for {len(unlabelled)} reference studies: {', '.join(unlabelled)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
