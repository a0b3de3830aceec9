"""Country shapes for checking that a place's point lies in its country.

The shapes are Natural Earth's 1:10m admin-0 countries as packed by the npm package world-atlas
(vendored under ``beltroad/web/vendor/world-atlas``), so no network or GIS stack is needed. Even
at 1:10m a coastal or border town can fall a few kilometres outside its simplified outline;
``point_in_country`` therefore accepts a point within a stated tolerance of the outline.
"""

from __future__ import annotations

import itertools
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from shapely import make_valid, prepared
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.ops import nearest_points, unary_union

WORLD_ATLAS = Path(__file__).parents[1] / "web" / "vendor" / "world-atlas" / "countries-10m.json"

#: Natural Earth features without an ISO numeric code, and the code the gazetteer uses for them
UNCODED_FEATURES: dict[str, str] = {"N. Cyprus": "CYP", "Kosovo": "XKX", "Somaliland": "SOM"}
#: areas that Natural Earth (de facto) and GeoNames (de jure) give to different countries: a
#: point there counts as inside the claimant too. Each is a box clipped to the holder's outline.
DISPUTED_AREAS: dict[str, list[tuple[str, tuple[float, float, float, float]]]] = {
    "UKR": [("RUS", (32.4, 44.3, 36.7, 46.3))],  # Crimea
    "ESH": [("MAR", (-17.3, 20.7, -8.6, 27.67))],  # Western Sahara west of the berm
}
EARTH_RADIUS_KM = 6371.0088


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Undo TopoJSON's quantisation and delta encoding of arcs."""
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[tuple[float, float]] = []
        for dx, dy in arc:
            if transform:
                x += dx
                y += dy
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(dx), float(dy)))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    coords: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        coords.extend(arc if not coords else arc[1:])
    return coords


def _crosses_antimeridian(ring: list[tuple[float, float]]) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(ring))


def _polygon(arcs: list[list[tuple[float, float]]], rings: list[list[int]]) -> Any:
    """A polygon from its rings, or None when quantisation collapsed its shell.

    A ring that crosses the antimeridian (Russia's, Fiji's) jumps from +180 to -180; taken as is
    it would draw an edge across the whole map. Such polygons are unwrapped to 0–360°, then cut at
    180° and the eastern part moved back by -360°.
    """
    shell, *holes = (_ring(arcs, r) for r in rings)
    if len(shell) < 4:
        return None
    holes = [h for h in holes if len(h) >= 4]
    if not (_crosses_antimeridian(shell) or any(_crosses_antimeridian(h) for h in holes)):
        return Polygon(shell, holes)

    def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x + 360 if x < 0 else x, y) for x, y in ring]

    whole = make_valid(Polygon(unwrap(shell), [unwrap(h) for h in holes]))
    west = whole.intersection(box(-180, -90, 180, 90))
    east = translate(whole.intersection(box(180, -90, 540, 90)), xoff=-360)
    return unary_union([west, east])


@cache
def country_shapes() -> dict[str, Any]:
    """ISO 3166-1 alpha-3 code → country outline (Natural Earth 1:50m)."""
    topology = json.loads(WORLD_ATLAS.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    parts: dict[str, list[Polygon]] = {}
    for geom in topology["objects"]["countries"]["geometries"]:
        numeric = geom.get("id")
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        code = (
            country.alpha_3 if country else UNCODED_FEATURES.get(geom.get("properties", {}).get("name", ""))
        )
        if code is None:
            continue
        if geom["type"] == "Polygon":
            found = [_polygon(arcs, geom["arcs"])]
        elif geom["type"] == "MultiPolygon":
            found = [_polygon(arcs, rings) for rings in geom["arcs"]]
        else:
            continue
        polys = [
            q for p in found if p is not None for q in getattr(p, "geoms", [p]) if isinstance(q, Polygon)
        ]
        # several features can share one code (Australia and its Ashmore and Cartier Islands)
        parts.setdefault(code, []).extend(polys)
    # quantisation can make a ring touch itself; repair rather than drop such a part
    shapes: dict[str, Any] = {code: make_valid(MultiPolygon(polys)) for code, polys in parts.items()}
    for claimant, areas in DISPUTED_AREAS.items():
        for holder, bounds in areas:
            if holder in shapes:
                claimed = shapes[holder].intersection(box(*bounds))
                shapes[claimant] = unary_union([shapes.get(claimant, MultiPolygon()), claimed])
    return shapes


@cache
def _prepared(iso3: str) -> Any:
    return prepared.prep(country_shapes()[iso3])


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_to_country_km(lon: float, lat: float, iso3: str) -> float | None:
    """0 inside the outline, else the distance to it; ``None`` when the country has no shape."""
    if iso3 not in country_shapes():
        return None
    point = Point(lon, lat)
    if _prepared(iso3).contains(point):
        return 0.0
    nearest = nearest_points(country_shapes()[iso3], point)[0]
    return haversine_km(lon, lat, nearest.x, nearest.y)


def point_in_country(lon: float, lat: float, iso3: str, tolerance_km: float = 10.0) -> bool | None:
    """Whether the point lies in (or within ``tolerance_km`` of) the country; ``None`` if unknown."""
    distance = distance_to_country_km(lon, lat, iso3)
    return None if distance is None else distance <= tolerance_km
