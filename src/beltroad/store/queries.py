"""Reading the store: lists with filters, one record with its citations and links, search, names.

Every function returns plain dicts ready for JSON, and each record it returns carries its
citations, so no front end can show a fact without its source.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, and_, func, or_, select, text

from beltroad.data.countries import country_iso3
from beltroad.data.gazetteer import geonames_ids_named
from beltroad.errors import AmbiguousName, RecordNotFound, ValidationFailed, check_choice
from beltroad.model.dates import PartialDate
from beltroad.model.names import normalise_name, romanise_cyrillic, stem
from beltroad.model.vocab import RECORD_KINDS
from beltroad.store import _tables as t
from beltroad.store.read import per_store_version, record_exists
from beltroad.store.views import (
    CitationView,
    CountryRef,
    FacetCount,
    FacetValues,
    FigureView,
    LinkView,
    NamedRef,
    NameMatch,
    ObservationFields,
    RecordPage,
    RecordSummary,
    RecordView,
    SearchHit,
)

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_LIMIT = 10_000


def citations_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[CitationView]]:
    """Citations of many records at once, with each source's title."""
    found: dict[str, list[CitationView]] = defaultdict(list)
    if not ids:
        return found
    query = (
        select(
            t.citations.c.record_id,
            t.citations.c.path,
            t.citations.c.locator,
            t.citations.c.data,
            t.sources.c.title,
        )
        .join(t.sources, t.sources.c.id == t.citations.c.source_id)
        .where(t.citations.c.record_id.in_(list(ids)))
        .order_by(t.citations.c.record_id, t.citations.c.id)
    )
    for rid, path, locator, data, title in conn.execute(query):
        item: CitationView = {"source": data["source"], "source_title": title, "locator": locator, "path": path}
        if "via" in data:
            item["via"] = data["via"]
        if "note" in data:
            item["note"] = data["note"]
        if "supports" in data:
            item["supports"] = data["supports"]
        found[rid].append(item)
    return found


def countries_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    if ids:
        rows = conn.execute(
            select(t.record_countries.c.record_id, t.record_countries.c.country)
            .where(t.record_countries.c.record_id.in_(list(ids)))
            .order_by(t.record_countries.c.country)
        )
        for rid, country in rows:
            found[rid].append(country)
    return found


def _summaries(conn: Connection, rows: Sequence[Any]) -> list[RecordSummary]:
    ids = [r.id for r in rows]
    cites = citations_for(conn, ids)
    ctry = countries_for(conn, ids)
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "subkind": r.subkind,
            "name": r.name,
            "status": r.status,
            "date": r.date_start,
            "date_precision": r.date_precision,
            "countries": ctry.get(r.id, []),
            "lon": r.lon,
            "lat": r.lat,
            "origin": r.origin,
            "citations": cites.get(r.id, []),
        }
        for r in rows
    ]


#: far past any store's size, and inside the 64-bit integers both databases take
MAX_OFFSET = 10**12


def _check_kind(kind: str | None) -> None:
    if kind is not None:
        check_choice(kind, RECORD_KINDS, "kind")


