"""Chainable query logic for studies and their sites, so views read like sentences.

The search filters and counts studies in a copy of their columns kept in memory
(finder.searchindex); what stays in SQL is what needs the full rows: the words, and the sites a
page of results shows.
"""

import functools
import math
import operator
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat, Cos, Radians, Sin

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

# Every label code as one bit of Study.label_bits, so the search's index holds a study's labels
# as one small number instead of five arrays (finder.searchindex). 39 of 63 bits.
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


class StudyQuerySet(models.QuerySet):
    def in_scope(self):
        """Studies the sync still finds; those that left its query are kept but not shown."""
        return self.filter(in_scope=True)

    def matching(self, words: str):
        """Full-text search over titles, summaries, interventions, conditions and sponsors,
        with the known synonyms of each name, annotated with its `rank`."""
        query = search_query(words)
        return self.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


# Sites


def sites_near(latitude: float, longitude: float, km: float):
    """Sites that may be within `km` (their bounding box; its corners are farther), annotated
    with their `closeness` (`_closeness`)."""
    return _sites_model().objects.filter(_bounding_box(latitude, longitude, km)).annotate(
        closeness=_closeness(latitude, longitude)
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
    from the Earth's centre, 1 at the point and falling with distance (the dot product of
    their unit vectors, as finder.searchindex reckons it)."""
    x, y, z = unit_vector(latitude, longitude)
    return F("x") * Value(x) + F("y") * Value(y) + F("z") * Value(z)


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
