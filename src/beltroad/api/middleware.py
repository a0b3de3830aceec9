"""Request-size limit, and ETags with a response cache for the read API.

Every write bumps the store's version (``store_state``), so an ETag made of the version and the
URL is valid until the next write: a client holding it gets ``304 Not Modified`` without the query
being run again, and a repeated URL is answered from memory. The cache is bounded in bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from beltroad.store import tables as t

CACHE_CONTROL = "public, max-age=0, must-revalidate"
NOT_CACHED = ("/api/docs", "/api/openapi.json", "/api/health")


def _too_large(limit: int) -> Response:
    body = {"ok": False, "error": f"request body is over the {limit}-byte limit", "status": 413}
    return Response(json.dumps(body), status_code=413, media_type="application/json")


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


class ResponseCache:
    """An LRU of response bodies keyed by (store version, URL), bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.items: OrderedDict[tuple[int, str], tuple[bytes, str]] = OrderedDict()

    def get(self, key: tuple[int, str]) -> tuple[bytes, str] | None:
        hit = self.items.get(key)
        if hit is not None:
            self.items.move_to_end(key)
        return hit

    def put(self, key: tuple[int, str], body: bytes, media_type: str) -> None:
        if len(body) > self.max_bytes // 4:
            return
        if key in self.items:
            self.used -= len(self.items.pop(key)[0])
        self.items[key] = (body, media_type)
        self.used += len(body)
        while self.used > self.max_bytes:
            _, (old, _) = self.items.popitem(last=False)
            self.used -= len(old)


def etag_middleware(
    engine: Engine, cache: ResponseCache
) -> Callable[[Request, Callable[[Request], Awaitable[Any]]], Awaitable[Response]]:
    def version() -> int:
        with engine.connect() as conn:
            return int(
                conn.scalar(select(t.store_state.c.value).where(t.store_state.c.key == "version")) or 0
            )

    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Any]]) -> Response:
        path = request.url.path
        if request.method != "GET" or not path.startswith("/api/") or path in NOT_CACHED:
            response: Response = await call_next(request)
            return response
        current = await run_in_threadpool(version)
        url = path + ("?" + request.url.query if request.url.query else "")
        tag = f'W/"{current}-{hashlib.sha1(url.encode()).hexdigest()[:16]}"'
        headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
        if tag in [v.strip() for v in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        hit = cache.get((current, url))
        if hit is not None:
            return Response(hit[0], media_type=hit[1], headers={**headers, "X-Cache": "hit"})
        streamed: Any = await call_next(request)
        if streamed.status_code != 200:
            return streamed  # type: ignore[no-any-return]
        body = b"".join([chunk async for chunk in streamed.body_iterator])
        media_type = streamed.headers.get("content-type", "application/json")
        cache.put((current, url), body, media_type)
        return Response(body, status_code=200, media_type=media_type, headers={**headers, "X-Cache": "miss"})

    return middleware
