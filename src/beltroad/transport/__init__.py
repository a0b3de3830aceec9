"""Transport: the rail, road, sea and multimodal networks, routes on them, origin–destination
matrices on contraction hierarchies, and infrastructure scenarios.

The package's one door (``beltroad._lazy``): siblings, front ends and tests import from here.
"""

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.transport.access import (
        AccessParameters as AccessParameters,
        generalised_cost as generalised_cost,
        land_value as land_value,
        log_change as log_change,
        market_access as market_access,
    )
    from beltroad.transport.borders import (
        BorderCosts as BorderCosts,
        read_border_costs as read_border_costs,
    )
    from beltroad.transport.changes import (
        CHANGE_KINDS as CHANGE_KINDS,
    )
    from beltroad.transport.contraction import (
        contract as contract,
    )
    from beltroad.transport.cost_sets import (
        CostSet as CostSet,
        cost_set_names as cost_set_names,
        load_cost_set as load_cost_set,
    )
    from beltroad.transport.distances import (
        UNITS_PER_HOUR as UNITS_PER_HOUR,
        UNITS_PER_USD as UNITS_PER_USD,
        Distances as Distances,
        Hierarchy as Hierarchy,
        add_links as add_links,
        through_links as through_links,
        with_links as with_links,
    )
    from beltroad.transport.modes import (
        MODE_REGISTRY as MODE_REGISTRY,
        MODES as MODES,
        SINGLE_MODES as SINGLE_MODES,
        ModeSpec as ModeSpec,
        modes_help as modes_help,
    )
    from beltroad.transport.network import (
        Network as Network,
        is_cached as is_cached,
        join_parts as join_parts,
        load as load,
    )
    from beltroad.transport.results import (
        AccessLeg as AccessLeg,
        BorderCrossing as BorderCrossing,
        CorridorChange as CorridorChange,
        CostSplit as CostSplit,
        CountryChange as CountryChange,
        Endpoint as Endpoint,
        HighlightChange as HighlightChange,
        Leg as Leg,
        LinkHours as LinkHours,
        ModeChange as ModeChange,
        PairChange as PairChange,
        Route as Route,
        Saving as Saving,
        ScenarioEffect as ScenarioEffect,
        ScenarioRun as ScenarioRun,
        TimeSplit as TimeSplit,
    )
    from beltroad.transport.routing import (
        Router as Router,
        gazetteer_endpoint as gazetteer_endpoint,
        open_router as open_router,
        parameter_values as parameter_values,
        resolve_endpoint as resolve_endpoint,
    )
    from beltroad.transport.scenario import (
        DEFAULT_MIN_POPULATION as DEFAULT_MIN_POPULATION,
        SCENARIOS as SCENARIOS,
        Scenario as Scenario,
        TradeWeights as TradeWeights,
        cities as cities,
        evaluate_scenario as evaluate_scenario,
        link_hours as link_hours,
        load_scenario as load_scenario,
        pairs_geojson as pairs_geojson,
        scenario_route as scenario_route,
        shipped_scenarios as shipped_scenarios,
        weighted_means as weighted_means,
        without_links as without_links,
    )
    from beltroad.transport.study import (
        ProjectEdge as ProjectEdge,
        Spot as Spot,
        StudyProject as StudyProject,
        project_edges as project_edges,
        study_projects as study_projects,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
