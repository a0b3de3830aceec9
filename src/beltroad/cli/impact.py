"""The trade and real-income impact of a transport scenario: its time savings through the value
of time in transit into a general-equilibrium trade model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import beltroad as br
from beltroad.cli._app import JsonFlag, State, app, draw_progress, print_json
from beltroad.cli._gravity_shared import AddressOpt, MapLayerOpt, SeedOpt, WhereOpt, WorkersOpt, pictures
from beltroad.cli._render_trade import render_flow_impact, render_impact
from beltroad.errors import ValidationFailed
from beltroad.trade.results import FlowImpact


@app.command("impact")
def impact_cmd(
    scenario_name: Annotated[str, typer.Argument(metavar="SCENARIO", help="A scenario id or YAML file.")],
    data: Annotated[
        str, typer.Option(help="An imported trade data set (e.g. wiod) or a panel file, for the GE model.")
    ],
    reference: Annotated[
        str | None,
        typer.Option(
            help="Use the estimated-costs model with this reference importer (default: observed flows)."
        ),
    ] = None,
    formula: Annotated[
        str, typer.Option(help="Estimated-costs model: gravity formula with exporter and importer effects.")
    ] = ("trade ~ log_dist + cntg + lang + clny | exporter + importer"),
    where: WhereOpt = None,
    sigma: Annotated[float, typer.Option(help="Estimated-costs model: elasticity of substitution.")] = 7.0,
    theta: Annotated[
        float | None,
        typer.Option(help="Observed flows: trade elasticity (default 4, Simonovska & Waugh 2014)."),
    ] = None,
    multiplicative: Annotated[
        bool, typer.Option("--multiplicative", help="Observed flows: expenditure a fixed multiple of output.")
    ] = False,
    value_of_time: Annotated[
        list[float] | None,
        typer.Option(
            help="Ad-valorem % per day in transit: low and high (default 0.6 and 2.1, Hummels & Schaur 2013)."
        ),
    ] = None,
    cities_per_country: Annotated[
        int,
        typer.Option(min=1, max=50, help="Estimated-costs model: the largest N cities stand for a country."),
    ] = 5,
    min_population: Annotated[
        int | None,
        typer.Option(min=0, help="Observed flows: every city of this many people stands for its country."),
    ] = None,
    draws: Annotated[
        int, typer.Option(min=0, help="Observed flows: value-of-time draws for 90 % intervals (on Ray).")
    ] = 0,
    seed: SeedOpt = 12345,
    address: AddressOpt = None,
    workers: WorkersOpt = None,
    chart: Annotated[
        Path | None,
        typer.Option(help="Observed flows: also chart each country's real-income change (.png or .svg)."),
    ] = None,
    map_layer: MapLayerOpt = None,
    json_out: JsonFlag = False,
) -> None:
    """Trade and real-income effects of a transport scenario, through the value of time in transit."""
    if reference is not None and (chart or map_layer):
        msg = "--chart and --map-layer draw the observed-flows model; leave out --reference"
        raise ValidationFailed(msg)
    with draw_progress(draws, disable=json_out) as progress:
        result = br.impact(
            scenario_name,
            data,
            reference=reference,
            formula=formula,
            where=where,
            sigma=sigma,
            theta=theta,
            imbalance="multiplicative" if multiplicative else "additive",
            value_of_time=value_of_time,
            cities_per_country=cities_per_country,
            min_population=min_population,
            draws=draws,
            seed=seed,
            address=address,
            workers=workers,
            progress=progress,
            settings=State.settings,
        )
    if isinstance(result, FlowImpact):
        pictures(result, chart, map_layer, f"{result.name}: real income change")
    if json_out:
        print_json(result.to_json())
    elif isinstance(result, FlowImpact):
        render_flow_impact(result)
    else:
        render_impact(result.to_json())
