"""Units and measures, so a number cannot be stored with a unit that does not fit what it measures.

A measure names what is quantified (trade value, land area, handling capacity); each has one
dimension, and each unit belongs to one dimension. The loader refuses an observation whose unit
is of another dimension than its measure, which catches slips such as an area typed in tonnes.
"""

from __future__ import annotations

from typing import Final

#: unit symbol → (dimension, factor to the dimension's base unit)
UNITS: Final[dict[str, tuple[str, float]]] = {
    "USD": ("money_usd", 1.0),
    "CNY": ("money_cny", 1.0),
    "EUR": ("money_eur", 1.0),
    "RUB": ("money_rub", 1.0),
    "ha": ("area", 10_000.0),
    "m2": ("area", 1.0),
    "km2": ("area", 1_000_000.0),
    "m": ("length", 1.0),
    "km": ("length", 1000.0),
    "km/h": ("speed", 1.0),
    "t/yr": ("mass_flow", 1.0),
    "Mt/yr": ("mass_flow", 1_000_000.0),
    "TEU/yr": ("container_flow", 1.0),
    "percent": ("ratio", 1.0),
    "count": ("count", 1.0),
    "rank": ("rank", 1.0),
    "day": ("duration", 1.0),
    "year": ("duration", 365.25),
}
MONEY_DIMENSIONS: Final[frozenset[str]] = frozenset({"money_usd", "money_cny", "money_eur", "money_rub"})

#: measure → the dimension its unit must have ("money" accepts any currency)
MEASURES: Final[dict[str, str]] = {
    "trade_value": "money",
    "commodity_trade_value": "money",
    "fdi_value": "money",
    "investment": "money",
    "duty_free_allowance": "money",
    "development_finance_commitments": "money",
    "trade_growth": "ratio",
    "interest_rate": "ratio",
    "land_area": "area",
    "floor_area": "area",
    "zone_area": "area",
    "border_length": "length",
    "design_speed": "speed",
    "handling_capacity": "mass_flow",
    "transit_capacity": "mass_flow",
    "container_capacity": "container_flow",
    "border_ports": "count",
    "projects": "count",
    "jobs_created": "count",
    "zones": "count",
    "cities_opened": "count",
    "duty_free_shops": "count",
    "heads_of_state_and_government": "count",
    "trade_partner_rank": "rank",
    "growth_rank_from_bottom": "rank",
    "fee_exemption_period": "duration",
    "visa_free_stay": "duration",
    "construction_time_remaining": "duration",
}


def dimension_of(unit: str) -> str:
    """The dimension a unit measures; raises ``KeyError`` for an unknown unit."""
    return UNITS[unit][0]


def unit_fits_measure(unit: str, measure: str) -> bool:
    """Whether ``unit`` may quantify ``measure``."""
    want = MEASURES[measure]
    have = dimension_of(unit)
    if want == "money":
        return have in MONEY_DIMENSIONS
    return have == want


def to_base(value: float, unit: str) -> float:
    """``value`` in the base unit of its dimension (m², t/yr, m, days…), for comparisons."""
    return value * UNITS[unit][1]
