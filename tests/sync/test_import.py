"""`manage.py import_studies`: good, malformed and truncated files, through the sync's write path."""

import gzip
import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from trials.models import Site, Study, SyncRun

pytestmark = pytest.mark.django_db


def run_import(*paths):
    out = io.StringIO()
    call_command("import_studies", *map(str, paths), stdout=out)
    return out.getvalue()


@pytest.fixture
def good_files(tmp_path, shared_dir, dev_records):
    """One record, a gzipped list and a genuine API page: 1 + 2 + 10 studies."""
    shutil.copy(shared_dir / "dev" / "NCT04651855.json", tmp_path / "one.json")
    (tmp_path / "list.json.gz").write_bytes(gzip.compress(json.dumps(dev_records[:2]).encode()))
    shutil.copy(shared_dir / "envelopes" / "forecaster-sample-page.json", tmp_path / "page.json")
    return tmp_path


def test_files_of_every_shape_are_loaded_and_reported(good_files):
    output = run_import(good_files)

    assert Study.objects.count() == 13
    assert Site.objects.exists()
    assert "Loaded 13 studies: 13 new, 0 updated, 0 unchanged. Rejected 0." in output
    run = SyncRun.objects.get()
    assert (run.kind, run.outcome, run.created) == (SyncRun.Kind.IMPORT, SyncRun.Outcome.SUCCEEDED, 13)


def test_importing_the_same_files_again_changes_nothing(good_files):
    run_import(good_files)
    before = list(Study.objects.order_by("nct_id").values())

    output = run_import(good_files)

    assert "Loaded 13 studies: 0 new, 0 updated, 13 unchanged." in output
    assert list(Study.objects.order_by("nct_id").values()) == before


def test_malformed_and_truncated_files_are_rejected_with_reasons_and_the_rest_loads(tmp_path, shared_dir, dev_records):
    shutil.copy(shared_dir / "dev" / "NCT04651855.json", tmp_path / "good.json")
    (tmp_path / "broken.json").write_text('{"protocolSection": {')
    (tmp_path / "truncated.json.gz").write_bytes(gzip.compress(json.dumps(dev_records[:3]).encode())[:-40])
    wrong_type = json.loads(json.dumps(dev_records[5]))
    wrong_type["protocolSection"]["designModule"]["phases"] = "PHASE1"
    nameless = {"protocolSection": {"identificationModule": {"briefTitle": "No NCT id"}}}
    (tmp_path / "mixed.json").write_text(json.dumps([dev_records[4], wrong_type, nameless]))

    output = run_import(tmp_path)

    assert set(Study.objects.values_list("nct_id", flat=True)) == {"NCT04651855", dev_records[4]["protocolSection"]["identificationModule"]["nctId"]}
    assert "Loaded 2 studies: 2 new, 0 updated, 0 unchanged. Rejected 4." in output
    wrong_id = wrong_type["protocolSection"]["identificationModule"]["nctId"]
    assert f"Rejected {tmp_path / 'broken.json'}: not valid JSON" in output
    assert f"Rejected {tmp_path / 'truncated.json.gz'}: gzipped data that cannot be decompressed" in output
    assert f"Rejected {tmp_path / 'mixed.json'}#2: protocolSection.designModule.phases should be a list" in output
    assert f"Rejected {tmp_path / 'mixed.json'}#3: record has no protocolSection.identificationModule.nctId" in output
    assert wrong_id not in set(Study.objects.values_list("nct_id", flat=True))
    assert SyncRun.objects.get().failed == 4


def test_an_import_in_which_every_input_is_rejected_fails(tmp_path):
    (tmp_path / "broken.json").write_text("<html>not json</html>")

    with pytest.raises(CommandError, match="Nothing could be stored: all 1 inputs were rejected"):
        run_import(tmp_path / "broken.json")
    assert SyncRun.objects.get().outcome == SyncRun.Outcome.FAILED


def test_a_path_that_does_not_exist_is_refused_before_anything_is_read(tmp_path, good_files):
    with pytest.raises(CommandError, match=f"No such file or folder: {tmp_path / 'missing.json'}"):
        run_import(good_files / "one.json", tmp_path / "missing.json")
    assert not Study.objects.exists()
    assert not SyncRun.objects.exists()
