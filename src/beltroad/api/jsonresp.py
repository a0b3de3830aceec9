"""JSON responses serialised once, by orjson, straight to bytes.

FastAPI would otherwise walk every value of a large answer (a map layer has thousands of
features) through ``jsonable_encoder`` before serialising it; our payloads are plain JSON data
already, so that walk is pure overhead.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


def json_response(payload: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code=status_code, media_type="application/json")


def error_body(message: str, status: int) -> dict[str, Any]:
    """The API's one error shape, pinned by a test: ``{"ok": false, "error": …, "status": …}``."""
    return {"ok": False, "error": message, "status": status}


def error_response(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    """An error in that shape, for code that answers before FastAPI's handlers (the middleware)."""
    return Response(
        orjson.dumps(error_body(message, status)),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )
