"""Commands of sweeps: the World Bank study's projects in isolation and in complement, on Ray."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from beltroad.cli._app import JsonFlag, State, err, out, print_json, sweep_app


@sweep_app.command("run")
def sweep_run_cmd(
    spec: Annotated[
        str, typer.Argument(help="A shipped sweep (reed-trubetskoy-2019) or a YAML file of the same form.")
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="The sweep's folder (default: DATA_DIR/sweeps/SPEC); a rerun resumes from it."
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(help="An existing Ray cluster (ray://host:10001 or host:6379); local by default."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="CPUs of the local Ray cluster (default: all of this machine's)."),
    ] = None,
    cities: Annotated[
        int | None, typer.Option(min=2, help="Fewer cities than the spec's, for a quick look.")
    ] = None,
    projects: Annotated[
        int | None, typer.Option(min=1, help="Only the spec's first N projects, for a quick look.")
    ] = None,
    fresh: Annotated[
        bool, typer.Option(help="Start again instead of resuming from the tasks --out holds.")
    ] = False,
    json_out: JsonFlag = False,
) -> None:
    """Every project of the spec in each of its designs: value alone and as part of the set."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from beltroad.sweep import load_spec, run_sweep

    chosen = load_spec(spec)
    folder = out_dir or State.settings.data_dir / "sweeps" / chosen.id
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=json_out) as bar:
        job = bar.add_task("preparing (network, cities, cost matrix)", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(job, completed=done, total=total, description="tasks")

        def say(message: str) -> None:
            bar.update(job, description=message)

        summary = run_sweep(
            chosen,
            State.settings.data_dir,
            folder,
            address=address,
            workers=workers,
            cities=cities,
            limit_projects=projects,
            fresh=fresh,
            progress=advance,
            say=say,
        )
    if json_out:
        print_json(summary.to_json())
        return
    table = Table(title=f"{summary.title}: {summary.cities} cities, market size = {summary.mass}")
    for name in ("project", "countries", "alone", "in the set", "ratio", "own", "China", "rest"):
        table.add_column(name, justify="left" if name in ("project", "countries") else "right")
    for row in summary.table:
        alone, system, ratio = row.get("isolation"), row.get("complement"), row.get("ratio")
        table.add_row(
            row["project"],
            row["countries"],
            f"{alone:,.1f}" if alone is not None else "–",
            f"{system:,.1f}" if system is not None else "–",
            f"{ratio:.2f}" if ratio is not None else "–",
            *(
                f"{100 * row[k]:.0f} %" if k in row else "–"
                for k in ("share_own", "share_china", "share_rest")
            ),
        )
    out.print(table)
    out.print(summary.headline)
    if summary.projects_not_modelled:
        out.print(f"{len(summary.projects_not_modelled)} projects not modelled (see summary.json for why).")
    for failure in summary.failures:
        err.print(f"task failed: {failure['design']} {failure['project']}: {failure['error']}")
    out.print(
        f"{summary.tasks_run} tasks run, {summary.tasks_resumed} resumed, in {summary.seconds:,.0f} s; files in {summary.out}"
    )
