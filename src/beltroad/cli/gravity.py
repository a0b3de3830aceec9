"""Commands of structural gravity: PPML estimates, general-equilibrium counterfactuals and the
trade and income impact of transport scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import beltroad as br
from beltroad.cli._app import JsonFlag, State, app, assignments, err, gravity_app, print_json
from beltroad.cli._render_trade import render_counterfactual, render_fit, render_impact

DataArg = Annotated[Path, typer.Argument(help="A bilateral panel: .csv, .csv.gz, .parquet or .dta(.gz).")]


FormulaOpt = Annotated[
    str,
    typer.Option(
        "--formula",
        help="pyfixest formula, e.g. 'trade ~ log_dist + cntg + lang + clny | exp_year + imp_year'. "
        "log_X, exp_year, imp_year and pair_id (directed: exporter_importer; pair_id_unordered by name) "
        "are made from X, exporter, importer and year if missing.",
    ),
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
        result = br.estimate(data, formula, method=method, cluster=cluster, where=where)
    if json_out:
        print_json(result.to_json())
        return
    render_fit(result)


@gravity_app.command("counterfactual")
def gravity_counterfactual_cmd(
    data: DataArg,
    formula: FormulaOpt,
    reference: Annotated[str, typer.Option(help="Reference importer (its inward resistance stays 1).")],
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution (above 1).")] = 7.0,
    where: WhereOpt = None,
    set_value: Annotated[
        list[str] | None,
        typer.Option("--set", help="VAR=VALUE on the rows --pairs-where selects, e.g. pta=1."),
    ] = None,
    pairs_where: Annotated[
        str | None, typer.Option("--pairs-where", help="SQL condition choosing the pairs --set changes.")
    ] = None,
    coefficient: Annotated[
        list[str] | None, typer.Option("--coefficient", help="NAME=VALUE: a new coefficient, e.g. intl=0.")
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
    json_out: JsonFlag = False,
) -> None:
    """General-equilibrium effects of a change in trade costs: prices, real GDP, trade by country."""
    with err.status("estimating and solving…"):
        run = br.counterfactual(
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
        )
    if json_out:
        print_json(run.to_json())
        return
    render_counterfactual(run.result.rows(), run.assumptions)


@app.command("impact")
def impact_cmd(
    scenario_name: Annotated[str, typer.Argument(metavar="SCENARIO", help="A scenario id or YAML file.")],
    data: Annotated[
        Path, typer.Option(help="Bilateral trade panel (.csv, .parquet, .dta) for the GE model.")
    ],
    reference: Annotated[str, typer.Option(help="Reference importer of the GE model.")],
    formula: Annotated[str, typer.Option(help="Gravity formula with exporter and importer effects.")] = (
        "trade ~ log_dist + cntg + lang + clny | exporter + importer"
    ),
    where: WhereOpt = None,
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution.")] = 7.0,
    value_of_time: Annotated[
        list[float] | None,
        typer.Option(help="Ad-valorem % per day in transit (default: 0.6 and 2.1, Hummels & Schaur 2013)."),
    ] = None,
    cities_per_country: Annotated[int, typer.Option(min=1, max=50)] = 5,
    json_out: JsonFlag = False,
) -> None:
    """Trade and real-income effects of a transport scenario, through the value of time in transit."""
    with err.status("shipping times by country pair, then the general equilibrium…"):
        result = br.impact(
            scenario_name,
            data,
            reference=reference,
            formula=formula,
            where=where,
            sigma=sigma,
            value_of_time=value_of_time,
            cities_per_country=cities_per_country,
            settings=State.settings,
        )
    if json_out:
        print_json(result.to_json())
        return
    render_impact(result.to_json())
