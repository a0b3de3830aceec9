"""The inter-city cooperation model: profiles with evidence chains, and a rule-based typology.

Yang's paper reads the Belarusian-style town as a model with three characteristics: it serves
both countries' development strategies and the BRI; it rests on a friendship-city partnership
(partnership → agreement → project); and it spans several fields with an economic core.
``profile_cooperation`` computes those three for any project or partnership in the store, each
statement with the records and citations it rests on, and says where a link or a date is
missing instead of guessing. ``classify_cooperation`` applies the ordered rules of
``typology.yaml`` and explains which conditions held or failed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from sqlalchemy import Connection

from beltroad.analysis.results import (
    CaseFigures,
    CharacteristicFigures,
    ComparisonFigures,
    ProfileFigures,
    Subject,
    TypeVerdict,
)
from beltroad.errors import ValidationFailed
from beltroad.model import Actor, Agreement, Partnership, Place, Project, Record, Strategy
from beltroad.model.dates import PartialDate
from beltroad.model.vocab import ECONOMIC_FIELDS, PLACE_LEVEL_WORD
from beltroad.store import citations_for, linking, load_record, projects_in_both, resolve

TYPOLOGY = Path(__file__).with_name("typology.yaml")
BRI = "bri"

#: fields of cooperation → the connectivity they advance (inferred, and marked as such)
FIELD_CONNECTIVITY: dict[str, str] = {
    "trade": "unimpeded-trade",
    "commerce": "unimpeded-trade",
    "customs": "unimpeded-trade",
    "investment": "financial-integration",
    "finance": "financial-integration",
    "transport": "facilities-connectivity",
    "logistics": "facilities-connectivity",
    "energy": "facilities-connectivity",
    "culture": "people-to-people",
    "tourism": "people-to-people",
}


class _Store:
    """Records read once per profile, validated into their model types."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._records: dict[str, Record | None] = {}

    def get(self, record_id: str | None) -> Record | None:
        if record_id is None:
            return None
        if record_id not in self._records:
            self._records[record_id] = load_record(self.conn, record_id)
        return self._records[record_id]

    def linking(self, rel: str, dst: str) -> list[str]:
        """Ids of records that point at ``dst`` through ``rel``."""
        return linking(self.conn, rel, dst)

    def evidence(self, record: Record, supports: str | None = None) -> dict[str, Any]:
        """A record with its citations (those supporting ``supports`` when any say so)."""
        cites = citations_for(self.conn, [record.id]).get(record.id, [])
        cites = [c for c in cites if c["path"] == "cite"]
        if supports:
            specific = [c for c in cites if supports in c.get("supports", [])]
            cites = specific or [c for c in cites if not c.get("supports")] or cites
        return {
            "record": record.id,
            "name": record.name,
            "citations": [{k: c[k] for k in ("source", "locator", "via") if k in c} for c in cites],
        }


def _date_of(record: Record) -> PartialDate | None:
    if isinstance(record, Partnership):
        return record.established
    if isinstance(record, Agreement):
        return record.signed.start
    if isinstance(record, Project):
        actual = [m.date.start for m in record.milestones if m.status == "actual"]
        return min(actual, key=lambda d: d.earliest()) if actual else None
    return None


def _level_of(record: Record, store: _Store) -> str | None:
    if isinstance(record, Partnership):
        return record.level
    if isinstance(record, Agreement):
        words = []
        for party in record.parties:
            target = store.get(party)
            place = store.get(target.jurisdiction) if isinstance(target, Actor) else target
            if isinstance(place, Place):
                words.append(place.admin_term or PLACE_LEVEL_WORD[place.kind])
            else:
                words.append("?")
        return "–".join(words)
    return None


def _strategy_roots(strategy: Strategy, store: _Store) -> list[str]:
    chain = [strategy.id]
    current: Record | None = strategy
    while isinstance(current, Strategy) and current.parent and current.parent not in chain:
        chain.append(current.parent)
        current = store.get(current.parent)
    return chain


