"""The friendship-city network: statistics from igraph, checked against NetworkX on the same graph."""

from __future__ import annotations

import warnings
from pathlib import Path

import networkx as nx
import pycountry
import pytest
from sqlalchemy import Engine
from tests.conftest import TEST_DATA, shared_file

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from beltroad.analysis import (
    NETWORK_CHARTS,
    STEPS,
    load_partner_graph,
    network_statistics,
    write_network_charts,
)
from beltroad.api import create_app
from beltroad.data.gazetteer import Region, admin1_table, gazetteer, region_of
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
    # Chongqing and Harbin lie in the divisions GeoNames codes 33 and 08
    provinces = {(p["code"], p["name"]): p["pairs"] for p in stats["top_provinces_china"]}
    assert provinces == {("33", "Chongqing"): 2, ("08", "Heilongjiang"): 2}
    assert sum(d["places"] for d in stats["degree_distribution"]) == stats["places"]


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
    provinces = [p["name"] for p in stats["top_provinces_china"]]
    assert {"Jiangsu", "Shandong", "Zhejiang"} <= set(provinces[:5])


def test_every_named_province_holds_its_city() -> None:
    """A wrong admin1 code in admin1.yaml would put a province's cities under another's name."""
    gaz = gazetteer()
    for iso2, divisions in admin1_table().items():
        for code, entry in divisions.items():
            cities = gaz.find(entry["city"], iso2)
            assert cities, f"{entry['city']} is not in the gazetteer"
            assert cities[0].admin1 == code, f"{entry['name']}: {entry['city']} lies in {cities[0].admin1}"
            assert pycountry.subdivisions.get(code=entry["iso"]) is not None, entry["iso"]
        assert len({e["iso"] for e in divisions.values()}) == len(divisions)
    assert region_of(gaz.find("Harbin", "CN")[0].geonameid) == Region("CN", "08", "Heilongjiang", named=True)
    minsk = region_of(gaz.find("Minsk", "BY")[0].geonameid)
    assert minsk is not None and minsk.name == "region of Minsk" and not minsk.named


def test_network_charts_are_written_from_the_statistics(network_store: Engine, tmp_path: Path) -> None:
    with network_store.connect() as conn:
        stats = network_statistics(conn)
    written = write_network_charts(stats, tmp_path)
    assert {p.name for p in written} == {f"{name}.{fmt}" for name in NETWORK_CHARTS for fmt in ("png", "svg")}
    assert all(p.stat().st_size > 1000 for p in written)
    assert (tmp_path / "top-chinese-places.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "top-chinese-provinces.svg").read_text()
    assert "<svg" in svg and "Heilongjiang" in svg
    # same data, same bytes: a chart attached to a paper can be regenerated exactly
    again = write_network_charts(stats, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]
    del stats["pairs_with_china_by_bri_status"]
    assert len(write_network_charts(stats, tmp_path / "no-bri")) == len(written) - 2


def test_the_network_map_layer(network_store: Engine) -> None:
    client = TestClient(create_app(network_store), raise_server_exceptions=False)
    layer = client.get("/api/network/places").json()
    by_id = {f["id"]: f["properties"] for f in layer["features"]}
    assert set(by_id) == {"chongqing", "minsk", "harbin", "minsk-oblast", "testville-parva-gbr"} | {
        i for i in by_id if i.startswith("brisbane")
    }
    assert by_id["harbin"]["degree"] == 2 and by_id["harbin"]["province"] == "Heilongjiang"
    assert layer["features"][0]["properties"]["degree"] >= layer["features"][-1]["properties"]["degree"]
    only = client.get("/api/network/places", params={"country": "CHN"}).json()["features"]
    assert {f["id"] for f in only} == {"chongqing", "harbin"}
    assert client.get("/api/network/places", params={"country": "china"}).status_code == 422


def test_partnerships_between_countries_as_flows_sized_by_count(network_store: Engine) -> None:
    client = TestClient(create_app(network_store), raise_server_exceptions=False)
    layer = client.get("/api/network/flows").json()
    counts = {tuple(f["properties"]["countries"]): f["properties"]["count"] for f in layer["features"]}
    # Chongqing – Minsk Oblast (curated) and Minsk – Harbin make two Belarus–China ties; the
    # fixture's other three pairs one each; none within one country
    assert counts == {("BLR", "CHN"): 2, ("AUS", "CHN"): 1, ("BLR", "GBR"): 1, ("CHN", "GBR"): 1}
    first = layer["features"][0]
    assert first["properties"]["name"] == "Belarus – China: 2 partnerships"
    assert first["properties"]["href"] == "/list?kind=partnership&country=BLR"
    # China stands at the mean of its partnered places, Chongqing and Harbin
    with network_store.connect() as conn:
        graph = load_partner_graph(conn)
    chinese = [c for c, iso3 in zip(graph.coords, graph.countries, strict=True) if iso3 == "CHN"]
    assert first["geometry"]["coordinates"][1] == pytest.approx(
        [sum(c[0] for c in chinese) / len(chinese), sum(c[1] for c in chinese) / len(chinese)]
    )
    only = client.get("/api/network/flows", params={"country": "GBR"}).json()["features"]
    assert {tuple(f["properties"]["countries"]) for f in only} == {("BLR", "GBR"), ("CHN", "GBR")}
    assert client.get("/api/network/flows", params={"country": "uk"}).status_code == 422
