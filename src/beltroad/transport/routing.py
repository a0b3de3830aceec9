"""Routes by rail, road, sea or all three: distance, time split into moving, border and transfer
time, cost, the legs by mode and country, the border crossings and mode changes passed, and the
geometry as GeoJSON.

Places resolve through the knowledge base first (Chongqing, Horgos…) and then the GeoNames
gazetteer (Duisburg); each end snaps to the nearest node where a trip may start (any rail or road
node; a port for sea), and the access distance is reported as its own leg, never hidden in a
straight line. Times and costs come from ``params.yaml``, each value with its source: a speed and
a cost per TEU-km per mode, hours and US dollars per border and per gauge break, hours and dollars
per change of mode at a port or terminal, and the curated dry ports' own handling hours. A
multimodal route takes the fastest mix; its mode changes are listed.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from scipy import sparse
from scipy.sparse import csgraph
from sqlalchemy import Connection

from beltroad.data.gazetteer import city_name_index, city_table
from beltroad.data.geography import haversine_km as great_circle_km
from beltroad.errors import AmbiguousName, RecordNotFound, ValidationFailed, check_choice
from beltroad.model.names import normalise_name, romanise_cyrillic
from beltroad.store import place_point, resolve
from beltroad.transport.borders import BorderCosts
from beltroad.transport.modes import MODE_CODES, MODE_NAMES, MODES, SINGLE_MODES
from beltroad.transport.network import (
    Network,
    default_params,
    haversine_km,
    load,
    place_of,
)
from beltroad.transport.results import (
    AccessLeg,
    BorderCrossing,
    CostSplit,
    Endpoint,
    Leg,
    ModeChange,
    Route,
    TimeSplit,
)


def parameter_values(mode: str, overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The mode's parameter values with overrides applied; unknown names and bad values refused."""
    table = default_params()[mode]
    values = {name: float(entry["value"]) for name, entry in table.items()}
    for name, value in (overrides or {}).items():
        check_choice(name, values, f"{mode} parameter")
        values[name] = value
    if "speed_kmh" in values and values["speed_kmh"] <= 0:
        msg = f"{mode} parameter speed_kmh must be above 0, got {values['speed_kmh']:g}"
        raise ValidationFailed(msg)
    for name, value in values.items():
        if value < 0:
            msg = f"{mode} parameter {name} must not be negative, got {value:g}"
            raise ValidationFailed(msg)
    return values


def multimodal_values(overrides: dict[str, float] | None = None) -> dict[str, dict[str, float]]:
    """Each mode's parameters and the transfer hours; overrides are named MODE.NAME (road.speed_kmh)."""
    split: dict[str, dict[str, float]] = {}
    for name, value in (overrides or {}).items():
        section, _, key = name.partition(".")
        if section not in (*SINGLE_MODES, "transfer") or not key:
            msg = f"a multimodal parameter is MODE.NAME with MODE one of {', '.join(SINGLE_MODES)}, transfer; got {name!r}"
            raise ValidationFailed(msg)
        split.setdefault(section, {})[key] = value
    return {section: parameter_values(section, split.get(section)) for section in (*SINGLE_MODES, "transfer")}


@dataclass(frozen=True)
class Crossing:
    """The hours and dollars one border crossing adds, as ``Router.crossing`` counts them."""

    border_h: float
    gauge_h: float
    usd: float
    gauge_break: bool

    @property
    def hours(self) -> float:
        return self.border_h + self.gauge_h


@cache
def _by_name() -> dict[str, list[int]]:
    """Normalised name or GeoNames alternate name → rows of the city table, so Urumqi, Ürümqi,
    Urumchi and 乌鲁木齐 route alike (built once: routes are asked for often)."""
    row = {int(g): i for i, g in enumerate(city_table().geonameid.tolist())}
    index: dict[str, list[int]] = {}
    for key, ids in city_name_index().items():
        rows = sorted({row[g] for g in ids if g in row})
        if rows:
            index[key] = rows
    return index


def resolve_endpoint(conn: Connection, text: str) -> Endpoint:
    """A place of the knowledge base, else the gazetteer city of that name that dominates others."""
    try:
        record_id = resolve(conn, text, kind="place")
    except RecordNotFound:
        record_id = None
    if record_id:
        row = place_point(conn, record_id)
        if row is not None and row.lat is not None and row.lon is not None:
            return Endpoint(text, row.name, float(row.lat), float(row.lon), record_id)
    return gazetteer_endpoint(text)


