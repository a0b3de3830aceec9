"""Shortest times between many places at once, and how new links change them.

An origin–destination matrix over a thousand cities on the world rail network is a thousand
shortest-path trees when done one source at a time (the World Bank's replication does it so, in
NetworkX). beltroad answers it with a customizable contraction hierarchy (RoutingKit's CCH,
through the ``pyroutingkit`` package) instead:

- the hierarchy's *topology* depends only on which nodes are joined, so it is built once per
  network (seconds) and cached beside the network's arrays;
- a *metric* binds one set of times to it (tens of milliseconds), so parameter overrides and
  scenarios that remove a link reuse the topology;
- the many-to-many query then costs a small part of one tree per source.

RoutingKit's weights are unsigned 32-bit integers, so hours are counted in hundredths of a second
(``UNITS_PER_HOUR``; costs in hundredths of a cent); the rounding error is at most 0.005 s an edge. Where that range does not
suffice (a trip of over four months) or the package is missing, the same answers come from
scipy's Dijkstra on the network contracted around the places asked for (``contract.py``).

New links (a scenario's bridge) change the topology, so they are added exactly without a new
hierarchy: a shortest trip that uses new links enters them at one link end and leaves at another,
so the distances between link ends, with the links added, and from every place to every link end
decide it (``with_links``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph

from beltroad.transport.contraction import contract
from beltroad.transport.network import Network

#: RoutingKit counts in unsigned 32-bit integers: hours become hundredths of a second
UNITS_PER_HOUR = 360_000.0
#: and US dollars hundredths of a cent
UNITS_PER_USD = 10_000.0
#: results above this many units (124 days, USD 107,000) are recomputed by Dijkstra, far from any overflow
SAFE_UNITS = 2**30
#: networks larger than this get a hierarchy or are contracted; smaller ones take plain Dijkstra
LARGE = 5_000
#: shortest-path trees computed at once on the Dijkstra path (bounds the memory of the rows)
CHUNK = 64

try:
    import pyroutingkit
except ImportError:  # pragma: no cover - the transport extra installs it
    pyroutingkit = None


@dataclass
class Hierarchy:
    """The weight-free CCH of one network, with the network's arcs in CSR order."""

    topology: Any
    keys: NDArray[np.int64]  # tail * n + head of each arc, sorted
    size: int

    @classmethod
    def of(cls, network: Network) -> Hierarchy | None:
        """The network's hierarchy, from its cache folder when there is one (None without the package)."""
        if pyroutingkit is None:
            return None
        if isinstance(network.hierarchy, Hierarchy):
            return network.hierarchy
        km = network.km.tocsr()
        km.sort_indices()
        coo = km.tocoo()
        tail, head = coo.row.astype(np.uint32), coo.col.astype(np.uint32)
        keys = coo.row.astype(np.int64) * network.size + coo.col
        digest = hashlib.blake2b(keys.tobytes(), digest_size=16)
        digest.update(np.ascontiguousarray(network.lat, dtype=np.float32).tobytes())
        digest.update(np.ascontiguousarray(network.lon, dtype=np.float32).tobytes())
        key = f"{digest.hexdigest()} pyroutingkit {importlib.metadata.version('pyroutingkit')}"
        folder = network.cache_dir / f"{network.mode}.cch" if network.cache_dir else None
        topology = _load(folder, key) if folder is not None else None
        if topology is None:
            topology = pyroutingkit.CCHTopology()
            lat = np.ascontiguousarray(network.lat, dtype=np.float32)
            lon = np.ascontiguousarray(network.lon, dtype=np.float32)
            topology.build(tail, head, lat, lon, network.size)
            if folder is not None:
                _save(topology, folder, key)
        hierarchy = cls(topology, keys, network.size)
        network.hierarchy = hierarchy
        return hierarchy

    def weights(self, values: sparse.csr_matrix, units_per: float) -> NDArray[np.uint32] | None:
        """Arc weights in the topology's order (arcs absent from ``values`` closed); None when a
        value does not fit RoutingKit's integers."""
        coo = values.tocoo()
        keys = coo.row.astype(np.int64) * self.size + coo.col
        at = np.searchsorted(self.keys, keys)
        if np.any(at >= len(self.keys)) or np.any(self.keys[np.minimum(at, len(self.keys) - 1)] != keys):
            msg = "the time matrix has an arc its network lacks: add new links with with_links"
            raise ValueError(msg)
        units = np.rint(coo.data * units_per)
        if len(units) and (units.min() < 0 or units.max() >= SAFE_UNITS):
            return None
        weights = np.full(len(self.keys), pyroutingkit.INF_WEIGHT, dtype=np.uint32)
        weights[at] = units.astype(np.uint32)
        return weights


