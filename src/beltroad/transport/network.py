"""The transport networks of the world as arrays: built once from packages' data, cached to disk.

- rail and road: scgraph_data ships OpenStreetMap-derived networks (ODbL) as Python source, an
  adjacency list with lengths in kilometres and a list of [lat, lon] nodes. Parsing that source
  takes seconds and importing it needs a version of scgraph it no longer matches, so it is read as
  data;
- sea: searoute ships Eurostat's maritime network (marnet) and 3,962 ports with their UN/LOCODEs as
  GeoJSON; each port joins the nearest lane. The Northwest Passage is left out, as searoute does
  by default (it is open a few weeks a year);
- multimodal: the three side by side, joined where goods change mode: each port to the nearest
  rail and road node, and rail to road at the city terminals of large cities and at the dry ports
  curated in ``params.yaml`` (named on their rail node, so routes can say where they change).

Each becomes a compressed sparse row matrix of km plus coordinate, country and mode arrays, saved
as one ``.npz`` file beside the store; later loads take a fraction of a second.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import itertools
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree
from shapely import contains_xy

from beltroad.data.geography import country_shapes
from beltroad.errors import StoreError, ValidationFailed
from beltroad.transport.modes import MODE_CODES, mode_spec

EARTH_RADIUS_KM = 6371.0088
#: how far a port may be from the rail or road node it joins, and a city terminal from its city
PORT_LINK_KM = 50.0
TERMINAL_LINK_KM = 20.0
TERMINAL_MIN_POPULATION = 500_000
#: how far a curated dry port's town may be from the rail and road nodes it joins
DRY_PORT_LINK_KM = 20.0
_KEY = re.compile(r"([{,]\s*)(\d+):")
PARAMS = Path(__file__).with_name("params.yaml")


@cache
def default_params() -> dict[str, Any]:
    """``params.yaml``: the model's parameters, each with its source, and the curated places."""
    loaded: dict[str, Any] = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    return loaded


def place_of(entry: dict[str, Any], what: str) -> tuple[float, float]:
    """Where a curated entry of ``params.yaml`` lies: its gazetteer town (``place``, ``iso2``)."""
    from beltroad.data.gazetteer import city_table

    table = city_table()
    at = [i for i, n in enumerate(table.name) if n == entry["place"] and table.iso2[i] == entry["iso2"]]
    if not at:
        msg = f"params.yaml: {what} {entry['place']} ({entry['iso2']}) is not in the gazetteer"
        raise ValidationFailed(msg)
    return float(table.lat[at[0]]), float(table.lon[at[0]])


def dry_ports() -> list[dict[str, Any]]:
    """The curated dry ports, each with its ``lat`` and ``lon``."""
    return [
        {**entry, **dict(zip(("lat", "lon"), place_of(entry, "dry port"), strict=True))}
        for entry in default_params().get("dry_ports", [])
    ]


