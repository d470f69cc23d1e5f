"""Reading ClinicalTrials.gov v2 records from files: one record, a list, or an API page.

Shared by the commands that import and label files. A file holds one study object, a JSON list
of them, or a `/studies` page ({"studies": [...], "nextPageToken": ...}); plain or gzipped,
told apart by content rather than by name. Each record comes back as a `RecordResult` naming
where it came from, and anything unreadable comes back as an error that says why, so one bad
file or item never stops the rest.
"""

import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

NCT_ID = re.compile(r"NCT\d{8}")
_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_SUFFIXES = (".json", ".json.gz")


@dataclass(frozen=True)
class RecordResult:
    source: str  # the file, and for a record the position in it: "page.json#3"
    record: dict | None
    error: str | None


def read_records(paths: Iterable[str | Path]) -> Iterator[RecordResult]:
    """Every record in `paths`; a directory means its *.json and *.json.gz files, sorted."""
    for path in map(Path, paths):
        if path.is_dir():
            for file in sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES)):
                yield from _read_file(file)
        else:
            yield from _read_file(path)


def nct_id_of(record) -> str | None:
    """The record's NCT id when it is well formed, else None."""
    nct_id = _raw_nct_id(record)
    return nct_id if isinstance(nct_id, str) and NCT_ID.fullmatch(nct_id) else None


def _raw_nct_id(record):
    identification = record.get("protocolSection") if isinstance(record, dict) else None
    identification = identification.get("identificationModule") if isinstance(identification, dict) else None
    return identification.get("nctId") if isinstance(identification, dict) else None


def _read_file(path: Path) -> Iterator[RecordResult]:
    source = str(path)
    try:
        content = _load(path)
    except ValueError as error:
        yield RecordResult(source, None, str(error))
        return
    if isinstance(content, dict) and "studies" in content:
        if not isinstance(content["studies"], list):
            yield RecordResult(source, None, 'unexpected shape: "studies" is not a list of records')
            return
        content = content["studies"]
    elif isinstance(content, dict):
        content = [content]
    elif not isinstance(content, list):
        shape = f"a JSON {_json_kind(content)}, not a study record, a list of records or a page of studies"
        yield RecordResult(source, None, f"unexpected shape: {shape}")
        return
    for position, item in enumerate(content, start=1):
        yield _checked(f"{source}#{position}", item)


def _load(path: Path):
    """The file's JSON, or ValueError saying in plain words why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read the file: {error.strerror or error}") from error
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(f"gzipped data that cannot be decompressed (truncated or corrupt): {error}") from error
    data = data.removeprefix(_UTF8_BOM)
    if not data.strip():
        raise ValueError("the file is empty")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        where = f"{error.msg} at line {error.lineno}, column {error.colno}"
        if error.pos >= len(data.rstrip()):
            raise ValueError(f"not valid JSON: the file ends early (truncated?): {where}") from error
        raise ValueError(f"not valid JSON: {where}") from error


def _checked(source: str, item) -> RecordResult:
    if not isinstance(item, dict):
        return RecordResult(source, None, f"item is a JSON {_json_kind(item)}, not a study record object")
    nct_id = _raw_nct_id(item)
    if nct_id is None:
        return RecordResult(source, None, "record has no protocolSection.identificationModule.nctId")
    if nct_id_of(item) is None:
        return RecordResult(source, None, f"record's nctId {nct_id!r} is not NCT followed by 8 digits")
    return RecordResult(source, item, None)


def _json_kind(value) -> str:
    kinds = {dict: "object", list: "array", str: "string", bool: "true/false", int: "number", float: "number"}
    return kinds.get(type(value), "null")
