"""Counterfactuals from observed flows: the baseline year's matrix, a partial effect per pair, θ.

The partial effects come from a file (``exporter, importer, partial_effect``, the change in log
trade costs times -θ, as ge_gravity takes them), a column of the panel, or an estimated gravity
coefficient times a per-pair indicator (``exporter, importer, indicator``). Only in the last case
is anything uncertain that a bootstrap can measure: the coefficient is re-estimated on panels
resampled by pairs (as in ge_gravity's example), each draw a Ray task, and every country's
changes get a mean and a 90 % interval.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from beltroad.errors import ValidationFailed
from beltroad.trade.gravity import (
    _rows,
    add_derived_columns,
    check_panel,
    estimate_gravity,
    formula_terms,
    load_panel,
    read_pair_values,
)
from beltroad.trade.hat import MEASURES, Array, HatSolution, Imbalance, solve_flows
from beltroad.trade.panel import Dataset
from beltroad.trade.results import Band, CountryEffect, FlowCounterfactual

#: the interval the draws report: 5th to 95th percentile
BAND = (5.0, 95.0)


@dataclass(frozen=True)
class Flows:
    """One year's square matrix of flows, domestic sales on the diagonal."""

    countries: tuple[str, ...]
    matrix: Array
    year: int | None
    source: str

    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.countries)}


def latest_flows(data_dir: Path, data: str | Path, where: str | None = None) -> tuple[Flows, Dataset | None]:
    """One year of a panel (an imported data set's name, or a file) as the matrix a general
    equilibrium starts from: the latest year, unless ``where`` chooses; and the data set, whose
    unit, citation and licence go with what is drawn from it.

    Raises
    ------
    ImportFailed, ValidationFailed
        No such data set or file; flows a GE cannot start from (``flows_of``).
    """
    frame, ds = load_panel(data_dir, data, where)
    if where is None and "year" in frame.columns and frame["year"].nunique() > 1:
        frame = frame[frame["year"] == int(frame["year"].max())]
    source = ds.name if ds else str(data)
    return flows_of(frame, source=source, value="trade" if "trade" in frame.columns else "value"), ds


def flows_of(frame: pd.DataFrame, *, source: str, value: str = "trade") -> Flows:
    """The square matrix a general equilibrium starts from; refuse what it cannot start from.

    Parameters
    ----------
    frame
        One year of a bilateral panel: exporter, importer, the flows, domestic ones included.
    source
        The data set or file, for the messages.
    value
        The column of flows.

    Returns
    -------
    Flows
        Countries (sorted), the matrix and the year.
    """
    for column in ("exporter", "importer", value):
        if column not in frame.columns:
            msg = f"{source}: no column {column!r} for the flows; it has {', '.join(map(str, frame.columns))}"
            raise ValidationFailed(msg)
    year = None
    if "year" in frame.columns:
        years = sorted(int(y) for y in frame["year"].dropna().unique())
        if len(years) > 1:
            msg = (
                f"{source}: the flows mix the years {', '.join(map(str, years))}; a general equilibrium "
                f"starts from one year's flows: add --where 'year = {years[-1]}'"
            )
            raise ValidationFailed(msg)
        year = years[0] if years else None
    frame = frame.reset_index(drop=True)
    check_panel(frame, value, keys=("exporter", "importer"))
    countries = sorted(set(frame["exporter"].astype(str)) | set(frame["importer"].astype(str)))
    index = {c: i for i, c in enumerate(countries)}
    i = frame["exporter"].astype(str).map(index).to_numpy()
    j = frame["importer"].astype(str).map(index).to_numpy()
    n = len(countries)
    matrix = np.full((n, n), np.nan)
    matrix[i, j] = frame[value].to_numpy(float)
    domestic = [countries[k] for k in range(n) if np.isnan(matrix[k, k])]
    if domestic:
        shown = ", ".join(f"{c}→{c}" for c in domestic[:10])
        more = f" and {len(domestic) - 10} more" if len(domestic) > 10 else ""
        msg = (
            f"{source}{f' ({year})' if year else ''}: no domestic flows for {shown}{more}; a general "
            "equilibrium needs each country's sales to itself. Use a panel that has them (WIOD, ICIO, "
            "the book's) or build them: beltroad trade domestic NAME --totals FILE"
        )
        raise ValidationFailed(msg)
    missing = [f"{countries[a]}→{countries[b]}" for a, b in zip(*np.nonzero(np.isnan(matrix)), strict=True)]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        msg = (
            f"{source}{f' ({year})' if year else ''}: no row for the pair(s) {shown}; a general "
            "equilibrium needs every exporter-importer pair (give a pair with no trade a row with 0)"
        )
        raise ValidationFailed(msg)
    return Flows(tuple(countries), matrix, year, source)