def _subject(conn: Connection, name_or_id: str, store: _Store) -> tuple[Record, list[Project]]:
    record = store.get(resolve(conn, name_or_id))
    if isinstance(record, Project):
        return record, [record]
    if isinstance(record, Partnership):
        projects = set(store.linking("partnership", record.id))
        for agreement_id in store.linking("partnership", record.id):
            agreement = store.get(agreement_id)
            if isinstance(agreement, Agreement):
                projects.update(agreement.enables)
        found = [p for p in (store.get(i) for i in sorted(projects)) if isinstance(p, Project)]
        return record, found
    kind = type(record).__name__.lower() if record else "nothing"
    msg = f"{name_or_id!r} is a {kind}; a cooperation profile needs a project or a partnership"
    raise ValidationFailed(msg)


def _subtree(store: _Store, place_id: str) -> set[str]:
    """A place and every place under it (Chongqing Municipality holds its districts)."""
    found = {place_id}
    frontier = [place_id]
    while frontier:
        children = [c for c in store.linking("parent", frontier.pop()) if c not in found]
        found.update(children)
        frontier.extend(children)
    return found


def _place_of(store: _Store, name_or_id: str) -> Place:
    record = store.get(resolve(store.conn, name_or_id))
    if isinstance(record, Actor) and record.jurisdiction:
        record = store.get(record.jurisdiction)
    if not isinstance(record, Place):
        kind = type(record).__name__.lower() if record else "nothing"
        msg = f"{name_or_id!r} is a {kind}; a pair profile needs two places (or governments of places)"
        raise ValidationFailed(msg)
    return record


def _country_of(store: _Store, place_id: str) -> str:
    place = store.get(place_id)
    return place.country if isinstance(place, Place) else "?"


def _touches(record: Record, side: set[str], store: _Store) -> bool:
    """Whether a project or agreement involves a place of ``side``, itself or through an actor."""
    refs = [r for ids in record.referenced_ids().values() for r in ids]
    for ref in refs:
        if ref in side:
            return True
        actor = store.get(ref)
        if isinstance(actor, Actor) and actor.jurisdiction in side:
            return True
    return False


def _pair_subject(
    store: _Store, first: str, second: str
) -> tuple[Subject, Partnership | None, list[Project]]:
    """The cooperation between two places: their partnerships and the joint projects of either.

    A place stands for everything under it, so Chongqing – Minsk Oblast also finds the projects of
    Chongqing's districts; a pair with nothing recorded gets an empty profile whose gaps say so.
    """
    a, b = _place_of(store, first), _place_of(store, second)
    if a.id == b.id:
        msg = f"a pair profile needs two different places; both names denote {a.id}"
        raise ValidationFailed(msg)
    side_a, side_b = _subtree(store, a.id), _subtree(store, b.id)
    partnerships: list[Partnership] = []
    for place in sorted(side_a):
        for pid in store.linking("places", place):
            found = store.get(pid)
            if isinstance(found, Partnership) and set(found.places) & side_b and found not in partnerships:
                partnerships.append(found)
    projects: dict[str, Project] = {}
    for partnership in partnerships:
        for project in _subject(store.conn, partnership.id, store)[1]:
            projects[project.id] = project
    if a.kind == "country" and b.kind == "country":
        # a project between two countries may name a place on one side only (the Tongjiang bridge)
        for pid in projects_in_both(store.conn, a.country, b.country):
            found = store.get(pid)
            if isinstance(found, Project):
                projects[found.id] = found
    actors_a = [actor for place in sorted(side_a) for actor in store.linking("jurisdiction", place)]
    for target in [*sorted(side_a), *actors_a]:
        for rel in ("location", "endpoints", "parties"):
            for pid in store.linking(rel, target):
                found = store.get(pid)
                if isinstance(found, Project) and _touches(found, side_b, store):
                    projects[found.id] = found
    header = Subject(id=f"{a.id}+{b.id}", name=f"{a.name} – {b.name}", kind="pair", places=[a.id, b.id])
    ordered = sorted(
        partnerships, key=lambda p: (p.established.earliest() if p.established else date.max, p.id)
    )
    return header, ordered[0] if ordered else None, sorted(projects.values(), key=lambda p: p.id)


