"""Bringing studies in from ClinicalTrials.gov, or from files, one run at a time.

Every run is a SyncRun row that says how far it got and how it ended. Pages are committed as
they come, so a run that is interrupted (the API gives up, the worker is killed, the database
goes away) keeps every page it stored and never leaves a half-written study; the next run
marks it failed and simply goes again, because storing is idempotent.
"""

import datetime
import logging
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection
from django.utils import timezone

from trials.ctgov import CtgovClient
from trials.ingest import UpsertResult, upsert_pages
from trials.models import Study, SyncRun
from trials.records import read_records

logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that lets one run at a time write studies. A session
# lock: PostgreSQL releases it when the process holding it dies, so a killed worker never
# leaves it stuck (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
SYNC_LOCK_KEY = 0x7472_6961_6C73  # "trials"
# LastUpdatePostDate has day granularity and the registry loads data once a day, so an
# incremental run looks back a little past the watermark (API.md §6).
WATERMARK_OVERLAP = datetime.timedelta(days=2)
IMPORT_PAGE_SIZE = 1000  # records per transaction when importing, as the API's pages

Progress = Callable[[SyncRun], None]


class SyncAlreadyRunning(Exception):
    def __init__(self):
        super().__init__("Another sync or import is running; try again when it has finished.")


def run_sync(kind: str, *, client: CtgovClient | None = None, progress: Progress | None = None) -> SyncRun:
    """A full or incremental sync with the registry; returns its SyncRun, re-raises its failure.

    Incremental runs fetch the studies updated since the last good run's watermark, and fall
    back to a full run when there has been none. A full run flags the studies it did not see
    as out of scope (never deleting them) and flags those it saw as in scope.
    """
    if kind not in (SyncRun.Kind.FULL, SyncRun.Kind.INCREMENTAL):
        raise ValueError(f"not a sync kind: {kind!r}")
    with _sync_lock():
        previous = _last_good_sync()
        run = SyncRun.objects.create(kind=kind)
        api = client or CtgovClient()
        try:
            version = api.version()
            run.api_version = version.api_version[: SyncRun._meta.get_field("api_version").max_length]
            run.data_timestamp = version.data_timestamp
            if kind == SyncRun.Kind.INCREMENTAL:
                if previous and previous.data_timestamp == version.data_timestamp:
                    run.watermark = previous.watermark
                    return _finish(run, SyncRun.Outcome.SKIPPED)
                if not (previous and previous.watermark):
                    logger.info("No watermark from an earlier sync, so this incremental sync runs as a full one")
                    run.kind = kind = SyncRun.Kind.FULL
            run.save(update_fields=["kind", "api_version", "data_timestamp"])
            params = {"query.cond": settings.CTGOV_CONDITION_QUERY}
            if kind == SyncRun.Kind.INCREMENTAL:
                since = previous.watermark - WATERMARK_OVERLAP
                params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]"
            result = upsert_pages(api.iter_pages(params), on_page=_counter(run, progress))
            if kind == SyncRun.Kind.FULL:
                _flag_scope(result.seen)
            run.watermark = max(filter(None, [result.newest_update_posted, previous and previous.watermark]), default=None)
            return _finish(run, SyncRun.Outcome.SUCCEEDED)
        except BaseException as exc:
            _fail(run, exc)
            raise
        finally:
            if client is None:
                api.close()


@dataclass
class ImportReport:
    run: SyncRun
    # (where, why) for every file or record that was not stored
    rejections: list[tuple[str, str]] = field(default_factory=list)


