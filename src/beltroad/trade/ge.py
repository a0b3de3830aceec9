"""General-equilibrium counterfactuals of the one-sector structural gravity model.

Notation follows Anderson & van Wincoop (2003) and Yotov, Piermartini, Monteiro & Larch (2016),
chapter 2. For exporter i and importer j, ``T[i, j] = t_ij^(1-σ)`` is the trade-cost index (the
exponential of the estimated cost terms), ``Y`` output, ``E`` expenditure, ``P`` the inward and
``Π`` the outward multilateral resistance, ``p`` the factory-gate price, and

    X_ij = T_ij · C_i · E_j · A_j,   A_j = 1 / P_j^(1-σ) = 1 / Σ_i T_ij C_i,   C_i = (β_i p_i)^(1-σ)

with ``C`` set so that each country's sales add up to its output and ``P`` of the reference
importer fixed at 1 (the numeraire).

Two closures are offered, because the literature's tools differ and users compare with both:

``fixed-shares`` (the default) is the system of the USITC package gegravity: the multilateral
resistances are solved with the baseline output and expenditure shares, and the price follows from
the change in outward resistance. It converges for any shock (checked against gegravity to 1e-4 in
the tests).

``geppml`` is the full endowment general equilibrium of the book (chapter 2): output
is ``p_i`` times a fixed endowment, expenditure keeps its ratio ``φ`` to output, and prices follow
from the exporter effects. The book reaches it by re-estimating PPML in a loop; every re-estimation
there is an exact fit, so here the loop runs in closed form on arrays, to the same numbers as the
book's application (checked in the tests on the book's data). The book's recursion is only
marginally stable: it settles for large shocks such as removing all borders, but can drift away for
small ones, and then this closure says so instead of returning numbers.

The two differ by design, not by error: with deficits held as ratios (``φ``), the counterfactual
world no longer adds up exactly, and each tool settles that differently. On gegravity's sample
the price changes differ by about a tenth; say which closure a figure comes from.

Both are solved by fixed-point iteration on whole arrays (no per-pair Python loops), so a
200-country problem takes well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from beltroad.errors import NotConverged, ValidationFailed, check_choice

Closure = Literal["geppml", "fixed-shares"]
CLOSURES: tuple[Closure, ...] = ("geppml", "fixed-shares")
Array = NDArray[np.float64]
#: iterations in a row without a new smallest price step before the book's procedure is given up
DIVERGENCE_PATIENCE = 200


@dataclass(frozen=True)
class GEModel:
    """A baseline world: countries, output, expenditure and trade costs, ready to be shocked."""

    countries: tuple[str, ...]
    output: Array
    expenditure: Array
    costs: Array  # T = t^(1-σ), exporters in rows, importers in columns
    sigma: float
    reference: str

    def __post_init__(self) -> None:
        n = len(self.countries)
        problems = []
        if len(set(self.countries)) != n:
            problems.append("countries repeat")
        if self.output.shape != (n,) or self.expenditure.shape != (n,):
            problems.append(f"output and expenditure need one value per country ({n})")
        if self.costs.shape != (n, n):
            problems.append(f"costs need a square {n}×{n} matrix, got {self.costs.shape}")
        if not problems:
            for name, values in (("output", self.output), ("expenditure", self.expenditure)):
                bad = [self.countries[i] for i in np.flatnonzero(~(np.isfinite(values) & (values > 0)))]
                if bad:
                    problems.append(f"{name} must be positive and finite; not for {', '.join(bad[:10])}")
            if not np.all(np.isfinite(self.costs) & (self.costs >= 0)):
                problems.append("trade-cost indexes must be finite and not negative")
        if not self.sigma > 1:
            problems.append(f"the elasticity of substitution must be above 1, got {self.sigma}")
        if self.reference not in self.countries:
            problems.append(f"the reference importer {self.reference!r} is not among the countries")
        if problems:
            raise ValidationFailed("GE model: " + "; ".join(problems))

    @property
    def ref(self) -> int:
        return self.countries.index(self.reference)


@dataclass
class GEResult:
    """Per-country changes in percent, with the equilibria they come from."""

    model: GEModel
    closure: Closure
    countries: tuple[str, ...]
    changes: dict[str, Array]
    baseline_trade: Array
    conditional_trade: Array
    counterfactual_trade: Array
    iterations: int
    residual: float
    levels: dict[str, Array] = field(default_factory=dict)

    def rows(self) -> list[dict[str, str | float]]:
        """One dictionary per country: the code and each change in percent (by the names of
        ``changes``, which a prefix such as ``conditional_`` may extend)."""
        return [
            {"country": c, **{k: float(v[i]) for k, v in self.changes.items()}}
            for i, c in enumerate(self.countries)
        ]


def _resistances(
    costs: Array, output: Array, expenditure: Array, ref: int, *, tol: float, max_iter: int
) -> tuple[Array, Array, int, float]:
    """Solve ``A_j Σ_i T_ij C_i = 1`` and ``C_i Σ_j T_ij E_j A_j = Y_i`` with ``A_ref = 1``.

    Alternating updates (the RAS or Sinkhorn scheme) converge because both maps are monotone; each
    sweep is two matrix-vector products.
    """
    a = np.ones(len(output))
    c = output / (costs @ (expenditure * a))
    residual = np.inf
    for iteration in range(1, max_iter + 1):
        a = 1.0 / (costs.T @ c)
        c = output / (costs @ (expenditure * a))
        scale = a[ref]
        a, c = a / scale, c * scale
        residual = float(np.max(np.abs(a * (costs.T @ c) - 1.0)))
        if residual < tol:
            return a, c, iteration, residual
    msg = f"the multilateral resistances did not converge in {max_iter} iterations (residual {residual:.3g})"
    raise NotConverged(msg)


def _geppml(
    model: GEModel,
    costs: Array,
    start: tuple[Array, Array],
    cond: tuple[Array, Array],
    *,
    tol: float,
    max_iter: int,
) -> tuple[Array, Array, Array, Array, Array, int, float]:
    """The book's iterated-PPML procedure for the full endowment equilibrium, done in closed form.

    Each of the book's PPML re-estimations fits exporter and importer effects to a matrix that is
    already of the form ``exp(π_i + χ_j) · T_ij``, so the fit is exact and the step reduces to
    updating ``π`` and ``χ``; what is left is the book's price, output, expenditure and resistance
    updates, here on whole arrays. Returns the final ``π`` and ``χ`` (importer effect of the
    reference fixed at 1), outputs, expenditures, the reference expenditure, iterations and the
    last price step.
    """
    y, e, sigma, ref = model.output, model.expenditure, model.sigma, model.ref
    phi, power = e / y, 1 / (1 - sigma)
    pi0, _chi0 = start
    pi, chi = cond
    e_ref = e[ref]
    dp = (pi / pi0) ** power  # the reference expenditure is unchanged in the conditional step
    omr, imr = y * e_ref / pi, e / (chi * e_ref)
    d_omr = d_imr = np.ones_like(y)
    step, smallest, growing = np.inf, np.inf, 0
    for iteration in range(1, max_iter + 1):
        new_pi, new_chi = pi * dp / d_omr, chi * dp / d_imr
        new_pi, new_chi = new_pi * new_chi[ref], new_chi / new_chi[ref]
        out = new_pi * (costs @ new_chi)
        spend = phi * out
        new_e_ref = spend[ref]
        dp = ((new_pi / new_e_ref) / (pi / e_ref)) ** power
        new_omr, new_imr = out * new_e_ref / new_pi, spend / (new_chi * new_e_ref)
        d_omr, d_imr = new_omr / omr, new_imr / imr
        pi, chi, e_ref, omr, imr = new_pi, new_chi, new_e_ref, new_omr, new_imr
        step = float(np.max(np.abs(dp - 1.0)))
        if step < tol:
            return pi, chi, out, spend, np.array([e_ref]), iteration, step
        # the book's recursion is only marginally stable: for small shocks it can drift away
        smallest = min(smallest, step)
        growing = growing + 1 if step > smallest else 0
        if not np.isfinite(step) or step > 1e3 * smallest or growing > DIVERGENCE_PATIENCE:
            msg = (
                f"the book's iterated procedure does not settle on this problem (price step {step:.3g} after "
                f"{iteration} iterations, down to {smallest:.3g} before); the fixed-shares closure solves it"
            )
            raise NotConverged(msg)
    msg = f"the general equilibrium did not converge in {max_iter} iterations (last price step {step:.3g})"
    raise NotConverged(msg)


def _pct(new: Array, old: Array) -> Array:
    return 100.0 * (new / old - 1.0)


def _trade_changes(prefix: str, base: Array, new: Array) -> dict[str, Array]:
    off = ~np.eye(len(base), dtype=bool)
    return {
        f"{prefix}foreign_exports_change": _pct((new * off).sum(axis=1), (base * off).sum(axis=1)),
        f"{prefix}foreign_imports_change": _pct((new * off).sum(axis=0), (base * off).sum(axis=0)),
        f"{prefix}intranational_trade_change": _pct(np.diag(new), np.diag(base)),
    }


def solve(
    model: GEModel,
    new_costs: Array,
    *,
    closure: Closure = "fixed-shares",
    tol: float = 1e-12,
    max_iter: int = 100_000,
) -> GEResult:
    """The conditional and full general-equilibrium effects of moving trade costs to ``new_costs``.

    Raises ``NotConverged`` with the residual rather than return numbers from a failed solve.
    """
    check_choice(closure, CLOSURES, "closure")
    if new_costs.shape != model.costs.shape or not np.all(np.isfinite(new_costs) & (new_costs >= 0)):
        msg = "the counterfactual trade costs must be a finite, non-negative matrix of the baseline's shape"
        raise ValidationFailed(msg)
    y, e, sigma, ref = model.output, model.expenditure, model.sigma, model.ref
    ys, es = y / y.sum(), e / e.sum()
    a0, c0, n0, _r0 = _resistances(model.costs, ys, es, ref, tol=tol, max_iter=max_iter)
    base = model.costs * np.outer(c0, e * a0)
    # conditional GE: resistances adjust, output and expenditure do not
    a1, c1, n1, r1 = _resistances(new_costs, ys, es, ref, tol=tol, max_iter=max_iter)
    conditional = new_costs * np.outer(c1, e * a1)
    power = 1 / (1 - sigma)
    if closure == "geppml":
        # exporter and importer effects with the reference importer's effect at 1, as in the book
        start = (c0 * e[ref], e * a0 / e[ref])
        cond = (c1 * e[ref], e * a1 / e[ref])
        pi, chi, _out, spend, e_ref, n2, residual = _geppml(
            model, new_costs, start, cond, tol=tol, max_iter=max_iter
        )
        p = ((pi / e_ref[0]) / (start[0] / e[ref])) ** power
        y2 = p * y
        e2 = (e / y) * y2
        omr_new, imr_new = y2 * e_ref[0] / pi, spend / (chi * e_ref[0])
        trade = new_costs * np.outer(y2 / omr_new, e2 / imr_new)
        omr0, omr2 = (y * e[ref] / start[0]) ** power, omr_new**power
        imr0, imr2 = (e / (start[1] * e[ref])) ** power, imr_new**power
    else:
        # gegravity: resistances solved with baseline shares; price from the outward resistance
        p = (c1 / c0) ** power
        n2, residual = 0, r1
        y2, e2 = p * y, e * p
        trade = new_costs * np.outer(c1 * (y2 / y2.sum()) / ys, e2 * a1)
        imr0, imr2 = a0 ** (1 / (sigma - 1)), a1 ** (1 / (sigma - 1))
        omr0, omr2 = (ys / c0) ** power, (ys / c1) ** power
    changes = {
        "factory_gate_price_change": _pct(p, np.ones_like(p)),
        "imr_change": _pct(imr2, imr0),
        "omr_change": _pct(omr2, omr0),
        "real_gdp_change": _pct(y2 / imr2, y / imr0),
        "welfare_change": _pct(e2 / imr2, e / imr0),
        "terms_of_trade_change": _pct(p / imr2, 1.0 / imr0),
        "output_change": _pct(y2, y),
        "expenditure_change": _pct(e2, e),
        **_trade_changes("conditional_", base, conditional),
        **_trade_changes("", base, trade),
    }
    return GEResult(
        model=model,
        closure=closure,
        countries=model.countries,
        changes=changes,
        baseline_trade=base,
        conditional_trade=conditional,
        counterfactual_trade=trade,
        iterations=n0 + n1 + n2,
        residual=residual,
        levels={
            "price": p,
            "imr_baseline": imr0,
            "imr": imr2,
            "omr_baseline": omr0,
            "omr": omr2,
            "output": y2,
        },
    )
