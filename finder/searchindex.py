"""The search index: a copy in memory of what the search filters, counts and orders studies by.

Each option's count applies every *other* filter chosen (finder.facets), so every search reads
every study that passes the filters without options, often all of them, and a place's sites:
in PostgreSQL, a pass over 100,000 studies and tens of thousands of sites a page, 50 to 150 ms
(benchmarks/README.md). Held as NumPy arrays, one entry per study in scope and one per site that
counts, the same work takes a few milliseconds.

The copy is read again whenever the data version has changed: a number that every statement
writing studies or sites replaces (migration trials 0009), so a search costs one small query
to know its copy is current. Words are still matched by PostgreSQL's full-text index.
"""

import datetime
import math
import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from trials.flags import stale_cutoff
from trials.models import OPEN_STATUSES, Sex, Site, Study
from trials.querysets import EARTH_RADIUS_KM, LABEL_BITS, counted_sites, unit_vector

EPOCH = datetime.date(1970, 1, 1)
# Dates are held as days since EPOCH. A missing date is placed where the rules that read it
# ignore it: an update date in the far past (never "updated since"), a verification or
# completion date in the far future (never a sign of being out of date).
_FAR_PAST, _FAR_FUTURE = np.iinfo(np.int32).min, np.iinfo(np.int32).max


@dataclass(frozen=True)
class Coded:
    """A column of strings as small numbers, and the number of each string."""

    numbers: np.ndarray
    codes: dict[str, int]

    def among(self, values) -> np.ndarray:
        """Whether each entry is one of `values`."""
        return np.isin(self.numbers, [self.codes[value] for value in values if value in self.codes])


@dataclass(frozen=True, eq=False)
class SearchIndex:
    """The studies in scope, each at one position in every array (in the order of their ids),
    and the sites that count for them (trials.querysets.counted_sites), grouped by study."""

    version: int
    ids: np.ndarray  # the studies' ids, ascending
    recency: np.ndarray  # each study's place in the default order: last updated first
    newness: np.ndarray  # its place when the newest come first
    status: Coded
    study_type: Coded
    sex: Coded
    label_bits: np.ndarray  # Study.label_bits
    healthy_volunteers: np.ndarray
    pays: np.ndarray  # Study.pays_flag
    minimum_age: np.ndarray  # in years, -inf for no limit
    maximum_age: np.ndarray  # in years, +inf for no limit
    last_update: np.ndarray  # days since EPOCH
    status_verified: np.ndarray
    completion: np.ndarray
    site_vectors: np.ndarray  # (sites, 3): unit vectors, NaN where the site has no position
    site_country: Coded
    site_state: Coded
    site_starts: np.ndarray  # where each group of one study's sites starts
    site_owners: np.ndarray  # the position of each group's study

    def __len__(self) -> int:
        return len(self.ids)

    # What each study is (a bool per study)

    def has_status(self, statuses) -> np.ndarray:
        return self.status.among(statuses)

    def has_type(self, study_types) -> np.ndarray:
        return self.study_type.among(study_types)

    def has_label(self, label_field: str, codes) -> np.ndarray:
        """Labelled with at least one of `codes` in `label_field` (phases, routes...)."""
        mask = sum(1 << bit for bit, (field, code) in enumerate(LABEL_BITS) if field == label_field and code in codes)
        return self.label_bits & mask != 0

    def admits_sex(self, sex: str) -> np.ndarray:
        """Open to people of `sex` (FEMALE or MALE); a record that does not say admits all."""
        return self.sex.among(["", Sex.ALL, sex])

    def admits_age(self, age: float) -> np.ndarray:
        return (self.minimum_age <= age) & (self.maximum_age >= age)

    def updated_since(self, date: datetime.date) -> np.ndarray:
        return self.last_update >= _days(date)

    def out_of_date(self, today: datetime.date) -> np.ndarray:
        """Open studies whose status may be out of date: trials.flags.out_of_date, for every study."""
        return self.has_status(OPEN_STATUSES) & (
            (self.status_verified < _days(stale_cutoff(today))) | (self.completion < _days(today))
        )

    # Where

    def closeness(self, latitude: float, longitude: float) -> np.ndarray:
        """How close each study's nearest site that counts is to a point: the cosine of the
        angle between them seen from the Earth's centre (the dot product of their unit vectors,
        a few multiplications where a distance takes trigonometry); NaN for a study with no
        such site placed."""
        per_site = self.site_vectors @ np.array(unit_vector(latitude, longitude))
        # fmax skips the NaN of sites with no position, unless a study has no other.
        return self._per_study(np.fmax, per_site, np.nan)

    def in_region(self, countries, state: str = "") -> np.ndarray:
        """Studies with a site that counts in one of `countries` (and `state`, if given), as
        the registry names them."""
        there = self.site_country.among(countries)
        if state:
            there &= self.site_state.among([state])
        return self._per_study(np.logical_or, there, False)

    def positions(self, ids) -> np.ndarray:
        """The position of the study with each of these ids, -1 for one not in scope."""
        if not len(self):
            return np.full(len(ids), -1)
        found = np.minimum(np.searchsorted(self.ids, ids), len(self) - 1)
        return np.where(self.ids[found] == ids, found, -1)

    def _per_study(self, ufunc, per_site: np.ndarray, empty) -> np.ndarray:
        """`ufunc` reduced over each study's sites; `empty` for a study with none."""
        per_study = np.full(len(self), empty, dtype=per_site.dtype)
        if len(per_site):
            per_study[self.site_owners] = ufunc.reduceat(per_site, self.site_starts)
        return per_study


