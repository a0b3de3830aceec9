"""Deciding on candidates: accepted ones become records or new citations; rejected ones are kept
as rejected, so a second pass does not ask again.

- a place the knowledge base has → the record gets a citation of the document's span;
- a country → the country's place record gets that citation;
- a gazetteer city → a new place record with its GeoNames point, cited to the document;
- a quantity → a new observation once the reviewer names its measure and subject;
- a date is a part of other facts: it is accepted as the ``as_of`` of a quantity, not alone;
- a partnership or agreement the knowledge base has (the same places, the same year) → a second
  citation on that record, so two documents reporting one partnership make one record with two
  citations; otherwise a new record, once its places are in the knowledge base;
- a project or zone fact → an observation of the project the reviewer names (area, capacity,
  investment…), or, for a milestone, a citation on that project;
- a trade fact → an observation of the pair of places.

A pending candidate can also be edited first (``edit``): its value, unit, date, record or places
are corrected, checked like a record's, and the edit is kept in the candidate with its author.

Every write goes through the editing layer, so it is validated and audited like any correction.
"""

from __future__ import annotations

import re
from typing import Any, get_args

import pycountry
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import Connection, Engine

from beltroad.errors import Conflict, RecordNotFound, ValidationFailed, check_choice
from beltroad.ingest.candidates import Decision, Edited
from beltroad.model.dates import PartialDate
from beltroad.model.names import slugify
from beltroad.model.units import UNITS
from beltroad.model.vocab import AgreementKind
from beltroad.store import (
    candidate_row,
    cite_record,
    country_place_of,
    create_record,
    list_users,
    live_place_named,
    live_records_of_kind,
    record_brief,
    record_decision,
    record_exists,
    record_kind_and_data,
    record_name,
    resolve,
    set_candidate_data,
    writing,
)


def _candidate(conn: Connection, candidate_id: int) -> Any:
    row = candidate_row(conn, candidate_id)
    if row is None:
        msg = f"no candidate {candidate_id}"
        raise RecordNotFound(msg)
    if row.status != "pending":
        by = f" by {row.reviewed_by}" if row.reviewed_by else ""
        at = f" at {row.reviewed_at}" if row.reviewed_at else ""
        msg = f"candidate {candidate_id} was {row.status} already{by}{at}"
        raise Conflict(msg)
    return row


def describe(kind: str, data: dict[str, Any]) -> str:
    """A candidate's normalised form, as the terminal and the web review show it."""
    if kind == "quantity":
        return f"{data['value']:g} {data['unit']}"
    if kind == "date":
        return f"{data['value']} ({data['precision']})"
    if kind == "relation":
        value = data.get("value")
        shown = f"{value[0]:g} {value[1]}" if isinstance(value, list) else str(value or "undated")
        places = " – ".join(data.get("places") or [])
        side = f" in {data['side']}" if data.get("side") else ""
        said = f"{data['relation']} {data['fact']}: {places + ', ' if places else ''}{shown}{side}"
        if data.get("gloss"):  # a Chinese or Russian sentence: its recognised terms in English
            said += " [" + "; ".join(f"{original} = {english}" for original, english in data["gloss"]) + "]"
        if data.get("suggested"):  # the classifier's pair, not the rules': the parties are a guess
            said += f" (suggested: {data['suggested']['method']}, score {data['suggested']['score']:.2f})"
        return said
    if kind == "actor":
        return str(data.get("record") or f"{data.get('name')} ({data.get('actor_kind')}, new)")
    return str(
        data.get("record") or data.get("country") or f"{data.get('name')} ({data.get('country_iso2')})"
    )


def needs(kind: str, data: dict[str, Any]) -> tuple[str, ...]:
    """What a reviewer must add to accept a candidate: a quantity's measure and subject, a project
    fact's project, a new agreement's kind."""
    if kind == "quantity":
        return ("measure", "subject")
    if kind == "relation" and data.get("relation") in {"project", "zone"}:
        if data.get("fact") in MILESTONE_FACTS:
            return ("subject",)
        return ("subject", "as_of") if data.get("fact") != "policy" else ("measure", "subject", "as_of")
    if kind == "relation" and data.get("relation") == "trade" and not data.get("period"):
        return ("as_of",)
    if kind == "relation" and data.get("relation") == "agreement" and not data.get("agreement_kind"):
        return ("kind",)
    return ()


#: what an edit may change, per kind of candidate
EDITABLE = {
    "quantity": ("value", "unit"),
    "date": ("value",),
    "place": ("record",),
    "actor": ("record",),
    "relation": ("places", "value", "side", "agreement_kind"),
}


def _date(value: str) -> dict[str, Any]:
    try:
        parsed = PartialDate.model_validate(value)
    except PydanticValidationError as exc:
        msg = f"value: {exc.errors()[0]['msg'].removeprefix('Value error, ')}"
        raise ValidationFailed(msg) from exc
    return {"value": value.strip(), "precision": parsed.precision}