def _chain(partnership: Record | None, projects: list[Project], store: _Store) -> dict[str, Any]:
    if partnership is None and projects:
        partnership = store.get(projects[0].partnership)
    agreements: dict[str, Agreement] = {}
    for project in projects:
        for aid in [*project.agreements, *store.linking("enables", project.id)]:
            found = store.get(aid)
            if isinstance(found, Agreement):
                agreements[aid] = found
    if isinstance(partnership, Partnership):
        for aid in store.linking("partnership", partnership.id):
            found = store.get(aid)
            if isinstance(found, Agreement):
                agreements[aid] = found
    if partnership is None:
        for agreement in agreements.values():
            partnership = store.get(agreement.partnership) or partnership
    links: list[dict[str, Any]] = []
    missing: list[str] = []
    for role, items in (
        ("partnership", [partnership] if isinstance(partnership, Partnership) else []),
        ("agreement", sorted(agreements.values(), key=lambda a: a.signed.start.earliest())),
        ("project", projects),
    ):
        if not items:
            missing.append(role)
        for item in items:
            date = _date_of(item)
            links.append(
                {
                    "role": role,
                    **store.evidence(item),
                    "date": str(date) if date else None,
                    "level": _level_of(item, store),
                }
            )
            if date is None:
                missing.append(f"date of {role} {item.id}")
    dated = [(link, PartialDate.model_validate(link["date"])) for link in links if link["date"]]
    lags = [
        {"from": a["record"], "to": b["record"], "years": b_date.year - a_date.year}
        for (a, a_date), (b, b_date) in itertools.pairwise(dated)
        if a["role"] != b["role"]
    ]
    complete = not any(m in {"partnership", "agreement", "project"} for m in missing)
    if complete:
        steps = " → ".join(f"{link['role']} ({link['date'] or 'undated'})" for link in links)
        statement = f"Rests on a friendship-city partnership: {steps}."
    else:
        statement = (
            "The partnership chain is incomplete: no "
            + ", no ".join(m for m in missing if " " not in m)
            + " in the record."
        )
    return {"links": links, "lags": lags, "missing": missing, "complete": complete, "statement": statement}


def _strategies(projects: list[Project], store: _Store, countries: list[str]) -> dict[str, Any]:
    by_country: dict[str, list[dict[str, Any]]] = {}
    bri: list[dict[str, Any]] = []
    evidence = []
    for project in projects:
        evidence.append(store.evidence(project, "strategies"))
        for sid in project.strategies:
            strategy = store.get(sid)
            if not isinstance(strategy, Strategy):
                continue
            item = {
                **store.evidence(strategy),
                "adopted": str(strategy.adopted) if strategy.adopted else None,
            }
            if BRI in _strategy_roots(strategy, store):
                bri.append(item)
            else:
                by_country.setdefault(strategy.country or "?", []).append(item)
    frameworks = {
        "corridors": sorted({c for p in projects for c in p.corridors}),
        "connectivities": sorted({c for p in projects for c in p.connectivities}),
    }
    serves_all = bool(bri) and all(c in by_country for c in countries) and len(countries) >= 2
    sides = "; ".join(
        f"{c}: "
        + ", ".join(
            f"{s['name']}" + (f" (since {s['adopted']})" if s["adopted"] else " (date not recorded)")
            for s in items
        )
        for c, items in sorted(by_country.items())
    )
    missing_sides = [c for c in countries if c not in by_country]
    statement = (
        f"Serves the development strategies of both sides ({sides}) and the BRI."
        if serves_all
        else f"Strategy alignment is partial: {'no BRI framework' if not bri else 'BRI'}; "
        f"{'no strategy recorded for ' + ', '.join(missing_sides) if missing_sides else sides}."
    )
    return {
        "by_country": by_country,
        "bri": bri,
        **frameworks,
        "holds": serves_all,
        "statement": statement,
        "evidence": evidence,
    }


