"""A 1,000 × 1,000 city origin-destination matrix of rail times on the full world network, and one
scenario re-evaluation, beside igraph, NetworkX (the method of the World Bank's public replication)
and scipy.sparse.csgraph called directly.

Run: .venv/bin/python benchmarks/network_od.py [CITIES]   (default 1000)
Cities: the most populous GeoNames cities between 10°W and 150°E, 0° and 70°N (Europe and Asia),
snapped to the nearest rail node. NetworkX is timed on 10 sources and scaled to all of them (it
needs tens of minutes for the whole matrix); the others are timed whole. The scenario is the
Tongjiang bridge: ours re-evaluates it from the baseline matrix and two shortest-path trees per
new link, the peers recompute the matrix.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
from scipy.sparse import csgraph

from beltroad.data.gazetteer import city_table
from beltroad.transport.network import load
from beltroad.transport.routing import Router
from beltroad.transport.scenario import (
    _add_links,
    link_hours,
    load_scenario,
    od_hours,
    with_links,
    without_links,
)

NX_SAMPLE = 10


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    cache = Path(tempfile.gettempdir()) / "beltroad-bench-transport"
    start = time.perf_counter()
    network = load("rail", cache)
    print(
        f"network: {network.size:,} nodes, {network.km.nnz:,} directed edges; loaded in {time.perf_counter() - start:.2f} s"
    )
    router = Router(network)
    table = city_table()
    names, lat, lon, pop = table.name, table.lat, table.lon, table.population
    box = (lon > -10) & (lon < 150) & (lat > 0) & (lat < 70)
    chosen = np.flatnonzero(box)[np.argsort(-pop[box])][:count]
    nodes = np.array([network.nearest(float(lat[i]), float(lon[i]))[0] for i in chosen])
    print(f"{len(chosen)} cities, {len(np.unique(nodes))} distinct nodes; largest {names[chosen[0]]}")
    hours = router.hours
    unique = np.unique(nodes)  # igraph wants distinct targets; all peers get the same distinct list

    t0 = time.perf_counter()
    ours = od_hours(hours, nodes)
    ours_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    direct = csgraph.dijkstra(hours, indices=unique)[:, unique]
    scipy_s = time.perf_counter() - t0

    coo = hours.tocoo()
    graph = ig.Graph(n=network.size, edges=np.column_stack((coo.row, coo.col)).tolist(), directed=True)
    graph.es["w"] = coo.data.tolist()
    t0 = time.perf_counter()
    igraph_d = np.array(graph.distances(source=unique.tolist(), target=unique.tolist(), weights="w"))
    igraph_s = time.perf_counter() - t0

    nxg = nx.DiGraph()
    nxg.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    t0 = time.perf_counter()
    for source in unique[:NX_SAMPLE]:
        lengths = nx.single_source_dijkstra_path_length(nxg, int(source), weight="weight")
        _row = [lengths.get(int(t), np.inf) for t in unique]
    nx_s = (time.perf_counter() - t0) / NX_SAMPLE * len(unique)

    index = np.searchsorted(unique, nodes)
    assert np.allclose(ours, direct[np.ix_(index, index)])
    assert np.allclose(ours, igraph_d[np.ix_(index, index)])
    print(f"OD matrix {len(nodes)}×{len(nodes)}:")
    for label, secs in (
        ("beltroad (contracted core, scipy csgraph)", ours_s),
        ("scipy.sparse.csgraph.dijkstra", scipy_s),
        ("igraph distances", igraph_s),
        (f"NetworkX (from {NX_SAMPLE} sources, scaled)", nx_s),
    ):
        print(f"  {label:42} {secs:8.2f} s   {secs / ours_s:7.1f}× ours")

    scenario = load_scenario("tongjiang-railway-bridge")
    links = link_hours(router, scenario)
    before_matrix = without_links(router, links)
    before = od_hours(before_matrix, nodes)
    t0 = time.perf_counter()
    after = with_links(before_matrix, before, nodes, links)
    incremental_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = od_hours(_add_links(before_matrix, links), nodes)
    full_s = time.perf_counter() - t0
    assert np.allclose(after, full)
    improved = int((after < before - 1e-9).sum())
    print(
        f"scenario re-evaluation (Tongjiang bridge, {improved} pairs improved): incremental {incremental_s:.2f} s, "
        f"full recomputation {full_s:.2f} s ({full_s / incremental_s:.0f}×), NetworkX full ≈ {nx_s:.0f} s "
        f"({nx_s / incremental_s:.0f}×)"
    )


if __name__ == "__main__":
    main()
