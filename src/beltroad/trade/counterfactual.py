"""From a bilateral cross-section and a change in trade costs to general-equilibrium effects.

The baseline trade costs are the exponential of the estimated cost terms (PPML with exporter and
importer fixed effects, as in the book's chapter 2); a counterfactual changes them in one of three
ways, which can be combined: new values of cost variables for chosen pairs (a trade agreement
between Canada and Japan), new coefficients (a border that no longer costs anything), or a file of
ad-valorem changes in trade costs per pair (what a faster railway does to shipping time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from beltroad.errors import ValidationFailed
from beltroad.trade._duck import connect, lock_down, where_error
from beltroad.trade.ge import Closure, GEModel, GEResult, solve
from beltroad.trade.gravity import (
    _rows,
    add_derived_columns,
    check_panel,
    estimate_gravity,
    formula_terms,
    read_pair_values,
    read_panel,
)
from beltroad.trade.results import CounterfactualAssumptions


@dataclass
class Shock:
    """What changes: variable values on matching rows, coefficients, and per-pair cost changes."""

    set_values: dict[str, float] = field(default_factory=dict)
    set_where: str | None = None
    coefficients: dict[str, float] = field(default_factory=dict)
    cost_changes: Path | None = None

    def describe(self) -> list[str]:
        said = []
        if self.set_values:
            values = ", ".join(f"{k} = {v:g}" for k, v in self.set_values.items())
            said.append(f"{values} where {self.set_where or 'every pair'}")
        said += [f"coefficient of {k} set to {v:g}" for k, v in self.coefficients.items()]
        if self.cost_changes:
            said.append(f"ad-valorem trade-cost changes from {self.cost_changes}")
        return said


def _mask(frame: pd.DataFrame, condition: str | None) -> np.ndarray:
    if not condition:
        return np.ones(len(frame), dtype=bool)
    con = connect()
    try:
        rows_of = con.from_df(frame.assign(_row=np.arange(len(frame))))
        lock_down(con)
        rows = rows_of.filter(condition).project("_row").fetchall()
    except duckdb.Error as exc:
        raise ValidationFailed(where_error(condition, exc)) from exc
    finally:
        con.close()
    mask = np.zeros(len(frame), dtype=bool)
    mask[[r[0] for r in rows]] = True
    if not mask.any():
        msg = f"the condition {condition!r} matches no row; nothing would change"
        raise ValidationFailed(msg)
    return mask


def _square(frame: pd.DataFrame, countries: list[str]) -> tuple[np.ndarray, np.ndarray]:
    index = {c: i for i, c in enumerate(countries)}
    i = frame["exporter"].map(index).to_numpy()
    j = frame["importer"].map(index).to_numpy()
    have = np.zeros((len(countries), len(countries)), dtype=bool)
    have[i, j] = True
    missing = [f"{countries[a]}→{countries[b]}" for a, b in zip(*np.nonzero(~have), strict=True)]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        msg = (
            f"a general-equilibrium model needs every exporter-importer pair, domestic flows included; "
            f"missing {shown}"
        )
        raise ValidationFailed(msg)
    return i, j


def _cost_changes(path: Path, countries: list[str], sigma: float) -> dict[tuple[str, str], float]:
    """Per-pair multipliers of ``t^(1-σ)`` from a CSV of exporter, importer, change_percent."""
    table, change = read_pair_values(path, "change_percent", countries)
    bad = table.index[change <= -100]
    if len(bad):
        msg = f"{path}: change_percent must be a number above -100; not in row(s) {_rows(bad)}"
        raise ValidationFailed(msg)
    return {
        (str(a), str(b)): float((1 + c / 100) ** (1 - sigma))
        for a, b, c in zip(table["exporter"], table["importer"], change, strict=True)
    }


def run_counterfactual(
    frame: pd.DataFrame,
    formula: str,
    shock: Shock,
    *,
    sigma: float,
    reference: str,
    closure: Closure = "fixed-shares",
    output: str | None = None,
    expenditure: str | None = None,
) -> tuple[GEResult, CounterfactualAssumptions]:
    """Estimate the cost coefficients, build baseline and counterfactual costs, solve; the result and
    the assumptions to print beside it."""
    outcome, regressors, fixed = formula_terms(formula)
    if not regressors:
        msg = "the formula names no cost variables; a counterfactual needs at least one"
        raise ValidationFailed(msg)
    frame = add_derived_columns(frame, [outcome, *regressors]).reset_index(drop=True)
    for column in ("exporter", "importer"):
        if column not in frame.columns:
            msg = f"the data needs an {column} column"
            raise ValidationFailed(msg)
    check_panel(frame, outcome)
    fit = estimate_gravity(frame, formula, method="ppml")
    beta = {c.name: c.estimate for c in fit.coefficients}
    unknown = [k for k in [*shock.coefficients, *shock.set_values] if k not in beta]
    if unknown:
        msg = f"{', '.join(unknown)}: not a cost variable of the formula ({', '.join(beta)})"
        raise ValidationFailed(msg)
    countries = sorted(set(frame["exporter"].astype(str)) | set(frame["importer"].astype(str)))
    i, j = _square(frame, countries)
    n = len(countries)
    x = frame[list(beta)].to_numpy(float)
    costs = np.zeros((n, n))
    costs[i, j] = np.exp(x @ np.array(list(beta.values())))
    changed = frame.copy()
    mask = _mask(frame, shock.set_where) if shock.set_values else np.zeros(len(frame), dtype=bool)
    for var, value in shock.set_values.items():
        changed.loc[mask, var] = value
    new_beta = {**beta, **shock.coefficients}
    new_costs = np.zeros((n, n))
    new_costs[i, j] = np.exp(changed[list(new_beta)].to_numpy(float) @ np.array(list(new_beta.values())))
    if shock.cost_changes:
        for (a, b), factor in _cost_changes(shock.cost_changes, countries, sigma).items():
            new_costs[countries.index(a), countries.index(b)] *= factor
    y = _totals(frame, output, "exporter", countries, outcome)
    e = _totals(frame, expenditure, "importer", countries, outcome)
    model = GEModel(tuple(countries), y, e, costs, sigma, reference)
    result = solve(model, new_costs, closure=closure)
    assumptions: CounterfactualAssumptions = {
        "closure": closure,
        "sigma": sigma,
        "reference_importer": reference,
        "coefficients": beta,
        "estimated_with": f"PPML, {fit.n} observations, fixed effects {', '.join(fixed) or 'none'}",
        "shock": shock.describe(),
        "rows_changed": int(mask.sum()),
        "output": f"column {output}" if output else f"sum of {outcome} by exporter",
        "expenditure": f"column {expenditure}" if expenditure else f"sum of {outcome} by importer",
        "solver": {"iterations": result.iterations, "residual": result.residual},
    }
    return result, assumptions


def _totals(
    frame: pd.DataFrame, column: str | None, side: str, countries: list[str], outcome: str
) -> np.ndarray:
    if column is None:
        return np.asarray(frame.groupby(side)[outcome].sum().reindex(countries), dtype=float)
    if column not in frame.columns:
        msg = f"the data has no column {column!r}"
        raise ValidationFailed(msg)
    values = frame.groupby(side)[column].agg(["min", "max"]).reindex(countries)
    varying = values.index[values["min"] != values["max"]]
    if len(varying):
        msg = f"{column} must be one value per {side}; it varies for {', '.join(map(str, varying[:10]))}"
        raise ValidationFailed(msg)
    return np.asarray(values["min"], dtype=float)


__all__ = ["Shock", "read_panel", "run_counterfactual"]
