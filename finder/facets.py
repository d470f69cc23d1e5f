"""The search filters that offer options, and how many studies each option would show.

Each option's count applies every *other* filter the person chose (standard faceting): the
number of studies they would see if they ticked that option too, or instead, within a filter
that allows any of several. Each option is a bitmap over the studies of the search's copy of
the data (finder.searchindex), made once a day for each copy: a count is then a few thousand
machine words ANDed and counted, whatever the number of studies.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from finder import presenting
from finder.searchindex import SearchIndex
from trials.models import OPEN_STATUSES, Phase, Sex, Status, StudyType
from trials.querysets import MSC_CELL_TYPES

CAN_JOIN_NOW = "open"
UPDATED_WITHIN_DAYS = (7, 30, 90, 365)
# The URL parameter of each label filter; their questions and option names are the study page's.
_LABEL_PARAMETERS = {"routes": "route", "cell_types": "cell", "cell_sources": "source", "donors": "donor"}


@dataclass(frozen=True)
class Facet:
    name: str  # its URL parameter
    legend: str  # the question it answers, in plain words
    options: tuple[tuple[str, str], ...]  # (code, plain name), in the order shown
    studies_with: Callable[[SearchIndex, str], np.ndarray]  # which studies have an option (code)
    multiple: bool = True  # any of several options, or one
    hides: bool = False  # choosing an option hides the studies that have it


def facets(today: datetime.date) -> tuple[Facet, ...]:
    """The filters with options, in the order the page shows them."""
    warnings = {"out_of_date": lambda index: index.out_of_date(today), "pays": lambda index: index.pays}
    return (
        Facet(
            "status",
            "Can I join?",
            ((CAN_JOIN_NOW, "Can join now"),)
            + tuple((code, presenting.STATUS_NAMES[code]) for code in Status if code not in OPEN_STATUSES),
            lambda index, code: index.has_status(statuses([code])),
        ),
        _label_facet("phase", "phases", "Phase", {code: presenting.PHASE_NAMES[code] for code in Phase}),
        Facet(
            "type", "Kind of study", tuple(StudyType.choices), lambda index, code: index.has_type([code])
        ),
        Facet(
            "msc",
            "Mesenchymal stem cells",
            (("1", "MSC studies only"),),
            lambda index, code: index.has_label("cell_types", MSC_CELL_TYPES),
        ),
        *(
            _label_facet(_LABEL_PARAMETERS[label_field], label_field, legend, names)
            for label_field, legend, names in presenting.LABEL_FIELDS
        ),
        Facet(
            "sex",
            "My sex",
            ((Sex.FEMALE, "Female"), (Sex.MALE, "Male")),
            lambda index, code: index.admits_sex(code),
            multiple=False,
        ),
        Facet(
            "healthy",
            "Healthy volunteers",
            (("1", "I do not have ALS: studies that take healthy volunteers"),),
            lambda index, code: index.healthy_volunteers,
        ),
        Facet(
            "updated",
            "Updated",
            tuple((str(days), f"In the last {days} days") for days in UPDATED_WITHIN_DAYS),
            lambda index, code: index.updated_since(today - datetime.timedelta(days=int(code))),
            multiple=False,
        ),
        Facet(
            "hide",
            "Hide studies with a warning",
            (("out_of_date", "Status may be out of date"), ("pays", "Participants may be asked to pay")),
            lambda index, code: warnings[code](index),
            hides=True,
        ),
    )


def statuses(codes) -> list[str]:
    """Registry statuses for the chosen status options, "can join now" standing for the open ones."""
    chosen = []
    for code in codes:
        chosen.extend(OPEN_STATUSES if code == CAN_JOIN_NOW else [code])
    return chosen


def count(
    index: SearchIndex, matching: np.ndarray, today: datetime.date, chosen: dict[str, tuple[str, ...]]
) -> tuple[np.ndarray, dict[str, dict[str, int]]]:
    """Which of the `matching` studies (a bool per study) pass every chosen filter, and per
    facet, per option, how many of them pass every chosen filter but that facet's and have
    that option."""
    all_facets, options = _bitmaps(index, today)
    matching = _bitmap(matching)
    failing = _failing(index, today, chosen)
    counts = {}
    for facet in all_facets:
        counted = _passing(matching, [fails for name, fails in failing.items() if name != facet.name])
        counts[facet.name] = {code: _size(counted & bitmap) for code, bitmap in options[facet.name].items()}
    return _bools(_passing(matching, failing.values()), len(index)), counts


def countable(
    index: SearchIndex, matching: np.ndarray, today: datetime.date, chosen: dict[str, tuple[str, ...]]
) -> np.ndarray:
    """The `matching` studies that fail at most one chosen filter: no count includes the others."""
    failed_once = failed_twice = _bitmap(np.zeros(len(index), dtype=bool))
    for fails in _failing(index, today, chosen).values():
        failed_twice = failed_twice | (failed_once & fails)
        failed_once = failed_once | fails
    return matching & ~_bools(failed_twice, len(index))


def _failing(index: SearchIndex, today: datetime.date, chosen: dict[str, tuple[str, ...]]) -> dict[str, np.ndarray]:
    """For each chosen filter, by name, the bitmap of the studies it leaves out."""
    all_facets, options = _bitmaps(index, today)
    failing = {}
    for facet in all_facets:
        if chosen.get(facet.name):
            has_one = functools.reduce(np.bitwise_or, (options[facet.name][code] for code in chosen[facet.name]))
            failing[facet.name] = has_one if facet.hides else ~has_one
    return failing


@functools.lru_cache(maxsize=1)  # the current index on the current day: an older index is let go
def _bitmaps(index: SearchIndex, today: datetime.date) -> tuple[tuple[Facet, ...], dict[str, dict[str, np.ndarray]]]:
    """The facets of `today` and, per facet, per option, the bitmap of the studies that have it."""
    all_facets = facets(today)
    return all_facets, {
        facet.name: {code: _bitmap(facet.studies_with(index, code)) for code, _ in facet.options}
        for facet in all_facets
    }


def _bitmap(studies: np.ndarray) -> np.ndarray:
    """A bool per study as bits, in 64-bit words."""
    packed = np.packbits(studies, bitorder="little")
    return np.pad(packed, (0, -len(packed) % 8)).view(np.uint64)


def _bools(bitmap: np.ndarray, size: int) -> np.ndarray:
    """The first `size` bits of a bitmap as a bool per study."""
    return np.unpackbits(bitmap.view(np.uint8), count=size, bitorder="little").astype(bool)


def _passing(studies: np.ndarray, failing) -> np.ndarray:
    """The `studies` that none of the `failing` bitmaps has."""
    return functools.reduce(lambda kept, fails: kept & ~fails, failing, studies)


def _size(bitmap: np.ndarray) -> int:
    return int(np.bitwise_count(bitmap).sum())


def _label_facet(name: str, label_field: str, legend: str, names: dict[str, str]) -> Facet:
    return Facet(
        name, legend, tuple(names.items()), lambda index, code: index.has_label(label_field, [code])
    )