def _load(folder: Path, key: str) -> Any:
    """The cached topology if it was built for this network and reads whole; else None."""
    try:
        if (folder / "key").read_text() != key:
            return None
        topology = pyroutingkit.CCHTopology()
        topology.load(str(folder))
    except (OSError, RuntimeError):  # absent, unreadable or cut short: build it again
        return None
    return topology


def _save(topology: Any, folder: Path, key: str) -> None:
    """Write the topology beside the network, whole or not at all; a folder that cannot be
    written only costs the next run the build."""
    partial = folder.with_suffix(".partial")
    try:
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        topology.save(str(partial))
        (partial / "key").write_text(key)
        shutil.rmtree(folder, ignore_errors=True)
        partial.replace(folder)
    except (OSError, RuntimeError):
        shutil.rmtree(partial, ignore_errors=True)


class Distances:
    """Shortest times (or costs) between chosen nodes of one matrix over a network's arcs."""

    def __init__(
        self,
        values: sparse.csr_matrix,
        network: Network | None = None,
        *,
        engine: str = "auto",
        units_per: float = UNITS_PER_HOUR,
    ) -> None:
        """``engine``: "hierarchy" wherever the package is there (small networks too), "dijkstra"
        never, "auto" for networks of over ``LARGE`` nodes."""
        if engine not in ("auto", "hierarchy", "dijkstra"):
            msg = f"unknown engine {engine!r}: auto, hierarchy or dijkstra"
            raise ValueError(msg)
        self.values = values.tocsr()
        self.units_per = units_per
        self._metric: Any = None
        self._labels: NDArray[np.int32] | None = None
        wanted = engine == "hierarchy" or (engine == "auto" and network is not None and network.size > LARGE)
        hierarchy = Hierarchy.of(network) if wanted and network is not None else None
        if hierarchy is not None:
            weights = hierarchy.weights(self.values, units_per)
            if weights is not None:
                self._metric = pyroutingkit.CCHMetric(hierarchy.topology)
                self._metric.customize(weights)

    @property
    def engine(self) -> str:
        return "hierarchy" if self._metric is not None else "dijkstra"

    def between(self, sources: NDArray[np.int64], targets: NDArray[np.int64]) -> NDArray[np.float64]:
        """From each source (rows) to each target (columns); inf where no route."""
        sources, targets = np.asarray(sources, dtype=np.int64), np.asarray(targets, dtype=np.int64)
        if self._metric is not None:
            found = self._from_hierarchy(sources, targets)
            if found is not None:
                return found
        return self._from_dijkstra(sources, targets)

    def square(self, nodes: NDArray[np.int64]) -> NDArray[np.float64]:
        """Between every pair of ``nodes`` (repeated nodes computed once)."""
        unique, inverse = np.unique(np.asarray(nodes, dtype=np.int64), return_inverse=True)
        dist = self.between(unique, unique)
        return np.asarray(dist[np.ix_(inverse, inverse)])

    def _from_hierarchy(
        self, sources: NDArray[np.int64], targets: NDArray[np.int64]
    ) -> NDArray[np.float64] | None:
        units = self._metric.distances_many_to_many(sources.astype(np.uint32), targets.astype(np.uint32))
        closed = units >= pyroutingkit.INF_WEIGHT
        if np.any(units[~closed] >= SAFE_UNITS):
            return None
        if closed.any():
            # "no route" must mean another part of the network, never an overflow
            labels = self._components()
            if np.any(closed & (labels[sources][:, None] == labels[targets][None, :])):
                return None
        return np.where(closed, np.inf, units / self.units_per)

    def _components(self) -> NDArray[np.int32]:
        if self._labels is None:
            _n, self._labels = csgraph.connected_components(self.values, directed=True, connection="strong")
        return self._labels

    def _from_dijkstra(self, sources: NDArray[np.int64], targets: NDArray[np.int64]) -> NDArray[np.float64]:
        matrix, src, tgt = self.values, sources, targets
        if self.values.shape[0] > LARGE:
            terminals = np.unique(np.concatenate([sources, targets]))
            core = contract(self.values, terminals)
            matrix, src, tgt = core.matrix, core.of(sources), core.of(targets)
        return (
            np.vstack(
                [
                    csgraph.dijkstra(matrix, directed=True, indices=src[k : k + CHUNK])[:, tgt]
                    for k in range(0, len(src), CHUNK)
                ]
            )
            if len(src)
            else np.zeros((0, len(tgt)))
        )


