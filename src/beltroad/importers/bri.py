"""Import the countries that signed Belt and Road cooperation documents with China, by year.

Each row becomes an agreement between China and the country, dated to its year and linked to the
BRI strategy record. A file may identify countries by ISO 3166-1 alpha-2 code (Eurostat style,
Greece as EL) or by name; a blank code falls back to the name (Namibia's "NA" is often read as
missing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from beltroad.data.countries import country_iso3
from beltroad.data.gazetteer import gazetteer
from beltroad.errors import ImportFailed
from beltroad.importers.common import (
    PlaceRegistry,
    dataset_source,
    origin_for,
    peak_memory_mb,
    progress_bar,
    read_csv,
    row_problem,
    timed,
    write_import,
)
from beltroad.model import Agreement, Citation
from beltroad.model.names import slugify

REQUIRED = ("year",)
OPTIONAL = ("iso2", "country")
DEFAULT_COLUMNS = {"iso2": "iso2", "country": "country", "year": "year_signed"}


def import_bri_signatories(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> dict[str, Any]:
    """Import BRI cooperation-document signatories; the year column defaults to ``year_signed``
    and falls back to ``year`` when the file has that instead."""
    elapsed = timed()
    mapping = {**DEFAULT_COLUMNS, **(columns or {})}
    try:
        table = read_csv(path, REQUIRED, OPTIONAL, mapping)
    except ImportFailed:
        if columns and "year" in columns:
            raise
        table = read_csv(path, REQUIRED, OPTIONAL, {**mapping, "year": "year"})
    source = dataset_source(path, "BRI signatories")
    origin = origin_for("bri-signatories", source)
    prefix = slugify(path.stem)[:40]
    records: dict[str, Agreement] = {}
    unresolved: list[dict[str, Any]] = []
    with engine.begin() as conn:
        registry = PlaceRegistry.load(conn, gazetteer())
        china = registry.require_country("CHN")
        has_bri = registry.lookup("bri") is not None
        with progress_bar(progress, f"importing {path.name}", len(table.rows)) as advance:
            for line, row in table.rows:
                advance(1)
                iso3 = (country_iso3(row.get("iso2", "")) if row.get("iso2") else None) or country_iso3(
                    row.get("country", "")
                )
                if iso3 is None:
                    unresolved.append(
                        {"row": line, "reason": f"unknown country {row.get('iso2') or row.get('country')!r}"}
                    )
                    continue
                place = registry.country(iso3)
                if place is None:
                    unresolved.append({"row": line, "reason": f"no gazetteer entry for {iso3}"})
                    continue
                rid = f"{prefix}-{iso3.lower()}"
                if rid in records:
                    unresolved.append(
                        {
                            "row": line,
                            "reason": f"{iso3} listed again (first at row {records[rid].cite[0].row})",
                        }
                    )
                    continue
                try:
                    records[rid] = Agreement(
                        id=rid,
                        name=f"BRI cooperation document: China – {registry.lookup(place).name}",  # type: ignore[union-attr]
                        kind="memorandum",
                        parties=[china, place],
                        signed=row["year"],
                        strategies=["bri"] if has_bri else [],
                        summary="The country signs a document of cooperation under the Belt and Road Initiative with China.",
                        cite=[Citation(source=source.id, row=line)],
                    )
                except ValidationError as exc:
                    unresolved.append({"row": line, "reason": f"{row_problem(exc)} (got {row['year']!r})"})
        new_places = len(registry.new_places)
        write_import(conn, registry, origin=origin, source=source, records=list(records.values()))
    return {
        "file": str(path),
        "source": source.id,
        "rows": len(table.rows),
        "agreements": len(records),
        "rows_unresolved": len(unresolved),
        "new_country_places": new_places,
        "seconds_total": elapsed(),
        "peak_memory_mb": peak_memory_mb(),
        "unresolved_sample": unresolved[:20],
    }
