"""Commands of sweeps: the World Bank study's projects in isolation and in complement, on Ray."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from beltroad.cli._app import JsonFlag, State, err, out, print_json, sweep_app

if TYPE_CHECKING:
    from beltroad.sweep import TradeEffects


def _range(values: tuple[float, float] | list[float] | None) -> str:
    return "–" if values is None else f"{values[0]:+.2f} to {values[1]:+.2f} %"


def render_trade(trade: TradeEffects) -> None:
    """All projects together: shipment time, trade cost and real income, beside the study."""
    side = Table(title=f"All projects together, on the flows of {trade.flows}, beside de Soyres et al. (2018)")
    for name in ("measure", "group", "beltroad", "World Bank (published)"):
        side.add_column(name)
    for row in trade.summary:
        ours = row["beltroad"]
        side.add_row(
            row["measure"],
            row["group"],
            _range(ours) if isinstance(ours, list) else ("–" if ours is None else f"{ours:+.2f} %"),
            _range(row["published"]),
        )
    out.print(side)
    per = Table(title="Per country (ranges: value of a day in transit, low to high)")
    for name in ("country", "shipment time", "trade cost", "real income"):
        per.add_column(name, justify="left" if name == "country" else "right")
    for c in trade.countries:
        time = "–" if c.shipment_time_change is None else f"{c.shipment_time_change:+.2f} %"
        per.add_row(c.country, time, _range(c.trade_cost_change), _range(c.real_income_change))
    out.print(per)
    if "flows_caveat" in trade.assumptions:
        out.print(f"Note: {trade.assumptions['flows_caveat']}.")


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
    gdp: Annotated[
        list[Path] | None,
        typer.Option(
            help="A national GDP file (AidData GCDF country aggregates, OECD ICIO country totals, or "
            "iso3,gdp_usd); repeat it, the first file with a country wins. Market size becomes each "
            "city's population share of GDP, gains US dollars. Default: population."
        ),
    ] = None,
    border_costs: Annotated[
        Path | None,
        typer.Option(
            help="Per-country border hours and fees (iso3, border_time_import/export, border_fee_import/export; "
            "the study's Doing Business file) in place of one figure per crossing."
        ),
    ] = None,
    flows: Annotated[
        str | None,
        typer.Option(
            help="A world panel with domestic sales (an imported data set's name, e.g. icio, or a file): "
            "all projects together are also run through shipment times, trade costs and the general "
            "equilibrium, beside the World Bank's published ranges."
        ),
    ] = None,
    fresh: Annotated[
        bool, typer.Option(help="Start again instead of resuming from the tasks --out holds.")
    ] = False,
    json_out: JsonFlag = False,
) -> None:
    """Every project of the spec in each of its designs: value alone and as part of the set."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from beltroad.sweep import load_spec, run_sweep, sweeps_dir

    chosen = load_spec(spec)
    baseline, caveat = None, None
    if flows is not None:
        from beltroad.trade import flows_caveat, latest_flows

        baseline, ds = latest_flows(State.settings.data_dir, flows)
        caveat = flows_caveat(ds.meta) if ds else None
    folder = out_dir or sweeps_dir(State.settings.data_dir) / chosen.id
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
            gdp=gdp,
            border_costs=border_costs,
            flows=baseline,
            flows_caveat=caveat,
            fresh=fresh,
            progress=advance,
            say=say,
        )
    if json_out:
        print_json(summary.to_json())
        return
    dollars = bool(summary.market_size)
    scale, unit = (1e6, " (USD mn)") if dollars else (1.0, "")
    table = Table(title=f"{summary.title}: {summary.cities} cities, market size = {summary.mass}")
    for name in ("project", "countries", f"alone{unit}", f"in the set{unit}", "ratio", "own", "China", "rest"):
        table.add_column(name, justify="left" if name in ("project", "countries") else "right")
    for row in summary.table:
        alone, system, ratio = row.get("isolation"), row.get("complement"), row.get("ratio")
        table.add_row(
            row["project"],
            row["countries"],
            f"{alone / scale:,.1f}" if alone is not None else "–",
            f"{system / scale:,.1f}" if system is not None else "–",
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
    if summary.trade is not None:
        render_trade(summary.trade)
    for failure in summary.failures:
        err.print(f"task failed: {failure['design']} {failure['project']}: {failure['error']}")
    out.print(
        f"{summary.tasks_run} tasks run, {summary.tasks_resumed} resumed, in {summary.seconds:,.0f} s; files in {summary.out}"
    )
