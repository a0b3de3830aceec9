"""Request-size limit, and ETags with a response cache for the read API.

Every write bumps the store's version (``store_state``), and the counter of each record kind it
touched, so an ETag made of those counters and the URL is valid until the next write that could
change the answer: a client holding it gets ``304 Not Modified`` without the query being run
again, and a repeated URL is answered from memory. Lists of one kind and map layers key on the
kinds they read (``store.view_kinds``), so an editor correcting a project leaves the 8.8 MB
partnership layer cached; every other answer keys on the whole store's version. The cache is
bounded in bytes.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from beltroad.api.jsonresp import error_response
from beltroad.store import kinds_stamp, store_versions, view_kinds

CACHE_CONTROL = "public, max-age=0, must-revalidate"
#: below this a gzip header costs more than it saves
GZIP_MIN_BYTES = 1024
#: pages that change without the store changing, and the streamed exports, which the cache would
#: have to buffer whole
NOT_CACHED = ("/api/docs", "/api/openapi.json", "/api/health", "/api/export")
#: answers that do not come from the store, so its version cannot tell when they change: the
#: trade map layers and the sweeps are files that a command line run replaces
NOT_CACHED_PREFIXES = ("/api/trade/", "/api/sweeps")
#: filtered views of one kind, whose answers depend on that kind's records and what they read
KIND_VIEWS = ("/api/records", "/api/facets/counts")
LAYER_PREFIX = "/api/geo/"


def cache_scope(path: str, params: list[tuple[str, str]]) -> tuple[str, ...] | None:
    """The record kinds the answer at ``path`` reads, or None when it may read any."""
    if path.startswith(LAYER_PREFIX):
        return view_kinds(layer=path.removeprefix(LAYER_PREFIX))
    kinds = [value for key, value in params if key == "kind"]
    if path in KIND_VIEWS and len(kinds) == 1:
        return view_kinds(kind=kinds[0])
    return None


def _busy() -> Response:
    return error_response(
        "the server is busy computing other answers; try again in a moment", 503, {"Retry-After": "1"}
    )


def _too_large(limit: int) -> Response:
    return error_response(f"request body is over the {limit}-byte limit", 413)


class BodySizeLimit:
    """Refuse bodies over ``limit`` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        # read the whole body first (it is small by construction), counting as it streams
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _too_large(self.limit)(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


@dataclass(frozen=True)
class CachedBody:
    """A response body, and its gzip form when large enough to be worth it (made once, on store)."""

    body: bytes
    gzipped: bytes | None
    media_type: str

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


class ResponseCache:
    """An LRU of response bodies keyed by (version stamp, URL), bounded in bytes; entries of an
    older stamp are never asked for again and age out."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.items: OrderedDict[tuple[str, str], CachedBody] = OrderedDict()

    def get(self, key: tuple[str, str]) -> CachedBody | None:
        hit = self.items.get(key)
        if hit is not None:
            self.items.move_to_end(key)
        return hit

    def put(self, key: tuple[str, str], body: bytes, media_type: str) -> CachedBody:
        entry = CachedBody(
            body,
            gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None,
            media_type,
        )
        if entry.size > self.max_bytes // 4:
            return entry
        if key in self.items:
            self.used -= self.items.pop(key).size
        self.items[key] = entry
        self.used += entry.size
        while self.used > self.max_bytes:
            _, old = self.items.popitem(last=False)
            self.used -= old.size
        return entry


class EtagCache:
    """ETags and cached bodies for ``GET /api/…``, as plain ASGI so that a hit or a 304 is
    answered before routing, dependency injection or a query run; cached bodies go out gzipped
    to clients that accept it (compressed once, when stored)."""

    def __init__(self, app: ASGIApp, engine: Engine, cache: ResponseCache, max_fills: int = 64) -> None:
        self.app = app
        self.engine = engine
        self.cache = cache
        #: the body being computed for each key: a second request for it waits for the first
        self.inflight: dict[tuple[str, str], asyncio.Future[CachedBody | None]] = {}
        #: how many different bodies may be computed at once before new misses are shed with 503
        self.max_fills = max_fills

    def _versions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return store_versions(conn)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not path.startswith("/api/")
            or path in NOT_CACHED
            or path.startswith(NOT_CACHED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        versions = await run_in_threadpool(self._versions)
        # the same parameters in another order are the same answer: one key, one cached body
        params = sorted(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        query = urlencode(params)
        url = path + ("?" + query if query else "")
        kinds = cache_scope(path, params)
        stamp = str(versions.get("version", 0)) if kinds is None else kinds_stamp(versions, kinds)
        tag = f'W/"{stamp}-{hashlib.sha1(url.encode()).hexdigest()[:16]}"'
        headers = [(b"etag", tag.encode()), (b"cache-control", CACHE_CONTROL.encode())]
        request_headers = dict(scope.get("headers") or [])
        if_none_match = request_headers.get(b"if-none-match", b"").decode("latin-1")
        if tag in (v.strip() for v in if_none_match.split(",")):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        gzip_ok = b"gzip" in request_headers.get(b"accept-encoding", b"")
        key = (stamp, url)
        hit = self.cache.get(key)
        if hit is not None:
            await self._send_cached(send, hit, [*headers, (b"x-cache", b"hit")], gzip_ok)
            return
        pending = self.inflight.get(key)
        if pending is not None:
            shared = await asyncio.shield(pending)
            if shared is not None:
                await self._send_cached(send, shared, [*headers, (b"x-cache", b"coalesced")], gzip_ok)
                return
        if len(self.inflight) >= self.max_fills:
            await _busy()(scope, receive, send)
            return
        future: asyncio.Future[CachedBody | None] = asyncio.get_running_loop().create_future()
        self.inflight[key] = future
        entry: CachedBody | None = None
        try:
            entry = await self._fill(scope, receive, send, headers, key=key, gzip_ok=gzip_ok)
        finally:
            # the waiters get the body, or None (an error, a non-200) and compute their own
            self.inflight.pop(key, None)
            future.set_result(entry)

    @staticmethod
    async def _send_cached(
        send: Send, entry: CachedBody, headers: list[tuple[bytes, bytes]], gzip_ok: bool
    ) -> None:
        body = entry.body
        extra = [(b"vary", b"accept-encoding")]
        if gzip_ok and entry.gzipped is not None:
            body = entry.gzipped
            extra.append((b"content-encoding", b"gzip"))
        start_headers = [
            *headers,
            *extra,
            (b"content-type", entry.media_type.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": start_headers})
        await send({"type": "http.response.body", "body": body})

    async def _fill(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: list[tuple[bytes, bytes]],
        *,
        key: tuple[str, str],
        gzip_ok: bool,
    ) -> CachedBody | None:
        """Run the app; keep and send a 200 through the cache (and return it), pass anything else
        through (and return None)."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        status = int(start.get("status", 500))
        app_headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if status == 200:
            media_type = dict(app_headers).get(b"content-type", b"application/json").decode("latin-1")
            entry = await run_in_threadpool(self.cache.put, key, body, media_type)
            await self._send_cached(send, entry, [*headers, (b"x-cache", b"miss")], gzip_ok)
            return entry
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*app_headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return None


#: what the observatory's own pages load: its scripts and styles, map tiles drawn as data URLs,
#: and MapLibre's web worker, which it starts from a blob: URL of its own code (without
#: worker-src the browser falls back to script-src and blocks it, and the map never draws)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)


class SecurityHeaders:
    """Headers every answer carries (no MIME sniffing, no referrer across sites), and for HTML
    pages a content security policy and no framing, so an injected script or a clickjacking
    frame has nowhere to run."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    headers += [
                        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                        (b"x-frame-options", b"DENY"),
                    ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
