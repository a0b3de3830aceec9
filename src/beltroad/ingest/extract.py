"""Candidate facts in a document's text, each with its span and sentence: places, dates, quantities.

Places come from a spaCy PhraseMatcher over the knowledge base's place names and aliases, country
names (pycountry) and GeoNames cities of 50,000 people or more, resolved to a record id or a
gazetteer entry with coordinates. Dates and quantities are matched by patterns over the text and
normalised: dates keep their precision (year, month, day) and qualifiers such as "by the end of";
quantities get a value in base units and a unit of the knowledge base's vocabulary (USD, CNY,
EUR, ha, m2, km2, km, Mt/yr, TEU/yr, percent). Nothing is stored: ``extract`` only proposes.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

import pycountry
from sqlalchemy import Connection, select

from beltroad.data.gazetteer import city_table
from beltroad.store import tables as t

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = "|".join(MONTHS)
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|mln|bn)\b)?"
SCALES = {None: 1.0, "thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
CURRENCY_BEFORE = {
    "us$": "USD",
    "$": "USD",
    "usd": "USD",
    "€": "EUR",
    "eur": "EUR",
    "¥": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
}
CURRENCY_AFTER = {
    "yuan": "CNY",
    "renminbi": "CNY",
    "dollars": "USD",
    "us dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
}
#: abbreviations of country names common in news, matched only as written (upper case)
ABBREVIATIONS = {
    "US": "USA",
    "U.S.": "USA",
    "USA": "USA",
    "UK": "GBR",
    "DPRK": "PRK",
    "PRC": "CHN",
    "ROK": "KOR",
    "UAE": "ARE",
}
WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], 1
    )
}
COUNTED = (
    "ports|projects|zones|cities|companies|enterprises|jobs|stations|bridges|tunnels|countries|shops|"
    "trains|routes|agreements|border crossings|checkpoints"
)
QUANTITY_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("money", re.compile(rf"(?P<cur>US\$|\$|USD|€|EUR|¥|CNY|RMB)\s?{_NUM}{_SCALE}", re.IGNORECASE)),
    (
        "money",
        re.compile(rf"{_NUM}{_SCALE}\s+(?P<cur>US dollars|dollars|yuan|renminbi|euros?)\b", re.IGNORECASE),
    ),
    (
        "area",
        re.compile(
            rf"{_NUM}{_SCALE}\s*(?P<unit>ha\b|hectares?\b|km²|km2\b|sq\.? ?km\b|square kilomet(?:re|er)s?\b|m²|m2\b|square met(?:re|er)s?\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "mass_flow",
        re.compile(
            rf"{_NUM}{_SCALE}\s*(?P<unit>tons|tonnes)\s+(?:per year|a year|annually|per annum)", re.IGNORECASE
        ),
    ),
    ("container_flow", re.compile(rf"{_NUM}{_SCALE}\s*(?P<unit>TEUs?)\b")),
    (
        "mass_flow",
        re.compile(
            rf"(?P<pre>annual[\w\s]{{0,40}}?\bof\s+){_NUM}{_SCALE}\s*(?P<unit>tons|tonnes)\b", re.IGNORECASE
        ),
    ),
    ("length", re.compile(rf"{_NUM}{_SCALE}\s*-?\s*(?P<unit>km\b|kilomet(?:re|er)s?\b)", re.IGNORECASE)),
    (
        "count",
        re.compile(
            rf"(?P<bound>more than\s+|over\s+|about\s+)?{_NUM}\s+(?:[a-z-]+\s+)?(?P<unit>{COUNTED})\b"
        ),
    ),
    (
        "duration",
        re.compile(
            r"\b(?P<word>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+(?P<unit>years|days)\b"
        ),
    ),
    ("percent", re.compile(rf"{_NUM}\s*(?P<unit>%|percent\b|per cent\b)", re.IGNORECASE)),
]
AREA_UNITS = {
    "ha": "ha",
    "hectare": "ha",
    "hectares": "ha",
    "km²": "km2",
    "km2": "km2",
    "m²": "m2",
    "m2": "m2",
}
DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>(?:19|20)\d\d)\b")),
    ("day", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})\s+(?P<y>(?:1[89]|20)\d\d)\b")),
    ("day", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}}),\s+(?P<y>(?:1[89]|20)\d\d)\b")),
    ("month", re.compile(rf"\b(?P<m>{_MONTH})\s+(?:of\s+)?(?P<y>(?:1[89]|20)\d\d)\b")),
    (
        "year",
        re.compile(
            r"(?<![\d,.$€¥])\b(?P<y>(?:1[89]|20)\d\d)\b(?![,.]\d|\s*(?:km|ha|tons?|tonnes|%|yuan|dollars))"
        ),
    ),
]
QUALIFIERS = (
    ("by_end_of", re.compile(r"by the end of\s*$", re.IGNORECASE)),
    ("since", re.compile(r"\bsince\s*$", re.IGNORECASE)),
    ("until", re.compile(r"\b(?:until|till)\s*$", re.IGNORECASE)),
    ("before", re.compile(r"\bbefore\s*$", re.IGNORECASE)),
)


def _number(match: re.Match[str]) -> float:
    if match.groupdict().get("word"):
        word = match.group("word")
        return float(WORD_NUMBERS.get(word, 0) or word)
    value = float(match.group("num").replace(",", ""))
    scale = match.groupdict().get("scale")
    return value * SCALES[scale.lower() if scale else None]


def _quantity(kind: str, match: re.Match[str]) -> dict[str, Any]:
    value = _number(match)
    if kind == "money":
        cur = match.group("cur").lower()
        unit = CURRENCY_BEFORE.get(cur) or CURRENCY_AFTER.get(cur) or CURRENCY_AFTER.get(cur.rstrip("s"))
        return {"value": value, "unit": unit}
    unit = match.group("unit").lower()
    if kind == "area":
        if "kilomet" in unit or "sq" in unit:
            return {"value": value, "unit": "km2"}
        if "met" in unit:
            return {"value": value, "unit": "m2"}
        return {"value": value, "unit": AREA_UNITS.get(unit, "ha")}
    if kind == "mass_flow":
        return {"value": value / 1e6, "unit": "Mt/yr"}
    if kind == "container_flow":
        return {"value": value, "unit": "TEU/yr"}
    if kind == "length":
        return {"value": value, "unit": "km"}
    if kind == "count":
        bound = (match.group("bound") or "").strip().replace(" than", "_than") or "exact"
        return {"value": value, "unit": "count", "bound": {"over": "more_than"}.get(bound, bound), "of": unit}
    if kind == "duration":
        return {"value": value, "unit": "year" if unit.startswith("year") else "day"}
    return {"value": value, "unit": "percent"}


def _sentences(text: str) -> list[tuple[int, int]]:
    doc = _pipeline()(text)
    return [(s.start_char, s.end_char) for s in doc.sents] or [(0, len(text))]


@cache
def _pipeline() -> Any:
    """A blank English pipeline with a sentencizer: spaCy's tokenizer and rules, no model to fetch."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


