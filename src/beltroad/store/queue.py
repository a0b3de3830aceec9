"""The review queue's table: candidates extracted from ingested documents, pending or decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, insert, select, update

from beltroad.store import _tables as t
from beltroad.store.views import CandidateRow


def queue_candidates(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Add candidates (pending) in the caller's transaction."""
    if rows:
        conn.execute(insert(t.candidates), list(rows))


def pending_candidates(conn: Connection, source_id: str | None = None) -> list[CandidateRow]:
    """Candidates waiting for review, in document order."""
    query = select(t.candidates).where(t.candidates.c.status == "pending")
    if source_id:
        query = query.where(t.candidates.c.source_id == source_id)
    rows = conn.execute(query.order_by(t.candidates.c.source_id, t.candidates.c.start))
    # the candidates table has CandidateRow's columns
    return [cast(CandidateRow, dict(r._mapping)) for r in rows]


def candidate_row(conn: Connection, candidate_id: int) -> Any:
    """One candidate's row, or None."""
    return conn.execute(select(t.candidates).where(t.candidates.c.id == candidate_id)).first()


def set_candidate_data(conn: Connection, candidate_id: int, data: dict[str, Any]) -> None:
    """Replace a candidate's data (an edit before the decision)."""
    conn.execute(update(t.candidates).where(t.candidates.c.id == candidate_id).values(data=data))


def record_decision(
    conn: Connection, candidate_id: int, *, accepted: bool, user: str, record_id: str | None
) -> None:
    """Mark a candidate decided, by whom, and the record it became or was cited on."""
    conn.execute(
        update(t.candidates)
        .where(t.candidates.c.id == candidate_id)
        .values(
            status="accepted" if accepted else "rejected",
            reviewed_by=user,
            reviewed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            record_id=record_id,
        )
    )