def gazetteer_endpoint(text: str) -> Endpoint:
    """The GeoNames city of that name ('Chita (RU)' names its country) that dominates the others
    of the name; unknown names are answered with the closest ones."""
    cities = city_table()
    names, iso2, lat, lon, pop = cities.name, cities.iso2, cities.lat, cities.lon, cities.population
    name, country = name_and_country(text)
    index = _by_name()
    # a Cyrillic name GeoNames lacks may still be one of its Latin ones (Урумчи → urumchi)
    keys = [normalise_name(name), normalise_name(romanise_cyrillic(name) or "")]
    hits = sorted(next((index[k] for k in keys if k in index), []), key=lambda i: -pop[i])
    if country:
        hits = [i for i in hits if iso2[i] == country]
    if not hits:
        close = _close_cities(name, country)
        hint = f"; closest: {', '.join(close)}" if close else ""
        msg = f"no place named {text!r} in the knowledge base or the GeoNames gazetteer{hint}"
        raise RecordNotFound(msg)
    if len(hits) > 1 and pop[hits[0]] < 10 * max(pop[hits[1]], 1):
        listed = "; ".join(f"{names[i]} ({iso2[i]}, population {pop[i]:,})" for i in hits[:6])
        msg = (
            f"{text!r} names several cities: {listed}; name the country as in "
            f"'{names[hits[0]]} ({iso2[hits[0]]})', or add the place to the knowledge base"
        )
        raise AmbiguousName(msg)
    i = hits[0]
    return Endpoint(text, f"{names[i]} ({iso2[i]})", float(lat[i]), float(lon[i]), f"geonames:{names[i]}")


_WITH_COUNTRY = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<paren>[A-Za-z]{2})\)|,\s*(?P<comma>[A-Za-z]{2}))$")


def name_and_country(text: str) -> tuple[str, str | None]:
    """'Chita (RU)' or 'Chita, RU' → ('Chita', 'RU'): the form routes print their ends in, and
    scenario and study files write their places in."""
    found = _WITH_COUNTRY.match(text.strip())
    if not found:
        return text.strip(), None
    return found["name"], (found["paren"] or found["comma"]).upper()


def _close_cities(name: str, country: str | None, limit: int = 5) -> list[str]:
    """Gazetteer cities whose names are near ``name`` (a typo, another spelling), the closest
    first and the more populous first among equals, written as a route would accept them."""
    cities = city_table()
    index = _by_name()
    hits = process.extract(normalise_name(name), list(index), scorer=fuzz.ratio, limit=limit * 4, score_cutoff=75)
    ranked = []
    for key, score, _ in hits:
        rows = [i for i in index[key] if country is None or cities.iso2[i] == country]
        if rows:
            best = max(rows, key=lambda i: cities.population[i])
            ranked.append(
                (-score, -int(cities.population[best]), f"{cities.name[best]} ({cities.iso2[best]})")
            )
    return [label for *_, label in sorted(ranked)[:limit]]


def _near(lat: float, lon: float) -> str:
    """The gazetteer town nearest a point (within 60 km), to name a border crossing."""
    cities = city_table()
    names, iso2, clat, clon = cities.name, cities.iso2, cities.lat, cities.lon
    km = haversine_km(np.full(len(clat), lat), np.full(len(clat), lon), clat, clon)
    best = int(np.argmin(km))
    if km[best] > 60:
        return f"{lat:.3f}, {lon:.3f}"
    return f"{names[best]} ({iso2[best]})"


