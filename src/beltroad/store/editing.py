"""Editing by accounts: editors' tokens, and creating, correcting and retiring records.

Reading is public; every write needs an active editor's token and a citation. Tokens are random,
shown once, and stored only as SHA-256 digests. Each change is one transaction that rewrites the
record's rows, appends the citation to the record, and writes an audit row with the record before
and after; nothing is deleted: records are retired.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, NamedTuple

from pydantic import ValidationError
from sqlalchemy import Connection, insert, select, update

from beltroad.errors import (
    AuthenticationRequired,
    Conflict,
    PermissionDenied,
    RecordNotFound,
    ValidationFailed,
    check_choice,
)
from beltroad.model import RECORD_TYPES, REFERENCE_KINDS, Citation, Record, record_kind
from beltroad.store import _tables as t
from beltroad.store.locking import take_write_lock
from beltroad.store.read import record_exists, source_exists
from beltroad.store.views import HistoryEntry, UserView
from beltroad.store.writer import delete_records, insert_rows, rows_for_record, touch_kinds

ROLES = ("editor",)
EDIT_ORIGIN = "edit"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(conn: Connection, name: str, role: str = "editor") -> str:
    """Create an account and return its token (shown this once; only its digest is stored)."""
    name = name.strip()
    if not name or len(name) > 120:
        msg = "a user name must be 1 to 120 characters"
        raise ValidationFailed(msg)
    check_choice(role, ROLES, "role")
    take_write_lock(conn)
    if conn.scalar(select(t.users.c.id).where(t.users.c.name == name)) is not None:
        msg = f"a user named {name!r} exists already"
        raise ValidationFailed(msg)
    token = "br_" + secrets.token_urlsafe(32)
    conn.execute(
        insert(t.users).values(
            name=name, token_sha256=_digest(token), role=role, created_at=_now(), active=True
        )
    )
    return token


def list_users(conn: Connection) -> list[UserView]:
    """Every account: name, role, when made, whether active, and when its token was last used."""
    rows = conn.execute(
        select(
            t.users.c.name, t.users.c.role, t.users.c.created_at, t.users.c.active, t.users.c.last_used_at
        ).order_by(t.users.c.name)
    )
    return [
        UserView(name=name, role=role, created_at=created, active=active, last_used_at=last)
        for name, role, created, active, last in rows
    ]


def revoke_user(conn: Connection, name: str) -> None:
    """Stop an account's token from writing (the account and its history stay)."""
    take_write_lock(conn)
    found = conn.execute(select(t.users.c.active).where(t.users.c.name == name)).first()
    if found is None:
        msg = f"no user named {name!r}; `beltroad user list` shows them"
        raise RecordNotFound(msg)
    if not found.active:
        msg = f"{name!r} is revoked already"
        raise ValidationFailed(msg)
    conn.execute(update(t.users).where(t.users.c.name == name).values(active=False))


#: a token's last use is written at most this often (seconds), so reads of it cost no write each
LAST_USE_RESOLUTION_S = 60


class Account(NamedTuple):
    """An active editor a token belongs to, and when the token was last used (None: never)."""

    name: str
    last_used_at: str | None


def authenticate(conn: Connection, authorization: str | None) -> Account:
    """The editor behind an ``Authorization: Bearer …`` header; 401 without one, 403 if unknown."""
    if not authorization:
        msg = "writing needs an editor's token: send 'Authorization: Bearer <token>' (create one with `beltroad user add`)"
        raise AuthenticationRequired(msg)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        msg = "the Authorization header must be 'Bearer <token>'"
        raise AuthenticationRequired(msg)
    row = conn.execute(
        select(t.users.c.name, t.users.c.active, t.users.c.last_used_at).where(
            t.users.c.token_sha256 == _digest(token.strip())
        )
    ).first()
    if row is None or not row.active:
        msg = "this token is not an active editor's token"
        raise PermissionDenied(msg)
    return Account(str(row.name), row.last_used_at)


def token_use_due(account: Account) -> bool:
    """Whether an account's last use is older than the resolution it is kept at."""
    if account.last_used_at is None:
        return True
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(account.last_used_at)
    return age.total_seconds() >= LAST_USE_RESOLUTION_S


def note_token_use(conn: Connection, name: str) -> None:
    """Record that an account's token was used now (shown by ``beltroad user list``)."""
    conn.execute(update(t.users).where(t.users.c.name == name).values(last_used_at=_now()))


