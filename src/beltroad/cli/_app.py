"""What every command shares: the Typer apps, the settings chosen by ``--db``, the consoles, the
common options and the small parsers and printers."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from beltroad.errors import ValidationFailed
from beltroad.settings import Settings

app = typer.Typer(
    name="beltroad",
    help="A sourced knowledge base and models of economic cooperation under the Belt and Road Initiative.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create, load and check the database.", no_args_is_help=True)
network_app = typer.Typer(
    help="The friendship-city network: places partnered with places.", no_args_is_help=True
)
trade_app = typer.Typer(
    help="Bilateral trade data: import (BACI, Comtrade, any panel) to Parquet, series and partners.",
    no_args_is_help=True,
)
gravity_app = typer.Typer(
    help="Structural gravity: PPML estimates and general-equilibrium counterfactuals.", no_args_is_help=True
)
scenario_app = typer.Typer(help="Infrastructure scenarios: what a new link changes.", no_args_is_help=True)
sweep_app = typer.Typer(
    help="Sweeps on Ray: many projects in the World Bank study's designs (isolation, complement).",
    no_args_is_help=True,
)
report_app = typer.Typer(help="Self-contained reports to attach to a paper.", no_args_is_help=True)
user_app = typer.Typer(
    help="Editors' accounts: the tokens that allow writing through the API.", no_args_is_help=True
)

out = Console(soft_wrap=True)
err = Console(stderr=True)


class State:
    """The settings and flags the top-level options chose, for the commands of this run."""

    settings: Settings = Settings()
    debug: bool = False


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
CsvFlag = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Also draw the chart into this .png or .svg file.")
]
DatasetOpt = Annotated[str | None, typer.Option("--dataset", help="Which imported data set (if several).")]


def any_store() -> Any:
    """The engine of the store ``--db`` (or the environment) names, initialised or not."""
    from beltroad.store import engine_from_url

    return engine_from_url(State.settings.resolved_database_url())


def ready_store() -> Any:
    """The engine of an initialised store; a one-line error naming ``beltroad db init`` otherwise."""
    import beltroad as br

    return br.open_store(settings=State.settings)


@contextlib.contextmanager
def draw_progress(draws: int, *, disable: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr counting finished draws (none without draws, or under --json)."""
    if not draws:
        with err.status("solving…") if not disable else contextlib.nullcontext():
            yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=disable) as bar:
        task = bar.add_task("draws (starting Ray)", total=draws)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description="draws")

        yield advance


def print_json(data: Any) -> None:
    """JSON for scripts: UTF-8, indented, dates and paths as strings."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def cites_text(cites: Sequence[Mapping[str, Any]], limit: int = 3) -> str:
    """Citations as 'source (locator)' with a count of the rest."""
    parts = [f"{c['source']} ({c['locator']})" for c in cites[:limit]]
    if len(cites) > limit:
        parts.append(f"+{len(cites) - limit} more")
    return "; ".join(parts)


def pairs(items: list[str] | None, option: str, form: str = "A=B") -> dict[str, str]:
    """Repeated ``NAME=VALUE`` options as a dict; ``form`` names the shape in the error."""
    found: dict[str, str] = {}
    for item in items or []:
        left, sep, right = item.partition("=")
        if not sep or not left.strip() or not right.strip():
            msg = f"{option} takes {form}, got {item!r}"
            raise ValidationFailed(msg)
        found[left.strip()] = right.strip()
    return found


def assignments(items: list[str] | None, option: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, value in pairs(items, option, "NAME=NUMBER").items():
        try:
            found[name] = float(value)
        except ValueError:
            msg = f"{option} takes NAME=NUMBER, got {name}={value!r}"
            raise ValidationFailed(msg) from None
    return found


def write_rows(rows: Sequence[Mapping[str, Any]], csv_out: bool, json_out: bool, title: str) -> bool:
    """Print rows as JSON or CSV when asked; True when done."""
    if json_out:
        print_json(rows)
        return True
    if csv_out:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
        return True
    table = Table(title=title, header_style="bold")
    for key in rows[0] if rows else []:
        table.add_column(key, justify="right")
    for row in rows:
        table.add_row(
            *(f"{v:,.0f}" if isinstance(v, float) and abs(v) >= 1000 else str(v) for v in row.values())
        )
    out.print(table)
    return False
