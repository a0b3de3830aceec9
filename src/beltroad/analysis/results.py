"""What the cooperation model returns: profiles of cases and their comparison.

The top of a profile is typed (who, which countries and projects, the three characteristics, the
type); its evidence (the chain, the strategies, the fields) stays as the nested records-with-
citations the pages and reports render, under the names the JSON gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from beltroad._results import OPTIONAL, Result, key


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
    def from_json(cls, data: dict[str, Any]) -> Profile:
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
        values = dict(data)
        values["characteristics"] = [Characteristic(**c) for c in data["characteristics"]]
        values["type"] = CooperationType(**data["type"])
        return cls(**values)


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
