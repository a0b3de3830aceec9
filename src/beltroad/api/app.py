"""FastAPI application factory: JSON API under /api, HTML pages and vendored assets at the root.

All errors leave as one JSON shape, ``{"ok": false, "error": "...", "status": N}`` (HTML pages
render the same message), so no client ever sees a stack trace.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from beltroad import __version__
from beltroad.api import countries, editing, maps, pages, records
from beltroad.api.deps import known_query_only
from beltroad.api.jsonresp import error_body
from beltroad.api.middleware import BodySizeLimit, EtagCache, ResponseCache, SecurityHeaders
from beltroad.errors import BeltroadError, StoreBusy
from beltroad.settings import Settings
from beltroad.store import BUSY_MESSAGE, lock_timed_out
from beltroad.web import STATIC_DIR, VENDOR_DIR, pages as html

log = logging.getLogger("beltroad.api")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def _respond(request: Request, message: str, status: int, headers: dict[str, str] | None = None) -> Any:
    if _wants_html(request):
        return HTMLResponse(html.error_page(message, status), status_code=status, headers=headers)
    return JSONResponse(error_body(message, status), status_code=status, headers=headers)


def _store_busy(exc: OperationalError) -> StoreBusy | None:
    """A write that waited out the lock somewhere past ``take_write_lock`` (which raises
    ``StoreBusy`` itself), as the error a client can retry; None for any other failure."""
    return StoreBusy(BUSY_MESSAGE) if lock_timed_out(exc) else None


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BeltroadError)
    async def _beltroad_error(request: Request, exc: BeltroadError) -> Any:
        retry = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, StoreBusy) else None
        return _respond(request, str(exc), exc.status, retry)

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> Any:
        busy = _store_busy(exc)
        if busy is None:
            log.exception("database error on %s", request.url.path)
            return _respond(request, "the database failed; the server log has the details", 503)
        return _respond(request, str(busy), busy.status, {"Retry-After": str(busy.retry_after_s)})

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Any:
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"] if p not in {"query", "path", "body", "header"})
            parts.append(f"{loc or 'body'}: {err['msg']}")
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


def create_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    """The observatory app over ``engine`` (which must hold an initialised store)."""
    settings = settings or Settings()
    threads = settings.worker_threads

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # endpoints are sync and hold the GIL while they build responses: a few threads keep
        # queries overlapping without the convoy that 40 contending threads cause under load
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="beltroad",
        version=__version__,
        description=(
            "A sourced knowledge base of economic cooperation under the Belt and Road Initiative. "
            "Every record carries its citations. Reading is public; writing needs an editor's token."
        ),
        dependencies=[Depends(known_query_only)],
        docs_url=None,  # the page is ours (web.pages.api_docs_page): vendored assets, no CDN
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.settings = settings
    _install_error_handlers(app)
    app.add_middleware(EtagCache, engine=engine, cache=ResponseCache(settings.response_cache_bytes))
    app.add_middleware(BodySizeLimit, limit=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    for router in (records.router, editing.router, maps.router, countries.router, pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/vendor", StaticFiles(directory=VENDOR_DIR), name="vendor")
    return app
