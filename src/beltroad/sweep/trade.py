"""All of a sweep's projects together, as the World Bank's trade study measures them: shipment
times between countries, the trade costs they imply, and real income in general equilibrium.

de Soyres, Mulabdic, Murray, Rocha & Ruta (2018) route every pair of the world's cities before and
after the BRI projects, turn the saved days into trade costs by the value of time in transit, and
report the changes as trade-weighted means over country pairs: for the world and for the BRI
economies. beltroad does the same over the sweep's cities (the quickest door-to-door hours between
every two of them, with and without every project), the flows of one year of a world panel for
the weights and the general equilibrium (exact hat algebra, as ``beltroad impact``), and Hummels &
Schaur's range for the value of a day (so each figure is a range, low to high).

A country of the panel that has no city in the sweep keeps its trade costs; a study country the
panel lacks is reported for its shipment times only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from beltroad._results import Result
from beltroad.errors import ValidationFailed
from beltroad.trade import DEFAULT_THETA, VALUE_OF_TIME_RANGE, Flows, partial_from_days, solve_flows
from beltroad.trade.impact import HUMMELS_SCHAUR, SIMONOVSKA_WAUGH
from beltroad.transport import weighted_means

DE_SOYRES_2018 = (
    "de Soyres, F., Mulabdic, A., Murray, S., Rocha, N. & Ruta, M. (2018). How much will the Belt "
    "and Road Initiative reduce trade costs? World Bank Policy Research Working Paper 8614"
)
#: the study's published ranges, percent (from the lower to the upper of its two scenarios)
PUBLISHED = {
    "shipment_time_world": (-1.2, -2.5),
    "shipment_time_bri": (-1.7, -3.2),
    "trade_cost_world": (-1.1, -2.2),
    "trade_cost_bri": (-1.5, -2.8),
}


@dataclass(frozen=True)
class CountryTrade(Result):
    """One country's changes with every project built; ranges are at the value of time's ends."""

    country: str
    #: trade-weighted mean change of door-to-door days to the other study countries, percent
    shipment_time_change: float | None
    #: trade-weighted mean change of trade costs with every partner of the panel, percent, low–high
    trade_cost_change: tuple[float, float] | None
    #: real income (welfare) in general equilibrium, percent, low–high
    real_income_change: tuple[float, float] | None


@dataclass(frozen=True)
class TradeEffects(Result):
    """The all-projects scenario beside the World Bank's published ranges."""

    flows: str
    countries: list[CountryTrade]
    #: trade-weighted means over country pairs, percent: "world" over every pair of the panel,
    #: "bri" over pairs of the sweep's countries; each beside the study's range
    summary: list[dict[str, Any]]
    assumptions: dict[str, Any]


def _pct(before: float, after: float) -> float:
    return 100.0 * (after - before) / before


