"""HTML pages: home, map, charts, lists, search and record pages (with history and corrections)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from beltroad.analysis import profile_cooperation
from beltroad.api.deps import Conn, FilterParams
from beltroad.store import (
    facet_counts,
    get_record,
    get_source,
    list_records,
    list_sources,
    record_exists,
    record_history,
    search_records,
    source_exists,
)
from beltroad.web import pages as html

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def home(conn: Conn) -> str:
    return html.home_page(conn)


@router.get("/favicon.ico", response_class=RedirectResponse)
def favicon() -> RedirectResponse:
    # browsers ask for /favicon.ico whatever the page links; the icon is an SVG among the static files
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/map")
def map_page() -> str:
    return html.map_page()


@router.get("/api/docs")
def api_docs() -> str:
    return html.api_docs_page()


@router.get("/charts")
def charts_page() -> str:
    return html.charts_page()


@router.get("/records/{record_id}", response_model=None)
def record_page(conn: Conn, record_id: str) -> str | RedirectResponse:
    # a citation's source id typed as a record (/records/yang-belarus-town) leads to the source
    if not record_exists(conn, record_id) and source_exists(conn, record_id):
        return RedirectResponse(f"/sources/{quote(record_id)}", status_code=308)
    return html.record_page(get_record(conn, record_id), record_history(conn, record_id))


@router.get("/sources")
def sources_page(conn: Conn) -> str:
    return html.sources_page(list_sources(conn))


@router.get("/sources/{source_id}")
def source_page(conn: Conn, source_id: str) -> str:
    return html.source_page(get_source(conn, source_id))


@router.get("/profile/{record_id}")
def profile_page(
    conn: Conn, record_id: str, other: Annotated[str | None, Query(max_length=200)] = None
) -> str:
    return html.profile_page(profile_cooperation(conn, record_id, other))


@router.get("/list")
def list_page(
    conn: Conn,
    filters: FilterParams,
    sort: Annotated[str | None, Query(max_length=20)] = None,
    offset: Annotated[int, Query(ge=0, le=10**12)] = 0,
) -> str:
    result = list_records(conn, filters=filters, limit=100, offset=offset, sort=sort)
    return html.list_page(result, filters, sort=sort, facets=facet_counts(conn, filters))


@router.get("/review")
def review_page(
    request: Request,
    source: Annotated[str | None, Query(max_length=120)] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> str:
    from beltroad.ingest import pending

    return html.review_page(pending(request.app.state.engine, source), offset=offset, source=source)


@router.get("/search")
def search_page(conn: Conn, q: Annotated[str, Query(max_length=200)] = "") -> str:
    hits = search_records(conn, q, limit=50) if q.strip() else []
    return html.search_page(q, hits)
