"""Country figures: one number per country, for choropleths and tables.

The knowledge base holds figures about countries as observations whose subjects are one country
or a country and a counterpart (AidData's commitments from China to each recipient: [Angola,
China], [Belarus, China]…). Gathered by measure, counterpart and period, such observations make
a map of countries, each with the records and citations its value rests on. A country's year of
joining the BRI is read from its earliest live agreement serving the BRI (the imported
signatories' list), so the map can show who signed when.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from beltroad._results import OPTIONAL, Result
from beltroad.data.countries import country_name, iso_numeric
from beltroad.errors import RecordNotFound, ValidationFailed
from beltroad.store import _tables as t
from beltroad.store.queries import citations_for
from beltroad.store.views import CitationView

#: the derived figure of each country's BRI agreement year (not an observation's measure)
BRI_YEAR = "bri_cooperation_document_year"
#: a map of fewer countries says nothing a list would not
MIN_COUNTRIES = 2


@dataclass(frozen=True)
class CountryFigure(Result):
    """One country's value, with the records and citations behind it."""

    country: str
    name: str
    #: ISO 3166-1 numeric, the key Natural Earth's shapes (world-atlas) carry; None for Kosovo
    numeric: str | None
    value: float
    records: list[str]
    citations: list[CitationView]


@dataclass(frozen=True)
class _Series(Result):
    """What a map of country figures is of: a measure, in a unit, over a period, against whom."""

    title: str
    measure: str
    unit: str
    qualifier: str
    #: the period: whole years as years ("2014", "2000/2021"), else dates; None when there is none
    period: str | None
    #: the other country of every pair ("CHN" for commitments from China), None for one-country figures
    counterpart: str | None


@dataclass(frozen=True)
class CountryFigures(_Series):
    """A map's worth of country figures: what was measured, in what unit, when, against whom."""

    #: where the figures come from: the knowledge base's sources, or an imported data set
    source: str
    countries: list[CountryFigure]
    #: how a constructed figure was made (a year read from agreements, a sum of two directions)
    method: str | None = field(default=None, metadata=OPTIONAL)
    scope: str | None = field(default=None, metadata=OPTIONAL)
    #: countries whose records in the series give different values: left uncoloured, not guessed
    conflicting: list[str] | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class FigureSeries(_Series):
    """One choosable map of country figures: the query that fetches it and how much it covers."""

    scope: str | None
    countries: int
    #: the keyword arguments of ``country_figures`` beside the measure (the query parameters of
    #: ``/api/countries/figures/{measure}``) that pick this series
    query: dict[str, str]


@dataclass(frozen=True)
class _Row:
    record: str
    name: str
    measure: str
    unit: str
    qualifier: str
    period: str | None
    scope: str | None
    value: float
    country: str
    counterpart: str | None

    @property
    def series(self) -> tuple[str, str, str, str | None, str | None, str | None]:
        return (self.measure, self.unit, self.qualifier, self.period, self.counterpart, self.scope)


def _country_ids(conn: Connection) -> dict[str, str]:
    """Country place record id → ISO3."""
    rows = conn.execute(
        select(t.records.c.id, t.record_countries.c.country)
        .join(t.record_countries, t.record_countries.c.record_id == t.records.c.id)
        .where(t.records.c.kind == "place", t.records.c.subkind == "country", t.records.c.retired.is_(False))
    )
    return {str(rid): str(iso3) for rid, iso3 in rows}


def _period(start: str | None, end: str | None) -> str | None:
    """A period as its query names it: whole years as years ("2019", "2000/2021"), anything else
    as the stored dates ("2017-05-01/2017-05-31")."""
    if start and end and start.endswith("-01-01") and end.endswith("-12-31"):
        start, end = start[:4], end[:4]
    if start and end and end != start:
        return f"{start}/{end}"
    return start or end


def _years(period: str | None) -> tuple[str, str] | None:
    """The stored bounds of a period of whole years ("2019", "2000/2021"), for the index; None for
    any other period, which is then compared as ``_period`` writes it."""
    if period is None:
        return None
    first, _, last = period.partition("/")
    if re.fullmatch(r"\d{4}", first) and re.fullmatch(r"\d{4}", last or first):
        return f"{first}-01-01", f"{last or first}-12-31"
    return None


