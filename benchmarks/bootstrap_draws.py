"""Pair-bootstrap draws of the EU-enlargement exercise: a plain serial loop beside Ray's workers.

Run: .venv/bin/python benchmarks/bootstrap_draws.py [DRAWS ...]   (default 8 16 32)

Each draw resamples WIOD's 1,892 directed pairs with replacement, re-estimates the three-way PPML
(5,676 foreign rows × 4 years, pyfixest) and solves the exact-hat-algebra GE on 2000 with the new
coefficient. The peer is what a user would write without beltroad's compute layer: the same draws
one after another in one process. Then the same draws as Ray tasks on 1 worker, and on every core
of the machine. Ray's start-up (a few seconds) is timed apart from the draws.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from beltroad.compute import run_tasks, shutdown, start
from beltroad.trade import Bootstrap, estimation_panel, flows_of, import_trade, load_panel
from beltroad.trade.observed import _draw

ROOT = Path(__file__).resolve().parents[1]
WIOD = ROOT.parent / "shared" / "data" / "trade" / "wiod2016_44_trade_2000_2014.csv"
FORMULA = "trade ~ eu_enlargement + other_fta | exp_year + imp_year + pair_id"


def spec(data_dir: Path) -> Bootstrap:
    import_trade(data_dir, "panel", WIOD, name="wiod")
    baseline, _ = load_panel(data_dir, "wiod", "year = 2000")
    flows = flows_of(baseline, source="wiod")
    panel, _ = load_panel(data_dir, "wiod", "exporter != importer")
    panel = estimation_panel(panel, FORMULA, "pair_id")
    full = pd.read_csv(WIOD).sort_values(["exporter", "importer", "year"])
    grouped = full.groupby(["exporter", "importer"])["eu_enlargement"]
    full["new"] = grouped.transform("last") - grouped.transform("first")
    index = flows.index()
    indicator = np.zeros_like(flows.matrix)
    base = full[full["year"] == 2000]
    indicator[base["exporter"].map(index), base["importer"].map(index)] = base["new"]
    return Bootstrap(panel, FORMULA, "eu_enlargement", "pair_id", flows, indicator, 4.0, "additive")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [8, 16, 32]
    cores = os.cpu_count() or 1
    print(f"python {sys.version.split()[0]}, {cores} cores")
    with tempfile.TemporaryDirectory() as tmp:
        problem = spec(Path(tmp))
        _draw(0, problem)  # pyfixest's first call compiles; not a draw's cost
        for draws in sizes:
            seeds = list(range(draws))
            begin = time.perf_counter()
            for s in seeds:
                _draw(s, problem)
            serial = time.perf_counter() - begin
            line = f"{draws:4d} draws  serial loop {serial:7.1f} s ({serial / draws:.2f} s a draw)"
            for workers in sorted({1, cores}):
                begin = time.perf_counter()
                start(workers=workers)
                started = time.perf_counter() - begin
                run_tasks(_draw, seeds[:workers], problem)  # each worker's first draw warms pyfixest
                begin = time.perf_counter()
                run_tasks(_draw, seeds, problem)
                elapsed = time.perf_counter() - begin
                shutdown()
                line += (
                    f"   Ray {workers} worker(s) {elapsed:7.1f} s (start {started:.1f} s)"
                    f" = {serial / elapsed:4.2f}× the loop"
                )
            print(line, flush=True)


if __name__ == "__main__":
    main()