def _load(conn: Connection, record_id: str) -> tuple[Record, Any]:
    row = conn.execute(select(t.records).where(t.records.c.id == record_id)).first()
    if row is None:
        msg = f"no record with id {record_id!r}"
        raise RecordNotFound(msg)
    return RECORD_TYPES[row.kind].model_validate(row.data), row


def _lookup(conn: Connection) -> Any:
    cache: dict[str, Record | None] = {}

    def lookup(record_id: str) -> Record | None:
        if record_id not in cache:
            row = conn.execute(
                select(t.records.c.kind, t.records.c.data).where(t.records.c.id == record_id)
            ).first()
            cache[record_id] = RECORD_TYPES[row.kind].model_validate(row.data) if row else None
        return cache[record_id]

    return lookup


def _validate(conn: Connection, kind: str, data: dict[str, Any]) -> Record:
    """Validate against the model and the store: references resolve, codes and sources exist."""
    check_choice(kind, RECORD_TYPES, "kind")
    try:
        record = RECORD_TYPES[kind].model_validate(data)
    except ValidationError as exc:
        parts = [f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in exc.errors()]
        msg = "invalid record: " + "; ".join(parts)
        raise ValidationFailed(msg) from None
    problems: list[str] = []
    kinds = dict(
        conn.execute(
            select(t.records.c.id, t.records.c.kind).where(
                t.records.c.id.in_([i for ids in record.referenced_ids().values() for i in ids])
            )
        ).all()
    )
    for rel, ids in record.referenced_ids().items():
        for ref in ids:
            if ref not in kinds:
                problems.append(f"{rel}: no record with id {ref!r}")
            elif kinds[ref] not in REFERENCE_KINDS[rel]:
                problems.append(
                    f"{rel}: {ref!r} is a {kinds[ref]}, not one of {sorted(REFERENCE_KINDS[rel])}"
                )
    sources = set(conn.scalars(select(t.sources.c.id)))
    for cite in record.cite:
        if cite.source not in sources:
            problems.append(f"cite: unknown source {cite.source!r}")
    codes = {
        value for attr in ("country", "countries", "side") for value in _as_list(getattr(record, attr, None))
    }
    if codes:
        known = {
            d["country"]
            for d in conn.scalars(
                select(t.records.c.data).where(t.records.c.kind == "place", t.records.c.subkind == "country")
            )
        }
        problems.extend(f"country: no country place with ISO3 code {c!r}" for c in sorted(codes - known))
    if problems:
        msg = "invalid record: " + "; ".join(problems)
        raise ValidationFailed(msg)
    return record


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return list(value or [])


def _citation(conn: Connection, citation: dict[str, Any] | None) -> Citation:
    if not citation:
        msg = "every change needs a citation: {source, and a locator such as section + paragraph, page or entry}"
        raise ValidationFailed(msg)
    try:
        cite = Citation.model_validate(citation)
    except ValidationError as exc:
        msg = "invalid citation: " + "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" if e["loc"] else e["msg"]
            for e in exc.errors()
        )
        raise ValidationFailed(msg) from None
    if not source_exists(conn, cite.source):
        msg = f"invalid citation: unknown source {cite.source!r}"
        raise ValidationFailed(msg)
    return cite


def _write(conn: Connection, record: Record, origin: str, retired: bool, version: int) -> None:
    delete_records(conn, [record.id])
    rows = rows_for_record(record, origin, _lookup(conn))
    rows.record["retired"] = retired
    rows.record["version"] = version
    insert_rows(conn, [rows])


def _check_version(conn: Connection, record_id: str, row: Any, expected: int | None) -> None:
    """Refuse a write made for another version of the record, naming who changed it and when."""
    if expected is None or row.version == expected:
        return
    last = conn.execute(
        select(t.audit.c.user_name, t.audit.c.at)
        .where(t.audit.c.record_id == record_id)
        .order_by(t.audit.c.id.desc())
        .limit(1)
    ).first()
    by = f", last changed by {last.user_name} at {last.at}" if last else ""
    msg = (
        f"{record_id!r} is at version {row.version}, not {expected}{by}; "
        "read it again and apply the change to what it says now"
    )
    raise Conflict(msg)


def _audit(
    conn: Connection,
    record_id: str,
    *,
    user: str,
    action: str,
    before: Any,
    after: Any,
    cite: Citation,
    note: str | None,
) -> None:
    conn.execute(
        insert(t.audit).values(
            record_id=record_id,
            user_name=user,
            at=_now(),
            action=action,
            before=before,
            after=after,
            citation=cite.model_dump(mode="json", exclude_defaults=True),
            note=note,
        )
    )