class Router:
    """Shortest routes by time on one network with one set of parameters."""

    def __init__(
        self, network: Network, overrides: dict[str, float] | None = None, borders: BorderCosts | None = None
    ) -> None:
        self.network = network
        #: per-country border hours and fees in place of the one figure per crossing
        self.borders = borders
        if network.mode == "multimodal":
            nested = multimodal_values(overrides)
            self.params: dict[str, Any] = nested
            self.per_mode = {m: nested[m] for m in SINGLE_MODES}
            self.transfer = nested["transfer"]
        else:
            self.params = parameter_values(network.mode, overrides)
            self.per_mode = {network.mode: self.params}
            self.transfer = {}
        self.entry_mode = "road" if network.mode == "multimodal" else network.mode
        modes = network.modes()
        km = network.km.tocoo()
        src, dst = km.row, km.col
        m_src, m_dst = modes[src], modes[dst]
        same = m_src == m_dst
        c_src, c_dst = network.country[src], network.country[dst]
        crossing = same & (c_src != c_dst) & (c_src != "") & (c_dst != "")
        broad = sorted(_broad_gauge())
        gauge_break = (
            crossing & (m_src == MODE_CODES["rail"]) & (np.isin(c_src, broad) != np.isin(c_dst, broad))
        )
        per_edge = {
            name: np.zeros(len(src))
            for name in (
                "speed_kmh",
                "border_crossing_h",
                "gauge_break_h",
                "usd_per_teu_km",
                "usd_per_border_crossing",
                "usd_per_gauge_break",
            )
        }
        for mode_name, values in self.per_mode.items():
            chosen = m_src == MODE_CODES[mode_name]
            for name, column in per_edge.items():
                column[chosen] = values[name]
        speed = np.where(same, per_edge["speed_kmh"], 1.0)
        #: a curated dry port's own handling hours on its rail node (NaN elsewhere)
        self.wait_at = _dry_port_waits(network) if self.transfer else np.zeros(0)
        drive, wait, haul, charge = self._change(km.data, src, dst, m_src, m_dst)
        border_h = crossing * per_edge["border_crossing_h"]
        border_usd = crossing * per_edge["usd_per_border_crossing"]
        if borders is not None:
            for k in np.nonzero(crossing)[0]:
                border_h[k], border_usd[k] = self._border(c_src[k], c_dst[k], (border_h[k], border_usd[k]))
        moving = km.data / speed + border_h + gauge_break * per_edge["gauge_break_h"]
        hours = np.where(same, moving, drive + wait)
        self.hours = sparse.csr_matrix((np.maximum(hours, 1e-9), (src, dst)), shape=network.km.shape)
        usd = km.data * per_edge["usd_per_teu_km"]
        usd += border_usd + gauge_break * per_edge["usd_per_gauge_break"]
        usd = np.where(same, usd, haul + charge)
        #: US dollars per TEU on each edge, as the routes' cost counts them
        self.usd = sparse.csr_matrix((np.maximum(usd, 1e-9), (src, dst)), shape=network.km.shape)
        #: links not in the network (a scenario's): (from, to) → (km, hours)
        self.links: dict[tuple[int, int], tuple[float, float]] = {}

    def _border(self, here: str, there: str, default: tuple[float, float]) -> tuple[float, float]:
        """Hours and dollars to cross from ``here`` into ``there``: the border file's two sides
        where it has both, else the cost model's one figure per crossing (``default``)."""
        found = self.borders.crossing(here, there) if self.borders is not None else None
        return default if found is None else found

    def crossing(self, u: int, v: int, mode: str | None = None) -> Crossing | None:
        """What an edge ``u``–``v`` of one mode adds at a border, with its gauge change; None where
        it crosses none. One rule for a route's description and a scenario's links (the router's
        matrices apply the same one to every edge at once). ``mode`` names the edge's mode where
        its ends are of another (a new railway that ends at a road terminal); else ``u``'s."""
        net = self.network
        here, there = str(net.country[u]), str(net.country[v])
        # an edge between two located nodes of two countries
        if not (here and there and here != there):
            return None
        code = MODE_CODES[mode] if mode is not None else int(net.modes()[u])
        values = self.per_mode[MODE_NAMES[code]]
        gauge = code == MODE_CODES["rail"] and _gauge(here) != _gauge(there)
        border_h, border_usd = self._border(here, there, (values["border_crossing_h"], values["usd_per_border_crossing"]))
        return Crossing(
            border_h=border_h,
            gauge_h=values["gauge_break_h"] if gauge else 0.0,
            usd=border_usd + (values["usd_per_gauge_break"] if gauge else 0.0),
            gauge_break=gauge,
        )

    def variant(self, hours: sparse.csr_matrix, links: dict[tuple[int, int], tuple[float, float]]) -> Router:
        """The same router over other times (a scenario's network), with the links those add."""
        other = copy.copy(self)
        other.hours, other.links = hours, links
        return other

    def terminal(self, node: int) -> tuple[float, float]:
        """Hours and US dollars to change between rail and road at a land node: its dry port's own
        handling time where it has one, else the terminal's (``transfer``); zero on a single-mode
        router, which has no change of mode."""
        at = np.array([node])
        _drive, wait, _haul, charge = self._change(
            np.zeros(1), at, at, np.array([MODE_CODES["rail"]]), np.array([MODE_CODES["road"]])
        )
        return float(wait[0]), float(charge[0])

    def _change(self, km: Any, src: Any, dst: Any, m_src: Any, m_dst: Any) -> tuple[Any, Any, Any, Any]:
        """Edges that change mode: hours driving the link by road, hours waiting at the port, dry
        port or terminal, dollars for the drive and the charge there. One rule for the router's
        matrices and the route's description, so the two cannot disagree."""
        if not self.transfer:
            zero = np.zeros(len(km))
            return zero, zero, zero, zero
        sea = MODE_CODES["sea"]
        at_port = (m_src == sea) | (m_dst == sea)
        own = np.where(np.isfinite(self.wait_at[src]), self.wait_at[src], self.wait_at[dst])
        terminal = np.where(np.isfinite(own), own, self.transfer["terminal_h"])
        wait = np.where(at_port, self.transfer["port_h"], terminal)
        charge = np.where(at_port, self.transfer["port_usd"], self.transfer["terminal_usd"])
        road = self.per_mode["road"]
        return km / road["speed_kmh"], wait, km * road["usd_per_teu_km"], charge

    def route(self, start: Endpoint, end: Endpoint) -> Route:
        """The fastest route between two resolved places on this router's network.

        Parameters
        ----------
        start, end
            Places as ``resolve_endpoint`` gives them; each snaps to the nearest node where a trip
            may start (a port for sea), within the mode's ``access_max_km``.

        Returns
        -------
        Route
            Distance, time split, cost, legs by mode and country, border crossings, changes of
            mode, access legs, the parameters used and the geometry.

        Raises
        ------
        ValidationFailed
            When a place is farther from the network than an access leg may run, or the network
            does not join the two (the message names both disconnected parts).
        """
        net = self.network
        reach = self.per_mode[self.entry_mode]["access_max_km"]
        a, a_km = net.nearest(start.lat, start.lon)
        b, b_km = net.nearest(end.lat, end.lon)
        where = "port" if net.mode == "sea" else f"{self.entry_mode} node"
        for endpoint, km in ((start, a_km), (end, b_km)):
            if km > reach:
                msg = (
                    f"{endpoint.name} is {km:,.0f} km from the nearest {where}, over the "
                    f"{reach:g} km an access leg may have; the {net.mode} network does not reach it"
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

    def _step_km(self, path: list[int]) -> tuple[NDArray[np.float64], dict[int, float]]:
        """The km of each step, and the hours of the steps along added links (by step)."""
        km_steps = np.asarray(self.network.km[path[:-1], path[1:]], dtype=float).ravel()
        link_h: dict[int, float] = {}
        for k, pair in enumerate(itertools.pairwise(path)):
            if pair in self.links:
                km_steps[k], link_h[k] = self.links[pair]
        return km_steps, link_h

    def _mode_change(self, a: int, b: int, km: float) -> tuple[dict[str, float], ModeChange]:
        """The hours and dollars of a change of mode on the edge ``a``–``b`` (by ``_change``, as the
        router counted them), and its description, named for its port or dry port where it has one."""
        net = self.network
        modes = net.modes()
        drive, wait, haul, charge = (
            float(x[0])
            for x in self._change(np.array([km]), np.array([a]), np.array([b]), modes[[a]], modes[[b]])
        )
        named = [str(net.names[x]) for x in (a, b) if net.names is not None and net.names[x]]
        change = ModeChange(
            from_mode=MODE_NAMES[int(modes[a])],
            to_mode=MODE_NAMES[int(modes[b])],
            at=named[0] if named else _near(float(net.lat[b]), float(net.lon[b])),
            link_km=round(km, 1),
            h=round(drive + wait, 2),
            dry_port=_dry_ports().get(named[0]) if named else None,
        )
        costs = {"drive_h": drive, "wait_h": wait, "haul_usd": haul, "charge_usd": charge}
        return costs, change

    def _describe(
        self, start: Endpoint, end: Endpoint, path: list[int], access: tuple[float, float]
    ) -> Route:
        net = self.network
        steps = np.array(path)
        km_steps, link_h = self._step_km(path)
        countries = net.country[steps]
        codes = net.modes()[steps]
        legs: list[dict[str, Any]] = []
        crossings: list[BorderCrossing] = []
        changes: list[ModeChange] = []
        by_mode: dict[str, float] = {}
        moving_h = border_h = transfer_h = 0.0
        usd = {"haulage": 0.0, "border": 0.0, "transfer": 0.0}
        mode = MODE_NAMES[int(codes[0])]
        legs.append({"mode": mode, "country": str(countries[0]), "km": 0.0, "from": _xy(net, steps[0])})
        for k in range(len(steps) - 1):
            i, here_mode, there_mode = int(steps[k + 1]), int(codes[k]), int(codes[k + 1])
            km = float(km_steps[k])
            if here_mode != there_mode:
                costs, change = self._mode_change(int(steps[k]), i, km)
                moving_h, transfer_h = moving_h + costs["drive_h"], transfer_h + costs["wait_h"]
                usd["haulage"], usd["transfer"] = (
                    usd["haulage"] + costs["haul_usd"],
                    usd["transfer"] + costs["charge_usd"],
                )
                by_mode["road"] = by_mode.get("road", 0.0) + km
                changes.append(change)
                if legs[-1]["km"] == 0:
                    legs.pop()  # a trip that starts with a change of mode has no leg before it
                legs.append(
                    {
                        "mode": MODE_NAMES[there_mode],
                        "country": str(countries[k + 1]),
                        "km": 0.0,
                        "from": _xy(net, i),
                    }
                )
                continue
            values = self.per_mode[MODE_NAMES[here_mode]]
            step_h = link_h.get(k, km / values["speed_kmh"])
            moving_h += step_h
            legs[-1]["h"] = legs[-1].get("h", 0.0) + step_h
            usd["haulage"] += km * values["usd_per_teu_km"]
            by_mode[MODE_NAMES[here_mode]] = by_mode.get(MODE_NAMES[here_mode], 0.0) + km
            legs[-1]["km"] += km
            legs[-1]["to"] = _xy(net, i)
            crossed = self.crossing(int(steps[k]), i)
            if crossed is not None:
                border_h += crossed.border_h
                transfer_h += crossed.gauge_h
                usd["border"] += crossed.usd
                there = str(countries[k + 1])
                crossings.append(
                    BorderCrossing(
                        mode=MODE_NAMES[here_mode],
                        from_country=str(countries[k]),
                        to_country=there,
                        near=_near(float(net.lat[i]), float(net.lon[i])),
                        lon=float(net.lon[i]),
                        lat=float(net.lat[i]),
                        gauge_break=crossed.gauge_break,
                        # the published clearing times are rail's
                        measured=_measured(net, int(steps[k]), i)
                        if here_mode == MODE_CODES["rail"]
                        else None,
                    )
                )
                legs.append(
                    {
                        "mode": MODE_NAMES[here_mode],
                        "country": there,
                        "km": 0.0,
                        "from": _xy(net, i),
                        "to": _xy(net, i),
                    }
                )
        _tidy(legs)
        total_km = float(km_steps.sum())
        where = "port" if net.mode == "sea" else f"{self.entry_mode} node"
        access_legs = [
            AccessLeg(f"access (straight line to the nearest {where})", e.name, round(km, 1))
            for e, km in ((start, access[0]), (end, access[1]))
        ]
        total_h = moving_h + border_h + transfer_h
        coords = [[float(net.lon[i]), float(net.lat[i])] for i in steps]
        return Route(
            origin=start,
            destination=end,
            mode=net.mode,
            distance_km=round(total_km, 1),
            distance_by_mode_km={m: round(v, 1) for m, v in by_mode.items()},
            time_h=TimeSplit(
                moving=round(moving_h, 2),
                border=round(border_h, 2),
                transfer=round(transfer_h, 2),
                total=round(total_h, 2),
            ),
            days=round(total_h / 24, 2),
            cost_usd_per_teu=round(sum(usd.values()), 0),
            cost_usd_split=CostSplit(**{kind: round(v, 0) for kind, v in usd.items()}),
            countries=list(dict.fromkeys(leg["country"] for leg in legs if leg["country"])),
            border_crossings=crossings,
            mode_changes=changes,
            legs=[
                Leg(
                    leg["mode"],
                    leg["country"],
                    leg["km"],
                    _lonlat(leg["from"]),
                    _lonlat(leg.get("to")),
                    leg["h"],
                )
                for leg in legs
            ],
            access=access_legs,
            parameters=self.params,
            network=net.source,
            geometry={
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "from": start.name,
                    "to": end.name,
                    "mode": net.mode,
                    "km": round(total_km, 1),
                },
            },
            added_links_km=round(float(sum(km_steps[k] for k in link_h)), 1) if self.links else None,
        )