def _fields(projects: list[Project], store: _Store) -> dict[str, Any]:
    fields = sorted({f for p in projects for f in p.fields})
    economic = sorted(set(fields) & ECONOMIC_FIELDS)
    n = len(fields)
    # with no data on each field's weight, every field counts equally: H = ln(n)
    shannon = round(math.log(n), 4) if n else 0.0
    holds = n >= 3 and bool(economic)
    if not fields:
        statement = "No fields of cooperation are recorded."
    else:
        statement = (
            f"Spans {n} field{'s' if n != 1 else ''} ({', '.join(fields)}); economic fields ({', '.join(economic) or 'none'}) "
            + ("form its core." if economic else "are absent, so there is no economic core.")
        )
    return {
        "fields": fields,
        "economic": economic,
        "count": n,
        "shannon": shannon,
        "economic_core": bool(economic),
        "holds": holds,
        "statement": statement,
        "evidence": [store.evidence(p, "fields") for p in projects],
    }


def _connectivities(projects: list[Project], store: _Store) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for project in projects:
        for cid in project.connectivities:
            found.setdefault(cid, {"id": cid, "basis": "stated", "evidence": []})["evidence"].append(
                store.evidence(project, "connectivities")
            )
        for field in project.fields:
            inferred = FIELD_CONNECTIVITY.get(field)
            if inferred and inferred not in found:
                found[inferred] = {
                    "id": inferred,
                    "basis": f"inferred from the field '{field}'",
                    "evidence": [store.evidence(project, "fields")],
                }
        if project.agreements or project.strategies:
            found.setdefault(
                "policy-coordination",
                {
                    "id": "policy-coordination",
                    "basis": "inferred from the agreements and strategies it rests on",
                    "evidence": [store.evidence(project)],
                },
            )
    for item in found.values():
        record = store.get(item["id"])
        item["name"] = record.name if record else item["id"]
    return [found[k] for k in sorted(found)]


def profile_cooperation(conn: Connection, name_or_id: str, other: str | None = None) -> ProfileFigures:
    """The cooperation profile of a project, a partnership or (with ``other``) a pair of places.

    Every statement carries its evidence.
    Raises ``RecordNotFound`` (with suggestions) or ``AmbiguousName`` (with candidates) for names
    that do not denote one record, and ``ValidationFailed`` for records of other kinds.
    """
    store = _Store(conn)
    partnership: Record | None
    if other is None:
        subject, projects = _subject(conn, name_or_id, store)
        header = Subject(id=subject.id, name=subject.name, kind=type(subject).__name__.lower())
        partnership = subject if isinstance(subject, Partnership) else None
    else:
        header, partnership, projects = _pair_subject(store, name_or_id, other)
    countries = sorted({c for p in projects for c in p.countries})
    if other is not None:
        countries = sorted(set(countries) | {_country_of(store, pid) for pid in header.get("places", [])})
    chain = _chain(partnership, projects, store)
    strategies = _strategies(projects, store, countries)
    fields = _fields(projects, store)
    characteristics = [
        CharacteristicFigures(key="serves-strategies", holds=strategies["holds"], statement=strategies["statement"]),
        CharacteristicFigures(key="partnership-support", holds=chain["complete"], statement=chain["statement"]),
        CharacteristicFigures(key="multi-field-economic-core", holds=fields["holds"], statement=fields["statement"]),
    ]
    gaps = [f"missing {m}" for m in chain["missing"]] + ([] if fields["fields"] else ["no fields recorded"])
    if other is not None and partnership is None and not projects:
        gaps.insert(0, f"no partnership or joint project between {header['name']} is recorded")
    unclassified: dict[str, Any] = {
        **header,
        "projects": [p.id for p in projects],
        "countries": countries,
        "characteristics": characteristics,
        "strategy_alignment": strategies,
        "partnership_chain": chain,
        "fields": fields,
        "connectivities": _connectivities(projects, store),
        "gaps": gaps,
    }
    # every key of ProfileFigures but the type, which the typology reads the rest to decide
    return cast(ProfileFigures, {**unclassified, "type": classify_cooperation(unclassified, projects, store)})


# --- typology --------------------------------------------------------------------------------

Predicate = Callable[[dict[str, Any], list[Project], _Store, Any], tuple[bool, str]]