def _sentence_of(sentences: list[tuple[int, int]], start: int) -> list[int]:
    for s, e in sentences:
        if s <= start < e:
            return [s, e]
    return [0, 0]


@cache
def _gazetteer(min_population: int = 50_000) -> dict[str, int]:
    """Lower-cased city name → row of the GeoNames city table: the most populous of that name."""
    table = city_table()
    best: dict[str, int] = {}
    for i, name in enumerate(table.name):
        if table.population[i] < min_population:
            continue
        key = name.casefold()
        if key not in best or table.population[i] > table.population[best[key]]:
            best[key] = i
    return best


def _kb_places(conn: Connection | None) -> dict[str, tuple[str, str, float | None, float | None]]:
    """Lower-cased name or alias → (record id, name, lat, lon) of the knowledge base's places."""
    if conn is None:
        return {}
    found: dict[str, tuple[str, str, float | None, float | None]] = {}
    rows = conn.execute(
        select(t.records.c.id, t.records.c.name, t.records.c.lat, t.records.c.lon, t.records.c.data).where(
            t.records.c.kind == "place", t.records.c.retired.is_(False), t.records.c.origin.like("curated%")
        )
    )
    for rid, name, lat, lon, data in rows:
        for label in [name, *(data.get("aliases") or [])]:
            found.setdefault(label.casefold(), (rid, name, lat, lon))
    return found


