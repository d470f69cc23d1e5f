"""The search filters that offer options, and how many studies each option would show.

Each option's count applies every *other* filter the person chose (standard faceting): the
number of studies they would see if they ticked that option too, or instead, within a filter
that allows any of several. The search's query (finder.search) groups the studies that pass
the filters without options (words, place, age) by what the options look at (`GROUP_COLUMNS`:
status, type, labels as bits, and one bit per other option), read from a covering index; the
few hundred groups are then counted here, option by option.
"""

import datetime
import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS
from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import LessThanOrEqual

from finder import presenting
from trials.models import OPEN_STATUSES, Phase, Sex, Status, Study, StudyType
from trials.querysets import (
    MSC_CELL_TYPES,
    admits_sex,
    has_any,
    has_status,
    has_type,
    is_msc,
    is_out_of_date,
    labels_of,
    may_charge,
    takes_healthy_volunteers,
    updated_since,
)

CAN_JOIN_NOW = "open"
UPDATED_WITHIN_DAYS = (7, 30, 90, 365)
# What the studies are grouped by, in this order, then how many there are: `flags` holds one
# bit per option condition (`flag_bits`).
GROUP_COLUMNS = ("overall_status", "study_type", "label_bits", "flags")
# The URL parameter of each label filter; their questions and option names are the study page's.
_LABEL_PARAMETERS = {"routes": "route", "cell_types": "cell", "cell_sources": "source", "donors": "donor"}


@dataclass(frozen=True)
class Group:
    """Studies alike in everything the options look at."""

    status: str
    study_type: str
    labels: dict[str, frozenset[str]]
    flags: frozenset[str]  # "facet:code" of each option condition the studies meet


@dataclass(frozen=True)
class Facet:
    name: str  # its URL parameter
    legend: str  # the question it answers, in plain words
    options: tuple[tuple[str, str], ...]  # (code, plain name), in the order shown
    condition: Callable[[tuple[str, ...]], Q]  # the studies kept when these codes are chosen
    codes_of: Callable[[Group], Iterable[str]]  # the option codes a group of studies has
    multiple: bool = True  # any of several options, or one
    hides: bool = False  # choosing an option hides the studies that have it
    flags: dict[str, Q] = field(default_factory=dict)  # option code → condition, when options have one


def facets(today: datetime.date) -> tuple[Facet, ...]:
    """The filters with options, in the order the page shows them."""

    def since(days) -> datetime.date:
        return today - datetime.timedelta(days=int(days))

    return (
        Facet(
            "status",
            "Can I join?",
            ((CAN_JOIN_NOW, "Can join now"),)
            + tuple((code, presenting.STATUS_NAMES[code]) for code in Status if code not in OPEN_STATUSES),
            lambda codes: has_status(statuses(codes)),
            lambda group: [CAN_JOIN_NOW if group.status in OPEN_STATUSES else group.status],
        ),
        _label_facet("phase", "phases", "Phase", {code: presenting.PHASE_NAMES[code] for code in Phase}),
        Facet("type", "Kind of study", tuple(StudyType.choices), has_type, lambda group: [group.study_type]),
        Facet(
            "msc",
            "Mesenchymal stem cells",
            (("1", "MSC studies only"),),
            lambda codes: is_msc(),
            lambda group: ["1"] if group.labels["cell_types"] & set(MSC_CELL_TYPES) else [],
        ),
        *(
            _label_facet(_LABEL_PARAMETERS[label_field], label_field, legend, names)
            for label_field, legend, names in presenting.LABEL_FIELDS
        ),
        _flag_facet(
            "sex",
            "My sex",
            {Sex.FEMALE: ("Female", admits_sex(Sex.FEMALE)), Sex.MALE: ("Male", admits_sex(Sex.MALE))},
            multiple=False,
        ),
        _flag_facet(
            "healthy",
            "Healthy volunteers",
            {"1": ("I do not have ALS: studies that take healthy volunteers", takes_healthy_volunteers())},
        ),
        _flag_facet(
            "updated",
            "Updated",
            {str(days): (f"In the last {days} days", updated_since(since(days))) for days in UPDATED_WITHIN_DAYS},
            multiple=False,
        ),
        _flag_facet(
            "hide",
            "Hide studies with a warning",
            {
                "out_of_date": ("Status may be out of date", is_out_of_date(today)),
                "pays": ("Participants may be asked to pay", may_charge()),
            },
            hides=True,
        ),
    )


def statuses(codes) -> list[str]:
    """Registry statuses for the chosen status options, "can join now" standing for the open ones."""
    chosen = []
    for code in codes:
        chosen.extend(OPEN_STATUSES if code == CAN_JOIN_NOW else [code])
    return chosen


def chosen_conditions(all_facets, chosen: dict[str, tuple[str, ...]]) -> list[Q]:
    return [facet.condition(chosen[facet.name]) for facet in all_facets if chosen.get(facet.name)]


def flag_bits(all_facets, chosen: dict[str, tuple[str, ...]]):
    """An expression for the `flags` column: one bit per option that has a condition of its
    own (`_flag_conditions`), set when a study meets it.

    A study that fails a chosen filter counts only for that filter's options (`count`), so
    all these conditions are worked out only for the studies that pass every other kind of
    chosen filter (status, type, labels); for the rest, only the chosen ones, which tell
    whether they fail those too. On the home page, that spares three studies in four.
    """
    conditions = _flag_conditions(all_facets)
    every = _bits(conditions, set(conditions))
    other_kinds = [facet for facet in all_facets if chosen.get(facet.name) and not facet.flags]
    if not other_kinds:
        return every
    chosen_flags = {
        f"{facet.name}:{code}" for facet in all_facets if facet.flags for code in chosen.get(facet.name, ())
    }
    return Case(
        When(Q(*chosen_conditions(other_kinds, chosen)), then=every),
        default=_bits(conditions, chosen_flags),
        output_field=IntegerField(),
    )


