"""How many records per second the labeller labels in one process, against the naive baseline.

    python -m benchmarks.label_speed [--copies 30] [--runs 7]

Labels many copies of the shared development corpus (dev/ and records/) and reports the median
of several runs. Time is the process's CPU time, so other work on a busy machine does not
decide the figure. The sync's whole budget is 1,500 studies/s for parsing and storing,
labelling included; the bar is 2,000 records/s and the aim 10,000.
"""

import argparse
import copy
import statistics
import sys
import time

from trials.labelling import label_study
from trials.labelling.evaluate import default_paths, read_studies
from trials.labelling.naive import naive_label_study

BAR = 2_000


def records_per_second(labeller, records: list[dict], runs: int) -> float:
    rates = []
    for _ in range(runs):
        started = time.process_time()
        for record in records:
            labeller(record)
        rates.append(len(records) / (time.process_time() - started))
    return statistics.median(rates)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30, help="copies of the corpus per run")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    _, dirs = default_paths()
    corpus = list(read_studies(dirs).values())
    if not corpus:
        print(f"no records under {', '.join(map(str, dirs))}", file=sys.stderr)
        return 2
    records = [copy.deepcopy(record) for _ in range(args.copies) for record in corpus]
    ours = records_per_second(label_study, records, args.runs)
    naive = records_per_second(naive_label_study, records, args.runs)
    print(f"{len(records)} records ({len(corpus)} distinct), median of {args.runs} runs")
    print(f"labeller: {ours:10,.0f} records/s")
    print(f"naive:    {naive:10,.0f} records/s  (labeller/naive = {ours / naive:.2f})")
    return 0 if ours >= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
