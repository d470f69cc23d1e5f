"""Chainable query logic for studies, so views read like sentences.

The conditions that the search page counts option by option (status, labels, warnings...)
are also plain functions returning `Q`, because counting each option with every *other*
filter applied needs the conditions one by one (finder.facets).
"""

import datetime
import functools
import math
import operator
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import Case, Count, F, Max, Q, Value, When
from django.db.models.functions import ASin, Concat, Cos, Greatest, Least, Radians, Sin, Sqrt
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django_cte import CTE, with_cte

from trials.labelling.vocabulary import FIELDS as LABEL_CODES
from trials.labelling.vocabulary import SEARCH_WORDS

# Mean Earth radius (IUGG), the usual choice for haversine distances.
EARTH_RADIUS_KM = 6371.0088
# A study "is MSC" when it gives mesenchymal cells or their cell-free products (TAXONOMY.md).
MSC_CELL_TYPES = ("msc", "msc_derived")

# Names that mean the same thing in ALS research, so a search for one finds the others.
# Each group is searched as "any of these phrases"; add a group when people search by a
# product's code name, brand name or older name.
SYNONYMS = (
    # BrainStorm's MSC-NTF cells: trade name NurOwn, international name debamestrocel.
    ("nurown", "msc-ntf", "debamestrocel"),
    ("als", "amyotrophic lateral sclerosis", "lou gehrig's disease", "lou gehrig disease",
     "motor neuron disease", "motor neurone disease"),
    ("msc", "mscs", "mesenchymal stem cells", "mesenchymal stromal cells", "mesenchymal cells"),
    ("tofersen", "qalsody", "biib067"),
    ("edaravone", "radicava", "mci-186"),
)
_SYNONYM_PATTERNS = tuple(
    # Not after a "-", which excludes a word in a web search ("-nurown").
    (group, re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(name) for name in group) + r")(?![\w-])", re.I))
    for group in SYNONYMS
)
SEARCH_CONFIG = "english"  # the configuration Study.search_vector is built with

# Every label code as one bit of Study.label_bits, so the search can count studies by label
# from one small number per study instead of five arrays (finder.facets). 39 of 63 bits.
LABEL_BITS = tuple((field, code) for field, codes in LABEL_CODES.items() for code in codes)


def label_bits_expression():
    """The value of Study.label_bits: the sum of the bits of the study's labels."""
    return functools.reduce(
        operator.add,
        (
            Case(When(**{f"{field}__contains": [code]}, then=Value(1 << bit)), default=Value(0))
            for bit, (field, code) in enumerate(LABEL_BITS)
        ),
    )


def label_words_expression():
    """The words naming the study's labels (SEARCH_WORDS), for Study.search_vector.

    A record often names its route or its cells only in its detailed description, which the
    words search leaves out for its background; the labeller has read it, so its labels stand
    for what it found there. Made from the label columns, so relabelling updates the search.
    """
    return Concat(
        *(
            Case(When(**{f"{field}__contains": [code]}, then=Value(words + " ")), default=Value(""))
            for field, names in SEARCH_WORDS.items()
            for code, words in names.items()
        ),
        output_field=models.TextField(),
    )


@functools.cache
def labels_of(bits: int) -> dict[str, frozenset[str]]:
    """The label codes, by label field, that a Study.label_bits value stands for."""
    labels = {field: set() for field in LABEL_CODES}
    for bit, (field, code) in enumerate(LABEL_BITS):
        if bits & (1 << bit):
            labels[field].add(code)
    return {field: frozenset(codes) for field, codes in labels.items()}


# Conditions


def has_status(statuses) -> Q:
    return Q(overall_status__in=list(statuses))


def has_type(study_types) -> Q:
    return Q(study_type__in=list(study_types))


def has_any(label_field: str, codes) -> Q:
    """Studies labelled with at least one of `codes` in `label_field` (phases, routes...).

    Read from label_bits, which the search's covering index holds, rather than from the label
    arrays, which only the table rows hold.
    """
    mask = sum(1 << bit for bit, (field, code) in enumerate(LABEL_BITS) if field == label_field and code in codes)
    return Q(GreaterThan(F("label_bits").bitand(mask), 0))


def is_msc() -> Q:
    return has_any("cell_types", MSC_CELL_TYPES)


def takes_healthy_volunteers() -> Q:
    return Q(healthy_volunteers=True)


