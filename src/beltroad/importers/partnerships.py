"""Import friendship (twin, sister) city pairs from a CSV of two named, located cities.

Each city is resolved to a place with a country and coordinates: first to a GeoNames city of the
same name in the same country near the file's point (so it carries a gazetteer citation and links
to curated places such as Chongqing), else to a place at the file's own coordinates, cited to the
file's row. Pairs whose country cannot be told, or whose coordinates are missing, impossible or
lie outside the stated country, are not imported and are reported with their row numbers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from beltroad.data.countries import country_iso3, iso2_of
from beltroad.data.gazetteer import Gazetteer
from beltroad.data.geography import distance_to_country_km
from beltroad.importers.common import PlaceRegistry
from beltroad.importers.frame import Context, ImportCounts, ImportReport, ImportSpec, RowRejected, run_import
from beltroad.model import Citation, Partnership, Place, Point, Record, Source
from beltroad.model.names import normalise_name, slugify

DEFAULT_COLUMNS = {
    "city_a": "city1",
    "country_a": "country1",
    "lat_a": "lat1",
    "lon_a": "lng1",
    "city_b": "city2",
    "country_b": "country2",
    "lat_b": "lat2",
    "lon_b": "lng2",
}
#: how far a same-named GeoNames city may lie from the file's point and still be taken as it
MATCH_WITHIN_KM = 30.0
#: how far outside its country's outline a file point may lie (coasts, border towns)
COUNTRY_TOLERANCE_KM = 10.0
DEFAULT_LOCAL_TERM = "twin town or sister city"


def _coord(value: str, lo: float, hi: float, what: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowRejected(f"{what} {value!r} is not a number") from None
    if not lo <= number <= hi:
        raise RowRejected(f"{what} {number} is outside [{lo}, {hi}]")
    return number


@dataclass
class _PairResolver:
    """Turns rows into partnerships, resolving each city once and counting how."""

    registry: PlaceRegistry
    gaz: Gazetteer
    source: Source
    partnerships: dict[tuple[str, str], Partnership] = field(default_factory=dict)
    file_places: dict[tuple[str, str, float, float], str] = field(default_factory=dict)
    stats: dict[str, int] = field(
        default_factory=lambda: {"gazetteer": 0, "gazetteer_by_name_only": 0, "file_coordinates": 0}
    )

    def place(self, line: int, name: str, country: str, lat_s: str, lon_s: str) -> str:
        if not name:
            raise RowRejected("empty city name")
        iso3 = country_iso3(country)
        if iso3 is None:
            raise RowRejected(f"unknown country {country!r} for {name!r}")
        if self.registry.country(iso3) is None:
            raise RowRejected(f"no gazetteer entry for country {iso3} of {name!r}")
        lat = _coord(lat_s, -90, 90, "latitude")
        lon = _coord(lon_s, -180, 180, "longitude")
        iso2 = iso2_of(iso3) or ""
        city = self.gaz.nearest_named(name, iso2, lon, lat, MATCH_WITHIN_KM)
        if city is not None:
            self.stats["gazetteer"] += 1
            return self.registry.gazetteer_city(city.geonameid, iso3)
        if lat is None or lon is None:
            raise RowRejected(f"{name!r} ({iso3}) is not in the gazetteer and the file gives no coordinates")
        distance = distance_to_country_km(lon, lat, iso3)
        if distance is not None and distance > COUNTRY_TOLERANCE_KM:
            # the file's point is wrong; the name alone still resolves if it is unambiguous
            city = self.gaz.nearest_named(name, iso2, None, None, MATCH_WITHIN_KM)
            if city is not None:
                self.stats["gazetteer_by_name_only"] += 1
                return self.registry.gazetteer_city(city.geonameid, iso3)
            found = len(self.gaz.find(name, iso2))
            why = f"{found} gazetteer places share the name" if found else "no gazetteer place has the name"
            raise RowRejected(f"{name!r}: the file's point lies {distance:.0f} km outside {iso3} and {why}")
        self.stats["file_coordinates"] += 1
        key = (normalise_name(name), iso3, round(lat, 3), round(lon, 3))
        if key not in self.file_places:
            cite = Citation(source=self.source.id, row=line)
            self.file_places[key] = self.registry.file_place(
                Place(
                    id=f"{slugify(name)}-{iso3.lower()}",
                    name=name,
                    kind="city",
                    country=iso3,
                    parent=self.registry.country(iso3),
                    point=Point(lon=lon, lat=lat, cite=cite),
                    cite=[cite],
                    note="Located by the imported file's coordinates; no GeoNames city of this name was found nearby.",
                )
            )
        return self.file_places[key]

    @classmethod
    def of(cls, ctx: Context) -> _PairResolver:
        return cls(ctx.registry, ctx.registry.gaz, ctx.source)

    def add(self, line: int, row: dict[str, str]) -> None:
        a = self.place(line, row["city_a"], row["country_a"], row.get("lat_a", ""), row.get("lon_a", ""))
        b = self.place(line, row["city_b"], row["country_b"], row.get("lat_b", ""), row.get("lon_b", ""))
        if a == b:
            raise RowRejected(f"both cities resolve to the same place {a!r}")
        key = (min(a, b), max(a, b))
        cite = Citation(source=self.source.id, row=line)
        if key in self.partnerships:
            self.partnerships[key].cite.append(cite)
        else:
            self.partnerships[key] = self._partnership(key, row, cite)

    def _partnership(self, key: tuple[str, str], row: dict[str, str], cite: Citation) -> Partnership:
        rid = f"twin-{key[0]}--{key[1]}"
        if len(rid) > 120:
            digest = hashlib.sha1(rid.encode()).hexdigest()[:8]
            rid = f"twin-{key[0][:50].rstrip('-')}--{key[1][:50].rstrip('-')}-{digest}"
        names = (self.registry.lookup(key[0]), self.registry.lookup(key[1]))
        return Partnership(
            id=rid,
            name=" – ".join(n.name if n else "?" for n in names),
            local_term=row.get("local_term") or DEFAULT_LOCAL_TERM,
            places=key,
            level="city–city",
            established=row.get("established") or None,
            cite=[cite],
        )

    def records(self) -> list[Record]:
        return list(self.partnerships.values())

    def counts(self, registry: PlaceRegistry, rows: int, unresolved: int, seconds: float) -> ImportCounts:
        new_file_places = len(registry.file_place_ids)
        return {
            "partnerships": len(self.partnerships),
            "rows_resolved": rows - unresolved,
            "rows_unresolved": unresolved,
            "city_mentions_via_gazetteer": self.stats["gazetteer"],
            "city_mentions_via_gazetteer_name_only": self.stats["gazetteer_by_name_only"],
            "city_mentions_via_file_coordinates": self.stats["file_coordinates"],
            "new_gazetteer_places": len(registry.new_places) - new_file_places,
            "new_file_places": new_file_places,
            "seconds_resolving": seconds,
        }


SPEC = ImportSpec(
    kind="partnerships",
    describes="partnerships",
    required=("city_a", "country_a", "city_b", "country_b"),
    optional=("lat_a", "lon_a", "lat_b", "lon_b", "established", "local_term"),
    columns=DEFAULT_COLUMNS,
    builder=_PairResolver.of,
    verb="resolving",
)


def import_partnerships(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> ImportReport:
    """Import city pairs from ``path``; returns counts, timing and the first unresolved rows.

    Columns default to those of the twin-cities file (city1, country1, lat1, lng1, …); map others
    with ``columns={"city_a": "My header", …}``.
    """
    return run_import(engine, path, SPEC, columns=columns, progress=progress)
