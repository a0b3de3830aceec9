"""Domain types and controlled vocabularies; no I/O."""

from __future__ import annotations

from beltroad.model.dates import PartialDate, Period
from beltroad.model.geojson import Feature, FeatureCollection, Geometry
from beltroad.model.records import (
    RECORD_TYPES,
    REFERENCE_KINDS,
    Actor,
    Agreement,
    Citation,
    Connectivity,
    Corridor,
    Event,
    Milestone,
    Observation,
    Partnership,
    Place,
    Point,
    Policy,
    Project,
    Record,
    Source,
    Strategy,
    citations_of,
    countries_of,
    record_kind,
)
from beltroad.model.vocab import FIELDS, PROJECT_STATUSES, RECORD_KINDS

__all__ = [
    "FIELDS",
    "PROJECT_STATUSES",
    "RECORD_KINDS",
    "RECORD_TYPES",
    "REFERENCE_KINDS",
    "Actor",
    "Agreement",
    "Citation",
    "Connectivity",
    "Corridor",
    "Event",
    "Feature",
    "FeatureCollection",
    "Geometry",
    "Milestone",
    "Observation",
    "PartialDate",
    "Partnership",
    "Period",
    "Place",
    "Point",
    "Policy",
    "Project",
    "Record",
    "Source",
    "Strategy",
    "citations_of",
    "countries_of",
    "record_kind",
]