def arc_km(closeness: np.ndarray) -> np.ndarray:
    """The great-circle distances of `closeness` values (cosines of angles θ): 2R·asin(sin(θ/2)),
    as sin(θ/2) = √((1 − cos θ)/2). Rounding can push a cosine a hair past 1 or −1."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip((1 - closeness) / 2, 0, 1)))


def within_km(closeness: np.ndarray, km: float) -> np.ndarray:
    """Which `closeness` values are within `km`; NaN, no site, never is."""
    if km < math.pi * EARTH_RADIUS_KM:
        return closeness >= math.cos(km / EARTH_RADIUS_KM)
    return ~np.isnan(closeness)  # the whole Earth is within reach


_lock = threading.Lock()
_current: SearchIndex | None = None


def current() -> SearchIndex:
    """The copy of the data as it is now: the one kept, unless the data has changed since."""
    global _current
    # Read before the data: if a write lands while the copy is read, the copy may be newer
    # than its version, never older, and the next search reads it again.
    version = data_version()
    with _lock:
        if _current is None or _current.version != version:
            _current = load(version)
        return _current


def data_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM trials_data_version")
        return cursor.fetchone()[0]


def load(version: int) -> SearchIndex:
    """The index of the studies as the database holds them now, labelled with `version`."""
    newest_first = [F("last_update_posted").desc(nulls_last=True), "nct_id"]
    studies = _columns(
        Study.objects.in_scope()
        .order_by("id")
        .annotate(
            recency=Window(RowNumber(), order_by=newest_first),
            newness=Window(RowNumber(), order_by=[F("first_posted").desc(nulls_last=True), *newest_first]),
        )
        .values(
            "id", "recency", "newness", "overall_status", "study_type", "sex", "label_bits", "healthy_volunteers",
            "pays_flag", "minimum_age_years", "maximum_age_years", "last_update_posted", "status_verified_date",
            "completion_date",
        )
    )
    sites = _columns(
        counted_sites(Site.objects.filter(study__in_scope=True))
        .order_by("study_id")
        .values("study_id", "x", "y", "z", "country", "state")
    )
    ids = np.array(studies["id"], dtype=np.int64)
    # A study that came into scope between the two reads: its sites wait for the next copy,
    # which the data version asks for.
    site_study = np.array(sites["study_id"], dtype=np.int64)
    kept = np.isin(site_study, ids)
    site_study = site_study[kept]
    site_starts = np.flatnonzero(np.diff(site_study, prepend=-1))
    return SearchIndex(
        version=version,
        ids=ids,
        recency=np.array(studies["recency"], dtype=np.int64),
        newness=np.array(studies["newness"], dtype=np.int64),
        status=_coded(studies["overall_status"]),
        study_type=_coded(studies["study_type"]),
        sex=_coded(studies["sex"]),
        label_bits=np.array(studies["label_bits"], dtype=np.int64),
        healthy_volunteers=np.array([value is True for value in studies["healthy_volunteers"]], dtype=bool),
        pays=np.array(studies["pays_flag"], dtype=bool),
        minimum_age=_floats(studies["minimum_age_years"], -np.inf),
        maximum_age=_floats(studies["maximum_age_years"], np.inf),
        last_update=_dates(studies["last_update_posted"], _FAR_PAST),
        status_verified=_dates(studies["status_verified_date"], _FAR_FUTURE),
        completion=_dates(studies["completion_date"], _FAR_FUTURE),
        # None, a site with no position, becomes NaN.
        site_vectors=np.column_stack([np.array(sites[axis], dtype=float)[kept] for axis in "xyz"]),
        site_country=_coded(sites["country"], kept),
        site_state=_coded(sites["state"], kept),
        site_starts=site_starts,
        site_owners=np.searchsorted(ids, site_study[site_starts]),
    )


def _columns(queryset) -> dict[str, tuple]:
    """A queryset's rows as columns by name, read with a plain cursor: the ORM would build
    a dict per row, and the benchmark's 100,000 studies have nearly a million sites."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    return dict(zip(names, zip(*rows))) if rows else {name: () for name in names}


def _coded(values, kept=None) -> Coded:
    """`values` (those `kept`, if given) as small numbers, coded at C speed."""
    codes = {value: number for number, value in enumerate(dict.fromkeys(values))}
    numbers = np.fromiter(map(codes.__getitem__, values), np.int32, len(values))
    return Coded(numbers if kept is None else numbers[kept], codes)


def _floats(values, missing: float) -> np.ndarray:
    return np.array([missing if value is None else value for value in values], dtype=float)


def _dates(values, missing: int) -> np.ndarray:
    return np.array([missing if value is None else _days(value) for value in values], dtype=np.int64)


def _days(date: datetime.date) -> int:
    return (date - EPOCH).days
