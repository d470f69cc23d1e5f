"""Store v2 records: the one write path for API pages and imported files.

Each page is written in bulk in one transaction: a handful of queries instead of one save()
per study, and a page is stored whole or not at all. Records whose canonical JSON is already
stored are counted as unchanged and not written, so a sync that finds nothing new changes
nothing.

The INSERTs are plain SQL (psycopg2's execute_values) rather than bulk_create: measured on
registry-sized records, the ORM's per-field preparation and its second JSON encoding of `raw`
cost more than all the parsing. The canonical text that was hashed is sent once as `raw`.
"""

import datetime
import gc
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg2.extras import execute_values

from trials.models import Site, Study
from trials.parsing import RecordError, canonical_json, json_hash, parse_record, required_nct_id

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rejection:
    position: int  # 0-based index of the record in its page, so callers can name its source
    nct_id: str | None
    reason: str

    def __str__(self):
        return f"{self.nct_id or f'record {self.position + 1}'}: {self.reason}"


@dataclass
class UpsertResult:
    received: int = 0  # records given, copies and rejected ones included
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    # Every NCT id the records named, stored or not: a full sync flags the studies it never saw.
    seen: set[str] = field(default_factory=set)
    newest_update_posted: datetime.date | None = None

    @property
    def failed(self) -> int:
        return len(self.rejections)

    def add(self, other: "UpsertResult") -> None:
        self.received += other.received
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejections += other.rejections
        self.seen |= other.seen
        self.note_update_posted(other.newest_update_posted)

    def note_update_posted(self, date: datetime.date | None) -> None:
        if date and (self.newest_update_posted is None or date > self.newest_update_posted):
            self.newest_update_posted = date


def upsert_records(records: Iterable, *, synced_at: datetime.datetime | None = None) -> UpsertResult:
    """Create or update the studies in `records` (one page) in one transaction."""
    return _write(_prepare(records, synced_at or timezone.now()))


def upsert_pages(
    pages: Iterable[Iterable],
    *,
    synced_at: datetime.datetime | None = None,
    on_page: Callable[[UpsertResult], None] = lambda result: None,
) -> UpsertResult:
    """upsert_records for each page, reading and parsing the next page while this one is written.

    Reading and parsing are pure Python and writing mostly waits on PostgreSQL, so a helper
    thread that reads ahead keeps both cores busy; all database work stays on this thread.
    `on_page` gets each page's result once it is committed. An error while reading a page
    surfaces after every earlier page is committed, so an interrupted run keeps them.
    """
    synced_at = synced_at or timezone.now()
    pages = iter(pages)
    total = UpsertResult()

    def read_next() -> _Batch | None:
        page = next(pages, None)
        return None if page is None else _prepare(page, synced_at)

    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
    try:
        with _fewer_garbage_collections():
            upcoming = reader.submit(read_next)
            while (batch := upcoming.result()) is not None:
                upcoming = reader.submit(read_next)
                result = _write(batch)
                on_page(result)
                total.add(result)
    finally:
        # On an error, do not wait for a page being read (it may be retrying the API).
        reader.shutdown(wait=False, cancel_futures=True)
    return total


