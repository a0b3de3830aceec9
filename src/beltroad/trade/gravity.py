"""Structural gravity estimation: PPML (or OLS) with high-dimensional fixed effects, via pyfixest.

Panels are read with DuckDB (CSV, gzipped CSV, Parquet) or pandas (Stata files), filtered with an
SQL ``--where`` before they reach memory as a frame, and given the columns the book's
specifications name when the data lacks them: ``log_X`` for a positive column ``X``, ``exp_year``
and ``imp_year`` (exporter and importer by year), ``pair_id`` (the directed pair, exporter ×
importer, as the book and ge_gravity use it) and, only by that name, ``pair_id_unordered``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, get_args

import duckdb
import numpy as np
import pandas as pd

from beltroad.errors import ImportFailed, ValidationFailed, check_choice
from beltroad.trade._duck import connect, lock_down, where_error
from beltroad.trade.panel import Dataset, datasets
from beltroad.trade.results import Coefficient, GravityFit

Method = Literal["ppml", "ols"]
METHODS: tuple[Method, ...] = get_args(Method)
_TERM = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
#: how many offending rows an error message lists
SHOW_ROWS = 10


def read_panel(path: Path, where: str | None = None, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A bilateral panel as a frame, filtered by the SQL condition ``where`` first."""
    if not path.is_file():
        msg = f"{path}: no such file"
        raise ImportFailed(msg)
    name = path.name.lower()
    con = connect()
    try:
        if name.endswith((".dta", ".dta.gz")):
            try:
                stata = pd.read_stata(path, compression="gzip" if name.endswith(".gz") else None)
            except (ValueError, OSError, EOFError) as exc:
                msg = f"{path}: not a readable Stata file ({exc})"
                raise ImportFailed(msg) from exc
            relation = con.from_df(stata)
        elif name.endswith((".parquet", ".pq")):
            relation = con.read_parquet(str(path))
        elif name.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
            relation = con.read_csv(str(path))
        else:
            msg = f"{path}: unknown format; give a .csv, .csv.gz, .parquet or .dta(.gz) file"
            raise ImportFailed(msg)
        if where:
            # the condition runs on the panel's rows inside DuckDB, never where it can read files
            relation.create("panel")
            lock_down(con)
            relation = con.table("panel").filter(where)
        if columns:
            missing = [c for c in columns if c not in relation.columns]
            if missing:
                msg = f"{path}: no column(s) {', '.join(missing)}; it has {', '.join(relation.columns)}"
                raise ValidationFailed(msg)
        frame = relation.df()
    except duckdb.Error as exc:
        if where and isinstance(exc, duckdb.PermissionException):
            msg = f"{path}: {where_error(where, exc)}"
        else:
            first = str(exc).splitlines()[0]
            msg = f"{path}: {'the --where condition failed: ' if where else ''}{first}"
        raise ImportFailed(msg) from exc
    finally:
        con.close()
    return pd.DataFrame(frame)


def load_panel(
    data_dir: Path, source: str | Path, where: str | None = None
) -> tuple[pd.DataFrame, Dataset | None]:
    """A panel from a file or from an imported data set by name, and the data set if it is one.

    A data set's flows are its ``value`` column; they are also given as ``trade``, the book's and
    ge_gravity's name, so their formulas run as published.
    """
    path = Path(source)
    if path.is_file():
        return read_panel(path, where), None
    found = {d.name: d for d in datasets(data_dir)}
    ds = found.get(str(source))
    if ds is None:
        imported = ", ".join(found) or "none yet (beltroad trade import …)"
        msg = f"{source}: neither a file nor an imported trade data set; imported: {imported}"
        raise ImportFailed(msg)
    frame = read_panel(ds.path, where)
    if "trade" not in frame.columns:
        frame["trade"] = frame["value"]
    return frame, ds


