"""Reads the analyses, importers and ingestion need, each answering one question in one query.

The tables are the store's own (``_tables``): a caller outside ``store/`` asks for what it needs
here, so a change of schema is one package's concern and no caller composes SQL of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar, cast

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import aliased

from beltroad.model import RECORD_TYPES, Record
from beltroad.store import _tables as t
from beltroad.store.views import CorridorCountries, RecordData


class PlacePoint(NamedTuple):
    """A located place: its id, name and coordinates (EPSG:4326)."""

    id: str
    name: str
    lon: float | None
    lat: float | None


class Located(NamedTuple):
    """A place that has coordinates (EPSG:4326)."""

    id: str
    name: str
    lon: float
    lat: float


class PartnerRow(NamedTuple):
    """One end of a live partnership between located places."""

    partnership: str
    place: str
    name: str
    lon: float
    lat: float
    country: str
    geonames_id: int | None
    subkind: str | None


def store_version(conn: Connection) -> int:
    """The counter every write bumps: what response caches key on."""
    return int(conn.scalar(select(t.store_state.c.value).where(t.store_state.c.key == "version")) or 0)


#: ``store_state`` keys of the per-kind counters: ``kind:partnership``, ``kind:source``, …
KIND_VERSION_PREFIX = "kind:"


def store_versions(conn: Connection) -> dict[str, int]:
    """The store's version (``version``) and each record kind's (``kind:<kind>``, and
    ``kind:source`` for the sources), in one query: an answer that reads only some kinds keys its
    cache on theirs, so a write to another kind leaves it valid. A kind never written reads as 0."""
    return {str(key): int(value) for key, value in conn.execute(select(t.store_state.c.key, t.store_state.c.value))}


def kinds_stamp(versions: dict[str, int], kinds: Iterable[str]) -> str:
    """One string that changes whenever any of ``kinds`` does, for an ETag or a cache key."""
    return "k" + ".".join(str(versions.get(KIND_VERSION_PREFIX + kind, 0)) for kind in sorted(set(kinds)))


_PER_VERSION: dict[tuple[str, int, str], Any] = {}
_PER_VERSION_LOCK = threading.Lock()
T = TypeVar("T")


def per_store_version(conn: Connection | None, name: str, build: Callable[[], T]) -> T:
    """``build()`` once per store version and ``name`` (a name index, a language's place
    dictionary), shared by every request or document after it: while one caller builds it, the
    others wait rather than build their own, and an older version's is dropped. Without a
    connection there is one, for the empty store."""
    where = (conn.engine.url.render_as_string(hide_password=True), store_version(conn)) if conn else ("", 0)
    key = (*where, name)
    found = _PER_VERSION.get(key)
    if found is None:
        with _PER_VERSION_LOCK:
            found = _PER_VERSION.get(key)
            if found is None:
                found = build()
                for stale in [k for k in _PER_VERSION if k[2] == name]:
                    del _PER_VERSION[stale]
                _PER_VERSION[key] = found
    return cast(T, found)


def record_exists(conn: Connection, record_id: str) -> bool:
    """Whether any record, live or retired, has this id."""
    return conn.scalar(select(t.records.c.id).where(t.records.c.id == record_id)) is not None


def source_exists(conn: Connection, source_id: str) -> bool:
    """Whether the store has this source."""
    return conn.scalar(select(t.sources.c.id).where(t.sources.c.id == source_id)) is not None


def record_ids(conn: Connection) -> set[str]:
    """Every record id in the store, live or retired (ids are never reused)."""
    return set(conn.scalars(select(t.records.c.id)))


def load_record(conn: Connection, record_id: str) -> Record | None:
    """One record validated into its model type, or None when there is none of that id."""
    row = conn.execute(select(t.records.c.kind, t.records.c.data).where(t.records.c.id == record_id)).first()
    return RECORD_TYPES[row.kind].model_validate(row.data) if row else None


def load_records(conn: Connection, ids: Iterable[str]) -> dict[str, Record]:
    """Records by id, validated into their model types; ids without a record are left out."""
    rows = conn.execute(
        select(t.records.c.id, t.records.c.kind, t.records.c.data).where(t.records.c.id.in_(sorted(ids)))
    )
    return {row.id: RECORD_TYPES[row.kind].model_validate(row.data) for row in rows}


def record_kind_and_data(conn: Connection, record_id: str) -> tuple[str, RecordData] | None:
    """A record's kind and stored data, unvalidated (for callers that read one or two fields)."""
    row = conn.execute(select(t.records.c.kind, t.records.c.data).where(t.records.c.id == record_id)).first()
    return (str(row.kind), dict(row.data)) if row else None