def admits_sex(sex: str) -> Q:
    """Studies open to people of `sex` (FEMALE or MALE); a record that does not say admits all."""
    from trials.models import Sex  # trials.models imports this module

    return Q(sex__in=["", Sex.ALL, sex])


def updated_since(date: datetime.date) -> Q:
    return Q(last_update_posted__gte=date)


def is_out_of_date(today: datetime.date | None = None) -> Q:
    """Open studies whose status may be out of date: trials.flags.out_of_date, in SQL."""
    from trials.flags import stale_cutoff  # trials.flags imports trials.models, which imports this
    from trials.models import OPEN_STATUSES

    today = today or timezone.localdate()
    return has_status(OPEN_STATUSES) & (
        Q(status_verified_date__lt=stale_cutoff(today)) | Q(completion_date__lt=today)
    )


def may_charge() -> Q:
    """The record's own words say participants may pay (stored by trials.flags when synced)."""
    return Q(pays_flag=True)


class StudyQuerySet(models.QuerySet):
    def in_scope(self):
        """Studies the sync still finds; those that left its query are kept but not shown."""
        return self.filter(in_scope=True)

    def admitting_age(self, age: float):
        """Studies whose age limits let in a person of `age` years; no limit admits everyone."""
        return self.filter(
            Q(minimum_age_years__isnull=True) | Q(minimum_age_years__lte=age),
            Q(maximum_age_years__isnull=True) | Q(maximum_age_years__gte=age),
        )

    def matching(self, words: str):
        """Full-text search over titles, summaries, interventions, conditions and sponsors,
        with the known synonyms of each name, annotated with its `rank`."""
        query = search_query(words)
        return self.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))

    def matching_among(self, words: str):
        """`matching`, among studies already narrowed down by cheaper conditions (a place).

        The studies with the words are joined rather than filtered, so that PostgreSQL may
        check the words study by study once every other condition holds, when it expects few
        studies; a filter would have it check them first, or read every study the full-text
        index finds, tens of thousands for common words.
        """
        query = search_query(words)
        found = CTE(
            self.model.objects.filter(search_vector=query).values("id", rank=SearchRank(F("search_vector"), query)),
            name="found",
        )
        return with_cte(found, select=found.join(self, id=found.col.id)).annotate(rank=found.col.rank)

    def near(self, latitude: float, longitude: float, km: float):
        """Studies with a site within `km` that counts for them (see `counted_sites`),
        annotated with `distance_km`, the distance to the nearest such site."""
        # Grouped by their closeness, which is cheaper than their distance and orders them the
        # same: only each study's nearest site is turned into kilometres.
        by_study = CTE(
            sites_near(latitude, longitude, km)
            .values("study_id")
            .annotate(if_open=Max("closeness", filter=_open_or_unstated()), otherwise=Max("closeness")),
            name="sites_near",
        )
        studies = with_cte(by_study, select=by_study.join(self, id=by_study.col.study_id))
        closeness = Case(When(_is_open(), then=by_study.col.if_open), default=by_study.col.otherwise)
        studies = studies.annotate(closeness=closeness, distance_km=_arc_km(F("closeness")))
        # A study with no site that counts has no closeness, which no comparison keeps.
        if km < math.pi * EARTH_RADIUS_KM:
            return studies.filter(closeness__gte=math.cos(km / EARTH_RADIUS_KM))
        return studies.filter(closeness__isnull=False)  # the whole Earth is within reach

    def in_region(self, countries, state: str = ""):
        """Studies with a site that counts for them in one of `countries` (and `state`, if
        given), as the registry names them."""
        by_study = CTE(
            sites_in_region(countries, state)
            .values("study_id")
            .annotate(open_sites=Count("status", filter=_open_or_unstated())),
            name="sites_in_region",
        )
        studies = with_cte(by_study, select=by_study.join(self, id=by_study.col.study_id))
        return studies.filter(~_is_open() | Q(GreaterThan(by_study.col.open_sites, 0)))


# Sites. The studies' place filters group them by study in one pass over a covering index,
# far cheaper than looking up each study's sites; the search then looks up only the sites of
# the page of results it shows (finder.search).


def sites_near(latitude: float, longitude: float, km: float):
    """Sites that may be within `km` (their bounding box, which their (latitude, longitude)
    index finds), annotated with `distance_km` and `closeness` (`_closeness`); the box's
    corners are farther than `km`."""
    return (
        _sites_model()
        .objects.filter(_bounding_box(latitude, longitude, km))
        .annotate(closeness=_closeness(latitude, longitude), distance_km=_arc_km(F("closeness")))
    )


