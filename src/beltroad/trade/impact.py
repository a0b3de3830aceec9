"""The trade and income effects of a transport scenario: faster shipping → lower trade costs → GE.

Each country is represented by its largest cities on the network; the population-weighted change
in door-to-door hours between two countries' cities becomes a change in trade costs through the
value of time in transit: Hummels & Schaur (2013, "Time as a trade barrier", American Economic
Review 103(7)) estimate each day in transit to be worth 0.6 % to 2.1 % of the goods' value, an
ad-valorem tariff equivalent. Both ends of that range are run, so the answer is a range too; with
draws, values across the range give each country's mean and 90 % interval.

Two general equilibria take the cost changes: ``run_impact_flows`` solves from one year's observed
flows (exact hat algebra; world panels with domestic sales such as WIOD and ICIO), where every city
of 500,000 people or more stands for its country; ``run_impact`` keeps the model of estimated trade
costs (a gravity fit with exporter and importer effects) for panels without domestic flows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from beltroad.errors import ValidationFailed
from beltroad.trade.counterfactual import Shock, run_counterfactual
from beltroad.trade.hat import Imbalance, solve_flows
from beltroad.trade.observed import Flows, effects, summarize
from beltroad.trade.results import FlowImpact, ImpactFigures, TimeSaving
from beltroad.transport import (
    Distances,
    Router,
    Scenario,
    cities,
    link_hours,
    weighted_means,
    with_links,
    without_links,
)

#: ad-valorem tariff equivalent of one day in transit, percent: Hummels & Schaur (2013), Table 4 range
VALUE_OF_TIME_RANGE = (0.6, 2.1)
#: value-of-time draws solved in one Ray task: each solve takes milliseconds, a task's start more
DRAWS_PER_TASK = 25
HUMMELS_SCHAUR = (
    "Hummels, D. L. & Schaur, G. (2013). Time as a trade barrier. American Economic Review 103(7), "
    "2935-2959: each day in transit is worth 0.6-2.1 % ad valorem"
)


@dataclass
class TimeChanges:
    """Population-weighted door-to-door days between countries, before and after."""

    countries: list[str]
    before: np.ndarray
    after: np.ndarray
    #: city pairs the scenario's mode joins for the first time, and how many of them the other
    #: mode could time before
    joined_city_pairs: int = 0
    timed_by_other_mode: int = 0


def _first_time_by_other_mode(
    other: Router, places: list[Any], before_h: np.ndarray, after_h: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Time the city pairs a scenario joins for the first time by the other mode before, and by the
    faster of the two after: what they trade by today is that mode, not nothing."""
    joined = ~np.isfinite(before_h) & np.isfinite(after_h)
    if not joined.any():
        return before_h, after_h, 0, 0
    reach = other.params["access_max_km"]
    found = [other.network.nearest(p.lat, p.lon) for p in places]
    nodes = np.array([node for node, _km in found])
    far = np.array([km > reach for _node, km in found])
    other_h = Distances(other.hours, other.network).square(nodes)
    other_h[far, :] = np.nan
    other_h[:, far] = np.nan
    timed = joined & np.isfinite(other_h)
    before_h = np.where(timed, other_h, before_h)
    after_h = np.where(timed, np.minimum(after_h, other_h), after_h)
    return before_h, after_h, int(joined.sum()), int(timed.sum())


def country_time_changes(
    router: Router,
    scenario: Scenario,
    countries: list[str],
    per_country: int,
    *,
    min_population: int = 0,
    other_mode: Callable[[], Router] | None = None,
) -> TimeChanges:
    """Each pair of countries' population-weighted door-to-door days, before and after.

    A country is its ``per_country`` largest cities, or with ``min_population`` every city of at
    least that many people (its largest one where it has none that big): a project that shortens
    trips between two regions changes the national average only if their cities are counted.
    With ``other_mode`` (opened only when needed), a city pair the scenario joins for the first
    time is timed by that mode before instead of being left out.
    """
    places, weights, owners = [], [], []
    reach = router.params["access_max_km"]
    for code in countries:
        found, pops = cities(
            [code], limit=per_country if not min_population else 10_000, min_population=min_population
        )
        if not found:
            found, pops = cities([code], limit=1)
        # cities the network does not reach (islands, countries without railways) are left out
        near = [router.network.nearest(p.lat, p.lon)[1] <= reach for p in found]
        places += [p for p, ok in zip(found, near, strict=True) if ok]
        weights += [w for w, ok in zip(pops, near, strict=True) if ok]
        owners += [code] * sum(near)
    if not places:
        msg = "none of the countries has a city in the gazetteer"
        raise ValidationFailed(msg)
    links = link_hours(router, scenario)
    distances = Distances(without_links(router.hours, links), router.network)
    nodes = np.array([router.network.nearest(p.lat, p.lon)[0] for p in places])
    before_h = distances.square(nodes)
    after_h = with_links(distances, before_h, nodes, links)
    joined = timed = 0
    if other_mode is not None and (~np.isfinite(before_h) & np.isfinite(after_h)).any():
        before_h, after_h, joined, timed = _first_time_by_other_mode(other_mode(), places, before_h, after_h)
    owner = np.array(owners)
    w = np.array(weights, dtype=float)
    n = len(countries)
    before, after = np.full((n, n), np.nan), np.full((n, n), np.nan)
    # without another mode, pairs the scenario joins for the first time have no time before and
    # are left out of the means (and counted by the caller)
    for a, ca in enumerate(countries):
        for b, cb in enumerate(countries):
            means = None if a == b else weighted_means(before_h, after_h, w, owner == ca, owner == cb)
            if means is not None:
                before[a, b], after[a, b] = means[0] / 24, means[1] / 24
    return TimeChanges(countries, before, after, joined, timed)


