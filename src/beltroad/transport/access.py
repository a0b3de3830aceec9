"""Market access: how well each city reaches the others' markets, and what a project adds to it.

The World Bank's study (Reed & Trubetskoy 2019) values a transport project by the market access it
adds to every city: MA_i = Σ_j M_j · τ_ij^(−θ), with M_j the market size of city j and τ_ij the
iceberg trade cost from i to j, and the increase in land value it implies,
α · M_i · ((MA_i′ / MA_i)^(1/(1+αθ)) − 1). Consumer and firm market access (reaching j's sellers
and j's buyers) are weighted β and 1 − β; on a network whose costs are the same both ways they
are equal.

The trade cost is ad valorem: the cheapest cost of moving one container from i to j, its freight,
fees and the value of the time it spends on the way, divided by the container's value, with a
floor for a city's own market: τ_ij = 1 + max(cost_ij / value, min_cost).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from beltroad.errors import ValidationFailed


@dataclass(frozen=True)
class AccessParameters:
    """The market-access model's parameters (the study's values in its sweep spec)."""

    #: trade elasticity between cities
    theta: float
    #: share of income paid to land
    alpha: float
    #: weight of consumer market access (the rest is firm market access)
    beta: float
    #: the value of one container, to make costs ad valorem
    shipment_usd: float
    #: the value of a container's time in transit, US dollars per hour
    time_usd_per_hour: float
    #: the smallest ad valorem cost, so a city's own market counts at a finite τ
    min_cost: float

    def __post_init__(self) -> None:
        for name in ("theta", "shipment_usd"):
            if getattr(self, name) <= 0:
                msg = f"market access parameter {name} must be above 0, got {getattr(self, name):g}"
                raise ValidationFailed(msg)
        if not 0 <= self.alpha < 1 or not 0 <= self.beta <= 1:
            msg = f"alpha must lie in [0, 1) and beta in [0, 1], got alpha={self.alpha:g}, beta={self.beta:g}"
            raise ValidationFailed(msg)
        if self.time_usd_per_hour < 0 or self.min_cost < 0:
            msg = "time_usd_per_hour and min_cost must not be negative"
            raise ValidationFailed(msg)


def generalised_cost(
    usd: sparse.csr_matrix, hours: sparse.csr_matrix, time_usd_per_hour: float
) -> sparse.csr_matrix:
    """Each edge's US dollars plus the value of its hours: what the cheapest trip minimises."""
    if usd.shape != hours.shape:
        msg = "the cost and time matrices must be over the same network"
        raise ValueError(msg)
    total: sparse.csr_matrix = (usd + hours * time_usd_per_hour).tocsr()
    return total


def iceberg(cost: NDArray[np.float64], p: AccessParameters) -> NDArray[np.float64]:
    """τ = 1 + max(cost / shipment value, min_cost); infinite where no route joins."""
    return 1.0 + np.maximum(cost / p.shipment_usd, p.min_cost)


def market_access(
    cost: NDArray[np.float64], mass: NDArray[np.float64], p: AccessParameters
) -> NDArray[np.float64]:
    """β · consumer MA + (1 − β) · firm MA per city, from the cost matrix (rows: origins).

    Firm market access sums the markets a city's sellers reach (τ_ij), consumer market access the
    sellers that reach it (τ_ji).
    """
    with np.errstate(over="ignore"):
        weight = np.where(np.isfinite(cost), iceberg(cost, p) ** (-p.theta), 0.0)
    firm = weight @ mass
    consumer = weight.T @ mass
    result: NDArray[np.float64] = p.beta * consumer + (1 - p.beta) * firm
    return result


def _ratio(before: NDArray[np.float64], after: NDArray[np.float64]) -> NDArray[np.float64]:
    """MA′ / MA, 1 where a city had no market access to begin with."""
    ratio: NDArray[np.float64] = np.divide(after, before, out=np.ones_like(after), where=before > 0)
    return ratio


def log_change(before: NDArray[np.float64], after: NDArray[np.float64]) -> NDArray[np.float64]:
    """Δ ln MA per city (0 where a city had none)."""
    change: NDArray[np.float64] = np.log(_ratio(before, after))
    return change


def land_value(
    mass: NDArray[np.float64], before: NDArray[np.float64], after: NDArray[np.float64], p: AccessParameters
) -> NDArray[np.float64]:
    """α · M_i · ((MA_i′ / MA_i)^(1/(1+αθ)) − 1): the gain in land value market access brings."""
    ratio = _ratio(before, after)
    gain: NDArray[np.float64] = p.alpha * mass * (ratio ** (1.0 / (1.0 + p.alpha * p.theta)) - 1.0)
    return gain
