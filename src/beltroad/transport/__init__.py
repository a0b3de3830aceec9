"""Transport: the rail, road, sea and multimodal networks, routes on them, origin–destination
matrices on contraction hierarchies, and infrastructure scenarios.

This is the package's one door: its siblings, the CLI, the web API and the tests import from
here. Names load on first use, so importing the door costs nothing until a name is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.transport.contraction import contract
    from beltroad.transport.distances import UNITS_PER_HOUR, Distances, Hierarchy, add_links, with_links
    from beltroad.transport.network import MODES, Network, join_parts, load
    from beltroad.transport.results import (
        AccessLeg,
        BorderCrossing,
        CorridorChange,
        CostSplit,
        CountryChange,
        Endpoint,
        HighlightChange,
        Leg,
        LinkHours,
        ModeChange,
        PairChange,
        Route,
        Saving,
        ScenarioEffect,
        ScenarioRun,
        TimeSplit,
    )
    from beltroad.transport.routing import (
        Router,
        gazetteer_endpoint,
        open_router,
        parameter_values,
        resolve_endpoint,
    )
    from beltroad.transport.scenario import (
        DEFAULT_MIN_POPULATION,
        SCENARIOS,
        Scenario,
        TradeWeights,
        cities,
        evaluate_scenario,
        link_hours,
        load_scenario,
        pairs_geojson,
        scenario_route,
        shipped_scenarios,
        weighted_means,
        without_links,
    )

__all__ = [
    "DEFAULT_MIN_POPULATION",
    "MODES",
    "SCENARIOS",
    "UNITS_PER_HOUR",
    "AccessLeg",
    "BorderCrossing",
    "CorridorChange",
    "CostSplit",
    "CountryChange",
    "Distances",
    "Endpoint",
    "Hierarchy",
    "HighlightChange",
    "Leg",
    "LinkHours",
    "ModeChange",
    "Network",
    "PairChange",
    "Route",
    "Router",
    "Saving",
    "Scenario",
    "ScenarioEffect",
    "ScenarioRun",
    "TimeSplit",
    "TradeWeights",
    "add_links",
    "cities",
    "contract",
    "evaluate_scenario",
    "gazetteer_endpoint",
    "join_parts",
    "link_hours",
    "load",
    "load_scenario",
    "open_router",
    "pairs_geojson",
    "parameter_values",
    "resolve_endpoint",
    "scenario_route",
    "shipped_scenarios",
    "weighted_means",
    "with_links",
    "without_links",
]
if not TYPE_CHECKING:  # type checkers read the imports above; a hook would hide missing names
    __getattr__, __dir__ = lazy_door(
        __name__,
        {
            "beltroad.transport.contraction": ("contract",),
            "beltroad.transport.distances": (
                "Distances",
                "Hierarchy",
                "UNITS_PER_HOUR",
                "add_links",
                "with_links",
            ),
            "beltroad.transport.network": (
                "MODES",
                "Network",
                "join_parts",
                "load",
            ),
            "beltroad.transport.results": (
                "AccessLeg",
                "BorderCrossing",
                "CorridorChange",
                "CostSplit",
                "CountryChange",
                "Endpoint",
                "HighlightChange",
                "Leg",
                "LinkHours",
                "ModeChange",
                "PairChange",
                "Route",
                "Saving",
                "ScenarioEffect",
                "ScenarioRun",
                "TimeSplit",
            ),
            "beltroad.transport.routing": (
                "Router",
                "gazetteer_endpoint",
                "open_router",
                "parameter_values",
                "resolve_endpoint",
            ),
            "beltroad.transport.scenario": (
                "DEFAULT_MIN_POPULATION",
                "SCENARIOS",
                "Scenario",
                "TradeWeights",
                "cities",
                "evaluate_scenario",
                "link_hours",
                "load_scenario",
                "pairs_geojson",
                "scenario_route",
                "shipped_scenarios",
                "weighted_means",
                "without_links",
            ),
        },
    )