def add_links(hours: sparse.csr_matrix, links: list[tuple[int, int, float]]) -> sparse.csr_matrix:
    """The time matrix with each link added both ways; where an edge exists, the shorter stays."""
    coo = hours.tocoo()
    rows = np.concatenate([coo.row, [u for u, _, _ in links], [v for _, v, _ in links]])
    cols = np.concatenate([coo.col, [v for _, v, _ in links], [u for u, _, _ in links]])
    data = np.concatenate([coo.data, [w for *_, w in links] * 2])
    order = np.lexsort((data, cols, rows))  # by edge, shortest first
    rows, cols, data = rows[order], cols[order], data[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return sparse.csr_matrix((data[first], (rows[first], cols[first])), shape=hours.shape)


def with_links(
    distances: Distances,
    base: NDArray[np.float64],
    nodes: NDArray[np.int64],
    links: list[tuple[int, int, float]],
) -> NDArray[np.float64]:
    """The matrix over ``nodes`` after adding ``links`` (each both ways), from the baseline matrix.

    Exact for any number of links: a shortest trip that uses them runs from its origin to a
    link end, between link ends over links and the old network, and from a link end to its
    destination (``through_links``).
    """
    if not links:
        return base.copy()
    ends = np.unique([x for u, v, _ in links for x in (u, v)])
    where = {int(e): k for k, e in enumerate(ends)}
    nodes = np.asarray(nodes, dtype=np.int64)
    local = [(where[u], where[v], w) for u, v, w in links]
    return through_links(
        base,
        distances.between(nodes, ends),  # origin → link end
        distances.between(ends, nodes),  # link end → destination
        distances.between(ends, ends),
        local,
    )


def through_links(
    base: NDArray[np.float64],
    to_ends: NDArray[np.float64],
    from_ends: NDArray[np.float64],
    portal: NDArray[np.float64],
    links: list[tuple[int, int, float]],
) -> NDArray[np.float64]:
    """``base`` improved by trips over ``links`` between link ends (indices into the ends).

    ``to_ends`` are the baseline times from each origin to each end, ``from_ends`` from each end
    to each destination and ``portal`` between ends. Computing these once for every link of a
    set of projects lets any subset of the projects be evaluated from them alone (a sweep's
    tasks): take the rows and columns of the subset's ends. The closure between link ends is a
    Floyd–Warshall over at most 2 × links ends; the two min-plus products run one end at a time,
    so memory stays at a few matrices of the result's size.
    """
    if not links:
        return base.copy()
    closure = portal.copy()
    for a, b, w in links:
        closure[a, b] = min(closure[a, b], w)
        closure[b, a] = min(closure[b, a], w)
    for k in range(len(closure)):  # Floyd–Warshall; scipy's would read a zero time as no edge
        np.minimum(closure, closure[:, k, None] + closure[None, k, :], out=closure)
    # origin → enter at any end → leave at end b, then b → destination
    enter = np.full(to_ends.shape, np.inf)
    for a in range(closure.shape[0]):
        np.minimum(enter, to_ends[:, a, None] + closure[None, a, :], out=enter)
    after = base.copy()
    for b in range(closure.shape[0]):
        np.minimum(after, enter[:, b, None] + from_ends[None, b, :], out=after)
    return after
