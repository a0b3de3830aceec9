"""``beltroad db check``: what the store as a whole must satisfy, curated and imported alike."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, func, select

from beltroad.data.geography import distance_to_country_km
from beltroad.model import RECORD_TYPES
from beltroad.store import _tables as t
from beltroad.store.queries import counts_by_kind
from beltroad.store.views import Problem, StoreCheck

POINT_TOLERANCE_KM = 10.0


def _check_audit_chain(conn: Connection, problem: Any) -> None:
    """Each change's ``before`` is the previous change's ``after``: no accepted edit was overwritten
    by one made from an older copy of the record (retirements change only the flag)."""
    last: dict[str, Any] = {}
    rows = conn.execute(
        select(
            t.audit.c.id, t.audit.c.record_id, t.audit.c.action, t.audit.c.before, t.audit.c.after
        ).order_by(t.audit.c.record_id, t.audit.c.id)
    )
    for audit_id, rid, action, before, after in rows:
        if action == "retire":
            continue
        if rid in last and before != last[rid]:
            problem(
                rid,
                "audit",
                f"change {audit_id} ({action}) was made from an older copy than the change before it",
            )
        last[rid] = after


def check_store(conn: Connection, *, point_tolerance_km: float = POINT_TOLERANCE_KM) -> StoreCheck:
    """Every record cited, every record still valid under the model, every link resolved,
    every point in its country. Returns counts and a list of problems (empty when all is well)."""
    problems: list[Problem] = []

    def problem(record: str, check: str, message: str) -> None:
        problems.append(Problem(record=record, check=check, message=message))

    cited = select(t.citations.c.record_id).distinct()
    for rid in conn.scalars(select(t.records.c.id).where(t.records.c.id.not_in(cited))):
        problem(rid, "cited", "has no citation")

    for src, rel, dst in conn.execute(
        select(t.record_links.c.src_id, t.record_links.c.rel, t.record_links.c.dst_id).where(
            t.record_links.c.dst_id.not_in(select(t.records.c.id))
        )
    ):
        problem(src, "links", f"{rel} refers to missing record {dst!r}")

    for rid, kind, data in conn.execute(select(t.records.c.id, t.records.c.kind, t.records.c.data)):
        try:
            RECORD_TYPES[kind].model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            problem(rid, "valid", f"field {field!r}: {first['msg']}")

    _check_audit_chain(conn, problem)

    outside = 0
    no_shape: set[str] = set()
    places = select(t.records.c.id, t.records.c.lon, t.records.c.lat, t.records.c.data).where(
        t.records.c.kind == "place", t.records.c.lon.is_not(None)
    )
    for rid, lon, lat, data in conn.execute(places):
        iso3 = data.get("country")
        distance = distance_to_country_km(lon, lat, iso3)
        if distance is None:
            no_shape.add(iso3)
        elif distance > point_tolerance_km:
            outside += 1
            problem(rid, "point", f"point ({lon:.4f}, {lat:.4f}) lies {distance:.0f} km outside {iso3}")

    return {
        "records": conn.scalar(select(func.count()).select_from(t.records)) or 0,
        "citations": conn.scalar(select(func.count()).select_from(t.citations)) or 0,
        "sources": conn.scalar(select(func.count()).select_from(t.sources)) or 0,
        "by_kind": counts_by_kind(conn),
        "points_outside_country": outside,
        "countries_without_shape": sorted(c for c in no_shape if c),
        "problems": problems,
        "ok": not problems,
    }
