"""Where a person is: the place they type, as a point on the map or a region, found offline.

People type "Rochester, MN", "55905", "Minnesota", "Germany", "London" or "Toronto, Canada".
A city or a ZIP code becomes a `Point` to measure distances from; a US state or a country
becomes a `Region`, matched against the state and country the registry gives each site.
A name that fits several places well (Rochester, Springfield, Portland) or none raises
`PlaceNotFound` with suggestions, each of which resolves when typed back.

Places are found offline, in the gazetteer (trials.gazetteer), then among the studies' own
sites, whose cities and postal codes the registry geocoded: a small town with a study site
resolves although the gazetteer does not list it.
"""

import bisect
import difflib

from django.db.models import Avg

from trials.gazetteer import US_ZIP, Candidate, Gazetteer, Point, Region, clear_winner, key, load, zip_code_place
from trials.models import Site

MAX_LENGTH = 100
SUGGESTIONS = 5


class PlaceNotFound(Exception):
    """The text fits no place, or several; `suggestions` are labels that resolve."""

    def __init__(self, text: str, suggestions: list[str], ambiguous: bool):
        self.text = text
        self.suggestions = suggestions
        self.ambiguous = ambiguous
        if ambiguous:
            message = f"More than one place is called “{text}”. Which one do you mean?"
        elif suggestions:
            message = f"We could not find “{text}”. Did you mean one of these?"
        else:
            message = f"We could not find “{text}”. Try a city, a US ZIP code, a state or a country."
        super().__init__(message)
        self.message = message


def resolve(text: str) -> Point | Region:
    """The place `text` names; raises PlaceNotFound when it names none, or several."""
    text = " ".join(text.split())
    if not key(text) or "\x00" in text:  # PostgreSQL text cannot hold NUL, and sites are queried
        raise PlaceNotFound(text, [], ambiguous=False)
    labelled = load().labels.get(key(text)) if "," in text else None
    if labelled:  # a suggestion typed back: "Rochester, Minnesota, United States"
        return labelled.place
    name, *qualifiers = [part.strip() for part in text.split(",") if part.strip()] or [""]
    found, decisive = _matches(name, qualifiers)
    if not found and not qualifiers and " " in name:  # "Rochester MN"
        head, tail = name.rsplit(" ", 1)
        if key(tail) in load().qualifier_keys:
            found, decisive = _matches(head, [tail])
    # Ranking by size decides only between places that fit every qualifier (see _matches).
    winner = clear_winner(found) if decisive or len(found) == 1 else None
    if winner:
        return winner.place
    if found:
        found.sort(key=lambda candidate: -candidate.size)
        raise PlaceNotFound(text, _labels(found), ambiguous=True)
    raise PlaceNotFound(text, _suggestions(key(name)), ambiguous=False)


def _matches(name: str, qualifiers: list[str]) -> tuple[list[Candidate], bool]:
    """Places called `name` that fit every qualifier, and whether ranking them by size may decide.

    A qualifier the gazetteer does not know ("Toronto, Ontario") may still match a site's own
    state; if it matches nothing, the name alone is tried, but then only a unique place counts.
    """
    gazetteer = load()
    wanted = [key(qualifier) for qualifier in qualifiers]
    in_us = all(q in gazetteer.us_keys or q in gazetteer.state_codes for q in wanted)
    candidates = _named(name, gazetteer, in_us)
    fitting = [c for c in candidates if all(q in c.qualifier_keys for q in wanted)]
    if fitting or not wanted:
        return fitting, True
    known = [q for q in wanted if q in gazetteer.qualifier_keys]
    if len(known) == len(wanted):
        return [], True
    return [c for c in candidates if all(q in c.qualifier_keys for q in known)], False


def _named(name: str, gazetteer: Gazetteer, in_us: bool) -> list[Candidate]:
    zip_code = US_ZIP.fullmatch(name)
    if zip_code and in_us:
        return list(zip_code_place(zip_code[1], gazetteer)) or _sites_with_postal_code(name, gazetteer)
    if any(char.isdigit() for char in name):
        return _sites_with_postal_code(name, gazetteer)
    name_key = key(name)
    found = gazetteer.regions.get(name_key, []) + gazetteer.cities.get(name_key, [])
    return found or gazetteer.alternate_names.get(name_key, []) or _sites_in_city(name, gazetteer)


def _sites_with_postal_code(code: str, gazetteer: Gazetteer) -> list[Candidate]:
    sites = Site.objects.filter(postal_code__iexact=" ".join(code.split()))
    return _site_places(sites, gazetteer, lambda place: f"{code.upper()}, {place}")


def _sites_in_city(name: str, gazetteer: Gazetteer) -> list[Candidate]:
    return _site_places(Site.objects.filter(city__iexact=name), gazetteer, lambda place: place)


def _site_places(sites, gazetteer: Gazetteer, label) -> list[Candidate]:
    """One candidate per city among `sites`, at the mean of the registry's coordinates for it."""
    rows = (
        sites.filter(latitude__isnull=False, longitude__isnull=False)
        .values("city", "state", "country")
        .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        .order_by("country", "state", "city")
    )
    candidates = []
    for row in rows:
        place = ", ".join(part for part in (row["city"], row["state"], row["country"]) if part)
        keys = {key(row["city"]), key(row["state"]), key(row["country"])}
        keys |= gazetteer.registry_country_keys(row["country"])
        if row["country"] == "United States":
            keys |= gazetteer.place_keys("US", gazetteer.state_codes.get(key(row["state"]), ""))
        candidates.append(Candidate(Point(label(place), row["latitude"], row["longitude"]), 0, frozenset(keys)))
    return candidates


def _labels(candidates: list[Candidate]) -> list[str]:
    labels = []
    for candidate in candidates:
        if candidate.place.label not in labels:
            labels.append(candidate.place.label)
    return labels[:SUGGESTIONS]


def _suggestions(name_key: str) -> list[str]:
    """Places whose names start like `name_key`, then names that are spelled alike."""
    if not name_key:
        return []
    gazetteer = load()
    names = gazetteer.names
    start = bisect.bisect_left(names, name_key)
    prefixed = []
    for name in names[start:]:
        if not name.startswith(name_key):
            break
        prefixed.append(name)
    prefixed.sort(key=lambda name: -gazetteer.named(name)[0].size)
    same_initial = gazetteer.names_by_initial.get(name_key[0], [])
    alike = difflib.get_close_matches(name_key, same_initial, n=SUGGESTIONS, cutoff=0.75)
    return _labels([place for name in dict.fromkeys(prefixed[:SUGGESTIONS] + alike) for place in gazetteer.named(name)])
