"""The trade and income effects of a transport scenario: faster shipping → lower trade costs → GE.

Each country is represented by its largest cities on the network; the population-weighted change
in door-to-door hours between two countries' cities becomes a change in trade costs through the
value of time in transit: Hummels & Schaur (2013, "Time as a trade barrier", American Economic
Review 103(7)) estimate each day in transit to be worth 0.6 % to 2.1 % of the goods' value, an
ad-valorem tariff equivalent. Both ends of that range are run, so the answer is a range too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from beltroad.errors import ValidationFailed
from beltroad.trade.counterfactual import Shock, run_counterfactual
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


def country_time_changes(
    router: Router, scenario: Scenario, countries: list[str], per_country: int
) -> TimeChanges:
    places, weights, owners = [], [], []
    reach = router.params["access_max_km"]
    for code in countries:
        found, pops = cities([code], limit=per_country)
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
    owner = np.array(owners)
    w = np.array(weights, dtype=float)
    n = len(countries)
    before, after = np.full((n, n), np.nan), np.full((n, n), np.nan)
    # pairs the scenario joins for the first time have no rail time before (they trade by other
    # modes, which this model does not have): left unchanged here, and counted by the caller
    for a, ca in enumerate(countries):
        for b, cb in enumerate(countries):
            means = None if a == b else weighted_means(before_h, after_h, w, owner == ca, owner == cb)
            if means is not None:
                before[a, b], after[a, b] = means[0] / 24, means[1] / 24
    return TimeChanges(countries, before, after)


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
) -> dict[str, Any]:
    """Per-country trade and real-income changes for each value of time, with the assumptions."""
    in_panel = sorted(set(panel["exporter"].astype(str)) | set(panel["importer"].astype(str)))
    missing = [c for c in scenario.countries if c not in in_panel]
    covered = [c for c in in_panel if c in set(scenario.countries)]
    result: dict[str, Any] = {
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
            {
                "from": changes.countries[a],
                "to": changes.countries[b],
                "days_saved": round(float(saved_days[a, b]), 3),
            }
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
