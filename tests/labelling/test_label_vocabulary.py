"""The vocabulary's codes are TAXONOMY.md's, and the scanner finds terms as one big alternation would."""

import re
from dataclasses import dataclass

import pytest

from trials.labelling.scanner import Scanner, any_of, leading_literal
from trials.labelling.vocabulary import ABBREVIATIONS, FIELDS, WORDS


@dataclass(frozen=True)
class Term:
    pattern: str


def test_every_term_labels_with_codes_of_the_taxonomy():
    for term in WORDS + ABBREVIATIONS:
        for label_field, code in term.labels.items():
            assert code in FIELDS[label_field], (term.pattern, label_field, code)


def test_the_taxonomy_codes_are_those_of_taxonomy_md(shared_dir):
    taxonomy = (shared_dir / "TAXONOMY.md").read_text()
    for label_field in ("routes", "cell_types", "cell_sources", "donors"):
        section = taxonomy.split(f"## {label_field}", 1)[1].split("\n## ", 1)[0]
        assert set(re.findall(r"^\| `?(\w+)`? \|", section, re.MULTILINE)) - {"code"} == set(FIELDS[label_field])


@pytest.mark.parametrize(
    "pattern, stem",
    [
        (r"intra[\s-]?thecal", "intra"),
        (r"msc-ntf\b", "msc-ntf\\b"),
        (r"sc\b(?=\s+dose)", "sc\\b"),
        (r"to the\s+csf", "to the"),
        (r"\(self\)", "(self)"),
        (r"cells?", "cell"),
        (r"(?:a|b)c", ""),
    ],
)
def test_a_stem_is_the_literal_every_match_starts_with(pattern, stem):
    assert leading_literal(pattern) == stem


def test_the_scanner_finds_the_leftmost_match_and_the_first_declared_term_there():
    terms = [Term(r"bone marrow(?=\s+stem)"), Term(r"bone marrow"), Term(r"marrow stem"), Term(r"stem cells?")]

    found = [
        (t.pattern, text) for t, text in _scan(Scanner(terms, lowercase=True), "bone marrow stem cells; bone marrow")
    ]

    assert found == [
        (r"bone marrow(?=\s+stem)", "bone marrow"),
        (r"stem cells?", "stem cells"),
        (r"bone marrow", "bone marrow"),
    ]


def test_the_scanner_skips_a_match_right_after_a_forbidden_character():
    scanner = Scanner([Term(r"IV(?![A-Za-z0-9])")], lowercase=False, not_after="ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    assert [text for _, text in _scan(scanner, "HIV patients get IV drugs")] == ["IV"]


def test_a_word_start_scanner_finds_terms_where_words_start_even_right_after_a_match():
    scanner = Scanner([Term(r"iv\b"), Term(r"cd34\+"), Term(r"cells?")], lowercase=True, word_start=True)

    assert [text for _, text in _scan(scanner, "iv cd34+cells; hiv cells")] == ["iv", "cd34+", "cells", "cells"]


@pytest.mark.parametrize("pattern", [r"(?:a|b)c", r"x?yz", r"(ab)c"])
def test_the_scanner_refuses_terms_it_cannot_index(pattern):
    with pytest.raises(ValueError):
        Scanner([Term(pattern)], lowercase=True)


@pytest.mark.parametrize("pattern", [r"(?:a|b)c", r"x?yz"])
def test_any_of_refuses_alternatives_it_cannot_index(pattern):
    with pytest.raises(ValueError, match="alternatives must start with a literal"):
        any_of(r"pet", pattern)


def test_any_of_matches_whole_words_only():
    cue = any_of(r"pet", r"rats?")

    assert [m[0] for m in cue.finditer("a pet scan in rats, not a petition or rates")] == ["pet", "rats"]


def _scan(scanner, text):
    return [(term, text[start:end]) for term, start, end in scanner.finditer(text)]
