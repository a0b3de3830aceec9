"""Origin–destination times (``transport.distances``, ``transport.contraction``): the incremental
update after new links equals a full recomputation, the contraction hierarchy gives Dijkstra's
times, and the contracted core keeps every distance between terminals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csgraph
from tests.transport_networks import _line, _network, _random

from beltroad.transport import (
    Router,
)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("engine", ["dijkstra", "hierarchy"])
def test_the_incremental_update_equals_a_full_recomputation(seed: int, engine: str) -> None:
    from beltroad.transport import Distances, add_links, with_links

    net = _random(seed, n=60)
    router = Router(net, {"border_crossing_h": 3})
    rng = np.random.default_rng(seed)
    nodes = rng.choice(net.size, 25, replace=False)
    # three links, one of them shortening an edge the network has, so trips may chain them
    u, v = int(net.km.tocoo().row[0]), int(net.km.tocoo().col[0])
    links = [
        (int(a), int(b), float(rng.uniform(0.1, 2))) for a, b in rng.choice(net.size, (2, 2), replace=False)
    ]
    links.append((u, v, 0.01))
    distances = Distances(router.hours, net, engine=engine)
    assert distances.engine == engine
    before = distances.square(nodes)
    fast = with_links(distances, before, nodes, links)
    full = Distances(add_links(router.hours, links)).square(nodes)
    np.testing.assert_allclose(fast, full, rtol=1e-12 if engine == "dijkstra" else 1e-6)
    assert np.all(fast <= before + 1e-9)
    assert np.any(fast < before - 1e-6)


def test_adding_a_link_keeps_the_shorter_of_two_edges() -> None:
    from beltroad.transport import add_links

    net = _line()
    hours = Router(net).hours
    added = add_links(hours, [(0, 1, 0.5), (2, 3, 500.0), (0, 7, 1.0)])
    assert added[0, 1] == added[1, 0] == 0.5
    assert added[2, 3] == pytest.approx(hours[2, 3])
    assert added[7, 0] == 1.0 and added.nnz == hours.nnz + 2


@pytest.mark.parametrize("seed", range(3))
def test_the_hierarchy_gives_dijkstras_times(seed: int, tmp_path: Path) -> None:
    from beltroad.transport import UNITS_PER_HOUR, Distances

    rng = np.random.default_rng(seed)
    n = 800
    parts = 2  # two unconnected parts: pairs across them have no route
    edges = [(i, i + 1, float(rng.uniform(1, 200))) for i in range(n - 1) if i != n // parts - 1]
    edges += [
        (int(a), int(b), float(rng.uniform(1, 900)))
        for a, b in rng.integers(0, n // parts, (300, 2))
        if a != b
    ]
    net = _network(edges, list(rng.uniform(30, 60, n)), list(rng.uniform(40, 120, n)), ["KAZ"] * n)
    net.cache_dir = tmp_path
    hours = Router(net).hours
    nodes = rng.choice(n, 120, replace=False)
    fast = Distances(hours, net, engine="hierarchy")
    assert fast.engine == "hierarchy" and (tmp_path / "rail.cch" / "key").is_file()
    slow = Distances(hours, net, engine="dijkstra").square(nodes)
    got = fast.square(nodes)
    assert np.isinf(slow).any() and np.isfinite(slow).any()
    np.testing.assert_array_equal(np.isinf(got), np.isinf(slow))
    # each edge's time is rounded to 1/100 s
    edges_per_path = n
    np.testing.assert_allclose(got, slow, atol=edges_per_path * 0.5 / UNITS_PER_HOUR, rtol=0)
    # a second network object reads the cached hierarchy and answers the same
    again = _network(edges, list(net.lat), list(net.lon), ["KAZ"] * n)
    again.cache_dir = tmp_path
    stamp = (tmp_path / "rail.cch" / "key").stat().st_mtime_ns
    np.testing.assert_array_equal(Distances(hours, again, engine="hierarchy").square(nodes), got)
    assert (tmp_path / "rail.cch" / "key").stat().st_mtime_ns == stamp
    # a cache cut short is built again, not read
    (tmp_path / "rail.cch" / "head").write_bytes(b"\0")
    torn = _network(edges, list(net.lat), list(net.lon), ["KAZ"] * n)
    torn.cache_dir = tmp_path
    np.testing.assert_array_equal(Distances(hours, torn, engine="hierarchy").square(nodes), got)
    # another network in the same folder rebuilds it rather than reading a stale one
    other = _network(edges[:-5], list(net.lat), list(net.lon), ["KAZ"] * n)
    other.cache_dir = tmp_path
    other_hours = Router(other).hours
    np.testing.assert_allclose(
        Distances(other_hours, other, engine="hierarchy").square(nodes),
        Distances(other_hours, other, engine="dijkstra").square(nodes),
        atol=edges_per_path * 0.5 / UNITS_PER_HOUR,
        rtol=0,
    )


def test_times_beyond_the_hierarchys_integers_fall_back_to_dijkstra() -> None:
    from beltroad.transport import Distances

    net = _random(0, n=50)
    hours = Router(net).hours
    nodes = np.arange(0, 50, 5)
    slow = Distances(hours * 2000, net, engine="dijkstra").square(nodes)
    # an edge of thousands of hours does not fit the integers: the metric is not built
    too_long = Distances(hours * 2000, net, engine="hierarchy")
    assert too_long.engine == "dijkstra"
    np.testing.assert_allclose(too_long.square(nodes), slow, rtol=1e-12)
    # edges that fit but trips that would come near the limit are recomputed
    near = hours.copy()
    near.data = np.full(near.nnz, 2000.0)
    chain = Distances(near, net, engine="hierarchy")
    assert chain.engine == "hierarchy"
    np.testing.assert_allclose(
        chain.square(nodes), Distances(near, net, engine="dijkstra").square(nodes), rtol=1e-12
    )


def test_without_the_hierarchy_package_dijkstra_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from beltroad.transport import distances

    net = _random(1, n=50)
    hours = Router(net).hours
    monkeypatch.setattr(distances, "pyroutingkit", None)
    fallback = distances.Distances(hours, net, engine="hierarchy")
    assert fallback.engine == "dijkstra"
    np.testing.assert_allclose(
        fallback.square(np.arange(50)), csgraph.dijkstra(hours)[np.ix_(np.arange(50), np.arange(50))]
    )


def test_a_time_matrix_with_an_arc_the_network_lacks_is_refused() -> None:
    from beltroad.transport import Distances, add_links

    net = _line()
    with pytest.raises(ValueError, match="an arc its network lacks"):
        Distances(add_links(Router(net).hours, [(0, 7, 1.0)]), net, engine="hierarchy")


@pytest.mark.parametrize("seed", range(4))
def test_the_contracted_core_keeps_every_distance_between_terminals(seed: int) -> None:
    from beltroad.transport import contract

    rng = np.random.default_rng(seed)
    n = 400
    # a tree-like network with long chains, dead ends and a few cycles, as rail lines are drawn
    edges = [(i, int(rng.integers(0, i)), float(rng.uniform(1, 10))) for i in range(1, n)]
    edges += [(int(a), int(b), float(rng.uniform(1, 10))) for a, b in rng.integers(0, n, (30, 2)) if a != b]
    net = _network(edges, [0.0] * n, [0.0] * n, ["CHN"] * n)
    terminals = np.unique(rng.choice(n, 25, replace=False))
    core = contract(net.km, terminals)
    assert core.matrix.shape[0] < n
    at = core.of(terminals)
    small = csgraph.dijkstra(core.matrix, indices=at)[:, at]
    full = csgraph.dijkstra(net.km, indices=terminals)[:, terminals]
    np.testing.assert_allclose(small, full, rtol=1e-12)