def open_router(
    mode: str, cache_dir: Path, overrides: dict[str, float] | None = None, borders: BorderCosts | None = None
) -> Router:
    """A router on one mode's network, loaded from its cache (built and cached on first use).

    The one place that knows a network lives in a cache folder and a router is built over it, so
    front ends name a mode and get a router.

    Parameters
    ----------
    mode
        ``rail``, ``road``, ``sea`` or ``multimodal``.
    cache_dir
        The folder of cached networks and hierarchies (``Settings().data_dir / "transport"``).
    overrides
        Parameter values to use instead of ``params.yaml``'s (``speed_kmh``; multimodal:
        ``road.speed_kmh``).
    borders
        Per-country border hours and fees (``read_border_costs``) in place of the one figure per
        crossing, where the file covers both countries.

    Returns
    -------
    Router
        Shortest routes by time on that network with those parameters.
    """
    check_choice(mode, MODES, "mode")
    return Router(load(mode, cache_dir), overrides, borders)


def _lonlat(point: list[float] | None) -> Any:
    """A leg's [lon, lat] as the result's pair (None for a leg that never moved)."""
    return None if point is None else (point[0], point[1])


def _tidy(legs: list[dict[str, Any]]) -> None:
    """Drop a last leg of no length after a change of mode; round the legs' figures."""
    if len(legs) > 1 and legs[-1]["km"] == 0 and legs[-1]["mode"] != legs[-2]["mode"]:
        legs.pop()
    for leg in legs:
        leg["km"] = round(leg["km"], 1)
        leg["h"] = round(leg.get("h", 0.0), 2)


