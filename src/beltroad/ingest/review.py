"""Deciding on candidates: accepted ones become records or new citations; rejected ones are kept
as rejected, so a second pass does not ask again.

- a place the knowledge base has → the record gets a citation of the document's span;
- a country → the country's place record gets that citation;
- a gazetteer city → a new place record with its GeoNames point, cited to the document;
- a quantity → a new observation once the reviewer names its measure and subject;
- a date is a part of other facts: it is accepted as the ``as_of`` of a quantity, not alone.

Every write goes through the editing layer, so it is validated and audited like any correction.
"""

from __future__ import annotations

from typing import Any

import pycountry
from sqlalchemy import Connection, Engine, select, update

from beltroad.errors import RecordNotFound, ValidationFailed
from beltroad.model.names import slugify
from beltroad.store import tables as t
from beltroad.store.editing import cite_record, create_record, list_users
from beltroad.store.writer import bump_version


def _candidate(conn: Connection, candidate_id: int) -> Any:
    row = conn.execute(select(t.candidates).where(t.candidates.c.id == candidate_id)).first()
    if row is None:
        msg = f"no candidate {candidate_id}"
        raise RecordNotFound(msg)
    if row.status != "pending":
        msg = f"candidate {candidate_id} was {row.status} already"
        raise ValidationFailed(msg)
    return row


def require_editor(engine: Engine, user: str) -> None:
    with engine.connect() as conn:
        names = {u["name"] for u in list_users(conn) if u["active"]}
    if user not in names:
        msg = f"{user!r} is not an active editor; add one with `beltroad user add NAME`"
        raise ValidationFailed(msg)


def _country_place(conn: Connection, iso3: str) -> str:
    found = conn.scalar(
        select(t.records.c.id)
        .join(t.record_countries, t.record_countries.c.record_id == t.records.c.id)
        .where(
            t.records.c.kind == "place",
            t.records.c.subkind == "country",
            t.record_countries.c.country == iso3,
        )
    )
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
) -> dict[str, Any]:
    """Accept or reject one candidate; returns what was written."""
    if action not in {"accept", "reject"}:
        msg = f"unknown decision {action!r}; accept or reject"
        raise ValidationFailed(msg)
    with engine.begin() as conn:
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
            else:
                msg = "a date is accepted as part of another fact (the as_of of a quantity), not alone"
                raise ValidationFailed(msg)
        conn.execute(
            update(t.candidates)
            .where(t.candidates.c.id == candidate_id)
            .values(
                status="accepted" if action == "accept" else "rejected", reviewed_by=user, record_id=record_id
            )
        )
        bump_version(conn)
    return {"candidate": candidate_id, "decision": action, "record": record_id}
