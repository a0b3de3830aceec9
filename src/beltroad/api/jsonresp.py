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
