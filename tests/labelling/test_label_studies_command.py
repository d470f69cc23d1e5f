"""`manage.py label_studies PATH...`: one JSON line per readable record, and clear errors for the rest."""

import json

import pytest
from django.core.management import CommandError, call_command


def test_each_record_of_each_file_is_printed_as_one_json_line(shared_dir, capsys):
    call_command("label_studies", str(shared_dir / "dev" / "NCT02017912.json"), str(shared_dir / "records"))

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 23
    first = lines[0]
    assert list(first) == ["nct_id", "phases", "routes", "cell_types", "cell_sources", "donors", "evidence"]
    assert (first["nct_id"], first["routes"], first["cell_sources"]) == (
        "NCT02017912",
        ["intramuscular", "intrathecal"],
        ["bone_marrow"],
    )


def test_an_unreadable_record_is_reported_on_stderr_and_the_others_are_labelled(shared_dir, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"studies": [{"protocolSection": {"identificationModule": {"nctId": "NCT0')

    with pytest.raises(CommandError, match="1 record"):
        call_command("label_studies", str(broken), str(shared_dir / "dev" / "NCT04651855.json"))

    out, err = capsys.readouterr()
    assert [json.loads(line)["nct_id"] for line in out.splitlines()] == ["NCT04651855"]
    assert f"{broken}: not valid JSON: the file ends early" in err
