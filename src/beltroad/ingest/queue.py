"""Ingesting documents: each becomes a Source (named by its content hash, so the same document
ingested twice is one source and the second time changes nothing) and its candidate facts are
queued for review. One transaction per document: a failure leaves the documents before it stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from beltroad.ingest.extraction import extract
from beltroad.ingest.multilingual import detect_language
from beltroad.ingest.readers import DEFAULT_MAX_BYTES, read_document
from beltroad.model.records import Source
from beltroad.store import (
    CandidateRow,
    pending_candidates,
    queue_candidates,
    source_exists,
    upsert_sources,
    writing,
)

SOURCE_KINDS = ("paper", "news", "opinion", "official", "report")


@dataclass
class Ingested:
    path: Path
    source_id: str
    new: bool
    candidates: int


def _title(text: str, fallback: str) -> str:
    for raw in text.splitlines():
        line = raw.strip(" #\t")
        if len(line) >= 3:
            return line[:200]
    return fallback


def ingest_document(
    engine: Engine, path: Path, *, kind: str = "report", max_bytes: int = DEFAULT_MAX_BYTES
) -> Ingested:
    """Store one document as a source and queue its candidates; a no-op if it is already stored."""
    document = read_document(path, max_bytes=max_bytes)
    source_id = f"doc-{document.sha256[:16]}"
    with writing(engine) as conn:
        if source_exists(conn, source_id):
            return Ingested(path, source_id, new=False, candidates=0)
        language = detect_language(document.text)
        found = extract(document.text, conn, language=language)
        source = Source(
            id=source_id,
            kind=kind,
            language=language,
            title=_title(document.text, path.name),
            file=path.name,
            sha256=document.sha256,
            note=f"Ingested from {path.name} ({document.kind}); candidate spans are offsets into its text.",
        )
        upsert_sources(conn, [source], origin=f"ingest:{path.name}")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows: list[dict[str, Any]] = [
            {
                "source_id": source_id,
                "kind": c["kind"],
                "start": c["start"],
                "end": c["end"],
                "text": c["text"],
                "data": {
                    **c,
                    # the sentence itself, so a reviewer sees the context without the document
                    "sentence_text": document.text[c["sentence"][0] : c["sentence"][1]][:600],
                    **({"page": document.page_of(c["start"])} if document.pages else {}),
                },
                "status": "pending",
                "created_at": now,
            }
            for c in found
        ]
        queue_candidates(conn, rows)
    return Ingested(path, source_id, new=True, candidates=len(rows))


def pending(engine: Engine, source_id: str | None = None) -> list[CandidateRow]:
    """Candidates waiting for review, in document order."""
    with engine.connect() as conn:
        return pending_candidates(conn, source_id)