def _xy(net: Network, i: int) -> list[float]:
    return [float(net.lon[i]), float(net.lat[i])]


#: how near a route's border crossing must be to a measured crossing's place to report its time
MEASURED_CROSSING_KM = 30.0


@cache
def _measured_crossings() -> list[dict[str, Any]]:
    """The crossings of ``params.yaml`` with a published time, placed by the gazetteer."""
    params = default_params()
    found = []
    for entry in params.get("measured_crossings", []):
        lat, lon = place_of(entry, "measured crossing")
        found.append({**entry, "lat": lat, "lon": lon, "source": params["crossing_sources"][entry["cite"]]})
    return found


@cache
def _dry_ports() -> dict[str, dict[str, Any]]:
    """The curated dry ports by name, as a route reports them (``params.yaml``)."""
    return {
        entry["name"]: {k: entry[k] for k in ("name", "what", "handling_h", "handling", "cite") if k in entry}
        for entry in default_params().get("dry_ports", [])
    }


def _dry_port_waits(network: Network) -> NDArray[np.float64]:
    """Each node's own handling hours where it is a curated dry port with a published figure."""
    waits = np.full(network.size, np.nan)
    if network.names is None:
        return waits
    for name, port in _dry_ports().items():
        if "handling_h" in port:
            waits[network.names == name] = float(port["handling_h"])
    return waits


def _measured(net: Network, a: int, b: int) -> dict[str, Any] | None:
    """The published time of the measured crossing near either end of the edge ``a``–``b`` that
    crosses the border (the lines are simplified, so an edge may run far past the border)."""
    for entry in _measured_crossings():
        near = min(
            great_circle_km(float(net.lon[x]), float(net.lat[x]), entry["lon"], entry["lat"]) for x in (a, b)
        )
        if near <= MEASURED_CROSSING_KM:
            found = {k: entry[k] for k in ("place", "hours", "year", "direction", "source")}
            if "gauge_change_usd" in entry:
                found["gauge_change"] = {
                    "usd": entry["gauge_change_usd"],
                    "year": entry["usd_year"],
                    "at": entry.get("usd_at", entry["place"]),
                    "source": default_params()["crossing_sources"][entry["usd_cite"]],
                }
            return found
    return None


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
