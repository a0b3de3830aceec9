"""The verbs of the public API (``import beltroad as br``), each one step a researcher takes.

Each verb assembles what the packages offer through their doors (store, analysis, transport,
trade), so the CLI, the web API and a notebook call the same function and get the same object.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beltroad.errors import ValidationFailed, check_choice
from beltroad.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from beltroad.analysis import Comparison, Profile
    from beltroad.store import CountryFigures
    from beltroad.trade import Counterfactual, FlowCounterfactual, FlowImpact, GravityFit, ImpactRun
    from beltroad.transport import Route, Router, Scenario, ScenarioRun, TradeWeights


def _settings(settings: Settings | None) -> Settings:
    return settings if settings is not None else Settings()


def open_store(url: str | None = None, *, create: bool = False, settings: Settings | None = None) -> Engine:
    """Open the knowledge base: the embedded SQLite file by default, or any SQLAlchemy URL.

    Parameters
    ----------
    url
        ``sqlite:///path`` or ``postgresql+psycopg://user:password@host/db``; default
        ``BELTROAD_DATABASE_URL``, else ``var/beltroad.sqlite``.
    create
        Create the schema and load the curated knowledge base when the store is new (as
        ``beltroad serve`` does); otherwise a store that is not initialised is an error.
    settings
        Where the default URL comes from (default: the environment).

    Returns
    -------
    sqlalchemy.Engine
        The engine the other verbs take as ``store``.

    Raises
    ------
    StoreError
        When the store is not initialised and ``create`` is False.

    Examples
    --------
    >>> import beltroad as br
    >>> store = br.open_store("sqlite:///var/beltroad.sqlite", create=True)  # doctest: +SKIP
    """
    from beltroad.store import engine_from_url, ensure_store, require_store

    engine = engine_from_url(url or _settings(settings).resolved_database_url())
    if create:
        ensure_store(engine)
    else:
        require_store(engine)
    return engine


def _store(store: Engine | None, settings: Settings | None) -> Engine:
    return store if store is not None else open_store(settings=settings)


def profile(name: str, other: str | None = None, *, store: Engine | None = None) -> Profile:
    """The cooperation profile of a case, or of the cooperation between two places.

    Parameters
    ----------
    name
        A project, partnership or place: id, name or alias.
    other
        A second place: the profile of the pair (their partnerships and joint projects).
    store
        The knowledge base (default: ``open_store()``).

    Returns
    -------
    Profile
        The paper's three characteristics, each with the records and citations it rests on; the
        partnership → agreement → project chain; fields; connectivities; the type; gaps.

    Examples
    --------
    >>> br.profile("Belarusian-style town").type.name  # doctest: +SKIP
    """
    from beltroad.analysis import Profile, profile_cooperation

    with _store(store, None).connect() as conn:
        return Profile.from_json(profile_cooperation(conn, name, other))


def compare(names: Sequence[str], *, store: Engine | None = None) -> Comparison:
    """Cooperation cases side by side, each classified by the documented typology and why.

    Parameters
    ----------
    names
        Two or more projects or partnerships.
    store
        The knowledge base (default: ``open_store()``).

    Returns
    -------
    Comparison
        ``cases`` (each with its type and characteristics), ``distinct_types`` and the ``profiles``.

    Examples
    --------
    >>> br.compare(["horgos-center", "belarusian-style-town"]).distinct_types  # doctest: +SKIP
    """
    from beltroad.analysis import CaseSummary, Comparison, CooperationType, Profile, compare_cooperation

    with _store(store, None).connect() as conn:
        found = compare_cooperation(conn, list(names))
    cases = [
        CaseSummary(
            id=c["id"],
            name=c["name"],
            type=CooperationType(**c["type"]),
            characteristics=c["characteristics"],
            fields=c["fields"],
            countries=c["countries"],
            chain_complete=c["chain_complete"],
        )
        for c in found["cases"]
    ]
    return Comparison(cases, found["distinct_types"], [Profile.from_json(p) for p in found["profiles"]])


def country_figures(
    measure: str,
    *,
    period: str | None = None,
    counterpart: str | None = None,
    unit: str | None = None,
    qualifier: str | None = None,
    scope: str | None = None,
    store: Engine | None = None,
) -> CountryFigures:
    """One figure per country, each with its records and citations: what the map colours by.

    Parameters
    ----------
    measure
        An observation's measure about countries (``development_finance_commitments`` after
        importing AidData's commitments), or ``bri_cooperation_document_year``: the year each
        country first signed a BRI document (after importing the signatories).
    period, counterpart, unit, qualifier, scope
        Pick one series where the measure has several (``beltroad figures`` lists them).
    store
        The knowledge base (default: ``open_store()``).

    Returns
    -------
    CountryFigures
        The countries by value, largest first, with ISO numeric codes for Natural Earth's shapes;
        countries whose records disagree are named in ``conflicting`` and left out.

    Examples
    --------
    >>> figures = br.country_figures("development_finance_commitments")  # doctest: +SKIP
    >>> {c.country: c.value for c in figures.countries}["PAK"]  # doctest: +SKIP
    """
    from beltroad.store import country_figures as read_figures

    with _store(store, None).connect() as conn:
        return read_figures(
            conn, measure, unit=unit, qualifier=qualifier, period=period, counterpart=counterpart, scope=scope
        )


def route(
    origin: str,
    destination: str,
    *,
    mode: str = "rail",
    params: dict[str, float] | None = None,
    scenario: str | None = None,
    costs: str | None = None,
    store: Engine | None = None,
    settings: Settings | None = None,
) -> Route:
    """The fastest route between two places, with its time, cost, legs and border crossings.

    Parameters
    ----------
    origin, destination
        Places: a knowledge-base name or id (Chongqing, Horgos) or a GeoNames city (Duisburg,
        'Chita (RU)').
    mode
        ``rail``, ``road``, ``sea`` or ``multimodal`` (the fastest mix).
    params
        Overrides of ``params.yaml``: ``{"border_crossing_h": 24}``; multimodal ``{"road.speed_kmh": 50}``.
    scenario
        A scenario id or YAML file: the route with its links and the time saved against the
        network without them.
    costs
        A published model's parameters instead of beltroad's (``reed-trubetskoy-2019``: the World
        Bank market-access study's freight rates and fees); ``params`` still override them.
    store, settings
        The knowledge base and the folder of cached networks (defaults: the environment's).

    Returns
    -------
    Route
        Distance, time split (moving, border, transfer), cost per TEU, legs by mode and country,
        border crossings, mode changes, access legs, parameters and the GeoJSON geometry; with a
        scenario, its ``scenario`` effect. ``.to_json()`` gives what ``beltroad route --json`` prints.

    Examples
    --------
    >>> br.route("Chongqing", "Duisburg").days  # doctest: +SKIP
    """
    from beltroad.transport import (
        MODES,
        load_cost_set,
        load_scenario,
        open_router,
        resolve_endpoint,
        scenario_route,
    )

    check_choice(mode, MODES, "mode")
    overrides = {**(load_cost_set(costs).overrides(mode) if costs else {}), **(params or {})}
    settings = _settings(settings)
    with _store(store, settings).connect() as conn:
        start, end = resolve_endpoint(conn, origin), resolve_endpoint(conn, destination)
    router = open_router(mode, settings.data_dir / "transport", overrides)
    if scenario is None:
        return router.route(start, end)
    return scenario_route(router, load_scenario(scenario), start, end)


def _trade_weights(name: str, places: list[Any], settings: Settings) -> TradeWeights:
    """Trade between the places' countries in a data set's latest year, for per-country weights."""
    from beltroad.trade import dataset, pair_totals
    from beltroad.transport import TradeWeights

    ds = dataset(settings.data_dir, name)
    year, totals = pair_totals(ds, sorted({p.ref.split(":")[1] for p in places}))
    if year is None:
        msg = f"trade data set {name!r} has no trade between the scenario's countries"
        raise ValidationFailed(msg)
    return TradeWeights(f"{ds.name}, {year}", totals)


def run_scenario(
    name: str,
    *,
    cities: int | None = None,
    countries: Sequence[str] | None = None,
    trade_weights: str | None = None,
    store: Engine | None = None,
    settings: Settings | None = None,
    router: Router | None = None,
) -> ScenarioRun:
    """Origin–destination times and costs before and after a scenario's links, for many cities.

    Parameters
    ----------
    name
        A shipped scenario id (``beltroad scenario list``) or a scenario YAML file.
    cities
        Pair the N largest cities of ``countries`` (default: every city of 500,000 people or more
        in the countries of the six corridors and of the scenario).
    countries
        ISO3 codes whose cities to pair (default: the scenario's).
    trade_weights
        An imported trade data set: weigh each country's partners by their trade in its latest
        year instead of by population.
    store, settings
        The knowledge base (for the corridors) and the folder of cached networks.
    router
        A router to reuse (default: one on the scenario's mode's network).

    Returns
    -------
    ScenarioRun
        Per pair, per country and per corridor weighted hours and dollars before and after, the
        scenario's highlights, the improved pairs, the cities left out and how they were chosen.

    Examples
    --------
    >>> br.run_scenario("tongjiang-railway-bridge").pairs_improved  # doctest: +SKIP
    """
    from beltroad.store import corridors as live_corridors
    from beltroad.transport import (
        DEFAULT_MIN_POPULATION,
        cities as largest_cities,
        evaluate_scenario,
        load_scenario,
        open_router,
    )

    settings = _settings(settings)
    scenario = load_scenario(name)
    with _store(store, settings).connect() as conn:
        corridors = live_corridors(conn)
    if cities is None and not countries:
        chosen = sorted({c for k in corridors for c in k["countries"]} | set(scenario.countries))
        places, weights = largest_cities(chosen, limit=10_000, min_population=DEFAULT_MIN_POPULATION)
        rule = f"{DEFAULT_MIN_POPULATION:,}+ people"
    else:
        chosen = [c.upper() for c in countries] if countries else scenario.countries
        places, weights = largest_cities(chosen, limit=cities or 100)
        rule = f"the {len(places)} largest"
    trade = _trade_weights(trade_weights, places, settings) if trade_weights is not None else None
    router = router or open_router(scenario.mode, settings.data_dir / "transport")
    result = evaluate_scenario(router, scenario, places, weights, corridors, trade=trade)
    return dataclasses.replace(result, city_rule=rule, city_countries=chosen)


def estimate(
    data: str | Path,
    formula: str,
    *,
    method: str = "ppml",
    cluster: str | None = None,
    where: str | None = None,
    settings: Settings | None = None,
) -> GravityFit:
    """A gravity equation with high-dimensional fixed effects, by PPML (Santos Silva & Tenreyro
    2006) or OLS, through pyfixest.

    Parameters
    ----------
    data
        An imported data set's name (``wiod``) or a bilateral panel: .csv, .csv.gz, .parquet or
        .dta(.gz).
    formula
        pyfixest's formula, e.g. ``"trade ~ log_dist + cntg | exp_year + imp_year"``; ``log_X``,
        ``exp_year``, ``imp_year`` and ``pair_id`` (directed) are made when the data lacks them.
    method
        ``ppml`` or ``ols`` (on log trade, zeros dropped).
    cluster
        Cluster the standard errors by this column.
    where
        An SQL condition on the rows, applied before they are read into memory.
    settings
        Where imported data sets are (default: the environment's).

    Returns
    -------
    GravityFit
        Coefficients with standard errors and intervals, N, fixed effects, dropped observations,
        the separation check, and pyfixest's own fit (``.fit``).

    Examples
    --------
    >>> br.estimate(Path("panel.csv"), "trade ~ log_dist | exporter + importer")  # doctest: +SKIP
    """
    from beltroad.trade import METHODS, estimate_gravity, load_panel

    chosen = check_choice(method, METHODS, "method")
    frame, _ = load_panel(_settings(settings).data_dir, data, where)
    return estimate_gravity(frame, formula, method=chosen, cluster=cluster)


def counterfactual(
    data: str | Path,
    formula: str,
    *,
    reference: str,
    sigma: float = 7.0,
    where: str | None = None,
    set_values: dict[str, float] | None = None,
    pairs_where: str | None = None,
    coefficients: dict[str, float] | None = None,
    cost_changes: Path | None = None,
    closure: str = "fixed-shares",
    output: str | None = None,
    expenditure: str | None = None,
    settings: Settings | None = None,
) -> Counterfactual:
    """General-equilibrium effects of a change in trade costs (Yotov et al. 2016, chapter 2).

    Parameters
    ----------
    data, formula, where
        The panel, its gravity formula (with exporter and importer effects) and a row condition.
    reference
        The reference importer, whose inward resistance stays 1.
    sigma
        The elasticity of substitution (above 1).
    set_values, pairs_where
        Set variables (``{"pta": 1}``) on the rows the SQL condition selects.
    coefficients
        New coefficients (``{"intl": 0}``: borders cost nothing).
    cost_changes
        A CSV of exporter, importer, change_percent (ad-valorem trade cost).
    closure
        ``fixed-shares`` (gegravity's) or ``geppml`` (the book's).
    output, expenditure
        Columns of output and expenditure (default: exports and imports summed).
    settings
        Where imported data sets are (default: the environment's).

    Returns
    -------
    Counterfactual
        The solved ``GEResult`` (per-country changes in percent, the equilibria, the solver's
        residual) and the assumptions to print beside it.

    Examples
    --------
    >>> br.counterfactual(Path("panel.csv"), "trade ~ ...", reference="DEU").result.rows()  # doctest: +SKIP
    """
    from beltroad.trade import CLOSURES, Counterfactual, Shock, load_panel, run_counterfactual

    chosen = check_choice(closure, CLOSURES, "closure")
    shock = Shock(
        set_values=dict(set_values or {}),
        set_where=pairs_where,
        coefficients=dict(coefficients or {}),
        cost_changes=cost_changes,
    )
    if not (shock.set_values or shock.coefficients or shock.cost_changes):
        msg = "say what changes: --set VAR=VALUE (with --pairs-where), --coefficient NAME=VALUE or --cost-changes FILE"
        raise ValidationFailed(msg)
    frame, _ = load_panel(_settings(settings).data_dir, data, where)
    result, assumptions = run_counterfactual(
        frame,
        formula,
        shock,
        sigma=sigma,
        reference=reference,
        closure=chosen,
        output=output,
        expenditure=expenditure,
    )
    return Counterfactual(result, assumptions)


def _caveat(meta: dict[str, Any]) -> dict[str, str]:
    """A data set's caveat of its flows (intermediate trade only) as an assumption, if it has one."""
    from beltroad.trade import flows_caveat

    caveat = flows_caveat(meta)
    return {"flows_caveat": caveat} if caveat else {}


def _data_described(meta: dict[str, Any]) -> dict[str, Any]:
    """What a counterfactual says of its data set: unit, licence and any caveat of its flows."""
    return {"unit": meta.get("unit"), "licence": meta.get("licence"), **_caveat(meta)}


def counterfactual_flows(
    data: str | Path,
    *,
    theta: float,
    where: str | None = None,
    partial_effects: Path | None = None,
    partial_column: str | None = None,
    indicator: Path | None = None,
    coefficient: float | None = None,
    estimate: str | None = None,
    term: str | None = None,
    estimate_where: str | None = "exporter != importer",
    cluster: str = "pair_id",
    imbalance: str = "additive",
    draws: int = 0,
    seed: int = 12345,
    address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    settings: Settings | None = None,
) -> FlowCounterfactual:
    """General equilibrium from observed flows (exact hat algebra), as ge_gravity solves it.

    Parameters
    ----------
    data
        An imported data set's name (``wiod``) or a panel file; its flows, domestic ones
        included, are the baseline.
    theta
        The trade elasticity (above 0; 4 in ge_gravity's example).
    where
        The SQL condition that picks the baseline's rows, e.g. ``"year = 2000"``.
    partial_effects
        A CSV of exporter, importer, partial_effect (Δ log trade cost times -θ).
    partial_column
        Or a column of the baseline's rows holding the partial effects.
    indicator, coefficient, estimate, term, estimate_where
        Or a CSV of exporter, importer, indicator times a coefficient: given (``coefficient``),
        or ``term``'s estimate from the PPML ``estimate`` formula on the panel's rows that
        ``estimate_where`` picks (every year's foreign flows by default).
    cluster
        The pairs a bootstrap resamples and the estimate's standard errors are clustered by.
    imbalance
        ``additive`` (deficits fixed in dollars, ge_gravity's default) or ``multiplicative``.
    draws, seed
        Pair-bootstrap draws of the estimated coefficient, for 90 % intervals (needs
        ``estimate``).
    address, workers, progress
        Where the draws run on Ray (an existing cluster, or a local one of ``workers`` CPUs) and a
        callback with (done, all).
    settings
        Where imported data sets are (default: the environment's).

    Returns
    -------
    FlowCounterfactual
        Each country's change in welfare, real and nominal wage, price index, exports, imports
        and domestic trade in percent (with bands over the draws), and the assumptions.

    Examples
    --------
    >>> br.counterfactual_flows("wiod", where="year = 2000", partial_effects=Path("eu.csv"), theta=4)  # doctest: +SKIP
    """
    from beltroad.trade import (
        IMBALANCES,
        Bootstrap,
        counterfactual_from_flows,
        estimate_gravity,
        estimation_panel,
        flows_of,
        indicator_file,
        load_panel,
        partial_effects_column,
        partial_effects_file,
    )

    settings = _settings(settings)
    chosen = check_choice(imbalance, IMBALANCES, "imbalance treatment")
    given = [x for x in (partial_effects, partial_column, indicator) if x is not None]
    if len(given) != 1:
        msg = "give the partial effects one way: --partial-effects FILE, --partial-column NAME or --indicator FILE"
        raise ValidationFailed(msg)
    if indicator is not None and (coefficient is None) == (estimate is None):
        msg = "an --indicator needs either --coefficient VALUE or --estimate FORMULA with --term NAME"
        raise ValidationFailed(msg)
    if estimate is not None and term is None:
        msg = "--estimate needs --term: the coefficient that multiplies the indicator"
        raise ValidationFailed(msg)
    if draws < 0:
        msg = f"--draws must be 0 or more, got {draws}"
        raise ValidationFailed(msg)
    baseline, ds = load_panel(settings.data_dir, data, where)
    source = ds.name if ds else str(data)
    value = "trade" if "trade" in baseline.columns else "value"
    flows = flows_of(baseline, source=source, value=value)
    described: dict[str, Any] = {"flows": f"{value} of {source}" + (f" where {where}" if where else "")}
    if ds is not None:
        described.update(_data_described(ds.meta))
    spec = None
    if partial_effects is not None:
        partial = partial_effects_file(partial_effects, flows)
        described["partial_effects"] = f"from {partial_effects}"
    elif partial_column is not None:
        partial = partial_effects_column(baseline, partial_column, flows)
        described["partial_effects"] = f"column {partial_column}"
    else:
        assert indicator is not None
        pairs = indicator_file(indicator, flows)
        if estimate is not None:
            assert term is not None
            panel, _ = load_panel(settings.data_dir, data, estimate_where)
            panel = estimation_panel(panel, estimate, cluster)
            fit = estimate_gravity(panel, estimate, cluster=cluster)
            found = fit.coefficient(term) if term in {c.name for c in fit.coefficients} else None
            if found is None:
                msg = f"--term {term}: not a coefficient of {estimate!r} ({', '.join(c.name for c in fit.coefficients)})"
                raise ValidationFailed(msg)
            coefficient = found.estimate
            described["estimate"] = {
                "formula": estimate,
                "rows": estimate_where or "all",
                "term": term,
                "coefficient": found.estimate,
                "std_error": found.std_error,
                "vcov": fit.vcov,
                "n": fit.n,
            }
            spec = Bootstrap(panel, estimate, term, cluster, flows, pairs, theta, chosen)
        assert coefficient is not None
        partial = coefficient * pairs
        described["partial_effects"] = f"{coefficient:.6g} × indicator from {indicator}"
    return counterfactual_from_flows(
        flows,
        partial,
        theta=theta,
        imbalance=chosen,
        described=described,
        bootstrap=spec,
        draws=draws,
        seed=seed,
        address=address,
        workers=workers,
        progress=progress,
    )


def impact(
    scenario: str,
    data: str | Path,
    *,
    reference: str | None = None,
    formula: str = "trade ~ log_dist + cntg + lang + clny | exporter + importer",
    where: str | None = None,
    sigma: float = 7.0,
    theta: float | None = None,
    imbalance: str = "additive",
    value_of_time: Sequence[float] | None = None,
    cities_per_country: int = 5,
    min_population: int | None = None,
    draws: int = 0,
    seed: int = 12345,
    address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    settings: Settings | None = None,
) -> FlowImpact | ImpactRun:
    """Trade and real-income effects of a transport scenario, through the value of time in transit.

    Two models: by default the general equilibrium from one year's observed flows (exact hat
    algebra; needs domestic flows, as WIOD and ICIO have); with ``reference``, the model of
    estimated trade costs (a gravity fit with exporter and importer effects, as in the book).

    Parameters
    ----------
    scenario
        A scenario id or YAML file.
    data
        An imported data set's name (``wiod``) or a panel file.
    reference, formula, sigma
        The estimated-costs model: reference importer, gravity formula, elasticity of
        substitution.
    where
        Rows of the baseline (default for observed flows: the data set's latest year).
    theta, imbalance
        Observed flows: the trade elasticity (default 4) and the treatment of imbalances.
    value_of_time
        Observed flows: the low and high ends of the value of a day in transit, percent ad
        valorem (default 0.6 and 2.1, Hummels & Schaur 2013); estimated costs: the values to run.
    cities_per_country, min_population
        The cities that stand for a country: the largest N (estimated costs), or every city of
        at least so many people (observed flows, default 500,000).
    draws, seed
        Observed flows: value-of-time draws for each country's mean and 90 % interval.
    address, workers, progress
        Where the draws run on Ray, and a callback with (done, all).
    settings
        Where imported data sets and cached networks are (default: the environment's).

    Returns
    -------
    FlowImpact or ImpactRun
        Per-country changes in welfare (real income) and trade with their assumptions and,
        with draws, intervals; ``ImpactRun`` for the estimated-costs model.

    Examples
    --------
    >>> br.impact("tongjiang-railway-bridge", "wiod", draws=200).country("RUS")  # doctest: +SKIP
    """
    from beltroad.trade import (
        DEFAULT_THETA,
        IMBALANCES,
        IMPACT_MIN_POPULATION,
        VALUE_OF_TIME_RANGE,
        ImpactRun,
        latest_flows,
        load_panel,
        run_impact,
        run_impact_flows,
    )
    from beltroad.transport import load_scenario, open_router

    settings = _settings(settings)
    chosen: Scenario = load_scenario(scenario)
    if reference is None:
        treatment = check_choice(imbalance, IMBALANCES, "imbalance treatment")
        flows, ds = latest_flows(settings.data_dir, data, where)
        ends = tuple(value_of_time or VALUE_OF_TIME_RANGE)
        if len(ends) != 2:
            msg = "with observed flows, --value-of-time takes the two ends of a range (low, then high)"
            raise ValidationFailed(msg)
        cache = settings.data_dir / "transport"
        # scenarios change the rail network; road, the other mode over land, times the trips a
        # new link makes possible for the first time
        other = "road"
        found_flows = run_impact_flows(
            open_router(chosen.mode, cache),
            chosen,
            flows,
            theta=DEFAULT_THETA if theta is None else theta,
            imbalance=treatment,
            value_of_time=(float(ends[0]), float(ends[1])),
            min_population=IMPACT_MIN_POPULATION if min_population is None else min_population,
            draws=draws,
            seed=seed,
            regions=(ds.meta.get("regions") or {}) if ds else {},
            address=address,
            workers=workers,
            progress=progress,
            other_mode=(other, lambda: open_router(other, cache)),
        )
        if ds is None:
            return found_flows
        # what the flows are and how to cite them travel with every figure drawn from them
        cited = {k: ds.meta.get(k) for k in ("unit", "citation", "licence", "file") if ds.meta.get(k)}
        return dataclasses.replace(
            found_flows, assumptions={**found_flows.assumptions, "data": cited, **_caveat(ds.meta)}
        )
    if draws or theta is not None:
        msg = "--draws and --theta are for the observed-flows model; leave out --reference to use it"
        raise ValidationFailed(msg)
    frame, _ = load_panel(settings.data_dir, data, where)
    with tempfile.TemporaryDirectory() as tmp:
        found = run_impact(
            open_router(chosen.mode, settings.data_dir / "transport"),
            chosen,
            frame,
            formula,
            sigma=sigma,
            reference=reference,
            per_country=cities_per_country,
            value_of_time=tuple(value_of_time or VALUE_OF_TIME_RANGE),
            work_dir=Path(tmp),
        )
    return ImpactRun(**found)