def _number(value: str, unit: str) -> list[Any]:
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        msg = f"value: {value!r} is not a number"
        raise ValidationFailed(msg) from None
    if number < 0 and unit != "percent":
        msg = f"value: {number:g} {unit} cannot be negative"
        raise ValidationFailed(msg)
    check_choice(unit, sorted(UNITS), "unit")
    return [number, unit]


def _edited(conn: Connection, kind: str, data: dict[str, Any], changes: dict[str, str]) -> dict[str, Any]:
    """The candidate's data with the changes applied, each checked; a bad one refused by name."""
    allowed = EDITABLE.get(kind, ())
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        msg = f"a {kind} candidate's {', '.join(unknown)} cannot be edited; editable: {', '.join(allowed)}"
        raise ValidationFailed(msg)
    new = dict(data)
    if kind == "quantity":
        value, unit = _number(changes.get("value", str(data["value"])), changes.get("unit", data["unit"]))
        new.update(value=value, unit=unit)
    elif kind == "date":
        new.update(_date(changes["value"]))
    elif kind in {"place", "actor"}:
        brief = record_brief(conn, changes["record"])
        if brief is None or brief[2] != kind:
            msg = f"record: no {kind} record {changes['record']!r}"
            raise ValidationFailed(msg)
        new = {
            k: v
            for k, v in new.items()
            if k in {"kind", "text", "start", "end", "sentence", "sentence_text", "page"}
        }
        new.update(record=brief[0], name=brief[1], resolved_by="reviewer")
    else:
        if "places" in changes:
            ids = [
                resolve(conn, name.strip(), kind="place")
                for name in changes["places"].split(",")
                if name.strip()
            ]
            names = [record_name(conn, i) for i in ids]
            new.update(places=names, place_records=ids)
        if "value" in changes:
            text = changes["value"].strip()
            if re.fullmatch(r"\d{4}(?:-\d{1,2}){0,2}", text):
                new["value"] = _date(text)["value"]
            else:
                number, _, unit = text.partition(" ")
                new["value"] = _number(number, unit.strip())
        if "agreement_kind" in changes:
            check_choice(changes["agreement_kind"], get_args(AgreementKind), "agreement_kind")
            new["agreement_kind"] = changes["agreement_kind"]
        if "side" in changes:
            new["side"] = changes["side"]
    return new


def edit(engine: Engine, candidate_id: int, user: str, changes: dict[str, str]) -> Edited:
    """Correct a pending candidate before deciding on it; returns its data as edited."""
    if not changes:
        msg = "nothing to edit: give FIELD=VALUE"
        raise ValidationFailed(msg)
    with writing(engine) as conn:
        row = _candidate(conn, candidate_id)
        new = _edited(conn, row.kind, row.data, changes)
        new["edits"] = [*row.data.get("edits", []), {"by": user, "changes": changes}]
        set_candidate_data(conn, candidate_id, new)
    return Edited(candidate=candidate_id, data=new)


def require_editor(engine: Engine, user: str) -> None:
    with engine.connect() as conn:
        names = {u["name"] for u in list_users(conn) if u["active"]}
    if user not in names:
        msg = f"{user!r} is not an active editor; add one with `beltroad user add NAME`"
        raise ValidationFailed(msg)


def _country_place(conn: Connection, iso3: str) -> str:
    found = country_place_of(conn, iso3)
    if found is None:
        msg = f"the knowledge base has no country record for {iso3}; create it first"
        raise RecordNotFound(msg)
    return str(found)


