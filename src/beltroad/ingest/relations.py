"""Relations between the candidates of one document: the facts a reviewer turns into records.

A relation is read from one clause (a sentence, or the part of it between semicolons) and built
from the places, actors, dates and quantities already found there, so every relation carries the
same spans as its parts:

- ``partnership`` / ``established``: two local places, a friendship (sister, twin) term and a verb
  of establishing; the date is the clause's first;
- ``agreement`` / ``signed``: an agreement word (agreement, memorandum, minutes of talks,
  programme, joint statement…) with a verb of signing, or "agreed to", or a declared partnership;
  the parties are the actors or places after "between", else the places just before the verb,
  else the places whose officials are named ("Jilin Province Governor"), else the clause's places;
  "both parties" reaches back one sentence for its parties and date;
- ``project`` facts: ``launch``, ``completion`` and ``proposal`` milestones (a verb whose nearest
  preceding noun is a project noun: town, bridge, railway, centre, zone…, dated by the nearest date
  after the verb, a duration after it, or the nearest date before it), and ``area``, ``floor_area``,
  ``capacity`` and ``investment`` from the quantities of a clause about a project;
- ``zone`` facts: ``area_side`` (an area "in" a named place) and ``policy`` (durations and money of
  exemptions, visas and allowances while a zone is the subject);
- ``trade`` facts: ``value`` (money next to a trade word) and ``growth`` (a percentage of increase)
  between the places of the clause, or the last two countries named when it says "the two
  countries".

These are patterns over English prose, not a parser: they propose, and a person decides.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

#: how far from the top a news dateline may stand (as in ``extract``)
DATELINE = 600
PARTNER_TERM = re.compile(
    r"\b(?:friendship|friendly|sister|twin(?:ned)?|brother)[-\s](?:cit(?:y|ies)|towns?|provinces?|regions?|"
    r"states?|oblasts?|relations?(?:hips?)?|city-oblast|partnerships?|agreements?|pacts?|ties)|\btwinning\b|"
    r"\btwinned\b|"
    r"\bpartner[-\s](?:cit(?:y|ies)|towns?|municipalit(?:y|ies))|\bpaired\s+with\b|"
    # "Ussuriysk, a partner of Suifenhe for two decades": a partner named by its apposition
    r",\s+(?:a|an|the|its)\s+(?:long-standing\s+|longtime\s+)?partner\s+of\b",
    re.IGNORECASE,
)
ESTABLISH = re.compile(
    r"\b(?:establish\w*|sign\w*|formed|formali[sz]ed|became|become|set up|forged|twinned|entered|agreed|"
    r"confirmed|declared|paired)\b",
    re.IGNORECASE,
)
AGREEMENT_TERM = re.compile(
    r"\b(?P<term>(?:(?P<qual>investment|economic|trade|cooperation|co-operation|framework|intergovernmental)"
    r"[\w -]{0,30}?)?agreements?|memorand(?:um|a)s?(?: of understanding)?|MoUs?|minutes of talks|protocols?|"
    r"treat(?:y|ies)|contracts?|(?:cooperation )?program(?:me)?s?|joint statements?|accords?|documents|deals?|"
    r"(?:[\w-]+\s+)?plans?(?=\s+(?:for|of|on)\b))\b",
    re.IGNORECASE,
)
#: an agreement named for twinning ("a friendship agreement") is the partnership, not another accord
TWINNING_QUALIFIER = re.compile(r"\b(?:friendship|twinning|sister[- ]city|twin[- ]city)\s+$", re.IGNORECASE)
#: "a memorandum of understanding on twinning": named for twinning after its noun, as well
TWINNING_OBJECT = re.compile(
    r"\s+(?:on|for|of)\s+(?:the\s+)?(?:twinning|sister[- ]city|twin[- ]city|friendship[- ]city)\b", re.IGNORECASE
)
SIGN = re.compile(r"\b(?:sign\w*|conclud\w*|inked|reached)\b", re.IGNORECASE)
#: "agreed to", also with its date between ("agreed in June 2023 to build")
AGREED_TO = re.compile(r"\bagreed\s+(?:(?:in|on)\s+[\w ]{1,20}?\s+)?to\b", re.IGNORECASE)
DECLARED = re.compile(
    r"\b(?:declared|announced)\b[^.;]{0,80}?\b(?:strategic|comprehensive)\b[^.;]{0,60}?\bpartnership\b",
    re.IGNORECASE,
)
BOTH = re.compile(
    r"\b(?:both (?:parties|sides|countries|cities)|the two (?:sides|parties|countries|cities|provinces|regions|"
    r"governments)|bilateral)\b",
    re.IGNORECASE,
)
THE_CITY = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[A-Z]\w+\s+)?(?:city|town|municipality|province|region|oblast)\b(?!-)"
)
SAME_DAY = re.compile(r"\b(?:the same day|that day|on the same occasion)\b", re.IGNORECASE)
#: "on Friday", "today": dated by the dateline of a news report
RELATIVE_DAY = re.compile(
    r"\b(?:today|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b", re.IGNORECASE
)
ROLE = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+)?(?:governor|mayor|chief executive|head|president|premier|minister|"
    r"leaders?|government|administration|authorities|delegation|officials?)\b",
    re.IGNORECASE,
)
PROJECT_NOUN = (
    r"projects?|towns?|zones?|parks?|ports?|bridges?|railways?|railroads?|lines?|cent(?:er|re)s?|pipelines?|"
    r"corridors?|highways?|expressways?|roads?|terminals?|stations?|dams?|plants?|complex|airports?|"
    r"tunnels?|hubs?|CBECZs?|BECZs?|sections?|phases?|construction|works|warehouses?|dry ports?|"
    r"(?:border )?posts?|crossings?|checkpoints?|routes?|"
    # "trains have run since March 2022": the service a line runs is the line's
    r"trains|(?:rail |freight |train )?services"
)
BLOCK_NOUN = (
    r"strateg(?:y|ies)|initiatives?|polic(?:y|ies)|plans?|decrees?|program(?:me)?s?|visions?|forums?|"
    r"meetings?|agreements?|relations?(?:hips?)?|partnerships?|discussions?|talks|BRI"
)
NOUN = re.compile(rf"\b(?:(?P<project>{PROJECT_NOUN})|(?P<block>{BLOCK_NOUN}))\b", re.IGNORECASE)
ZONE_NOUN = re.compile(r"\b(?:zones?|cent(?:er|re)s?|CBECZs?|BECZs?|parks?|free ports?)\b", re.IGNORECASE)
MILESTONES = (
    (
        "launch",
        re.compile(
            r"\b(?:launch(?:ed)?|began|begun|started|commenced|opened|inaugurated|initiated|set up|"
            r"(?:put|came|went) into (?:operation|service)|(?:have|has) (?:run|operated)(?=\s+since))\b",
            re.IGNORECASE,
        ),
    ),
    ("completion", re.compile(r"\b(?:completed|finished)\b", re.IGNORECASE)),
    ("proposal", re.compile(r"\bproposed\b", re.IGNORECASE)),
)
VERB_OBJECT = re.compile(
    r"^\s+(?:(?:running|operating|operations?|services?|traffic)\s+(?:on|of|at|along)\s+)?"
    rf"(?:the\s+|a\s+|an\s+)?(?:(?:construction|building|development)\s+of\s+(?:the\s+|a\s+|an\s+)?)?"
    rf"(?:[\w-]+\s+){{0,3}}(?:{PROJECT_NOUN})\b(?!\s+(?-i:[A-Z]))",
    re.IGNORECASE,
)
EXPECTED = re.compile(r"\b(?:expected|will|planned|scheduled|due|to be)\b", re.IGNORECASE)
FLOOR = re.compile(
    r"\b(?:construction|floor|built-up|building|gross floor) area\b[^.;]{0,25}$", re.IGNORECASE
)
SIDE = re.compile(r"^\s+in\s+$")
CONTEXT_WORDS = re.compile(
    r"\b(?P<trade>trade|export(?:s|ed|ing)?|import(?:s|ed|ing)?|turnover|goods worth)\b|\b(?P<investment>investment|invest\w*|cost\w*|worth|"
    r"financ\w*|funding|loans?|lent|lends?|capital|built|pa(?:y\w*|id)|acqui\w*|stake)\b|\b(?P<fdi>FDI)\b|\b(?P<policy>exempt\w*|tax\w*|allowances?|duty[- ]free)\b",
    re.IGNORECASE,
)
POLICY = re.compile(
    r"\b(?:exempt\w*|visas?|tax\w*|duty[- ]free|fees?|preferential|allowances?)\b", re.IGNORECASE
)
GROWTH = re.compile(
    r"\b(?:increase\w*|grow\w*|grew|growth|up|rise|rose|gain\w*|jump\w*|(?P<fall>fell|fall\w*|declin\w*|"
    r"drop\w*|decreas\w*|down|shrank|shrink\w*))\b",
    re.IGNORECASE,
)
PHASE = re.compile(r"\b(first|second|third|initial|final) phase\b", re.IGNORECASE)


@dataclass
class Clause:
    """One clause, what was found in it, and the text around it that its rules may look at."""

    text: str  # the whole document
    cs: int  # where the clause starts
    body: str  # the clause
    span: tuple[int, int, str]  # start, end (trimmed of spaces) and the document
    sentence: tuple[int, int]
    places: list[dict[str, Any]]
    parties: list[dict[str, Any]]  # places and actors
    dates: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    previous: list[dict[str, Any]]  # the candidates of the sentence before
    earlier: list[dict[str, Any]]  # the candidates of the eight clauses before
    lead: str  # the sentence before and the part of this one before the clause
    context: str  # this sentence and the three before
    dateline: dict[str, Any] | None
    place_names: dict[str, str]


def _clauses(text: str, sentences: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, sentence index) of each clause: a sentence split at its semicolons."""
    out = []
    for i, (s, e) in enumerate(sentences):
        start = s
        for m in re.finditer(";", text[s:e]):
            out.append((start, s + m.start(), i))
            start = s + m.end()
        out.append((start, e, i))
    return out


