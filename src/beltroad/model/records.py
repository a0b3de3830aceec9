"""The records of the knowledge base.

Every record carries at least one ``Citation``: a source and a locator into it. Cross-references
between records are plain ids here; the loader checks that each one names a record of the right
kind, so this module stays free of I/O.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from beltroad.errors import check_choice
from beltroad.model.dates import PartialDate, Period
from beltroad.model.units import MEASURES, UNITS, unit_fits_measure
from beltroad.model.vocab import (
    ActorKind,
    AgreementKind,
    Bound,
    ConnectivityId,
    CorridorId,
    EventKind,
    Field as CooperationField,
    MilestoneStatus,
    PartnershipKind,
    PlaceKind,
    PointBasis,
    ProjectKind,
    ProjectStatus,
    Qualifier,
    StrategyKind,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=120)]
Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, so a typo in a curated file cannot pass."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=True)


class Source(Strict):
    """A document that facts are drawn from: a paper, an article, an official list, a data set."""

    id: Id
    kind: Literal["paper", "news", "opinion", "official", "dataset", "gazetteer", "report"]
    title: str
    title_note: str | None = None
    authors: list[str] = []
    publisher: str | None = None
    published: PartialDate | None = None
    published_note: str | None = None
    url: str | None = None
    file: str | None = None
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    licence: str | None = None
    language: str = "en"
    note: str | None = None


#: the largest paragraph, page, footnote or row a locator may name: far past any document (a
#: billion-row file), and inside the 53-bit integers every JSON reader takes
MAX_LOCATOR = 10**9


class Citation(Strict):
    """A source and where in it: section/paragraph, page, footnote, row, entry or character span."""

    source: Id
    section: str | None = None
    paragraph: int | None = Field(default=None, ge=1, le=MAX_LOCATOR)
    page: int | None = Field(default=None, ge=1, le=MAX_LOCATOR)
    footnote: int | None = Field(default=None, ge=1, le=MAX_LOCATOR)
    row: int | None = Field(default=None, ge=1, le=MAX_LOCATOR)
    entry: str | None = None
    span: tuple[int, int] | None = None
    via: str | None = None
    supports: list[str] = []
    note: str | None = None

    @model_validator(mode="after")
    def _has_locator(self) -> Citation:
        if not any(
            v is not None for v in (self.section, self.page, self.footnote, self.row, self.entry, self.span)
        ):
            msg = (
                f"citation of {self.source!r} has no locator; give section (+ paragraph), page, "
                "footnote, row, entry or span"
            )
            raise ValueError(msg)
        if self.span is not None and not 0 <= self.span[0] < self.span[1]:
            msg = f"span {self.span} must be [start, end) with 0 <= start < end"
            raise ValueError(msg)
        return self

    def locator(self) -> str:
        """The locator as a person would write it, e.g. ``Results and discussion ¶4``."""
        parts: list[str] = []
        if self.section:
            parts.append(self.section + (f" ¶{self.paragraph}" if self.paragraph else ""))
        elif self.paragraph:
            parts.append(f"¶{self.paragraph}")
        if self.page:
            parts.append(f"p. {self.page}")
        if self.footnote:
            parts.append(f"fn. {self.footnote}")
        if self.row:
            parts.append(f"row {self.row}")
        if self.entry:
            parts.append(self.entry)
        if self.span:
            parts.append(f"chars {self.span[0]}–{self.span[1]}")
        return ", ".join(parts)


Cites = Annotated[list[Citation], Field(min_length=1)]


class Point(Strict):
    """A representative point in EPSG:4326 and where it comes from."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    basis: PointBasis = "own"
    cite: Citation


class Record(Strict):
    """What all records share: an id, a name, names in other scripts, notes and citations."""

    id: Id
    name: str = Field(min_length=1)
    names: dict[str, str] = {}
    aliases: list[str] = []
    summary: str | None = None
    note: str | None = None
    cite: Cites

    @field_validator("names")
    @classmethod
    def _languages(cls, value: dict[str, str]) -> dict[str, str]:
        for lang in value:
            if not _LANG.match(lang):
                msg = f"{lang!r} is not a language tag such as 'zh', 'ru' or 'zh-Hant'"
                raise ValueError(msg)
        return value

    def referenced_ids(self) -> dict[str, list[str]]:
        """Ids this record points at, by relation name; the loader checks each one."""
        return {}


