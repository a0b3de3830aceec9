"""The shapes of what ingestion returns: candidates by kind, review decisions, evaluation scores.

A candidate is a span of a document and what the extractor read in it. Every candidate has its
kind, text and offsets; the rest depends on the kind (a place's resolution, a date's precision, a
quantity's unit, a relation's parties). The extractor builds them as JSON-ready dictionaries (the
review queue stores them as they are); these types are their contract at the package's door, so
that mypy checks what a caller reads once it has looked at ``kind``.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class _Span(TypedDict):
    text: str
    start: int
    end: int
    #: the sentence it was read in, as [start, end) offsets
    sentence: NotRequired[list[int]]
    #: "zh" or "ru" for a candidate read from Chinese or Russian
    language: NotRequired[str]
    #: the page of a PDF it stands on, where the reader kept pages
    page: NotRequired[int | None]


class PlaceCandidate(_Span):
    """A place named in the text and how it was resolved (the knowledge base, ISO 3166, GeoNames,
    UN/LOCODE, a country's name)."""

    kind: Literal["place"]
    name: NotRequired[str]
    level: NotRequired[str]
    place_kind: NotRequired[str]
    #: the knowledge base's record, where the name is one of its places
    record: NotRequired[str]
    #: ISO alpha-3 of a country named as such
    country: NotRequired[str]
    country_iso2: NotRequired[str]
    iso_3166_2: NotRequired[str]
    geonameid: NotRequired[int]
    unlocode: NotRequired[str]
    lat: NotRequired[float]
    lon: NotRequired[float]
    parent: NotRequired[str]
    named_after: NotRequired[str]
    resolved_by: NotRequired[str]


class ActorCandidate(_Span):
    """An organisation (a government body, company, bank…) and where the sentence places it."""

    kind: Literal["actor"]
    name: str
    actor_kind: NotRequired[str]
    record: NotRequired[str]
    places: NotRequired[list[str]]
    place_record: NotRequired[str | None]
    resolved_by: NotRequired[str]


class DateCandidate(_Span):
    """A date as ISO text with its precision (year, month, day)."""

    kind: Literal["date"]
    value: str
    precision: str
    qualifier: NotRequired[str | None]
    year: NotRequired[str]


class QuantityCandidate(_Span):
    """A number with its unit and what it measures (money, area, length, mass flow, count…)."""

    kind: Literal["quantity"]
    dimension: str
    value: float
    unit: str
    bound: NotRequired[str]
    #: what the number is of, where its words say ("of" a zone, "from" a year)
    of: NotRequired[str]


class RelationCandidate(_Span):
    """A fact between the document's places and actors: a partnership, an agreement, a project's
    phase, a zone's area, a trade figure; with the clause it was read from."""

    kind: Literal["relation"]
    relation: str
    fact: NotRequired[str]
    places: NotRequired[list[str]]
    place_records: NotRequired[list[str | None]]
    actors: NotRequired[list[str]]
    agreement_kind: NotRequired[str | None]
    value: NotRequired[Any]
    precision: NotRequired[str | None]
    period: NotRequired[str | None]
    phase: NotRequired[str]
    side: NotRequired[str]
    local_term: NotRequired[str]
    expected: NotRequired[bool]
    #: the Chinese or Russian words a fact was read from, each with its English gloss
    gloss: NotRequired[list[list[str]]]
    #: the classifier's method and score, on a partnership or agreement the rules missed
    suggested: NotRequired[dict[str, Any]]


#: one candidate; ``kind`` tells which
Candidate = PlaceCandidate | ActorCandidate | DateCandidate | QuantityCandidate | RelationCandidate


class Score(TypedDict):
    """One kind's score against the gold annotations."""

    gold: int
    extracted: int
    matched: int
    precision: float | None
    recall: float | None
    #: the first 20 keys the extractor missed, and the first 20 it found that the gold lacks
    missed: list[str]
    spurious: list[str]


class Evaluation(TypedDict):
    """A document's scores, kind by kind (``relation``: the rules alone; ``suggested``: the
    partnerships and agreements of the review queue, rules and classifier together)."""

    document: str
    place: Score
    date: Score
    quantity: Score
    relation: Score
    suggested: Score
    actor: NotRequired[Score]


class Decision(TypedDict):
    """What a review decision wrote: the record accepted into (None for a rejection)."""

    candidate: int
    decision: str
    record: str | None


class Edited(TypedDict):
    """A candidate's data as an editor corrected it, before the decision."""

    candidate: int
    data: dict[str, Any]
