"""Map layers as GeoJSON, the filters' values, and observations as time series."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from beltroad.analysis import compare_cooperation, network_layer, partnership_flows, profile_cooperation
from beltroad.api.deps import Conn, FilterParams
from beltroad.api.jsonresp import json_response
from beltroad.data.geography import haversine_km as great_circle_km
from beltroad.errors import BeltroadError, check_choice
from beltroad.model import FeatureCollection
from beltroad.store import LAYERS, MAX_FEATURES, facet_values, layer_geojson, observation_series, series_index
from beltroad.transport import modes_help

if TYPE_CHECKING:
    from beltroad.transport import Router

router = APIRouter(prefix="/api")


@router.get("/geo/{layer}", tags=["map"])
def api_geo(
    request: Request,
    conn: Conn,
    layer: Annotated[str, Path(json_schema_extra={"enum": list(LAYERS)})],
    filters: FilterParams,
    limit: Annotated[int, Query(ge=1, le=MAX_FEATURES)] = MAX_FEATURES,
) -> Response:
    """A map layer as GeoJSON: places, partnerships (lines), zones, infrastructure or projects.
    A line or corridor known only by its two ends is drawn along the route between them on its
    network, where that network is built (``properties.alignment`` says which)."""
    collection = layer_geojson(conn, layer, filters, limit)
    if layer in {"infrastructure", "projects"}:
        _route_alignments(request, collection)
    return json_response(collection)


#: the infrastructure that runs along a network, and the network whose route between its two ends
#: stands for its alignment where the records give only the ends (the Beijing–Moscow corridor)
ALONG_NETWORK = {"rail_line": "rail", "high_speed_rail": "rail", "transport_corridor": "rail", "road": "road"}
#: a line not yet built has no alignment the network could show; a corridor is a band along
#: existing links whatever its status
UNBUILT = frozenset({"proposed", "planned"})
#: a route this many times longer than the straight line is a detour, not the line's course
DETOUR = 1.5
_alignments: dict[tuple[str, str, tuple[float, ...]], list[list[float]] | None] = {}


def _route_alignments(request: Request, collection: FeatureCollection) -> None:
    """Replace each two-ended line's straight segment with its route, once per process and line."""
    from beltroad.transport import Endpoint, is_cached

    cache_dir = request.app.state.settings.data_dir / "transport"
    for feature in collection["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        mode = ALONG_NETWORK.get(props.get("subkind") or "")
        if mode is None or geometry is None or geometry["type"] != "LineString" or len(geometry["coordinates"]) != 2:
            continue
        if props.get("status") in UNBUILT and props.get("subkind") != "transport_corridor":
            props["alignment"] = "a straight line between its ends (not built: no alignment to show)"
            continue
        (lon_a, lat_a), (lon_b, lat_b) = geometry["coordinates"]
        key = (str(cache_dir), mode, (lon_a, lat_a, lon_b, lat_b))
        if key not in _alignments:
            if not is_cached(mode, cache_dir):
                props["alignment"] = "a straight line between its ends (no routing network is built)"
                continue
            ends = [Endpoint(props["id"], props["name"], lat, lon, props["id"]) for lon, lat in geometry["coordinates"]]
            try:
                route = _router(request, mode).route(*ends)
                straight = great_circle_km(lon_a, lat_a, lon_b, lat_b)
                detour = route.distance_km > DETOUR * straight
                _alignments[key] = None if detour else route.geometry["geometry"]["coordinates"]
            except BeltroadError:
                _alignments[key] = None  # an end far from the network: the straight line stays
        line = _alignments[key]
        if line:
            feature["geometry"] = {"type": "LineString", "coordinates": line}
            props["alignment"] = f"routed on the {mode} network between its ends (not a surveyed alignment)"
        else:
            props["alignment"] = "a straight line between its ends (the network has no route near it)"


@router.get("/trade/layers", tags=["map"])
def api_trade_layers(request: Request) -> dict[str, Any]:
    """The saved per-country GE results (``--map-layer NAME``): name, title, source, year."""
    from beltroad.trade import layers

    return {"layers": layers(request.app.state.settings.data_dir)}


@router.get("/trade/layers/{name}", tags=["map"])
def api_trade_layer(request: Request, name: str) -> Response:
    """One saved layer: each country's welfare and trade changes with their intervals and ISO numeric code."""
    from beltroad.trade import layer

    return json_response(layer(request.app.state.settings.data_dir, name))


@router.get("/sweeps", tags=["map"])
def api_sweeps(request: Request) -> dict[str, Any]:
    """The finished sweeps under the data folder that have a map: name, title, market size."""
    from beltroad.sweep import sweep_layers

    return {"sweeps": sweep_layers(request.app.state.settings.data_dir)}


@router.get("/sweeps/{name}/cities", tags=["map"])
def api_sweep_cities(request: Request, name: Annotated[str, Path(max_length=80)]) -> Response:
    """A sweep's cities as GeoJSON: each one's gain and change of log market access with every project built."""
    from beltroad.sweep import sweep_layer

    return json_response(sweep_layer(request.app.state.settings.data_dir, name))


@router.get("/profile/{name}", tags=["cooperation"])
def api_profile(
    conn: Conn,
    name: str,
    other: Annotated[str | None, Query(description="a second place: the pair's cooperation")] = None,
) -> Response:
    """The cooperation profile of a project, partnership or pair of places, with evidence."""
    return json_response({"ok": True, "profile": profile_cooperation(conn, name, other)})


@router.get("/compare", tags=["cooperation"])
def api_compare(conn: Conn, case: Annotated[list[str], Query(min_length=2, max_length=12)]) -> Response:
    """Cooperation cases side by side, each with its type and the reasons for it."""
    return json_response({"ok": True, **compare_cooperation(conn, case)})


@router.get("/network/places", tags=["map"])
def api_network_places(
    conn: Conn,
    country: Annotated[
        str | None, Query(pattern="^[A-Z]{3}$", description="only places of this ISO3 country")
    ] = None,
) -> Response:
    """Partnered places as GeoJSON with their number of partners, network community and province."""
    layer = network_layer(conn)
    if country:
        layer["features"] = [f for f in layer["features"] if f["properties"]["country"] == country]
    return json_response(layer)


@router.get("/network/flows", tags=["map"])
def api_network_flows(
    conn: Conn,
    country: Annotated[
        str | None, Query(pattern="^[A-Z]{3}$", description="only the pairs this ISO3 country is in")
    ] = None,
) -> Response:
    """Partnerships between two countries, one line per pair with their number, as GeoJSON."""
    return json_response(partnership_flows(conn, country))


_routers: dict[tuple[str, str], Router] = {}
_routers_lock = threading.Lock()


def _router(request: Request, mode: str) -> Router:
    """One router per network and process: the network loads once (from its cache) and stays."""
    from beltroad.transport import MODES, open_router

    check_choice(mode, MODES, "mode")
    cache_dir = request.app.state.settings.data_dir / "transport"
    key = (str(cache_dir), mode)
    with _routers_lock:
        if key not in _routers:
            _routers[key] = open_router(mode, cache_dir)
        return _routers[key]


@router.get("/route", tags=["transport"])
def api_route(
    request: Request,
    conn: Conn,
    origin: Annotated[
        str, Query(alias="from", min_length=1, max_length=200, description="a place name or id")
    ],
    destination: Annotated[
        str, Query(alias="to", min_length=1, max_length=200, description="a place name or id")
    ],
    mode: Annotated[str, Query(max_length=20, description=modes_help())] = "rail",
    scenario: Annotated[
        str | None,
        Query(
            max_length=80,
            pattern=r"^[a-z0-9-]+$",
            description="a shipped scenario id: the route with its links, and the time it saves",
        ),
    ] = None,
) -> Response:
    """The route between two places: distance, time split, cost, legs by mode, border crossings,
    changes of mode and the geometry as a GeoJSON feature; with a scenario, also its saving."""
    from beltroad.transport import resolve_endpoint

    start, end = resolve_endpoint(conn, origin), resolve_endpoint(conn, destination)
    router = _router(request, mode)
    if scenario is None:
        return json_response({"ok": True, "route": router.route(start, end).to_json()})
    from beltroad.transport import load_scenario, scenario_route

    routed = scenario_route(router, load_scenario(scenario), start, end)
    return json_response({"ok": True, "route": routed.to_json()})


@router.get("/scenarios", tags=["transport"])
def api_scenarios() -> dict[str, Any]:
    """The scenarios shipped with beltroad: id, name, project, mode and summary."""
    from beltroad.transport import shipped_scenarios

    found = shipped_scenarios()
    return {
        "ok": True,
        "items": [
            {"id": s.id, "name": s.name, "project": s.project, "mode": s.mode, "summary": s.summary}
            for s in found
        ],
    }


@router.get("/facets", tags=["map"])
def api_facets(conn: Conn) -> dict[str, Any]:
    """The values the filters offer (countries with names, corridors, connectivities, fields…)."""
    return {"ok": True, **facet_values(conn)}


@router.get("/series", tags=["observations"])
def api_series_index(conn: Conn) -> dict[str, Any]:
    """The time series that exist: measure, unit, subjects and how many observations each has."""
    return {"ok": True, "items": series_index(conn)}


@router.get("/series/{measure}", tags=["observations"])
def api_series(
    conn: Conn,
    measure: str,
    subject: Annotated[list[str], Query(min_length=1, description="subject ids, e.g. belarus and china")],
    scope: str | None = None,
) -> Response:
    """Observations of one measure for one subject or pair, in time order, each with citations."""
    return json_response({"ok": True, **observation_series(conn, measure, subject, scope=scope)})