def run_impact(
    router: Router,
    scenario: Scenario,
    panel: pd.DataFrame,
    formula: str,
    *,
    sigma: float,
    reference: str,
    per_country: int = 5,
    value_of_time: tuple[float, ...] = VALUE_OF_TIME_RANGE,
    work_dir: Path,
) -> ImpactFigures:
    """Per-country trade and real-income changes for each value of time, with the assumptions."""
    in_panel = sorted(set(panel["exporter"].astype(str)) | set(panel["importer"].astype(str)))
    missing = [c for c in scenario.countries if c not in in_panel]
    covered = [c for c in in_panel if c in set(scenario.countries)]
    result: ImpactFigures = {
        "scenario": scenario.id,
        "name": scenario.name,
        "countries_of_scenario": scenario.countries,
        "covered_by_panel": covered,
        "not_in_panel": missing,
        "assumptions": {
            "value_of_time_percent_per_day": list(value_of_time),
            "value_of_time_source": HUMMELS_SCHAUR,
            "cities_per_country": per_country,
            "time_weighting": "population of the cities (GeoNames)",
            "sigma": sigma,
            "reference_importer": reference,
            "formula": formula,
        },
        "runs": [],
    }
    if missing:
        result["note"] = (
            f"the trade panel has no data for {', '.join(missing)}: its trade cannot change in the model, "
            "so the scenario's effect on it is not estimated"
        )
    iso = [c for c in in_panel if pycountry.countries.get(alpha_3=c) is not None]
    if len(iso) < len(in_panel):
        result["assumptions"]["panel_codes_without_cities"] = sorted(set(in_panel) - set(iso))
    changes = country_time_changes(router, scenario, iso, per_country)
    saved_days = np.nan_to_num(changes.before - changes.after, nan=0.0)
    result["largest_time_savings_days"] = sorted(
        (
            TimeSaving(
                {
                    "from": changes.countries[a],
                    "to": changes.countries[b],
                    "days_saved": round(float(saved_days[a, b]), 3),
                }
            )
            for a, b in zip(*np.nonzero(saved_days > 1e-6), strict=True)
        ),
        key=lambda r: -r["days_saved"],
    )[:20]
    if not result["largest_time_savings_days"]:
        result["note"] = (
            result.get("note", "")
            + ("; " if "note" in result else "")
            + "no pair of the panel's countries gets faster, so trade costs do not change"
        )
        return result
    for vot in value_of_time:
        rows = [
            {
                "exporter": changes.countries[a],
                "importer": changes.countries[b],
                "change_percent": -vot * float(saved_days[a, b]),
            }
            for a, b in zip(*np.nonzero(saved_days > 1e-6), strict=True)
        ]
        path = work_dir / f"cost-changes-{vot:g}.csv"
        pd.DataFrame(rows).to_csv(path, index=False)
        ge, assumptions = run_counterfactual(
            panel, formula, Shock(cost_changes=path), sigma=sigma, reference=reference
        )
        result["runs"].append(
            {
                "value_of_time_percent_per_day": vot,
                "pairs_changed": len(rows),
                "countries": [
                    {
                        k: r[k]
                        for k in (
                            "country",
                            "real_gdp_change",
                            "foreign_exports_change",
                            "foreign_imports_change",
                        )
                    }
                    for r in ge.rows()
                ],
                "solver": assumptions["solver"],
            }
        )
    return result


