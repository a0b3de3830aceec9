"""Sources as things to read: one source's full reference and everything that cites it, and the
list of sources with how much each is cited."""

from __future__ import annotations

from typing import Any, cast

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, func, select

from beltroad.errors import RecordNotFound
from beltroad.store import _tables as t
from beltroad.store.views import CitingRecord, SourceBrief, SourceView

#: the fields of a source's reference, in the order a reference is read
SOURCE_FIELDS = (
    "authors",
    "title",
    "title_note",
    "publisher",
    "published",
    "published_note",
    "url",
    "file",
    "sha256",
    "licence",
    "language",
    "kind",
    "note",
)


def list_sources(conn: Connection) -> list[SourceBrief]:
    """Every source with its kind, title, date and the number of citations and records citing it."""
    c = t.citations
    counts = {
        sid: (n, records)
        for sid, n, records in conn.execute(
            select(c.c.source_id, func.count(), func.count(func.distinct(c.c.record_id))).group_by(
                c.c.source_id
            )
        )
    }
    rows = conn.execute(
        select(t.sources.c.id, t.sources.c.kind, t.sources.c.title, t.sources.c.published).order_by(
            t.sources.c.id
        )
    )
    return [
        SourceBrief(
            id=sid,
            kind=kind,
            title=title,
            published=published,
            citations=counts.get(sid, (0, 0))[0],
            records=counts.get(sid, (0, 0))[1],
        )
        for sid, kind, title, published in rows
    ]


def get_source(conn: Connection, source_id: str) -> SourceView:
    """One source: its reference, and each record citing it with the locator and the fields the
    citation supports, grouped by record, so a reader can check every claim drawn from it.

    Raises
    ------
    RecordNotFound
        When no source has that id; the message names the closest ids and titles.
    """
    row = conn.execute(select(t.sources).where(t.sources.c.id == source_id)).first()
    if row is None:
        raise RecordNotFound(_missing(conn, source_id))
    reference = {k: row.data[k] for k in SOURCE_FIELDS if row.data.get(k) not in (None, "", [])}
    c, r = t.citations, t.records
    cited: dict[str, CitingRecord] = {}
    for rid, name, kind, path, locator, data in conn.execute(
        select(c.c.record_id, r.c.name, r.c.kind, c.c.path, c.c.locator, c.c.data)
        .join(r, r.c.id == c.c.record_id)
        .where(c.c.source_id == source_id, r.c.retired.is_(False))
        .order_by(r.c.kind, r.c.name, r.c.id, c.c.id)
    ):
        entry = cited.setdefault(rid, CitingRecord(id=rid, name=name, kind=kind, citations=[]))
        item: dict[str, Any] = {"locator": locator, "path": path}
        for key in ("supports", "via", "note", "span"):
            if data.get(key):
                item[key] = data[key]
        entry["citations"].append(item)
    # the reference's keys are among SOURCE_FIELDS, each of which SourceView lists
    return cast(
        SourceView,
        {
            "id": row.id,
            **reference,
            "origin": row.origin,
            "cited_by": list(cited.values()),
            "citations": sum(len(e["citations"]) for e in cited.values()),
            "passages": _passages(conn, source_id),
        },
    )


def _passages(conn: Connection, source_id: str) -> list[dict[str, Any]]:
    """The sentences of an ingested document that candidates were read from, in reading order,
    each with its spans (offsets into the sentence) and what became of them, so a reader sees the
    words a record cites. Ingestion keeps each candidate's sentence (up to 600 characters), not the
    whole text; a span past what was kept is left out rather than cut."""
    c = t.candidates
    found: dict[int, dict[str, Any]] = {}
    for cid, kind, start, end, status, record_id, data in conn.execute(
        select(c.c.id, c.c.kind, c.c.start, c.c.end, c.c.status, c.c.record_id, c.c.data)
        .where(c.c.source_id == source_id)
        .order_by(c.c.start, c.c.id)
    ):
        sentence, text = data.get("sentence"), data.get("sentence_text")
        if not sentence or not text:
            continue
        first = int(sentence[0])
        lo, hi = start - first, end - first
        if not 0 <= lo < hi <= len(text):
            continue
        passage = found.setdefault(
            first,
            {"start": first, "end": int(sentence[1]), "text": text, "page": data.get("page"), "spans": []},
        )
        passage["spans"].append(
            {"start": lo, "end": hi, "kind": kind, "status": status, "record_id": record_id, "candidate": cid}
        )
    return [found[k] for k in sorted(found)]


def _missing(conn: Connection, source_id: str) -> str:
    rows = conn.execute(select(t.sources.c.id, t.sources.c.title)).all()
    ids = [sid for sid, _ in rows]
    close: dict[str, None] = {}
    for choices in (ids, [title.lower() for _, title in rows]):
        for _match, _score, position in process.extract(
            source_id.lower(), choices, scorer=fuzz.WRatio, limit=3, score_cutoff=70
        ):
            close.setdefault(ids[position], None)
    hint = f"; did you mean {', '.join(repr(i) for i in list(close)[:3])}?" if close else ""
    return f"no source with id {source_id!r}{hint}"
