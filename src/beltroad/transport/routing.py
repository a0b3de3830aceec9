"""Routes on the rail network: distance, time split into moving, border and transfer time, cost,
the legs by country, the border crossings passed, and the geometry as GeoJSON.

Places resolve through the knowledge base first (Chongqing, Horgos…) and then the GeoNames
gazetteer (Duisburg); each end snaps to the nearest rail node, and the access distance is reported
as its own leg, never hidden in a straight line. Times come from ``params.yaml``: a door-to-door
speed calibrated on a published route, plus optional hours per border and per gauge break.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy import sparse
from scipy.sparse import csgraph
from sqlalchemy import Connection, select

from beltroad.data.gazetteer import city_table
from beltroad.errors import AmbiguousName, RecordNotFound, ValidationFailed
from beltroad.store import tables as t
from beltroad.store.queries import resolve
from beltroad.transport.network import EARTH_RADIUS_KM, Network

PARAMS = Path(__file__).with_name("params.yaml")


@cache
def default_params() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    return loaded


def parameter_values(mode: str, overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The mode's parameter values with overrides applied; unknown names and bad values refused."""
    table = default_params()[mode]
    values = {name: float(entry["value"]) for name, entry in table.items()}
    for name, value in (overrides or {}).items():
        if name not in values:
            msg = f"unknown {mode} parameter {name!r}; known: {', '.join(values)}"
            raise ValidationFailed(msg)
        values[name] = value
    if values["speed_kmh"] <= 0:
        msg = f"{mode} parameter speed_kmh must be above 0, got {values['speed_kmh']:g}"
        raise ValidationFailed(msg)
    for name in ("border_crossing_h", "gauge_break_h", "usd_per_teu_km", "access_max_km"):
        if values[name] < 0:
            msg = f"{mode} parameter {name} must not be negative, got {values[name]:g}"
            raise ValidationFailed(msg)
    return values


@dataclass(frozen=True)
class Endpoint:
    query: str
    name: str
    lat: float
    lon: float
    ref: str


@cache
def _by_name() -> dict[str, list[int]]:
    """Lower-cased city name → rows of the city table (built once: routes are asked for often)."""
    index: dict[str, list[int]] = {}
    for i, name in enumerate(city_table().name):
        index.setdefault(name.casefold(), []).append(i)
    return index


def resolve_endpoint(conn: Connection, text: str) -> Endpoint:
    """A place of the knowledge base, else the gazetteer city of that name that dominates others."""
    try:
        record_id = resolve(conn, text, kind="place")
    except RecordNotFound:
        record_id = None
    if record_id:
        row = conn.execute(
            select(t.records.c.name, t.records.c.lat, t.records.c.lon).where(t.records.c.id == record_id)
        ).one()
        if row.lat is not None:
            return Endpoint(text, row.name, float(row.lat), float(row.lon), record_id)
    cities = city_table()
    names, iso2, lat, lon, pop = cities.name, cities.iso2, cities.lat, cities.lon, cities.population
    hits = sorted(_by_name().get(text.strip().casefold(), []), key=lambda i: -pop[i])
    if not hits:
        msg = f"no place named {text!r} in the knowledge base or the GeoNames gazetteer"
        raise RecordNotFound(msg)
    if len(hits) > 1 and pop[hits[0]] < 10 * max(pop[hits[1]], 1):
        listed = "; ".join(f"{names[i]} ({iso2[i]}, population {pop[i]:,})" for i in hits[:6])
        msg = f"{text!r} names several cities: {listed}; add it to the knowledge base or give a record id"
        raise AmbiguousName(msg)
    i = hits[0]
    return Endpoint(text, f"{names[i]} ({iso2[i]})", float(lat[i]), float(lon[i]), f"geonames:{names[i]}")


