"""Infrastructure scenarios: a new link (a bridge, a line) in the network, and what it changes.

A scenario is a YAML file naming the knowledge-base project it models, its sources, and its
changes. A ``link`` joins two points (each snapped to the nearest node, within ``SNAP_KM``); where the
network already has the link (the Tongjiang bridge opened in 2022 and is in OpenStreetMap), the
baseline is the network without it, so "before" and "after" keep their meaning.

The origin–destination matrix is computed once for the baseline; the scenario is then evaluated
from it and from the times between the places and the new links' ends, instead of all origins
again (``distances.with_links``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field
from scipy import sparse

from beltroad.data.gazetteer import city_table
from beltroad.data.yaml_models import read_model
from beltroad.errors import ValidationFailed
from beltroad.model import Feature, FeatureCollection
from beltroad.store import CorridorCountries
from beltroad.transport.changes import Change, Point, snap
from beltroad.transport.distances import UNITS_PER_USD, Distances, add_links, with_links
from beltroad.transport.results import (
    CorridorChange,
    CountryChange,
    Endpoint,
    HighlightChange,
    LinkHours,
    PairChange,
    Route,
    Saving,
    ScenarioEffect,
    ScenarioRun,
)
from beltroad.transport.routing import Router

SCENARIOS = Path(__file__).with_name("scenarios")
#: the cities a scenario pairs by default: this many people or more (in the corridors' countries)
DEFAULT_MIN_POPULATION = 500_000


class Citation(BaseModel):
    model_config = ConfigDict(extra="allow")
    title: str
    url: str | None = None


class Highlight(BaseModel):
    """A group of origins (the cities of one first-level division) and one destination to report."""

    model_config = ConfigDict(extra="forbid")
    region: Annotated[
        str, Field(pattern=r"^[A-Z]{2}\.[0-9A-Z]{1,3}$", description="GeoNames ISO2.admin1, e.g. CN.08")
    ]
    region_name: str
    to: Point
    to_name: str
    min_population: int = 100_000


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    project: str
    mode: Literal["rail"] = "rail"
    summary: str
    countries: Annotated[list[str], Field(min_length=1)]
    changes: Annotated[list[Change], Field(min_length=1)]
    cite: Annotated[list[Citation], Field(min_length=1)]
    highlights: list[Highlight] = []


def shipped_scenarios() -> list[Scenario]:
    """Every scenario shipped with beltroad, in the order of their ids."""
    return [load_scenario(p.stem) for p in sorted(SCENARIOS.glob("*.yaml"))]


def load_scenario(name_or_path: str) -> Scenario:
    """A shipped scenario by id, or a YAML file; problems name the field."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIOS / f"{name_or_path}.yaml"
    if not path.is_file():
        shipped = ", ".join(sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
        msg = f"no scenario {name_or_path!r}; shipped: {shipped}"
        raise ValidationFailed(msg)
    return read_model(path, Scenario)


def link_hours(router: Router, scenario: Scenario) -> list[tuple[int, int, float]]:
    """The edges the scenario's changes add, as (node, node, hours), in the order of its changes."""
    return _edges(_edges_by_change(router, scenario))


def _edges_by_change(router: Router, scenario: Scenario) -> list[tuple[Change, list[tuple[int, int, float]]]]:
    """Each change with the edges it adds (the costs and a route's steps need to know whose)."""
    return [(change, change.edges(router, f"changes.{k}")) for k, change in enumerate(scenario.changes)]


def _edges(by_change: list[tuple[Change, list[tuple[int, int, float]]]]) -> list[tuple[int, int, float]]:
    return [edge for _change, edges in by_change for edge in edges]


def without_links(matrix: sparse.csr_matrix, links: list[tuple[int, int, float]]) -> sparse.csr_matrix:
    """A copy of the router's time (or cost) matrix without any edge between the links' ends."""
    matrix = matrix.copy()
    for u, v, _h in links:
        for a, b in ((u, v), (v, u)):
            row = slice(matrix.indptr[a], matrix.indptr[a + 1])
            matrix.data[row][matrix.indices[row] == b] = 0.0
    matrix.eliminate_zeros()
    return matrix


def scenario_route(router: Router, scenario: Scenario, start: Endpoint, end: Endpoint) -> Route:
    """The route with the scenario's links, and what it saves against the baseline without them."""
    if router.network.mode != scenario.mode:
        msg = f"scenario {scenario.id!r} changes the {scenario.mode} network; route it with --mode {scenario.mode}"
        raise ValidationFailed(msg)
    by_change = _edges_by_change(router, scenario)
    links = _edges(by_change)
    base = without_links(router.hours, links)
    # a route's description counts a border on its own, so the links carry their moving hours
    added = {pair: step for change, edges in by_change for pair, step in change.steps(router, edges).items()}
    after = router.variant(add_links(base, links), added).route(start, end)
    try:
        before: Route | None = router.variant(base, {}).route(start, end)
    except ValidationFailed:  # the scenario's links are the only way between them
        before = None
    hours_after = after.time_h.total
    effect = ScenarioEffect(
        id=scenario.id,
        name=scenario.name,
        baseline="the network without the project's links",
        uses_new_links=(after.added_links_km or 0.0) > 0,
        hours_before=before.time_h.total if before else None,
        hours_after=hours_after,
        hours_saved=round(before.time_h.total - hours_after, 2) if before else None,
        km_before=before.distance_km if before else None,
        km_after=after.distance_km,
        sources=[c.model_dump() for c in scenario.cite],
    )
    return dataclasses.replace(after, scenario=effect)


def evaluate_scenario(
    router: Router,
    scenario: Scenario,
    places: list[Endpoint],
    weights: list[float],
    corridors: Sequence[CorridorCountries] | None = None,
    *,
    trade: TradeWeights | None = None,
) -> ScenarioRun:
    """Before and after for every pair of places; changes per pair, per country and per corridor
    (``corridors``: id, name and ISO3 countries, as the knowledge base lists them; ``trade``: the
    per-country means' weights where a trade data set is given)."""
    net = router.network
    by_change = _edges_by_change(router, scenario)
    links = _edges(by_change)
    existing = [bool(router.hours[u, v]) for u, v, _ in links]
    distances = Distances(without_links(router.hours, links), router.network)
    # a place farther from the network than an access leg may run is left out, and said so
    reach = router.params["access_max_km"]
    snapped = [router.network.nearest(p.lat, p.lon) for p in places]
    left_out = [
        {"name": p.name, "km": round(km, 1)}
        for p, (_n, km) in zip(places, snapped, strict=True)
        if km > reach
    ]
    kept = [k for k, (_n, km) in enumerate(snapped) if km <= reach]
    places, weights = [places[k] for k in kept], [weights[k] for k in kept]
    nodes = np.array([snapped[k][0] for k in kept], dtype=np.int64)
    before = distances.square(nodes)
    after = with_links(distances, before, nodes, links)
    usd_before, usd_after = _costs(router, by_change, nodes)
    n = len(places)
    with np.errstate(invalid="ignore"):  # inf - inf for pairs the network never joins
        saved = before - after
    pairs = [
        PairChange(
            origin=places[i].name,
            destination=places[j].name,
            from_point=(places[i].lon, places[i].lat),
            to_point=(places[j].lon, places[j].lat),
            hours_before=_finite(before[i, j]),
            hours_after=_finite(after[i, j]),
            hours_saved=_finite(saved[i, j]),
            percent_saved=_finite(100 * saved[i, j] / before[i, j]) if np.isfinite(before[i, j]) else None,
            usd_before=_finite(usd_before[i, j]),
            usd_after=_finite(usd_after[i, j]),
        )
        for i in range(n)
        for j in range(i + 1, n)  # the network is undirected: each pair once
        if (saved[i, j] > 1e-9 or (not np.isfinite(before[i, j]) and np.isfinite(after[i, j])))
    ]
    pairs.sort(key=_saving_order)
    countries = [p.ref.split(":")[1] if p.ref.startswith("city:") else "" for p in places]
    highlights = [_highlight(router, h, distances, links) for h in scenario.highlights]
    return ScenarioRun(
        scenario=scenario.id,
        name=scenario.name,
        project=scenario.project,
        links=[
            LinkHours(
                start=(float(net.lon[u]), float(net.lat[u]))
                if change is None
                else (change.start.lon, change.start.lat),
                end=(float(net.lon[v]), float(net.lat[v]))
                if change is None
                else (change.end.lon, change.end.lat),
                hours=round(h, 2),
                already_in_network=e,
            )
            for change, (u, v, h), e in zip(_owners(by_change), links, existing, strict=True)
        ],
        baseline="the network without the project's links" if any(existing) else "the network as it is",
        places=n,
        left_out=left_out,
        pairs_improved=len(pairs),
        pairs=pairs,
        by_country=_by_country(countries, weights, before, after, (usd_before, usd_after), trade=trade),
        by_corridor=_by_corridor(corridors or [], countries, weights, before, after),
        highlights=highlights,
        sources=[c.model_dump() for c in scenario.cite],
    )


def _owners(by_change: list[tuple[Change, list[tuple[int, int, float]]]]) -> list[Change | None]:
    """The change behind each edge, for the result's rows (its own ends where it has one edge)."""
    return [change if len(edges) == 1 else None for change, edges in by_change for _edge in edges]


def _costs(
    router: Router, by_change: list[tuple[Change, list[tuple[int, int, float]]]], nodes: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """US dollars per TEU on the cheapest route between the places, before and after."""
    usd_links = [edge for change, edges in by_change for edge in change.usd_edges(router, edges)]
    costs = Distances(without_links(router.usd, usd_links), router.network, units_per=UNITS_PER_USD)
    before = costs.square(nodes)
    return before, with_links(costs, before, nodes, usd_links)


def _saving_order(pair: PairChange) -> float:
    # pairs first joined by the scenario (no baseline route) sort before the largest savings
    saved = pair.hours_saved
    return -math.inf if saved is None else -float(saved)


def _finite(value: float) -> float | None:
    return round(float(value), 2) if np.isfinite(value) else None


def weighted_means(
    before: np.ndarray, after: np.ndarray, weights: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> tuple[float, float] | None:
    """Weighted mean hours before and after over the pairs ``rows`` × ``cols`` that a route joins
    both before and after (weight of a pair: the product of its ends' weights); None if none."""
    block_before, block_after = before[np.ix_(rows, cols)], after[np.ix_(rows, cols)]
    ok = np.isfinite(block_before) & np.isfinite(block_after)
    pair_w = np.outer(weights[rows], weights[cols]) * ok
    total = pair_w.sum()
    if total == 0:
        return None
    return (
        float((np.where(ok, block_before, 0) * pair_w).sum() / total),
        float((np.where(ok, block_after, 0) * pair_w).sum() / total),
    )


def _by_corridor(
    corridors: Sequence[CorridorCountries],
    countries: list[str],
    weights: list[float],
    before: np.ndarray,
    after: np.ndarray,
) -> list[CorridorChange]:
    """Weighted mean change over the pairs of places in two different countries of a corridor.

    A corridor is measured only where the run has places in two or more of its countries; the
    knowledge base lists a corridor's countries only as far as its sources name them, so some
    corridors say why they are not measured instead of giving a number."""
    out = []
    w = np.array(weights, dtype=float)
    present = np.array(countries)
    for corridor in corridors:
        members = [c for c in corridor["countries"] if c in set(countries)]
        named: dict[str, Any] = {"corridor": corridor["id"], "name": corridor["name"], "countries": members}
        if len(members) < 2:
            listed = ", ".join(corridor["countries"]) or "none"
            note = (
                f"not measured: the knowledge base lists {listed} for it, and this run has places in "
                f"{len(members)} of them"
            )
            out.append(CorridorChange(**named, note=note))
            continue
        total_w = total_before = total_after = 0.0
        for k, a in enumerate(members):
            for b in members[k + 1 :]:
                rows, cols = np.flatnonzero(present == a), np.flatnonzero(present == b)
                block_before, block_after = before[np.ix_(rows, cols)], after[np.ix_(rows, cols)]
                ok = np.isfinite(block_before) & np.isfinite(block_after)
                pair_w = np.outer(w[rows], w[cols]) * ok
                total_w += float(pair_w.sum())
                total_before += float((np.where(ok, block_before, 0) * pair_w).sum())
                total_after += float((np.where(ok, block_after, 0) * pair_w).sum())
        if total_w == 0:
            note = "not measured: no pair of its countries' places is joined both before and after"
            out.append(CorridorChange(**named, note=note))
            continue
        mean_before, mean_after = total_before / total_w, total_after / total_w
        out.append(
            CorridorChange(
                **named,
                weighted_hours_before=round(mean_before, 2),
                weighted_hours_after=round(mean_after, 2),
                percent_saved=round(100 * (mean_before - mean_after) / mean_before, 3)
                if mean_before
                else 0.0,
                weights="population",
            )
        )
    return out


@dataclass
class TradeWeights:
    """Trade between pairs of countries (both directions), to weight the per-country means."""

    label: str  # the data set and year, as the result names them
    totals: dict[tuple[str, str], float]


def _by_country(
    countries: list[str],
    weights: list[float],
    before: np.ndarray,
    after: np.ndarray,
    usd: tuple[np.ndarray, np.ndarray],
    *,
    trade: TradeWeights | None = None,
) -> list[CountryChange]:
    """Mean change of hours (and of the cheapest cost) from each country's places to the others'.

    Pairs of places are weighted by their populations. With trade weights, each partner country's
    population-weighted mean counts by the trade between the two countries instead, wherever the
    data set has that trade; a country with no such partner keeps the population weights."""
    out = []
    w = np.array(weights, dtype=float)
    present = np.array(countries)
    for code in sorted(set(countries) - {""}):
        mine = present == code
        by_trade = _trade_weighted(code, present, w, (before, after, *usd), trade) if trade else None
        if trade is not None and by_trade is not None:
            means, costs, label = by_trade[:2], by_trade[2:], f"trade ({trade.label})"
        else:
            found = weighted_means(before, after, w, mine, ~mine)
            if found is None:
                continue
            means, label = found, "population"
            costs = weighted_means(usd[0], usd[1], w, mine, ~mine) or (math.nan, math.nan)
        mean_before, mean_after = means
        out.append(
            CountryChange(
                country=code,
                weighted_hours_before=round(mean_before, 2),
                weighted_hours_after=round(mean_after, 2),
                percent_saved=round(100 * (mean_before - mean_after) / mean_before, 3)
                if mean_before
                else 0.0,
                weighted_usd_before=_finite(costs[0]),
                weighted_usd_after=_finite(costs[1]),
                weights=label,
            )
        )
    return out


def _trade_weighted(
    code: str,
    present: NDArray[np.str_],
    w: NDArray[np.float64],
    matrices: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    trade: TradeWeights,
) -> tuple[float, float, float, float] | None:
    """Hours before and after, USD before and after, averaged over partner countries by trade;
    None where the data set has trade with none of them."""
    mine = present == code
    total = 0.0
    sums = np.zeros(4)
    for partner in sorted(set(present.tolist()) - {code, ""}):
        value = trade.totals.get((code, partner), 0.0)
        if value <= 0:
            continue
        theirs = present == partner
        hours = weighted_means(matrices[0], matrices[1], w, mine, theirs)
        usd = weighted_means(matrices[2], matrices[3], w, mine, theirs)
        if hours is None or usd is None:
            continue
        total += value
        sums += value * np.array([*hours, *usd])
    if total == 0:
        return None
    a, b, c, d = (float(x) for x in sums / total)
    return a, b, c, d


def cities(
    countries: list[str], *, limit: int, min_population: int = 0
) -> tuple[list[Endpoint], list[float]]:
    """The largest GeoNames cities of some countries (ISO3), most populous first, with populations."""
    import pycountry

    table = city_table()
    names, iso2, lat, lon, pop = table.name, table.iso2, table.lat, table.lon, table.population
    wanted = {}
    for code in countries:
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            msg = f"{code!r} is not an ISO 3166 alpha-3 country code"
            raise ValidationFailed(msg)
        wanted[country.alpha_2] = code
    chosen = sorted(
        (i for i, c in enumerate(iso2) if c in wanted and pop[i] >= min_population), key=lambda i: -pop[i]
    )[:limit]
    places = [
        Endpoint(names[i], f"{names[i]} ({iso2[i]})", float(lat[i]), float(lon[i]), f"city:{wanted[iso2[i]]}")
        for i in chosen
    ]
    return places, [float(pop[i]) for i in chosen]


def _highlight(
    router: Router, h: Highlight, distances: Distances, links: list[tuple[int, int, float]]
) -> HighlightChange:
    """Population-weighted hours from a division's cities to one place, before and after."""
    iso2, admin1 = h.region.split(".")
    table = city_table()
    chosen = [
        i
        for i in range(len(table.name))
        if table.iso2[i] == iso2 and table.admin1[i] == admin1 and table.population[i] >= h.min_population
    ]
    if not chosen:
        msg = f"highlights: no city of {h.min_population:,} people or more in {h.region}"
        raise ValidationFailed(msg)
    net = router.network
    origins = np.array([net.nearest(float(table.lat[i]), float(table.lon[i]))[0] for i in chosen])
    target = snap(net, h.to, "highlights.to")
    nodes = np.append(origins, target)
    before = distances.square(nodes)
    after = with_links(distances, before, nodes, links)
    pop = table.population[chosen].astype(float)
    b, a = before[:-1, -1], after[:-1, -1]
    ok = np.isfinite(b) & np.isfinite(a)
    with np.errstate(invalid="ignore"):
        best = int(np.argmax(np.where(ok, b - a, -np.inf)))
    return HighlightChange(
        origin=f"{h.region_name}: {int(ok.sum())} cities of {h.min_population:,}+ people (GeoNames)",
        destination=h.to_name,
        weighted_hours_before=round(float((b[ok] * pop[ok]).sum() / pop[ok].sum()), 2),
        weighted_hours_after=round(float((a[ok] * pop[ok]).sum() / pop[ok].sum()), 2),
        largest_saving=Saving(
            city=table.name[chosen[best]],
            hours_before=round(float(b[best]), 2),
            hours_after=round(float(a[best]), 2),
            km_before=round(float(b[best] * router.params["speed_kmh"]), 0),
            km_after=round(float(a[best] * router.params["speed_kmh"]), 0),
        ),
    )


def pairs_geojson(result: ScenarioRun, limit: int = 500) -> FeatureCollection:
    """The improved city pairs as straight lines (a map layer of who gains, not of the routes)."""
    keys = ("from", "to", "hours_before", "hours_after", "hours_saved", "percent_saved")
    features: list[Feature] = []
    for pair in result.pairs[:limit]:
        row = pair.to_json()
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [row["from_point"], row["to_point"]]},
                "properties": {k: row[k] for k in keys},
            }
        )
    return {"type": "FeatureCollection", "features": features, "scenario": result.scenario}