def record_brief(conn: Connection, record_id: str) -> tuple[str, str, str] | None:
    """A record's id, name and kind, or None."""
    row = conn.execute(
        select(t.records.c.id, t.records.c.name, t.records.c.kind).where(t.records.c.id == record_id)
    ).first()
    return (str(row.id), str(row.name), str(row.kind)) if row else None


def record_name(conn: Connection, record_id: str) -> str | None:
    """A record's name, or None."""
    found = conn.scalar(select(t.records.c.name).where(t.records.c.id == record_id))
    return None if found is None else str(found)


def live_records_of_kind(conn: Connection, kind: str) -> list[tuple[str, RecordData]]:
    """(id, stored data) of every live record of one kind."""
    rows = conn.execute(
        select(t.records.c.id, t.records.c.data).where(
            t.records.c.kind == kind, t.records.c.retired.is_(False)
        )
    )
    return [(rid, data) for rid, data in rows]


def place_data(conn: Connection) -> list[tuple[str, RecordData]]:
    """(id, stored data) of every place, live or retired: what an import matches rows against."""
    rows = conn.execute(select(t.records.c.id, t.records.c.data).where(t.records.c.kind == "place"))
    return [(rid, data) for rid, data in rows]


def curated_places(
    conn: Connection,
) -> list[tuple[str, str, str | None, float | None, float | None, RecordData]]:
    """(id, name, sub-kind, lat, lon, data) of the live curated places, for extraction's labels."""
    rows = conn.execute(
        select(
            t.records.c.id,
            t.records.c.name,
            t.records.c.subkind,
            t.records.c.lat,
            t.records.c.lon,
            t.records.c.data,
        ).where(
            t.records.c.kind == "place", t.records.c.retired.is_(False), t.records.c.origin.like("curated%")
        )
    )
    return [tuple(row) for row in rows]


def live_actors(conn: Connection) -> list[tuple[str, str, str | None, RecordData]]:
    """(id, name, sub-kind, data) of the live actors."""
    rows = conn.execute(
        select(t.records.c.id, t.records.c.name, t.records.c.subkind, t.records.c.data).where(
            t.records.c.kind == "actor", t.records.c.retired.is_(False)
        )
    )
    return [tuple(row) for row in rows]


def place_point(conn: Connection, record_id: str) -> PlacePoint | None:
    """A record's name and coordinates (None where it has no record)."""
    row = conn.execute(
        select(t.records.c.id, t.records.c.name, t.records.c.lon, t.records.c.lat).where(
            t.records.c.id == record_id
        )
    ).first()
    return PlacePoint(row.id, row.name, row.lon, row.lat) if row else None


def located_places(conn: Connection, ids: Iterable[str]) -> list[Located]:
    """The places among ``ids`` that have coordinates."""
    rows = conn.execute(
        select(t.records.c.id, t.records.c.name, t.records.c.lon, t.records.c.lat).where(
            t.records.c.id.in_(sorted(ids)), t.records.c.kind == "place", t.records.c.lon.is_not(None)
        )
    ).all()
    return [Located(row.id, row.name, row.lon, row.lat) for row in rows]


def live_place_named(conn: Connection, name: str) -> str | None:
    """The id of a live place of exactly this name (case-folded), or None."""
    found = conn.scalar(
        select(t.records.c.id)
        .where(t.records.c.kind == "place", t.records.c.retired.is_(False))
        .where(func.lower(t.records.c.name) == name.casefold())
    )
    return None if found is None else str(found)


def country_places(conn: Connection, countries: Iterable[str]) -> set[str]:
    """Ids of the country records of these ISO3 codes."""
    return {
        str(rid)
        for rid in conn.scalars(
            select(t.records.c.id)
            .join(t.record_countries, t.record_countries.c.record_id == t.records.c.id)
            .where(t.records.c.kind == "place", t.records.c.subkind == "country")
            .where(t.record_countries.c.country.in_(sorted(countries)))
        )
    }