#: the trade elasticity an impact uses unless told otherwise: ge_gravity's example value, near
#: Simonovska & Waugh's (2014) estimate of about 4
DEFAULT_THETA = 4.0
SIMONOVSKA_WAUGH = (
    "Simonovska, I. & Waugh, M. E. (2014). The elasticity of trade: estimates and evidence. "
    "Journal of International Economics 92(1), 34-50"
)
#: cities that stand for a country in an impact: all of this many people or more
IMPACT_MIN_POPULATION = 500_000


@dataclass(frozen=True)
class _ImpactDraws:
    """What each chunk of value-of-time draws needs: the baseline and the days saved per pair."""

    flows: Flows
    days_saved: np.ndarray
    theta: float
    imbalance: Imbalance


def partial_from_days(days_saved: np.ndarray, value_of_time: float, theta: float) -> np.ndarray:
    """The partial effect of shorter trips: ``-θ · ln(1 - v · days / 100)`` per pair.

    The time saved, valued at ``v`` percent of the goods' value a day (Hummels & Schaur 2013), is
    a fall of that many percent in the ad-valorem trade cost; times ``-θ`` in logs, the change in
    trade it would cause with all prices held.
    """
    cut = value_of_time * days_saved / 100.0
    if np.any(cut >= 1.0):
        msg = (
            f"a value of time of {value_of_time:g} % a day over {days_saved.max():.1f} days saved would "
            "remove the whole trade cost; give a smaller --value-of-time"
        )
        raise ValidationFailed(msg)
    return -theta * np.log1p(-cut)


def _solve_draws(values: list[float], spec: _ImpactDraws) -> list[dict[str, np.ndarray]]:
    return [
        solve_flows(
            spec.flows.matrix,
            partial_from_days(spec.days_saved, v, spec.theta),
            theta=spec.theta,
            countries=spec.flows.countries,
            imbalance=spec.imbalance,
        ).changes()
        for v in values
    ]


def _coverage(
    scenario: Scenario, flows: Flows, regions: dict[str, str]
) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The scenario's countries the flows have; those folded into a rest-of-world region; the rest."""
    have = set(flows.countries)
    covered = [c for c in scenario.countries if c in have]
    missing = [c for c in scenario.countries if c not in have]
    region = next((r for r in ("ROW", *regions) if r in have), None)
    if region is None:
        return covered, {}, missing
    return covered, ({region: missing} if missing else {}), []


