"""The REST API and the web pages, served by one FastAPI application."""

from __future__ import annotations

from beltroad.api.app import create_app

__all__ = ["create_app"]