@dataclass
class Network:
    """Nodes (lat, lon, ISO3 country) and directed edges with lengths in km, as arrays."""

    mode: str
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    country: NDArray[np.str_]
    km: sparse.csr_matrix
    source: str
    #: the mode of each node (``MODE_CODES``) where the network has several; else None
    node_mode: NDArray[np.int8] | None = None
    #: the nodes where a trip may start or end (a sea trip starts at a port); None for all
    entry: NDArray[np.bool_] | None = None
    #: a name for named nodes (ports), '' elsewhere; None when no node is named
    names: NDArray[np.str_] | None = None
    #: the folder the network was cached in (its routing hierarchy is cached there too)
    cache_dir: Path | None = field(default=None, repr=False, compare=False)

    @property
    def size(self) -> int:
        return len(self.lat)

    _kd: cKDTree | None = field(default=None, init=False, repr=False, compare=False)
    _entries: NDArray[np.int64] | None = field(default=None, init=False, repr=False, compare=False)
    _mode_trees: dict[tuple[int, bool], tuple[NDArray[np.int64], cKDTree]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: the contraction hierarchy of ``distances.Hierarchy``, once asked for
    hierarchy: Any = field(default=None, init=False, repr=False, compare=False)

    def modes(self) -> NDArray[np.int8]:
        if self.node_mode is not None:
            return self.node_mode
        return np.full(self.size, MODE_CODES.get(self.mode, 0), dtype=np.int8)

    def _tree(self) -> cKDTree:
        if self._kd is None:
            self._entries = np.flatnonzero(self.entry) if self.entry is not None else np.arange(self.size)
            self._kd = cKDTree(_unit_vectors(self.lat[self._entries], self.lon[self._entries]))
        return self._kd

    def nearest(self, lat: float, lon: float) -> tuple[int, float]:
        """The entry node nearest a point and its great-circle distance in km."""
        chord, index = self._tree().query(_unit_vectors(np.array([lat]), np.array([lon]))[0])
        assert self._entries is not None
        return int(self._entries[index]), float(_chord_km(chord))

    def nearest_of_mode(self, lat: float, lon: float, mode: str, *, unnamed: bool = False) -> tuple[int, float]:
        """The node of one mode nearest a point, and its distance in km: a new rail line of a
        multimodal network must start at a rail node, whatever road or port lies nearer.
        ``unnamed`` leaves out named nodes (ports), so a canal joins the sea lanes."""
        key = (MODE_CODES[mode], unnamed)
        trees = self._mode_trees
        if key not in trees:
            chosen = self.modes() == key[0]
            if unnamed and self.names is not None:
                chosen &= self.names == ""
            nodes = np.flatnonzero(chosen)
            if not len(nodes):
                msg = f"the {self.mode} network has no {mode} nodes"
                raise ValidationFailed(msg)
            trees[key] = (nodes, cKDTree(_unit_vectors(self.lat[nodes], self.lon[nodes])))
        nodes, tree = trees[key]
        chord, index = tree.query(_unit_vectors(np.array([lat]), np.array([lon]))[0])
        return int(nodes[index]), float(_chord_km(chord))


def _unit_vectors(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def _scgraph_file(mode: str) -> tuple[Path, str]:
    spec = importlib.util.find_spec("scgraph_data")
    if spec is None or not spec.submodule_search_locations:
        msg = "the transport network needs the scgraph_data package: pip install 'beltroad[transport]'"
        raise StoreError(msg)
    name = {"rail": "world_railways", "road": "world_highways"}[mode]
    version = importlib.metadata.version("scgraph_data")
    # the suffix names this reader's layout of the cache and the curated joins, so a change to
    # either rebuilds old caches
    joins = _joins(mode)
    key = f" + joins {_digest(joins)}" if joins else ""
    return Path(
        next(iter(spec.submodule_search_locations))
    ) / f"{name}.py", f"scgraph_data {version} {name} (2){key}"


def _digest(entries: list[dict[str, Any]]) -> str:
    text = json.dumps(entries, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def _joins(mode: str) -> list[dict[str, Any]]:
    """The curated joins of ``params.yaml`` for a mode's network."""
    return [j for j in default_params().get("network_joins", []) if j["mode"] == mode]


#: how far from a join's point its two line ends may lie, and how far apart they may be
JOIN_SEARCH_KM = 5.0
JOIN_MAX_GAP_KM = 2.0


def join_parts(
    matrix: sparse.csr_matrix, lat: NDArray[np.float64], lon: NDArray[np.float64], joins: list[dict[str, Any]]
) -> sparse.csr_matrix:
    """The network with each curated join closed: near the join's point, the closest two nodes
    of different connected parts are joined by an edge of their great-circle length.

    The packaged networks are simplified from OpenStreetMap, and a line can end a few hundred
    metres short of the line it meets in reality (the Khorgos line at Jinghe and at Zhetygen),
    which leaves it a separate part. Each join names the line and the source that says where it
    meets the rest, and fails the build if no such gap is there."""
    if not joins:
        return matrix
    _n, labels = csgraph.connected_components(matrix, directed=False)
    tree = cKDTree(_unit_vectors(lat, lon))
    rows, cols = [], []
    for join in joins:
        point = _unit_vectors(np.array([join["lat"]]), np.array([join["lon"]]))[0]
        near = np.array(tree.query_ball_point(point, r=JOIN_SEARCH_KM / EARTH_RADIUS_KM), dtype=np.int64)
        a, b = np.meshgrid(near, near, indexing="ij")
        apart = labels[a] != labels[b]
        gap = np.where(apart, haversine_km(lat[a], lon[a], lat[b], lon[b]), np.inf)
        if not near.size or not np.isfinite(gap).any() or gap.min() > JOIN_MAX_GAP_KM:
            msg = (
                f"params.yaml: join {join['name']!r}: no two parts of the {join['mode']} network lie within "
                f"{JOIN_MAX_GAP_KM:g} km of each other near ({join['lat']}, {join['lon']})"
            )
            raise ValidationFailed(msg)
        k = np.unravel_index(np.argmin(gap), gap.shape)
        rows.append(int(a[k]))
        cols.append(int(b[k]))
    r, c = np.array(rows), np.array(cols)
    km = np.maximum(haversine_km(lat[r], lon[r], lat[c], lon[c]), 1e-6)
    extra = sparse.csr_matrix((np.r_[km, km], (np.r_[r, c], np.r_[c, r])), shape=matrix.shape)
    return (matrix + extra).tocsr()


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


def haversine_km(
    lat1: NDArray[np.float64], lon1: NDArray[np.float64], lat2: NDArray[np.float64], lon2: NDArray[np.float64]
) -> NDArray[np.float64]:
    dlat, dlon = np.radians(lat2 - lat1), np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(np.radians(lat1)) * np.cos(np.radians(lat2)) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))))