def decide(
    engine: Engine,
    candidate_id: int,
    action: str,
    user: str,
    *,
    measure: str | None = None,
    subject: str | None = None,
    qualifier: str = "actual",
    as_of: str | None = None,
    kind: str | None = None,
) -> Decision:
    """Accept or reject one candidate; returns what was written."""
    if action not in {"accept", "reject"}:
        msg = f"unknown decision {action!r}; accept or reject"
        raise ValidationFailed(msg)
    with writing(engine) as conn:
        row = _candidate(conn, candidate_id)
        data = row.data
        cite = {"source": row.source_id, "span": [row.start, row.end]}
        note = f"from candidate {candidate_id}: {row.text!r}"
        record_id: str | None = None
        if action == "accept":
            if row.kind == "place" and data.get("record"):
                record_id = cite_record(conn, user, data["record"], citation=cite, note=note).id
            elif row.kind == "place" and data.get("country"):
                record_id = cite_record(
                    conn, user, _country_place(conn, data["country"]), citation=cite, note=note
                ).id
            elif row.kind == "place" and data.get("unlocode"):
                record_id = create_record(conn, user, "place", _unlocode_place(conn, data), citation=cite, note=note).id
            elif row.kind == "place" and not data.get("geonameid"):
                # an ISO 3166-2 province the knowledge base lacks: its code is known, its point is not
                msg = (
                    f"{data['name']} ({data.get('iso_3166_2', 'no code')}) has no point in the gazetteer: "
                    "add it to the knowledge base as a place first, then accept"
                )
                raise ValidationFailed(msg)
            elif row.kind == "place":
                country = pycountry.countries.get(alpha_2=data["country_iso2"])
                place = {
                    "id": f"{slugify(data['name'])}-{data['geonameid']}",
                    "name": data["name"],
                    "kind": "city",
                    "country": country.alpha_3 if country else data["country_iso2"],
                    "geonames_id": data["geonameid"],
                    "point": {
                        "lon": data["lon"],
                        "lat": data["lat"],
                        "basis": "own",
                        "cite": {"source": "geonames", "entry": f"geonameid {data['geonameid']}"},
                    },
                }
                record_id = create_record(conn, user, "place", place, citation=cite, note=note).id
            elif row.kind == "actor" and data.get("record"):
                record_id = cite_record(conn, user, data["record"], citation=cite, note=note).id
            elif row.kind == "actor":
                # a new organisation: its name and kind as read, its place when the sentence gave one
                actor: dict[str, Any] = {
                    "id": _free_id(conn, slugify(data["name"], fallback="actor")),
                    "name": data["name"],
                    "kind": kind or data.get("actor_kind") or "government_body",
                }
                found = record_kind_and_data(conn, data["place_record"]) if data.get("place_record") else None
                if found is not None and found[1].get("kind") == "country":
                    actor["country"] = found[1]["country"]  # "China Railway Group": a country, not a seat
                elif found is not None:
                    actor["seat"] = data["place_record"]
                record_id = create_record(conn, user, "actor", actor, citation=cite, note=note).id
            elif row.kind == "quantity":
                if not measure or not subject:
                    msg = "a quantity becomes an observation: give its measure and subject (a record id)"
                    raise ValidationFailed(msg)
                observation = {
                    "id": f"{row.source_id}-{candidate_id}",
                    "name": f"{measure.replace('_', ' ')} of {subject}",
                    "measure": measure,
                    "subject": [subject],
                    "value": data["value"],
                    "unit": data["unit"],
                    "qualifier": qualifier,
                    **({"as_of": as_of} if as_of else {}),
                }
                record_id = create_record(conn, user, "observation", observation, citation=cite, note=note).id
            elif row.kind == "relation":
                record_id = _accept_relation(
                    conn,
                    user,
                    candidate_id,
                    data,
                    cite=cite,
                    note=note,
                    measure=measure,
                    subject=subject,
                    qualifier=qualifier,
                    kind=kind,
                    as_of=as_of,
                )
            else:
                msg = "a date is accepted as part of another fact (the as_of of a quantity), not alone"
                raise ValidationFailed(msg)
        record_decision(conn, candidate_id, accepted=action == "accept", user=user, record_id=record_id)
    return Decision(candidate=candidate_id, decision=action, record=record_id)


def _unlocode_place(conn: Connection, data: dict[str, Any]) -> dict[str, Any]:
    """A new place record for a port, pass or terminal read by its UN/LOCODE name."""
    country = pycountry.countries.get(alpha_2=data["country_iso2"])
    return {
        "id": _free_id(conn, slugify(f"{data['name']} {data['unlocode']}", fallback="place")),
        "name": data["name"],
        "kind": data.get("place_kind") or "site",
        "country": country.alpha_3 if country else data["country_iso2"],
        "unlocode": data["unlocode"],
        "point": {
            "lon": data["lon"],
            "lat": data["lat"],
            "basis": "own",
            "cite": {"source": "unlocode", "entry": data["unlocode"], "supports": ["point"]},
        },
    }


