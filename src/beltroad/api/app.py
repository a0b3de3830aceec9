"""FastAPI application factory: JSON API under /api, HTML pages at the root.

All errors leave as one JSON shape, ``{"ok": false, "error": "...", "status": N}`` (HTML pages
render the same message), so no client ever sees a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import Connection, Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from beltroad import __version__
from beltroad.errors import BeltroadError
from beltroad.store.queries import get_record, list_records, resolve, search_records
from beltroad.web import pages

log = logging.getLogger("beltroad.api")


def connection(request: Request) -> Iterator[Connection]:
    """One connection per request, from the engine the app was created with."""
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


def error_body(message: str, status: int) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def create_app(engine: Engine) -> FastAPI:
    """The observatory app over ``engine`` (which must hold an initialised store)."""
    app = FastAPI(
        title="beltroad",
        version=__version__,
        description="A sourced knowledge base of economic cooperation under the Belt and Road Initiative. Every record carries its citations.",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )

    app.state.engine = engine

    def _respond(request: Request, message: str, status: int) -> Any:
        if _wants_html(request):
            return HTMLResponse(pages.error_page(message, status), status_code=status)
        return JSONResponse(error_body(message, status), status_code=status)

    @app.exception_handler(BeltroadError)
    async def _beltroad_error(request: Request, exc: BeltroadError) -> Any:
        return _respond(request, str(exc), exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Any:
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"] if p not in {"query", "path", "body"})
            parts.append(f"{loc}: {err['msg']}")
        return _respond(request, "invalid request: " + "; ".join(parts), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Any:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        return _respond(request, message, exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Any:
        log.exception("unhandled error on %s", request.url.path)
        return _respond(request, "internal error; the server log has the details", 500)

    # --- JSON API -------------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    @app.get("/api/records", tags=["records"])
    def api_list(
        conn: Conn,
        kind: str | None = None,
        country: Annotated[str | None, Query(description="ISO3 code, e.g. BLR")] = None,
        corridor: str | None = None,
        subkind: str | None = None,
        since: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
        until: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Records with their citations, filtered; ordered by kind, name and id."""
        return {
            "ok": True,
            **list_records(
                conn,
                kind,
                country=country,
                corridor=corridor,
                subkind=subkind,
                since=since,
                until=until,
                limit=limit,
                offset=offset,
            ),
        }

    @app.get("/api/records/{record_id}", tags=["records"])
    def api_get(conn: Conn, record_id: str) -> dict[str, Any]:
        """One record with every field, its citations and linked records."""
        return {"ok": True, "record": get_record(conn, record_id)}

    @app.get("/api/search", tags=["records"])
    def api_search(
        conn: Conn,
        q: Annotated[str, Query(min_length=1, max_length=200)],
        kind: str | None = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> dict[str, Any]:
        """Full-text search over names, aliases, summaries and notes."""
        return {"ok": True, "query": q, "items": search_records(conn, q, kind=kind, limit=limit)}

    @app.get("/api/resolve", tags=["records"])
    def api_resolve(
        conn: Conn, name: Annotated[str, Query(min_length=1, max_length=200)], kind: str | None = None
    ) -> dict[str, Any]:
        """The id a name or alias denotes; 404 with suggestions, 409 listing candidates when ambiguous."""
        return {"ok": True, "id": resolve(conn, name, kind)}

    # --- HTML pages -----------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(conn: Conn) -> str:
        return pages.home_page(conn)

    @app.get("/records/{record_id}", response_class=HTMLResponse, include_in_schema=False)
    def record_page(conn: Conn, record_id: str) -> str:
        return pages.record_page(get_record(conn, record_id))

    @app.get("/list", response_class=HTMLResponse, include_in_schema=False)
    def list_page(
        conn: Conn,
        kind: str | None = None,
        country: str | None = None,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> str:
        result = list_records(conn, kind, country=country, limit=100, offset=offset)
        return pages.list_page(result, kind=kind, country=country)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(conn: Conn, q: Annotated[str, Query(max_length=200)] = "") -> str:
        hits = search_records(conn, q, limit=50) if q.strip() else []
        return pages.search_page(q, hits)

    return app
