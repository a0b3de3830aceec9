"""What routing and scenarios return: routes with their legs, crossings and changes of mode, and
scenario runs with their per-pair, per-country and per-corridor changes.

Kept apart from the algorithms (as AequilibraE keeps ``paths/results``), so a renderer, the API
and a notebook read one typed object, and ``to_json()`` gives the form scripts get.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from beltroad._results import OPTIONAL, Result, key

#: a point as GeoJSON writes it: [lon, lat]
LonLat = tuple[float, float]


@dataclass(frozen=True)
class Endpoint(Result):
    """An end of a route as it was resolved: the query, the name found, where, and its reference
    (a knowledge-base record id, ``geonames:NAME``, or ``city:ISO3`` for a scenario's cities)."""

    query: str
    name: str
    lat: float
    lon: float
    ref: str


@dataclass(frozen=True)
class Leg(Result):
    """A stretch of one mode in one country."""

    mode: str
    country: str
    km: float
    start: LonLat = field(metadata=key("from"))
    end: LonLat | None = field(default=None, metadata=key("to", omit_none=True))
    h: float = 0.0


@dataclass(frozen=True)
class BorderCrossing(Result):
    """A border the route crosses, with the published clearing time where one is measured."""

    mode: str
    from_country: str
    to_country: str
    near: str
    lon: float
    lat: float
    gauge_break: bool
    #: CAREC's measured time to clear (rail only), with its place, year and source; None elsewhere
    measured: dict[str, Any] | None = None


@dataclass(frozen=True)
class ModeChange(Result):
    """A change of mode at a port, dry port or terminal, with the hours it takes."""

    from_mode: str
    to_mode: str
    at: str
    link_km: float
    h: float
    #: the curated dry port's entry (its handling time and citation) where the change is at one
    dry_port: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class AccessLeg(Result):
    """The straight line from a place to the network node a trip starts or ends at."""

    mode: str
    place: str
    km: float


@dataclass(frozen=True)
class TimeSplit(Result):
    """Hours moving, at borders and at transfers (gauge changes included), and their total."""

    moving: float
    border: float
    transfer: float
    total: float


@dataclass(frozen=True)
class CostSplit(Result):
    """US dollars per TEU for haulage, at borders and at transfers."""

    haulage: float
    border: float
    transfer: float


@dataclass(frozen=True)
class ScenarioEffect(Result):
    """What a scenario's links change on one route, against the network without them."""

    id: str
    name: str
    baseline: str
    uses_new_links: bool
    hours_before: float | None
    hours_after: float
    hours_saved: float | None
    km_before: float | None
    km_after: float
    sources: list[dict[str, Any]]


@dataclass(frozen=True)
class Route(Result):
    """The fastest route between two places on one network with one set of parameters."""

    origin: Endpoint = field(metadata=key("from"))
    destination: Endpoint = field(metadata=key("to"))
    mode: str
    distance_km: float
    distance_by_mode_km: dict[str, float]
    time_h: TimeSplit
    days: float
    cost_usd_per_teu: float
    cost_usd_split: CostSplit
    countries: list[str]
    border_crossings: list[BorderCrossing]
    mode_changes: list[ModeChange]
    legs: list[Leg]
    access: list[AccessLeg]
    #: the parameter values used (nested by mode for a multimodal route)
    parameters: dict[str, Any]
    network: str
    #: the route as a GeoJSON Feature (a LineString)
    geometry: dict[str, Any]
    #: km driven on links a scenario added (None on the network as it is)
    added_links_km: float | None = field(default=None, metadata=OPTIONAL)
    scenario: ScenarioEffect | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class PairChange(Result):
    """Hours and dollars per TEU between two places, before and after a scenario."""

    origin: str = field(metadata=key("from"))
    destination: str = field(metadata=key("to"))
    from_point: LonLat
    to_point: LonLat
    hours_before: float | None
    hours_after: float | None
    hours_saved: float | None
    percent_saved: float | None
    usd_before: float | None
    usd_after: float | None


@dataclass(frozen=True)
class CountryChange(Result):
    """The weighted mean change from one country's places to the other countries' places."""

    country: str
    weighted_hours_before: float
    weighted_hours_after: float
    percent_saved: float
    weighted_usd_before: float | None
    weighted_usd_after: float | None
    #: "population", or the trade data set and year that weighted the partners
    weights: str


@dataclass(frozen=True)
class CorridorChange(Result):
    """The weighted mean change between the places of a corridor's countries, or why not measured."""

    corridor: str
    name: str
    countries: list[str]
    note: str | None = field(default=None, metadata=OPTIONAL)
    weighted_hours_before: float | None = field(default=None, metadata=OPTIONAL)
    weighted_hours_after: float | None = field(default=None, metadata=OPTIONAL)
    percent_saved: float | None = field(default=None, metadata=OPTIONAL)
    weights: str | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class Saving(Result):
    """The one city of a highlight whose trip gains most."""

    city: str
    hours_before: float
    hours_after: float
    km_before: float
    km_after: float


@dataclass(frozen=True)
class HighlightChange(Result):
    """A scenario's own question: population-weighted hours from a division's cities to a place."""

    origin: str = field(metadata=key("from"))
    destination: str = field(metadata=key("to"))
    weighted_hours_before: float
    weighted_hours_after: float
    largest_saving: Saving


@dataclass(frozen=True)
class LinkHours(Result):
    """A scenario's link as the network takes it: its ends, hours, and whether it was there already."""

    start: LonLat = field(metadata=key("from"))
    end: LonLat = field(metadata=key("to"))
    hours: float
    already_in_network: bool


@dataclass(frozen=True)
class ScenarioRun(Result):
    """Origin–destination times and costs before and after a scenario's links, for many places."""

    scenario: str
    name: str
    project: str
    links: list[LinkHours]
    baseline: str
    places: int
    left_out: list[dict[str, Any]]
    pairs_improved: int
    pairs: list[PairChange]
    by_country: list[CountryChange]
    by_corridor: list[CorridorChange]
    highlights: list[HighlightChange]
    sources: list[dict[str, Any]]
    #: how the cities were chosen ("500,000+ people", "the 40 largest") and in which countries
    city_rule: str | None = field(default=None, metadata=OPTIONAL)
    city_countries: list[str] | None = field(default=None, metadata=OPTIONAL)