def _bits(conditions: dict[str, Q], names: set[str]):
    """The sum of the bits of the `conditions` named in `names` that a study meets."""
    bits = [
        Case(When(condition, then=Value(1 << bit)), default=Value(0))
        for bit, (name, condition) in enumerate(conditions.items())
        if name in names
    ]
    return sum(bits[1:], bits[0]) if bits else Value(0)


def countable(all_facets, chosen: dict[str, tuple[str, ...]]) -> Q:
    """Studies that fail at most one chosen filter: no option counts the others (`count`)."""
    conditions = chosen_conditions(all_facets, chosen)
    if len(conditions) < 2:
        return Q()
    failed = [Case(When(condition, then=Value(0)), default=Value(1)) for condition in conditions]
    return Q(LessThanOrEqual(sum(failed[1:], failed[0]), 1))


@dataclass(frozen=True)
class OptionColumns:
    """What the search's query works out for each study from the options chosen, as SQL."""

    countable: Q | RawSQL  # a filter: `countable`
    flags: RawSQL  # `flag_bits`
    chosen: RawSQL | Value  # passes every chosen filter


@functools.lru_cache(maxsize=512)
def option_columns(today: datetime.date, chosen: tuple[tuple[str, tuple[str, ...]], ...]) -> OptionColumns:
    """The option columns of a search on `today` with the `chosen` options (as items), compiled
    to SQL once and reused.

    They are a few dozen conditions, which the ORM took longer to build than the registry's
    PostgreSQL takes to run the whole query (3 to 20 ms a page, benchmarks/README.md), and
    they depend only on the day and the options. Their SQL names the table trials_study, the
    one the search's query reads the studies from.
    """
    all_facets, options = facets(today), dict(chosen)
    conditions = chosen_conditions(all_facets, options)
    fails_at_most_one = countable(all_facets, options)  # Q() when there is nothing to filter
    return OptionColumns(
        countable=_compiled(fails_at_most_one, BooleanField()) if fails_at_most_one else Q(),
        flags=_compiled(flag_bits(all_facets, options), IntegerField()),
        chosen=_compiled(Q(*conditions), BooleanField()) if conditions else Value(True),
    )


def _compiled(expression, output_field) -> RawSQL:
    query = Study.objects.annotate(value=ExpressionWrapper(expression, output_field)).query
    sql, params = query.get_compiler(DEFAULT_DB_ALIAS).compile(query.annotations["value"])
    return RawSQL(sql, tuple(params), output_field=output_field)


def count(groups, all_facets, chosen: dict[str, tuple[str, ...]]) -> tuple[int, dict[str, Counter]]:
    """How many studies pass every chosen filter, and per facet, per option, how many pass
    every chosen filter but that facet's and have that option.

    `groups` are rows of the `GROUP_COLUMNS` and the number of studies alike in them.
    """
    counts = {facet.name: Counter() for facet in all_facets}
    total = 0
    picked = [(facet, set(chosen[facet.name])) for facet in all_facets if chosen.get(facet.name)]
    flag_names = tuple(_flag_conditions(all_facets))
    for status, study_type, label_bits, flags, size in groups:
        group = Group(status, study_type, labels_of(label_bits), _flags_named(flags, flag_names))
        failing = [facet for facet, wanted in picked if not _passes(facet, set(facet.codes_of(group)), wanted)]
        if not failing:
            total += size
        if len(failing) > 1:
            continue
        # Passing every chosen filter, the group counts for every option it has; failing one,
        # only for the options of that filter.
        for facet in failing or all_facets:
            for code in facet.codes_of(group):
                counts[facet.name][code] += size
    return total, counts


def _flag_conditions(all_facets) -> dict[str, Q]:
    return {f"{facet.name}:{code}": condition for facet in all_facets for code, condition in facet.flags.items()}


@functools.cache
def _flags_named(flags: int, names: tuple[str, ...]) -> frozenset[str]:
    """The names of the bits set in a `flags` value."""
    return frozenset(name for bit, name in enumerate(names) if flags >> bit & 1)


def _passes(facet: Facet, codes: set[str], wanted: set[str]) -> bool:
    has_one = bool(codes & wanted)
    return not has_one if facet.hides else has_one


def _label_facet(name: str, label_field: str, legend: str, names: dict[str, str]) -> Facet:
    return Facet(
        name,
        legend,
        tuple(names.items()),
        lambda codes: has_any(label_field, codes),
        lambda group: group.labels[label_field],
    )


def _flag_facet(name: str, legend: str, options: dict[str, tuple[str, Q]], multiple=True, hides=False) -> Facet:
    """A facet whose every option is a condition of its own (sex, warnings...)."""
    conditions = {code: condition for code, (_, condition) in options.items()}

    def condition(codes) -> Q:
        combined = Q()
        for code in codes:
            combined |= conditions[code]
        return ~combined if hides else combined

    return Facet(
        name,
        legend,
        tuple((code, option_name) for code, (option_name, _) in options.items()),
        condition,
        lambda group: [code for code in conditions if f"{name}:{code}" in group.flags],
        multiple=multiple,
        hides=hides,
        flags=conditions,
    )
