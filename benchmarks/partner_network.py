"""The friendship-city network statistics with igraph (ours) beside NetworkX, on the same graph.

Run: .venv/bin/python benchmarks/partner_network.py
Builds a fresh SQLite store with the 25,917 imported pairs, loads the graph once, then times each
measure in both libraries and prints the NetworkX/igraph ratio. Betweenness, exact in both, runs
on a 3,000-node connected subgraph (breadth-first from the best-connected place): NetworkX needs
minutes for the whole graph. Finally it times `network_statistics` end to end with its peak memory.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import igraph as ig
import networkx as nx
from _timing import best_of

from beltroad.analysis import load_partner_graph, network_statistics
from beltroad.store import engine_from_url

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "partnerships" / "twin_cities_wikipedia.csv"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="beltroad-net-"))
    url = f"sqlite:///{tmp / 'net.db'}"
    cli = [sys.executable, "-m", "beltroad.cli", "--db", url]
    subprocess.run([*cli, "db", "init"], check=True, capture_output=True)
    subprocess.run([*cli, "import", "partnerships", str(PAIRS), "--json"], check=True, capture_output=True)
    engine = engine_from_url(url)
    with engine.connect() as conn:
        pg = load_partner_graph(conn)
    g = pg.to_igraph()
    n = nx.Graph()
    n.add_nodes_from(range(len(pg.ids)))
    n.add_edges_from(pg.edges)
    print(f"graph: {g.vcount()} places, {g.ecount()} partnerships")
    start_node = max(range(g.vcount()), key=g.degree)
    sub_nodes = g.bfs(start_node)[0][:3000]
    g_sub = g.induced_subgraph(sub_nodes)
    n_sub = n.subgraph(sub_nodes).copy()
    rows = [
        ("degree", g.degree, lambda: dict(n.degree())),
        ("PageRank", g.pagerank, lambda: nx.pagerank(n)),
        ("connected components", g.connected_components, lambda: list(nx.connected_components(n))),
        (
            "Louvain communities",
            g.community_multilevel,
            lambda: nx.community.louvain_communities(n, seed=1),
        ),
        (
            "betweenness (3,000-node subgraph)",
            g_sub.betweenness,
            lambda: nx.betweenness_centrality(n_sub, normalized=False),
        ),
    ]
    print("| measure | igraph s | NetworkX s | NetworkX / igraph |")
    print("| --- | --- | --- | --- |")
    for name, ours, peer in rows:
        a = best_of(ours)
        b = best_of(peer, repeat=1 if "betweenness" in name else 3)
        print(f"| {name} | {a:.4f} | {b:.4f} | {b / a:.1f} |", flush=True)
    with engine.connect() as conn:
        start = time.perf_counter()
        network_statistics(conn, top=15)
        total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nnetwork_statistics end to end (with full betweenness): {total:.1f} s; peak RSS of this process {peak:.0f} MB"
    )
    assert isinstance(g, ig.Graph)


if __name__ == "__main__":
    main()
