"""The friendship-city network: statistics from igraph, checked against NetworkX on the same graph."""

from __future__ import annotations

import networkx as nx
import pytest
from sqlalchemy import Engine
from tests.conftest import TEST_DATA, shared_file

from beltroad.analysis.partner_network import STEPS, load_partner_graph, network_statistics
from beltroad.importers import import_bri_signatories, import_partnerships


@pytest.fixture
def network_store(store: Engine) -> Engine:
    import_partnerships(store, TEST_DATA / "partnerships_small.csv", progress=False)
    import_bri_signatories(store, TEST_DATA / "bri_small.csv", progress=False)
    return store


def test_statistics_on_a_small_network(network_store: Engine) -> None:
    seen: list[str] = []
    with network_store.connect() as conn:
        stats = network_statistics(conn, top=10, step=seen.append)
        graph = load_partner_graph(conn)
    assert seen == list(STEPS)
    # the curated Chongqing – Minsk Oblast pair and the four pairs the fixture resolves
    assert stats["partnerships"] == 5 and stats["places"] == len(graph.ids) == 6
    twos = {p["id"] for p in stats["top_degree"] if p["value"] == 2}
    assert twos == {"chongqing", "minsk", "harbin", "testville-parva-gbr"}
    assert [p["id"] for p in stats["top_degree_china"]] == ["chongqing", "harbin"]
    assert stats["pairs_with_china_by_bri_status"]["partner_signed"] >= 1  # Belarus signed in 2014
    assert sum(b["pairs"] for b in stats["distance_km"]["histogram"]) == 5


def test_igraph_agrees_with_networkx(network_store: Engine) -> None:
    with network_store.connect() as conn:
        graph = load_partner_graph(conn)
        stats = network_statistics(conn, top=50)
    reference = nx.Graph()
    reference.add_nodes_from(range(len(graph.ids)))
    reference.add_edges_from(graph.edges)
    pagerank = nx.pagerank(reference)
    for item in stats["top_pagerank"]:
        assert item["value"] == pytest.approx(pagerank[graph.ids.index(item["id"])], abs=1e-6)
    betweenness = nx.betweenness_centrality(reference, normalized=False)
    for item in stats["top_betweenness"]:
        assert item["value"] == pytest.approx(betweenness[graph.ids.index(item["id"])], abs=1e-6)
    assert stats["components"] == nx.number_connected_components(reference)


@pytest.mark.slow
def test_the_full_imported_network(sqlite_store: Engine) -> None:
    import_partnerships(
        sqlite_store, shared_file("data/partnerships/twin_cities_wikipedia.csv"), progress=False
    )
    with sqlite_store.connect() as conn:
        stats = network_statistics(conn, top=10, betweenness=False)
    assert stats["partnerships"] >= 24_000
    china = [p["name"] for p in stats["top_degree_china"]]
    assert "Shanghai" in china and "Beijing" in china