class Place(Record):
    kind: PlaceKind
    admin_term: str | None = None
    country: Iso3
    parent: Id | None = None
    point: Point
    geonames_id: int | None = None
    unlocode: str | None = Field(default=None, pattern=r"^[A-Z]{2} ?[A-Z0-9]{3}$")

    def referenced_ids(self) -> dict[str, list[str]]:
        return {"parent": [self.parent] if self.parent else []}


class Actor(Record):
    """A government body, company, organisation or person; a government body's ``jurisdiction``
    is the place it governs (which can differ from its seat: an oblast's committee sits in a city)."""

    kind: ActorKind
    country: Iso3 | None = None
    seat: Id | None = None
    jurisdiction: Id | None = None
    parent: Id | None = None
    established: PartialDate | None = None
    role: str | None = None

    def referenced_ids(self) -> dict[str, list[str]]:
        return {
            "seat": [self.seat] if self.seat else [],
            "jurisdiction": [self.jurisdiction] if self.jurisdiction else [],
            "parent": [self.parent] if self.parent else [],
        }


class Event(Record):
    kind: EventKind
    date: Period
    place: Id | None = None
    participants: list[Id] = []
    related: list[Id] = []
    outcome: str | None = None

    def referenced_ids(self) -> dict[str, list[str]]:
        return {
            "place": [self.place] if self.place else [],
            "participants": list(self.participants),
            "related": list(self.related),
        }


class Partnership(Record):
    """Two places in a friendship relation; ``local_term`` keeps the words the sources use."""

    kind: PartnershipKind = "friendship"
    local_term: str
    places: tuple[Id, Id]
    level: str | None = None
    established: PartialDate | None = None
    approved_by: list[Id] = []

    @model_validator(mode="after")
    def _two_places(self) -> Partnership:
        if self.places[0] == self.places[1]:
            msg = f"a partnership needs two different places, got {self.places[0]!r} twice"
            raise ValueError(msg)
        return self

    def referenced_ids(self) -> dict[str, list[str]]:
        return {"places": list(self.places), "approved_by": list(self.approved_by)}


class Agreement(Record):
    kind: AgreementKind
    parties: Annotated[list[Id], Field(min_length=1)]
    signed: Period
    event: Id | None = None
    place: Id | None = None
    partnership: Id | None = None
    enables: list[Id] = []
    signatories: list[Id] = []
    strategies: list[Id] = []

    def referenced_ids(self) -> dict[str, list[str]]:
        return {
            "strategies": list(self.strategies),
            "parties": list(self.parties),
            "event": [self.event] if self.event else [],
            "place": [self.place] if self.place else [],
            "partnership": [self.partnership] if self.partnership else [],
            "enables": list(self.enables),
            "signatories": list(self.signatories),
        }


class Milestone(Strict):
    date: Period
    status: MilestoneStatus
    what: str
    cite: Cites


class Policy(Strict):
    """A rule a zone offers (tax relief, visa-free entry…); figures go to observations."""

    kind: Literal["land_fee", "tax", "visa", "duty_free", "customs", "other"]
    summary: str
    cite: Cites


class Project(Record):
    """A joint undertaking: an economic zone, an infrastructure asset or a mixed complex."""

    kind: ProjectKind
    status: ProjectStatus
    status_as_of: PartialDate | None = None
    countries: Annotated[list[Iso3], Field(min_length=1)]
    location: list[Id] = []
    endpoints: list[Id] = []
    parties: list[Id] = []
    fields: list[CooperationField] = []
    corridors: list[CorridorId] = []
    connectivities: list[ConnectivityId] = []
    strategies: list[Id] = []
    agreements: list[Id] = []
    partnership: Id | None = None
    related: list[Id] = []
    milestones: list[Milestone] = []
    policies: list[Policy] = []

    def referenced_ids(self) -> dict[str, list[str]]:
        return {
            "location": list(self.location),
            "endpoints": list(self.endpoints),
            "parties": list(self.parties),
            "corridors": list(self.corridors),
            "connectivities": list(self.connectivities),
            "strategies": list(self.strategies),
            "agreements": list(self.agreements),
            "partnership": [self.partnership] if self.partnership else [],
            "related": list(self.related),
        }


class Corridor(Record):
    countries: list[Iso3] = []
    routes: list[Literal["silk_road_economic_belt", "maritime_silk_road"]] = []