def sites_in_region(countries, state: str = ""):
    """Sites in one of `countries` (and `state`, if given), as the registry names them."""
    sites = _sites_model().objects.filter(country__in=list(countries))
    if state:
        sites = sites.filter(state=state)  # the registry spells US states out in full
    return sites


def counted_sites(sites):
    """`sites` that count for their study. For a study one can join now, only its sites that
    are open themselves count (see `_open_or_unstated`); for any other study, all of them."""
    from trials.models import OPEN_STATUSES

    return sites.filter(_open_or_unstated() | ~Q(study__overall_status__in=OPEN_STATUSES))


def _is_open() -> Q:
    from trials.models import OPEN_STATUSES

    return has_status(OPEN_STATUSES)


def _open_or_unstated() -> Q:
    """Sites open themselves, or that state no status: the registry often gives none for a
    single site, which then has the study's own status."""
    from trials.models import OPEN_STATUSES

    return Q(status__in=OPEN_STATUSES) | Q(status="")


def search_query(words: str) -> SearchQuery:
    """`words` as a web-style query ("quoted phrases", or, -not), each known name widened to
    "any of its synonyms"."""
    groups = []
    for group, pattern in _SYNONYM_PATTERNS:
        words, found = pattern.subn(" ", words)
        if found:
            groups.append(group)
    query = None
    for group in groups:
        any_name = None
        for name in group:
            phrase = SearchQuery(name, search_type="phrase", config=SEARCH_CONFIG)
            any_name = phrase if any_name is None else any_name | phrase
        query = any_name if query is None else query & any_name
    if words.strip() or query is None:
        rest = SearchQuery(words, search_type="websearch", config=SEARCH_CONFIG)
        query = rest if query is None else query & rest
    return query


def _sites_model():
    from trials.models import Site  # trials.models imports this module

    return Site


def unit_vector(latitude, longitude) -> tuple:
    """A position as a unit vector from the Earth's centre (an n-vector), as (x, y, z).

    Given two field names, SQL expressions over them (Site's generated columns); given two
    numbers, numbers (the point a search measures from).
    """
    if isinstance(latitude, str):
        lat, lon = Radians(F(latitude)), Radians(F(longitude))
        return Cos(lat) * Cos(lon), Cos(lat) * Sin(lon), Sin(lat)
    lat, lon = math.radians(latitude), math.radians(longitude)
    return math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)


def _closeness(latitude: float, longitude: float):
    """How close each site is to a point, in SQL: the cosine of the angle between them seen
    from the Earth's centre, 1 at the point and falling with distance. It is the dot product
    of their unit vectors, three multiplications a site, where a haversine takes five
    trigonometric functions: a search near a city groups tens of thousands of sites.
    """
    x, y, z = unit_vector(latitude, longitude)
    return F("x") * Value(x) + F("y") * Value(y) + F("z") * Value(z)


def _arc_km(closeness):
    """The great-circle distance, in SQL, of a `closeness` (the cosine of an angle θ):
    2R·asin(sin(θ/2)), as sin(θ/2) = √((1 − cos θ)/2). Rounding can push the cosine a hair
    past 1 or −1, where the square root or asin would fail."""
    half_chord = Sqrt(Least(Greatest((Value(1.0) - closeness) / 2, Value(0.0)), Value(1.0)))
    return 2 * EARTH_RADIUS_KM * ASin(half_chord)


def _bounding_box(latitude: float, longitude: float, km: float) -> Q:
    """Sites that could be within `km`: a latitude band, narrowed to a longitude range unless
    the circle reaches a pole or crosses the 180th meridian.

    Bounding coordinates after J. P. Matuschek,
    http://janmatuschek.de/LatitudeLongitudeBoundingCoordinates
    """
    angle = km / EARTH_RADIUS_KM
    south, north = latitude - math.degrees(angle), latitude + math.degrees(angle)
    box = Q(latitude__gte=south, latitude__lte=north)
    if south > -90 and north < 90:  # then angle < 90° - |latitude|, so the ratio is below 1
        spread = math.degrees(math.asin(math.sin(angle) / math.cos(math.radians(latitude))))
        if -180 <= longitude - spread and longitude + spread <= 180:
            box &= Q(longitude__gte=longitude - spread, longitude__lte=longitude + spread)
    return box
