"""An app factory for ``uvicorn --factory`` and multi-process serving: each worker builds its
own engine from the settings (``BELTROAD_DATABASE_URL``) in the environment it inherits."""

from __future__ import annotations

from fastapi import FastAPI

from beltroad.api.app import create_app
from beltroad.settings import Settings
from beltroad.store import engine_from_url


def app_from_settings() -> FastAPI:
    settings = Settings()
    return create_app(engine_from_url(settings.resolved_database_url()), settings)
