"""The World Bank study's two designs end to end (``beltroad sweep run reed-trubetskoy-2019``) beside
the method of its public replication, and the sweep's scaling from 1 to N Ray workers.

Run: .venv/bin/python benchmarks/sweep.py [CITIES] [WORKERS ...]   (default 1000; 1 2 4 and all cores)

Ours: the whole sweep as a user runs it (network from the cache, cost matrix, every project in
isolation and in complement on Ray, the files written), once per worker count, from a fresh
folder each time. The peer: the replication evaluates a scenario with one NetworkX single-source
Dijkstra per city on the network with the project built; here that is timed on a sample of
sources on the same multimodal network and generalised cost, and scaled to the cities × (one
baseline + the sweep's evaluations). The replication's own report of about 50 hours for 71
projects × 2 designs is printed beside.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from beltroad.compute import shutdown
from beltroad.sweep import load_spec, run_sweep
from beltroad.transport import load_cost_set, open_router
from beltroad.transport.access import generalised_cost

NX_SAMPLE = 3
REPORTED_HOURS = 50.0  # the replication's own figure for 71 projects x 2 designs


def ours(cities: int, workers: int, data_dir: Path) -> tuple[float, int]:
    spec = load_spec("reed-trubetskoy-2019")
    out = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    try:
        t0 = time.perf_counter()
        summary = run_sweep(spec, data_dir, out, workers=workers, cities=cities, fresh=True)
        seconds = time.perf_counter() - t0
    finally:
        shutdown()
        shutil.rmtree(out, ignore_errors=True)
    return seconds, summary.tasks


def networkx_per_source(data_dir: Path, cities: int) -> tuple[float, float]:
    """Seconds to build the NetworkX graph, and per single-source Dijkstra (mean of a sample)."""
    spec = load_spec("reed-trubetskoy-2019")
    costs = load_cost_set(spec.costs)
    router = open_router(spec.mode, data_dir / "transport", costs.overrides(spec.mode))
    matrix = generalised_cost(router.usd, router.hours, spec.market_access.time_usd_per_day.value / 24).tocoo()
    t0 = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(zip(matrix.row.tolist(), matrix.col.tolist(), matrix.data.tolist(), strict=True))
    build = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    sources = rng.choice(router.network.size, NX_SAMPLE, replace=False)
    t0 = time.perf_counter()
    for s in sources:
        nx.single_source_dijkstra_path_length(graph, int(s), weight="weight")
    return build, (time.perf_counter() - t0) / NX_SAMPLE


def main() -> None:
    cities = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    cores = os.cpu_count() or 1
    counts = [int(a) for a in sys.argv[2:]] or sorted({1, 2, 4, cores})
    data_dir = Path(os.environ.get("BELTROAD_DATA_DIR", "var"))
    print(f"machine: {cores} cores; cities: {cities}")
    runs = {}
    for w in counts:
        seconds, tasks = ours(cities, w, data_dir)
        runs[w] = seconds
        print(f"beltroad sweep, {w} Ray workers: {tasks} evaluations in {seconds:.1f} s")
    build, per_source = networkx_per_source(data_dir, cities)
    evaluations = tasks + 1  # the baseline, then each task's network
    scaled = per_source * cities * evaluations
    print(f"NetworkX: graph built in {build:.1f} s; {per_source:.2f} s per single-source Dijkstra (mean of {NX_SAMPLE})")
    print(
        f"NetworkX, the replication's method, scaled: {cities} sources x {evaluations} networks = "
        f"{scaled / 3600:.1f} h (one core)"
    )
    best_w = min(runs, key=lambda w: runs[w])
    print(f"ratio NetworkX / beltroad ({best_w} workers): {scaled / runs[best_w]:,.0f}x")
    print(f"ratio reported 50 h / beltroad ({best_w} workers): {REPORTED_HOURS * 3600 / runs[best_w]:,.0f}x")
    print("scaling: " + ", ".join(f"{w} workers {runs[w]:.1f} s ({runs[min(runs)] / runs[w]:.2f}x)" for w in sorted(runs)))


if __name__ == "__main__":
    main()
