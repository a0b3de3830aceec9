"""One settings object for the whole package.

Everything configurable is read here, from ``BELTROAD_*`` environment variables or passed in by
the CLI, so that no module reaches into the environment on its own.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.cwd() / "var"


class Settings(BaseSettings):
    """Runtime configuration; ``BELTROAD_DATABASE_URL`` picks the store."""

    model_config = SettingsConfigDict(env_prefix="BELTROAD_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_request_bytes: int = 1024 * 1024
    response_cache_bytes: int = 256 * 1024 * 1024
    worker_threads: int = 4
    #: DuckDB's memory ceiling for trade imports; past it the work spills to disk
    trade_memory_limit: str = Field(default="1GB", pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB)$")

    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file under ``data_dir`` (the embedded default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'beltroad.sqlite'}"


def get_settings() -> Settings:
    return Settings()