def _observation_rows(conn: Connection, measure: str | None = None, period: str | None = None) -> list[_Row]:
    """Every live observation (of ``measure`` and ``period``, where given) about one country, or
    about two (the other then its counterpart, which only observations of the same measure, unit
    and period decide, so narrowing by them keeps the answer)."""
    countries = _country_ids(conn)
    o = t.observations
    chosen = [t.records.c.retired.is_(False)] + ([o.c.measure == measure] if measure is not None else [])
    bounds = _years(period)
    if bounds is not None:
        chosen += [o.c.period_start == bounds[0], o.c.period_end == bounds[1]]
    subjects: dict[str, list[str]] = defaultdict(list)
    links = t.record_links
    for src, dst in conn.execute(
        select(links.c.src_id, links.c.dst_id)
        .join(o, o.c.record_id == links.c.src_id)
        .join(t.records, t.records.c.id == o.c.record_id)
        .where(links.c.rel == "subject", *chosen)
    ):
        subjects[src].append(dst)
    # the scope read by the database, so that no record's whole JSON is decoded here
    scope = t.records.c.data["scope"].as_string().label("scope")
    raw = conn.execute(
        select(
            o.c.record_id, o.c.measure, o.c.unit, o.c.qualifier, o.c.value, o.c.period_start, o.c.period_end,
            t.records.c.name, scope,
        )
        .join(t.records, t.records.c.id == o.c.record_id)
        .where(*chosen)
        .order_by(o.c.record_id)
    ).all()
    single: list[tuple[Any, str]] = []
    pairs: list[tuple[Any, tuple[str, str]]] = []
    for row in raw:
        about = subjects.get(row.record_id, [])
        if not about or any(s not in countries for s in about):
            continue
        found = sorted({countries[s] for s in about})
        if len(found) == 1:
            single.append((row, found[0]))
        elif len(found) == 2:
            pairs.append((row, (found[0], found[1])))
    # a pair's counterpart is the country that every pair of its measure and period shares
    shared: dict[tuple[str, str, str | None], Counter[str]] = defaultdict(Counter)
    size: Counter[tuple[str, str, str | None]] = Counter()
    for row, pair in pairs:
        group = (row.measure, row.unit, _period(row.period_start, row.period_end))
        shared[group].update(pair)
        size[group] += 1
    rows: list[_Row] = []

    def made(row: Any, country: str, counterpart: str | None) -> _Row:
        return _Row(
            record=row.record_id,
            name=row.name,
            measure=row.measure,
            unit=row.unit,
            qualifier=row.qualifier,
            period=_period(row.period_start, row.period_end),
            scope=row.scope,
            value=float(row.value),
            country=country,
            counterpart=counterpart,
        )

    rows.extend(made(row, code, None) for row, code in single)
    for row, pair in pairs:
        group = (row.measure, row.unit, _period(row.period_start, row.period_end))
        common = [c for c in pair if shared[group][c] == size[group]]
        if size[group] >= MIN_COUNTRIES and len(common) == 1:
            other = pair[1] if pair[0] == common[0] else pair[0]
            rows.append(made(row, other, common[0]))
    return rows


def _bri_years(conn: Connection) -> list[_Row]:
    """Each country's year of its earliest live agreement serving the BRI (China left out)."""
    serving = select(t.record_links.c.src_id).where(
        t.record_links.c.rel == "strategies", t.record_links.c.dst_id == "bri"
    )
    earliest: dict[str, tuple[str, str, str]] = {}
    for rid, name, start, iso3 in conn.execute(
        select(t.records.c.id, t.records.c.name, t.records.c.date_start, t.record_countries.c.country)
        .join(t.record_countries, t.record_countries.c.record_id == t.records.c.id)
        .where(
            t.records.c.kind == "agreement",
            t.records.c.id.in_(serving),
            t.records.c.retired.is_(False),
            t.records.c.date_start.is_not(None),
        )
        .order_by(t.records.c.date_start, t.records.c.id)
    ):
        if iso3 != "CHN" and iso3 not in earliest:
            earliest[iso3] = (rid, name, start)
    return [
        _Row(
            record=rid,
            name=name,
            measure=BRI_YEAR,
            unit="year",
            qualifier="actual",
            period=None,
            scope=None,
            value=float(start[:4]),
            country=iso3,
            counterpart="CHN",
        )
        for iso3, (rid, name, start) in sorted(earliest.items())
    ]


def bri_signing_years(conn: Connection) -> dict[str, int]:
    """ISO3 → the year each country first signed a BRI cooperation document (any imported list).

    Parameters
    ----------
    conn
        A connection to the store.

    Returns
    -------
    dict[str, int]
        One year per country that has a live, dated agreement serving the BRI; China left out.
    """
    return {row.country: int(row.value) for row in _bri_years(conn)}


def _title(measure: str, unit: str, period: str | None, counterpart: str | None) -> str:
    if measure == BRI_YEAR:
        return "Year of the first BRI cooperation document with China"
    words = measure.replace("_", " ")
    with_whom = f" (with {country_name(counterpart)})" if counterpart else ""
    when = f", {period.replace('/', '–')}" if period else ""
    return f"{words[:1].upper()}{words[1:]}{with_whom}{when}, {unit}"


def _all_rows(conn: Connection, measure: str | None = None, period: str | None = None) -> list[_Row]:
    """The rows of every map, or of ``measure``'s (and ``period``'s) alone: read by the index, not
    through all observations."""
    if measure == BRI_YEAR:
        return _bri_years(conn)
    return _observation_rows(conn, measure, period) + ([] if measure is not None else _bri_years(conn))


