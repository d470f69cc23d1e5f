"""Find many term patterns in one pass over a text.

Python's `re` tries the branches of an alternation one after another at every position, so
one big pattern of a few hundred terms was the labeller's main cost. Each term here starts
with a literal stem. One regex built as a trie of the stems finds the few places where some
term can start, and there only the terms with that stem are tried, as one compiled
alternation: the same leftmost, first-declared-wins matches as the big pattern, at a small
fraction of the work.
"""

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

_BOUNDARY = r"\b"


class Pattern(Protocol):
    pattern: str


def leading_literal(pattern: str) -> str:
    """The characters every match of `pattern` starts with, and a word boundary right after them."""
    if pattern.startswith(_BOUNDARY):
        pattern = pattern[2:]
    stem, i = [], 0
    while i < len(pattern):
        if pattern.startswith(_BOUNDARY, i):
            return "".join(stem) + _BOUNDARY if stem else ""
        if pattern[i] == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            char, width = pattern[i + 1], 2
        elif pattern[i].isalnum() or pattern[i] in " '-/+_":
            char, width = pattern[i], 1
        else:
            break
        if pattern[i + width : i + width + 1] in ("?", "*", "{"):
            break  # an optional character ends the stem
        stem.append(char)
        i += width
    return "".join(stem)


def _stems(patterns: Sequence[str], what: str) -> list[str]:
    """Each pattern's leading literal; one too short to narrow where matches start is refused."""
    stems = [leading_literal(pattern) for pattern in patterns]
    short = [pattern for pattern, stem in zip(patterns, stems) if len(stem.removesuffix(_BOUNDARY)) < 2]
    if short:
        raise ValueError(f"{what} must start with a literal of two or more characters: {short}")
    return stems


def _tokens(stem: str) -> list[str]:
    text = stem.removesuffix(_BOUNDARY)
    return [*text, _BOUNDARY] if text != stem else [*text]


def _trie_regex(stems: Sequence[str]) -> str:
    trie: dict = {}
    for stem in stems:
        node = trie
        for token in _tokens(stem):
            node = node.setdefault(token, {})
        node[""] = {}

    def branch(node: dict) -> str:
        ends = "" in node
        alternatives = [
            (token if token == _BOUNDARY else re.escape(token)) + branch(child)
            for token, child in sorted(node.items())
            if token
        ]
        if not alternatives:
            return ""
        if ends:  # a shorter stem ends here, so everything after it is optional
            return "(?:" + "|".join(alternatives) + ")?"
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return branch(trie)


class Scanner:
    """Reports which of `terms` match where in a text, leftmost first, without overlaps.

    `lowercase` says the terms are written for lower-cased text. `word_start` says they start
    words: after a character that is no lower-case letter or digit, or at the start of the text.
    The finder matches that character before the stem, which lets `re` skip over the letters of
    words without trying each one; a lookbehind would stop it from skipping. For the same reason
    `not_after`, characters that must not come just before a match, is tested afterwards.
    """

    def __init__(self, terms: Sequence[Pattern], lowercase: bool, word_start: bool = False, not_after: str = ""):
        self.lowercase = lowercase
        stems = _stems([term.pattern for term in terms], "terms")
        grouped = [term.pattern for term in terms if re.compile(term.pattern).groups]
        if grouped:
            raise ValueError(f"use (?:...) inside terms, capturing groups name the term: {grouped}")
        self._lead = 1 if word_start else 0  # characters the finder matches before a stem
        self._finder = re.compile(("[^a-z0-9]" if word_start else "") + f"({_trie_regex(sorted(set(stems)))})")
        self._not_after = frozenset(not_after)
        # For each text a stem can match, the terms that may start there, in declared order.
        self._candidates: dict[str, tuple[tuple, re.Pattern]] = {}
        for key in {stem.removesuffix(_BOUNDARY) for stem in stems}:
            chosen = tuple(t for t, stem in zip(terms, stems) if key.startswith(stem.removesuffix(_BOUNDARY)))
            self._candidates[key] = (chosen, re.compile("|".join(f"({term.pattern})" for term in chosen)))

    def finditer(self, text: str) -> Iterator[tuple[Pattern, int, int]]:
        lead = self._lead
        text = " " * lead + text  # so that a term can start the text; offsets are given without it
        position = 0
        while found := self._finder.search(text, position):
            start = found.start(1)
            terms, regex = self._candidates[found[1]]
            match = None if start and text[start - 1] in self._not_after else regex.match(text, start)
            if match:
                yield terms[match.lastindex - 1], start - lead, match.end() - lead
                position = match.end() - lead  # the match's last character may lead the next one
            else:
                position = found.start() + 1


def any_of(*alternatives: str) -> re.Pattern:
    """Whole words matching any of `alternatives`; like `Scanner`, tried only where one can start."""
    stems = _stems(alternatives, "alternatives")
    return re.compile(rf"\b(?={_trie_regex(sorted(set(stems)))})(?:{'|'.join(alternatives)})\b")
