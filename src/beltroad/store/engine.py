"""Engines from URLs, and migrations run from inside the package.

SQLite is the embedded default; a ``postgresql+psycopg://`` URL selects PostgreSQL. Migrations are
applied through Alembic's API on the same connection, so ``beltroad db init`` needs no
``alembic.ini`` next to the user's working directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from beltroad.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
#: AnyIO runs sync endpoints on 40 threads; each may hold one connection (plus the ETag check)
POOL_SIZE = 40
POOL_OVERFLOW = 40
#: how long a write waits for the write lock (SQLite's busy timeout, PostgreSQL's lock timeout)
LOCK_WAIT_MS = 10_000


def _sqlite_pragmas(lock_wait_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # a write waits this long for another to finish before it is answered "busy"
        cursor.execute(f"PRAGMA busy_timeout={int(lock_wait_ms)}")
        cursor.close()

    return on_connect


def engine_from_url(url: str, *, lock_wait_ms: int = LOCK_WAIT_MS) -> Engine:
    """An engine for ``url``; creates the directory of a SQLite file if needed. A write waits
    ``lock_wait_ms`` for another to finish (SQLite; PostgreSQL's wait is ``LOCK_WAIT_MS``)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        msg = f"cannot parse database URL {url!r}; use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
        raise StoreError(msg) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # a pool as large as the web server's worker threads, so requests never queue for a
        # connection while holding a thread (SQLite connections are cheap; WAL lets readers share)
        engine = create_engine(parsed, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        event.listen(engine, "connect", _sqlite_pragmas(lock_wait_ms))
        return engine
    if backend == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, pool_size=20, max_overflow=POOL_OVERFLOW)
    msg = f"unsupported database {backend!r}; beltroad runs on SQLite and PostgreSQL"
    raise StoreError(msg)


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration."""
    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        msg = f"cannot reach the database at {engine.url.render_as_string(hide_password=True)}: {exc.orig}"
        raise StoreError(msg) from None


def schema_is_current(engine: Engine) -> bool:
    """Whether the database has the tables and is at the newest migration."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("records"):
                return False
            return MigrationContext.configure(conn).get_current_revision() == head
    except OperationalError as exc:
        msg = f"cannot reach the database at {engine.url.render_as_string(hide_password=True)}: {exc.orig}"
        raise StoreError(msg) from None
