"""Commands of the cooperation model and the friendship-city network: profiles, comparisons,
network statistics and reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import beltroad as br
from beltroad.cli._app import JsonFlag, app, err, network_app, out, print_json, ready_store, report_app
from beltroad.cli._render_analysis import render_comparison, render_network_stats, render_profile


@app.command("profile")
def profile_cmd(
    name: Annotated[str, typer.Argument(help="A project or partnership: id, name or alias; or a place.")],
    other: Annotated[
        str | None, typer.Argument(help="A second place: profiles the cooperation between the two.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """The cooperation profile: strategies served, partnership chain, fields, connectivities, type."""
    profile = br.profile(name, other, store=ready_store())
    if json_out:
        print_json(profile.to_json())
        return
    render_profile(profile)


@app.command("compare")
def compare_cmd(
    names: Annotated[list[str], typer.Argument(help="Two or more projects or partnerships.")],
    json_out: JsonFlag = False,
) -> None:
    """Compare cooperation cases side by side, each with its type and why."""
    result = br.compare(names, store=ready_store())
    if json_out:
        print_json(result.to_json())
        return
    render_comparison(result)


@network_app.command("stats")
def network_stats_cmd(
    top: Annotated[int, typer.Option(min=1, max=500, help="How many places to list per ranking.")] = 15,
    betweenness: Annotated[bool, typer.Option(help="Also rank by betweenness (the slowest measure).")] = True,
    charts: Annotated[
        Path | None, typer.Option("--charts", help="Also write the charts (PNG and SVG) into this folder.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Degree, centrality, components, communities, pairs per country and BRI status, distances."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from beltroad.analysis import STEPS, network_statistics

    engine = ready_store()
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=json_out) as bar:
        task = bar.add_task("network statistics", total=len(STEPS))

        def step(name: str) -> None:
            bar.update(task, description=name, completed=STEPS.index(name))

        with engine.connect() as conn:
            stats = network_statistics(conn, top=top, betweenness=betweenness, step=step)
        bar.update(task, description="done", completed=len(STEPS))
    if charts is not None:
        from beltroad.analysis import write_network_charts

        stats["charts"] = [str(p) for p in write_network_charts(stats, charts)]
    if json_out:
        print_json(stats)
        return
    render_network_stats(stats)


@report_app.command("cooperation")
def report_cooperation_cmd(
    name: Annotated[str, typer.Argument(help="A project or partnership: id, name or alias; or a place.")],
    other: Annotated[str | None, typer.Argument(help="A second place: a report on the pair.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path("report"),
    json_out: JsonFlag = False,
) -> None:
    """One HTML file with the profile, chain diagram, timeline, map, cited figures and sources."""
    from beltroad.analysis import write_cooperation_report

    engine = ready_store()
    with engine.connect() as conn:
        report = write_cooperation_report(conn, name, out_dir, other)
    if json_out:
        print_json(
            {"html": str(report.html), "files": [str(p) for p in report.files], "sources": report.sources}
        )
        return
    out.print(f"wrote {report.html} ({len(report.sources)} source(s) cited)", markup=False)
    out.print("also: " + ", ".join(str(p) for p in report.files[1:]), markup=False)
