"""Commands of structural gravity: PPML estimates, general-equilibrium counterfactuals and the
trade and income impact of transport scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import beltroad as br
from beltroad.cli._app import (
    JsonFlag,
    State,
    app,
    assignments,
    draw_progress,
    err,
    gravity_app,
    print_json,
)
from beltroad.cli._render_trade import (
    render_counterfactual,
    render_fit,
    render_flow_counterfactual,
    render_flow_impact,
    render_impact,
)
from beltroad.errors import ValidationFailed
from beltroad.trade.results import FlowCounterfactual, FlowImpact

DataArg = Annotated[
    str,
    typer.Argument(
        metavar="DATA",
        help="An imported trade data set (beltroad trade datasets) or a panel: .csv, .csv.gz, .parquet, .dta(.gz).",
    ),
]


FormulaOpt = Annotated[
    str,
    typer.Option(
        "--formula",
        help="pyfixest formula, e.g. 'trade ~ log_dist + cntg + lang + clny | exp_year + imp_year'. "
        "log_X, exp_year, imp_year and pair_id (directed: exporter_importer; pair_id_unordered by name) "
        "are made from X, exporter, importer and year if missing.",
    ),
]


SeedOpt = Annotated[int, typer.Option(help="Seed of the draws.")]
AddressOpt = Annotated[
    str | None, typer.Option(help="An existing Ray cluster for the draws (default: a local one).")
]
WorkersOpt = Annotated[int | None, typer.Option(min=1, help="CPUs of the local Ray cluster.")]
MapLayerOpt = Annotated[
    str | None,
    typer.Option(help="Observed flows: save the per-country results as a map layer of this name (/map)."),
]


WhereOpt = Annotated[
    str | None, typer.Option("--where", help="SQL condition on the rows, e.g. 'year = 2006'.")
]


@gravity_app.command("estimate")
def gravity_estimate_cmd(
    data: DataArg,
    formula: FormulaOpt,
    method: Annotated[
        str, typer.Option(help="ppml (default) or ols (on log trade, zeros dropped).")
    ] = "ppml",
    cluster: Annotated[str | None, typer.Option(help="Cluster the standard errors by this column.")] = None,
    where: WhereOpt = None,
    json_out: JsonFlag = False,
) -> None:
    """Estimate a gravity equation with high-dimensional fixed effects (pyfixest)."""
    with err.status(f"estimating ({method})…"):
        result = br.estimate(
            data, formula, method=method, cluster=cluster, where=where, settings=State.settings
        )
    if json_out:
        print_json(result.to_json())
        return
    render_fit(result)


@gravity_app.command("counterfactual")
def gravity_counterfactual_cmd(
    data: DataArg,
    formula: Annotated[
        str | None,
        typer.Option(
            "--formula",
            help="Estimated-costs model: the gravity formula whose cost terms make the baseline (with --reference).",
        ),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(help="Estimated-costs model: reference importer (its inward resistance stays 1)."),
    ] = None,
    sigma: Annotated[
        float, typer.Option(help="Estimated-costs model: elasticity of substitution (above 1).")
    ] = 7.0,
    where: WhereOpt = None,
    set_value: Annotated[
        list[str] | None,
        typer.Option("--set", help="VAR=VALUE on the rows --pairs-where selects, e.g. pta=1."),
    ] = None,
    pairs_where: Annotated[
        str | None, typer.Option("--pairs-where", help="SQL condition choosing the pairs --set changes.")
    ] = None,
    coefficient: Annotated[
        list[str] | None,
        typer.Option(
            "--coefficient",
            help="NAME=VALUE: a new coefficient, e.g. intl=0 (with --flows: the indicator's).",
        ),
    ] = None,
    cost_changes: Annotated[
        Path | None, typer.Option(help="CSV of exporter, importer, change_percent (ad-valorem trade cost).")
    ] = None,
    closure: Annotated[
        str, typer.Option(help="fixed-shares (gegravity's, default) or geppml (the book's).")
    ] = ("fixed-shares"),
    output: Annotated[str | None, typer.Option(help="Column of output (default: exports summed).")] = None,
    expenditure: Annotated[
        str | None, typer.Option(help="Column of expenditure (default: imports summed).")
    ] = None,
    flows: Annotated[
        bool,
        typer.Option(
            "--flows",
            help="Solve from the observed flows of one year, domestic ones included (exact hat algebra, as ge_gravity).",
        ),
    ] = False,
    theta: Annotated[
        float | None, typer.Option(help="--flows: the trade elasticity (above 0), e.g. 4.")
    ] = None,
    partial_effects: Annotated[
        Path | None,
        typer.Option(help="--flows: CSV of exporter, importer, partial_effect (Δ log trade cost × -θ)."),
    ] = None,
    partial_column: Annotated[
        str | None, typer.Option(help="--flows: a column of the rows holding the partial effects.")
    ] = None,
    indicator: Annotated[
        Path | None,
        typer.Option(
            help="--flows: CSV of exporter, importer, indicator; times --coefficient or --estimate's --term."
        ),
    ] = None,
    estimate: Annotated[
        str | None,
        typer.Option(
            help="--flows: PPML formula whose --term multiplies the indicator, e.g. three-way FTA gravity."
        ),
    ] = None,
    term: Annotated[str | None, typer.Option(help="--flows: the coefficient of --estimate to use.")] = None,
    estimate_where: Annotated[
        str, typer.Option(help="--flows: rows --estimate runs on.")
    ] = "exporter != importer",
    multiplicative: Annotated[
        bool, typer.Option("--multiplicative", help="--flows: expenditure a fixed multiple of output.")
    ] = False,
    draws: Annotated[
        int,
        typer.Option(min=0, help="--flows: pair-bootstrap draws of --estimate, for 90 % intervals (on Ray)."),
    ] = 0,
    seed: SeedOpt = 12345,
    address: AddressOpt = None,
    workers: WorkersOpt = None,
    chart: Annotated[
        Path | None,
        typer.Option(help="Observed flows: also chart each country's welfare change (.png or .svg)."),
    ] = None,
    map_layer: MapLayerOpt = None,
    json_out: JsonFlag = False,
) -> None:
    """General-equilibrium effects of a change in trade costs: prices, real income, trade by country."""
    if flows:
        if formula or reference:
            msg = "--flows starts from observed flows: --formula and --reference belong to the estimated-costs model"
            raise ValidationFailed(msg)
        if theta is None:
            msg = "--flows needs --theta, the trade elasticity (ge_gravity's example uses 4)"
            raise ValidationFailed(msg)
        given = assignments(coefficient, "--coefficient")
        if len(given) > 1:
            msg = (
                "with --flows, give one --coefficient TERM=VALUE for the indicator, e.g. eu_enlargement=0.224"
            )
            raise ValidationFailed(msg)
        with draw_progress(draws, disable=json_out) as progress:
            run = br.counterfactual_flows(
                data,
                theta=theta,
                where=where,
                partial_effects=partial_effects,
                partial_column=partial_column,
                indicator=indicator,
                coefficient=next(iter(given.values()), None),
                estimate=estimate,
                term=term,
                estimate_where=estimate_where,
                imbalance="multiplicative" if multiplicative else "additive",
                draws=draws,
                seed=seed,
                address=address,
                workers=workers,
                progress=progress,
                settings=State.settings,
            )
        _pictures(run, chart, map_layer, f"Welfare change, counterfactual on {run.source} {run.year}")
        if json_out:
            print_json(run.to_json())
            return
        render_flow_counterfactual(run)
        return
    if formula is None or reference is None:
        msg = (
            "give --formula and --reference (estimated-costs model), or --flows with --theta (observed flows)"
        )
        raise ValidationFailed(msg)
    with err.status("estimating and solving…"):
        result = br.counterfactual(
            data,
            formula,
            reference=reference,
            sigma=sigma,
            where=where,
            set_values=assignments(set_value, "--set"),
            pairs_where=pairs_where,
            coefficients=assignments(coefficient, "--coefficient"),
            cost_changes=cost_changes,
            closure=closure,
            output=output,
            expenditure=expenditure,
            settings=State.settings,
        )
    if json_out:
        print_json(result.to_json())
        return
    render_counterfactual(result.result.rows(), result.assumptions)


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
        _pictures(result, chart, map_layer, f"{result.name}: real income change")
    if json_out:
        print_json(result.to_json())
    elif isinstance(result, FlowImpact):
        render_flow_impact(result)
    else:
        render_impact(result.to_json())


def _pictures(
    run: FlowCounterfactual | FlowImpact, chart: Path | None, map_layer: str | None, title: str
) -> None:
    """The chart and the map layer a run was asked for, each said on stderr."""
    if chart is not None and run.countries:
        from beltroad.analysis import write_effects_chart

        model = "exact hat algebra" + (
            ", 90 % intervals over the draws" if run.assumptions.get("draws") else ""
        )
        path = write_effects_chart(
            run.countries, chart, title=title, source=f"{run.source} {run.year}; {model}"
        )
        err.print(f"chart → {path}", markup=False)
    if map_layer is not None:
        from beltroad.trade import save_layer

        save_layer(State.settings.data_dir, map_layer, run)
        err.print(f"map layer {map_layer!r} saved: /map, 'Trade effects'", markup=False)