def run_import(paths: Iterable[str | Path], *, progress: Progress | None = None) -> ImportReport:
    """Load v2 records from files through the sync's write path (a SyncRun of kind "import").

    Unreadable files and malformed records are reported with their reasons and the rest is
    stored. The run fails if nothing at all could be stored.
    """
    with _sync_lock():
        run = SyncRun.objects.create(kind=SyncRun.Kind.IMPORT)
        report = ImportReport(run)
        # What the reader thread found in each page not yet committed, oldest first: the
        # sources of its records (rejections name records by their place in the page) and
        # the items it could not read. Counts are added on this thread only.
        read_ahead: deque[tuple[list[str], list[tuple[str, str]]]] = deque()
        count_page = _counter(run, progress)

        def pages():
            items = iter(read_records(paths))
            while chunk := list(islice(items, IMPORT_PAGE_SIZE)):
                readable = [item for item in chunk if item.record is not None]
                unreadable = [(item.source, item.error) for item in chunk if item.record is None]
                read_ahead.append(([item.source for item in readable], unreadable))
                yield [item.record for item in readable]

        def on_page(result: UpsertResult):
            sources, unreadable = read_ahead.popleft()
            report.rejections += unreadable
            report.rejections += [(sources[r.position], r.reason) for r in result.rejections]
            run.failed += len(unreadable)
            count_page(result)

        try:
            result = upsert_pages(pages(), on_page=on_page)
            if run.failed and not (result.created or result.updated or result.unchanged):
                run.error = f"Nothing could be stored: all {run.failed} inputs were rejected."
                _finish(run, SyncRun.Outcome.FAILED)
            else:
                _finish(run, SyncRun.Outcome.SUCCEEDED)
        except BaseException as exc:
            _fail(run, exc)
            raise
    return report


@contextmanager
def _sync_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SYNC_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise SyncAlreadyRunning
    try:
        # Holding the lock means no other run is alive: any still marked running was killed.
        SyncRun.objects.filter(outcome=SyncRun.Outcome.RUNNING).update(
            outcome=SyncRun.Outcome.FAILED,
            finished_at=timezone.now(),
            error="Interrupted: the process running it stopped before it finished.",
        )
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SYNC_LOCK_KEY])
        except DatabaseError:
            logger.warning("Could not release the sync lock; it goes with the database session")


def _last_good_sync() -> SyncRun | None:
    return (
        SyncRun.objects.filter(
            kind__in=[SyncRun.Kind.FULL, SyncRun.Kind.INCREMENTAL],
            outcome__in=[SyncRun.Outcome.SUCCEEDED, SyncRun.Outcome.SKIPPED],
        )
        .order_by("-started_at", "-pk")
        .first()
    )


def _counter(run: SyncRun, progress: Progress | None) -> Callable[[UpsertResult], None]:
    """Adds each committed page's counts to the run, so its row shows how far it got."""

    def count(result: UpsertResult) -> None:
        run.fetched += result.received
        run.created += result.created
        run.updated += result.updated
        run.unchanged += result.unchanged
        run.failed += result.failed
        run.save(update_fields=["fetched", "created", "updated", "unchanged", "failed"])
        if progress:
            progress(run)

    return count


def _flag_scope(seen: set[str]) -> None:
    if not seen:
        # An empty answer to the whole query is far likelier an upstream fault than a scope
        # with no studies left; flagging every study on it would hide them all.
        logger.warning("The full sync saw no studies; leaving every study's scope as it was")
        return
    Study.objects.filter(in_scope=True).exclude(nct_id__in=seen).update(in_scope=False)
    Study.objects.filter(in_scope=False, nct_id__in=seen).update(in_scope=True)


def _finish(run: SyncRun, outcome: str) -> SyncRun:
    run.outcome = outcome
    run.finished_at = timezone.now()
    run.save()
    logger.info(
        "%s: %s fetched, %s created, %s updated, %s unchanged, %s rejected",
        run, run.fetched, run.created, run.updated, run.unchanged, run.failed,
    )
    return run


def _fail(run: SyncRun, exc: BaseException) -> None:
    run.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    logger.error("%s failed: %s", run, run.error)
    try:
        _finish(run, SyncRun.Outcome.FAILED)
    except DatabaseError:
        # The database itself went away; the next run marks this one as interrupted. Drop
        # the broken connection so that this process can connect again later.
        logger.exception("Could not record the failure of %s", run)
        connection.close()
