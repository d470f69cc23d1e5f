"""Store v2 records: the one write path for API pages and imported files.

Each page is written in bulk in one transaction: a handful of statements instead of one save()
per study, and a page is stored whole or not at all. Records whose canonical JSON is already
stored are counted as unchanged and not written, so a sync that finds nothing new changes
nothing.

Rows go to PostgreSQL with COPY in its binary format, encoded here from the models' columns,
rather than through the ORM or an INSERT's text: no SQL is built or parsed for the ~20 KB of
values of a study, and nothing needs escaping. Measured on the benchmark corpus against
psycopg2's execute_values, that cut the Python time of a page's write from ~160 µs a study
to ~20 µs, and the database's CPU time by ~130 µs a study (of ~670). The canonical text that
was hashed is sent once as `raw`.
"""

import datetime
import gc
import io
import logging
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
from django.db import connection, models, transaction
from django.utils import timezone

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


# Pages read and parsed ahead of the one being written. With two, a page slower than most to
# parse or to write does not leave the other thread waiting: measured on the benchmark corpus,
# ~6% more studies a second than with one.
_PAGES_AHEAD = 2


def upsert_pages(
    pages: Iterable[Iterable],
    *,
    synced_at: datetime.datetime | None = None,
    on_page: Callable[[UpsertResult], None] = lambda result: None,
) -> UpsertResult:
    """upsert_records for each page, reading and parsing the next pages while this one is written.

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
        with _fewer_garbage_collections(), _prompt_thread_switches():
            upcoming = deque(reader.submit(read_next) for _ in range(_PAGES_AHEAD))
            while (batch := upcoming.popleft().result()) is not None:
                upcoming.append(reader.submit(read_next))
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
    it walk them over and over. Measured on the benchmark corpus, a collection every 100,000
    new objects instead of every 700 saves a fifth of the CPU time of parsing, and every
    million ~30 µs a study more; cycles are still collected, only in larger batches.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(1_000_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@contextmanager
def _prompt_thread_switches():
    """Let this thread have the GIL back soon after each statement it sends.

    The read-ahead thread is almost always running Python, and a thread that waits for the GIL
    gets it when the running one is asked to let go: after 5 ms by default, while the database
    waits for the next statement. Measured on the benchmark corpus, 0.2 ms stores ~5% more
    studies a second.
    """
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


@dataclass(frozen=True, slots=True)
class _Prepared:
    nct_id: str
    raw_hash: str
    last_update_posted: datetime.date | None
    row: bytes  # the study as a binary COPY row of _STUDY_COLUMNS
    sites: list[bytes]  # each site's _SITE_COLUMNS, to follow its study's id in a COPY row


@dataclass(frozen=True, slots=True)
class _Batch:
    studies: dict[str, _Prepared]
    result: UpsertResult  # rejections and seen ids so far; _write adds the counts


def _prepare(records: Iterable, synced_at: datetime.datetime) -> _Batch:
    """Parse a page into rows ready to copy. Pure: no database, so it can run in a thread."""
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
            _STUDY_ROW_START + _values(_STUDY_ENCODERS, values),
            [_values(_SITE_ENCODERS, site) for site in parsed.sites],
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
        cursor.execute(_CREATE_PAGE_TABLE)
        _copy(cursor, _COPY_PAGE, [study.row for study in changed])
        cursor.execute(_UPSERT_PAGE)
        ids = dict(cursor.fetchall())
        cursor.execute(_DROP_PAGE_TABLE)
        Site.objects.filter(study_id__in=[ids[s.nct_id] for s in changed if s.nct_id in stored]).delete()
        _copy(cursor, _COPY_SITES, [_site_row(ids[s.nct_id], site) for s in changed for site in s.sites])
    return result


def _reject(result: UpsertResult, position: int, nct_id: str | None, reason: str) -> None:
    rejection = Rejection(position, nct_id, reason)
    logger.warning("Skipped a study record: %s", rejection)
    result.rejections.append(rejection)


# The SQL and the rows, built from the models so that a new column is written without
# touching this file.


def _columns(model, exclude=()) -> list[models.Field]:
    """Columns a bulk insert writes: all but the id, generated ones and `exclude`."""
    return [f for f in model._meta.concrete_fields if not (f.primary_key or f.generated or f.name in exclude)]


_STUDY_COLUMNS = _columns(Study)
_SITE_COLUMNS = _columns(Site, exclude={"study"})


def _names(columns) -> str:
    return ", ".join(connection.ops.quote_name(f.column) for f in columns)


# COPY cannot update the studies already stored, so a page's studies are copied into a
# temporary table and upserted from there. It is the studies' table without the id (the
# upsert gives it), compressing as that does (lz4, migration 0004), so the upsert moves the
# compressed values as they are; and it keeps rows of up to 8 KB whole, so that a compressed
# record stays in its row instead of going through a TOAST table (~25 µs less of the
# database's time a study, measured). It is dropped at once rather than on commit, because a
# page may be written inside a caller's transaction, which would still hold it for the next.
_CREATE_PAGE_TABLE = (
    f"CREATE TEMPORARY TABLE study_page (LIKE {Study._meta.db_table} INCLUDING COMPRESSION)"
    " WITH (toast_tuple_target = 8160);"
    " ALTER TABLE study_page DROP COLUMN id"
)
_COPY_PAGE = f"COPY study_page ({_names(_STUDY_COLUMNS)}) FROM STDIN WITH (FORMAT binary)"
_UPSERT_PAGE = (
    f"INSERT INTO {Study._meta.db_table} ({_names(_STUDY_COLUMNS)}) SELECT {_names(_STUDY_COLUMNS)} FROM study_page "
    "ON CONFLICT (nct_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in map(connection.ops.quote_name, (f.column for f in _STUDY_COLUMNS)))
    + " RETURNING nct_id, id"
)
_DROP_PAGE_TABLE = "DROP TABLE study_page"
_COPY_SITES = f"COPY {Site._meta.db_table} (study_id, {_names(_SITE_COLUMNS)}) FROM STDIN WITH (FORMAT binary)"


# COPY's binary format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
# Format"): a header, then each row as its number of values and each value as its length
# (-1 for null) and its type's binary form, which is what the type's send function writes.

_int16, _int32, _int64, _float8 = (struct.Struct(code).pack for code in (">h", ">i", ">q", ">d"))
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + _int32(0) + _int32(0)  # then no flags, no header extension
_COPY_TRAILER = _int16(-1)
_NULL = _int32(-1)
_PG_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # dates and times count from it
_PG_EPOCH_DAY = _PG_EPOCH.date().toordinal()
_MICROSECOND = datetime.timedelta(microseconds=1)


def _text(value: str) -> bytes:
    data = value.encode()
    return _int32(len(data)) + data


def _jsonb(value) -> bytes:
    data = orjson.dumps(value)
    return _int32(1 + len(data)) + b"\x01" + data  # format version 1: the JSON text


def _text_array(element_type_oid: int):
    """A one-dimensional array of text without nulls: dimensions, then each element as a value."""
    empty = _int32(12) + _int32(0) + _int32(0) + _int32(element_type_oid)

    def encode(values: list[str]) -> bytes:
        if not values:
            return empty
        elements = b"".join([_text(value) for value in values])
        head = _int32(1) + _int32(0) + _int32(element_type_oid) + _int32(len(values)) + _int32(1)
        return _int32(len(head) + len(elements)) + head + elements

    return encode


_ENCODERS = {  # by the column's type, as Django declares it
    "text": _text,
    "varchar": _text,
    "jsonb": _jsonb,
    "boolean": lambda value: _int32(1) + (b"\x01" if value else b"\x00"),
    "integer": lambda value: _int32(4) + _int32(value),
    "double precision": lambda value: _int32(8) + _float8(value),
    "date": lambda value: _int32(4) + _int32(value.toordinal() - _PG_EPOCH_DAY),
    "timestamp with time zone": lambda value: _int32(8) + _int64((value - _PG_EPOCH) // _MICROSECOND),
}
_ARRAY_ELEMENT_TYPE_OIDS = {"text": 25, "varchar": 1043}  # pg_type; an array names its elements' type


def _encoder(field: models.Field) -> tuple[str, object, Callable]:
    """(name, default, encode) for a column. A column of a type not above fails here, on import."""
    db_type = field.db_type(connection)  # "varchar(32)[]", "double precision"...
    if db_type.endswith("[]"):
        encode = _text_array(_ARRAY_ELEMENT_TYPE_OIDS[db_type.removesuffix("[]").split("(")[0]])
    else:
        encode = _ENCODERS[db_type.split("(")[0]]
    return field.name, field.get_default(), encode


_STUDY_ENCODERS = [_encoder(f) for f in _STUDY_COLUMNS]
_SITE_ENCODERS = [_encoder(f) for f in _SITE_COLUMNS]
_STUDY_ROW_START = _int16(len(_STUDY_COLUMNS))
_SITE_ROW_START = _int16(1 + len(_SITE_COLUMNS)) + _int32(8)  # then the study's id, a bigint


def _values(encoders, values: dict) -> bytes:
    """A row's values, encoded; a missing one is its column's default."""
    return b"".join(
        [_NULL if (value := values.get(name, default)) is None else encode(value) for name, default, encode in encoders]
    )


def _site_row(study_id: int, values: bytes) -> bytes:
    return _SITE_ROW_START + _int64(study_id) + values


def _copy(cursor, sql: str, rows: list[bytes]) -> None:
    data = b"".join([_COPY_HEADER, *rows, _COPY_TRAILER])
    # In one read: psycopg2 needs the GIL for each chunk it reads (8 KB by default), and gets
    # it only when the read-ahead thread lets go. Measured: a page's COPY took 650 ms instead
    # of 200 while the next page was being parsed.
    cursor.cursor.copy_expert(sql, io.BytesIO(data), size=len(data))
