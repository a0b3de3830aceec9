"""The web front end: server-rendered pages, the map and charts (plain JS), vendored assets."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = Path(__file__).parent / "vendor"
