"""Country shapes for checking that a place's point lies in its country.

The shapes are Natural Earth's 1:50m admin-0 countries as packed by the npm package world-atlas
(vendored under ``beltroad/web/vendor/world-atlas``, which the web map also uses), so no network
or GIS stack is needed. At 1:50m a border town can fall a few kilometres outside its simplified
outline; ``point_in_country`` therefore accepts a point within a stated tolerance of the outline.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from shapely import make_valid, prepared
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import nearest_points

WORLD_ATLAS = Path(__file__).parents[1] / "web" / "vendor" / "world-atlas" / "countries-50m.json"
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


def _polygon(arcs: list[list[tuple[float, float]]], rings: list[list[int]]) -> Polygon:
    shell, *holes = (_ring(arcs, r) for r in rings)
    return Polygon(shell, holes)


@cache
def country_shapes() -> dict[str, Any]:
    """ISO 3166-1 alpha-3 code → country outline (Natural Earth 1:50m)."""
    topology = json.loads(WORLD_ATLAS.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes: dict[str, Any] = {}
    for geom in topology["objects"]["countries"]["geometries"]:
        numeric = geom.get("id")
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        if country is None:
            continue
        if geom["type"] == "Polygon":
            polys = [_polygon(arcs, geom["arcs"])]
        elif geom["type"] == "MultiPolygon":
            polys = [_polygon(arcs, rings) for rings in geom["arcs"]]
        else:
            continue
        # quantisation can make a ring touch itself; repair rather than drop such a part
        shapes[country.alpha_3] = make_valid(MultiPolygon(polys)) if polys else MultiPolygon()
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