def linking(conn: Connection, rel: str, dst: str) -> list[str]:
    """Ids of live records that point at ``dst`` through ``rel``, in id order."""
    rows = conn.scalars(
        select(t.record_links.c.src_id)
        .join(t.records, t.records.c.id == t.record_links.c.src_id)
        .where(t.record_links.c.rel == rel, t.record_links.c.dst_id == dst, t.records.c.retired.is_(False))
        .order_by(t.record_links.c.src_id)
    )
    return list(rows)


def projects_in_both(conn: Connection, a: str, b: str) -> list[str]:
    """Ids of live projects recorded in both countries ``a`` and ``b`` (ISO3)."""
    both = (
        select(t.record_countries.c.record_id)
        .join(t.records, t.records.c.id == t.record_countries.c.record_id)
        .where(t.records.c.kind == "project", t.records.c.retired.is_(False))
        .where(t.record_countries.c.country.in_([a, b]))
        .group_by(t.record_countries.c.record_id)
        .having(func.count() == 2)
    )
    return [str(pid) for pid in conn.scalars(both)]


def corridors(conn: Connection) -> list[CorridorCountries]:
    """The live corridors with the countries each lists: what scenario runs measure by corridor."""
    rows = conn.execute(
        select(t.records.c.id, t.records.c.name, t.records.c.data).where(
            t.records.c.kind == "corridor", t.records.c.retired.is_(False)
        )
    )
    return [CorridorCountries(id=rid, name=nm, countries=data.get("countries") or []) for rid, nm, data in rows]


def partnership_ends(conn: Connection) -> list[PartnerRow]:
    """Every end of every live partnership, with the place's location, country and GeoNames id."""
    place = aliased(t.records)
    country = aliased(t.record_countries)
    rows = conn.execute(
        select(
            t.record_links.c.src_id,
            place.c.id,
            place.c.name,
            place.c.lon,
            place.c.lat,
            country.c.country,
            place.c.data["geonames_id"].as_integer(),
            place.c.subkind,
        )
        .join(t.records, t.records.c.id == t.record_links.c.src_id)
        .join(place, place.c.id == t.record_links.c.dst_id)
        .join(country, country.c.record_id == place.c.id)
        .where(
            t.records.c.kind == "partnership",
            t.records.c.retired.is_(False),
            t.record_links.c.rel == "places",
        )
        .order_by(t.record_links.c.src_id, place.c.id)
    ).all()
    return [PartnerRow(*row) for row in rows]


def subjects_of_observations(conn: Connection, subjects: Iterable[str]) -> dict[str, set[str]]:
    """Observation id → all its subjects, for the observations about any of ``subjects``."""
    links = t.record_links
    about: dict[str, set[str]] = {}
    for src, dst in conn.execute(
        select(links.c.src_id, links.c.dst_id).where(
            links.c.rel == "subject",
            links.c.src_id.in_(
                select(links.c.src_id).where(links.c.rel == "subject", links.c.dst_id.in_(sorted(subjects)))
            ),
        )
    ):
        about.setdefault(src, set()).add(dst)
    return about


def observation_rows(conn: Connection, ids: Iterable[str]) -> list[Any]:
    """The live observations of these ids with their names and data, by measure and period."""
    o = t.observations
    return list(
        conn.execute(
            select(o, t.records.c.name, t.records.c.data)
            .join(t.records, t.records.c.id == o.c.record_id)
            .where(o.c.record_id.in_(sorted(ids)), t.records.c.retired.is_(False))
            .order_by(o.c.measure, o.c.period_start, o.c.record_id)
        ).all()
    )


def sources_data(conn: Connection, ids: Iterable[str]) -> dict[str, RecordData]:
    """Sources' stored data by id."""
    return {
        row.id: row.data
        for row in conn.execute(select(t.sources.c.id, t.sources.c.data).where(t.sources.c.id.in_(list(ids))))
    }


def country_place_of(conn: Connection, iso3: str) -> str | None:
    """The id of the country record of one ISO3 code, or None."""
    found = conn.scalar(
        select(t.records.c.id)
        .join(t.record_countries, t.record_countries.c.record_id == t.records.c.id)
        .where(
            t.records.c.kind == "place",
            t.records.c.subkind == "country",
            t.record_countries.c.country == iso3,
        )
    )
    return None if found is None else str(found)