def _chord_km(chord: Any) -> Any:
    """The great-circle km of a chord between unit vectors (what the k-d trees return)."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))


def _searoute_dir() -> tuple[Path, str]:
    spec = importlib.util.find_spec("searoute")
    if spec is None or not spec.submodule_search_locations:
        msg = "the sea network needs the searoute package: pip install 'beltroad[transport]'"
        raise StoreError(msg)
    version = importlib.metadata.version("searoute")
    return Path(
        next(iter(spec.submodule_search_locations))
    ) / "data", f"searoute {version} marnet and ports (1)"


def _undirected(rows: list[int], cols: list[int], km: list[float], n: int) -> sparse.csr_matrix:
    r, c, d = np.array(rows), np.array(cols), np.maximum(np.array(km, dtype=np.float64), 1e-6)
    matrix = sparse.csr_matrix(
        (np.concatenate([d, d]), (np.concatenate([r, c]), np.concatenate([c, r]))), shape=(n, n)
    )
    matrix.sum_duplicates()
    return matrix


def build_sea(_mode: str = "sea", _cache_dir: Path | None = None) -> Network:
    """Eurostat's maritime lanes and searoute's ports: each port joins the nearest lane node."""
    folder, source = _searoute_dir()
    lanes = json.loads((folder / "marnet_searoute.geojson").read_text(encoding="utf-8"))
    ports = json.loads((folder / "ports.geojson").read_text(encoding="utf-8"))
    index: dict[tuple[float, float], int] = {}
    coords: list[tuple[float, float]] = []
    rows: list[int] = []
    cols: list[int] = []

    def node(lon: float, lat: float) -> int:
        key = (round(lon, 5), round(lat, 5))
        if key not in index:
            index[key] = len(coords)
            coords.append((lat, lon))
        return index[key]

    for feature in lanes["features"]:
        if feature["properties"].get("passage") == "northwest":
            continue
        geometry = feature["geometry"]
        lines = (
            geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]
        )
        for line in lines:
            ids = [node(float(x), float(y)) for x, y in line]
            for u, v in itertools.pairwise(ids):
                if u != v:
                    rows.append(u)
                    cols.append(v)
    lanes_n = len(coords)
    lat = np.array([c[0] for c in coords])
    lon = np.array([c[1] for c in coords])
    km = list(haversine_km(lat[rows], lon[rows], lat[cols], lon[cols]))
    names: list[str] = [""] * lanes_n
    tree = cKDTree(_unit_vectors(lat, lon))
    for feature in ports["features"]:
        x, y = (float(v) for v in feature["geometry"]["coordinates"])
        props = feature["properties"]
        i = len(coords)
        coords.append((y, x))
        names.append(f"{props.get('name', '')} ({props.get('port', '')})")
        _chord, j = tree.query(_unit_vectors(np.array([y]), np.array([x]))[0])
        link = float(haversine_km(np.array([y]), np.array([x]), lat[[int(j)]], lon[[int(j)]])[0])
        if link > PORT_LINK_KM:
            # a river port far up a river (Chongqing, Duisburg) would join the sea by a straight
            # line over land: it stays out, and a multimodal route reaches it by land
            coords.pop()
            names.pop()
            continue
        rows.append(i)
        cols.append(int(j))
        km.append(link)
    n = len(coords)
    all_lat = np.array([c[0] for c in coords])
    all_lon = np.array([c[1] for c in coords])
    entry = np.zeros(n, dtype=bool)
    entry[lanes_n:] = True
    return Network(
        "sea",
        all_lat,
        all_lon,
        np.full(n, "", dtype="<U3"),
        _undirected(rows, cols, km, n),
        source,
        entry=entry,
        names=np.array(names),
    )


def _nearest_in(net: Network, place: dict[str, Any]) -> tuple[int, float]:
    """The node of the place's country (``iso2``) nearest it, and how far it is (inf if none)."""
    from beltroad.data.countries import country_iso3

    mine = np.flatnonzero(net.country == country_iso3(place["iso2"]))
    if not mine.size:
        return -1, float("inf")
    km = haversine_km(
        net.lat[mine], net.lon[mine], np.full(mine.size, place["lat"]), np.full(mine.size, place["lon"])
    )
    best = int(np.argmin(km))
    return int(mine[best]), float(km[best])


