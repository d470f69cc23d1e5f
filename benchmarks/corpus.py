"""A registry-scale synthetic corpus made from the real records, for benchmarks.

    python -m benchmarks.corpus N OUT.json.gz

Each synthetic study is a copy of one of the bundled real records (data/ctgov/records/ and
dev/, chosen at random, so the mix of sizes follows theirs: about 17 KB of JSON on average,
as the registry's own) with a new NCT id, its dates shifted by up to ten years, and a random
overall status. Everything else, geoPoints included, is the real record's. The same seed
gives the same corpus.
"""

import argparse
import datetime
import gzip
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson

from trials.datafiles import CTGOV_DATA_DIR

FIRST_NCT_NUMBER = 90_000_000  # far above the registry's real ids (NCT07… in 2026)
MAX_SHIFT_DAYS = 3650


def template_records(data_dir: Path = CTGOV_DATA_DIR) -> list[bytes]:
    """The real records, as JSON bytes (a copy is then one fast parse)."""
    paths = sorted((data_dir / "records").glob("NCT*.json")) + sorted((data_dir / "dev").glob("NCT*.json"))
    return [orjson.dumps(orjson.loads(path.read_bytes())) for path in paths]


def synthetic_records(n: int, seed: int = 0) -> Iterator[dict]:
    """`n` synthetic studies, NCT90000000 onwards, made lazily so any `n` fits in memory."""
    from trials.models import Status  # here, so that the command line can set Django up first

    rng = random.Random(seed)
    templates = template_records()
    statuses = list(Status.values)
    for i in range(n):
        record = orjson.loads(rng.choice(templates))
        protocol = record["protocolSection"]
        protocol["identificationModule"]["nctId"] = f"NCT{FIRST_NCT_NUMBER + i:08d}"
        status = protocol.setdefault("statusModule", {})
        _shift_dates(status, datetime.timedelta(days=rng.randint(-MAX_SHIFT_DAYS, 0)))
        status["overallStatus"] = rng.choice(statuses)
        yield record


def _shift_dates(status: dict, shift: datetime.timedelta) -> None:
    """Moves every date of a statusModule, keeping partial dates ("2023-05") partial."""
    for key, value in status.items():
        if key.endswith("DateStruct") and isinstance(value, dict) and isinstance(value.get("date"), str):
            value["date"] = _shifted(value["date"], shift)
        elif key.endswith("Date") and isinstance(value, str):
            status[key] = _shifted(value, shift)


def _shifted(text: str, shift: datetime.timedelta) -> str:
    parts = text.split("-")
    day = datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return (day + shift).isoformat()[: len(text)]


def main() -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus as one gzipped JSON list.")
    parser.add_argument("n", type=int, help="how many studies")
    parser.add_argument("out", type=Path, help="the .json.gz file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with gzip.open(args.out, "wb", compresslevel=1) as out:
        out.write(b"[")
        for i, record in enumerate(synthetic_records(args.n, args.seed)):
            out.write(b"," * bool(i) + orjson.dumps(record))
        out.write(b"]")
    print(f"Wrote {args.n} studies to {args.out}")
    return 0


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trialfinder.settings")
    django.setup()
    sys.exit(main())
