"""Analyses over the knowledge base: the model of inter-city cooperation (profiles, typology), the
friendship-city network, reports and charts.

This is the package's one door: its siblings, the CLI, the web API and the tests import from
here. Names load on first use, so importing the door costs nothing until a name is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.analysis.charts import (
        NETWORK_CHARTS,
        write_network_charts,
        write_partners_chart,
        write_scenario_chart,
        write_series_chart,
    )
    from beltroad.analysis.cooperation import compare_cooperation, load_typology, profile_cooperation
    from beltroad.analysis.partner_network import STEPS, load_partner_graph, network_layer, network_statistics
    from beltroad.analysis.report import write_cooperation_report
    from beltroad.analysis.results import CaseSummary, Characteristic, Comparison, CooperationType, Profile

__all__ = [
    "NETWORK_CHARTS",
    "STEPS",
    "CaseSummary",
    "Characteristic",
    "Comparison",
    "CooperationType",
    "Profile",
    "compare_cooperation",
    "load_partner_graph",
    "load_typology",
    "network_layer",
    "network_statistics",
    "profile_cooperation",
    "write_cooperation_report",
    "write_network_charts",
    "write_partners_chart",
    "write_scenario_chart",
    "write_series_chart",
]
if not TYPE_CHECKING:  # type checkers read the imports above; a hook would hide missing names
    __getattr__, __dir__ = lazy_door(
        __name__,
        {
            "beltroad.analysis.charts": (
                "NETWORK_CHARTS",
                "write_network_charts",
                "write_partners_chart",
                "write_scenario_chart",
                "write_series_chart",
            ),
            "beltroad.analysis.cooperation": (
                "compare_cooperation",
                "load_typology",
                "profile_cooperation",
            ),
            "beltroad.analysis.partner_network": (
                "STEPS",
                "load_partner_graph",
                "network_layer",
                "network_statistics",
            ),
            "beltroad.analysis.report": ("write_cooperation_report",),
            "beltroad.analysis.results": (
                "CaseSummary",
                "Characteristic",
                "Comparison",
                "CooperationType",
                "Profile",
            ),
        },
    )
