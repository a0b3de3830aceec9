"""Map layers as GeoJSON, and observations as time series.

Layers share the list filters (country, corridor, connectivity, field, status, year…). A
partnership is drawn as a line between its two places; an infrastructure project with two or more
located endpoints as a line through them; everything else as a point. Records without a point are
left out of the map and counted in ``omitted``, never placed at a guessed location.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.orm import aliased

from beltroad.errors import ValidationFailed, check_choice
from beltroad.model import Feature, FeatureCollection, Geometry
from beltroad.store import _tables as t
from beltroad.store.queries import Filters, citations_for, view_where
from beltroad.store.views import ObservationSeries, RecordPlaces, SeriesEntry, SeriesPoint

LAYERS = ("places", "partnerships", "zones", "infrastructure", "projects")
MAX_FEATURES = 100_000
#: the record kind each layer draws
LAYER_KIND = {"places": "place", "partnerships": "partnership"}
#: what every filtered view may read besides its own records: places (a line's ends), corridors
#: and connectivities (a filter's name is resolved through them) and sources (citation titles)
VIEW_READS = ("place", "corridor", "connectivity", "source")


def view_kinds(kind: str | None = None, layer: str | None = None) -> tuple[str, ...] | None:
    """The record kinds a filtered view (a list of ``kind``, a map ``layer``) reads, so that its
    cached answer outlives writes to every other kind; None when it may read any kind."""
    if layer is not None:
        kind = LAYER_KIND.get(layer, "project") if layer in LAYERS else None
    if kind is None:
        return None
    return tuple(sorted({kind, *VIEW_READS}))


def _layer_filters(layer: str, f: Filters) -> tuple[Filters, list[Any]]:
    extra: list[Any] = []
    kind = LAYER_KIND.get(layer, "project")
    if layer in {"zones", "infrastructure"}:
        extra.append(
            t.records.c.id.in_(
                select(t.record_facets.c.record_id).where(
                    t.record_facets.c.facet == "class",
                    t.record_facets.c.value == ("zone" if layer == "zones" else "infrastructure"),
                )
            )
        )
    return Filters(**{**f.__dict__, "kind": kind}), extra


def _feature(row: Any, geometry: Geometry, countries: list[str], cites: int) -> Feature:
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": geometry,
        "properties": {
            "id": row.id,
            "name": row.name,
            "kind": row.kind,
            "subkind": row.subkind,
            "status": row.status,
            "date": row.date_start,
            "countries": countries,
            "citations": cites,
        },
    }


def layer_geojson(
    conn: Connection, layer: str, filters: Filters | None = None, limit: int = MAX_FEATURES
) -> FeatureCollection:
    """One map layer as a FeatureCollection, in stable id order."""
    check_choice(layer, LAYERS, "layer")
    if not 1 <= limit <= MAX_FEATURES:
        msg = f"limit must be between 1 and {MAX_FEATURES}, got {limit}"
        raise ValidationFailed(msg)
    f, extra = _layer_filters(layer, filters or Filters())
    where = and_(view_where(conn, f), *extra)
    r = t.records
    rows = conn.execute(
        select(r.c.id, r.c.name, r.c.kind, r.c.subkind, r.c.status, r.c.date_start, r.c.lon, r.c.lat)
        .where(where)
        .order_by(r.c.id)
        .limit(limit + 1)
    ).all()
    truncated = len(rows) > limit
    rows = rows[:limit]
    # the layer's ids as a subquery: thousands of ids are cheaper to re-select than to bind
    chosen = select(r.c.id).where(where)
    ids = (chosen.order_by(r.c.id).limit(limit) if truncated else chosen).scalar_subquery()
    ends = _line_ends(conn, ids, "places" if layer == "partnerships" else "endpoints")
    countries = _countries(conn, ids)
    cite_counts = _citation_counts(conn, ids)
    features: list[Feature] = []
    omitted = 0
    for row in rows:
        coords = ends.get(row.id, [])
        if len(coords) >= 2:
            geometry: Geometry = {"type": "LineString", "coordinates": coords}
        elif row.lon is not None and row.lat is not None and layer != "partnerships":
            geometry = {"type": "Point", "coordinates": [row.lon, row.lat]}
        else:
            omitted += 1
            continue
        features.append(_feature(row, geometry, countries.get(row.id, []), cite_counts.get(row.id, 0)))
    return {"type": "FeatureCollection", "features": features, "omitted": omitted, "truncated": truncated}


#: the links whose targets are the places a record stands at, for its geometry and place ids
PLACE_RELATIONS = ("places", "endpoints", "location")


def record_places(conn: Connection, ids: Sequence[str]) -> dict[str, RecordPlaces]:
    """For each id, the places it stands at (a partnership's two cities, a project's end points or
    location) and its geometry: a line through its end points, else its own point, else None."""
    rows = conn.execute(
        select(t.record_links.c.src_id, t.record_links.c.rel, t.record_links.c.dst_id)
        .where(t.record_links.c.src_id.in_(list(ids)), t.record_links.c.rel.in_(PLACE_RELATIONS))
        .order_by(t.record_links.c.src_id, t.record_links.c.rel, t.record_links.c.dst_id)
    )
    places: dict[str, list[str]] = defaultdict(list)
    for src, _rel, dst in rows:
        places[src].append(dst)
    lines = _line_ends(conn, list(ids), "places") | _line_ends(conn, list(ids), "endpoints")
    points = {
        rid: [lon, lat]
        for rid, lon, lat in conn.execute(
            select(t.records.c.id, t.records.c.lon, t.records.c.lat).where(
                t.records.c.id.in_(list(ids)), t.records.c.lon.is_not(None)
            )
        )
    }
    out: dict[str, RecordPlaces] = {}
    for rid in ids:
        geometry: Geometry | None = None
        if len(lines.get(rid, [])) >= 2:
            geometry = {"type": "LineString", "coordinates": lines[rid]}
        elif rid in points:
            geometry = {"type": "Point", "coordinates": points[rid]}
        out[rid] = RecordPlaces(place_ids=places.get(rid, []), geometry=geometry)
    return out


def _line_ends(conn: Connection, ids: Any, rel: str) -> dict[str, list[list[float]]]:
    place = aliased(t.records)
    rows = conn.execute(
        select(t.record_links.c.src_id, place.c.lon, place.c.lat)
        .join(place, place.c.id == t.record_links.c.dst_id)
        .where(t.record_links.c.src_id.in_(ids), t.record_links.c.rel == rel, place.c.lon.is_not(None))
        .order_by(t.record_links.c.src_id, t.record_links.c.dst_id)
    )
    ends: dict[str, list[list[float]]] = defaultdict(list)
    for src, lon, lat in rows:
        ends[src].append([lon, lat])
    return ends


def _countries(conn: Connection, ids: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    rows = conn.execute(
        select(t.record_countries.c.record_id, t.record_countries.c.country)
        .where(t.record_countries.c.record_id.in_(ids))
        .order_by(t.record_countries.c.record_id, t.record_countries.c.country)
    )
    for rid, country in rows:
        found[rid].append(country)
    return found


def _citation_counts(conn: Connection, ids: Any) -> dict[str, int]:
    rows = conn.execute(
        select(t.citations.c.record_id, func.count())
        .where(t.citations.c.record_id.in_(ids))
        .group_by(t.citations.c.record_id)
    )
    return {rid: n for rid, n in rows}  # noqa: C416 - unpacks Row objects


def series_index(conn: Connection) -> list[SeriesEntry]:
    """Which series exist: measure, unit, subjects and side, with how many observations each has
    and over how many years (``years``: a chart over time needs more than one)."""
    groups: dict[tuple[str, str, tuple[str, ...], str | None], list[str | None]] = defaultdict(list)
    subjects = _subjects(conn)
    o = t.observations
    for rid, measure, unit, side, start in conn.execute(
        select(o.c.record_id, o.c.measure, o.c.unit, o.c.side, o.c.period_start)
        .join(t.records, t.records.c.id == o.c.record_id)
        .where(t.records.c.retired.is_(False))
    ):
        groups[(measure, unit, tuple(subjects.get(rid, [])), side)].append(start[:4] if start else None)
    return [
        SeriesEntry(
            measure=m,
            unit=u,
            subjects=list(s),
            side=side,
            observations=len(starts),
            years=len({y for y in starts if y}),
        )
        for (m, u, s, side), starts in sorted(
            groups.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][2])
        )
    ]


def _subjects(conn: Connection, ids: list[str] | None = None) -> dict[str, list[str]]:
    query = select(t.record_links.c.src_id, t.record_links.c.dst_id).where(t.record_links.c.rel == "subject")
    if ids is not None:
        query = query.where(t.record_links.c.src_id.in_(ids))
    found: dict[str, list[str]] = defaultdict(list)
    for src, dst in conn.execute(query.order_by(t.record_links.c.src_id, t.record_links.c.dst_id)):
        found[src].append(dst)
    return found


def observation_series(
    conn: Connection, measure: str, subjects: list[str], *, scope: str | None = None
) -> ObservationSeries:
    """Observations of ``measure`` whose subjects are exactly ``subjects`` (any order), by period."""
    if not subjects:
        msg = "series needs at least one subject id"
        raise ValidationFailed(msg)
    o = t.observations
    rows = conn.execute(
        select(o, t.records.c.name, t.records.c.data)
        .join(t.records, t.records.c.id == o.c.record_id)
        .where(o.c.measure == measure, t.records.c.retired.is_(False))
        .order_by(o.c.period_start, o.c.record_id)
    ).all()
    subject_map = _subjects(conn, [row.record_id for row in rows])
    wanted = sorted(subjects)
    chosen = [row for row in rows if sorted(subject_map.get(row.record_id, [])) == wanted]
    if scope is not None:
        chosen = [row for row in chosen if (row.data.get("scope") or "") == scope]
    cites = citations_for(conn, [row.record_id for row in chosen])
    return {
        "measure": measure,
        "subjects": wanted,
        "units": sorted({row.unit for row in chosen}),
        "points": [
            SeriesPoint(
                id=row.record_id,
                name=row.name,
                period_start=row.period_start,
                period_end=row.period_end,
                value=row.value,
                unit=row.unit,
                bound=row.bound,
                qualifier=row.qualifier,
                side=row.side,
                scope=row.data.get("scope"),
                citations=cites.get(row.record_id, []),
            )
            for row in chosen
        ],
    }
