"""General equilibrium straight from observed flows: exact hat algebra in the one-sector Armington
model (Dekle, Eaton & Kortum 2007), the method of ge_gravity (Baier, Yotov & Zylkin 2019) and of
the World Bank's BRI general-equilibrium work.

The baseline is the observed matrix of flows, domestic sales included, so nothing is estimated
for it and the model reproduces the data exactly. A counterfactual is a *partial effect* per pair,
``b_ij = -θ · Δ ln τ_ij`` (the change in log trade that the cost change would cause with every
price held fixed), and the trade elasticity ``θ``. With ``π_ij = X_ij / E_j`` and hats for
new-over-old ratios, the equilibrium is the wage (output price) change ``ŵ`` that clears every
market::

    Φ_j    = Σ_i π_ij · exp(b_ij) · ŵ_i^(-θ)                    (price index: P̂_j = Φ_j^(-1/θ))
    X'_ij  = π_ij · exp(b_ij) · ŵ_i^(-θ) / Φ_j · E'_j
    ŵ_i Y_i = Σ_j X'_ij                                         (output sold)

with world output held at its baseline value (the numeraire), and new expenditure ``E'_j`` either
``ŵ_j Y_j + D_j`` (the deficit ``D`` is fixed in dollars: *additive*, ge_gravity's default) or
``ŵ_j E_j`` (expenditure a fixed multiple of output: *multiplicative*, as in Anderson & Yotov 2016).
Welfare is real expenditure, ``E'_j / E_j / P̂_j``; the real wage is ``ŵ_j / P̂_j``.

The solve is the model's own fixed point on ``ŵ`` on whole arrays (two matrix-vector products a
sweep); it stops when no wage moves by more than ``tol`` in a sweep, and otherwise says so with the
last step instead of returning numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from beltroad.errors import NotConverged, ValidationFailed, check_choice

Imbalance = Literal["additive", "multiplicative"]
IMBALANCES: tuple[Imbalance, ...] = get_args(Imbalance)
Array = NDArray[np.float64]
#: the per-country measures a solution reports, each a change in percent
MEASURES = (
    "welfare_change",
    "real_wage_change",
    "nominal_wage_change",
    "price_index_change",
    "foreign_exports_change",
    "foreign_imports_change",
    "domestic_trade_change",
)


@dataclass(frozen=True)
class HatSolution:
    """A solved counterfactual: new flows and each country's changes, with the solver's record."""

    countries: tuple[str, ...]
    baseline: Array
    flows: Array
    #: ratios new / old, one per country
    nominal_wage: Array
    price_index: Array
    welfare: Array
    real_wage: Array
    iterations: int
    #: the largest relative gap between a country's sales and its output at the end (0 up to
    #: rounding with additive deficits; with multiplicative ones the world's spending need not
    #: equal its output, and this is the gap)
    residual: float

    def changes(self) -> dict[str, Array]:
        """Each measure of ``MEASURES`` in percent, one value per country."""
        off = ~np.eye(len(self.countries), dtype=bool)

        def pct(new: Array, old: Array) -> Array:
            return 100.0 * (new / old - 1.0)

        return {
            "welfare_change": 100.0 * (self.welfare - 1.0),
            "real_wage_change": 100.0 * (self.real_wage - 1.0),
            "nominal_wage_change": 100.0 * (self.nominal_wage - 1.0),
            "price_index_change": 100.0 * (self.price_index - 1.0),
            "foreign_exports_change": pct((self.flows * off).sum(axis=1), (self.baseline * off).sum(axis=1)),
            "foreign_imports_change": pct((self.flows * off).sum(axis=0), (self.baseline * off).sum(axis=0)),
            "domestic_trade_change": pct(np.diag(self.flows), np.diag(self.baseline)),
        }


def check_flows(flows: Array, countries: Sequence[str]) -> None:
    """Refuse a baseline the model cannot start from, naming the countries."""
    n = len(countries)
    if flows.shape != (n, n):
        msg = f"the flows need a square {n}×{n} matrix, got {flows.shape}"
        raise ValidationFailed(msg)
    if not np.all(np.isfinite(flows) & (flows >= 0)):
        msg = "the flows must be finite and not negative"
        raise ValidationFailed(msg)
    for side, totals in (("sells nothing", flows.sum(axis=1)), ("buys nothing", flows.sum(axis=0))):
        idle = [countries[int(i)] for i in np.flatnonzero(totals <= 0)]
        if idle:
            msg = f"{', '.join(idle[:10])} {side} in the baseline; a general equilibrium needs every country to trade"
            raise ValidationFailed(msg)


@dataclass(frozen=True)
class _Baseline:
    """Output, expenditure and deficits of the baseline, and how expenditure moves with wages."""

    output: Array
    expenditure: Array
    imbalance: Imbalance
    countries: Sequence[str]

    def spend(self, wage: Array) -> Array:
        y, e = self.output, self.expenditure
        spend = wage * y + (e - y) if self.imbalance == "additive" else wage * e
        if np.all(spend > 0):
            return spend
        bad = [self.countries[int(i)] for i in np.flatnonzero(spend <= 0)]
        msg = (
            f"with additive deficits, expenditure of {', '.join(bad[:10])} falls to zero or below; "
            "the shock is too large for this treatment (try --multiplicative)"
        )
        raise NotConverged(msg)


def solve_flows(
    flows: Array,
    partial: Array,
    *,
    theta: float,
    countries: Sequence[str],
    imbalance: Imbalance = "additive",
    tol: float = 1e-12,
    max_iter: int = 100_000,
) -> HatSolution:
    """The general equilibrium after a partial effect per pair, from observed flows.

    Parameters
    ----------
    flows
        Observed flows, exporters in rows and importers in columns, domestic sales on the
        diagonal.
    partial
        ``b_ij = -θ · Δ ln τ_ij`` per pair, the same shape; 0 where nothing changes.
    theta
        The trade elasticity (above 0); 4 is the value of ge_gravity's example and of Simonovska
        & Waugh (2014).
    countries
        The rows' (and columns') country codes.
    imbalance
        ``additive`` (deficits fixed in dollars) or ``multiplicative`` (fixed shares of output).
    tol, max_iter
        Stop when no wage moves by more than ``tol`` (in logs) in a sweep, or give up after
        ``max_iter`` sweeps with ``NotConverged``.

    Returns
    -------
    HatSolution
        New flows; changes in wages, price indexes, welfare and real wages; the residual.
    """
    check_choice(imbalance, IMBALANCES, "imbalance treatment")
    if not (np.isfinite(theta) and theta > 0):
        msg = f"the trade elasticity theta must be a positive number, got {theta}"
        raise ValidationFailed(msg)
    check_flows(flows, countries)
    if partial.shape != flows.shape or not np.all(np.isfinite(partial)):
        msg = "the partial effects must be a finite matrix of the flows' shape"
        raise ValidationFailed(msg)
    y = flows.sum(axis=1)
    e = flows.sum(axis=0)
    baseline = _Baseline(y, e, imbalance, countries)
    shares = flows / e  # π_ij: column j is what importer j spends on each origin
    weighted = shares * np.exp(partial)
    wage = np.ones(len(y))
    world = y.sum()
    step = np.inf
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        spend = baseline.spend(wage)
        offer = wage**-theta
        phi = offer @ weighted  # Φ_j
        demand = weighted @ (spend / phi)  # Σ_j π_ij e^b_ij E'_j / Φ_j, before ŵ_i^(-θ)
        new = (demand / y) ** (1.0 / (1.0 + theta))
        new *= world / (new @ y)
        step = float(np.max(np.abs(np.log(new / wage))))
        wage = new
        if not np.isfinite(step) or step < tol:
            break
    if not step < tol:
        msg = (
            f"the general equilibrium did not converge in {iterations} iterations "
            f"(the last wage step was {step:.3g}, the tolerance {tol:g})"
        )
        raise NotConverged(msg)
    spend = baseline.spend(wage)
    offer = wage**-theta
    phi = offer @ weighted
    sales = offer * (weighted @ (spend / phi))
    # with additive deficits the world adds up and every market clears; with multiplicative ones
    # world spending is Σ ŵ_j E_j, not world output, and the gap is what is left here (ge_gravity's too)
    residual = float(np.max(np.abs(sales / (wage * y) - 1.0)))
    price = phi ** (-1.0 / theta)
    new_flows = weighted * np.outer(offer, spend / phi)
    return HatSolution(
        countries=tuple(countries),
        baseline=flows,
        flows=new_flows,
        nominal_wage=wage,
        price_index=price,
        welfare=spend / e / price,
        real_wage=wage / price,
        iterations=iterations,
        residual=residual,
    )