def build_multimodal(rail: Network, road: Network, sea: Network) -> Network:
    """The three networks side by side, joined where goods change mode (see the module's note)."""
    from beltroad.data.gazetteer import city_table

    parts = (rail, road, sea)
    offsets = np.cumsum([0] + [p.size for p in parts])
    n = int(offsets[-1])
    lat = np.concatenate([p.lat for p in parts])
    lon = np.concatenate([p.lon for p in parts])
    country = np.concatenate([p.country for p in parts])
    node_mode = np.concatenate([np.full(p.size, MODE_CODES[p.mode], dtype=np.int8) for p in parts])
    # object until the dry ports are named: a fixed-width string array would cut longer names
    names = np.concatenate([np.full(rail.size + road.size, "", dtype=object), sea.names])
    rows: list[int] = []
    cols: list[int] = []

    trees = {land.mode: cKDTree(_unit_vectors(land.lat, land.lon)) for land in (rail, road)}
    ports = np.flatnonzero(sea.entry) if sea.entry is not None else np.arange(0)
    for land, offset in ((rail, offsets[0]), (road, offsets[1])):
        # each port to the nearest node of the land network, when it is near enough
        chord, nearest = trees[land.mode].query(_unit_vectors(sea.lat[ports], sea.lon[ports]))
        keep = _chord_km(chord) <= PORT_LINK_KM
        rows.extend((ports[keep] + offsets[2]).tolist())
        cols.extend((nearest[keep] + offset).tolist())
    cities = city_table()
    big = np.flatnonzero(cities.population >= TERMINAL_MIN_POPULATION)
    points = _unit_vectors(cities.lat[big], cities.lon[big])
    c_rail, rail_node = trees["rail"].query(points)
    c_road, road_node = trees["road"].query(points)
    keep = (_chord_km(c_rail) <= TERMINAL_LINK_KM) & (_chord_km(c_road) <= TERMINAL_LINK_KM)
    rows.extend((rail_node[keep] + offsets[0]).tolist())
    cols.extend((road_node[keep] + offsets[1]).tolist())
    for port in dry_ports():
        # its own country's nodes: a dry port by a border serves one side of it
        at_rail, km_rail = _nearest_in(rail, port)
        at_road, km_road = _nearest_in(road, port)
        if max(km_rail, km_road) > DRY_PORT_LINK_KM:
            msg = (
                f"params.yaml: dry port {port['name']} is {km_rail:.0f} km from the nearest rail node and "
                f"{km_road:.0f} km from the nearest road node of its country, over {DRY_PORT_LINK_KM:g} km"
            )
            raise ValidationFailed(msg)
        rows.append(at_rail + int(offsets[0]))
        cols.append(at_road + int(offsets[1]))
        names[at_rail + int(offsets[0])] = port["name"]
    # a dry port may share its nodes with a city terminal: one link each, not two summed
    r, c = np.unique(np.array([rows, cols], dtype=np.int64), axis=1)
    link_km = np.maximum(haversine_km(lat[r], lon[r], lat[c], lon[c]), 1e-3)
    links = sparse.csr_matrix(
        (np.concatenate([link_km, link_km]), (np.concatenate([r, c]), np.concatenate([c, r]))), shape=(n, n)
    )
    km = sparse.block_diag([p.km for p in parts], format="csr") + links
    entry = node_mode != MODE_CODES["sea"]
    source = _multimodal_source([p.source for p in parts])
    return Network("multimodal", lat, lon, country, km.tocsr(), source, node_mode, entry, names.astype(str))