def _read_pairs(path: Path, column: str, countries: Sequence[str]) -> Array:
    """A per-pair value from a CSV of exporter, importer and ``column``; 0 for pairs not listed."""
    table, values = read_pair_values(path, column, countries, "the flows")
    dup = table.index[table.duplicated(["exporter", "importer"], keep="first")]
    if len(dup):
        msg = f"{path}: row(s) {_rows(dup)} repeat an exporter-importer pair"
        raise ValidationFailed(msg)
    domestic = table.index[(table["exporter"] == table["importer"]) & (values != 0)]
    if len(domestic):
        msg = (
            f"{path}: row(s) {_rows(domestic)} give a domestic pair a partial effect; the model changes "
            "costs between countries only (set them to 0 or leave them out)"
        )
        raise ValidationFailed(msg)
    index = {c: i for i, c in enumerate(countries)}
    out = np.zeros((len(countries), len(countries)))
    out[table["exporter"].map(index).to_numpy(), table["importer"].map(index).to_numpy()] = values.to_numpy()
    return out


def partial_effects_file(path: Path, flows: Flows) -> Array:
    """Partial effects per pair from a CSV of exporter, importer, partial_effect."""
    return _read_pairs(path, "partial_effect", flows.countries)


def indicator_file(path: Path, flows: Flows) -> Array:
    """A 0/1 (or any) indicator per pair from a CSV of exporter, importer, indicator."""
    return _read_pairs(path, "indicator", flows.countries)


def partial_effects_column(frame: pd.DataFrame, column: str, flows: Flows) -> Array:
    """Partial effects per pair from a column of the baseline year's rows."""
    if column not in frame.columns:
        msg = f"{flows.source}: no column {column!r} for the partial effects"
        raise ValidationFailed(msg)
    values = pd.to_numeric(frame[column], errors="coerce").fillna(0.0).to_numpy(float)
    index = flows.index()
    out = np.zeros_like(flows.matrix)
    out[
        frame["exporter"].astype(str).map(index).to_numpy(),
        frame["importer"].astype(str).map(index).to_numpy(),
    ] = values
    if np.any(np.diag(out) != 0):
        msg = f"{column}: domestic pairs have partial effects; the model changes costs between countries only"
        raise ValidationFailed(msg)
    return out


def effects(solution: HatSolution, bands: dict[str, dict[str, Band]] | None = None) -> list[CountryEffect]:
    """Each country's changes, typed, with the draws' bands when there are any."""
    changes = solution.changes()
    return [
        CountryEffect(
            country=c,
            **{m: float(changes[m][i]) for m in MEASURES},
            bands=bands[c] if bands else None,
        )
        for i, c in enumerate(solution.countries)
    ]


def summarize(countries: Sequence[str], draws: Sequence[dict[str, Array]]) -> dict[str, dict[str, Band]]:
    """Per country and measure: the mean over the draws and their 5th and 95th percentiles."""
    out: dict[str, dict[str, Band]] = {c: {} for c in countries}
    for measure in MEASURES:
        values = np.vstack([d[measure] for d in draws])
        mean = values.mean(axis=0)
        low, high = np.percentile(values, BAND, axis=0)
        for i, c in enumerate(countries):
            out[c][measure] = Band(float(mean[i]), float(low[i]), float(high[i]))
    return out


@dataclass(frozen=True)
class Bootstrap:
    """What every bootstrap draw needs: the estimation panel, the model, the baseline flows."""

    panel: pd.DataFrame
    formula: str
    term: str
    cluster: str
    flows: Flows
    indicator: Array
    theta: float
    imbalance: Imbalance


