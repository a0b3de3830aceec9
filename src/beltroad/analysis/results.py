"""What the cooperation model returns: profiles of cases and their comparison.

The top of a profile is typed (who, which countries and projects, the three characteristics, the
type); its evidence (the chain, the strategies, the fields) stays as the nested records-with-
citations the pages and reports render, under the names the JSON gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from beltroad._results import OPTIONAL, Result, key


class Subject(TypedDict):
    """What a profile is of: a record (project, partnership), or a pair of places."""

    id: str
    name: str
    kind: str
    #: the two places of a pair
    places: NotRequired[list[str]]


class CharacteristicFigures(TypedDict):
    key: str
    holds: bool
    statement: str


class TypeVerdict(TypedDict):
    """The typology's verdict as ``classify_cooperation`` gives it."""

    id: str
    name: str
    description: str
    because: NotRequired[list[str]]
    misses: NotRequired[dict[str, list[str]]]


class ProfileFigures(Subject):
    """A profile as ``profile_cooperation`` builds it: the fields of ``Profile``, as JSON."""

    projects: list[str]
    countries: list[str]
    characteristics: list[CharacteristicFigures]
    strategy_alignment: dict[str, Any]
    partnership_chain: dict[str, Any]
    fields: dict[str, Any]
    connectivities: list[dict[str, Any]]
    gaps: list[str]
    type: TypeVerdict


class CaseFigures(TypedDict):
    """One case of a comparison, as ``compare_cooperation`` builds it."""

    id: str
    name: str
    type: TypeVerdict
    characteristics: dict[str, bool]
    fields: list[str]
    countries: list[str]
    chain_complete: bool


class ComparisonFigures(TypedDict):
    """A comparison as ``compare_cooperation`` builds it: the fields of ``Comparison``, as JSON."""

    cases: list[CaseFigures]
    distinct_types: int
    profiles: list[ProfileFigures]


@dataclass(frozen=True)
class Characteristic(Result):
    """One of the paper's three characteristics of inter-city cooperation, and whether it holds."""

    key: str
    holds: bool
    statement: str


@dataclass(frozen=True)
class CooperationType(Result):
    """The typology's verdict: the first type whose rules all hold, with why (or each miss)."""

    id: str
    name: str
    description: str
    because: list[str] | None = field(default=None, metadata=OPTIONAL)
    misses: dict[str, list[str]] | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class Profile(Result):
    """The cooperation profile of a case, or of the cooperation between two places."""

    id: str
    name: str
    #: the record's kind (project, partnership…) or "pair" for two places
    kind: str
    projects: list[str]
    countries: list[str]
    characteristics: list[Characteristic]
    #: the strategies each side's projects serve, with the records and citations behind them
    strategy_alignment: dict[str, Any]
    #: the partnership → agreement → project chain, its lags and what is missing
    partnership_chain: dict[str, Any]
    fields: dict[str, Any]
    connectivities: list[dict[str, Any]]
    gaps: list[str]
    type: CooperationType
    #: the two places of a pair's profile
    places: list[str] | None = field(default=None, metadata=OPTIONAL)

    @classmethod
    def from_json(cls, data: ProfileFigures) -> Profile:
        """A profile from its JSON form (as ``profile_cooperation`` builds it).

        Parameters
        ----------
        data
            The profile's dictionary.

        Returns
        -------
        Profile
            The same profile, typed.
        """
        return cls(
            id=data["id"],
            name=data["name"],
            kind=data["kind"],
            projects=data["projects"],
            countries=data["countries"],
            characteristics=[Characteristic(**c) for c in data["characteristics"]],
            strategy_alignment=data["strategy_alignment"],
            partnership_chain=data["partnership_chain"],
            fields=data["fields"],
            connectivities=data["connectivities"],
            gaps=data["gaps"],
            type=CooperationType(**data["type"]),
            places=data.get("places"),
        )


@dataclass(frozen=True)
class CaseSummary(Result):
    """One case of a comparison: its type, characteristics, fields and countries."""

    id: str
    name: str
    type: CooperationType
    characteristics: dict[str, bool]
    fields: list[str]
    countries: list[str]
    chain_complete: bool


@dataclass(frozen=True)
class Comparison(Result):
    """Cases side by side, each classified by the typology, and how many types they span."""

    cases: list[CaseSummary]
    distinct_types: int
    profiles: list[Profile] = field(metadata=key("profiles"))

    def to_json(self) -> dict[str, Any]:
        """The cases and the number of types (the full profiles are left to ``profiles``).

        Returns
        -------
        dict
            ``cases`` and ``distinct_types``, as ``beltroad compare --json`` prints them.
        """
        return {"cases": [c.to_json() for c in self.cases], "distinct_types": self.distinct_types}
