"""Export the store as CSV, JSON or GeoJSON files, one per kind of record, citations included.

Export streams by kind in pages, so exporting the imported friendship-city network does not hold
every record in memory at once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from beltroad.errors import check_choice
from beltroad.model.vocab import RECORD_KINDS
from beltroad.store import list_records

FORMATS = ("csv", "json", "geojson")
PAGE = 5000


def _pages(engine: Engine, kind: str) -> Iterator[list[dict[str, Any]]]:
    offset = 0
    while True:
        with engine.connect() as conn:
            page = list_records(conn, kind, limit=PAGE, offset=offset)["items"]
        if not page:
            return
        yield page
        offset += len(page)


def _cite_text(cites: list[dict[str, Any]]) -> str:
    return " | ".join(
        f"{c['source']}: {c['locator']}" + (f" (via {c['via']})" if c.get("via") else "") for c in cites
    )


def export_store(engine: Engine, directory: Path, fmt: str, *, kind: str | None = None) -> list[Path]:
    """Write ``<kind>.<ext>`` files into ``directory``; returns the paths written."""
    check_choice(fmt, FORMATS, "export format")
    if kind is not None:
        check_choice(kind, RECORD_KINDS, "kind")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for k in [kind] if kind else RECORD_KINDS:
        ext = "geojson" if fmt == "geojson" else fmt
        path = directory / f"{k}.{ext}"
        tmp = path.with_suffix(path.suffix + ".part")
        count = 0
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            if fmt == "csv":
                writer = csv.writer(fh)
                writer.writerow(
                    [
                        "id",
                        "kind",
                        "subkind",
                        "name",
                        "status",
                        "date",
                        "date_precision",
                        "countries",
                        "lon",
                        "lat",
                        "origin",
                        "citations",
                    ]
                )
                for page in _pages(engine, k):
                    for r in page:
                        writer.writerow(
                            [
                                r["id"],
                                r["kind"],
                                r["subkind"],
                                r["name"],
                                r["status"],
                                r["date"],
                                r["date_precision"],
                                " ".join(r["countries"]),
                                r["lon"],
                                r["lat"],
                                r["origin"],
                                _cite_text(r["citations"]),
                            ]
                        )
                        count += 1
            else:
                geo = fmt == "geojson"
                fh.write('{"type": "FeatureCollection", "features": [\n' if geo else "[\n")
                first = True
                for page in _pages(engine, k):
                    for r in page:
                        if geo and (r["lon"] is None or r["lat"] is None):
                            continue
                        item = (
                            {
                                "type": "Feature",
                                "id": r["id"],
                                "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                                "properties": {k2: v for k2, v in r.items() if k2 not in {"lon", "lat"}},
                            }
                            if geo
                            else r
                        )
                        fh.write(("" if first else ",\n") + json.dumps(item, ensure_ascii=False))
                        first = False
                        count += 1
                fh.write("\n]}\n" if geo else "\n]\n")
        if count == 0 and fmt == "geojson":
            tmp.unlink()
            continue
        tmp.replace(path)
        written.append(path)
    return written
