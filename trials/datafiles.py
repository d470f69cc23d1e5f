"""Where the bundled ClinicalTrials.gov data lives (see data/ctgov/README.md).

One place to name it, so the snapshot loader, the tests and the benchmarks agree.
"""

from pathlib import Path

CTGOV_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "ctgov"

# The real ALS and cell-therapy records that an empty database is seeded with.
SNAPSHOT_DIR = CTGOV_DATA_DIR / "dev"