def _places(text: str, conn: Connection | None) -> list[dict[str, Any]]:
    from spacy.util import filter_spans

    nlp = _pipeline()
    kb = _kb_places(conn)
    gaz = _gazetteer()
    countries = _countries()
    matcher = _matcher(frozenset(kb))
    doc = nlp.make_doc(text)
    # "nice", "split", "reading": a place is written with a capital, so lower-case matches go
    # before the longest match is chosen ("northeast China" leaves "China")
    spans = filter_spans([doc[s:e] for _id, s, e in matcher(doc) if doc[s].text[:1].isupper()])
    out = []
    for span in spans:
        surface = span.text
        if surface in ABBREVIATIONS:
            out.append(
                {
                    "kind": "place",
                    "text": surface,
                    "start": span.start_char,
                    "end": span.end_char,
                    "country": ABBREVIATIONS[surface],
                    "name": surface,
                    "resolved_by": "common abbreviation",
                }
            )
            continue
        key = surface.casefold()
        item: dict[str, Any] = {
            "kind": "place",
            "text": surface,
            "start": span.start_char,
            "end": span.end_char,
        }
        if key in kb:
            rid, name, lat, lon = kb[key]
            item.update(record=rid, name=name, lat=lat, lon=lon, resolved_by="knowledge base")
        elif key in countries:
            item.update(country=countries[key], name=surface, resolved_by="ISO 3166 (pycountry)")
        else:
            i, table = gaz[key], city_table()
            item.update(
                name=table.name[i],
                geonameid=int(table.geonameid[i]),
                country_iso2=table.iso2[i],
                lat=float(table.lat[i]),
                lon=float(table.lon[i]),
                resolved_by="GeoNames (most populous of that name)",
            )
        out.append(item)
    return out


@cache
def _countries() -> dict[str, str]:
    countries = {c.name.casefold(): c.alpha_3 for c in pycountry.countries}
    for c in pycountry.countries:
        for label in (getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if label:
                countries[label.casefold()] = c.alpha_3
    return countries


@lru_cache(maxsize=4)
def _matcher(kb_labels: frozenset[str]) -> Any:
    """The phrase matcher for a set of knowledge-base labels (built once per set: it takes seconds)."""
    from spacy.matcher import PhraseMatcher

    nlp = _pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    labels = set(kb_labels) | set(_gazetteer()) | set(_countries()) | {a.casefold() for a in ABBREVIATIONS}
    matcher.add("PLACE", list(nlp.tokenizer.pipe(sorted(labels))))
    return matcher


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def extract(text: str, conn: Connection | None = None) -> list[dict[str, Any]]:
    """Candidate places, dates and quantities in reading order, each with text, start, end, sentence."""
    candidates: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in QUANTITY_PATTERNS:
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), taken):
                continue
            taken.append((m.start(), m.end()))
            candidates.append(
                {
                    "kind": "quantity",
                    "dimension": kind,
                    "text": m.group(0),
                    "start": m.start(),
                    "end": m.end(),
                    **_quantity(kind, m),
                }
            )
    for precision, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), taken):
                continue
            if precision == "numeric":
                # 08-27-2015 is month first, 27.08.2015 day first; 05-06-2015 could be either
                a, b = int(m.group("a")), int(m.group("b"))
                if (a > 12) == (b > 12) or max(a, b) > 31:
                    continue
                month, day = (b, a) if a > 12 else (a, b)
                taken.append((m.start(), m.end()))
                candidates.append(
                    {
                        "kind": "date",
                        "text": m.group(0),
                        "start": m.start(),
                        "end": m.end(),
                        "value": f"{m.group('y')}-{month:02d}-{day:02d}",
                        "precision": "day",
                        "qualifier": None,
                    }
                )
                continue
            taken.append((m.start(), m.end()))
            year = int(m.group("y"))
            value = str(year)
            if precision in {"month", "day"}:
                value += f"-{MONTHS.index(m.group('m')) + 1:02d}"
            if precision == "day":
                value += f"-{int(m.group('d')):02d}"
            qualifier = next(
                (q for q, rx in QUALIFIERS if rx.search(text[max(0, m.start() - 30) : m.start()])), None
            )
            candidates.append(
                {
                    "kind": "date",
                    "text": m.group(0),
                    "start": m.start(),
                    "end": m.end(),
                    "value": value,
                    "precision": precision,
                    "qualifier": qualifier,
                }
            )
    candidates += [p for p in _places(text, conn) if not _overlaps(p["start"], p["end"], taken)]
    sentences = _sentences(text)
    for item in candidates:
        item["sentence"] = _sentence_of(sentences, item["start"])
    return sorted(candidates, key=lambda c: (c["start"], c["kind"]))