def formula_terms(formula: str) -> tuple[str, list[str], list[str]]:
    """The dependent variable, the regressors and the fixed effects a formula names."""
    lhs, sep, rhs = formula.partition("~")
    if not sep or not lhs.strip() or not rhs.strip():
        msg = f"formula {formula!r} needs the form 'y ~ x1 + x2 | fe1 + fe2'"
        raise ValidationFailed(msg)
    regressors, _, fixed = rhs.partition("|")
    names = [t for t in _TERM.findall(regressors) if t not in {"np", "log", "exp", "C", "i"}]
    return lhs.strip(), names, [f.strip() for f in fixed.split("+") if f.strip()]


def add_derived_columns(frame: pd.DataFrame, wanted: Sequence[str]) -> pd.DataFrame:
    """Create the book's usual columns that a formula names and the data lacks."""
    frame = frame.copy()
    for name in wanted:
        if name in frame.columns:
            continue
        if name.startswith("log_") and name[4:] in frame.columns:
            values = frame[name[4:]].astype(float)
            bad = frame.index[~(values > 0)]
            if len(bad):
                msg = f"log_{name[4:]}: {name[4:]} must be positive; not in row(s) {_rows(bad)}"
                raise ValidationFailed(msg)
            frame[name] = np.log(values)
        elif name in {"exp_year", "imp_year"} and {"exporter", "importer", "year"} <= set(frame.columns):
            side = "exporter" if name == "exp_year" else "importer"
            frame[name] = frame[side].astype(str) + "_" + frame["year"].astype(str)
        elif name == "pair_id" and {"exporter", "importer"} <= set(frame.columns):
            # directed, as the book and ge_gravity define it (exporter × importer): CHN→RUS and
            # RUS→CHN are two pairs with effects of their own
            frame[name] = frame["exporter"].astype(str) + "_" + frame["importer"].astype(str)
        elif name == "pair_id_unordered" and {"exporter", "importer"} <= set(frame.columns):
            # the two directions of a pair as one (a symmetric pair effect), only when named
            a, b = frame["exporter"].astype(str), frame["importer"].astype(str)
            frame[name] = np.where(a < b, a + "_" + b, b + "_" + a)
    return frame


def _rows(index: pd.Index) -> str:
    # row numbers as a user counts them: the first data row is 1
    shown = ", ".join(str(int(i) + 1) for i in index[:SHOW_ROWS])
    return shown + (f" and {len(index) - SHOW_ROWS} more" if len(index) > SHOW_ROWS else "")


def read_pair_values(
    path: Path, column: str, countries: Sequence[str], within: str = "the data"
) -> tuple[pd.DataFrame, pd.Series]:
    """A CSV of exporter, importer and a numeric ``column`` (cost changes, partial effects,
    indicators), checked against the model's countries (``within`` names them in the messages):
    the rows, and the column as numbers."""
    try:
        table = duckdb.read_csv(str(path), all_varchar=True).df()
    except (duckdb.Error, OSError) as exc:
        msg = f"{path}: cannot read it ({str(exc).splitlines()[0]})"
        raise ImportFailed(msg) from exc
    need = ["exporter", "importer", column]
    if any(c not in table.columns for c in need):
        msg = f"{path}: needs the columns {', '.join(need)}; it has {', '.join(table.columns)}"
        raise ValidationFailed(msg)
    known = set(countries)
    unknown = table.index[~table["exporter"].isin(known) | ~table["importer"].isin(known)]
    if len(unknown):
        names = sorted(
            {str(c) for c in pd.concat([table["exporter"], table["importer"]]) if str(c) not in known}
        )
        msg = (
            f"{path}: row(s) {_rows(unknown)} name pairs that are not in {within} "
            f"({', '.join(names[:10])}); {within} cover {len(countries)} countries"
        )
        raise ValidationFailed(msg)
    values = pd.to_numeric(table[column], errors="coerce")
    bad = table.index[values.isna() | ~np.isfinite(values.fillna(0.0))]
    if len(bad):
        msg = f"{path}: {column} must be a number; not in row(s) {_rows(bad)}"
        raise ValidationFailed(msg)
    return table, values