def _query(key: tuple[str, str, str, str | None, str | None, str | None]) -> dict[str, str]:
    _measure, unit, qualifier, period, counterpart, scope = key
    found = {"unit": unit, "qualifier": qualifier}
    for name, value in (("period", period), ("counterpart", counterpart), ("scope", scope)):
        if value is not None:
            found[name] = value
    return found


def country_figure_series(conn: Connection) -> list[FigureSeries]:
    """The maps of country figures the knowledge base can draw, the widest first.

    A series is the observations of one measure, unit, qualifier, period, counterpart and scope;
    it is offered when it covers at least two countries. It reads every observation about
    countries (1.3 s for 58,000 on the benchmark's machine); the API's cache keeps the answer until
    the next write.

    Parameters
    ----------
    conn
        A connection to the store.

    Returns
    -------
    list[FigureSeries]
        Each series with its title, coverage and the query that fetches its figures.
    """
    groups: dict[tuple[str, str, str, str | None, str | None, str | None], set[str]] = defaultdict(set)
    for row in _all_rows(conn):
        groups[row.series].add(row.country)
    found = [
        FigureSeries(
            title=_title(key[0], key[1], key[3], key[4]),
            measure=key[0],
            unit=key[1],
            qualifier=key[2],
            period=key[3],
            counterpart=key[4],
            scope=key[5],
            countries=len(codes),
            query=_query(key),
        )
        for key, codes in groups.items()
        if len(codes) >= MIN_COUNTRIES
    ]
    return sorted(found, key=lambda s: (-s.countries, s.title))


def country_figures(
    conn: Connection,
    measure: str,
    *,
    unit: str | None = None,
    qualifier: str | None = None,
    period: str | None = None,
    counterpart: str | None = None,
    scope: str | None = None,
) -> CountryFigures:
    """One value per country for a measure, each with its records and citations.

    Parameters
    ----------
    conn
        A connection to the store.
    measure
        The observations' measure (``development_finance_commitments``), or
        ``bri_cooperation_document_year`` for the year each country first signed a BRI document.
    unit, qualifier, period, counterpart, scope
        Narrow the measure to one series where it has several (``country_figure_series`` lists
        them); None matches any.

    Returns
    -------
    CountryFigures
        The countries by value, largest first. A country that several records give one value
        (one figure cited twice) keeps it with every citation; one they give different values is
        named in ``conflicting`` and left out rather than averaged.

    Raises
    ------
    RecordNotFound
        No country figures of that measure (naming the measures there are).
    ValidationFailed
        The measure has several series and the arguments do not pick one (naming the choices).
    """
    rows = _all_rows(conn, measure, period)
    wanted = {"unit": unit, "qualifier": qualifier, "period": period, "counterpart": counterpart, "scope": scope}
    chosen = [
        row
        for row in rows
        if row.measure == measure and all(v is None or getattr(row, k) == v for k, v in wanted.items())
    ]
    if not chosen:
        measures = sorted({s.measure for s in country_figure_series(conn)})
        msg = (
            f"no country figures of measure {measure!r}"
            + (" with " + ", ".join(f"{k}={v!r}" for k, v in wanted.items() if v is not None) if any(wanted.values()) else "")
            + f"; measures with country figures: {', '.join(measures) or 'none (import finance-commitments or bri-signatories)'}"
        )
        raise RecordNotFound(msg)
    keys = sorted({row.series for row in chosen}, key=repr)
    if len(keys) > 1:
        choices = "; ".join(" ".join(f"{k}={v}" for k, v in _query(key).items()) for key in keys)
        msg = f"measure {measure!r} has {len(keys)} series; choose one by unit, qualifier, period, counterpart or scope: {choices}"
        raise ValidationFailed(msg)
    m, u, q, p, c, s = keys[0]
    by_country: dict[str, list[_Row]] = defaultdict(list)
    for row in chosen:
        by_country[row.country].append(row)
    cites = citations_for(conn, sorted({row.record for row in chosen}))
    conflicting = sorted(code for code, found in by_country.items() if len({r.value for r in found}) > 1)
    figures = [
        CountryFigure(
            country=code,
            name=country_name(code),
            numeric=iso_numeric(code),
            value=found[0].value,
            records=[r.record for r in found],
            citations=[cite for r in found for cite in cites.get(r.record, [])],
        )
        for code, found in by_country.items()
        if code not in conflicting
    ]
    figures.sort(key=lambda f: (-f.value, f.country))
    sources = sorted({cite["source_title"] for f in figures for cite in f.citations})
    return CountryFigures(
        title=_title(m, u, p, c),
        measure=m,
        unit=u,
        qualifier=q,
        period=p,
        counterpart=c,
        source="; ".join(sources) or "the knowledge base",
        countries=figures,
        method=(
            "the year of each country's earliest live agreement that serves the BRI"
            if m == BRI_YEAR
            else None
        ),
        scope=s,
        conflicting=conflicting or None,
    )
