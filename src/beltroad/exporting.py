"""Records out as CSV, JSON or GeoJSON, citations included: files per kind (``beltroad export``)
and any filtered view streamed (``/api/export``, the tables' download links).

Both go through one generator of text chunks that reads the view a batch at a time, so exporting
the imported friendship-city network holds one batch in memory, not every record.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from beltroad.errors import check_choice
from beltroad.model import RECORD_KINDS
from beltroad.store import Filters, record_batches, record_places

FORMATS = ("csv", "json", "geojson")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}
BATCH = 2000
CSV_COLUMNS = (
    "id",
    "kind",
    "subkind",
    "name",
    "status",
    "date",
    "date_precision",
    "year",
    "countries",
    "place_ids",
    "lon",
    "lat",
    "origin",
    "citations",
)


def _cite_text(cites: list[dict[str, Any]]) -> str:
    """Each distinct ``source: locator`` once (a record citing one paragraph for several fields
    lists it once; JSON and GeoJSON keep every citation with the fields it supports)."""
    texts = (f"{c['source']}: {c['locator']}" + (f" (via {c['via']})" if c.get("via") else "") for c in cites)
    return " | ".join(dict.fromkeys(texts))


def _batches(conn: Connection, filters: Filters, sort: str | None) -> Iterator[list[dict[str, Any]]]:
    """The view's records a batch at a time, each with its place ids and geometry."""
    for batch in record_batches(conn, filters, sort=sort, batch=BATCH):
        found = record_places(conn, [r["id"] for r in batch])
        yield [{**r, **found[r["id"]]} for r in batch]


def export_chunks(conn: Connection, filters: Filters, fmt: str, *, sort: str | None = None) -> Iterator[str]:
    """The records of a filtered view as text in ``fmt``, one chunk per batch.

    CSV has one row per record with its year, countries, the places it stands at and its
    citations as ``source: locator``; JSON is a list of the records as the API gives them; GeoJSON
    is a FeatureCollection in which a partnership is the line between its two cities, a project a
    line through its end points or its point, and a record with no location a feature without
    geometry (RFC 7946 §3.2), so no record of the view is dropped from any format.
    """
    check_choice(fmt, FORMATS, "export format")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for batch in _batches(conn, filters, sort):
            for r in batch:
                writer.writerow(
                    [
                        r["id"],
                        r["kind"],
                        r["subkind"],
                        r["name"],
                        r["status"],
                        r["date"],
                        r["date_precision"],
                        (r["date"] or "")[:4],
                        " ".join(r["countries"]),
                        " ".join(r["place_ids"]),
                        r["lon"],
                        r["lat"],
                        r["origin"],
                        _cite_text(r["citations"]),
                    ]
                )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue()
        return
    geo = fmt == "geojson"
    yield '{"type": "FeatureCollection", "features": [\n' if geo else "[\n"
    first = True
    for batch in _batches(conn, filters, sort):
        parts = []
        for r in batch:
            geometry = r.pop("geometry")
            item = (
                {
                    "type": "Feature",
                    "id": r["id"],
                    "geometry": geometry,
                    "properties": {k: v for k, v in r.items() if k not in {"lon", "lat"}},
                }
                if geo
                else r
            )
            parts.append(("" if first else ",\n") + json.dumps(item, ensure_ascii=False))
            first = False
        yield "".join(parts)
    yield "\n]}\n" if geo else "\n]\n"


def export_store(engine: Engine, directory: Path, fmt: str, *, kind: str | None = None) -> list[Path]:
    """Write ``<kind>.<ext>`` files into ``directory``, each whole or not at all (written beside
    and renamed); returns the paths written, skipping kinds with no records."""
    check_choice(fmt, FORMATS, "export format")
    if kind is not None:
        check_choice(kind, RECORD_KINDS, "kind")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for k in [kind] if kind else RECORD_KINDS:
        path = directory / f"{k}.{fmt}"
        tmp = path.with_suffix(path.suffix + ".part")
        with engine.connect() as conn:
            if fmt == "geojson" and next(record_batches(conn, Filters(kind=k), batch=1), None) is None:
                continue  # an empty FeatureCollection file says nothing; CSV and JSON keep their header
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                for chunk in export_chunks(conn, Filters(kind=k), fmt):
                    fh.write(chunk)
        tmp.replace(path)
        written.append(path)
    return written