def check_panel(
    frame: pd.DataFrame, outcome: str, keys: Sequence[str] = ("exporter", "importer", "year")
) -> None:
    """Refuse what a gravity estimate cannot use: negative or missing trade, duplicate pair-years."""
    values = pd.to_numeric(frame[outcome], errors="coerce")
    bad = frame.index[values.isna() | (values < 0)]
    if len(bad):
        msg = f"{outcome} must be a number of at least 0; not in row(s) {_rows(bad)}"
        raise ValidationFailed(msg)
    present = [k for k in keys if k in frame.columns]
    if len(present) >= 2:
        dup = frame.index[frame.duplicated(present, keep="first")]
        if len(dup):
            msg = (
                f"duplicate {'-'.join(present)} rows: row(s) {_rows(dup)}; aggregate them (sum the trade) "
                "or add the column that tells them apart"
            )
            raise ValidationFailed(msg)


def estimate_gravity(
    frame: pd.DataFrame,
    formula: str,
    *,
    method: Method = "ppml",
    cluster: str | None = None,
    weights: str | None = None,
) -> GravityFit:
    """PPML (Santos Silva & Tenreyro 2006) or OLS with high-dimensional fixed effects, by pyfixest.

    Parameters
    ----------
    frame
        The panel; ``log_X``, ``exp_year``, ``imp_year`` and ``pair_id`` are made when missing.
    formula
        pyfixest's formula, e.g. ``"trade ~ log_dist + cntg | exp_year + imp_year"``.
    method
        ``ppml``, or ``ols`` on log trade (zeros dropped).
    cluster
        Cluster the standard errors by this column (heteroskedasticity-robust without).
    weights
        A column of frequency weights: how many times a pair bootstrap drew each row's pair.

    Returns
    -------
    GravityFit
        Coefficients with standard errors, N, fixed effects, dropped observations, the
        separation check, and pyfixest's fit.
    """
    import pyfixest as pf  # imported here: it takes a second, and most commands never need it

    check_choice(method, METHODS, "method")

    outcome, regressors, fixed = formula_terms(formula)
    frame = add_derived_columns(frame, [outcome, *regressors, *fixed, *([cluster] if cluster else [])])
    missing = [
        c for c in [outcome, *regressors, *fixed, *([cluster] if cluster else [])] if c not in frame.columns
    ]
    if missing:
        msg = f"the data has no column(s) {', '.join(missing)}; it has {', '.join(map(str, frame.columns))}"
        raise ValidationFailed(msg)
    check_panel(frame, outcome)
    vcov: Any = {"CRV1": cluster} if cluster else "hetero"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if method == "ppml":
                fit = pf.fepois(
                    formula, data=frame, vcov=vcov, weights=weights, separation_check=["fe", "ir"]
                )
            else:
                positive = frame[frame[outcome] > 0].copy()
                positive[f"log_{outcome}"] = np.log(positive[outcome].astype(float))
                ols_formula = f"log_{outcome} ~ {formula.partition('~')[2]}"
                fit = pf.feols(ols_formula, data=positive, vcov=vcov, weights=weights)
        except (ValueError, KeyError, np.linalg.LinAlgError) as exc:
            msg = f"the estimation failed: {str(exc).splitlines()[0]}"
            raise ValidationFailed(msg) from exc
    tidy = fit.tidy()
    dropped = int(len(frame) - fit._N) if method == "ppml" else int((frame[outcome] <= 0).sum())
    separation = [str(w.message).splitlines()[0] for w in caught if "separat" in str(w.message).lower()]
    return GravityFit(
        method=method,
        formula=formula,
        n=int(fit._N),
        dropped=dropped,
        dropped_because=(
            "separated or singleton observations" if method == "ppml" else f"{outcome} of 0 has no log"
        ),
        separation=separation,
        vcov=f"clustered by {cluster}" if cluster else "heteroskedasticity-robust",
        fixed_effects={name: int(frame[name].nunique()) for name in fixed},
        coefficients=[
            Coefficient(
                name=str(name),
                estimate=float(row["Estimate"]),
                std_error=float(row["Std. Error"]),
                t=float(row["t value"]),
                p=float(row["Pr(>|t|)"]),
                ci_low=float(row["2.5%"]),
                ci_high=float(row["97.5%"]),
            )
            for name, row in tidy.iterrows()
        ],
        fit=fit,
    )