class Connectivity(Record):
    pass


class Strategy(Record):
    kind: StrategyKind
    country: Iso3 | None = None
    owner: list[Id] = []
    parent: Id | None = None
    adopted: Period | None = None
    fields: list[CooperationField] = []

    def referenced_ids(self) -> dict[str, list[str]]:
        return {"owner": list(self.owner), "parent": [self.parent] if self.parent else []}


class Observation(Record):
    """A measured or declared quantity of a subject (a place, a pair, a project, a strategy)."""

    measure: str
    subject: Annotated[list[Id], Field(min_length=1, max_length=2)]
    side: Iso3 | None = None
    value: float
    unit: str
    bound: Bound = "exact"
    qualifier: Qualifier
    phase: str | None = None
    scope: str | None = None
    period: Period | None = None
    as_of: PartialDate | None = None

    @model_validator(mode="after")
    def _unit_fits(self) -> Observation:
        check_choice(self.measure, sorted(MEASURES), "measure")
        check_choice(self.unit, sorted(UNITS), "unit")
        if not unit_fits_measure(self.unit, self.measure):
            msg = f"unit {self.unit!r} cannot measure {self.measure!r} ({MEASURES[self.measure]})"
            raise ValueError(msg)
        if self.value < 0 and self.measure != "trade_growth":
            msg = f"{self.measure} cannot be negative, got {self.value}"
            raise ValueError(msg)
        if self.period is None and self.as_of is None:
            msg = "an observation needs a period or an as_of date"
            raise ValueError(msg)
        return self

    def referenced_ids(self) -> dict[str, list[str]]:
        return {"subject": list(self.subject)}


RECORD_TYPES: dict[str, type[Record]] = {
    "place": Place,
    "actor": Actor,
    "event": Event,
    "partnership": Partnership,
    "agreement": Agreement,
    "project": Project,
    "corridor": Corridor,
    "connectivity": Connectivity,
    "strategy": Strategy,
    "observation": Observation,
}

#: for each relation, the kinds of record it may point at
REFERENCE_KINDS: dict[str, frozenset[str]] = {
    "parent": frozenset({"place", "actor", "strategy"}),
    "seat": frozenset({"place"}),
    "jurisdiction": frozenset({"place"}),
    "place": frozenset({"place"}),
    "participants": frozenset({"actor", "place"}),
    "related": frozenset(RECORD_TYPES) - {"observation"},
    "places": frozenset({"place"}),
    "approved_by": frozenset({"actor"}),
    "parties": frozenset({"actor", "place"}),
    "signatories": frozenset({"actor"}),
    "event": frozenset({"event"}),
    "partnership": frozenset({"partnership"}),
    "enables": frozenset({"project"}),
    "location": frozenset({"place"}),
    "endpoints": frozenset({"place"}),
    "corridors": frozenset({"corridor"}),
    "connectivities": frozenset({"connectivity"}),
    "strategies": frozenset({"strategy"}),
    "agreements": frozenset({"agreement"}),
    "owner": frozenset({"actor"}),
    "subject": frozenset(RECORD_TYPES) - {"observation"},
}


def record_kind(record: Record) -> str:
    for kind, cls in RECORD_TYPES.items():
        if type(record) is cls:
            return kind
    msg = f"not a record type: {type(record).__name__}"
    raise TypeError(msg)


def citations_of(record: Record) -> list[tuple[str, Citation]]:
    """Every citation a record carries with the part it supports: ``cite`` for the record,
    ``point`` for a place's coordinates, ``milestones.N`` and ``policies.N`` for a project's."""
    found: list[tuple[str, Citation]] = [("cite", c) for c in record.cite]
    if isinstance(record, Place):
        found.append(("point", record.point.cite))
    if isinstance(record, Project):
        for i, m in enumerate(record.milestones):
            found.extend((f"milestones.{i}", c) for c in m.cite)
        for i, p in enumerate(record.policies):
            found.extend((f"policies.{i}", c) for c in p.cite)
    return found


def countries_of(record: Record) -> list[str]:
    """The ISO3 codes a record concerns directly, for filtering by country."""
    found: list[str] = []
    for attr in ("country", "countries"):
        value: Any = getattr(record, attr, None)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found.extend(value)
    return sorted(set(found))