def _near(lat: float, lon: float) -> str:
    """The gazetteer town nearest a point (within 60 km), to name a border crossing."""
    cities = city_table()
    names, iso2, clat, clon = cities.name, cities.iso2, cities.lat, cities.lon
    dlat, dlon = np.radians(clat - lat), np.radians(clon - lon)
    a = np.sin(dlat / 2) ** 2 + np.cos(np.radians(lat)) * np.cos(np.radians(clat)) * np.sin(dlon / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    best = int(np.argmin(km))
    if km[best] > 60:
        return f"{lat:.3f}, {lon:.3f}"
    return f"{names[best]} ({iso2[best]})"


class Router:
    """Shortest routes by time on one network with one set of parameters."""

    def __init__(self, network: Network, overrides: dict[str, float] | None = None) -> None:
        self.network = network
        self.params = parameter_values(network.mode, overrides)
        broad = sorted(_broad_gauge())
        km = network.km.tocoo()
        src, dst = km.row, km.col
        c_src, c_dst = network.country[src], network.country[dst]
        crossing = (c_src != c_dst) & (c_src != "") & (c_dst != "")
        gauge_break = crossing & (np.isin(c_src, broad) != np.isin(c_dst, broad))
        p = self.params
        hours = (
            km.data / p["speed_kmh"] + crossing * p["border_crossing_h"] + gauge_break * p["gauge_break_h"]
        )
        self.hours = sparse.csr_matrix((np.maximum(hours, 1e-9), (src, dst)), shape=network.km.shape)

    def route(self, start: Endpoint, end: Endpoint) -> dict[str, Any]:
        net, p = self.network, self.params
        a, a_km = net.nearest(start.lat, start.lon)
        b, b_km = net.nearest(end.lat, end.lon)
        for endpoint, km in ((start, a_km), (end, b_km)):
            if km > p["access_max_km"]:
                msg = (
                    f"{endpoint.name} is {km:,.0f} km from the nearest {net.mode} node, over the "
                    f"{p['access_max_km']:g} km an access leg may have; the network does not reach it"
                )
                raise ValidationFailed(msg)
        dist, pred = csgraph.dijkstra(self.hours, indices=a, return_predecessors=True)
        if not np.isfinite(dist[b]):
            raise _disconnected(net, start, end, a, b)
        path = [b]
        while path[-1] != a:
            path.append(int(pred[path[-1]]))
        path.reverse()
        return self._describe(start, end, path, (a_km, b_km))

    def _describe(
        self, start: Endpoint, end: Endpoint, path: list[int], access: tuple[float, float]
    ) -> dict[str, Any]:
        net, p = self.network, self.params
        steps = np.array(path)
        km_steps = np.asarray(net.km[steps[:-1], steps[1:]]).ravel()
        countries = net.country[steps]
        legs: list[dict[str, Any]] = []
        crossings: list[dict[str, Any]] = []
        first = str(countries[0])
        legs.append({"mode": net.mode, "country": first, "km": 0.0, "from": _xy(net, steps[0])})
        for k in range(len(steps) - 1):
            legs[-1]["km"] += float(km_steps[k])
            legs[-1]["to"] = _xy(net, steps[k + 1])
            here, there = str(countries[k]), str(countries[k + 1])
            # the same rule as the router's: an edge between two located nodes of two countries
            if here and there and here != there:
                i = steps[k + 1]
                crossings.append(
                    {
                        "from_country": here,
                        "to_country": there,
                        "near": _near(float(net.lat[i]), float(net.lon[i])),
                        "lon": float(net.lon[i]),
                        "lat": float(net.lat[i]),
                        "gauge_break": _gauge(here) != _gauge(there),
                    }
                )
                legs.append(
                    {"mode": net.mode, "country": there, "km": 0.0, "from": _xy(net, i), "to": _xy(net, i)}
                )
        for leg in legs:
            leg["km"] = round(leg["km"], 1)
            leg["h"] = round(leg["km"] / p["speed_kmh"], 2)
        rail_km = float(km_steps.sum())
        moving_h = rail_km / p["speed_kmh"]
        border_h = len(crossings) * p["border_crossing_h"]
        transfer_h = sum(c["gauge_break"] for c in crossings) * p["gauge_break_h"]
        access_legs = [
            {"mode": "access (straight line to the nearest rail node)", "place": e.name, "km": round(km, 1)}
            for e, km in ((start, access[0]), (end, access[1]))
        ]
        total_h = moving_h + border_h + transfer_h
        coords = [[float(net.lon[i]), float(net.lat[i])] for i in steps]
        return {
            "from": start.__dict__,
            "to": end.__dict__,
            "mode": net.mode,
            "distance_km": round(rail_km, 1),
            "time_h": {
                "moving": round(moving_h, 2),
                "border": round(border_h, 2),
                "transfer": round(transfer_h, 2),
                "total": round(total_h, 2),
            },
            "days": round(total_h / 24, 2),
            "cost_usd_per_teu": round(rail_km * p["usd_per_teu_km"], 0),
            "countries": list(dict.fromkeys(leg["country"] for leg in legs if leg["country"])),
            "border_crossings": crossings,
            "legs": legs,
            "access": access_legs,
            "parameters": p,
            "network": net.source,
            "geometry": {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {"from": start.name, "to": end.name, "mode": net.mode, "km": round(rail_km, 1)},
            },
        }


def _xy(net: Network, i: int) -> list[float]:
    return [float(net.lon[i]), float(net.lat[i])]


@cache
def _broad_gauge() -> frozenset[str]:
    """Countries on 1,520 mm track (``params.yaml``); every other one counts as 1,435 mm."""
    return frozenset(default_params()["gauge_mm"][1520])


def _gauge(country: str) -> int:
    return 1520 if country in _broad_gauge() else 1435


def _disconnected(net: Network, start: Endpoint, end: Endpoint, a: int, b: int) -> ValidationFailed:
    _n, labels = csgraph.connected_components(net.km, directed=False)
    parts = []
    for endpoint, node in ((start, a), (end, b)):
        members = labels == labels[node]
        codes, counts = np.unique(net.country[members], return_counts=True)
        main = ", ".join(str(c) for c in codes[np.argsort(-counts)][:3] if c)
        parts.append(f"{endpoint.name} lies on a part of {members.sum():,} nodes ({main or 'no country'})")
    msg = f"no {net.mode} route between {start.name} and {end.name}: " + "; ".join(parts)
    return ValidationFailed(msg)
