"""Commands of structural gravity: PPML estimates and general-equilibrium counterfactuals (the
impact of a transport scenario is in ``impact``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import beltroad as br
from beltroad.cli._app import (
    JsonFlag,
    State,
    assignments,
    draw_progress,
    err,
    gravity_app,
    print_json,
)
from beltroad.cli._gravity_shared import AddressOpt, MapLayerOpt, SeedOpt, WhereOpt, WorkersOpt, pictures
from beltroad.cli._render_trade import (
    render_counterfactual,
    render_fit,
    render_flow_counterfactual,
)
from beltroad.errors import ValidationFailed

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
        pictures(run, chart, map_layer, f"Welfare change, counterfactual on {run.source} {run.year}")
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
