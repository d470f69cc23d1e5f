"""Reading v2 records from files: every shape the import and label commands accept, and every way a file goes wrong."""

import gzip
import json

import pytest

from trials.records import RecordResult, nct_id_of, read_records


def _record(nct_id="NCT01234567", title="A study") -> dict:
    return {"protocolSection": {"identificationModule": {"nctId": nct_id, "briefTitle": title}}}


def _write(path, content, gzipped=False):
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def test_a_file_with_one_record_gives_that_record(tmp_path):
    path = _write(tmp_path / "one.json", _record())

    assert list(read_records([path])) == [RecordResult(f"{path}#1", _record(), None)]


def test_a_list_gives_each_record_with_its_position(tmp_path):
    path = _write(tmp_path / "list.json", [_record("NCT00000001"), _record("NCT00000002")])

    results = list(read_records([str(path)]))

    assert [r.source for r in results] == [f"{path}#1", f"{path}#2"]
    assert [nct_id_of(r.record) for r in results] == ["NCT00000001", "NCT00000002"]


def test_an_api_page_gives_its_studies(tmp_path):
    page = {"studies": [_record("NCT00000001"), _record("NCT00000002")], "nextPageToken": "abc"}

    results = list(read_records([_write(tmp_path / "page.json", page)]))

    assert [nct_id_of(r.record) for r in results] == ["NCT00000001", "NCT00000002"]


def test_gzip_is_recognised_by_its_content_not_its_name(tmp_path):
    path = _write(tmp_path / "page.json", {"studies": [_record()]}, gzipped=True)

    assert [r.record for r in read_records([path])] == [_record()]


def test_a_folder_gives_its_json_and_gzipped_json_files_in_name_order(tmp_path):
    _write(tmp_path / "b.json.gz", _record("NCT00000002"), gzipped=True)
    _write(tmp_path / "a.json", _record("NCT00000001"))
    _write(tmp_path / "notes.txt", b"not a record")

    results = list(read_records([tmp_path]))

    assert [nct_id_of(r.record) for r in results] == ["NCT00000001", "NCT00000002"]


def test_the_shared_api_pages_are_read_whole(shared_dir):
    results = list(read_records([shared_dir / "envelopes" / "forecaster-sample-page.json"]))

    assert len(results) == 10
    assert all(r.error is None and nct_id_of(r.record) for r in results)


@pytest.mark.parametrize(
    "content, gzipped, says",
    [
        (b'{"protocolSection": {"identificationModule": {"nctId": "NCT01234567"', False, "ends early (truncated?)"),
        (b'{"studies": [1, 2,, 3]}', False, "not valid JSON"),
        (b"", False, "empty"),
        (b"\xff\xfe\x00garbage", False, "not valid JSON"),
        (gzip.compress(json.dumps(_record()).encode())[:20], False, "cannot be decompressed"),
        (b'"just a string"', False, "unexpected shape"),
        (b'{"studies": {"not": "a list"}}', False, "unexpected shape"),
    ],
    ids=[
        "truncated-json",
        "malformed-json",
        "empty-file",
        "not-utf8",
        "truncated-gzip",
        "a-bare-string",
        "studies-not-a-list",
    ],
)
def test_an_unreadable_file_gives_one_error_that_says_why(tmp_path, content, gzipped, says):
    path = _write(tmp_path / "bad.json", content, gzipped)

    [result] = read_records([path])

    assert (result.source, result.record) == (str(path), None)
    assert says in result.error


def test_a_missing_file_gives_an_error_and_the_others_are_still_read(tmp_path):
    good = _write(tmp_path / "good.json", _record())

    results = list(read_records([tmp_path / "missing.json", good]))

    assert "cannot read the file" in results[0].error
    assert results[1].record == _record()


@pytest.mark.parametrize(
    "item, says",
    [
        ("NCT01234567", "not a study record object"),
        ([_record()], "not a study record object"),
        ({"protocolSection": {}}, "has no protocolSection.identificationModule.nctId"),
        (
            {"protocolSection": {"identificationModule": "NCT01234567"}},
            "has no protocolSection.identificationModule.nctId",
        ),
        (_record("NCT123"), "'NCT123' is not NCT followed by 8 digits"),
        (_record(12345678), "is not NCT followed by 8 digits"),
    ],
    ids=["string-item", "nested-list", "no-identification", "identification-not-an-object", "short-id", "numeric-id"],
)
def test_a_bad_item_gives_an_error_naming_its_position_and_the_others_are_read(tmp_path, item, says):
    path = _write(tmp_path / "page.json", {"studies": [_record("NCT00000001"), item, _record("NCT00000003")]})

    results = list(read_records([path]))

    assert [nct_id_of(r.record) for r in results] == ["NCT00000001", None, "NCT00000003"]
    assert results[1].source == f"{path}#2"
    assert says in results[1].error


def test_nct_id_of_gives_only_well_formed_ids():
    assert nct_id_of(_record("NCT01234567")) == "NCT01234567"
    assert nct_id_of(_record("NCT0123456X")) is None
    assert nct_id_of({"protocolSection": None}) is None
    assert nct_id_of("NCT01234567") is None
