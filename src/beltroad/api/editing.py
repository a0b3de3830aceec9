"""Writing records: create, correct, retire. Editors only; every change carries a citation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from pydantic import BaseModel, Field

from beltroad.api.deps import Editor
from beltroad.errors import ValidationFailed
from beltroad.store import RecordView, create_record, get_record, retire_record, update_record

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


#: a candidate's id: within the 64-bit integers both databases store
CandidateId = Annotated[int, Path(ge=1, le=2**62)]

#: the record version a write was made for: its ETag, as every write answers it ("3", or W/"3")
IfMatch = Annotated[
    str | None,
    Header(
        alias="if-match",
        max_length=40,
        description="the record's version (its ETag, or `version` in its JSON): refused with 409 if it moved on",
    ),
]


def _expected_version(if_match: str | None) -> int | None:
    """The version an If-Match names; None for none or ``*`` (apply to the latest)."""
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit() or len(tag) > 12:
        msg = f"If-Match: {if_match!r} is not a record version; send the ETag a read or write of the record gave"
        raise ValidationFailed(msg)
    return int(tag)


def _answer(response: Response, record: RecordView) -> dict[str, Any]:
    response.headers["ETag"] = f'"{record["version"]}"'
    return {"ok": True, "record": record}


@router.post("/records", status_code=201)
def api_create(request: Request, response: Response, user: Editor, body: NewRecord) -> dict[str, Any]:
    """Create a record; the change's citation is required and becomes one of its citations."""
    with request.app.state.engine.begin() as conn:
        record = create_record(conn, user, body.kind, body.record, citation=body.citation, note=body.note)
        return _answer(response, get_record(conn, record.id))


@router.patch("/records/{record_id}")
def api_update(
    request: Request,
    response: Response,
    user: Editor,
    record_id: str,
    body: Correction,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Correct fields of a record; the change's citation is required. Without If-Match the change
    is merged into the record as it is when the write runs; with it, a record that has moved on
    since that version is refused with 409."""
    expected = _expected_version(if_match)
    with request.app.state.engine.begin() as conn:
        update_record(
            conn, user, record_id, body.changes, citation=body.citation, note=body.note, if_version=expected
        )
        return _answer(response, get_record(conn, record_id))


@router.post("/records/{record_id}/retire")
def api_retire(
    request: Request,
    response: Response,
    user: Editor,
    record_id: str,
    body: Retirement,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Retire a record: it leaves lists, maps and search; its page and history stay."""
    expected = _expected_version(if_match)
    with request.app.state.engine.begin() as conn:
        retire_record(conn, user, record_id, citation=body.citation, note=body.note, if_version=expected)
        return _answer(response, get_record(conn, record_id))


class Decision(BaseModel):
    """Accept or reject an ingested candidate; a quantity needs its measure and subject."""

    decision: str = Field(pattern="^(accept|reject)$")
    measure: str | None = Field(default=None, max_length=60)
    subject: str | None = Field(default=None, max_length=120)
    qualifier: str = Field(default="actual", max_length=30)
    as_of: str | None = Field(default=None, max_length=10)
    kind: str | None = Field(default=None, max_length=40)


class CandidateEdit(BaseModel):
    """Corrections to a pending candidate: FIELD → VALUE (value, unit, record, places, side,
    agreement_kind, as the candidate's kind allows)."""

    changes: dict[str, str] = Field(min_length=1, max_length=8)


@router.patch("/candidates/{candidate_id}")
def api_edit_candidate(
    request: Request, user: Editor, candidate_id: CandidateId, body: CandidateEdit
) -> dict[str, Any]:
    """Correct a pending candidate before deciding on it; editors only. The edit is kept with its author."""
    from beltroad.ingest import edit

    for field, value in body.changes.items():
        if len(field) > 40 or len(value) > 400:
            msg = f"{field[:40]}: too long"
            raise ValidationFailed(msg)
    return {"ok": True, **edit(request.app.state.engine, candidate_id, user, body.changes)}


@router.get("/candidates")
def api_candidates(request: Request, source: str | None = None) -> dict[str, Any]:
    """Candidates from ingested documents that wait for review, in document order."""
    from beltroad.ingest import pending

    return {"ok": True, "items": pending(request.app.state.engine, source)}


@router.post("/candidates/{candidate_id}/decision")
def api_decide(request: Request, user: Editor, candidate_id: CandidateId, body: Decision) -> dict[str, Any]:
    """Accept (the candidate becomes a record or a citation) or reject it; editors only."""
    from beltroad.ingest import decide

    done = decide(
        request.app.state.engine,
        candidate_id,
        body.decision,
        user,
        measure=body.measure,
        subject=body.subject,
        qualifier=body.qualifier,
        as_of=body.as_of,
        kind=body.kind,
    )
    return {"ok": True, **done}