def _check_limit(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        msg = f"limit must be between 1 and {MAX_LIMIT}, got {limit}"
        raise ValidationFailed(msg)
    if not 0 <= offset <= MAX_OFFSET:
        msg = f"offset must be between 0 and {MAX_OFFSET:,}, got {offset}"
        raise ValidationFailed(msg)


def _parse_date(value: str | None, name: str) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.model_validate(value)
    except ValueError:
        msg = f"{name} takes a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}"
        raise ValidationFailed(msg) from None


@dataclass(frozen=True)
class Filters:
    """What lists, maps and series can be narrowed by; every field is optional."""

    kind: str | None = None
    country: str | None = None
    corridor: str | None = None
    connectivity: str | None = None
    field: str | None = None
    subkind: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
    year: int | None = None
    origin: str | None = None
    #: records citing this source id
    source: str | None = None


def _linked(rel: str, dst: str) -> Any:
    # IN over the (dst, rel) index, not a correlated EXISTS: the database starts from the few
    # records that match instead of probing every record
    return t.records.c.id.in_(
        select(t.record_links.c.src_id).where(t.record_links.c.dst_id == dst, t.record_links.c.rel == rel)
    )


def resolve_filters(conn: Connection, f: Filters) -> Filters:
    """``f`` with names turned into the ids and codes the conditions compare ("New Eurasian Land
    Bridge" → nelb, "Kazakhstan" → KAZ); a value that names nothing raises ValidationFailed with
    the closest names, instead of matching no record."""
    changes: dict[str, Any] = {}
    for param in ("corridor", "connectivity"):
        value = getattr(f, param)
        if not value:
            continue
        found = conn.scalar(select(t.records.c.kind).where(t.records.c.id == value))
        if found == param:
            continue
        try:
            changes[param] = resolve(conn, value, kind=param)
        except (RecordNotFound, AmbiguousName) as err:
            msg = f"{param} {value!r} is not a {param} id or name: {err}"
            raise ValidationFailed(msg) from err
    if f.country and not re.fullmatch(r"[A-Za-z]{3}", f.country):
        code = country_iso3(f.country)
        if code is None:
            msg = f"country takes an ISO 3166-1 alpha-3 code such as BLR or a country name, got {f.country!r}"
            raise ValidationFailed(msg)
        changes["country"] = code
    return replace(f, **changes) if changes else f


def view_where(conn: Connection, f: Filters) -> Any:
    """The WHERE clause of a filtered view, names in ``f`` resolved first (``resolve_filters``):
    what lists, exports, facet counts and map layers all select by."""
    return and_(*filter_conditions(resolve_filters(conn, f)))


def filter_conditions(f: Filters) -> list[Any]:
    """SQL conditions for ``f``; raises ValidationFailed naming the bad parameter."""
    _check_kind(f.kind)
    since_date = _parse_date(f.since, "since")
    until_date = _parse_date(f.until, "until")
    conds: list[Any] = [t.records.c.retired.is_(False)]
    if f.kind:
        conds.append(t.records.c.kind == f.kind)
    if f.subkind:
        conds.append(t.records.c.subkind == f.subkind)
    if f.status:
        conds.append(t.records.c.status == f.status)
    if f.origin:
        conds.append(t.records.c.origin == f.origin)
    if f.source:
        conds.append(
            t.records.c.id.in_(select(t.citations.c.record_id).where(t.citations.c.source_id == f.source))
        )
    if f.country:
        code = f.country.upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            msg = f"country takes an ISO 3166-1 alpha-3 code such as BLR or CHN, got {f.country!r}"
            raise ValidationFailed(msg)
        conds.append(
            t.records.c.id.in_(
                select(t.record_countries.c.record_id).where(t.record_countries.c.country == code)
            )
        )
    if f.corridor:
        conds.append(_linked("corridors", f.corridor))
    if f.connectivity:
        conds.append(_linked("connectivities", f.connectivity))
    if f.field:
        conds.append(
            t.records.c.id.in_(
                select(t.record_facets.c.record_id).where(
                    t.record_facets.c.facet == "field", t.record_facets.c.value == f.field
                )
            )
        )
    # a record is in [since, until] when its own date span overlaps it
    if since_date:
        conds.append(t.records.c.date_end >= since_date.earliest().isoformat())
    if until_date:
        conds.append(t.records.c.date_start <= until_date.latest().isoformat())
    if f.year is not None:
        if not 1800 <= f.year <= 2200:
            msg = f"year must be between 1800 and 2200, got {f.year}"
            raise ValidationFailed(msg)
        # as of a year: what had started by its end (undated records are always shown)
        conds.append(or_(t.records.c.date_start.is_(None), t.records.c.date_start <= f"{f.year}-12-31"))
    return conds


#: the columns a list can be sorted by; "-" before one sorts it descending
SORTS = {
    "name": t.records.c.name,
    "kind": t.records.c.kind,
    "subkind": t.records.c.subkind,
    "status": t.records.c.status,
    "date": t.records.c.date_start,
    "id": t.records.c.id,
}
SORT_CHOICES = tuple(sorted(SORTS)) + tuple(f"-{k}" for k in sorted(SORTS))


def _order(sort: str | None) -> list[Any]:
    """ORDER BY for ``sort`` with kind, name and id after it, so pages are stable; records
    without a value sort last either way."""
    if sort is None:
        return [t.records.c.kind, t.records.c.name, t.records.c.id]
    check_choice(sort, SORT_CHOICES, "sort")
    col = SORTS[sort.lstrip("-")]
    primary = col.desc() if sort.startswith("-") else col.asc()
    return [col.is_(None), primary, t.records.c.kind, t.records.c.name, t.records.c.id]


def list_records(
    conn: Connection,
    kind: str | None = None,
    *,
    country: str | None = None,
    corridor: str | None = None,
    subkind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    origin: str | None = None,
    limit: int = 100,
    offset: int = 0,
    filters: Filters | None = None,
    sort: str | None = None,
) -> RecordPage:
    """Records filtered by kind, country (ISO3 or name), corridor (id or name), sub-kind and date,
    in a stable order: ``sort`` (one of SORT_CHOICES) first, then kind, name and id."""
    f = filters or Filters(
        kind=kind,
        country=country,
        corridor=corridor,
        subkind=subkind,
        since=since,
        until=until,
        origin=origin,
    )
    _check_limit(limit, offset)
    order = _order(sort)
    where = view_where(conn, f)
    total = conn.scalar(select(func.count()).select_from(t.records).where(where)) or 0
    rows = conn.execute(select(t.records).where(where).order_by(*order).limit(limit).offset(offset)).all()
    return {"total": total, "limit": limit, "offset": offset, "items": _summaries(conn, rows)}


def record_batches(
    conn: Connection, filters: Filters, *, sort: str | None = None, batch: int = 1000
) -> Iterator[list[RecordSummary]]:
    """Every record of a filtered view, in its order, ``batch`` at a time (pages by offset over the
    view's stable order), so an export of the whole store holds one batch in memory."""
    where = view_where(conn, filters)
    order = _order(sort)
    offset = 0
    while True:
        rows = conn.execute(select(t.records).where(where).order_by(*order).limit(batch).offset(offset)).all()
        if rows:
            yield _summaries(conn, rows)
        if len(rows) < batch:
            return
        offset += batch


#: the facets a list counts, each as the values records of the view take and how many do
FACETS = ("kind", "subkind", "status", "country", "corridor", "year", "source")


def facet_counts(conn: Connection, filters: Filters, limit: int = 30) -> dict[str, list[FacetCount]]:
    """For a filtered view, each facet's values with the number of records having them (most
    first, at most ``limit`` each): what Datasette shows beside a table, so a reader sees where
    the records are before narrowing further."""
    view = select(t.records.c.id).where(view_where(conn, filters)).subquery()
    r, n = t.records, func.count().label("n")

    def counted(value: Any, *joins: tuple[Any, Any]) -> list[FacetCount]:
        query = select(value.label("value"), n).select_from(view.join(r, r.c.id == view.c.id))
        for table, on in joins:
            query = query.join(table, on)
        query = query.where(value.is_not(None)).group_by(value).order_by(n.desc(), value).limit(limit)
        return [FacetCount(value=v, count=c) for v, c in conn.execute(query)]

    links = t.record_links
    corridor_names = dict(conn.execute(select(r.c.id, r.c.name).where(r.c.kind == "corridor")).all())
    source_titles = dict(conn.execute(select(t.sources.c.id, t.sources.c.title)).all())
    out: dict[str, list[FacetCount]] = {
        "kind": counted(r.c.kind),
        "subkind": counted(r.c.subkind),
        "status": counted(r.c.status),
        "country": counted(
            t.record_countries.c.country, (t.record_countries, t.record_countries.c.record_id == r.c.id)
        ),
        "corridor": counted(
            links.c.dst_id, (links, and_(links.c.src_id == r.c.id, links.c.rel == "corridors"))
        ),
        "year": counted(func.substr(r.c.date_start, 1, 4)),
        "source": [
            FacetCount(value=v, count=c)
            for v, c in conn.execute(
                select(t.citations.c.source_id, func.count(func.distinct(t.citations.c.record_id)).label("n"))
                .join(view, view.c.id == t.citations.c.record_id)
                .group_by(t.citations.c.source_id)
                .order_by(func.count(func.distinct(t.citations.c.record_id)).desc(), t.citations.c.source_id)
                .limit(limit)
            )
        ],
    }
    for item in out["corridor"]:
        item["label"] = corridor_names.get(item["value"], item["value"])
    for item in out["source"]:
        item["label"] = source_titles.get(item["value"], item["value"])
    return out


def get_record(conn: Connection, record_id: str, *, suggest_names: bool = True) -> RecordView:
    """One record: every field, its citations, and the records it links to and from; a miss
    names the closest ids unless ``suggest_names`` is off."""
    row = conn.execute(select(t.records).where(t.records.c.id == record_id)).first()
    if row is None:
        suggestions = suggest(conn, record_id) if suggest_names else []
        hint = f"; did you mean {', '.join(repr(s['id']) for s in suggestions)}?" if suggestions else ""
        msg = f"no record with id {record_id!r}{hint}"
        raise RecordNotFound(msg)
    link_rows = conn.execute(
        select(t.record_links.c.rel, t.record_links.c.dst_id, t.records.c.kind, t.records.c.name)
        .join(t.records, t.records.c.id == t.record_links.c.dst_id, isouter=True)
        .where(t.record_links.c.src_id == record_id)
        .order_by(t.record_links.c.rel, t.record_links.c.dst_id)
    )
    back_rows = conn.execute(
        select(t.record_links.c.rel, t.record_links.c.src_id, t.records.c.kind, t.records.c.name)
        .join(t.records, t.records.c.id == t.record_links.c.src_id)
        .where(t.record_links.c.dst_id == record_id)
        .order_by(t.records.c.kind, t.records.c.name)
        .limit(200)
    )
    # mypy asks a ** item to name every optional key too; ``observation`` is added below
    out: RecordView = {
        **_summaries(conn, [row])[0],  # type: ignore[typeddict-item]
        "data": row.data,
        "retired": row.retired,
        "version": row.version,
        "links": [LinkView(rel=rel, id=dst, kind=kind, name=name) for rel, dst, kind, name in link_rows],
        "linked_from": [LinkView(rel=rel, id=src, kind=kind, name=name) for rel, src, kind, name in back_rows],
        "observations": figures_of(conn, record_id),
    }
    if row.kind == "observation":
        obs = conn.execute(select(t.observations).where(t.observations.c.record_id == record_id)).first()
        if obs is not None:
            out["observation"] = _observation_fields(obs)
    return out


def _observation_fields(row: Any) -> ObservationFields:
    return ObservationFields(
        measure=row.measure,
        value=row.value,
        unit=row.unit,
        bound=row.bound,
        qualifier=row.qualifier,
        side=row.side,
        period_start=row.period_start,
        period_end=row.period_end,
    )


def figures_of(conn: Connection, record_id: str) -> list[FigureView]:
    """The live observations whose subject is ``record_id`` (the Horgos center's 528 ha and its
    two sides), each with its fields and citations, by measure, side and period, so a record's
    own figures stand on its page rather than only among what links to it."""
    o, r = t.observations, t.records
    subject_of = select(t.record_links.c.src_id).where(
        t.record_links.c.rel == "subject", t.record_links.c.dst_id == record_id
    )
    rows = conn.execute(
        select(o, r.c.name)
        .join(r, r.c.id == o.c.record_id)
        .where(o.c.record_id.in_(subject_of), r.c.retired.is_(False))
        .order_by(o.c.measure, func.coalesce(o.c.side, ""), o.c.period_start, o.c.record_id)
    ).all()
    cites = citations_for(conn, [row.record_id for row in rows])
    return [
        FigureView(
            id=row.record_id, name=row.name, **_observation_fields(row), citations=cites.get(row.record_id, [])
        )
        for row in rows
    ]


#: observations repeat their subject's name and countries mention much of what lies in them; halving
#: their score ranks a record above its figures and a project above the country it lies in
OBSERVATION_WEIGHT = 0.5


def _word_forms(token: str) -> list[str]:
    """A query word's forms to match as prefixes: itself, its stem, and for Cyrillic its Latin
    romanisation and that one's stem (Хоргос → khorgos); only word characters, so safe in FTS5
    and tsquery syntax."""
    forms = [token, stem(token)]
    latin = romanise_cyrillic(token)
    if latin:
        forms += [latin, stem(latin)]
    return [f for f in dict.fromkeys(forms) if _TOKEN.fullmatch(f)]


def search_records(
    conn: Connection, query: str, *, kind: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Records matching every word of ``query`` (FTS5 on SQLite, tsvector on PostgreSQL).

    Each word matches as a prefix of a word of the record, of a stem of one (Snowball, so
    "connectivities" finds "connectivity") or, for Cyrillic, of its romanisation (Хоргос finds
    Khorgos). An exact name or alias ranks first, names weigh more than descriptions, and
    observations less than the records they describe. When no word matches, the places whose
    GeoNames city bears the query as another name (布里斯班 for Brisbane) come with ``match:
    "alternate name"``, else the records whose names are closest to the query (typos: "Horgoss")
    with ``match: "close"``.
    """
    _check_kind(kind)
    _check_limit(limit, 0)
    tokens = [tok.lower() for tok in _TOKEN.findall(query)]
    if not tokens:
        msg = f"search needs at least one word, got {query!r}"
        raise ValidationFailed(msg)
    groups = [_word_forms(tok) for tok in tokens]
    kind_filter = " AND r.kind = :kind" if kind else ""
    if conn.dialect.name == "sqlite":
        sql = (
            "SELECT r.id, -bm25(record_search, 0.0, 5.0, 1.0) "
            "* CASE WHEN r.kind = 'observation' OR r.subkind = 'country' THEN :w ELSE 1.0 END AS score "
            "FROM record_search s JOIN records r ON r.id = s.id "
            f"WHERE record_search MATCH :q AND NOT r.retired{kind_filter} ORDER BY score DESC, r.id LIMIT :limit"
        )
        params = {"q": " AND ".join("(" + " OR ".join(f'"{f}"*' for f in forms) + ")" for forms in groups)}
    else:
        sql = (
            "SELECT r.id, ts_rank(r.search, to_tsquery('simple', :q)) "
            "* CASE WHEN r.kind = 'observation' OR r.subkind = 'country' THEN :w ELSE 1.0 END AS score "
            "FROM records r "
            f"WHERE r.search @@ to_tsquery('simple', :q) AND NOT r.retired{kind_filter} ORDER BY score DESC, r.id LIMIT :limit"
        )
        params = {"q": " & ".join("(" + " | ".join(f"{f}:*" for f in forms) + ")" for forms in groups)}
    hits = conn.execute(text(sql), {**params, "kind": kind, "limit": limit, "w": OBSERVATION_WEIGHT}).all()
    # a record whose name or alias is exactly the query comes first, whatever its text length
    exact_query = (
        select(t.record_names.c.record_id)
        .join(t.records, t.records.c.id == t.record_names.c.record_id)
        .where(t.record_names.c.norm == normalise_name(query), t.records.c.retired.is_(False))
    )
    if kind:
        exact_query = exact_query.where(t.records.c.kind == kind)
    exact = sorted(set(conn.scalars(exact_query)))
    top = max((float(h.score) for h in hits), default=0.0) + 1.0
    ranked = [(rid, top) for rid in exact] + [(h.id, float(h.score)) for h in hits if h.id not in exact]
    ranked = ranked[:limit]
    match = "words"
    if not ranked and kind in {None, "place"}:
        ranked = [(rid, 1.0) for rid, _name in _places_by_geonames_name(conn, query)][:limit]
        match = "alternate name"
    if not ranked:
        ranked = _close_names(conn, query, kind, limit)
        match = "close"
    if not ranked:
        return []
    live = and_(t.records.c.id.in_([i for i, _ in ranked]), t.records.c.retired.is_(False))
    rows = {r.id: r for r in conn.execute(select(t.records).where(live))}
    summaries = {s["id"]: s for s in _summaries(conn, list(rows.values()))}
    return [
        {**summaries[i], "score": round(score, 4), "match": match} for i, score in ranked if i in summaries
    ]


def _places_by_geonames_name(conn: Connection, name: str) -> list[tuple[str, str]]:
    """(id, name) of the live places whose GeoNames city bears ``name`` among its alternate names
    (any script): the gazetteer's name index, shared with routing, is read only when the store's
    own names have failed, since it takes seconds to build."""
    ids = geonames_ids_named(name)
    if not ids:
        return []
    r = t.records
    rows = conn.execute(
        select(r.c.id, r.c.name)
        .where(r.c.kind == "place", r.c.retired.is_(False), r.c.data["geonames_id"].as_integer().in_(ids))
        .order_by(r.c.id)
    )
    return [(rid, n) for rid, n in rows]


#: how close (rapidfuzz WRatio, 0–100) a name must be to stand in for a search with no match: a
#: letter off ("Horgoss" 92), not a shared word ("test meeting" against "… meeting (2022)")
CLOSE_SCORE = 88


def _close_names(conn: Connection, query: str, kind: str | None, limit: int) -> list[tuple[str, float]]:
    """Records named closest to ``query`` (and to its romanisation), as (id, score in 0–1)."""
    found: dict[str, float] = {}
    for form in filter(None, [query, romanise_cyrillic(query)]):
        for s in suggest(conn, form, limit=limit, kind=kind):
            if s["score"] >= CLOSE_SCORE and s["score"] / 100 > found.get(s["id"], 0.0):
                found[s["id"]] = s["score"] / 100
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))[:limit]


@dataclass(frozen=True)
class _NameIndex:
    """Every record's names and id, as parallel lists for rapidfuzz; one per store version."""

    ids: list[str]
    names: list[str]
    #: each word of a name → the positions of the names that have it
    words: dict[str, list[int]]


#: candidates per suggestion: the closest names by plain edit ratio (fast over every name) and
#: the names sharing a word with the query; only these are ranked by the slower WRatio
PREFILTER = 40
MAX_WORD_CANDIDATES = 2000


def _name_index(conn: Connection) -> _NameIndex:
    """The store's name index, built once per store version and shared by every request."""

    def build() -> _NameIndex:
        ids, names = [], []
        for rid, n in conn.execute(select(t.record_names.c.record_id, t.record_names.c.norm)):
            ids.append(rid)
            names.append(n)
        for rid in conn.scalars(select(t.records.c.id)):
            ids.append(rid)
            names.append(rid.replace("-", " "))
        words: dict[str, list[int]] = defaultdict(list)
        for position, n in enumerate(names):
            for word in set(n.split()):
                words[word].append(position)
        return _NameIndex(ids, names, dict(words))

    return per_store_version(conn, "names", build)


def suggest(conn: Connection, name: str, limit: int = 5, kind: str | None = None) -> list[NameMatch]:
    """Closest names and ids to ``name`` (of one kind if given), for "did you mean" messages."""
    norm = normalise_name(name)
    if not norm:
        return []
    index = _name_index(conn)
    rough = process.extract(norm, index.names, scorer=fuzz.ratio, limit=PREFILTER * limit, score_cutoff=50)
    candidates = {position for _choice, _s, position in rough}
    for word in set(norm.split()):
        candidates.update(index.words.get(word, [])[:MAX_WORD_CANDIDATES])
    scored = sorted(
        ((fuzz.WRatio(norm, index.names[p]), -p, index.ids[p]) for p in candidates),
        reverse=True,
    )
    seen: dict[str, float] = {}
    for score, _order, rid in scored:
        if score >= 70:
            seen.setdefault(rid, score)
    ids = list(seen)
    kinds = dict(conn.execute(select(t.records.c.id, t.records.c.kind).where(t.records.c.id.in_(ids))).all())
    ids = [i for i in ids if kind is None or kinds.get(i) == kind][:limit]
    names = dict(conn.execute(select(t.records.c.id, t.records.c.name).where(t.records.c.id.in_(ids))).all())
    return [{"id": i, "name": names.get(i), "kind": kinds.get(i), "score": round(seen[i], 1)} for i in ids]


def resolve(conn: Connection, id_or_name: str, kind: str | None = None) -> str:
    """The id of the record an id or a name denotes; ambiguous or unknown names raise with candidates."""
    _check_kind(kind)
    if record_exists(conn, id_or_name):
        return id_or_name
    norm = normalise_name(id_or_name)
    query = (
        select(t.record_names.c.record_id, t.records.c.kind, t.records.c.name)
        .join(t.records, t.records.c.id == t.record_names.c.record_id)
        .where(t.record_names.c.norm == norm, t.records.c.retired.is_(False))
    )
    if kind:
        query = query.where(t.records.c.kind == kind)
    matches: dict[str, tuple[str, str]] = {rid: (k, n) for rid, k, n in conn.execute(query)}
    if not matches and kind in {None, "place"}:
        # a city's other names (乌鲁木齐, Urumchi for the record Ürümqi), by its GeoNames id
        matches = {rid: ("place", n) for rid, n in _places_by_geonames_name(conn, id_or_name)}
    if len(matches) == 1:
        return next(iter(matches))
    if len(matches) > 1:
        listed = "; ".join(f"{rid} ({k}: {n})" for rid, (k, n) in sorted(matches.items()))
        msg = f"{id_or_name!r} names {len(matches)} records: {listed}. Give one of these ids."
        raise AmbiguousName(msg)
    suggestions = suggest(conn, id_or_name, kind=kind)
    hint = "; closest: " + ", ".join(f"{s['id']} ({s['name']})" for s in suggestions) if suggestions else ""
    msg = f"no record named {id_or_name!r}{hint}"
    raise RecordNotFound(msg)


def counts_by_kind(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(t.records.c.kind, func.count()).group_by(t.records.c.kind))
    return {kind: count for kind, count in rows}  # noqa: C416 - unpacks Row objects


def facet_values(conn: Connection) -> FacetValues:
    """What the map's and lists' filters can offer, from what the store holds."""
    live = t.records.c.retired.is_(False)
    countries = [
        CountryRef(code=d["country"], name=name)
        for name, d in conn.execute(
            select(t.records.c.name, t.records.c.data)
            .where(live, t.records.c.kind == "place", t.records.c.subkind == "country")
            .order_by(t.records.c.name)
        )
    ]

    def named(kind: str) -> list[NamedRef]:
        rows = conn.execute(
            select(t.records.c.id, t.records.c.name)
            .where(live, t.records.c.kind == kind)
            .order_by(t.records.c.name)
        )
        return [NamedRef(id=i, name=n) for i, n in rows]

    def distinct(col: Any, *conds: Any) -> list[str]:
        return list(conn.scalars(select(col).where(live, col.is_not(None), *conds).distinct().order_by(col)))

    years = conn.execute(
        select(func.min(t.records.c.date_start), func.max(t.records.c.date_start)).where(live)
    ).one()
    return {
        "countries": countries,
        "corridors": named("corridor"),
        "connectivities": named("connectivity"),
        "fields": distinct(
            t.record_facets.c.value,
            t.record_facets.c.facet == "field",
            t.record_facets.c.record_id == t.records.c.id,
        ),
        "statuses": distinct(t.records.c.status),
        "project_kinds": distinct(t.records.c.subkind, t.records.c.kind == "project"),
        "years": [int(years[0][:4]) if years[0] else None, int(years[1][:4]) if years[1] else None],
    }
