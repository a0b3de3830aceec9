"""The ``beltroad`` command, assembled from one module per domain.

Commands parse their options, call the public API (``import beltroad as br``) or a package's door,
and hand the result to a renderer. Errors a user can fix (``BeltroadError``) are printed as one
line and exit with status 1; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer
from rich.markup import escape

from beltroad import __version__
from beltroad.cli._app import (
    State,
    app,
    db_app,
    err,
    gravity_app,
    network_app,
    out,
    report_app,
    scenario_app,
    sweep_app,
    trade_app,
    user_app,
)
from beltroad.errors import BeltroadError
from beltroad.settings import Settings

#: the domains whose modules register their commands on import, in the order --help lists them
DOMAINS = ("kb", "analysis", "transport", "sweep", "gravity", "impact", "trade", "ingest", "exchange", "admin")
for domain in DOMAINS:
    importlib.import_module(f"beltroad.cli.{domain}")
for sub, name in (
    (db_app, "db"),
    (network_app, "network"),
    (trade_app, "trade"),
    (gravity_app, "gravity"),
    (scenario_app, "scenario"),
    (sweep_app, "sweep"),
    (report_app, "report"),
    (user_app, "user"),
):
    app.add_typer(sub, name=name)


def _print_version(asked: bool) -> None:
    # eager: it runs while the options are parsed, before click asks for the missing command
    if asked:
        out.print(f"beltroad {__version__}")
        raise typer.Exit


@app.callback()
def main_callback(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: BELTROAD_DATABASE_URL or var/beltroad.sqlite)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    State.settings = Settings(database_url=db) if db else Settings()
    State.debug = debug


def main() -> None:
    """Entry point: run the app and turn user errors into one-line messages."""
    try:
        # without standalone mode click returns a command's exit code instead of exiting with it
        code = app(standalone_mode=False)
    except BeltroadError as exc:
        if State.debug:
            raise
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except Exception as exc:
        # usage errors (an unknown command or option); typer 0.2x raises its own copy of click's class
        if any(c.__name__ == "ClickException" for c in type(exc).__mro__):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if State.debug:
            raise
        from beltroad.store import BUSY_MESSAGE, lock_timed_out

        if lock_timed_out(exc):
            err.print(f"[red]error:[/] {BUSY_MESSAGE}")
            sys.exit(1)
        err.print(
            f"[red]internal error:[/] {type(exc).__name__}: {escape(str(exc))} (run with --debug for the traceback)",
            highlight=False,
        )
        sys.exit(2)
    if isinstance(code, int) and code:
        sys.exit(code)


__all__ = ["app", "main"]
