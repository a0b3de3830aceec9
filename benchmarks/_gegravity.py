"""The peer's set-up that the GE benchmarks share: gegravity's one-sector model on a frame of flows
with output ``Y``, expenditure ``E`` and cost variables, its baseline built and ready for an
experiment. Imported at the top of each benchmark, so importing gegravity is not timed."""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import gegravity as ge


def one_sector_ge(
    frame: pd.DataFrame,
    *,
    year: str,
    reference: str,
    sigma: float,
    coefficients: dict[str, float],
    omr_rescale: float = 100,
    mr_tolerance: float | None = None,
) -> Any:
    """gegravity's ``OneSectorGE`` on ``frame`` (exporter, importer, year, trade, Y, E and the
    cost variables named by ``coefficients``), with its baseline built (to ``mr_tolerance`` when
    given, gegravity's default otherwise). The reference tests use it too."""
    baseline = ge.BaselineData(
        frame,
        imp_var_name="importer",
        exp_var_name="exporter",
        year_var_name="year",
        trade_var_name="trade",
        expend_var_name="E",
        output_var_name="Y",
    )
    table = pd.DataFrame({"var": list(coefficients), "coeff": list(coefficients.values())})
    model = ge.OneSectorGE(
        baseline,
        year=year,
        expend_var_name="E",
        output_var_name="Y",
        reference_importer=reference,
        sigma=sigma,
        cost_variables=list(coefficients),
        cost_coeff_values=ge.CostCoeffs(table, identifier_col="var", coeff_col="coeff"),
        quiet=True,
    )
    model.build_baseline(omr_rescale=omr_rescale, **({"mr_tolerance": mr_tolerance} if mr_tolerance else {}))
    return model