def _value(item: dict[str, Any]) -> Any:
    if item["kind"] == "date":
        return item["value"]
    return [item["value"], item["unit"]]


def _party(item: dict[str, Any], place_names: dict[str, str]) -> str | None:
    """The place an actor or place stands for in a relation."""
    if item["kind"] == "place":
        return str(item["name"])
    record = item.get("place_record")
    if record and record in place_names:
        return place_names[record]
    return item["places"][-1] if item.get("places") else None


def _distinct(names: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out


def _run_before(text: str, items: list[dict[str, Any]], at: int) -> list[dict[str, Any]]:
    """The places or actors joined by commas and "and" that end just before ``at`` ("A and B signed")."""
    run: list[dict[str, Any]] = []
    cursor = at
    for item in sorted(items, key=lambda c: -c["end"]):
        if item["end"] > cursor:
            continue
        gap = text[item["end"] : cursor]
        if run and re.fullmatch(r"['’]s\s+", gap):
            continue  # "China's Xinjiang": the country says whose the party is; it is not one
        if not run and re.fullmatch(r"['’]s\s+", text[item["end"] : item["end"] + 3]):
            continue
        # a province's or city's own word may follow its name ("Heilongjiang Province and Amur
        # Region have signed"), and an auxiliary or an adverb the last party
        own = r"(?:(?:\s+[A-Z]\w+){0,2}\s+(?i:Province|Region|Oblast|City|Municipality))?"
        allowed = (
            rf"{own}\s*(?:,|and|&|the)?\s*(?:the\s+)?(?:[A-Z][\w-]*['’]s\s+)?"
            if run
            else rf"{own}\s*(?:(?:have|has|had|will|would|[a-z]+ly)\s+){{0,3}}"
        )
        if not re.fullmatch(allowed, gap):
            break
        before = text[max(0, item["start"] - 20) : item["start"]]
        container = re.search(r"\s+in\s+$", before)
        if container and any(other["end"] == item["start"] - len(container.group(0)) for other in items):
            # "Lianyungang in Jiangsu province signed": Jiangsu says where the party is
            cursor = item["start"] - len(container.group(0))
            continue
        if re.search(r"\b(?:of|in|at)\s+$", before) and not re.search(r"\b(?:port|city|town)\s+of\s+$", before):
            break  # "Samarkand of Uzbekistan, Belarus and China": a complement, not a party
        run.insert(0, item)
        cursor = item["start"]
    return run


def _nearest(items: list[dict[str, Any]], at: int, after: bool) -> dict[str, Any] | None:
    if after:
        later = [c for c in items if c["start"] >= at]
        return min(later, key=lambda c: c["start"]) if later else None
    earlier = [c for c in items if c["end"] <= at]
    return max(earlier, key=lambda c: c["end"]) if earlier else None


def _relation(kind: str, fact: str, start: int, end: int, text: str, /, **fields: Any) -> dict[str, Any]:
    return {
        "kind": "relation",
        "relation": kind,
        "fact": fact,
        "text": text[start:end],
        "start": start,
        "end": end,
        **fields,
    }


def dateline_of(candidates: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The document's dateline: its first date to the day within its first ``DATELINE`` characters."""
    return next(
        (c for c in candidates if c["kind"] == "date" and c["precision"] == "day" and c["end"] <= DATELINE),
        None,
    )


def find_relations(
    text: str,
    candidates: list[dict[str, Any]],
    sentences: list[tuple[int, int]],
    place_names: dict[str, str],
) -> list[dict[str, Any]]:
    """Relation candidates for a document whose places, actors, dates and quantities are known."""
    out: list[dict[str, Any]] = []
    clauses = _clauses(text, sentences)
    dateline = dateline_of(candidates)
    by_clause: list[list[dict[str, Any]]] = [[] for _ in clauses]
    index = 0
    for item in sorted(candidates, key=lambda c: c["start"]):
        while index < len(clauses) - 1 and item["start"] >= clauses[index][1]:
            index += 1
        by_clause[index].append(item)
    of_sentence: dict[int, list[int]] = {}
    for n, (_cs, _ce, si) in enumerate(clauses):
        of_sentence.setdefault(si, []).append(n)
    for n, (cs, ce, si) in enumerate(clauses):
        items = by_clause[n]
        clause = text[cs:ce]
        if not clause.strip():
            continue
        sentence = (sentences[si][0], sentences[si][1])
        c = Clause(
            text=text,
            cs=cs,
            body=clause,
            span=(cs + len(clause) - len(clause.lstrip()), ce - (len(clause) - len(clause.rstrip())), text),
            sentence=sentence,
            places=[x for x in items if x["kind"] == "place"],
            parties=[x for x in items if x["kind"] in {"place", "actor"}],
            dates=[x for x in items if x["kind"] == "date"],
            quantities=[x for x in items if x["kind"] == "quantity"],
            previous=[x for m in of_sentence.get(si - 1, []) for x in by_clause[m]],
            earlier=[x for m in range(max(0, n - 8), n) for x in by_clause[m]],
            lead=text[sentences[si - 1][0] : cs] if si else "",
            context=text[sentences[max(0, si - 3)][0] : sentence[1]],
            dateline=dateline,
            place_names=place_names,
        )
        found = len(out)
        out += _partnerships(c) + _agreements(c) + _milestones(c) + _quantity_facts(c)
        for relation in out[found:]:
            relation["sentence"] = list(sentence)
    # the records of the places, so a reviewer's "accept" can find or make the record
    records = {c["name"]: c.get("record") for c in candidates if c["kind"] == "place"}
    records.update({name: rid for rid, name in place_names.items()})
    for relation in out:
        relation["place_records"] = [records.get(name) for name in relation.get("places", [])]
    return out


#: "Novopolotsk in Vitebsk Region": the second place is where the first is, not its partner
CONTAINED = re.compile(r"\s*,?\s*in\s+(?:the\s+)?")
#: "Vitebsk with Jinan": a pair of partners within an enumeration of pairs
PAIRED = re.compile(r"\s+with\s+")
#: "A with B, C with D": pairs listed one after another, joined by commas
ENUMERATED = re.compile(r"\bwith\s+[^,;]+,\s*(?:and\s+)?[^,;]+?\s+with\b")
#: "have been friendship cities since 2011": the date of the partnership is the one after "since"
STATIVE = re.compile(r"\b(?:have|has|had)\s+(?:been|had|\w+ed)\b|\bare\b", re.IGNORECASE)
#: "marked the tenth anniversary of their twinning in 2021": the tie began ten years before
ANNIVERSARY = re.compile(
    r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\s+anniversary\b|\b(?P<word>first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|fifteenth|twentieth|twenty-fifth|thirtieth|fortieth|fiftieth)\s+anniversary\b",
    re.IGNORECASE,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30,
             "fortieth": 40, "fiftieth": 50}  # fmt: skip
_CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
              "forty": 40, "fifty": 50}  # fmt: skip
_CARDINAL = rf"(?P<n>\d{{1,3}}|{'|'.join(_CARDINALS)})"
#: a cardinal or "a" ("a year after", "a year later")
_A_CARDINAL = _CARDINAL.replace("(?P<n>", "(?P<n>a|")
#: "mark ten years as sister cities in 2025", "celebrated 20 years of twinning": an anniversary
YEARS_AS = re.compile(rf"\b(?:mark(?:s|ed|ing)?|celebrat\w+)\s+{_CARDINAL}\s+years\s+(?:as|of)\b", re.IGNORECASE)
#: "a partner of Suifenhe for two decades": a tie that old at the report's date
HELD_FOR = re.compile(
    rf"\bfor\s+(?:(?:the\s+)?(?:past|last)\s+)?{_CARDINAL}\s+(?P<unit>years|decades)\b", re.IGNORECASE
)
#: "last year", "this year" in a dated report: its year, or the one before
RELATIVE_YEAR = re.compile(r"\b(?P<which>last|this|the previous)\s+year\b", re.IGNORECASE)
#: "last month", "this month" in a dated report: its month, or the one before
RELATIVE_MONTH = re.compile(r"\b(?P<which>last|this|the previous)\s+month\b", re.IGNORECASE)
#: a programme's term ("for 2023-2027"): the years it runs, not the day it was signed
PERIOD = re.compile(r"\b(?:for|over|covering)\s+(?:the\s+(?:years|period)\s+)?\d{4}\s*[-–]\s*\d{4}")
#: ", where Aktau lies,": a place named in a relative clause is where, not who
WHERE = re.compile(r"\bwhere\s+$", re.IGNORECASE)
#: "Tbilisi and Urumqi are partner cities", "Samarkand, a sister city of Xi'an, …": the tie stated
#: as a state, not an event; dated only by a "since"
STATE = re.compile(
    r"(?:\b(?:are|is)\s+|,\s+)(?:(?:a|an|the|its|their)\s+)?(?:\w+\s+)?$"
    # "lists Hefei as one of its friendship cities"
    r"|\bas\s+(?:one\s+of\s+)?(?:its|their|a|an)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
SINCE = re.compile(r"\bsince\s+$")
#: the gap between two partners of one place: "with Khabarovsk and with Vladivostok", "A, B and C"
LISTED = re.compile(r"\s*,\s*(?:and\s+)?(?:with\s+)?|\s+and\s+(?:with\s+)?")


def _partners(clause: str, cs: int, local: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The pairs of partners in a clause about partnership, from its places in reading order.

    A place right after another's "in" is where that one lies, and drops out. Two or more "A with
    B" pairs make an enumeration of pairs. Otherwise the first place partners each of the places
    listed right after the next one ("Harbin … with Khabarovsk and with Vladivostok"), or just the
    next one."""

    def gap(a: dict[str, Any], b: dict[str, Any]) -> str:
        return clause[a["end"] - cs : b["start"] - cs]

    ordered = sorted(local, key=lambda p: p["start"])
    kept = [p for k, p in enumerate(ordered) if not (k and CONTAINED.fullmatch(gap(ordered[k - 1], p)))]
    # "Guangzhou's Nansha District": the city says whose the district is; the district is the partner
    kept = [p for k, p in enumerate(kept) if not (k + 1 < len(kept) and re.fullmatch(r"['’]s\s+", gap(p, kept[k + 1])))]
    pairs = [
        (a["name"], b["name"])
        for a, b in itertools.pairwise(kept)
        if a["name"] != b["name"] and PAIRED.fullmatch(gap(a, b))
    ]
    if len(pairs) >= 2 or (pairs and ENUMERATED.search(clause)):
        # an enumeration of pairs, some of whose places the gazetteer lacks: the pairs it has
        return list(dict.fromkeys(pairs))
    # "Osh and Kashgar, Naryn and Artux, and Karakol and Korla": pairs joined by "and", the pairs
    # by commas
    and_pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    k = 0
    while k + 1 < len(kept):
        a, b = kept[k], kept[k + 1]
        if re.fullmatch(r"\s+and\s+", gap(a, b)) and (
            not and_pairs or re.fullmatch(r"\s*,\s*(?:and\s+)?", gap(and_pairs[-1][1], a))
        ):
            and_pairs.append((a, b))
            k += 2
        elif and_pairs:
            break
        else:
            k += 1
    if len(and_pairs) >= 2:
        return list(dict.fromkeys((a["name"], b["name"]) for a, b in and_pairs if a["name"] != b["name"]))
    unique: list[dict[str, Any]] = []
    for p in kept:
        if all(p["name"] != q["name"] for q in unique):
            unique.append(p)
    if len(unique) < 2:
        return []
    first, listed = unique[0], [unique[1]]
    for a, b in itertools.pairwise(unique[1:]):
        if not LISTED.fullmatch(gap(a, b)):
            break
        listed.append(b)
    return [(first["name"], p["name"]) for p in listed]


#: the verbs that make a part of a sentence a statement of its own
VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|became|become|set up|built|said|put|\w{3,}ed)\b",
    re.IGNORECASE,
)
#: where one statement of a sentence ends and another with its own subject begins
#: ", a year after Luxor became a sister city of Xi'an": a second tie dated from the first
RELATIVE_STATEMENT = re.compile(
    rf",\s+{_A_CARDINAL}\s+(?P<unit>years?|months?)\s+(?P<rel>after|before)\s+(?=[A-Z])",
    re.IGNORECASE,
)
#: an adverbial phrase that opens a sentence, up to its comma
OPENING = re.compile(r"\s*(?:At|In|On|During|By)\b[^,;.]{0,80},")
NEXT_STATEMENT = re.compile(
    r",\s+(?:and|while|whereas)\s+"
    r"(?=[A-Z]|(?:last|this|next|earlier|later)\s+(?:year|month|week)\b|in\s+(?:[A-Z][a-z]+\s+)?\d{4}\b)"
)


def statement_cuts(body: str) -> list[int]:
    """Where the statements of a clause begin and the last ends, as offsets into it: 0, each
    start of ``NEXT_STATEMENT``, and the clause's length."""
    return [0, *(m.start() for m in NEXT_STATEMENT.finditer(body)), len(body)]


def _statement_of(body: str, at: int) -> tuple[int, int]:
    """The offsets of the statement of ``body`` that holds offset ``at`` (the last one from its end on)."""
    cuts = statement_cuts(body)
    return next((a, b) for a, b in itertools.pairwise(cuts) if a <= at < b or b == len(body))


def _statements(c: Clause) -> list[Clause]:
    """A clause cut where a second statement about twinning begins ("Karachi has been a sister city
    of Shanghai since 1984, and Lahore and Xi'an became twin cities in 2007"), when each part
    names its own two places and its own term; else the clause itself."""
    relative = {m.start(): m for m in RELATIVE_STATEMENT.finditer(c.body)}
    cuts = sorted({*statement_cuts(c.body), *relative})
    if len(cuts) == 2:
        return [c]
    # a date in the phrase that opens the sentence ("At a forum in Kunming in June 2024, …")
    # frames every statement of it
    opening = OPENING.match(c.body)
    framing = [d for d in c.dates if opening and d["start"] < c.cs + opening.end()]
    parts = []
    for a, b in itertools.pairwise(cuts):
        start, end = c.cs + a, c.cs + b
        places = [p for p in c.places if start <= p["start"] < end]
        body = c.body[a:b]
        first = min((p["start"] - start for p in places), default=0)
        local = {p["name"] for p in places if p.get("level") != "country"}
        if len(local) < 2:
            continue  # about something else, or about places the gazetteer lacks
        if not VERB.search(body, first) and not PARTNER_TERM.search(body):
            # not a statement of its own, with a verb after its subject: the tail of a list ("…, and
            # Fuyuan with Khabarovsk"), or the list itself ("…: Heihe with Blagoveshchensk, …")
            return [c]
        if not PARTNER_TERM.search(body):
            continue  # a statement about something else ("A and B agreed to set up a trade house")
        parts.append(
            replace(
                c,
                cs=start,
                body=body,
                span=(start + len(body) - len(body.lstrip()), end - (len(body) - len(body.rstrip())), c.text),
                places=places,
                dates=[d for d in c.dates if start <= d["start"] < end]
                or _counted_from(relative.get(a), c.dates, start)
                or framing,
            )
        )
    return parts or [c]


def _counted_from(found: re.Match[str] | None, dates: list[dict[str, Any]], at: int) -> list[dict[str, Any]]:
    """The year of a statement dated from the one before it ("in 2019, a year after …": 2018)."""
    earlier = [d for d in dates if d["start"] < at and d["value"][:4].isdigit()]
    if found is None or not earlier or not found["unit"].casefold().startswith("year"):
        return []
    n = _cardinal(found)
    year = int(earlier[-1]["value"][:4]) + (-n if found["rel"].casefold() == "after" else n)
    return [{"kind": "date", "value": str(year), "precision": "year", "start": at, "end": at + len(found[0])}]


#: a news report's dateline: an upper-case place, a comma, then the date ("BISHKEK, 5 June 2024 -")
NEWS_DATELINE = re.compile(r"(?:^|\n)[A-Z][A-Z .'’-]+,\s*$")
#: a past event a report tells of (an undated "is twinned" states a tie, not when it began)
EVENT = re.compile(r"\b(?:confirmed|announced|agreed|signed|established|became|formed|inked)\b", re.IGNORECASE)


def _has_dateline(c: Clause) -> bool:
    """Whether the document opens with a news dateline ("MINSK, 3 May 2024 -")."""
    return _news_dateline(c.text, c.dateline)


def _news_dateline(text: str, dateline: dict[str, Any] | None) -> bool:
    return dateline is not None and NEWS_DATELINE.search(text[max(0, dateline["start"] - 40) : dateline["start"]]) is not None


def _from_dateline(c: Clause) -> dict[str, Any] | None:
    """The report's date, for an undated event of a news report with a dateline ("officials
    confirmed…", "signed … on Monday"): the day the report tells of, at day precision."""
    if not _has_dateline(c):
        return None
    return c.dateline if RELATIVE_DAY.search(c.body) or EVENT.search(c.body) else None


def _relative_year(c: Clause) -> dict[str, Any] | None:
    """"Last year" or "this year" in a report with a dateline: the year it names."""
    return relative_date(c.text, c.body, c.dateline, months=False)


def _cardinal(found: re.Match[str]) -> int:
    n = found["n"].casefold()
    return int(n) if n.isdigit() else 1 if n == "a" else _CARDINALS[n]


def relative_date(
    text: str, body: str, dateline: dict[str, Any] | None, *, months: bool = True, held: bool = True
) -> dict[str, Any] | None:
    """The date that "last month", "this year" or (with ``held``) "for two decades" in ``body``
    names, counted from the dateline of a news report (``text`` opens with one); ``None`` without
    either. A tie held "for N years" began N years before the report; "last month" is the month
    before it. A duration dates only its own statement; "this year" may date its sentence's."""
    if dateline is None or not _news_dateline(text, dateline):
        return None
    year, month = int(dateline["value"][:4]), int(dateline["value"][5:7])
    if held and months and (found := HELD_FOR.search(body)):  # "for two decades" dates the tie, "renewed this year" not
        years = _cardinal(found) * (10 if found["unit"].casefold() == "decades" else 1)
        return {"value": str(year - years), "precision": "year"}
    if months and (found := RELATIVE_MONTH.search(body)):
        if found["which"].casefold() != "this":
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return {"value": f"{year}-{month:02d}", "precision": "month"}
    if found := RELATIVE_YEAR.search(body):
        return {"value": str(year - (0 if found["which"].casefold() == "this" else 1)), "precision": "year"}
    return None


def anniversary_start(body: str, date: dict[str, Any] | None) -> dict[str, Any] | None:
    """The year a tie began when ``body`` dates an anniversary of it ("marked the tenth
    anniversary of their twinning in 2021", "mark ten years as sister cities in 2025")."""
    if date is None or not date["value"][:4].isdigit():
        return None
    if found := ANNIVERSARY.search(body):
        years = int(found["n"]) if found["n"] else _ORDINALS[found["word"].casefold()]
    elif found := YEARS_AS.search(body):
        years = _cardinal(found)
    else:
        return None
    return {"value": str(int(date["value"][:4]) - years), "precision": "year"}


def _partnerships(c: Clause) -> list[dict[str, Any]]:
    parts = _statements(c)
    if parts != [c]:
        return [r for part in parts for r in _partnerships(part)]
    clause, cs, places, dates, span = c.body, c.cs, c.places, c.dates, c.span
    term = PARTNER_TERM.search(clause)
    if not term:
        return []
    since = [d for d in dates if d["start"] > cs + term.start() and SINCE.search(c.text[cs : d["start"]])]
    # "have been twin cities since 1982" states the tie and its start as surely as "became"
    stated = STATE.search(clause[: term.start()]) is not None or term.group(0).startswith(",")
    anniversary = ANNIVERSARY.search(clause) or YEARS_AS.search(clause)
    agreed = AGREED_TO.search(clause)
    if agreed and re.match(r"\s+(?:establish|become|form)\b", clause[agreed.end() :]):
        return []  # "agreed to establish friendly relations": an agreement, the tie still to come
    if not ESTABLISH.search(clause) and not (since and STATIVE.search(clause)) and not stated and not anniversary:
        return []
    # neither a place in a "where" clause nor the dateline's city is a party
    dateline_end = c.dateline["start"] if c.dateline is not None and _has_dateline(c) else -1
    local = [
        p
        for p in places
        if p.get("level") != "country"
        and not WHERE.search(c.text[max(0, p["start"] - 8) : p["start"]])
        and not VENUE.search(c.text[max(0, p["start"] - 8) : p["start"]])  # "at a forum in Kunming"
        and p["end"] > dateline_end
    ]
    names = _distinct(p["name"] for p in local)
    if len(names) == 1 and THE_CITY.search(clause):
        # "The Greek city had become a sister city of Beijing": the city is the last sentence's subject
        before = _distinct(
            p["name"] for p in c.previous if p["kind"] == "place" and p.get("level") != "country"
        )
        names = [n for n in before if n not in names][:1] + names
        pairs = [(names[0], names[1])] if len(names) >= 2 else []
        local = local + [p for p in c.previous if p["kind"] == "place" and p["name"] == names[0]][:1]
    else:
        pairs = _partners(clause, cs, local)
    if not pairs:
        return []
    records = {p["name"]: p.get("record") for p in local}
    date = (
        since[0] if since else _nearest(dates, cs + term.start(), after=False) or (dates[0] if dates else None)
    )
    if stated and not since and not ESTABLISH.search(clause):
        # a state says that the tie is, not when it began, unless it says for how long
        date = relative_date(c.text, clause, c.dateline) if HELD_FOR.search(clause) else None
    elif date is None or (c.dateline is not None and date["start"] == c.dateline["start"] and _relative_year(c)):
        # "last year", "last month", "for two decades" in a report beat the report's own date, and
        # a statement without one takes its sentence's ("…renewed the tie this year, while B became…")
        sentence = c.text[c.sentence[0] : c.sentence[1]]
        date = (
            relative_date(c.text, clause, c.dateline)
            or relative_date(c.text, sentence, c.dateline, held=False)
            or _from_dateline(c)
        )
    if anniversary:
        date = anniversary_start(clause, date) or date
    out = []
    for a, b in pairs:
        own = _later(c, b, date)  # "…, and Nis with Changsha a year later"
        out.append(
            _relation(
                "partnership",
                "established",
                *span,
                places=[a, b],
                place_records=[records.get(a), records.get(b)],
                value=own["value"] if own else None,
                precision=own["precision"] if own else None,
                local_term=term.group(0),
            )
        )
    return out


#: "…, and Nis with Changsha a year later": a pair of a list dated from the date of the list
LATER = re.compile(rf"\s+{_A_CARDINAL}\s+years?\s+later\b", re.IGNORECASE)


def _later(c: Clause, name: str, date: dict[str, Any] | None) -> dict[str, Any] | None:
    """The date of the pair whose second place is ``name``: ``date``, or as many years after it
    as the words right after that place say."""
    place = next((p for p in c.places if p["name"] == name), None)
    found = LATER.match(c.text, place["end"]) if place else None
    if found is None or date is None or not date["value"][:4].isdigit():
        return date
    return {"value": str(int(date["value"][:4]) + _cardinal(found)), "precision": "year"}


def _agreement_kind(term: str) -> str | None:
    lowered = term.casefold()
    for word, kind in (
        ("minutes", "minutes_of_talks"),
        ("memorand", "memorandum"),
        ("mou", "memorandum"),
        ("program", "cooperation_programme"),
        ("statement", "joint_statement"),
        ("investment", "investment_cooperation"),
    ):
        if word in lowered:
            return kind
    return None


VENUE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")


def _agreements(c: Clause) -> list[dict[str, Any]]:
    clause, cs, parties, dates, previous, span = c.body, c.cs, c.parties, c.dates, c.previous, c.span
    place_names = c.place_names
    verb = term = None
    kind: str | None = None
    for m in AGREEMENT_TERM.finditer(clause):
        if TWINNING_QUALIFIER.search(clause[: m.start()]) or TWINNING_OBJECT.match(clause, m.end()):
            continue  # "signed a friendship agreement with Changchun": the partnership itself
        near = [v for v in SIGN.finditer(clause) if abs(v.start() - m.start()) < 60]
        if near:
            verb, term, kind = near[0], m, _agreement_kind(m.group("term"))
            break
    if verb is None:
        verb = AGREED_TO.search(clause)
        kind = "establishment_agreement" if verb and re.search(r"establish", clause[verb.end() :]) else None
    if verb is None:
        verb = DECLARED.search(clause)
        kind = "joint_statement"
    if verb is None:
        return []
    at = cs + verb.start()
    # a second statement of the sentence has parties of its own ("…, and Rajshahi and Dali were
    # declared sister cities")
    lo, hi = _statement_of(clause, at - cs)
    parties = [p for p in parties if cs + lo <= p["start"] < cs + hi]
    anchor = min(at, cs + term.start()) if term else at
    between = re.search(r"\bbetween\b", clause[anchor - cs :])

    def names_of(items: list[dict[str, Any]]) -> list[str]:
        return _distinct(_party(p, place_names) for p in items)

    # the parties named just before the verb ("Mongolia and China agreed"), else those after
    # "between", leaving out a place that only says where the one before it is ("Erenhot in Inner
    # Mongolia and Zamyn-Uud")
    chosen = _run_before(span[2], parties, at)
    if between and len(names_of(chosen)) < 2:
        start = anchor + between.end()
        stop = clause.find(".", start - cs)
        after = [p for p in parties if start <= p["start"] < (cs + stop if stop >= 0 else start + 120)]
        chosen = [p for p in after if not re.search(r"\bin\s+(?:the\s+)?$", span[2][max(0, p["start"] - 8) : p["start"]])][:2]
    both = BOTH.search(clause)
    # "signed in Beijing", "Lianyungang in Jiangsu": a place after "in" or "at" is where, not who
    parties = [p for p in parties if not VENUE.search(span[2][max(0, p["start"] - 8) : p["start"]])]
    pool = parties if not both or len(parties) >= 2 else previous
    if both and re.search(r"cities|provinces|regions", both.group(0)):
        pool = [p for p in pool if p.get("level") != "country"]
    if len(names_of(chosen)) < 2:
        chosen = [p for p in pool if p["kind"] == "actor" or ROLE.match(span[2], p["end"])]
    if len(names_of(chosen)) < 2:
        countries = [p for p in pool if p.get("level") == "country"]
        chosen = countries if len(_distinct(p["name"] for p in countries)) >= 2 else pool
    names = names_of(chosen)
    if len(names) < 2:
        return []
    if both and not re.search(r"bilateral", both.group(0), re.IGNORECASE):
        names = names[:2]  # "the two cities", "both parties": two, the first named
    # a programme's term ("for 2023-2027") is not the day it was signed
    dated = [d for d in dates if not PERIOD.search(c.text, max(0, d["start"] - 30), d["end"] + 7)]
    date = _nearest(dated, at, after=True) or _nearest(dated, at, after=False)
    if date is None and (both or SAME_DAY.search(clause)):
        date = next((c for c in previous if c["kind"] == "date"), None)
    if date is None:
        date = _from_dateline(c)
    return [
        _relation(
            "agreement",
            "signed",
            *span,
            places=names,
            actors=[p.get("record") or p["name"] for p in chosen if p["kind"] == "actor"],
            agreement_kind=kind,
            value=date["value"] if date else None,
            precision=date["precision"] if date else None,
        )
    ]


def _milestones(c: Clause) -> list[dict[str, Any]]:
    clause, cs, sentence_start, dateline, dates, span = (
        c.body,
        c.cs,
        c.sentence[0],
        c.dateline,
        c.dates,
        c.span,
    )
    quantities, places = c.quantities, c.places
    out = []
    durations = [q for q in quantities if q.get("dimension") == "duration"]
    for fact, pattern in MILESTONES:
        for verb in pattern.finditer(clause):
            # the subject may stand before a semicolon: "the terminal covers 150 ha; it opened in 2020"
            at = cs + verb.start()
            nouns = list(NOUN.finditer(span[2][max(sentence_start, at - 90) : at]))
            about_project = bool(nouns) and nouns[-1].group("project") is not None
            if not about_project:  # "proposed the construction of a railway", "opened a centre"
                about_project = VERB_OBJECT.match(clause[verb.end() : verb.end() + 80]) is not None
            if not about_project:
                continue
            when = (
                _nearest([d for d in dates if d["start"] - at < 80], at, after=True)
                or _nearest([d for d in durations if d["start"] - at < 40], at, after=True)
                or _nearest(dates, at, after=False)
                or (dateline if dateline and RELATIVE_DAY.search(clause) else None)
            )
            if when is None:
                continue
            out.append(
                _relation(
                    "project",
                    fact,
                    *span,
                    places=_distinct(p["name"] for p in places if p.get("level") != "country"),
                    value=_value(when),
                    expected=EXPECTED.search(clause[max(0, verb.start() - 30) : verb.start()]) is not None,
                )
            )
    return out


def _quantity_facts(c: Clause) -> list[dict[str, Any]]:
    clause, lead, cs, quantities, dates, places, span = (
        c.body,
        c.lead,
        c.cs,
        c.quantities,
        c.dates,
        c.places,
        c.span,
    )
    context = c.context
    out = []
    text = span[2]
    # "Its first phase is planned to handle 200,000 TEU": the project may be named a sentence before
    about_project = any(m.group("project") for m in NOUN.finditer(lead + clause))
    zone_context = ZONE_NOUN.search(context) is not None
    local = _distinct(p["name"] for p in places if p.get("level") != "country")
    for q in quantities:
        dimension = q.get("dimension")
        before = text[max(cs, q["start"] - 60) : q["start"]]
        phase = PHASE.search(text[max(cs, q["start"] - 60) : min(cs + len(clause), q["end"] + 40)])
        extra = {"phase": phase.group(1).lower()} if phase else {}
        if dimension == "area" and about_project:
            side = next((p for p in places if SIDE.match(text[q["end"] : p["start"]])), None)
            if side is not None:
                out.append(
                    _relation("zone", "area_side", *span, places=local, side=side["name"], value=_value(q))
                )
            else:
                fact = "floor_area" if FLOOR.search(before) else "area"
                out.append(_relation("project", fact, *span, places=local, value=_value(q)))
        elif dimension in {"mass_flow", "container_flow"} and about_project:
            out.append(_relation("project", "capacity", *span, places=local, value=_value(q), **extra))
        elif dimension == "money":
            actors = [(a["start"] - cs, a["end"] - cs) for a in c.parties if a["kind"] == "actor"]
            # the words of the quantity's own statement ("exports … reaching $1.9 billion, while
            # investment … exceeded $1.3 billion")
            lo, hi = _statement_of(clause, q["start"] - cs)
            words = [
                (min(abs(m.start() - q["end"] + cs), abs(q["start"] - cs - m.end())), m)
                for m in CONTEXT_WORDS.finditer(clause, lo, hi)
                if not any(a <= m.start() < b for a, b in actors)  # "Export-Import Bank" lends
            ]
            if not words:
                continue
            # "worth" is the word of whatever noun it follows: "trade … was worth $6.2 billion"
            named = [w for w in words if w[1].group(0).casefold() != "worth"] or words
            nearest = min(named, key=lambda w: w[0])[1]
            if nearest.group("trade"):
                out.append(_trade(c, "value", q))
            elif nearest.group("investment") and about_project:
                out.append(_relation("project", "investment", *span, places=local, value=_value(q)))
            elif nearest.group("policy") and zone_context:
                out.append(_relation("zone", "policy", *span, places=local, value=_value(q)))
        elif dimension == "duration" and zone_context and POLICY.search(clause):
            out.append(_relation("zone", "policy", *span, places=local, value=_value(q)))
        elif (
            dimension == "percent"
            and (growth := GROWTH.search(before))
            and re.search(r"\b(?:trade|exports?|imports?|turnover)\b", clause, re.I)
        ):
            growth_fact = _trade(c, "growth", q)
            if growth.group("fall"):  # "fell 7 percent" is a growth of -7 %
                growth_fact["value"] = [-q["value"], q["unit"]]
            out.append(growth_fact)
    if zone_context and POLICY.search(clause):  # "no land tax until 2062"
        out += [
            _relation("zone", "policy", *span, places=local, value=d["value"])
            for d in dates
            if d.get("qualifier") == "until"
        ]
    return out


def _trade(c: Clause, fact: str, q: dict[str, Any]) -> dict[str, Any]:
    """A trade fact between the clause's places, or the last two countries for "the two countries"."""
    clause, places, earlier, dates, span = c.body, c.places, c.earlier, c.dates, c.span
    names = _distinct(p["name"] for p in places)
    if len(names) < 2 and BOTH.search(clause):
        countries = [
            c["name"] for c in reversed(earlier) if c["kind"] == "place" and c.get("level") == "country"
        ]
        names = _distinct(countries)[:2]
    period = _nearest(dates, q["start"], after=True) or _nearest(dates, q["start"], after=False)
    return _relation(
        "trade", fact, *span, places=names[:2], value=_value(q), period=period["value"] if period else None
    )
