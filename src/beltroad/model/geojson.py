"""GeoJSON (RFC 7946) as the map layers, exports and results write it.

Typed so that mypy checks the keys every layer writes and every reader takes; the values stay the
plain dictionaries and lists that go to the browser as they are. A collection may carry members
of its own beside ``features`` (RFC 7946 §6.1): how many records had no point (``omitted``),
whether a limit cut it short (``truncated``), what a sweep's design was.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class Geometry(TypedDict):
    """A point, line or polygon: ``coordinates`` nest [lon, lat] positions as its type says."""

    type: Literal["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"]
    coordinates: Any


class Feature(TypedDict):
    """One thing on the map: a geometry (None when it has no place) and its properties."""

    type: Literal["Feature"]
    geometry: Geometry | None
    properties: dict[str, Any]
    id: NotRequired[str | int]


class FeatureCollection(TypedDict):
    """A layer: its features, and what the layer says of itself beside them."""

    type: Literal["FeatureCollection"]
    features: list[Feature]
    #: records of the layer left out for want of a point (never placed at a guessed location)
    omitted: NotRequired[int]
    #: whether the layer stopped at its limit
    truncated: NotRequired[bool]
    #: a sweep's id and design ("all projects built")
    sweep: NotRequired[str]
    design: NotRequired[str]
    #: the scenario whose pairs of cities these are
    scenario: NotRequired[str]
    #: how many communities the friendship-city network's places fall into
    communities: NotRequired[int]
    #: how many pairs of countries the partnership flows join
    pairs: NotRequired[int]
