"""What the trade model returns: gravity fits and general-equilibrium counterfactuals.

A ``GravityFit`` keeps pyfixest's own fit object (as pyfixest returns a ``Feols``), so a researcher
can go on with pyfixest's tools, and carries the figures beltroad reports, typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from beltroad._results import OPTIONAL, PYTHON_ONLY, Result

if TYPE_CHECKING:
    from beltroad.trade.ge import GEResult
    from beltroad.trade.hat import HatSolution


class SolverFigures(TypedDict):
    iterations: int
    residual: float


class CounterfactualAssumptions(TypedDict):
    """What a GE counterfactual on a panel assumed: the closure, the elasticity, the estimated
    coefficients and the shock, and how output and expenditure were read."""

    closure: str
    sigma: float
    reference_importer: str
    coefficients: dict[str, float]
    estimated_with: str
    #: the shock in words, one line a change
    shock: list[str]
    rows_changed: int
    output: str
    expenditure: str
    solver: SolverFigures


class ImpactAssumptions(TypedDict):
    """What a scenario's trade impact assumed: the values of time and their source, how times
    were averaged over cities, the elasticity, the reference and the gravity formula."""

    value_of_time_percent_per_day: list[float]
    value_of_time_source: str
    cities_per_country: int
    time_weighting: str
    sigma: float
    reference_importer: str
    formula: str
    panel_codes_without_cities: NotRequired[list[str]]


#: days a scenario saves between two countries (the population-weighted mean over their cities);
#: "from" is a Python keyword, so the class is made by call
TimeSaving = TypedDict("TimeSaving", {"from": str, "to": str, "days_saved": float})


class ImpactFigures(TypedDict):
    """The fields of an ``ImpactRun`` as ``run_impact`` finds them."""

    scenario: str
    name: str
    countries_of_scenario: list[str]
    covered_by_panel: list[str]
    not_in_panel: list[str]
    assumptions: ImpactAssumptions
    runs: list[dict[str, Any]]
    largest_time_savings_days: NotRequired[list[TimeSaving]]
    note: NotRequired[str]


class SavedLayerBrief(TypedDict):
    """A saved map layer of per-country GE results, as the menu lists it."""

    name: str
    title: str | None
    kind: str | None
    source: str | None
    year: int | None
    saved: str | None


class SavedLayer(TypedDict):
    """A saved map layer: what it is, where it comes from and every country's changes."""

    name: str
    title: str
    kind: str
    source: str
    year: int | None
    saved: str
    assumptions: dict[str, Any]
    #: each country's effects (``CountryEffect.to_json()``) with its ISO numeric code
    countries: list[dict[str, Any]]
    scenario: NotRequired[str]
    folded_into_region: NotRequired[dict[str, list[str]]]
    not_covered: NotRequired[list[str]]


class PartnerShare(TypedDict):
    """One partner of a country in one year: exports to it, imports from it, their sum and share."""

    partner: str
    exports: float
    imports: float
    total: float
    share_percent: float


@dataclass(frozen=True)
class Coefficient(Result):
    """One estimated coefficient with its standard error, test and 95 % interval."""

    name: str
    estimate: float
    std_error: float
    t: float
    p: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class GravityFit(Result):
    """A gravity equation estimated with high-dimensional fixed effects."""

    method: str
    formula: str
    n: int
    dropped: int
    dropped_because: str
    separation: list[str]
    vcov: str
    #: each fixed effect and its number of levels
    fixed_effects: dict[str, int]
    coefficients: list[Coefficient]
    #: pyfixest's fit (``Fepois`` or ``Feols``): predictions, tests, its own summaries
    fit: Any = field(default=None, repr=False, compare=False, metadata=PYTHON_ONLY)

    def coefficient(self, name: str) -> Coefficient:
        """One coefficient by name.

        Parameters
        ----------
        name
            The regressor, as the formula names it.

        Returns
        -------
        Coefficient
            Its estimate, standard error, test and interval.
        """
        for c in self.coefficients:
            if c.name == name:
                return c
        msg = f"no coefficient {name!r}; the fit has {', '.join(c.name for c in self.coefficients)}"
        raise KeyError(msg)