def trade_effects(
    hours_before: NDArray[np.float64],
    hours_after: NDArray[np.float64],
    weights: NDArray[np.float64],
    city_countries: NDArray[np.str_],
    flows: Flows,
    *,
    theta: float = DEFAULT_THETA,
    value_of_time: tuple[float, float] = VALUE_OF_TIME_RANGE,
    caveat: str | None = None,
) -> TradeEffects:
    """Shipment time, trade cost and real income changes per country, and their means.

    Parameters
    ----------
    hours_before, hours_after
        The quickest door-to-door hours between the sweep's cities, without and with every project.
    weights
        Each city's weight in its country's mean (population).
    city_countries
        Each city's country (ISO3).
    flows
        One year of a world panel, domestic sales included: the trade weights and the GE baseline.
    theta, value_of_time
        The trade elasticity, and the range of a day's value in transit (percent ad valorem).
    caveat
        What a reader must know of the flows (``trade.flows_caveat``), kept with the figures.

    Returns
    -------
    TradeEffects
        Per country and as means, with the study's ranges beside them.

    Raises
    ------
    ValidationFailed
        No country of the sweep is in the panel.
    """
    low, high = value_of_time
    study = sorted(set(city_countries.tolist()))
    index = flows.index()
    #: the study's countries the panel has, at their rows of the flows
    at = {c: index[c] for c in study if c in index}
    if not at:
        msg = f"{flows.source} has none of the sweep's countries ({', '.join(study)})"
        raise ValidationFailed(msg)
    n = len(study)
    days0, days1 = np.full((n, n), np.nan), np.full((n, n), np.nan)
    days = np.zeros_like(flows.matrix)  # days saved between the panel's countries
    for a, ca in enumerate(study):
        for b, cb in enumerate(study):
            if a == b:
                continue
            means = weighted_means(hours_before, hours_after, weights, city_countries == ca, city_countries == cb)
            if means is None:
                continue
            days0[a, b], days1[a, b] = means[0] / 24.0, means[1] / 24.0
            if ca in at and cb in at:
                days[at[ca], at[cb]] = max(days0[a, b] - days1[a, b], 0.0)
    trade = flows.matrix.copy()
    np.fill_diagonal(trade, 0.0)
    pair_weight = trade + trade.T  # a pair weighs by its trade both ways
    solved = {
        v: solve_flows(
            flows.matrix, partial_from_days(days, v, theta), theta=theta, countries=flows.countries
        ).changes()["welfare_change"]
        for v in (low, high)
    }
    cost = {v: 100.0 * np.log1p(-v * days / 100.0) for v in (low, high)}
    rows = []
    for a, c in enumerate(study):
        partners = [b for b in range(n) if b != a and np.isfinite(days0[a, b])]
        w = np.array([pair_weight[at[c], at[study[b]]] if c in at and study[b] in at else 0.0 for b in partners])
        if partners and w.sum() == 0:
            w = np.ones(len(partners))
        time = (
            float(sum(wi * _pct(days0[a, b], days1[a, b]) for wi, b in zip(w, partners, strict=True)) / w.sum())
            if partners
            else None
        )
        tc: tuple[float, float] | None = None
        income: tuple[float, float] | None = None
        if c in at:
            i, row_w = at[c], pair_weight[at[c]]
            tc = (
                float((cost[low][i] * row_w).sum() / row_w.sum()),
                float((cost[high][i] * row_w).sum() / row_w.sum()),
            )
            income = (float(solved[low][i]), float(solved[high][i]))
        rows.append(CountryTrade(c, time, tc, income))
    summary = _summary(
        study=study,
        days0=days0,
        days1=days1,
        pair_weight=pair_weight,
        cost=cost,
        at=at,
        flows=flows,
        ends=(low, high),
    )
    return TradeEffects(
        flows=f"{flows.source}, {flows.year}",
        countries=rows,
        summary=summary,
        assumptions={
            "theta": theta,
            "theta_source": SIMONOVSKA_WAUGH if theta == DEFAULT_THETA else "given",
            "value_of_time_percent_per_day": [low, high],
            "value_of_time_source": HUMMELS_SCHAUR,
            "cost_rule": "trade cost change = ln(1 - value of time × days saved / 100) per pair",
            "time_weighting": "population of the cities at both ends; a country pair by its trade both ways",
            "countries_not_in_flows": [c for c in study if c not in at],
            "published_source": DE_SOYRES_2018,
            **({"flows_caveat": caveat} if caveat else {}),
        },
    )


def _summary(
    *,
    study: list[str],
    days0: NDArray[np.float64],
    days1: NDArray[np.float64],
    pair_weight: NDArray[np.float64],
    cost: dict[float, NDArray[np.float64]],
    at: dict[str, int],
    flows: Flows,
    ends: tuple[float, float],
) -> list[dict[str, Any]]:
    """Trade-weighted means over pairs, beside the study's published ranges."""
    inside = np.zeros_like(pair_weight, dtype=bool)
    rows = list(at.values())
    inside[np.ix_(rows, rows)] = True
    np.fill_diagonal(inside, False)
    off = ~np.eye(len(flows.countries), dtype=bool)
    # shipment time over the pairs the sweep routes; "world" counts every other pair of the
    # panel as unchanged, so it is the BRI change times those pairs' share of world trade
    change, weight = [], []
    for a, ca in enumerate(study):
        for b, cb in enumerate(study):
            if a != b and np.isfinite(days0[a, b]) and ca in at and cb in at:
                change.append(_pct(days0[a, b], days1[a, b]))
                weight.append(pair_weight[at[ca], at[cb]])
    w = np.array(weight)
    bri_time = float(np.dot(change, w) / w.sum()) if w.sum() else None
    world_time = float(np.dot(change, w) / pair_weight[off].sum()) if w.sum() else None
    out: list[dict[str, Any]] = [
        {
            "measure": "shipment time",
            "group": "BRI (the sweep's countries in the panel)",
            "beltroad": bri_time,
            "published": PUBLISHED["shipment_time_bri"],
        },
        {
            "measure": "shipment time",
            "group": "world (every pair of the panel)",
            "beltroad": world_time,
            "published": PUBLISHED["shipment_time_world"],
        },
    ]
    for group, mask, key in (
        ("BRI (the sweep's countries in the panel)", inside, "trade_cost_bri"),
        ("world (every pair of the panel)", off, "trade_cost_world"),
    ):
        values = [float((cost[v][mask] * pair_weight[mask]).sum() / pair_weight[mask].sum()) for v in ends]
        out.append({"measure": "trade cost", "group": group, "beltroad": values, "published": PUBLISHED[key]})
    return out