def run_impact_flows(
    router: Router,
    scenario: Scenario,
    flows: Flows,
    *,
    theta: float = DEFAULT_THETA,
    imbalance: Imbalance = "additive",
    value_of_time: tuple[float, float] = VALUE_OF_TIME_RANGE,
    min_population: int = IMPACT_MIN_POPULATION,
    draws: int = 0,
    seed: int = 12345,
    regions: dict[str, str] | None = None,
    address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    other_mode: tuple[str, Callable[[], Router]] | None = None,
) -> FlowImpact:
    """Trade and real income per country after a scenario, from one year's observed flows.

    Parameters
    ----------
    router, scenario
        The network of the scenario's mode and the scenario.
    flows
        The baseline year's flows, domestic ones included (``flows_of``).
    theta, imbalance
        The GE model's trade elasticity and treatment of imbalances.
    value_of_time
        The range of the value of a day in transit, percent ad valorem; without draws both ends
        are run, with draws each draw takes a value uniformly from the range.
    min_population
        The cities that stand for each country.
    draws, seed
        Draws of the value of time, for each country's mean and 90 % interval.
    regions
        Aggregates of the flows (ROW) that take in the scenario's countries they lack.
    address, workers, progress
        Where the draws run on Ray, and a callback with (done, all).
    other_mode
        The best other mode's name and a way to open its router: it times, before the scenario,
        the city pairs the scenario joins for the first time.

    Returns
    -------
    FlowImpact
        Per-country changes (at the middle of the range, with bands over the draws), the runs at
        the range's ends, the largest time savings, the coverage and the assumptions.
    """
    low, high = value_of_time
    if not 0 < low <= high:
        msg = f"the value of time must be a range of positive percentages, low to high; got {low:g}–{high:g}"
        raise ValidationFailed(msg)
    covered, folded, not_covered = _coverage(scenario, flows, regions or {})
    iso = [c for c in flows.countries if pycountry.countries.get(alpha_3=c) is not None]
    changes = country_time_changes(
        router,
        scenario,
        iso,
        0,
        min_population=min_population,
        other_mode=other_mode[1] if other_mode else None,
    )
    saved_iso = np.nan_to_num(changes.before - changes.after, nan=0.0)
    new_pairs = np.isnan(changes.before) & ~np.isnan(changes.after)
    index = flows.index()
    at = np.array([index[c] for c in iso])
    days = np.zeros_like(flows.matrix)
    days[np.ix_(at, at)] = np.clip(saved_iso, 0.0, None)
    faster = [
        {"from": iso[a], "to": iso[b], "days_saved": round(float(saved_iso[a, b]), 4)}
        for a, b in zip(*np.nonzero(saved_iso > 1e-9), strict=True)
    ]
    assumptions: dict[str, Any] = {
        "flows": f"{flows.source}, {flows.year}",
        "model": "one-sector Armington, exact hat algebra from observed flows",
        "theta": theta,
        "theta_source": SIMONOVSKA_WAUGH if theta == DEFAULT_THETA else "given",
        "imbalance": imbalance,
        "value_of_time_percent_per_day": [low, high],
        "value_of_time_source": HUMMELS_SCHAUR,
        "cost_rule": "partial effect = -theta × ln(1 - value of time × days saved / 100) per pair",
        "cities": f"every city of {min_population:,}+ people (GeoNames), a country's largest where it has none",
        "time_weighting": "population of the cities at both ends",
        "city_pairs_joined_for_the_first_time": changes.joined_city_pairs,
        "country_pairs_left_unchanged": int(new_pairs.sum()),
    }
    if other_mode is not None:
        assumptions["new_pairs_rule"] = (
            f"a city pair the scenario joins by {scenario.mode} for the first time is timed before by "
            f"{other_mode[0]} (the best other mode over land) and after by the faster of the two; "
            f"{changes.timed_by_other_mode} of {changes.joined_city_pairs} such pairs had a {other_mode[0]} route"
        )
    else:
        assumptions["new_pairs_rule"] = (
            "city pairs the scenario joins for the first time have no time before and are left out of the "
            "means (no other mode to time them)"
        )
    if folded:
        ((region, members),) = folded.items()
        assumptions["folded"] = (
            f"{', '.join(members)} are not in {flows.source}: their trade is inside {region}, whose costs do not "
            "change (a region has no one set of cities to route)"
        )
    base = FlowImpact(
        scenario=scenario.id,
        name=scenario.name,
        source=flows.source,
        year=flows.year,
        countries_of_scenario=list(scenario.countries),
        covered=covered,
        folded_into_region=folded,
        not_covered=not_covered,
        assumptions=assumptions,
        largest_time_savings_days=sorted(faster, key=lambda r: -r["days_saved"])[:20],
        countries=[],
    )
    if not faster:
        return dataclasses.replace(
            base, note="no pair of the data set's countries gets faster, so trade costs do not change"
        )
    spec = _ImpactDraws(flows, days, theta, imbalance)
    middle = (low + high) / 2
    point = solve_flows(
        flows.matrix,
        partial_from_days(days, middle, theta),
        theta=theta,
        countries=flows.countries,
        imbalance=imbalance,
    )
    ends = {v: _solve_draws([v], spec)[0] for v in (low, high)}
    bands = None
    if draws:
        from beltroad.compute import run_tasks

        values = np.random.default_rng(seed).uniform(low, high, draws).tolist()
        chunks = [values[i : i + DRAWS_PER_TASK] for i in range(0, draws, DRAWS_PER_TASK)]

        def count(finished: int, _chunks: int) -> None:
            if progress:
                progress(min(draws, finished * DRAWS_PER_TASK), draws)

        solved = run_tasks(_solve_draws, chunks, spec, address=address, workers=workers, progress=count)
        bands = summarize(flows.countries, [c for chunk in solved for c in chunk])
        assumptions["draws"] = {
            "count": draws,
            "seed": seed,
            "method": f"value of time drawn uniformly from {low:g}–{high:g} % a day",
            "interval": "90 % (5th to 95th percentile of the draws)",
        }
    runs = [
        {"value_of_time_percent_per_day": v, "countries": _rows_of(flows.countries, c)}
        for v, c in ends.items()
    ]
    return dataclasses.replace(
        base,
        assumptions={**assumptions, "point": f"value of time {middle:g} % a day, the middle of the range"},
        countries=effects(point, bands),
        runs=runs,
        solver={"iterations": point.iterations, "residual": point.residual},
    )


def _rows_of(countries: tuple[str, ...], changes: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    return [
        {
            "country": c,
            "welfare_change": float(changes["welfare_change"][i]),
            "foreign_exports_change": float(changes["foreign_exports_change"][i]),
        }
        for i, c in enumerate(countries)
    ]
