"""Candidate facts in a document's text, each with its span and sentence: places, dates, quantities.

Places come from a spaCy PhraseMatcher over the knowledge base's place names and aliases, country
names (pycountry) and GeoNames cities of 50,000 people or more, resolved to a record id or a
gazetteer entry with coordinates. Dates and quantities are matched by patterns over the text and
normalised: dates keep their precision (year, month, day) and qualifiers such as "by the end of";
quantities get a value in base units and a unit of the knowledge base's vocabulary (USD, CNY,
EUR, ha, m2, km2, km, Mt/yr, TEU/yr, percent). Nothing is stored: ``extract`` only proposes.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, NamedTuple, cast

import pycountry
from rapidfuzz.distance import Levenshtein
from sqlalchemy import Connection

from beltroad.data.countries import country_iso3, country_name, iso2_of
from beltroad.data.gazetteer import MIN_POPULATION, admin1_table, city_table, geonames_cities
from beltroad.data.unlocode import Location, field_locations
from beltroad.errors import ValidationFailed
from beltroad.ingest.candidates import Candidate
from beltroad.ingest.multilingual import detect_language, extract_local
from beltroad.ingest.relations import PARTNER_TERM, find_relations
from beltroad.ingest.suggestions import suggest
from beltroad.model.names import fold_accents
from beltroad.store import curated_places, live_actors, per_store_version

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
#: how far from the top a news dateline may stand
DATELINE = 600
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
    "rub": "RUB",
}
CURRENCY_AFTER = {
    "yuan": "CNY",
    "renminbi": "CNY",
    "dollars": "USD",
    "us dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "roubles": "RUB",
    "rubles": "RUB",
}
#: GeoNames cities of 50,000+ whose names are, in running text, ordinary words or page furniture
NOT_PLACES = frozenset(
    {"Date", "Of", "Mobile", "Split", "Reading", "Nice", "Bath", "Best", "Police", "Opportunity"}
)
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
    # a short name that ISO 3166 lacks; in the sources it means the Republic of Korea
    "Korea": "KOR",
}
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
_ORDINALS = "|".join(ORDINALS)
WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], 1
    )
}
COUNTED = (
    "ports|projects|zones|cities|companies|enterprises|jobs|stations|bridges|tunnels|countries|shops|"
    "trains|routes|agreements|border crossings|checkpoints|heads of state|CBECZs|BECZs|parks|corridors|"
    "people|workers|visitors|tourists|containers|flights|services|members|residents|firms|passengers|"
    "documents|memorandums|pairs"
)
QUANTITY_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("money", re.compile(rf"(?P<cur>US\$|\$|USD|€|EUR|¥|CNY|RMB|RUB)\s?{_NUM}{_SCALE}", re.IGNORECASE)),
    (
        "money",
        re.compile(rf"{_NUM}{_SCALE}\s+(?P<cur>US dollars|dollars|yuan|renminbi|euros?|r(?:o)?ubles)\b", re.IGNORECASE),
    ),
    (
        "area",
        re.compile(
            # "150 ha", "a 150-hectare park"
            rf"{_NUM}{_SCALE}(?:\s*|-)(?P<unit>ha\b|hectares?\b|km²|km2\b|sq\.? ?km\b|square\s+kilomet(?:re|er)s?\b|m²|m2\b|square\s+met(?:re|er)s?\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "mass_flow",
        re.compile(
            rf"{_NUM}{_SCALE}\s*(?P<unit>tons|tonnes)(?:\s+of\s+[a-z]+)?(?:\s+(?:per year|a year|annually|per annum)"
            # "17 million tonnes of freight in 2022": a year's flow; the year stays a date of its own
            r"|(?=\s+in\s+(?:19|20)\d\d\b))",
            re.IGNORECASE,
        ),
    ),
    ("container_flow", re.compile(rf"{_NUM}{_SCALE}\s*(?P<unit>TEUs?)\b")),
    # "that volume will increase to 20 million tons", "rose 86 percent in 2023, to 2.8 million
    # tonnes": a capacity restated without its "per year"
    (
        "mass_flow",
        re.compile(
            rf"(?P<pre>(?:increase|rise|grow|expand|rose|grew)\w*(?:[^.;\n]{{0,40}}?,)?\s+to\s+){_NUM}{_SCALE}\s*"
            r"(?P<unit>tons|tonnes)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "mass_flow",
        re.compile(
            rf"(?P<pre>annual[\w\s]{{0,40}}?\bof\s+){_NUM}{_SCALE}\s*(?P<unit>tons|tonnes)\b", re.IGNORECASE
        ),
    ),
    # "200 km an hour": a speed, before the length its first words would make
    (
        "speed",
        re.compile(
            rf"{_NUM}\s*(?P<unit>km/h|kph|(?:km|kilomet(?:re|er)s?)\s+(?:an|per)\s+hour)(?![\w/])",
            re.IGNORECASE,
        ),
    ),
    ("length", re.compile(rf"{_NUM}{_SCALE}\s*-?\s*(?P<unit>km\b|kilomet(?:re|er)s?\b)", re.IGNORECASE)),
    (
        "count",
        re.compile(
            rf"(?P<bound>more than\s+|over\s+|about\s+)?{_NUM}{_SCALE}\s+(?:[a-z-]+\s+){{0,3}}?(?P<unit>{COUNTED})\b"
        ),
    ),
    (
        "duration",
        re.compile(
            r"\b(?P<word>[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Ee]leven|[Tt]welve|\d+)"
            # "a 50-year concession", "a 99-year lease": a term written as a compound adjective
            r"(?:\s+(?P<unit>years|days|decades)\b|-(?P<unit2>year|day)\b(?!-old))"
        ),
    ),
    ("percent", re.compile(rf"{_NUM}\s*(?P<unit>%|percent\b|per cent\b)", re.IGNORECASE)),
    # "5 of which are located in the north-east": a count whose noun is the sentence's
    ("count", re.compile(rf"\b{_NUM}\s+(?P<unit>of which|of them)\b")),
    # ranks: "the second largest trading partner", "its largest trading partner", "ranked fifth"
    (
        "rank",
        re.compile(
            rf"\b(?:(?P<ordinal>{_ORDINALS})[ -](?:largest|biggest)|(?:its|the) (?:largest|biggest)(?= "
            rf"(?:trading partner|partner|investor|exporter|importer|source))|ranked (?P<ranked>{_ORDINALS})"
            rf"(?P<bottom> from (?:the )?bottom)?)\b"
        ),
    ),
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
    # "an August 7 report": the year is the one of the date written before it (a news dateline)
    ("day", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>[1-9]|[12]\d|3[01])\b(?!\s*,?\s*\d)")),
    ("day", re.compile(rf"\b(?P<d>[1-9]|[12]\d|3[01])\s+(?P<m>{_MONTH})\b(?!\s*,?\s*\d)")),
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
    groups = match.groupdict()
    if "ordinal" in groups:
        ordinal = groups["ordinal"] or groups["ranked"]
        return float(ORDINALS.index(ordinal) + 1) if ordinal else 1.0
    if groups.get("word"):
        word = match.group("word")
        return float(WORD_NUMBERS.get(word.lower(), 0) or word)
    scale = match.groupdict().get("scale")
    # in decimal, so that "4.1 billion" is 4,100,000,000 and not 4,099,999,999.9999995
    value = Decimal(match.group("num").replace(",", "")) * Decimal(SCALES[scale.lower() if scale else None])
    return float(value)


def _quantity(kind: str, match: re.Match[str]) -> dict[str, Any]:
    value = _number(match)
    if kind == "money":
        cur = match.group("cur").lower()
        unit = CURRENCY_BEFORE.get(cur) or CURRENCY_AFTER.get(cur) or CURRENCY_AFTER.get(cur.rstrip("s"))
        return {"value": value, "unit": unit}
    if kind == "rank":
        return {"value": value, "unit": "rank", **({"from": "bottom"} if match.group("bottom") else {})}
    if kind == "speed":
        return {"value": value, "unit": "km/h"}
    unit = (match.group("unit") or match.groupdict().get("unit2") or "").lower()
    if kind == "area":
        if "kilomet" in unit:
            return {"value": value, "unit": "km2"}
        if "met" in unit:
            return {"value": value, "unit": "m2"}
        if "sq" in unit:
            return {"value": value, "unit": "km2"}
        return {"value": value, "unit": AREA_UNITS.get(unit, "ha")}
    if kind == "mass_flow":
        # "74,000 tonnes" keeps its tonnes; "2.8 million tonnes" its millions, as written
        if match.groupdict().get("scale") or value >= 1e6:
            return {"value": value / 1e6, "unit": "Mt/yr"}
        return {"value": value, "unit": "t/yr"}
    if kind == "container_flow":
        return {"value": value, "unit": "TEU/yr"}
    if kind == "length":
        return {"value": value, "unit": "km"}
    if kind == "count":
        bound = (match.groupdict().get("bound") or "").strip().replace(" than", "_than") or "exact"
        return {"value": value, "unit": "count", "bound": {"over": "more_than"}.get(bound, bound), "of": unit}
    if kind == "duration":
        if unit == "decades":  # "two decades": twenty years, as a reader records it
            return {"value": value * 10, "unit": "year"}
        return {"value": value, "unit": "year" if unit.startswith("year") else "day"}
    return {"value": value, "unit": "percent"}


#: a blank line ends a sentence when what follows starts a new one and what precedes could end one:
#: a full stop (or a footnote number after it), a heading in capitals, or a short line such as a
#: byline; PDF text often has a blank line between the lines of one sentence, and those stay joined
_BREAK = re.compile(r"[ \t]*\n[ \t]*\n\s*(?=[A-Z#*•])")


def _ends_sentence(text: str, at: int) -> bool:
    line = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
    return bool(line) and (line[-1] in ".!?:" or line[-1].isdigit() or line[-1].isupper() or len(line) < 60)


def _year_like(text: str, match: re.Match[str]) -> bool:
    """ "Yubei District 2022 key projects": a year after a name, not a count of projects."""
    number = match.group("num")
    before = text[max(0, match.start() - 20) : match.start()]
    return (
        re.fullmatch(r"(?:19|20)\d\d", number) is not None and re.search(r"[A-Z]\w*\s+$", before) is not None
    )


def _in_url(text: str, start: int, end: int) -> bool:
    left = text.rfind(" ", 0, start) + 1
    token = text[left : end + 1]
    return (
        "://" in token
        or "www." in token
        or text[start - 1 : start] in {"/", "_", "="}
        or text[end : end + 1] in {"/", "_"}
    )


def _sentences(doc: Any) -> list[tuple[int, int]]:
    """spaCy's sentences, split again at blank lines that end a sentence (see ``_BREAK``)."""
    text = _text_of(doc)
    doc = _pipeline().get_pipe("sentencizer")(doc)
    if not len(doc):
        return [(0, len(text))]
    # the sentence starts read as one array: iterating doc.sents builds a Token per word and took
    # a fifth of the extraction's time
    marks = doc.to_array(["SENT_START", "IDX", "LENGTH"])
    firsts = [int(i) for i in (marks[:, 0] == 1).nonzero()[0]] or [0]
    out = []
    for first, after in zip(firsts, [*firsts[1:], len(doc)], strict=True):
        start, end = int(marks[first, 1]), int(marks[after - 1, 1] + marks[after - 1, 2])
        for m in _BREAK.finditer(text, start, end):
            if not _ends_sentence(text, m.start()):
                continue
            out.append((start, m.start()))
            start = m.end()
        out.append((start, end))
    return [(s, e) for s, e in out if e > s] or [(0, len(text))]