def _with_citation(data: dict[str, Any], cite: Citation) -> dict[str, Any]:
    cites = list(data.get("cite") or [])
    dumped = cite.model_dump(mode="json", exclude_defaults=True)
    if dumped not in cites:
        cites.append(dumped)
    return {**data, "cite": cites}


def create_record(
    conn: Connection,
    user: str,
    kind: str,
    data: dict[str, Any],
    *,
    citation: dict[str, Any] | None,
    note: str | None = None,
) -> Record:
    """Add a new record; the change's citation becomes (one of) its citations."""
    take_write_lock(conn)
    cite = _citation(conn, citation)
    record_id = data.get("id")
    if isinstance(record_id, str) and record_exists(conn, record_id):
        msg = f"a record with id {record_id!r} exists already; correct it instead"
        raise ValidationFailed(msg)
    record = _validate(conn, kind, _with_citation(data, cite))
    _write(conn, record, EDIT_ORIGIN, retired=False, version=1)
    after = record.model_dump(mode="json", exclude_none=True)
    _audit(conn, record.id, user=user, action="create", before=None, after=after, cite=cite, note=note)
    return record


def update_record(
    conn: Connection,
    user: str,
    record_id: str,
    changes: dict[str, Any],
    *,
    citation: dict[str, Any] | None,
    note: str | None = None,
    if_version: int | None = None,
) -> Record:
    """Correct fields of a record (a shallow merge); ``id`` cannot change.

    The merge runs under the store's write lock on the record as it is now, so a change that
    races another is applied on top of it, never in place of it; with ``if_version`` a record
    that moved past that version is refused (``Conflict``) instead.
    """
    take_write_lock(conn)
    cite = _citation(conn, citation)
    if not changes:
        msg = "no changes given"
        raise ValidationFailed(msg)
    if "id" in changes and changes["id"] != record_id:
        msg = "a record's id cannot change; retire it and create a new one"
        raise ValidationFailed(msg)
    current, row = _load(conn, record_id)
    _check_version(conn, record_id, row, if_version)
    before = current.model_dump(mode="json", exclude_none=True)
    merged = _with_citation({**before, **changes}, cite)
    record = _validate(conn, record_kind(current), merged)
    _write(conn, record, row.origin, retired=row.retired, version=row.version + 1)
    after = record.model_dump(mode="json", exclude_none=True)
    _audit(conn, record_id, user=user, action="update", before=before, after=after, cite=cite, note=note)
    return record


def cite_record(
    conn: Connection, user: str, record_id: str, *, citation: dict[str, Any], note: str | None = None
) -> Record:
    """Add a citation to a record without changing its facts (a second source for the same fact)."""
    take_write_lock(conn)
    cite = _citation(conn, citation)
    current, row = _load(conn, record_id)
    before = current.model_dump(mode="json", exclude_none=True)
    record = _validate(conn, record_kind(current), _with_citation(dict(before), cite))
    _write(conn, record, row.origin, retired=row.retired, version=row.version + 1)
    after = record.model_dump(mode="json", exclude_none=True)
    _audit(conn, record_id, user=user, action="cite", before=before, after=after, cite=cite, note=note)
    return record


def retire_record(
    conn: Connection,
    user: str,
    record_id: str,
    *,
    citation: dict[str, Any] | None,
    note: str | None = None,
    if_version: int | None = None,
) -> None:
    """Mark a record retired: it leaves lists, maps and search but keeps its page and history."""
    take_write_lock(conn)
    cite = _citation(conn, citation)
    _current, row = _load(conn, record_id)
    _check_version(conn, record_id, row, if_version)
    if row.retired:
        msg = f"{record_id!r} is retired already"
        raise ValidationFailed(msg)
    conn.execute(
        update(t.records).where(t.records.c.id == record_id).values(retired=True, version=row.version + 1)
    )
    touch_kinds(conn, [row.kind])
    _audit(
        conn,
        record_id,
        user=user,
        action="retire",
        before={"retired": False},
        after={"retired": True},
        cite=cite,
        note=note,
    )


def record_history(conn: Connection, record_id: str) -> list[HistoryEntry]:
    """The audit trail of a record, oldest first."""
    rows = conn.execute(select(t.audit).where(t.audit.c.record_id == record_id).order_by(t.audit.c.id))
    return [
        HistoryEntry(
            id=r.id,
            user_name=r.user_name,
            at=r.at,
            action=r.action,
            before=r.before,
            after=r.after,
            citation=r.citation,
            note=r.note,
        )
        for r in rows
    ]
