"""How many studies per second the sync's write path stores, against one save() per study.

    python -m benchmarks.ingest [--studies 100000] [--baseline-studies 1000] [--runs 3]

Both paths start from the JSON text of synthetic studies (benchmarks.corpus), decode it as the
API client does, parse and label each study, and store it with its sites: the bulk path is
trials.ingest.upsert_pages, pages of 1000 as the API serves them; the baseline is the plain
ORM, one save() per study and per site. Each run starts from empty tables, in a scratch
database (tf_bench on the server of DATABASE_URL) that is created for the benchmark and
dropped after it, so real data is never touched. The figures are medians of the runs.
"""

import argparse
import os
import statistics
import sys
import time

from benchmarks.scratch import ScratchDatabase, empty_tables, setup_django, store

BENCH_DATABASE = "tf_bench"
BAR_STUDIES_PER_SECOND = 1500
BAR_RATIO = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100_000, help="studies per run of the bulk path")
    parser.add_argument("--baseline-studies", type=int, default=1000, help="studies per run of the baseline")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    database = ScratchDatabase(BENCH_DATABASE)
    database.create(fresh=True)
    try:
        setup_django(database)
        # The runs share the machine: with two cores, anything else running slows them.
        load_before = os.getloadavg()[0]
        bulk = [timed(bulk_path, args.studies) for _ in range(args.runs)]
        baseline = [timed(one_save_per_study, args.baseline_studies) for _ in range(args.runs)]
        server = describe_server()
    finally:
        from django.db import connection

        connection.close()
        database.drop()

    bulk_rate, baseline_rate = statistics.median(bulk), statistics.median(baseline)
    ratio = bulk_rate / baseline_rate
    print(f"bulk upsert:      {bulk_rate:8,.0f} studies/s  (median of {args.runs} runs of {args.studies:,} studies)")
    print(f"one save() each:  {baseline_rate:8,.0f} studies/s  (median of {args.runs} runs of {args.baseline_studies:,})")
    print(f"bulk / baseline:  {ratio:8.1f}x")
    print(f"runs (studies/s): bulk {[round(r) for r in bulk]}, baseline {[round(r) for r in baseline]}")
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.2f} (1 min) before the runs")
    print(f"database: {server}")
    passed = bulk_rate >= BAR_STUDIES_PER_SECOND and ratio >= BAR_RATIO
    print(f"bar: at least {BAR_STUDIES_PER_SECOND:,} studies/s and {BAR_RATIO}x the baseline: {'met' if passed else 'NOT met'}")
    return 0 if passed else 1


def describe_server() -> str:
    """The server's version and how it compresses a study's record: a server built without lz4
    compresses with pglz, which costs the database ~180 µs more a study (migration 0004)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), attcompression FROM pg_attribute"
            " WHERE attrelid = 'trials_study'::regclass AND attname = 'raw'"
        )
        version, compression = cursor.fetchone()
    return f"PostgreSQL {version}, records compressed with {'lz4' if compression == 'l' else 'pglz'}"


def timed(store, n: int) -> float:
    """Studies per second for `store` over `n` fresh synthetic studies, from empty tables."""
    from benchmarks.corpus import synthetic_records

    empty_tables()
    records = synthetic_records(n)
    started = time.perf_counter()
    stored = store(records)
    elapsed = time.perf_counter() - started
    assert stored == n, f"stored {stored} of {n} studies"
    return n / elapsed


def bulk_path(records) -> int:
    return store(records).created


def one_save_per_study(records) -> int:
    from django.utils import timezone

    from trials.models import Site, Study
    from trials.parsing import canonical_json, json_hash, parse_record

    for record in records:
        parsed = parse_record(record)
        raw_hash = json_hash(canonical_json(record))
        study = Study(**parsed.study, raw=record, raw_hash=raw_hash, synced_at=timezone.now())
        study.save()
        for site in parsed.sites:
            Site(study=study, **site).save()
    return Study.objects.count()


if __name__ == "__main__":
    sys.exit(main())