def _document(text: str) -> Any:
    """The text tokenised, keeping the text itself: spaCy joins ``Doc.text`` from its tokens on every
    read, and the four reads of an extraction took a seventh of its time."""
    doc = _pipeline().make_doc(text)
    doc.user_data["text"] = text
    return doc


def _text_of(doc: Any) -> str:
    return str(doc.user_data["text"])


@cache
def _pipeline() -> Any:
    """A blank English pipeline with a sentencizer: spaCy's tokenizer and rules, no model to fetch."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


def _sentence_of(sentences: list[tuple[int, int]], start: int) -> list[int]:
    # sentences are in order and do not overlap: the one holding ``start`` is found by bisection
    i = bisect.bisect_right(sentences, (start, float("inf"))) - 1
    if i >= 0 and sentences[i][0] <= start < sentences[i][1]:
        return [sentences[i][0], sentences[i][1]]
    return [0, 0]


#: countries whose cities local sources name in Chinese characters or Cyrillic, so that GeoNames'
#: alternate names in those scripts, and their several romanisations, are names in prose: the
#: former Soviet republics among them keep Russian-derived English names beside their national
#: romanisation (Andijan for Andijon, Fergana for Farg'ona)
SCRIPT_COUNTRIES = frozenset(
    {"CN", "HK", "MO", "TW", "RU", "BY", "KZ", "KG", "UA", "MN", "UZ", "TJ", "TM", "AZ", "AM", "GE"}
)
#: the suffixes that a Chinese city name may carry (市 city, 县 county, 区 district)
_HAN_SUFFIXES = ("市", "县", "区")


def _script(name: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u0400" <= ch <= "\u04ff" for ch in name)


@cache
def _gazetteer(min_population: int = 50_000) -> dict[str, int]:
    """Lower-cased city name → row of the GeoNames city table: the most populous of that name.

    Latin names count from 50,000 people (below that too many are also common words); names in
    Chinese characters or Cyrillic, from GeoNames' alternate names, count for every city in the
    table, since they cannot be mistaken for English words."""

    table = city_table()
    best: dict[str, int] = {}

    def offer(key: str, i: int) -> None:
        if key not in best or table.population[i] > table.population[best[key]]:
            best[key] = i

    for i, name in enumerate(table.name):
        if table.population[i] >= min_population:
            offer(name.casefold(), i)
            if "’" in name:  # GeoNames writes Xi’an; prose mostly Xi'an
                offer(name.replace("’", "'").casefold(), i)
            if not name.isascii():  # Ürümqi is written Urumqi in most English prose
                offer(fold_accents(name).casefold(), i)
            if table.iso2[i] in _RUSSIAN_ROMANISED and name.endswith(("yy", "iy")):
                # GeoNames romanises ый and ий as "yy" and "iy", English prose as "y": Pogranichny
                offer(name[:-2].casefold() + "y", i)
    row = {int(g): i for i, g in enumerate(table.geonameid.tolist())}
    for city in geonames_cities(MIN_POPULATION).values():
        j = row.get(int(city["geonameid"]))
        if j is None:
            continue
        if city["countrycode"] not in SCRIPT_COUNTRIES:
            # Chinese sources name cities everywhere (琅勃拉邦, Luang Prabang): the Chinese names of
            # the cities of other countries count from 50,000 people, as their Latin names do
            if table.population[j] >= 50_000:
                for alt in city.get("alternatenames") or []:
                    if any("\u4e00" <= ch <= "\u9fff" for ch in alt) and len(alt) > 2:
                        for form in dict.fromkeys((alt, _simplified(alt))):
                            offer(form, j)
            continue
        for alt in city.get("alternatenames") or []:
            if _script(alt):
                # GeoNames often has a city's Chinese name in traditional characters only (阿拉木圖):
                # mainland sources write it in simplified ones (阿拉木图)
                for form in dict.fromkeys((alt, _simplified(alt))):
                    offer(form.casefold(), j)
                    if form.endswith(_HAN_SUFFIXES) and len(form) > 2:
                        offer(form[:-1], j)
            elif _romanised(alt) and not _demonym(alt) and (
                table.population[j] >= LATIN_ALTERNATES_FROM or _respelt(alt, table.name[j])
            ):
                # a city of a non-Latin script has several romanisations (Hrodna, Grodno; Ürümqi,
                # Urumchi); from this size they are names in English prose, not words; and one a
                # letter or two from the city's own name (Darkhan, Darhan) is that name respelt,
                # counted from the size the name itself counts from
                offer(alt.casefold(), j)
    return best


#: countries whose place names GeoNames romanises from Russian (BGN/PCGN's "yy" for ый)
_RUSSIAN_ROMANISED = frozenset({"RU", "BY", "UA", "KZ", "KG"})
def _simplified(name: str) -> str:
    """``name`` in simplified Chinese characters (OpenCC's t2s tables); other scripts unchanged."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name
    return str(_t2s().convert(name))


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


#: the population from which a Latin alternate name of a city in a non-Latin script counts
LATIN_ALTERNATES_FROM = 100_000


def _respelt(alt: str, name: str) -> bool:
    """Whether an alternate name is the city's own name in another romanisation: at most two
    letters apart (Darkhan for Darhan, Ulaanbaatar is not Ulan Bator)."""
    a, b = fold_accents(alt).casefold(), fold_accents(name).casefold()
    return a != b and Levenshtein.distance(a, b) <= 2 and min(len(a), len(b)) >= 5


def _demonym(alt: str) -> bool:
    """A name that begins a country's name (Kazakh, of Kazakhstan; some city's alternate too): in
    prose it is the people or the language, not the city."""
    key = alt.casefold()
    names = _country_names_sorted()
    # the first name at or after the key in sorted order begins with it, if any does: a
    # bisection, not a scan of every country's names for each of GeoNames' 120,000 alternates
    at = bisect.bisect_left(names, key)
    return at < len(names) and names[at].startswith(key)


@cache
def _country_names_sorted() -> tuple[str, ...]:
    return tuple(sorted(_countries()))


def _romanised(alt: str) -> bool:
    """An alternate name that reads as a romanised place name: Latin letters, capitalised, five or
    more letters, no digits (GeoNames' alternates also hold codes, airport names, old spellings)."""
    return bool(re.fullmatch(r"[A-Z][a-z]{4,}(?:[- ][A-Z][a-z]+)?", fold_accents(alt)))


class KBPlace(NamedTuple):
    record: str
    name: str
    lat: float | None
    lon: float | None
    country_level: bool
    iso3: str | None


def _kb_places(conn: Connection | None) -> dict[str, KBPlace]:
    """Lower-cased name or alias → the knowledge base's curated place of that name, read once per
    store version (read per document, decoding the records' JSON took a quarter of extraction)."""
    if conn is None:
        return {}
    return per_store_version(conn, "kb-places", lambda: _read_kb_places(conn))


def _read_kb_places(conn: Connection) -> dict[str, KBPlace]:
    found: dict[str, KBPlace] = {}
    for rid, name, subkind, lat, lon, data in curated_places(conn):
        country = subkind == "country"
        place = KBPlace(rid, name, lat, lon, country, data.get("country") if country else None)
        for label in [name, *(data.get("aliases") or [])]:
            found.setdefault(label.casefold(), place)
    return found


def _kb_actors(conn: Connection | None) -> dict[str, tuple[str, str, str, str | None]]:
    """Lower-cased name or alias → (record id, name, actor kind, jurisdiction or seat), once per
    store version."""
    if conn is None:
        return {}
    return per_store_version(conn, "kb-actors", lambda: _read_kb_actors(conn))


def _read_kb_actors(conn: Connection) -> dict[str, tuple[str, str, str, str | None]]:
    found: dict[str, tuple[str, str, str, str | None]] = {}
    for rid, name, subkind, data in live_actors(conn):
        place = data.get("jurisdiction") or data.get("seat")
        for label in [name, *(data.get("aliases") or [])]:
            found.setdefault(label.casefold(), (rid, name, subkind or data.get("kind", ""), place))
    return found


ORG_HEADS = (
    "University|Institute|Academy|Ministry|Embassy|Consulate|Government|Committee|Commission|Council|"
    "Organi[sz]ation|Association|Federation|Chamber of Commerce|Bank|Company|Corporation|Group|Agency|"
    "Administration|Department|Bureau|Office|Fund|Party|Authority|AG|GmbH|Ltd|LLC|JSC|PJSC|plc|Holdings|Railways"
)
_CAP = rf"(?!(?:{ORG_HEADS})\b)(?:[A-Z][\w'’&-]*)"
#: capitalised words ending in an organisation's head noun, with an "of …" tail: the actors that
#: the knowledge base does not know yet (its own are matched by name and alias first)
ORG_PATTERN = re.compile(
    # the words before the head may run over a line break ("the Xinjiang / Uygur … Commission");
    # the "of …" tail only just after its "of", so a byline's next line is not taken in; nor does
    # the tail's "and" run into a second organisation ("… of Minsk Oblast and China Railway Group")
    rf"\b(?:{_CAP}[ \t]*\n?[ \t]*(?:(?:of|and|for|the|on)[ \t]*\n?[ \t]*)*){{0,6}}(?P<head>{ORG_HEADS})\b"
    # "… Design Institute Group": a group named after the institute it grew from
    r"(?:[ \t]+(?:Group|Company|Corporation|Holdings)\b)?"
    # a name does not end in "of": after it the tail may run onto the next line ("Bank of / China")
    rf"(?:[ \t]+(?:of|for|on)[ \t]*\n?[ \t]*(?:the[ \t]+)?[A-Z][\w'’-]*"
    rf"(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?|and[ \t]+(?!(?:[A-Z][\w'’-]*[ \t]+){{0,5}}(?:{ORG_HEADS})\b))?"
    rf"[A-Z][\w'’-]*)*)?"
)
ORG_HEAD = re.compile(rf"\b(?:{ORG_HEADS})\b")
HEAD_KINDS = {
    "university": "research_institute",
    "institute": "research_institute",
    "academy": "research_institute",
    "bank": "bank",
    "fund": "bank",
    "company": "company",
    **dict.fromkeys(("ag", "gmbh", "ltd", "llc", "jsc", "pjsc", "plc", "holdings", "railways"), "company"),
    "corporation": "company",
    "group": "company",
    "association": "association",
    "federation": "association",
    "chamber of commerce": "association",
    "party": "party",
    "organization": "international_organisation",
    "organisation": "international_organisation",
}


def _org_matches(text: str) -> list[re.Match[str]]:
    """ORG_PATTERN's matches, tried only around the head nouns: a head is rare, and trying the
    pattern at every word of a document took a third of the extraction's time."""
    found: dict[int, re.Match[str]] = {}
    for head in ORG_HEAD.finditer(text):
        for m in ORG_PATTERN.finditer(text, max(0, head.start() - 200), min(len(text), head.end() + 200)):
            if m.start("head") == head.start() and head.start() not in found:
                found[head.start()] = m
                break
    return sorted(found.values(), key=lambda m: m.start())


def _actors(doc: Any, conn: Connection | None) -> list[dict[str, Any]]:
    """Governments, companies, banks and associations: the knowledge base's actors by name and
    alias, then capitalised names ending in an organisation's head noun ("… Reform Commission")."""
    from spacy.util import filter_spans

    text = _text_of(doc)
    kb = _kb_actors(conn)
    spans = [doc[s:e] for _id, s, e in _actor_matcher(frozenset(kb))(doc)]
    for m in _org_matches(text):
        start = m.start()
        # "China's National Development and Reform Committee": the possessive is not the name
        lead = re.match(r"(?:The[ \t]+|(?!People)[A-Z][\w.-]*['’]s[ \t]+)+", m.group(0))
        if lead:
            start += lead.end()
        span = doc.char_span(start, m.end(), alignment_mode="expand")
        if span is not None and len(span) > 1:
            spans.append(span)
    out = []
    for span in filter_spans(spans):
        key = span.text.casefold()
        item: dict[str, Any] = {
            "kind": "actor",
            "text": span.text,
            "start": span.start_char,
            "end": span.end_char,
        }
        if key in kb:
            rid, name, actor_kind, place = kb[key]
            item.update(
                record=rid, name=name, actor_kind=actor_kind, place_record=place, resolved_by="knowledge base"
            )
        else:
            head = ORG_PATTERN.fullmatch(span.text)
            word = (head.group("head") if head else span.text.split()[-1]).casefold()
            item.update(
                name=" ".join(span.text.split()), actor_kind=HEAD_KINDS.get(word, "government_body"), resolved_by="pattern"
            )
        out.append(item)
    return out


@lru_cache(maxsize=4)
def _actor_matcher(kb_labels: frozenset[str]) -> Any:
    from spacy.matcher import PhraseMatcher

    nlp = _pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("ACTOR", list(nlp.tokenizer.pipe(sorted(kb_labels))))
    return matcher


def _places(doc: Any, kb: dict[str, KBPlace]) -> list[dict[str, Any]]:
    from spacy.util import filter_spans

    kb_countries = {p.iso3: p for p in kb.values() if p.iso3}
    text = _text_of(doc)
    gaz = _gazetteer()
    countries = _countries()
    matcher = _matcher(frozenset(kb))
    # "nice", "split", "reading": a place is written with a capital, so lower-case matches go
    # before the longest match is chosen ("northeast China" leaves "China"); "Date" and "Of" are
    # GeoNames cities but in running text they are words
    spans = filter_spans(
        [
            doc[s:e]
            for _id, s, e in matcher(doc)
            if (doc[s].text[:1].isupper() or not doc[s].text[:1].isascii())
            and doc[s:e].text not in NOT_PLACES
        ]
    )
    out = []
    for span in spans:
        surface = span.text
        key = surface.casefold()
        item: dict[str, Any] = {
            "kind": "place",
            "text": surface,
            "start": span.start_char,
            "end": span.end_char,
        }
        iso3 = ABBREVIATIONS.get(surface) if surface in ABBREVIATIONS else countries.get(key)
        if key in kb:
            place = kb[key]
            item.update(record=place.record, name=place.name, lat=place.lat, lon=place.lon)
            item.update(level="country" if place.country_level else "local", resolved_by="knowledge base")
            if place.iso3:
                item["country"] = place.iso3
        elif iso3:
            item.update(country=iso3, level="country", resolved_by=_country_source(surface))
            if iso3 in kb_countries:
                item.update(record=kb_countries[iso3].record, name=kb_countries[iso3].name)
            else:
                item["name"] = country_name(iso3)
        elif key in _provinces():
            name, code, iso2 = _provinces()[key]
            item.update(
                name=name, level="local", iso_3166_2=code, country_iso2=iso2, resolved_by="ISO 3166-2"
            )
        elif region := _REGION_WORD.match(text, span.end_char):
            # "Grodno Region", "Vitebsk Oblast": the region named after its city, not the city
            city = city_table().place(gaz[key])
            item.update(
                text=text[span.start_char : region.end()],
                end=region.end(),
                name=f"{surface} {region.group(1).capitalize()}",
                level="local",
                place_kind="province",
                country_iso2=city["country_iso2"],
                named_after=city["name"],
                resolved_by="GeoNames city with a region word (the region named after it)",
            )
            iso_code = _subdivision_code(key, {city["country_iso2"]})
            if iso_code:
                item.update(iso_3166_2=iso_code, resolved_by="ISO 3166-2 (a region named after its city)")
        else:
            item.update(
                city_table().place(gaz[key]),
                level="local",
                resolved_by="GeoNames (most populous of that name)",
            )
        out.append(item)
    return out


@cache
def _subdivisions() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Folded first word of an ISO 3166-2 subdivision's name, and its Russian adjective's stem
    ("Amurskaya oblast'" → amurskaya, amursk, amur) → (name, code, ISO2) of each subdivision so named."""
    index: dict[str, list[tuple[str, str, str]]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) or "city" in sub.type.casefold():
            continue  # first-level divisions, not the cities of the same name (Almaty, KZ-75)
        words = fold_accents(sub.name).casefold().replace("'", "").split()
        if not words or len(words[0]) < 3:
            continue
        first = words[0]
        keys = {first, " ".join(words)}
        keys |= {re.sub(r"(sk)(?:aya|iy|ij|aja|oye)$", r"\1", first), re.sub(r"sk(?:aya|iy|ij|aja|oye)$", "", first)}
        for k in keys:
            index.setdefault(k, []).append((sub.name, sub.code, sub.country_code))
    return {k: tuple(v) for k, v in index.items()}


def _subdivision_code(key: str, countries: set[str]) -> str | None:
    """The ISO 3166-2 code of the one first-level division of ``countries`` that ``key`` names."""
    codes = {code for _n, code, iso2 in _subdivisions().get(fold_accents(key).casefold(), ()) if iso2 in countries}
    return codes.pop() if len(codes) == 1 else None


#: a capitalised name before "in" and another place ("Zamyn-Uud in Dornogovi Province"), and two
#: names joined by "and" before a twinning verb ("Erenhot and Zamyn-Uud became sister cities")
_NAME = r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?"
_IN_PLACE = re.compile(rf"(?P<name>{_NAME})\s+in\s+(?:the\s+)?(?=[A-Z])")
_AND_PAIR = re.compile(rf"(?P<a>{_NAME})\s+and\s+(?P<b>{_NAME})\s+(?:became|have been|has been|are|were|established|signed)\b")


_DISTRICT_OF = re.compile(
    r"[A-Z][\w'’-]*(?P<s>['’]s)\s+(?P<district>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? (?:District|County|New Area))\b"
)


def _context_places(text: str, found: _Spans, taken: _Spans, places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Towns and field places too small for the gazetteer's cut, where the sentence says they are
    places: one lying "in" a place already found, in that place's country, and the unknown partner
    beside a known one in a sentence about twinning. A name of several places is not guessed."""
    from spacy.lang.en.stop_words import STOP_WORDS

    by_start = {p["start"]: p for p in places}
    small, field = _gazetteer(min_population=0), _field_index()
    table = city_table()
    out: list[dict[str, Any]] = []

    def resolve(start: int, end: int, countries: set[str] | None, how: str) -> bool:
        surface = text[start:end]
        key = fold_accents(surface).casefold()
        if key in STOP_WORDS or key in _NOT_FIELD_NAMES or found.overlaps(start, end) or taken.overlaps(start, end):
            return False
        options: dict[str, dict[str, Any]] = {}
        if key in small:
            town = table.place(small[key])
            options[town["country_iso2"]] = {**town, "resolved_by": f"GeoNames (a town {how})"}
        for loc in field.get(key, ()):
            options.setdefault(loc.country_iso2, _location_place(loc, f"UN/LOCODE (a place {how})"))
        fitting = [v for iso2, v in options.items() if countries is None or iso2 in countries]
        if len(fitting) != 1:
            return False
        found.add(start, end)
        out.append({"kind": "place", "text": surface, "start": start, "end": end, **fitting[0], "level": "local"})
        return True

    for m in _IN_PLACE.finditer(text):
        container = by_start.get(m.end())
        if container is None:
            continue
        iso2 = container.get("country_iso2") or (iso2_of(container["country"]) if container.get("country") else None)
        if iso2:
            resolve(m.start("name"), m.end("name"), {iso2}, f"in {container['text']}")
    # "the Anaklia deep-sea port": a town too small for UN/LOCODE's field list, in a country the
    # text names, where the noun after it says it is a place
    iso2s = (iso2_of(p["country"]) for p in places if p.get("level") == "country" and p.get("country"))
    named = {iso2 for iso2 in iso2s if iso2}
    if named:
        for m in _FIELD_BEFORE.finditer(text):
            words = list(re.finditer(r"[A-Z][\w'’-]+", m.group("name")))
            for first in words[-2:]:  # "The Anaklia": from the last two words, then the last
                how = f"beside {m.group('noun')!r}"
                if resolve(m.start("name") + first.start(), m.end("name"), named, how):
                    break
    if PARTNER_TERM.search(text):
        for m in _AND_PAIR.finditer(text):
            if not PARTNER_TERM.search(text[m.end() : m.end() + 40]):
                continue
            for side, other in (("a", "b"), ("b", "a")):
                if m.start(other) in by_start:
                    resolve(m.start(side), m.end(side), None, "named as a partner")
    # "Guangzhou's Nansha District": a district of a city already found, named but not resolved
    for m in _DISTRICT_OF.finditer(text):
        city = by_start.get(m.start())
        start, end = m.start("district"), m.end("district")
        if city is None or city["end"] != m.start("s") or found.overlaps(start, end) or taken.overlaps(start, end):
            continue
        found.add(start, end)
        out.append({"kind": "place", "text": text[start:end], "start": start, "end": end, "name": text[start:end],
                    "level": "local", "place_kind": "district", "country_iso2": city.get("country_iso2"),
                    "parent": city["name"], "resolved_by": f"unresolved: a district of {city['name']}"})  # fmt: skip
    # a name the document's context has resolved once means that place wherever it recurs
    for place in list(out):
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(place['text'])}(?![\w'’-])", text):
            if not found.overlaps(m.start(), m.end()) and not taken.overlaps(m.start(), m.end()):
                found.add(m.start(), m.end())
                out.append({**place, "start": m.start(), "end": m.end()})
    return out


#: "Dornogovi Province", "Sughd Region": a name before a region word
_NAMED_REGION = re.compile(
    # the word in lower case too ("Serbia's Vojvodina province"): the name must be a division's
    r"\b(?P<name>[A-Z][\w'’-]+)\s+(?P<word>Province|Region|Oblast|Oblys|Voblast|Krai|Kray|Aimag|Governorate|Viloyat|"
    r"Division|province|region|oblast)\b"
)


def _region_places(text: str, found: _Spans, taken: _Spans, places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """First-level divisions outside China's table named with their region word, by ISO 3166-2: one
    country's division, or the one of a country the text names. A division called by its own name
    is that name ("Dornogovi Province", as "Yunnan province" is Yunnan); one called by an adjective's
    stem keeps its word ("Amur Region": Amur alone is the river)."""
    named = {p.get("country") for p in places if p.get("level") == "country"}
    out: list[dict[str, Any]] = []
    for m in _NAMED_REGION.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        if re.search(r"[A-Z][\w-]*\s+$", before) and not re.search(r"['’]s\s+$", before):
            continue  # the end of a longer name ("Xinjiang Uygur Autonomous Region")
        key = fold_accents(m.group("name")).casefold()
        subs = _subdivisions().get(key, ())
        if not subs or found.overlaps(m.start(), m.end()) or taken.overlaps(m.start(), m.end()):
            continue
        if len({iso2 for _n, _c, iso2 in subs}) > 1:
            subs = tuple(x for x in subs if country_iso3(x[2]) in named)
        if len({code for _n, code, _i in subs}) != 1:
            continue  # several divisions could be meant: not guessed
        name, code, iso2 = subs[0]
        own = fold_accents(name).casefold().replace("'", "").split()[0] == key
        end = m.end("name") if own else m.end()
        found.add(m.start(), end)
        out.append(
            {
                "kind": "place",
                "text": text[m.start() : end],
                "start": m.start(),
                "end": end,
                "name": name if own else f"{m.group('name')} {m.group('word')}",
                "level": "local",
                "place_kind": "province",
                "iso_3166_2": code,
                "country_iso2": iso2,
                "resolved_by": "ISO 3166-2 (a name with its region word)",
            }
        )
    return out


#: the words after a city's name that make it the name of the region around it
_REGION_WORD = re.compile(
    r"\s+(Region|Oblast|Oblys|Voblast|Krai|Kray|Province|Aimag|Division|region|oblast|province)\b"
)


#: "Mengla with Luang Namtha" in a sentence about twinning: each side a capitalised name
_PAIR = re.compile(
    r"(?P<a>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)\s+with\s+(?P<b>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)"
)


_PAIRED_NAME = r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?"
_AND_PAIR_IN_LIST = re.compile(rf"(?P<a>{_PAIRED_NAME})\s+and\s+(?P<b>{_PAIRED_NAME})")
_AND_LIST = re.compile(rf"(?:{_PAIRED_NAME}\s+and\s+{_PAIRED_NAME},\s+(?:and\s+)?)+{_PAIRED_NAME}\s+and\s+{_PAIRED_NAME}")


def _paired_places(text: str, found: _Spans, taken: _Spans) -> list[dict[str, Any]]:
    """Towns below the gazetteer's size cut that stand as partners in a list of pairs ("Vitebsk
    with Jinan, Mengla with Luang Namtha") of a sentence about twinning: there, a capitalised name
    that GeoNames has for a town of 1,000 people or more is that town, not a word."""
    if not PARTNER_TERM.search(text):
        return []
    from spacy.lang.en.stop_words import STOP_WORDS

    small = _gazetteer(min_population=0)  # every town of the city table, by any of its names
    out = []
    # "Osh and Kashgar, Naryn and Artux, and Karakol and Korla": pairs joined by "and", listed
    listed = [p for e in _AND_LIST.finditer(text) for p in _AND_PAIR_IN_LIST.finditer(text, e.start(), e.end())]
    for m in [*_PAIR.finditer(text), *listed]:
        if not PARTNER_TERM.search(text[max(0, m.start() - 300) : m.end() + 300]):
            continue
        for side in ("a", "b"):
            start, end = m.span(side)
            key = m.group(side).casefold()
            row = None if key in STOP_WORDS else small.get(key)  # "Together with Harbin"
            if row is None or found.overlaps(start, end) or taken.overlaps(start, end):
                continue
            found.add(start, end)
            out.append(
                {
                    "kind": "place",
                    "text": m.group(side),
                    "start": start,
                    "end": end,
                    **city_table().place(row),
                    "level": "local",
                    "resolved_by": "GeoNames (a town named as a partner in a list of pairs)",
                }
            )
    return out


#: the nouns that make a capitalised name before them (or after "port of") a field place
_FIELD_NOUN = (
    r"(?:dry|land|inland|sea|river|deep[- ]?(?:sea|water))\s+ports?|port\s+(?:city|town)|ports?|pass|border\s+(?:crossing|post|point)s?|crossings?"
    r"|checkpoints?|railway\s+stations?|stations?|(?:rail|container|freight)\s+terminals?|railheads?"
)
_FIELD_BEFORE = re.compile(rf"(?P<name>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){{0,2}})\s+(?P<noun>{_FIELD_NOUN})\b")
_FIELD_AFTER = re.compile(rf"\b(?P<noun>{_FIELD_NOUN})\s+of\s+(?P<name>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){{0,2}})")
#: what each noun says a place is for, in UN/LOCODE's function digits (a pass is a road crossing)
_NOUN_FUNCTIONS = (("port", "16"), ("station", "2"), ("terminal", "26"), ("railhead", "2"))
#: capitalised words before a field noun that are not names ("Dry Port", "the New Port")
_NOT_FIELD_NAMES = frozenset(
    {"dry", "land", "inland", "sea", "river", "new", "old", "main", "border", "railway", "rail", "container",
     "freight", "international", "free", "deep", "water", "deep-sea", "deepwater", "deep-water", "north",
     "south", "east", "west", "central"}
)
_FIELD_KINDS = {"1": "port", "6": "port", "B": "border_crossing", "2": "site"}


@cache
def _field_index() -> dict[str, tuple[Location, ...]]:
    """Lower-cased, accent-folded UN/LOCODE name → its locations (one name can be in many countries)."""
    index: dict[str, list[Location]] = {}
    for loc in field_locations():
        index.setdefault(fold_accents(loc.name).casefold(), []).append(loc)
    return {k: tuple(v) for k, v in index.items()}


def _field_places(text: str, found: _Spans, taken: _Spans, places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ports, passes, dry ports and rail terminals too small for GeoNames' city table, by their
    UN/LOCODE name where the prose says what they are ("the Torkham border crossing", "the port of
    Zarubino"). A name held by several countries' locations is resolved by a country the text
    names; where none or several fit, it is not guessed."""
    named = {p.get("country") for p in places if p.get("level") == "country"} | {
        country_iso3(p["country_iso2"]) for p in places if p.get("country_iso2")
    }
    index = _field_index()
    out: list[dict[str, Any]] = []
    for pattern in (_FIELD_BEFORE, _FIELD_AFTER):
        for m in pattern.finditer(text):
            words = re.split(r"(?<=[\w'’])([ -])", m.group("name"))
            start = m.start("name")
            # the longest run of the name's last words that UN/LOCODE has: "Pakistan's Torkham"
            # before "border" is Torkham ("Port Qasim" keeps its own "Port")
            for cut in range(0, len(words), 2):
                surface = "".join(words[cut:])
                s = start + len("".join(words[:cut]))
                if pattern is _FIELD_AFTER:  # after "port of", the first words are the name
                    surface = "".join(words[: len(words) - cut])
                    s = start
                e = s + len(surface)
                key = fold_accents(surface).casefold().removesuffix("'s").removesuffix("’s")
                if key in _NOT_FIELD_NAMES or key in _countries() or _demonym(key) or key not in index:
                    continue
                if found.overlaps(s, e) or taken.overlaps(s, e):
                    break
                loc = _choose_location(index[key], m.group("noun").casefold(), named)
                if loc is None:
                    break
                found.add(s, e)
                out.append(
                    {
                        "kind": "place",
                        "text": text[s:e],
                        "start": s,
                        "end": e,
                        **_location_place(loc, f"UN/LOCODE (a name beside {m.group('noun')!r})"),
                        "level": "local",
                    }
                )
                break
    return out


def _location_place(loc: Location, how: str) -> dict[str, Any]:
    """A UN/LOCODE location as an extracted place names it, its kind from its first kept function."""
    return {
        "name": loc.name,
        "unlocode": loc.code,
        "country_iso2": loc.country_iso2,
        "lat": loc.lat,
        "lon": loc.lon,
        "place_kind": next(_FIELD_KINDS[d] for d in "16B2" if d in loc.functions),
        "resolved_by": how,
    }


def _choose_location(locations: tuple[Location, ...], noun: str, named: set[str | None]) -> Location | None:
    wanted = next((f for word, f in _NOUN_FUNCTIONS if word in noun), "B")
    fitting = [loc for loc in locations if any(d in loc.functions for d in wanted)] or list(locations)
    countries = {loc.country_iso2 for loc in fitting}
    if len(countries) > 1:
        fitting = [loc for loc in fitting if country_iso3(loc.country_iso2) in named]
        countries = {loc.country_iso2 for loc in fitting}
    return fitting[0] if len(countries) == 1 else None


@cache
def _countries() -> dict[str, str]:
    """Lower-cased country name → ISO3: ISO 3166's names, and the short English names of Unicode's
    CLDR (via Babel), since ISO has no "Russia", "Vietnam" or "South Korea" and prose has little else."""
    from babel import Locale

    countries = {c.name.casefold(): c.alpha_3 for c in pycountry.countries}
    for c in pycountry.countries:
        for label in (getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if label:
                countries[label.casefold()] = c.alpha_3
    short = Locale.parse("en").territories
    for c in pycountry.countries:
        if c.alpha_2 in short:
            countries.setdefault(short[c.alpha_2].casefold(), c.alpha_3)
    return countries


def _country_source(surface: str) -> str:
    if surface in ABBREVIATIONS:
        return "common abbreviation"
    c = pycountry.countries.get(alpha_3=_countries()[surface.casefold()])
    iso = {str(getattr(c, a, "")).casefold() for a in ("name", "common_name", "official_name")}
    return "ISO 3166 (pycountry)" if surface.casefold() in iso else "Unicode CLDR short name (Babel)"


@cache
def _provinces() -> dict[str, tuple[str, str, str]]:
    """Lower-cased province name → (name, ISO 3166-2 code, ISO2) from ``admin1.yaml``."""
    return {
        entry["name"].casefold(): (entry["name"], entry["iso"], iso2)
        for iso2, divisions in admin1_table().items()
        for entry in divisions.values()
    }


@lru_cache(maxsize=4)
def _matcher(kb_labels: frozenset[str]) -> Any:
    """The phrase matcher for a set of knowledge-base labels (built once per set: it takes seconds)."""
    from spacy.matcher import PhraseMatcher

    nlp = _pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    labels = (
        set(kb_labels)
        | set(_gazetteer())
        | set(_provinces())
        | set(_countries())
        | {a.casefold() for a in ABBREVIATIONS}
    )
    matcher.add("PLACE", list(nlp.tokenizer.pipe(sorted(labels))))
    return matcher


class _Spans:
    """Disjoint spans of the text already claimed, kept sorted: an overlap test is two bisections,
    so a document's matches are checked in n log n, not n² (a 2.6 MB text took 233 s before)."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans or []):
            self.starts.append(start)
            self.ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        # the span starting at or before ``start`` may reach past it; the next may start before ``end``
        return (i > 0 and self.ends[i - 1] > start) or (i < len(self.starts) and self.starts[i] < end)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _check_length(text: str) -> None:
    if len(text) > _pipeline().max_length:
        msg = (
            f"the document is {len(text):,} characters; the extractor reads at most "
            f"{_pipeline().max_length:,} at once: split it into parts"
        )
        raise ValidationFailed(msg)


def _places_of_actors(actors: list[dict[str, Any]], places: list[dict[str, Any]]) -> None:
    """Give each actor the places inside its name (found by bisection over the sorted places)."""
    places.sort(key=lambda p: p["start"])
    place_starts = [p["start"] for p in places]
    for actor in actors:
        first = bisect.bisect_left(place_starts, actor["start"])
        last = bisect.bisect_right(place_starts, actor["end"])
        inner = [p for p in places[first:last] if p["end"] <= actor["end"]]
        actor["places"] = [p["name"] for p in inner]
        if inner and not actor.get("place_record"):
            actor["place_record"] = inner[-1].get("record")


def _overlaps(start: int, end: int, taken: _Spans) -> bool:
    return taken.overlaps(start, end)


def _all_places(doc: Any, kb: dict[str, KBPlace], taken: _Spans) -> list[dict[str, Any]]:
    """Places by name (knowledge base, countries, provinces, cities), then the smaller ones that
    only their context tells: partners in a list of pairs, and ports, passes and terminals."""
    places = [p for p in _places(doc, kb) if not _overlaps(p["start"], p["end"], taken)]
    found = _Spans([(x["start"], x["end"]) for x in places])
    text = _text_of(doc)
    places += _paired_places(text, found, taken)
    places += _field_places(text, found, taken, places)
    places += _region_places(text, found, taken, places)
    places += _context_places(text, found, taken, places)
    return places


def extract(
    text: str, conn: Connection | None = None, *, language: str | None = None, suggestions: bool = True
) -> list[Candidate]:
    """Candidate places, actors, dates and quantities in reading order, each with text, start, end
    and sentence; then the relations between them (partnerships, agreements, project, zone and
    trade facts), each with the clause it was read from; then, with ``suggestions``, the trained
    classifier's partnerships and agreements that the rules missed, flagged ``suggested``
    (``suggestions.py``). Chinese and Russian texts are read by ``multilingual.extract_local``; a
    text in another script is refused. ``language`` is the one the caller already detected (so a
    document is not read for its script twice)."""
    candidates: list[dict[str, Any]] = []
    _check_length(text)
    language = language or detect_language(text)
    if language != "en":
        return extract_local(text, language, conn)
    taken = _Spans()
    for kind, pattern in QUANTITY_PATTERNS:
        for m in pattern.finditer(text):
            # a pattern's leading words ("rose 86 percent in 2023, to") say what the number is;
            # the quantity is the number and its unit, and the words stay free for their own facts
            start = m.start("num") if m.groupdict().get("pre") else m.start()
            if _overlaps(start, m.end(), taken) or (kind == "count" and _year_like(text, m)):
                continue
            taken.add(start, m.end())
            candidates.append(
                {
                    "kind": "quantity",
                    "dimension": kind,
                    "text": text[start : m.end()],
                    "start": start,
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
                taken.add(m.start(), m.end())
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
            if _in_url(text, m.start(), m.end()):
                continue
            inferred = m.groupdict().get("y") is None
            if inferred:
                # only a dateline (a full date near the top, as news carry) gives the year
                dateline = [
                    c
                    for c in candidates
                    if c["kind"] == "date"
                    and c["precision"] == "day"
                    and c["end"] <= min(m.start(), DATELINE)
                ]
                if not dateline:
                    continue
                year = int(dateline[0]["value"][:4])
            else:
                year = int(m.group("y"))
            taken.add(m.start(), m.end())
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
                    **({"year": "inferred from the date before it"} if inferred else {}),
                }
            )
    doc = _document(text)  # tokenised once for actors, places and sentences
    actors = [a for a in _actors(doc, conn) if not _overlaps(a["start"], a["end"], taken)]
    kb = _kb_places(conn)  # read once: the places' labels, and the names of actors' places
    places = _all_places(doc, kb, taken)
    # a place inside an actor's name ("Executive Committee of Minsk Oblast") is the actor's, not a
    # mention of the place: it becomes the actor's place when the knowledge base does not say
    spans = _Spans([(a["start"], a["end"]) for a in actors])
    _places_of_actors(actors, places)
    candidates += actors + [p for p in places if not _overlaps(p["start"], p["end"], spans)]
    sentences = _sentences(doc)
    for item in candidates:
        item["sentence"] = _sentence_of(sentences, item["start"])
    candidates.sort(key=lambda c: (c["start"], c["kind"]))
    found = _with_relations(text, candidates, sentences, {p.record: p.name for p in kb.values()}, suggestions)
    # the rules build each kind's dictionary with the keys its TypedDict in candidates.py lists
    return cast(list[Candidate], found)


def _with_relations(
    text: str,
    candidates: list[dict[str, Any]],
    sentences: list[tuple[int, int]],
    place_names: dict[str, str],
    suggestions: bool,
) -> list[dict[str, Any]]:
    found = candidates + find_relations(text, candidates, sentences, place_names)
    return found + suggest(text, found) if suggestions else found
