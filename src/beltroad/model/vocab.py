"""Controlled vocabularies of the domain, as ``Literal`` aliases.

Keeping them here, in one place and free of I/O, lets the loader, the store, the API and the
ingest extractors agree on the same words. Where a word comes from a source document (the six
corridors, the five connectivities, the local terms for partner cities) the curated records of
that word cite it; this module only fixes the spelling.
"""

from __future__ import annotations

from typing import Literal, get_args

RecordKind = Literal[
    "place",
    "actor",
    "event",
    "partnership",
    "agreement",
    "project",
    "corridor",
    "connectivity",
    "strategy",
    "observation",
]
RECORD_KINDS: tuple[str, ...] = get_args(RecordKind)

PlaceKind = Literal[
    "country",
    "macro_region",
    "province",
    "city",
    "district",
    "town",
    "border_crossing",
    "port",
    "site",
]
#: how an administrative level is ranked when a partnership's level is derived from its places
PLACE_LEVEL_WORD: dict[str, str] = {
    "country": "country",
    "macro_region": "region",
    "province": "province",
    "city": "city",
    "district": "district",
    "town": "town",
    "border_crossing": "site",
    "port": "site",
    "site": "site",
}

#: how a representative point was obtained; a region's point is its administrative centre
PointBasis = Literal["own", "capital", "administrative_centre", "representative", "parent"]

ActorKind = Literal[
    "government",
    "government_body",
    "party",
    "company",
    "association",
    "bank",
    "international_organisation",
    "research_institute",
    "media",
    "person",
]

EventKind = Literal[
    "meeting",
    "summit",
    "forum",
    "congress",
    "symposium",
    "decree",
    "publication",
    "policy_announcement",
]

#: friendship, sister, twin and brother city are one relation; the local term is kept beside it
PartnershipKind = Literal["friendship"]

AgreementKind = Literal[
    "investment_cooperation",
    "joint_statement",
    "minutes_of_talks",
    "cooperation_programme",
    "establishment_agreement",
    "memorandum",
]

ProjectKind = Literal[
    # economic zones
    "becz",
    "cbecz",
    "industrial_park",
    "special_economic_zone",
    "development_zone",
    "town_complex",
    # infrastructure assets
    "rail_line",
    "high_speed_rail",
    "rail_network",
    "bridge",
    "road",
    "port",
    "canal",
    "dry_port",
    "shipping_centre",
    "pipeline",
    "power_line",
    "dam",
    "water_transfer",
    "transport_corridor",
]
ZONE_KINDS: frozenset[str] = frozenset(
    {"becz", "cbecz", "industrial_park", "special_economic_zone", "development_zone", "town_complex"}
)
INFRASTRUCTURE_KINDS: frozenset[str] = frozenset(get_args(ProjectKind)) - ZONE_KINDS

ProjectStatus = Literal[
    "proposed",
    "planned",
    "under_construction",
    "operating",
    "completed",
    "stalled",
    "unknown",
]

Field = Literal[
    "trade",
    "commerce",
    "investment",
    "tourism",
    "logistics",
    "transport",
    "industry",
    "energy",
    "finance",
    "culture",
    "ecology",
    "agriculture",
    "customs",
    "urban_development",
    "public_services",
]
#: the fields that count as an economic core in the cooperation model (issue 5 builds on this)
ECONOMIC_FIELDS: frozenset[str] = frozenset(
    {"trade", "commerce", "investment", "tourism", "logistics", "transport", "industry", "finance"}
)

CorridorId = Literal["nelb", "cmrec", "cpec", "ccwaec", "cicpec", "bcimec"]
ConnectivityId = Literal[
    "policy-coordination",
    "facilities-connectivity",
    "unimpeded-trade",
    "financial-integration",
    "people-to-people",
]

StrategyKind = Literal[
    "initiative",
    "plan",
    "national_strategy",
    "regional_strategy",
    "local_strategy",
    "programme",
    "concept",
]

Qualifier = Literal[
    "actual", "committed", "planned", "capacity", "declared", "expected", "estimated", "target"
]
Bound = Literal["exact", "about", "nearly", "more_than", "at_least", "up_to", "at_most"]
MilestoneStatus = Literal["actual", "expected", "planned"]

#: the closed vocabularies the API's schema lists as enums
PROJECT_STATUSES: tuple[str, ...] = get_args(ProjectStatus)
FIELDS: tuple[str, ...] = get_args(Field)
