"""General equilibrium from observed flows (exact hat algebra) beside the USITC package gegravity.

Run: .venv/bin/python benchmarks/ge_flows.py

1. ge_gravity's EU-enlargement exercise on WIOD 2000 (44 economies): the partial effect 0.224249 on
   the 572 pairs that became EU pairs by 2014, θ = 4 (σ = 5).
   - beltroad: ``solve_flows`` on the observed flows;
   - gegravity 0.3: the same baseline, made exact by giving it the cost variable
     ``ln(X_ij / (Y_i E_j))`` with coefficient 1 (so its baseline reproduces the flows), and the
     shock as a second cost variable (the new-EU-pair indicator, coefficient 0.224249);
   - beltroad's ``fixed-shares`` solver (gegravity's system) on the same costs, for the gap
     between the exact equilibrium and gegravity's.
2. Synthetic worlds of 100, 200, 500 and 1,000 countries (one agreement among a tenth of them): how
   the solve grows with size; gegravity up to 100.
Prints one line per case with the times and the ratio.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from _gegravity import one_sector_ge

from beltroad.trade import GEModel, solve, solve_flows

ROOT = Path(__file__).resolve().parents[1]
WIOD = ROOT.parent / "shared" / "data" / "trade" / "wiod2016_44_trade_2000_2014.csv"
BETA = 0.224249
THETA = 4.0
GEGRAVITY_MAX = 100


def wiod_case() -> tuple[list[str], np.ndarray, np.ndarray]:
    panel = pd.read_csv(WIOD).sort_values(["exporter", "importer", "year"])
    grouped = panel.groupby(["exporter", "importer"])["eu_enlargement"]
    panel["new"] = grouped.transform("last") - grouped.transform("first")
    base = panel[panel["year"] == 2000]
    countries = sorted(set(base["exporter"]))
    index = {c: i for i, c in enumerate(countries)}
    n = len(countries)
    flows, new = np.zeros((n, n)), np.zeros((n, n))
    i, j = base["exporter"].map(index), base["importer"].map(index)
    flows[i, j] = base["trade"]
    new[i, j] = base["new"]
    return countries, flows, new


def synthetic(n: int, seed: int = 1) -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n, 2))
    size = rng.lognormal(10, 1.5, n)
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) + 1.0
    flows = np.outer(size, size) / dist * np.where(np.eye(n) == 1, 20.0, 1.0)
    members = rng.random(n) < 0.1
    new = np.outer(members, members) * (1 - np.eye(n))
    return [f"C{k:04d}" for k in range(n)], flows, new


def best(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def gegravity_run(countries: list[str], flows: np.ndarray, new: np.ndarray) -> tuple[float, pd.Series]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        n = len(countries)
        y, e = flows.sum(axis=1), flows.sum(axis=0)
        frame = pd.DataFrame(
            {
                "exporter": np.repeat(countries, n),
                "importer": np.tile(countries, n),
                "year": "2000",
                "trade": flows.ravel(),
                # any constant factor of the costs is absorbed by the resistances; centred, gegravity's
                # resistances stay in floating-point range
                "fit": (fit := np.log(flows / np.outer(y, e)).ravel()) - fit.mean(),
                "eu": np.zeros(n * n),
                "Y": np.repeat(y, n),
                "E": np.tile(e, n),
            }
        )
        # its default rescale factor fails on these worlds ("IMR or OMR values problematic")
        model = one_sector_ge(
            frame, year="2000", reference=countries[0], sigma=THETA + 1,
            coefficients={"fit": 1.0, "eu": BETA}, omr_rescale=1,
        )  # fmt: skip
        experiment = model.baseline_data.copy()
        index = {c: k for k, c in enumerate(countries)}
        experiment["eu"] = new[
            experiment["exporter"].map(index).to_numpy(), experiment["importer"].map(index).to_numpy()
        ]
        model.define_experiment(experiment)
        model.simulate()
        elapsed = time.perf_counter() - start
        welfare = model.country_results["GDP change (percent)"]
    return elapsed, welfare


def case(label: str, countries: list[str], flows: np.ndarray, new: np.ndarray, *, peer: bool) -> None:
    n = len(countries)
    partial = BETA * new
    exact_s, exact = best(
        lambda: solve_flows(flows, partial, theta=THETA, countries=countries, imbalance="multiplicative")
    )
    y, e = flows.sum(axis=1), flows.sum(axis=0)
    costs = flows / np.outer(y, e)
    model = GEModel(tuple(countries), y, e, costs, THETA + 1, countries[0])
    shares_s, shares = best(lambda: solve(model, costs * np.exp(partial)))
    exact_real = 100 * (exact.real_wage - 1)  # type: ignore[attr-defined]
    shares_real = shares.changes["real_gdp_change"]  # type: ignore[attr-defined]
    line = (
        f"{label:26} n={n:5d}  exact hat {exact_s:8.4f} s ({exact.iterations} it)   "  # type: ignore[attr-defined]
        f"fixed-shares {shares_s:8.4f} s   exact vs fixed-shares real-income gap "
        f"{np.max(np.abs(exact_real - shares_real)):.2e} pp (of {np.max(np.abs(exact_real)):.3f} %)"
    )
    if peer:
        their_s, theirs = gegravity_run(countries, flows, new)
        ours_shares = pd.Series(shares_real, index=countries).loc[theirs.index]
        ours_exact = pd.Series(exact_real, index=countries).loc[theirs.index]
        line += (
            f"\n{'':26} gegravity {their_s:8.2f} s   gegravity / exact hat {their_s / exact_s:8.0f}×   "
            f"gap to our fixed-shares {np.max(np.abs(ours_shares - theirs)):.1e} pp, to exact {np.max(np.abs(ours_exact - theirs)):.1e} pp"
        )
    print(line, flush=True)


def main() -> None:
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")
    if WIOD.exists():
        case("WIOD 2000, EU enlargement", *wiod_case(), peer=True)
    for n in (100, 200, 500, 1000):
        case("synthetic", *synthetic(n), peer=n <= GEGRAVITY_MAX)


if __name__ == "__main__":
    main()
