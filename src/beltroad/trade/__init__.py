"""Trade between countries: bilateral panels, structural gravity estimation and general-equilibrium
counterfactuals (Yotov, Piermartini, Monteiro & Larch 2016), and the trade impact of transport scenarios.

This is the package's one door: its siblings, the CLI, the web API and the tests import from
here. Names load on first use, so importing the door costs nothing until a name is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.trade.counterfactual import Shock, run_counterfactual
    from beltroad.trade.ge import CLOSURES, GEModel, GEResult, solve
    from beltroad.trade.gravity import METHODS, add_derived_columns, estimate_gravity, read_panel
    from beltroad.trade.impact import VALUE_OF_TIME_RANGE, run_impact
    from beltroad.trade.panel import dataset, datasets, import_trade, pair_totals, partners, series
    from beltroad.trade.results import Coefficient, Counterfactual, GravityFit, ImpactRun

__all__ = [
    "CLOSURES",
    "METHODS",
    "VALUE_OF_TIME_RANGE",
    "Coefficient",
    "Counterfactual",
    "GEModel",
    "GEResult",
    "GravityFit",
    "ImpactRun",
    "Shock",
    "add_derived_columns",
    "dataset",
    "datasets",
    "estimate_gravity",
    "import_trade",
    "pair_totals",
    "partners",
    "read_panel",
    "run_counterfactual",
    "run_impact",
    "series",
    "solve",
]
if not TYPE_CHECKING:  # type checkers read the imports above; a hook would hide missing names
    __getattr__, __dir__ = lazy_door(
        __name__,
        {
            "beltroad.trade.counterfactual": (
                "Shock",
                "run_counterfactual",
            ),
            "beltroad.trade.ge": (
                "CLOSURES",
                "GEModel",
                "GEResult",
                "solve",
            ),
            "beltroad.trade.gravity": (
                "METHODS",
                "add_derived_columns",
                "estimate_gravity",
                "read_panel",
            ),
            "beltroad.trade.impact": (
                "VALUE_OF_TIME_RANGE",
                "run_impact",
            ),
            "beltroad.trade.panel": (
                "dataset",
                "datasets",
                "import_trade",
                "pair_totals",
                "partners",
                "series",
            ),
            "beltroad.trade.results": (
                "Coefficient",
                "Counterfactual",
                "GravityFit",
                "ImpactRun",
            ),
        },
    )
