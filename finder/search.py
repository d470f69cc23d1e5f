"""The patient search: URL parameters in, one page of studies with counts beside every option out.

Used by the search page and its feed, so a feed follows exactly the search it was made from.
The studies are filtered, counted and ordered in the search's copy of the data
(finder.searchindex), so a page costs at most four small queries, whatever the number of results:
whether that copy is current, the studies with the words searched for, and the rows of the
page's studies and the sites shown beside them.
"""

import datetime
from dataclasses import dataclass, replace

import numpy as np
from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.urls import reverse

from finder import facets as facet_counts
from finder import presenting
from finder.facets import Facet
from finder.forms import DEFAULT_RADIUS, RADIUS_CHOICES, SORTS, SearchForm
from finder.places import PlaceNotFound, Point, Region, resolve
from finder.presenting import KM_PER_MILE
from finder.searchindex import SearchIndex, arc_km, current, within_km
from trials.models import Site, Study
from trials.querysets import counted_sites, sites_in_region, sites_near

PER_PAGE = 20
FILTER_GROUPS = (
    ("The treatment", ("msc", "route", "cell", "source", "donor")),
    ("The study", ("phase", "type", "updated", "hide")),
)
FEED_SIZE = 50
# What a result shows, its warnings and their evidence included (presenting.warnings); the
# rest of a study (its whole record above all) stays in the database.
_RESULT_FIELDS = (
    "nct_id", "brief_title", "overall_status", "study_type", "phases", "routes", "cell_types",
    "cell_sources", "donors", "last_update_posted", "status_verified_date", "completion_date",
    "pays_flag", "flag_evidence",
)
_SITE_FIELDS = ("facility", "city", "state", "country")


class BadSearch(ValueError):
    """Parameters a feed cannot follow; the page shows what it can instead."""


@dataclass(frozen=True)
class Criteria:
    """A checked search: what to keep, where, and how to order it."""

    today: datetime.date
    facets: tuple[Facet, ...]  # facet_counts.facets(today)
    chosen: dict[str, tuple[str, ...]]
    words: str = ""
    place: Point | Region | None = None
    radius: int = DEFAULT_RADIUS
    unit: str = "mi"
    age: int | None = None
    sort: str = "relevance"

    @property
    def km(self) -> float:
        return self.radius * (KM_PER_MILE if self.unit == "mi" else 1)

    @property
    def near_point(self) -> bool:
        return isinstance(self.place, Point)


