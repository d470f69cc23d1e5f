"""How fast the search page answers on a registry-sized corpus, in how many queries and bytes.

    python -m benchmarks.search [--studies 100000] [--runs 20] [--keep]

Stores `--studies` synthetic studies (benchmarks.corpus) through the sync's write path
(trials.ingest.upsert_pages) in a scratch database, tf_bench_search on the server of
DATABASE_URL, then asks for realistic searches through Django's test client: every filter,
words, a place with results ranked by distance, later pages. The app runs as deployed, with
DJANGO_DEBUG=false: no query log, and static files collected and named by their content. It
reports the server time per page (median and 95th percentile over every request), the SQL
queries per page, and what a browser downloads: the HTML, the stylesheet and any JavaScript.
It also reports how long the search takes to read its index again (finder.searchindex), as it
does after a sync writes; the machine's load while it measured; and how long one pass over
every study takes on it in PostgreSQL (a count of the in-scope studies, before and after the
searches): this machine's speed varies from day to day, and a page's time in passes can be
compared across machines.

The scratch database is dropped afterwards, unless `--keep` leaves it for the next run, which
then reuses it if it holds the same number of studies.

Bars: p50 under 30 ms, p95 under 80 ms, at most 8 queries per page, pages under 300 KB with
under 50 KB of JavaScript.
"""

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

from benchmarks.scratch import ScratchDatabase, empty_tables, refresh_statistics, setup_django, store

BENCH_DATABASE = "tf_bench_search"
BARS = {"p50 ms": 30, "p95 ms": 80, "queries": 8, "page KB": 300, "JS KB": 50}

# Realistic searches: a person near a ZIP code, a city or a region, with words, "about me"
# and treatment filters, sorted by distance or date, and one asking for a later page.
SEARCHES = {
    "home page (can join now)": "",
    "near a ZIP code": "place=55905&radius=100",
    "near a city, MSC only": "place=Boston&radius=100&msc=1",
    "every filter, nearest first": (
        "q=stem+cells&place=Chicago&radius=100&unit=mi&status=open&status=ACTIVE_NOT_RECRUITING"
        "&phase=PHASE1&phase=PHASE2&phase=PHASE3&type=INTERVENTIONAL&route=intrathecal&route=intravenous"
        "&cell=msc&source=bone_marrow&source=adipose&donor=autologous&msc=1&age=54&sex=MALE"
        "&updated=365&hide=pays&hide=out_of_date&sort=nearest"
    ),
    "words and about me near a city": "q=intrathecal&place=Madison%2C+WI&radius=100&age=60&sex=FEMALE",
    "a state, phase 3": "place=California&phase=PHASE3",
    "a country, any status": "place=Spain&status=",
    "a product by another name": "q=debamestrocel&status=",
    "page 3 near a big city": "place=New+York+City&radius=100&page=3",
    "any status, far, recently updated": "status=&place=Paris&radius=500&unit=km&sort=updated",
    "phase and route, farther from a town": "phase=PHASE1&route=intrathecal&place=Rochester%2C+MN&radius=250",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per search")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database for the next run")
    args = parser.parse_args()

    database = ScratchDatabase(BENCH_DATABASE)
    database.create(fresh=False)
    # Production settings (README.md), but plain HTTP for the test client.
    setup_django(
        database,
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
    )
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)

    try:
        load(args.studies)
        load_before = os.getloadavg()[0]
        passes = one_pass_timings(args.runs)
        rows = [measure(name, query, args.runs) for name, query in SEARCHES.items()]
        passes += one_pass_timings(args.runs)
        machine_load = (load_before, os.getloadavg()[0])
        index_seconds = index_read_seconds()
    finally:
        connection.close()
        if not args.keep:
            database.drop()
    return report(rows, args, machine_load, statistics.median(passes), index_seconds)


def load(n: int) -> None:
    """The synthetic corpus through the sync's write path, unless a kept database holds it."""
    from benchmarks.corpus import synthetic_records
    from trials.models import Study

    if Study.objects.count() != n:
        empty_tables()
        started = time.perf_counter()
        store(synthetic_records(n))
        print(f"stored {n:,} studies in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    refresh_statistics()


def one_pass_timings(runs: int) -> list[float]:
    """Milliseconds to count the in-scope studies: a yardstick of the machine's speed, and the
    least a page took when the search counted in SQL (benchmarks/README.md)."""
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute("SELECT count(*) FROM trials_study WHERE in_scope")
            cursor.fetchone()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def index_read_seconds(runs: int = 3) -> float:
    """The median time to read the search's index from the database."""
    from finder import searchindex

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        searchindex.load(searchindex.data_version())
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measure(name: str, query: str, runs: int) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    path = f"/?{query}" if query else "/"
    response = client.get(path)  # warms the gazetteer, the templates and the database's cache
    assert response.status_code == 200, f"{name}: {path} answered {response.status_code}"
    reset_queries()  # the log keeps the last 9,000 queries only
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries)  # now: the log is emptied as each request starts
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    html = response.content.decode()
    return {
        "name": name,
        "timings": timings,
        "queries": query_count,
        "results": int(re.search(r'id="results-heading">([\d,]+) stud', html)[1].replace(",", "")),
        "html": len(response.content),
        "css": sum(_static_size(href) for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)),
        "js": sum(_static_size(src) for src in re.findall(r'<script[^>]+src="([^"]+)"', html))
        + sum(len(body) for body in re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)),
    }


def _static_size(url: str) -> int:
    from django.conf import settings

    return (Path(settings.STATIC_ROOT) / url.removeprefix(settings.STATIC_URL)).stat().st_size


def report(rows: list[dict], args, machine_load: tuple[float, float], one_pass_ms: float, index_seconds: float) -> int:
    every = [ms for row in rows for ms in row["timings"]]
    figures = {
        "p50 ms": statistics.median(every),
        "p95 ms": statistics.quantiles(every, n=20)[-1],
        "queries": max(row["queries"] for row in rows),
        "page KB": max(row["html"] + row["css"] + row["js"] for row in rows) / 1024,
        "JS KB": max(row["js"] for row in rows) / 1024,
    }
    print(f"{args.studies:,} studies, {args.runs} timed requests per search, server time through Django's test client")
    print("1-minute load average: {:.2f} before measuring, {:.2f} after".format(*machine_load))
    print(f"one pass over every study: {one_pass_ms:.1f} ms (median); p50 page: {figures['p50 ms'] / one_pass_ms:.1f} passes")
    print(f"reading the search index again, as after a sync writes: {index_seconds:.1f} s (median)")
    print(f"{'search':34} {'results':>8} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'HTML KB':>8} {'+CSS KB':>8} {'JS KB':>6}")
    for row in rows:
        timings = row["timings"]
        print(
            f"{row['name']:34} {row['results']:>8,} {statistics.median(timings):>7.1f} "
            f"{statistics.quantiles(timings, n=20)[-1]:>7.1f} {row['queries']:>7} {row['html'] / 1024:>8.1f} "
            f"{(row['html'] + row['css']) / 1024:>8.1f} {row['js'] / 1024:>6.1f}"
        )
    met = all(figures[name] < bar if name != "queries" else figures[name] <= bar for name, bar in BARS.items())
    print("overall: " + ", ".join(f"{name} {value:.1f} (bar {BARS[name]})" for name, value in figures.items()))
    print(f"bars {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
