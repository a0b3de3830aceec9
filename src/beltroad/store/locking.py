"""One writer at a time: every write transaction takes the store's write lock first.

Edits read a record, merge and write it back; two of them interleaved would overwrite each other
(the lost update). Each write transaction therefore starts by taking one lock that all writers
share, before it reads anything: on SQLite ``BEGIN IMMEDIATE`` (the database's write lock; WAL
keeps readers reading meanwhile), on PostgreSQL the row of the store's version counter, which
every write bumps anyway. Writers queue for at most ``LOCK_WAIT_MS``; past it the write is
answered ``StoreBusy`` (503 with Retry-After over HTTP) and nothing is written. Taking the same
lock first in every transaction also rules out deadlocks between writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from beltroad.errors import StoreBusy
from beltroad.store.engine import LOCK_WAIT_MS
from beltroad.store.writer import bump_version

#: what a write that waited out the lock is told
BUSY_MESSAGE = "the store is busy with another write; try again in a moment"


def lock_timed_out(exc: BaseException) -> bool:
    """Whether a database error is a write that waited out the lock: SQLite's "database is locked"
    after its busy timeout, PostgreSQL's lock timeout."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc.orig).lower()
    return "database is locked" in text or "lock timeout" in text or "busy" in text


def take_write_lock(conn: Connection) -> None:
    """Hold the store's write lock until the caller's transaction ends.

    Call it before the transaction reads anything: on SQLite a transaction that has read may not
    upgrade to a write once another writer committed. Calling it again in the same transaction
    only bumps the version counter again, which costs nothing.

    Raises ``StoreBusy`` when another write holds the lock for longer than ``LOCK_WAIT_MS``.
    """
    try:
        if conn.dialect.name == "sqlite":
            raw = conn.connection.driver_connection
            if raw is not None and not raw.in_transaction:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(text(f"SET LOCAL lock_timeout = {int(LOCK_WAIT_MS)}"))
        bump_version(conn)
    except OperationalError as exc:
        if lock_timed_out(exc):
            raise StoreBusy(BUSY_MESSAGE) from exc
        raise


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the write lock from its first statement; commits on success."""
    with engine.begin() as conn:
        take_write_lock(conn)
        yield conn