@dataclass(frozen=True)
class Found:
    """The studies a search shows, in the order shown, and the counts beside its options."""

    ids: np.ndarray
    distances: np.ndarray | None  # in km from the point searched, in the same order
    counts: dict[str, dict[str, int]]  # by facet name, by option code (finder.facets.count)

    @property
    def total(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Option:
    code: str
    name: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class FacetChoices:
    name: str
    legend: str
    multiple: bool
    options: tuple[Option, ...]

    @property
    def chosen(self) -> bool:
        return any(option.chosen for option in self.options)


@dataclass(frozen=True)
class Result:
    """One study as a result shows it, in plain words."""

    study: Study
    status: str
    is_open: bool
    phases: list[str]
    routes: list[str]
    cell_types: list[str]
    cell_sources: list[str]
    donors: list[str]
    site: str  # the nearest site that counts, or one in the region searched
    distance: str
    warnings: list[presenting.ShownWarning]


@dataclass
class Outcome:
    """Everything the search page shows."""

    form: SearchForm
    criteria: Criteria
    problems: list[str]  # parameters that were wrong: the page answers 400
    notes: list[str]  # what was adjusted so the search could still run
    place_not_found: PlaceNotFound | None
    suggestions: list[tuple[str, str]]  # (place label, URL of this search there)
    choices: dict[str, FacetChoices]  # by facet name, for the template to lay out
    total: int
    page: Page
    results: list[Result]
    page_links: list[tuple[int | str, str]]  # (number or "…", URL; "" for the ellipsis)
    previous_url: str
    next_url: str
    feed_query: str  # this search's parameters for its feeds: the feeds keep no page or order
    sort_choices = SORTS

    @property
    def status_code(self) -> int:
        return 400 if self.problems else 200

    @property
    def summary(self) -> str:
        return describe(self.criteria)

    @property
    def groups(self) -> list[tuple[str, list[FacetChoices]]]:
        """The treatment and study filters under their headings, leaving out those with no options."""
        groups = []
        for heading, names in FILTER_GROUPS:
            shown = [self.choices[name] for name in names if self.choices[name].options]
            if shown:
                groups.append((heading, shown))
        return groups

    @property
    def rss_url(self) -> str:
        return self._feed_url("finder:feed")

    @property
    def atom_url(self) -> str:
        return self._feed_url("finder:feed-atom")

    def _feed_url(self, name: str) -> str:
        return reverse(name) + (f"?{self.feed_query}" if self.feed_query else "")

    @property
    def radius_choices(self) -> list[int]:
        return sorted({*RADIUS_CHOICES, self.criteria.radius})


def run(params: QueryDict, today: datetime.date) -> Outcome:
    form, criteria, place_not_found = _check(params, today)
    problems = form.problems()
    notes = []
    if criteria.sort == "nearest" and not criteria.near_point:
        notes.append("To sort by distance, type a town or ZIP code first. The best matches are shown first.")
        criteria = replace(criteria, sort="relevance")

    number = form.cleaned_data.get("page") or 1
    found = find(criteria)
    paginator = Paginator(range(found.total), PER_PAGE)  # the total is known: no COUNT query
    if number > paginator.num_pages:
        notes.append(
            f"There is no page {number:,}; this is the last page, page {paginator.num_pages:,}."
            if found.total
            else f"There is no page {number:,}: no studies match this search."
        )
        number = paginator.num_pages
    page = paginator.page(number)
    shown = _page(found, (number - 1) * PER_PAGE, criteria)

    return Outcome(
        form=form,
        criteria=criteria,
        problems=problems,
        notes=notes,
        place_not_found=place_not_found,
        suggestions=[
            (label, "?" + _query(params, place=label, page=None))
            for label in (place_not_found.suggestions if place_not_found else [])
        ],
        choices=_choices(criteria, found.counts),
        total=found.total,
        page=page,
        results=_results(shown, criteria),
        page_links=[
            (n, _page_url(params, n) if n != Paginator.ELLIPSIS else "")
            for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
        ],
        previous_url=_page_url(params, page.previous_page_number()) if page.has_previous() else "",
        next_url=_page_url(params, page.next_page_number()) if page.has_next() else "",
        feed_query=_query(params, page=None, sort=None),
    )


def feed(params: QueryDict, today: datetime.date) -> tuple[Criteria, list[Study]]:
    """The studies a feed of this search lists: the most recently updated first."""
    form, criteria, place_not_found = _check(params, today)
    problems = form.problems() + ([place_not_found.message] if place_not_found else [])
    if problems:
        raise BadSearch(" ".join(problems))
    ids = find(replace(criteria, sort="updated")).ids[:FEED_SIZE].tolist()
    rows = Study.objects.only(*_RESULT_FIELDS, "brief_summary", "synced_at").in_bulk(ids)
    return criteria, [rows[pk] for pk in ids if pk in rows]


def find(criteria: Criteria) -> Found:
    """The studies that pass every filter, in order, and the counts beside the options."""
    index = current()
    matching = np.ones(len(index), dtype=bool)  # so far, by the filters without options
    if criteria.near_point:
        closeness = index.closeness(criteria.place.latitude, criteria.place.longitude)
        matching &= within_km(closeness, criteria.km)
    elif isinstance(criteria.place, Region):
        matching &= index.in_region(criteria.place.countries, criteria.place.state)
    if criteria.age is not None:
        matching &= index.admits_age(criteria.age)
    if criteria.words:  # last: with a place, only the studies it leaves need their words checked
        among = facet_counts.countable(index, matching, criteria.today, criteria.chosen) if criteria.place else None
        rank = _ranks(index, criteria.words, among)
        matching &= ~np.isnan(rank)
    shown, counts = facet_counts.count(index, matching, criteria.today, criteria.chosen)
    positions = np.flatnonzero(shown)
    distances = arc_km(closeness[positions]) if criteria.near_point else None
    keys = {  # most important first; every order ends with the most recently updated first
        "relevance": ([-rank[positions]] if criteria.words else []) + ([distances] if criteria.near_point else []),
        "nearest": [distances],
        "newest": [index.newness[positions]],
        "updated": [],
    }[criteria.sort] + [index.recency[positions]]
    order = np.lexsort(keys[::-1])
    return Found(index.ids[positions[order]], distances[order] if criteria.near_point else None, counts)


def describe(criteria: Criteria) -> str:
    """The search in a few words, for headings and feed titles."""
    parts = []
    for facet in criteria.facets:
        names = dict(facet.options)
        chosen = criteria.chosen.get(facet.name, ())
        if not facet.hides:
            parts.extend(names[code] for code in chosen)
        elif chosen:
            parts.append("without warnings")
    if criteria.words:
        parts.append(f"“{criteria.words}”")
    if criteria.age is not None:
        parts.append(f"age {criteria.age}")
    if isinstance(criteria.place, Point):
        parts.append(f"within {criteria.radius:,} {_unit_name(criteria)} of {criteria.place.label}")
    elif isinstance(criteria.place, Region):
        parts.append(f"in {criteria.place.label}")
    return ", ".join(parts) or "All studies"


def distance_text(km: float, unit: str) -> str:
    value, name = (km / KM_PER_MILE, "miles") if unit == "mi" else (km, "km")
    if value < 1:
        return f"under 1 {'mile' if unit == 'mi' else 'km'}"
    return f"{value:.1f} {name}" if value < 10 else f"{round(value):,} {name}"


def _check(params: QueryDict, today: datetime.date):
    all_facets = facet_counts.facets(today)
    form = SearchForm(params, all_facets)
    form.is_valid()
    data = form.cleaned_data
    place, place_not_found = None, None
    if data.get("place"):
        try:
            place = resolve(data["place"])
        except PlaceNotFound as exc:
            place_not_found = exc
    criteria = Criteria(
        today=today,
        facets=all_facets,
        chosen=form.chosen(),
        words=data.get("q") or "",
        place=place,
        radius=data.get("radius") or DEFAULT_RADIUS,
        unit=data.get("unit") or "mi",
        age=data.get("age"),
        sort=data.get("sort") or "relevance",
    )
    return form, criteria, place_not_found


def _ranks(index: SearchIndex, words: str, among: np.ndarray | None) -> np.ndarray:
    """Each study's full-text rank for `words` (trials.querysets.StudyQuerySet.matching), NaN
    where they do not match. Only the studies `among` are checked when given: a place leaves
    few, of which the options count fewer still, and checking their words one by one is cheaper
    than ranking every study with a common word."""
    studies = Study.objects.in_scope().matching(words)
    if among is not None:
        studies = studies.filter(id__in=index.ids[among].tolist())
    rank = np.full(len(index), np.nan)
    found = list(studies.values_list("id", "rank"))
    if found:
        ids, ranks = zip(*found)
        positions = index.positions(ids)
        in_index = positions >= 0  # not written since the index was read
        rank[positions[in_index]] = np.array(ranks)[in_index]
    return rank


def _page(found: Found, start: int, criteria: Criteria) -> list[Study]:
    """The studies shown from `start` on, each with `distance_km` (None but near a point) and
    `shown_site`, the site its result shows: its nearest site that counts, or one in the region
    searched."""
    ids = found.ids[start : start + PER_PAGE].tolist()
    if not ids:
        return []
    rows = Study.objects.only(*_RESULT_FIELDS).in_bulk(ids)
    sites = {}
    if criteria.place:
        if criteria.near_point:
            place = criteria.place
            nearby = sites_near(place.latitude, place.longitude, criteria.km)
            candidates = nearby.order_by("study_id", "-closeness", "pk")
        else:
            candidates = sites_in_region(criteria.place.countries, criteria.place.state).order_by("study_id", "pk")
        shown = counted_sites(candidates.filter(study_id__in=ids)).only(*_SITE_FIELDS, "study_id")
        sites = {site.study_id: site for site in shown.distinct("study_id")}
    studies = []
    for offset, pk in enumerate(ids):
        if pk in rows:  # not gone since the copy was made
            study = rows[pk]
            study.shown_site = sites.get(pk)
            study.distance_km = None if found.distances is None else float(found.distances[start + offset])
            studies.append(study)
    return studies


def _results(studies: list[Study], criteria: Criteria) -> list[Result]:
    """The page's studies in plain words."""
    results = []
    for study in studies:
        distance = study.distance_km
        results.append(
            Result(
                study=study,
                status=presenting.status_name(study.overall_status),
                is_open=presenting.is_open(study.overall_status),
                phases=presenting.names_of(presenting.PHASE_NAMES, study.phases),
                routes=presenting.names_of(presenting.ROUTE_NAMES, study.routes),
                cell_types=presenting.names_of(presenting.CELL_TYPE_NAMES, study.cell_types),
                cell_sources=presenting.names_of(presenting.CELL_SOURCE_NAMES, study.cell_sources),
                donors=presenting.names_of(presenting.DONOR_NAMES, study.donors),
                site=_site_text(study.shown_site),
                distance=distance_text(distance, criteria.unit) if distance is not None else "",
                warnings=presenting.warnings(study, criteria.today),
            )
        )
    return results


def _site_text(site: Site | None) -> str:
    if site is None:
        return ""
    return ", ".join(part for part in (site.facility, site.city, site.state, site.country) if part)


def _choices(criteria: Criteria, counts: dict[str, dict[str, int]]) -> dict[str, FacetChoices]:
    """Each filter's options with their counts; options no study has are left out unless chosen."""
    choices = {}
    for facet in criteria.facets:
        chosen = criteria.chosen.get(facet.name, ())
        options = tuple(
            Option(code, name, counts[facet.name].get(code, 0), code in chosen)
            for code, name in facet.options
            if counts[facet.name].get(code) or code in chosen
        )
        choices[facet.name] = FacetChoices(facet.name, facet.legend, facet.multiple, options)
    return choices


def _page_url(params: QueryDict, number: int) -> str:
    return "?" + _query(params, page=number if number > 1 else None)


def _query(params: QueryDict, **changes) -> str:
    """The search's query string with some parameters replaced (None removes one)."""
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = str(value)
    return query.urlencode()


def _unit_name(criteria: Criteria) -> str:
    return "miles" if criteria.unit == "mi" else "km"

