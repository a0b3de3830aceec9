"""DuckDB as beltroad uses it: no SQL text ever made from what a user typed.

File names and paths reach DuckDB as values (the relational API's arguments, or string literals
quoted here); column names a user maps are checked against the file's header and quoted as
identifiers; a user's row condition (``--where``, ``--pairs-where``) is evaluated only after the
data is in DuckDB and the connection has been locked down: no file or network access, no
extension loading, no changing that back. So ``a.csv', header=true) …`` is a file name like any
other, and ``(SELECT content FROM read_text('/etc/passwd'))`` in a condition is refused.
"""

from __future__ import annotations

from typing import Any

import duckdb

#: never fetch or load an extension behind the user's back
SAFE_CONFIG: dict[str, Any] = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}


def connect(database: str = ":memory:", **config: Any) -> duckdb.DuckDBPyConnection:
    """A connection with extension autoloading and autoinstalling off (and ``config``'s settings)."""
    return duckdb.connect(database, config={**SAFE_CONFIG, **config})


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """No more file system or network access on ``con``, and no setting may undo that."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def identifier(name: str) -> str:
    """A column or table name quoted as DuckDB reads identifiers."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string quoted as a DuckDB string literal (for paths in COPY, which takes no parameter)."""
    return "'" + text.replace("'", "''") + "'"


def where_error(condition: str, exc: Exception) -> str:
    """The first line of DuckDB's complaint about a condition, saying why a locked-down one failed."""
    first = str(exc).splitlines()[0]
    if isinstance(exc, duckdb.PermissionException):
        return f"the condition {condition!r} reads files or settings; use the panel's own columns only"
    return f"the condition {condition!r} failed: {first}"