def build(mode: str, cache_dir: Path | None = None) -> Network:
    """Read the package's network and turn it into arrays (seconds; use ``load`` for the cache)."""
    return mode_spec(mode).build(cache_dir)


def build_multimodal_from_cache(_mode: str, cache_dir: Path | None) -> Network:
    """The multimodal network from the cached rail, road and sea networks."""
    if cache_dir is None:
        msg = "a multimodal network is built from the cached single-mode networks: give a cache folder"
        raise ValidationFailed(msg)
    return build_multimodal(load("rail", cache_dir), load("road", cache_dir), load("sea", cache_dir))


def build_scgraph(mode: str, _cache_dir: Path | None = None) -> Network:
    """A scgraph_data network (rail, road) as arrays, with the curated joins of ``params.yaml``."""
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
    matrix = join_parts(matrix, coords[:, 0], coords[:, 1], _joins(mode))
    return Network(
        mode, coords[:, 0], coords[:, 1], node_countries(coords[:, 0], coords[:, 1]), matrix, source
    )


def _multimodal_source(sources: list[str]) -> str:
    """The joined network's source: its parts', the link rules' and the dry ports', so a change to
    any rebuilds it."""
    key = _digest(default_params().get("dry_ports", []))
    return (
        " + ".join(sources)
        + f" + links ({PORT_LINK_KM:g}/{TERMINAL_LINK_KM:g}/{DRY_PORT_LINK_KM:g} km) + dry ports {key} (3)"
    )


def scgraph_source(mode: str, _cache_dir: Path) -> str:
    """The scgraph_data file, version and curated joins a rail or road network is built from."""
    return _scgraph_file(mode)[1]


def sea_source(_mode: str, _cache_dir: Path) -> str:
    """The searoute version the sea network is built from."""
    return _searoute_dir()[1]


def multimodal_source(_mode: str, cache_dir: Path) -> str:
    """The multimodal network's parts' sources, its link rules and its dry ports."""
    return _multimodal_source([_source(m, cache_dir) for m in ("rail", "road", "sea")])


def _source(mode: str, cache_dir: Path) -> str:
    return mode_spec(mode).data_source(cache_dir)


def _cache_file(mode: str, cache_dir: Path) -> Path:
    return cache_dir / f"{mode}.npz"


def is_cached(mode: str, cache_dir: Path) -> bool:
    """Whether a network has been built into ``cache_dir``, so that a front end can use it without
    building one inside a request (a build takes minutes).

    Parameters
    ----------
    mode
        ``rail``, ``road``, ``sea`` or ``multimodal``.
    cache_dir
        The folder of cached networks (``Settings().data_dir / "transport"``).

    Returns
    -------
    bool
        True when the mode's cache file exists (a stale one is rebuilt by :func:`load`).

    Examples
    --------
    >>> is_cached("rail", Path("var/transport"))  # doctest: +SKIP
    True
    """
    return _cache_file(mode, cache_dir).exists()


def load(mode: str, cache_dir: Path) -> Network:
    """The network from its cache, building and saving it first when absent or stale."""
    source = _source(mode, cache_dir)
    cached = _cache_file(mode, cache_dir)
    if cached.exists():
        with np.load(cached, allow_pickle=False) as data:
            if str(data["source"]) == source:
                km = sparse.csr_matrix(
                    (data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"])
                )
                extra = {k: data[k] for k in ("node_mode", "entry", "names") if k in data.files}
                return Network(
                    mode, data["lat"], data["lon"], data["country"], km, source, **extra, cache_dir=cache_dir
                )
    network = build(mode, cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial.npz")
    optional: dict[str, Any] = {
        k: v
        for k, v in (("node_mode", network.node_mode), ("entry", network.entry), ("names", network.names))
        if v is not None
    }
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
        **optional,
    )
    partial.replace(cached)
    network.cache_dir = cache_dir
    return network
