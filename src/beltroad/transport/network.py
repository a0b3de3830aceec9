"""The rail network of the world as arrays: built once from the scgraph_data package, cached to disk.

scgraph_data ships OpenStreetMap-derived networks (ODbL) as Python source: an adjacency list with
lengths in kilometres and a list of [lat, lon] nodes. Parsing that source takes seconds and
importing it needs a version of scgraph it no longer matches, so it is read as data, turned into a
compressed sparse row matrix plus coordinate and country arrays, and saved as one ``.npz`` file
beside the store; later loads take a fraction of a second.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.spatial import cKDTree
from shapely import contains_xy

from beltroad.data.geography import country_shapes
from beltroad.errors import StoreError, ValidationFailed

EARTH_RADIUS_KM = 6371.0088
MODES = ("rail",)
_KEY = re.compile(r"([{,]\s*)(\d+):")


@dataclass
class Network:
    """Nodes (lat, lon, ISO3 country) and directed edges with lengths in km, as arrays."""

    mode: str
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    country: NDArray[np.str_]
    km: sparse.csr_matrix
    source: str

    @property
    def size(self) -> int:
        return len(self.lat)

    _kd: cKDTree | None = field(default=None, init=False, repr=False, compare=False)

    def _tree(self) -> cKDTree:
        if self._kd is None:
            self._kd = cKDTree(_unit_vectors(self.lat, self.lon))
        return self._kd

    def nearest(self, lat: float, lon: float) -> tuple[int, float]:
        """The node nearest a point and its great-circle distance in km."""
        chord, index = self._tree().query(_unit_vectors(np.array([lat]), np.array([lon]))[0])
        return int(index), float(2 * EARTH_RADIUS_KM * np.arcsin(min(chord / 2, 1.0)))


def _unit_vectors(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def _scgraph_file(mode: str) -> tuple[Path, str]:
    spec = importlib.util.find_spec("scgraph_data")
    if spec is None or not spec.submodule_search_locations:
        msg = "the transport network needs the scgraph_data package: pip install 'beltroad[transport]'"
        raise StoreError(msg)
    name = {"rail": "world_railways"}[mode]
    version = importlib.metadata.version("scgraph_data")
    # the suffix names this reader's layout of the cache, so a change to it rebuilds old caches
    return Path(
        next(iter(spec.submodule_search_locations))
    ) / f"{name}.py", f"scgraph_data {version} {name} (2)"


def _parse(path: Path) -> tuple[list[dict[str, float]], list[list[float]]]:
    """The adjacency list and nodes written in the package's Python source, read as JSON."""
    found: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            for key in ("graph", "nodes"):
                if line.startswith(f"{key}="):
                    found[key] = line[len(key) + 1 :]
    if set(found) != {"graph", "nodes"}:
        msg = f"{path}: not the scgraph_data layout this reader knows (graph=… and nodes=… lines)"
        raise StoreError(msg)
    graph: list[dict[str, float]] = json.loads(_KEY.sub(r'\1"\2":', found["graph"]))
    nodes: list[list[float]] = json.loads(found["nodes"])
    return graph, nodes


def node_countries(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.str_]:
    """The ISO3 country each node lies in ('' at sea or off the outlines), by country outline."""
    out = np.full(len(lat), "", dtype="<U3")
    for code, shape in sorted(country_shapes().items()):
        west, south, east, north = shape.bounds
        box = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north) & (out == "")
        if box.any():
            idx = np.flatnonzero(box)
            out[idx[contains_xy(shape, lon[idx], lat[idx])]] = code
    # nodes just off the simplified outlines (ports, bridges, coasts) take their nearest located node's
    # country, so that a route crosses a border only where two countries meet
    missing = np.flatnonzero(out == "")
    located = np.flatnonzero(out != "")
    if len(missing) and len(located):
        tree = cKDTree(_unit_vectors(lat[located], lon[located]))
        _dist, nearest = tree.query(_unit_vectors(lat[missing], lon[missing]))
        out[missing] = out[located[nearest]]
    return out


def build(mode: str) -> Network:
    """Read the package's network and turn it into arrays (seconds; use ``load`` for the cache)."""
    if mode not in MODES:
        msg = f"unknown mode {mode!r}; the network has {', '.join(MODES)}"
        raise ValidationFailed(msg)
    path, source = _scgraph_file(mode)
    graph, nodes = _parse(path)
    coords = np.asarray(nodes, dtype=np.float64)
    rows, cols, km = [], [], []
    for i, neighbours in enumerate(graph):
        for j, length in neighbours.items():
            if int(j) != i:
                rows.append(i)
                cols.append(int(j))
                km.append(max(float(length), 1e-6))  # a zero length would vanish from the sparse matrix
    n = len(coords)
    matrix = sparse.csr_matrix((np.array(km), (np.array(rows), np.array(cols))), shape=(n, n))
    return Network(
        mode, coords[:, 0], coords[:, 1], node_countries(coords[:, 0], coords[:, 1]), matrix, source
    )


def load(mode: str, cache_dir: Path) -> Network:
    """The network from its cache, building and saving it first when absent or stale."""
    _path, source = _scgraph_file(mode)
    cached = cache_dir / f"{mode}.npz"
    if cached.exists():
        with np.load(cached, allow_pickle=False) as data:
            if str(data["source"]) == source:
                km = sparse.csr_matrix(
                    (data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"])
                )
                return Network(mode, data["lat"], data["lon"], data["country"], km, source)
    network = build(mode)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial.npz")
    np.savez_compressed(
        partial,
        lat=network.lat,
        lon=network.lon,
        country=network.country,
        data=network.km.data,
        indices=network.km.indices,
        indptr=network.km.indptr,
        shape=np.array(network.km.shape),
        source=np.array(source),
    )
    partial.replace(cached)
    return network
