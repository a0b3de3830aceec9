"""Commands of the transport model: routes and infrastructure scenarios."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

import beltroad as br
from beltroad.cli._app import (
    ChartOpt,
    JsonFlag,
    State,
    app,
    assignments,
    err,
    out,
    print_json,
    ready_store,
    scenario_app,
)
from beltroad.cli._render_transport import render_route, render_scenario_run
from beltroad.transport import modes_help


@app.command("route")
def route_cmd(
    origin: Annotated[
        str, typer.Argument(metavar="FROM", help="A place: knowledge-base name or id, or a city.")
    ],
    destination: Annotated[str, typer.Argument(metavar="TO", help="A place, as FROM.")],
    mode: Annotated[str, typer.Option(help=f"{modes_help()}.")] = "rail",
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="Override a parameter: NAME=NUMBER (border_crossing_h=24); multimodal: MODE.NAME=NUMBER "
            "(road.speed_kmh=50, transfer.port_h=48).",
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            help="A scenario id or YAML file: the route with its links, and the time saved against "
            "the network without them."
        ),
    ] = None,
    costs: Annotated[
        str | None,
        typer.Option(
            help="A published model's parameters instead of beltroad's: reed-trubetskoy-2019 (the World "
            "Bank market-access study's freight rates and fees); --param still overrides them."
        ),
    ] = None,
    geojson: Annotated[
        Path | None, typer.Option(help="Also write the route as GeoJSON to this file.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """The route between two places: distance, time, cost, legs, border crossings, geometry."""
    with err.status(f"the {mode} route (the network is built and cached on first use)…"):
        result = br.route(
            origin,
            destination,
            mode=mode,
            params=assignments(param, "--param"),
            scenario=scenario,
            costs=costs,
            store=ready_store(),
            settings=State.settings,
        )
    if geojson is not None:
        geojson.write_text(json.dumps(result.geometry), encoding="utf-8")
    if json_out:
        print_json(result.to_json())
        return
    render_route(result)


@scenario_app.command("list")
def scenario_list_cmd(json_out: JsonFlag = False) -> None:
    """The scenarios shipped with beltroad."""
    from beltroad.transport import shipped_scenarios

    found = shipped_scenarios()
    if json_out:
        print_json([s.model_dump(by_alias=True) for s in found])
        return
    for sc in found:
        out.print(f"{sc.id}: {sc.name} (project {sc.project}; {', '.join(sc.countries)})", markup=False)


@scenario_app.command("run")
def scenario_run_cmd(
    name: Annotated[str, typer.Argument(help="A shipped scenario id or a scenario YAML file.")],
    cities: Annotated[
        int | None,
        typer.Option(
            min=2,
            max=5000,
            help="Pair the N largest cities of the scenario's countries (or --country's). Default: every "
            "city of 500,000 people or more in the countries of the six corridors and of the scenario.",
        ),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="ISO3 countries whose cities to pair (default: the scenario's)."),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="How many improved pairs to list.")] = 15,
    trade_weights: Annotated[
        str | None,
        typer.Option(
            help="An imported trade data set (`beltroad trade datasets`): weight each country's partners by "
            "their trade in its latest year instead of by population."
        ),
    ] = None,
    chart: ChartOpt = None,
    geojson: Annotated[
        Path | None, typer.Option(help="Write the improved pairs as a GeoJSON map layer.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Origin-destination times before and after, per pair, per country and for the scenario's highlights."""
    with err.status(f"{name}: city pairs before and after…"):
        result = br.run_scenario(
            name,
            cities=cities,
            countries=country,
            trade_weights=trade_weights,
            store=ready_store(),
            settings=State.settings,
        )
    if chart is not None:
        from beltroad.analysis import write_scenario_chart

        write_scenario_chart(result, chart, top)
    if geojson is not None:
        from beltroad.transport import pairs_geojson

        geojson.write_text(json.dumps(pairs_geojson(result), ensure_ascii=False), encoding="utf-8")
    if json_out:
        print_json(result.to_json())
        return
    render_scenario_run(result, top)