def _kind_in(
    profile: dict[str, Any], projects: list[Project], _s: _Store, kinds: list[str]
) -> tuple[bool, str]:
    have = sorted({p.kind for p in projects})
    return bool(have) and all(k in kinds for k in have), f"project kind {', '.join(have) or 'none'}"


def _chain_complete(profile: dict[str, Any], _p: list[Project], _s: _Store, want: str) -> tuple[bool, str]:
    complete = profile["partnership_chain"]["complete"]
    return complete == (want == "complete"), "partnership → agreement → project chain " + (
        "complete" if complete else "incomplete"
    )


def _min_fields(profile: dict[str, Any], _p: list[Project], _s: _Store, n: int) -> tuple[bool, str]:
    count = profile["fields"]["count"]
    return count >= n, f"{count} field(s)"


def _economic_core(profile: dict[str, Any], _p: list[Project], _s: _Store, want: bool) -> tuple[bool, str]:
    core = profile["fields"]["economic_core"]
    return core == want, "economic core" if core else "no economic core"


def _min_countries(profile: dict[str, Any], _p: list[Project], _s: _Store, n: int) -> tuple[bool, str]:
    count = len(profile["countries"])
    return count >= n, f"{count} countr{'y' if count == 1 else 'ies'}"


def _parties_level(
    _profile: dict[str, Any], projects: list[Project], store: _Store, want: str
) -> tuple[bool, str]:
    kinds = []
    for project in projects:
        for party in project.parties:
            record = store.get(party)
            place = store.get(record.jurisdiction) if isinstance(record, Actor) else record
            kinds.append(place.kind if isinstance(place, Place) else "unknown")
    national = bool(kinds) and all(k == "country" for k in kinds)
    level = "national" if national else ("sub-national" if kinds else "no parties recorded")
    return level == want, f"parties {level}"


PREDICATES: dict[str, Predicate] = {
    "project_kind_in": _kind_in,
    "partnership_chain": _chain_complete,
    "min_fields": _min_fields,
    "economic_core": _economic_core,
    "min_countries": _min_countries,
    "parties_level": _parties_level,
}


@cache
def load_typology() -> list[dict[str, Any]]:
    """The ordered types of ``typology.yaml``; checks every condition names a known predicate."""
    types: list[dict[str, Any]] = yaml.safe_load(TYPOLOGY.read_text(encoding="utf-8"))
    for entry in types:
        unknown = set(entry["conditions"]) - set(PREDICATES)
        if unknown:
            msg = f"{TYPOLOGY.name}: type {entry['id']!r} uses unknown condition(s) {sorted(unknown)}"
            raise ValidationFailed(msg)
    return types


def classify_cooperation(profile: dict[str, Any], projects: list[Project], store: _Store) -> TypeVerdict:
    """The first type whose conditions all hold, with why; or ``unclassified`` with each type's misses."""
    misses: dict[str, list[str]] = {}
    for entry in load_typology():
        results = [
            (name, *PREDICATES[name](profile, projects, store, arg))
            for name, arg in entry["conditions"].items()
        ]
        failed = [f"{name}: {why}" for name, ok, why in results if not ok]
        if not failed:
            return TypeVerdict(
                id=entry["id"],
                name=entry["name"],
                description=" ".join(entry["description"].split()),
                because=[why for _name, _ok, why in results],
            )
        misses[entry["id"]] = failed
    return TypeVerdict(id="unclassified", name="Unclassified", description="Fits no type of the typology.", misses=misses)


def compare_cooperation(conn: Connection, names: list[str]) -> ComparisonFigures:
    """Profiles side by side, each with its type, and whether the types differ."""
    if len(names) < 2:
        msg = "compare needs at least two cases"
        raise ValidationFailed(msg)
    profiles = [profile_cooperation(conn, name) for name in names]
    return {
        "cases": [
            CaseFigures(
                id=p["id"],
                name=p["name"],
                type=p["type"],
                characteristics={c["key"]: c["holds"] for c in p["characteristics"]},
                fields=p["fields"]["fields"],
                countries=p["countries"],
                chain_complete=p["partnership_chain"]["complete"],
            )
            for p in profiles
        ],
        "distinct_types": len({p["type"]["id"] for p in profiles}),
        "profiles": profiles,
    }