def _draw(seed: int, spec: Bootstrap) -> tuple[float, dict[str, Array]]:
    """One pair-bootstrap draw: resample the pairs, re-estimate, solve the GE with the new β."""
    rng = np.random.default_rng(seed)
    codes, levels = pd.factorize(spec.panel[spec.cluster])
    counts = np.bincount(rng.integers(0, len(levels), len(levels)), minlength=len(levels))
    weights = counts[codes]
    sample = spec.panel.assign(_draws=weights)[weights > 0]
    fit = estimate_gravity(sample, spec.formula, weights="_draws")
    beta = fit.coefficient(spec.term).estimate
    solved = solve_flows(
        spec.flows.matrix,
        beta * spec.indicator,
        theta=spec.theta,
        countries=spec.flows.countries,
        imbalance=spec.imbalance,
    )
    return beta, solved.changes()


def estimation_panel(frame: pd.DataFrame, formula: str, cluster: str) -> pd.DataFrame:
    """The panel with the columns the formula and the bootstrap's pairs need made."""
    outcome, regressors, fixed = formula_terms(formula)
    return add_derived_columns(frame, [outcome, *regressors, *fixed, cluster]).reset_index(drop=True)


def counterfactual_from_flows(
    flows: Flows,
    partial: Array,
    *,
    theta: float,
    imbalance: Imbalance,
    described: dict[str, Any],
    bootstrap: Bootstrap | None = None,
    draws: int = 0,
    seed: int = 12345,
    address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> FlowCounterfactual:
    """Solve the point counterfactual and, with ``draws`` and a bootstrap, its bands.

    Parameters
    ----------
    flows
        The baseline year's matrix.
    partial
        The partial effect per pair (of the full-sample estimate, when there is one).
    theta, imbalance
        The trade elasticity and the treatment of trade imbalances.
    described
        The assumptions to report: where the partial effects came from.
    bootstrap, draws, seed
        Re-estimate the coefficient on ``draws`` panels resampled by pairs.
    address, workers, progress
        Where the draws run (see ``beltroad.compute.run_tasks``) and the progress callback.

    Returns
    -------
    FlowCounterfactual
        Per-country changes (with 90 % bands over the draws), the assumptions and the solution.
    """
    solution = solve_flows(flows.matrix, partial, theta=theta, countries=flows.countries, imbalance=imbalance)
    changed = int(np.count_nonzero(partial))
    assumptions: dict[str, Any] = {
        **described,
        "pairs_changed": changed,
        "model": "one-sector Armington, exact hat algebra from observed flows (Dekle, Eaton & Kortum 2007)",
        "numeraire": "world output unchanged",
        "solver": {"iterations": solution.iterations, "residual": solution.residual},
    }
    bands = None
    coefficient_draws = None
    if draws:
        if bootstrap is None:
            msg = (
                "--draws bootstraps an estimated coefficient; these partial effects are given, not "
                "estimated (use --indicator FILE with --estimate FORMULA --term NAME)"
            )
            raise ValidationFailed(msg)
        from beltroad.compute import run_tasks

        seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(draws)]
        results = run_tasks(_draw, seeds, bootstrap, address=address, workers=workers, progress=progress)
        coefficient_draws = [beta for beta, _ in results]
        bands = summarize(flows.countries, [changes for _, changes in results])
        assumptions["draws"] = {
            "count": draws,
            "seed": seed,
            "method": f"pair bootstrap of {bootstrap.term} ({bootstrap.cluster} resampled with replacement)",
            "interval": "90 % (5th to 95th percentile of the draws)",
            "coefficient_mean": float(np.mean(coefficient_draws)),
            "coefficient_sd": float(np.std(coefficient_draws, ddof=1)) if draws > 1 else None,
        }
    return FlowCounterfactual(
        source=flows.source,
        year=flows.year,
        theta=theta,
        imbalance=imbalance,
        assumptions=assumptions,
        countries=effects(solution, bands),
        coefficient_draws=coefficient_draws,
        solution=solution,
    )
