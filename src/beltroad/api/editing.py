"""Writing records: create, correct, retire. Editors only; every change carries a citation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from beltroad.api.deps import Editor
from beltroad.store.editing import create_record, retire_record, update_record
from beltroad.store.queries import get_record

router = APIRouter(prefix="/api", tags=["editing"])


class NewRecord(BaseModel):
    """A record to create: its kind, its fields, and the citation the change rests on."""

    kind: str
    record: dict[str, Any]
    citation: dict[str, Any] | None = None
    note: str | None = Field(default=None, max_length=2000)


class Correction(BaseModel):
    """Fields to change (merged into the record) and the citation the change rests on."""

    changes: dict[str, Any]
    citation: dict[str, Any] | None = None
    note: str | None = Field(default=None, max_length=2000)


class Retirement(BaseModel):
    citation: dict[str, Any] | None = None
    note: str | None = Field(default=None, max_length=2000)


@router.post("/records", status_code=201)
def api_create(request: Request, user: Editor, body: NewRecord) -> dict[str, Any]:
    """Create a record; the change's citation is required and becomes one of its citations."""
    with request.app.state.engine.begin() as conn:
        record = create_record(conn, user, body.kind, body.record, citation=body.citation, note=body.note)
        return {"ok": True, "record": get_record(conn, record.id)}


@router.patch("/records/{record_id}")
def api_update(request: Request, user: Editor, record_id: str, body: Correction) -> dict[str, Any]:
    """Correct fields of a record; the change's citation is required."""
    with request.app.state.engine.begin() as conn:
        update_record(conn, user, record_id, body.changes, citation=body.citation, note=body.note)
        return {"ok": True, "record": get_record(conn, record_id)}


@router.post("/records/{record_id}/retire")
def api_retire(request: Request, user: Editor, record_id: str, body: Retirement) -> dict[str, Any]:
    """Retire a record: it leaves lists, maps and search; its page and history stay."""
    with request.app.state.engine.begin() as conn:
        retire_record(conn, user, record_id, citation=body.citation, note=body.note)
        return {"ok": True, "record": get_record(conn, record_id)}
