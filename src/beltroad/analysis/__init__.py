"""Analyses over the knowledge base: the model of inter-city cooperation (profiles, typology), the
friendship-city network, reports and charts.

The package's one door (``beltroad._lazy``): siblings, front ends and tests import from here.
"""

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.analysis.charts import (
        NETWORK_CHARTS as NETWORK_CHARTS,
        write_effects_chart as write_effects_chart,
        write_network_charts as write_network_charts,
        write_partners_chart as write_partners_chart,
        write_scenario_chart as write_scenario_chart,
        write_series_chart as write_series_chart,
    )
    from beltroad.analysis.cooperation import (
        compare_cooperation as compare_cooperation,
        load_typology as load_typology,
        profile_cooperation as profile_cooperation,
    )
    from beltroad.analysis.partner_network import (
        STEPS as STEPS,
        NetworkStatistics as NetworkStatistics,
        load_partner_graph as load_partner_graph,
        network_layer as network_layer,
        network_statistics as network_statistics,
        partnership_flows as partnership_flows,
    )
    from beltroad.analysis.report import (
        write_cooperation_report as write_cooperation_report,
    )
    from beltroad.analysis.results import (
        CaseFigures as CaseFigures,
        CaseSummary as CaseSummary,
        Characteristic as Characteristic,
        CharacteristicFigures as CharacteristicFigures,
        Comparison as Comparison,
        ComparisonFigures as ComparisonFigures,
        CooperationType as CooperationType,
        Profile as Profile,
        ProfileFigures as ProfileFigures,
        Subject as Subject,
        TypeVerdict as TypeVerdict,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
