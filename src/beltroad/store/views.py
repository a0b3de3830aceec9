"""The shapes of what the store's reads return.

A read of the store is a JSON document on its way to a page, the API or ``--json``: records with
their citations, a page of a list, a source with what cites it. Each is typed here as a
``TypedDict``, so mypy checks every key a caller reads or a read writes, while the answer stays
the plain dictionary that the API serialises without a copy. A record's own ``data`` is the JSON
form of its model (``beltroad.model.RECORD_TYPES[kind]``), which validates it.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from beltroad.model import Geometry

#: a record's stored JSON: the fields of its model (``model.RECORD_TYPES[kind]``) as it dumps them
RecordData = dict[str, Any]


class CitationView(TypedDict):
    """One citation of a record: the source, its title, the locator and the field path it backs."""

    source: str
    source_title: str
    locator: str
    path: str
    via: NotRequired[str]
    note: NotRequired[str]
    supports: NotRequired[list[str]]


class RecordSummary(TypedDict):
    """A record as lists, searches and exports show it."""

    id: str
    kind: str
    subkind: str | None
    name: str
    status: str | None
    date: str | None
    date_precision: str | None
    countries: list[str]
    lon: float | None
    lat: float | None
    origin: str
    citations: list[CitationView]


class SearchHit(RecordSummary):
    """A record a search found: its score and how it matched (words, an alternate name, close)."""

    score: float
    match: str


class LinkView(TypedDict):
    """A link between two records: its relation and the record at its other end."""

    rel: str
    id: str
    kind: str | None
    name: str | None


class ObservationFields(TypedDict):
    """What an observation record measures."""

    measure: str
    value: float
    unit: str
    bound: str
    qualifier: str
    side: str | None
    period_start: str | None
    period_end: str | None


class FigureView(ObservationFields):
    """An observation standing on its subject's page: its figure and citations."""

    id: str
    name: str
    citations: list[CitationView]


class RecordView(RecordSummary):
    """One record whole: every field, its links both ways and its own figures."""

    data: RecordData
    retired: bool
    version: int
    links: list[LinkView]
    linked_from: list[LinkView]
    observation: NotRequired[ObservationFields]
    observations: list[FigureView]


class RecordPage(TypedDict):
    """A page of a filtered, sorted list of records."""

    total: int
    limit: int
    offset: int
    items: list[RecordSummary]


class FacetCount(TypedDict):
    """A facet's value and how many records of the view have it (``label``: a name for an id)."""

    value: Any
    count: int
    label: NotRequired[str]


class NamedRef(TypedDict):
    id: str
    name: str


class CountryRef(TypedDict):
    code: str
    name: str


class FacetValues(TypedDict):
    """What the filters can offer, from what the store holds."""

    countries: list[CountryRef]
    corridors: list[NamedRef]
    connectivities: list[NamedRef]
    fields: list[str]
    statuses: list[str]
    project_kinds: list[str]
    #: the first and last year of any record's date
    years: list[int | None]


class CorridorCountries(TypedDict):
    """A corridor with the countries it lists."""

    id: str
    name: str
    countries: list[str]


class SourceBrief(TypedDict):
    """A source in the list of sources: how often and by how many records it is cited."""

    id: str
    kind: str
    title: str
    published: str | None
    citations: int
    records: int


class CitingRecord(TypedDict):
    """A record citing a source, with each of its citations' locators."""

    id: str
    name: str
    kind: str
    citations: list[dict[str, Any]]


class SourceView(TypedDict):
    """A source's reference (its non-empty fields of ``SOURCE_FIELDS``), who cites it and where,
    and the passages of an ingested document that candidates were read from."""

    id: str
    title: str
    origin: str
    cited_by: list[CitingRecord]
    citations: int
    passages: list[dict[str, Any]]
    kind: NotRequired[str]
    authors: NotRequired[list[str]]
    title_note: NotRequired[str]
    publisher: NotRequired[str]
    published: NotRequired[str]
    published_note: NotRequired[str]
    url: NotRequired[str]
    file: NotRequired[str]
    sha256: NotRequired[str]
    licence: NotRequired[str]
    language: NotRequired[str]
    note: NotRequired[str]


class UserView(TypedDict):
    """An editor's account: never its token."""

    name: str
    role: str
    created_at: str
    active: bool
    last_used_at: str | None


class HistoryEntry(TypedDict):
    """One change to a record: who, when, what before and after, and its citation."""

    id: int
    user_name: str
    at: str
    action: str
    before: RecordData | None
    after: RecordData | None
    citation: dict[str, Any]
    note: str | None


class Problem(TypedDict):
    record: str
    check: str
    message: str


class StoreCheck(TypedDict):
    """``beltroad db check``: counts, and every problem found (none when ``ok``)."""

    records: int
    citations: int
    sources: int
    by_kind: dict[str, int]
    points_outside_country: int
    countries_without_shape: list[str]
    problems: list[Problem]
    ok: bool


class CandidateRow(TypedDict):
    """A candidate in the review queue, as stored."""

    id: int
    source_id: str
    kind: str
    start: int
    end: int
    text: str
    data: dict[str, Any]
    status: str
    created_at: str
    reviewed_by: str | None
    reviewed_at: str | None
    record_id: str | None


class SeriesEntry(TypedDict):
    """A series of observations that exists: measure, unit, subjects, side and coverage."""

    measure: str
    unit: str
    subjects: list[str]
    side: str | None
    observations: int
    years: int


class SeriesPoint(TypedDict):
    """One observation of a series: its period, figure, scope and citations."""

    id: str
    name: str
    period_start: str | None
    period_end: str | None
    value: float
    unit: str
    bound: str
    qualifier: str
    side: str | None
    scope: str | None
    citations: list[CitationView]


class ObservationSeries(TypedDict):
    """The observations of one measure about exactly one set of subjects, by period."""

    measure: str
    subjects: list[str]
    units: list[str]
    points: list[SeriesPoint]


class RecordPlaces(TypedDict):
    """Where a record stands: its places' ids and a geometry drawn through them (None without)."""

    place_ids: list[str]
    geometry: Geometry | None


class NameMatch(TypedDict):
    """A record whose name is close to a name asked for (a typo), with the closeness (0–100)."""

    id: str
    name: str | None
    kind: str | None
    score: float
