"""Shared fixtures: stores on both backends, the shared data folder, and the CLI runner.

PostgreSQL tests run against ``BELTROAD_TEST_POSTGRES_URL``; without it they skip, unless
``BELTROAD_REQUIRE_POSTGRES=1`` (set by .ci/run), where a missing server fails the run instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from beltroad.store import engine_from_url, load_knowledge_base, migrate

if TYPE_CHECKING:
    from beltroad.transport import Network

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BELTROAD_SHARED_DIR", ROOT.parent / "shared"))
TEST_DATA = Path(__file__).parent / "data"
PG_URL = os.environ.get("BELTROAD_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("BELTROAD_REQUIRE_POSTGRES") == "1"


def shared_file(relative: str) -> Path:
    """A file of ../shared, or skip the test when the folder is not beside the project."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not available (the shared data folder lies beside the project)")
    return path


#: each test session works in a schema of its own, so two runs on one server cannot collide
PG_SCHEMA = f"beltroad_test_{os.getpid()}"


def _reset_postgres(engine: Engine) -> None:
    # dropping a schema whose tables autovacuum is analysing can deadlock with it (seen once in
    # a parallel run); the server then cancels one side, so dropping again succeeds
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        except OperationalError as exc:
            if "deadlock detected" not in str(exc) or attempt == 2:
                raise
        else:
            return


def _make_engine(backend: str, tmp: Path) -> Engine:
    if backend == "sqlite":
        return engine_from_url(f"sqlite:///{tmp / 'test.sqlite'}")
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("BELTROAD_REQUIRE_POSTGRES=1 but BELTROAD_TEST_POSTGRES_URL is not set")
        pytest.skip("set BELTROAD_TEST_POSTGRES_URL to run the PostgreSQL tests")
    separator = "&" if "?" in PG_URL else "?"
    engine = engine_from_url(f"{PG_URL}{separator}options=-csearch_path%3D{PG_SCHEMA}")
    _reset_postgres(engine)
    return engine


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store on each backend."""
    engine = _make_engine(request.param, tmp_path)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store on each backend with the curated knowledge base loaded (fresh per test)."""
    engine = _make_engine(request.param, tmp_path)
    migrate(engine)
    load_knowledge_base(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """One curated SQLite store shared by read-only tests."""
    engine = engine_from_url(f"sqlite:///{tmp_path_factory.mktemp('db') / 'shared.sqlite'}")
    migrate(engine)
    load_knowledge_base(engine)
    return engine


def run_cli(
    *args: str, db: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``beltroad`` as a user would, in a subprocess of this interpreter."""
    cmd = [sys.executable, "-m", "beltroad.cli"]
    if db:
        cmd += ["--db", db]
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, env=full_env, timeout=300, check=False
    )


@pytest.fixture(scope="session", autouse=True)
def _drop_pg_schema_at_exit() -> Iterator[None]:
    yield
    if PG_URL:
        engine = engine_from_url(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session")
def ray_two_workers() -> Iterator[int]:
    """A local Ray cluster of two workers for the tests of many-task work, stopped at the end."""
    from beltroad.compute import shutdown, start, workers

    start(workers=2)
    yield workers()
    shutdown()


@pytest.fixture(scope="session")
def network_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of cached transport networks and hierarchies for the whole run: each network is
    built once (seconds each), not once per test module."""
    return tmp_path_factory.mktemp("networks")


def with_networks(data_dir: Path, cache: Path) -> Path:
    """``data_dir`` with its ``transport`` folder pointing at the session's network cache."""
    data_dir.mkdir(parents=True, exist_ok=True)
    link = data_dir / "transport"
    if not link.exists():
        link.symlink_to(cache, target_is_directory=True)
    return data_dir


@pytest.fixture(scope="module")
def world_rail(tmp_path_factory: pytest.TempPathFactory, network_cache: Path) -> tuple[Network, Path]:
    """The world rail network (from the session's cache) and a data folder that holds it."""
    pytest.importorskip("scgraph_data")
    from beltroad.transport import load

    data_dir = with_networks(tmp_path_factory.mktemp("transport"), network_cache)
    return load("rail", data_dir / "transport"), data_dir