@dataclass(frozen=True)
class Counterfactual(Result):
    """A general-equilibrium counterfactual: per-country changes and the assumptions behind them."""

    #: the solved equilibrium: changes, trade matrices, iterations and residual
    result: GEResult = field(repr=False)
    assumptions: CounterfactualAssumptions

    def to_json(self) -> dict[str, Any]:
        """The assumptions and each country's changes in percent.

        Returns
        -------
        dict
            ``assumptions`` and ``countries`` (one row per country), as ``--json`` prints them.
        """
        return {"assumptions": self.assumptions, "countries": self.result.rows()}


@dataclass(frozen=True)
class ImpactRun(Result):
    """The trade and real-income impact of a transport scenario, one GE run per value of time."""

    scenario: str
    name: str
    countries_of_scenario: list[str]
    covered_by_panel: list[str]
    not_in_panel: list[str]
    #: value of time and its source, cities per country, weighting, sigma, reference, formula
    assumptions: ImpactAssumptions
    #: per value of time: the pairs changed, each country's changes in percent, the solver's residual
    runs: list[dict[str, Any]]
    largest_time_savings_days: list[TimeSaving] = field(default_factory=list)
    #: what the model could not estimate, and why
    note: str | None = field(default=None, metadata={"omit_none": True})


@dataclass(frozen=True)
class Band(Result):
    """A measure over the draws: their mean and the 90 % interval (5th to 95th percentile)."""

    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class CountryEffect(Result):
    """One country's changes in percent, and their bands when the run had draws."""

    country: str
    welfare_change: float
    real_wage_change: float
    nominal_wage_change: float
    price_index_change: float
    foreign_exports_change: float
    foreign_imports_change: float
    domestic_trade_change: float
    #: measure → its mean and 90 % interval over the draws
    bands: dict[str, Band] | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class FlowCounterfactual(Result):
    """A general equilibrium solved from observed flows (exact hat algebra), with its assumptions."""

    #: the data set or file the flows came from, and their year
    source: str
    year: int | None
    theta: float
    imbalance: str
    #: the partial effects and where they came from, the unit, the solver's record, the draws
    assumptions: dict[str, Any]
    countries: list[CountryEffect]
    #: the bootstrapped coefficient of each draw, when the partial effect was estimated
    coefficient_draws: list[float] | None = field(default=None, metadata=OPTIONAL)
    #: the solved point estimate: new flows, wage and price changes, the residual
    solution: HatSolution | None = field(default=None, repr=False, compare=False, metadata=PYTHON_ONLY)

    def country(self, code: str) -> CountryEffect:
        """One country's effects by its code.

        Parameters
        ----------
        code
            ISO alpha-3, or a region such as ROW.

        Returns
        -------
        CountryEffect
            Its changes in percent (and bands, with draws).
        """
        return _country(self.countries, code)


@dataclass(frozen=True)
class FlowImpact(Result):
    """The trade and real-income impact of a transport scenario on observed world flows."""

    scenario: str
    name: str
    #: the data set and year of the baseline flows
    source: str
    year: int | None
    countries_of_scenario: list[str]
    #: the scenario's countries the flows have, those folded into a region, and those named as not covered
    covered: list[str]
    folded_into_region: dict[str, list[str]]
    not_covered: list[str]
    #: θ, imbalances, the value of time and its source, the cost rule, the cities, the draws
    assumptions: dict[str, Any]
    largest_time_savings_days: list[dict[str, Any]]
    #: each country's changes at the middle of the value-of-time range, with bands over the draws
    countries: list[CountryEffect]
    #: welfare and exports at each end of the range
    runs: list[dict[str, Any]] = field(default_factory=list)
    solver: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    #: what the model could not estimate, and why
    note: str | None = field(default=None, metadata=OPTIONAL)

    def country(self, code: str) -> CountryEffect:
        """One country's effects by its code.

        Parameters
        ----------
        code
            ISO alpha-3, or a region such as ROW.

        Returns
        -------
        CountryEffect
            Its changes in percent at the middle of the value-of-time range (and bands, with draws).
        """
        return _country(self.countries, code)


def _country(countries: list[CountryEffect], code: str) -> CountryEffect:
    for c in countries:
        if c.country == code:
            return c
    msg = f"no country {code!r} in the result; it has {', '.join(c.country for c in countries) or 'none'}"
    raise KeyError(msg)
