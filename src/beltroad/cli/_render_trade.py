"""How trade data, gravity fits and counterfactuals look in the terminal."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from beltroad.cli._app import out

if TYPE_CHECKING:
    from beltroad.trade import Band, CountryEffect, FlowCounterfactual, FlowImpact, GravityFit


def render_fit(fit: GravityFit) -> None:
    """Coefficients with errors and intervals, N, fixed effects, dropped rows, separation."""
    table = Table(title=f"{fit.method.upper()}: {fit.formula}", header_style="bold")
    for col in ("term", "estimate", "std. error", "t", "p", "95% interval"):
        table.add_column(col, justify="right" if col != "term" else "left")
    for c in fit.coefficients:
        table.add_row(
            c.name,
            f"{c.estimate:.4f}",
            f"{c.std_error:.4f}",
            f"{c.t:.2f}",
            f"{c.p:.4f}",
            f"[{c.ci_low:.3f}, {c.ci_high:.3f}]",
        )
    out.print(table)
    fes = ", ".join(f"{k} ({v})" for k, v in fit.fixed_effects.items()) or "none"
    out.print(f"N = {fit.n:,}; fixed effects: {fes}; standard errors {fit.vcov}", markup=False)
    if fit.dropped:
        out.print(f"{fit.dropped:,} observations dropped: {fit.dropped_because}", markup=False)
    for line in fit.separation:
        out.print(f"separation: {line}", markup=False)


def render_impact(result: dict[str, Any]) -> None:
    """Assumptions, coverage, the largest time savings and each value of time's country changes."""
    out.print(f"{result['name']}", markup=False)
    for key, value in result["assumptions"].items():
        out.print(f"  {key}: {value}", markup=False)
    out.print(f"  covered by the panel: {', '.join(result['covered_by_panel']) or 'none'}", markup=False)
    if result.get("note"):
        out.print(f"[yellow]note:[/] {escape(result['note'])}")
    for s in result["largest_time_savings_days"][:8]:
        out.print(f"  {s['from']} → {s['to']}: {s['days_saved']} days faster", markup=False)
    for run in result["runs"]:
        out.print(f"value of time {run['value_of_time_percent_per_day']} % a day:", markup=False)
        ranked = sorted(run["countries"], key=lambda r: -abs(r["real_gdp_change"]))[:10]
        for r in ranked:
            out.print(
                f"  {r['country']}: real GDP {r['real_gdp_change']:+.4f} %, exports {r['foreign_exports_change']:+.3f} %",
                markup=False,
            )


def render_counterfactual(rows: Sequence[Mapping[str, Any]], assumptions: Mapping[str, Any]) -> None:
    """The assumptions, then each country's changes in percent, largest real-GDP change first."""
    out.print("assumptions:", markup=False)
    for key, value in assumptions.items():
        out.print(f"  {key}: {value}", markup=False)
    table = Table(title="changes in percent", header_style="bold")
    columns = (
        ("country", "country"),
        ("real GDP", "real_gdp_change"),
        ("factory-gate price", "factory_gate_price_change"),
        ("inward resistance", "imr_change"),
        ("exports (conditional)", "conditional_foreign_exports_change"),
        ("exports (full)", "foreign_exports_change"),
        ("imports (full)", "foreign_imports_change"),
    )
    for title, _key in columns:
        table.add_column(title, justify="left" if title == "country" else "right")
    for row in sorted(rows, key=lambda r: -abs(r["real_gdp_change"])):
        table.add_row(row["country"], *(f"{row[key]:.4f}" for _t, key in columns[1:]))
    out.print(table)


def _effects_table(
    countries: Sequence[CountryEffect],
    columns: tuple[tuple[str, str], ...],
    cell: Callable[[float, Band | None], str],
    top: int | None = None,
) -> Table:
    """Countries by the size of their welfare change, one column per measure, each cell with its
    90 % interval where the run had draws."""
    interval = " [90 % interval]" if any(c.bands for c in countries) else ""
    table = Table(title=f"changes in percent{interval}", header_style="bold")
    table.add_column("country")
    for title, _key in columns:
        table.add_column(title, justify="right")
    for c in sorted(countries, key=lambda r: -abs(r.welfare_change))[:top]:
        table.add_row(
            c.country, *(cell(getattr(c, key), c.bands.get(key) if c.bands else None) for _t, key in columns)
        )
    return table


def _cell(value: float, band: Band | None) -> str:
    if band is None:
        return f"{value:+.4f}"
    return f"{value:+.4f} [{band.low:+.4f}, {band.high:+.4f}]"


def render_flow_counterfactual(run: FlowCounterfactual) -> None:
    """The assumptions, then each country's changes (with 90 % intervals), largest welfare change first."""
    out.print(
        f"general equilibrium from the observed flows of {run.source} ({run.year or 'one year'})",
        markup=False,
    )
    out.print(f"  theta = {run.theta:g}; trade imbalances: {run.imbalance}", markup=False)
    for key, value in run.assumptions.items():
        out.print(f"  {key}: {value}", markup=False)
    columns = (
        ("welfare", "welfare_change"),
        ("real wage", "real_wage_change"),
        ("exports", "foreign_exports_change"),
        ("imports", "foreign_imports_change"),
    )
    out.print(_effects_table(run.countries, columns, _cell))


def render_flow_impact(run: FlowImpact) -> None:
    """Coverage, assumptions, the largest time savings, then each country's changes with intervals."""
    out.print(f"{run.name}: on the observed flows of {run.source} ({run.year})", markup=False)
    out.print(f"  countries of the scenario in the data: {', '.join(run.covered) or 'none'}", markup=False)
    for region, members in run.folded_into_region.items():
        out.print(f"  folded into {region}: {', '.join(members)}", markup=False)
    if run.not_covered:
        out.print(f"  not covered by the data: {', '.join(run.not_covered)}", markup=False)
    for key, value in run.assumptions.items():
        out.print(f"  {key}: {value}", markup=False)
    if run.note:
        out.print(f"[yellow]note:[/] {escape(run.note)}")
    for s in run.largest_time_savings_days[:8]:
        out.print(
            f"  {s['from']} → {s['to']}: {s['days_saved'] * 24:.2f} hours faster on average", markup=False
        )
    if not run.countries:
        return
    columns = (
        ("real income (welfare)", "welfare_change"),
        ("exports", "foreign_exports_change"),
        ("imports", "foreign_imports_change"),
    )
    out.print(_effects_table(run.countries, columns, _cell3, top=12))


def _cell3(value: float, band: Band | None) -> str:
    # a single link moves national aggregates by millionths of a percent: show them, not zeros
    if band is None:
        return f"{value:+.3g}"
    return f"{value:+.3g} [{band.low:+.3g}, {band.high:+.3g}]"
