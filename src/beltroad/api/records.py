"""Reading records: list, get, history, search and name resolution."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response, StreamingResponse

from beltroad import __version__
from beltroad.api.deps import Conn, FilterParams
from beltroad.api.jsonresp import json_response
from beltroad.errors import check_choice
from beltroad.exporting import FORMATS, MEDIA_TYPES, export_chunks
from beltroad.store import (
    SORT_CHOICES,
    facet_counts,
    get_record,
    get_source,
    list_records,
    list_sources,
    record_history,
    resolve,
    search_records,
)

router = APIRouter(prefix="/api", tags=["records"])


@router.get("/health", tags=["meta"])
def health() -> dict[str, Any]:
    return {"ok": True, "version": __version__}


SortParam = Annotated[
    str | None,
    Query(description="column to sort by, '-' first for descending", json_schema_extra={"enum": list(SORT_CHOICES)}),
]


@router.get("/records")
def api_list(
    conn: Conn,
    filters: FilterParams,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**12)] = 0,
    sort: SortParam = None,
) -> Response:
    """Records with their citations, filtered; ordered by ``sort``, then kind, name and id."""
    result = list_records(conn, filters=filters, limit=limit, offset=offset, sort=sort)
    nxt = offset + limit
    return json_response({"ok": True, **result, "next_offset": nxt if nxt < result["total"] else None})


@router.get("/facets/counts")
def api_facet_counts(conn: Conn, filters: FilterParams) -> Response:
    """For the filtered view, each facet's values (kind, sub-kind, status, country, corridor,
    year, source) with how many records have them, most first."""
    return json_response({"ok": True, "facets": facet_counts(conn, filters)})


@router.get("/export", response_class=StreamingResponse)
def api_export(
    request: Request,
    conn: Conn,
    filters: FilterParams,
    format: Annotated[str, Query(json_schema_extra={"enum": list(FORMATS)})] = "csv",
    sort: SortParam = None,
) -> StreamingResponse:
    """Every record of the filtered view as CSV, JSON or GeoJSON with its citations, streamed a
    batch at a time whatever the view's size (partnerships as lines between their cities)."""
    check_choice(format, FORMATS, "format")
    list_records(conn, filters=filters, sort=sort, limit=1)  # a bad filter is a 422 before the stream starts
    engine = request.app.state.engine

    def chunks() -> Iterator[bytes]:
        with engine.connect() as stream_conn:
            for chunk in export_chunks(stream_conn, filters, format, sort=sort):
                yield chunk.encode("utf-8")

    name = f"beltroad-{filters.kind or 'records'}.{format}"
    return StreamingResponse(
        chunks(), media_type=MEDIA_TYPES[format], headers={"content-disposition": f'attachment; filename="{name}"'}
    )


@router.get("/records/{record_id}")
def api_get(
    conn: Conn,
    record_id: Annotated[str, Path(max_length=120)],
    suggest: Annotated[bool, Query(description="on a miss, name the closest ids in the error")] = False,
) -> Response:
    """One record with every field, its citations and linked records. A miss is a plain 404 (a
    script's typo costs the server nothing); ``suggest=true`` adds the closest ids to it."""
    return json_response({"ok": True, "record": get_record(conn, record_id, suggest_names=suggest)})


@router.get("/records/{record_id}/history")
def api_history(conn: Conn, record_id: str) -> dict[str, Any]:
    """Every change to a record: who, when, before, after, and the citation it rests on."""
    get_record(conn, record_id)
    return {"ok": True, "id": record_id, "history": record_history(conn, record_id)}


@router.get("/sources")
def api_sources(conn: Conn) -> Response:
    """Every source with its kind, title, date and how many citations and records draw on it."""
    return json_response({"ok": True, "items": list_sources(conn)})


@router.get("/sources/{source_id}")
def api_source(conn: Conn, source_id: str) -> Response:
    """One source's full reference and every record citing it, with locators and the fields each
    citation supports; a miss is a 404 naming the closest ids."""
    return json_response({"ok": True, "source": get_source(conn, source_id)})


@router.get("/search")
def api_search(
    conn: Conn,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    kind: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Response:
    """Full-text search over names, aliases, summaries and notes."""
    return json_response({"ok": True, "query": q, "items": search_records(conn, q, kind=kind, limit=limit)})


@router.get("/resolve")
def api_resolve(
    conn: Conn, name: Annotated[str, Query(min_length=1, max_length=200)], kind: str | None = None
) -> dict[str, Any]:
    """The id a name or alias denotes; 404 with suggestions, 409 listing candidates when ambiguous."""
    return {"ok": True, "id": resolve(conn, name, kind)}