def _free_id(conn: Connection, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… when a record already has it."""
    candidate, n = base, 1
    while record_kind_and_data(conn, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


#: the observation measure of a project or zone fact ("capacity" depends on its unit)
FACT_MEASURES = {
    "area": "land_area",
    "floor_area": "floor_area",
    "area_side": "zone_area",
    "investment": "investment",
    "value": "trade_value",
    "growth": "trade_growth",
}
MILESTONE_FACTS = frozenset({"launch", "completion", "proposal"})


def _records(conn: Connection, kind: str) -> list[tuple[str, dict[str, Any]]]:
    return live_records_of_kind(conn, kind)


def _party_places(conn: Connection, ids: list[str]) -> set[str]:
    """The places a list of parties stands for: an actor's jurisdiction (or seat), a place itself."""
    places = set()
    for rid in ids:
        row = record_kind_and_data(conn, rid)
        if row is None:
            continue
        kind, data = row
        if kind == "actor":
            places.add(data.get("jurisdiction") or data.get("seat") or rid)
        else:
            places.add(rid)
    return places


def _known(conn: Connection, ids: list[str | None], names: list[str] | None = None) -> list[str]:
    """The ids that are records; a place found in the gazetteer at extraction time is looked up by
    name, since the reviewer may have accepted it as a new place since."""
    out = []
    for i, rid in enumerate(ids):
        if rid and record_exists(conn, rid):
            out.append(rid)
        elif names and i < len(names):
            found = live_place_named(conn, names[i])
            if found:
                out.append(found)
    return out


def _need_places(data: dict[str, Any], records: list[str]) -> None:
    if len(records) < 2:
        names = ", ".join(data.get("places") or []) or "none named"
        msg = (
            f"a {data['relation']} joins two knowledge-base places, and this one has {len(records)} "
            f"({names}); accept the places first, then this"
        )
        raise ValidationFailed(msg)


def _accept_relation(
    conn: Connection,
    user: str,
    candidate_id: int,
    data: dict[str, Any],
    *,
    cite: dict[str, Any],
    note: str,
    measure: str | None,
    subject: str | None,
    qualifier: str,
    kind: str | None,
    as_of: str | None,
) -> str:
    relation, fact, value = data["relation"], data["fact"], data.get("value")
    places = _known(conn, data.get("place_records") or [], data.get("places") or [])
    if relation == "partnership":
        _need_places(data, places)
        pair = set(places[:2])
        for rid, existing in _records(conn, "partnership"):
            if set(existing.get("places") or []) == pair:
                return cite_record(conn, user, rid, citation=cite, note=note).id
        names = data["places"][:2]
        record = {
            "id": slugify(f"{places[0]} {places[1]}"),
            "name": f"{names[0]} – {names[1]}",
            "kind": "friendship",
            "local_term": data.get("local_term") or "partnership",
            "places": places[:2],
            **({"established": value} if value else {}),
        }
        return create_record(conn, user, "partnership", record, citation=cite, note=note).id
    if relation == "agreement":
        actors = _known(conn, data.get("actors") or [])
        parties = actors if len(actors) >= 2 else places
        _need_places(data, parties)
        wanted = _party_places(conn, parties)
        for rid, existing in _records(conn, "agreement"):
            same_year = value is None or str(existing.get("signed", "")).startswith(str(value)[:4])
            if same_year and wanted <= _party_places(conn, existing.get("parties") or []):
                return cite_record(conn, user, rid, citation=cite, note=note).id
        agreement_kind = kind or data.get("agreement_kind")
        if not agreement_kind or not value:
            msg = "a new agreement needs its kind (e.g. memorandum, minutes_of_talks) and its date"
            raise ValidationFailed(msg)
        record = {
            "id": slugify(f"{agreement_kind} {' '.join(parties)} {value}"),
            "name": f"{agreement_kind.replace('_', ' ')} of {' and '.join(data['places'])} ({value})",
            "kind": agreement_kind,
            "parties": parties,
            "signed": value,
        }
        return create_record(conn, user, "agreement", record, citation=cite, note=note).id
    if relation == "trade":
        _need_places(data, places)
        subjects = places[:2]
    else:
        if not subject:
            msg = f"a {relation} fact belongs to a project: give the project's record id as its subject"
            raise ValidationFailed(msg)
        subjects = [subject]
        if fact in MILESTONE_FACTS:
            return cite_record(conn, user, subject, citation=cite, note=f"{fact} {value}; {note}").id
    unit = value[1] if isinstance(value, list) else None
    chosen = measure or (
        ("container_capacity" if unit == "TEU/yr" else "handling_capacity") if fact == "capacity" else None
    )
    chosen = chosen or FACT_MEASURES.get(fact)
    if not chosen or not isinstance(value, list):
        msg = f"a {relation} {fact} becomes an observation: give its measure"
        raise ValidationFailed(msg)
    when = as_of or data.get("period")
    if not when:
        msg = f"a {relation} {fact} becomes an observation: give the date it holds at (as_of)"
        raise ValidationFailed(msg)
    side = data.get("side")
    side_iso3 = None
    if side:
        country = pycountry.countries.get(name=side) or pycountry.countries.get(common_name=side)
        side_iso3 = country.alpha_3 if country else None
    observation = {
        "id": f"{cite['source']}-{candidate_id}",
        "name": f"{chosen.replace('_', ' ')} of {' – '.join(subjects)}",
        "measure": chosen,
        "subject": subjects,
        "value": value[0],
        "unit": value[1],
        "qualifier": qualifier,
        **({"side": side_iso3} if side_iso3 else {}),
        "as_of": when,
    }
    return create_record(conn, user, "observation", observation, citation=cite, note=note).id
