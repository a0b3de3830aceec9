"""Trade between countries: bilateral panels, structural gravity estimation and general-equilibrium
counterfactuals (Yotov, Piermartini, Monteiro & Larch 2016), and the trade impact of transport scenarios.

The package's one door (``beltroad._lazy``): siblings, front ends and tests import from here.
"""

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.trade.counterfactual import (
        Shock as Shock,
        run_counterfactual as run_counterfactual,
    )
    from beltroad.trade.covariates import (
        GEODIST_COLUMNS as GEODIST_COLUMNS,
        add_domestic as add_domestic,
        add_geodist as add_geodist,
    )
    from beltroad.trade.ge import (
        CLOSURES as CLOSURES,
        GEModel as GEModel,
        GEResult as GEResult,
        solve as solve,
    )
    from beltroad.trade.gravity import (
        METHODS as METHODS,
        add_derived_columns as add_derived_columns,
        estimate_gravity as estimate_gravity,
        load_panel as load_panel,
        read_panel as read_panel,
    )
    from beltroad.trade.hat import (
        IMBALANCES as IMBALANCES,
        HatSolution as HatSolution,
        solve_flows as solve_flows,
    )
    from beltroad.trade.impact import (
        DEFAULT_THETA as DEFAULT_THETA,
        IMPACT_MIN_POPULATION as IMPACT_MIN_POPULATION,
        VALUE_OF_TIME_RANGE as VALUE_OF_TIME_RANGE,
        partial_from_days as partial_from_days,
        run_impact as run_impact,
        run_impact_flows as run_impact_flows,
    )
    from beltroad.trade.map_layers import (
        layer as layer,
        layers as layers,
        save_layer as save_layer,
    )
    from beltroad.trade.observed import (
        Bootstrap as Bootstrap,
        Flows as Flows,
        counterfactual_from_flows as counterfactual_from_flows,
        estimation_panel as estimation_panel,
        flows_of as flows_of,
        indicator_file as indicator_file,
        latest_flows as latest_flows,
        partial_effects_column as partial_effects_column,
        partial_effects_file as partial_effects_file,
    )
    from beltroad.trade.panel import (
        COVERS as COVERS,
        changed_pairs as changed_pairs,
        dataset as dataset,
        datasets as datasets,
        flows_caveat as flows_caveat,
        import_trade as import_trade,
        pair_totals as pair_totals,
        partner_figures as partner_figures,
        partners as partners,
        series as series,
    )
    from beltroad.trade.results import (
        Band as Band,
        Coefficient as Coefficient,
        Counterfactual as Counterfactual,
        CounterfactualAssumptions as CounterfactualAssumptions,
        CountryEffect as CountryEffect,
        FlowCounterfactual as FlowCounterfactual,
        FlowImpact as FlowImpact,
        GravityFit as GravityFit,
        ImpactAssumptions as ImpactAssumptions,
        ImpactFigures as ImpactFigures,
        ImpactRun as ImpactRun,
        PartnerShare as PartnerShare,
        SavedLayer as SavedLayer,
        SavedLayerBrief as SavedLayerBrief,
        SolverFigures as SolverFigures,
        TimeSaving as TimeSaving,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
