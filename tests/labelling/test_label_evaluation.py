"""The labeller against the reference labels of the development and validation sets: the regression gate."""

import pytest

from trials.labelling.evaluate import VALIDATION_DIR, default_paths, evaluate, main, read_reference, read_studies
from trials.labelling.naive import naive_label_study
from trials.labelling.rules import label_study

BAR = 0.97


@pytest.fixture(scope="module")
def development_set(shared_dir):
    labels_csv, dirs = default_paths()
    return read_studies(dirs), read_reference(labels_csv)


@pytest.fixture(scope="module")
def validation_set():
    return read_studies([VALIDATION_DIR]), read_reference(VALIDATION_DIR / "labels.csv")


@pytest.mark.parametrize("reference_set, size", [("development_set", 80), ("validation_set", 81)])
def test_every_reference_study_has_a_record(request, reference_set, size):
    studies, reference = request.getfixturevalue(reference_set)

    assert len(reference) == size
    assert reference.keys() <= studies.keys()


@pytest.mark.parametrize("label_field", ["phases", "routes", "cell_types", "cell_sources", "donors"])
@pytest.mark.parametrize("reference_set", ["development_set", "validation_set"])
def test_f1_stays_at_or_above_the_bar(request, reference_set, label_field):
    studies, reference = request.getfixturevalue(reference_set)

    assert evaluate(label_study, studies, reference).scores[label_field].f1 >= BAR


def test_the_labeller_beats_the_naive_keyword_baseline_on_every_label_field(development_set):
    studies, reference = development_set
    ours, naive = evaluate(label_study, studies, reference), evaluate(naive_label_study, studies, reference)

    for label_field in ("routes", "cell_types", "cell_sources", "donors"):
        assert ours.scores[label_field].f1 > naive.scores[label_field].f1
    assert ours.exact > naive.exact


def test_the_evaluation_command_prints_both_labellers_side_by_side_for_both_sets(shared_dir, capsys):
    assert main([]) == 0

    table = capsys.readouterr().out
    assert "labeller" in table and "naive" in table
    assert "development set: 80 studies" in table and "validation set: 81 studies" in table
    assert table.count("exact match") == 2


def test_the_evaluation_command_reads_another_sets_records_beside_its_labels(capsys):
    assert main(["--diff", "--labels", str(VALIDATION_DIR / "labels.csv")]) == 0

    assert "81 studies" in capsys.readouterr().out


def test_the_evaluation_command_fails_when_a_file_is_missing(tmp_path, capsys):
    assert main(["--labels", str(tmp_path / "absent.csv"), str(tmp_path)]) == 2
    assert "absent.csv" in capsys.readouterr().err