@contextmanager
def _fewer_garbage_collections():
    """Run Python's cycle collector less often while pages stream through.

    A page of decoded records is about a million objects that live for seconds and hold no
    reference cycles (reference counting frees them); the collector's default thresholds make
    it walk them over and over. Measured on the benchmark corpus, this saves a fifth of the
    CPU time of parsing; cycles are still collected, only in larger batches.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@dataclass(frozen=True, slots=True)
class _Prepared:
    nct_id: str
    raw_hash: str
    last_update_posted: datetime.date | None
    row: tuple  # the study's values in _STUDY_COLUMNS order
    site_rows: list[tuple]  # each site's values in _SITE_COLUMNS order


@dataclass(frozen=True, slots=True)
class _Batch:
    studies: dict[str, _Prepared]
    result: UpsertResult  # rejections and seen ids so far; _write adds the counts


def _prepare(records: Iterable, synced_at: datetime.datetime) -> _Batch:
    """Parse a page into rows ready to insert. Pure: no database, so it can run in a thread."""
    result = UpsertResult()
    studies = {}
    for position, record in enumerate(records):
        result.received += 1
        try:
            nct_id = required_nct_id(record)
        except RecordError as exc:
            _reject(result, position, None, exc.reason)
            continue
        result.seen.add(nct_id)
        studies.pop(nct_id, None)  # the last copy of a study in a page counts
        try:
            raw_json = canonical_json(record)
            parsed = parse_record(record)
        except RecordError as exc:
            _reject(result, position, nct_id, exc.reason)
            continue
        raw_hash = json_hash(raw_json)
        values = {
            **parsed.study,
            "raw": orjson.Fragment(raw_json),  # already JSON: sent as it was hashed
            "raw_hash": raw_hash,
            "synced_at": synced_at,
            "in_scope": True,
        }
        studies[nct_id] = _Prepared(
            nct_id,
            raw_hash,
            parsed.study["last_update_posted"],
            _row(_STUDY_COLUMNS, values),
            [_row(_SITE_COLUMNS, site) for site in parsed.sites],
        )
    return _Batch(studies, result)


def _write(batch: _Batch) -> UpsertResult:
    result = batch.result
    with transaction.atomic(), connection.cursor() as cursor:
        stored = dict(Study.objects.filter(nct_id__in=batch.studies).values_list("nct_id", "raw_hash"))
        changed = []
        for nct_id, study in batch.studies.items():
            if stored.get(nct_id) == study.raw_hash:
                result.unchanged += 1
            else:
                changed.append(study)
                result.updated += nct_id in stored
                result.created += nct_id not in stored
            result.note_update_posted(study.last_update_posted)
        if not changed:
            return result
        ids = dict(
            execute_values(
                cursor.cursor,
                _UPSERT_STUDIES,
                [study.row for study in changed],
                template=_STUDY_TEMPLATE,
                page_size=len(changed),
                fetch=True,
            )
        )
        Site.objects.filter(study_id__in=[ids[s.nct_id] for s in changed if s.nct_id in stored]).delete()
        site_rows = [(ids[s.nct_id], *row) for s in changed for row in s.site_rows]
        if site_rows:
            execute_values(cursor.cursor, _INSERT_SITES, site_rows, template=_SITE_TEMPLATE, page_size=len(site_rows))
    return result


def _reject(result: UpsertResult, position: int, nct_id: str | None, reason: str) -> None:
    rejection = Rejection(position, nct_id, reason)
    logger.warning("Skipped a study record: %s", rejection)
    result.rejections.append(rejection)


# The SQL, built from the models so that a new column is written without touching this file.


def _columns(model, exclude=()) -> list[models.Field]:
    """Columns a bulk insert writes: all but the id, generated ones and `exclude`."""
    return [f for f in model._meta.concrete_fields if not (f.primary_key or f.generated or f.name in exclude)]


_STUDY_COLUMNS = _columns(Study)
_SITE_COLUMNS = _columns(Site, exclude={"study"})
_DEFAULTS = {f.name: f.get_default() for f in _STUDY_COLUMNS + _SITE_COLUMNS}


def _row(columns: list[models.Field], values: dict) -> tuple:
    """Values in column order, JSON columns as text (cast to jsonb in the SQL)."""
    row = []
    for f in columns:
        value = values.get(f.name, _DEFAULTS[f.name])
        row.append(orjson.dumps(value).decode() if isinstance(f, models.JSONField) else value)
    return tuple(row)


def _names(columns) -> str:
    return ", ".join(connection.ops.quote_name(f.column) for f in columns)


def _template(columns, first="") -> str:
    return "(" + first + ", ".join("%s::jsonb" if isinstance(f, models.JSONField) else "%s" for f in columns) + ")"


_UPSERT_STUDIES = (
    f"INSERT INTO {Study._meta.db_table} ({_names(_STUDY_COLUMNS)}) VALUES %s "
    "ON CONFLICT (nct_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in map(connection.ops.quote_name, (f.column for f in _STUDY_COLUMNS)))
    + " RETURNING nct_id, id"
)
_STUDY_TEMPLATE = _template(_STUDY_COLUMNS)
_INSERT_SITES = f"INSERT INTO {Site._meta.db_table} (study_id, {_names(_SITE_COLUMNS)}) VALUES %s"
_SITE_TEMPLATE = _template(_SITE_COLUMNS, first="%s, ")
