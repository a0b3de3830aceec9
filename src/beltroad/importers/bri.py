"""Import the countries that signed Belt and Road cooperation documents with China, by year.

Each row becomes an agreement between China and the country, dated to its year and linked to the
BRI strategy record. A file may identify countries by ISO 3166-1 alpha-2 code (Eurostat style,
Greece as EL) or by name; a blank code falls back to the name (Namibia's "NA" is often read as
missing).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine

from beltroad.data.countries import country_iso3
from beltroad.importers.common import PlaceRegistry, row_problem
from beltroad.importers.frame import Context, ImportCounts, ImportReport, ImportSpec, RowRejected, run_import
from beltroad.model import Agreement, Citation, Record


class _Signatories:
    """One agreement per signing country; a country listed twice keeps its first row."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.china = ctx.registry.require_country("CHN")
        self.has_bri = ctx.registry.lookup("bri") is not None
        self.agreements: dict[str, Agreement] = {}

    def add(self, line: int, row: dict[str, str]) -> None:
        registry = self.ctx.registry
        iso3 = (country_iso3(row.get("iso2", "")) if row.get("iso2") else None) or country_iso3(
            row.get("country", "")
        )
        if iso3 is None:
            raise RowRejected(f"unknown country {row.get('iso2') or row.get('country')!r}")
        place = registry.country(iso3)
        if place is None:
            raise RowRejected(f"no gazetteer entry for {iso3}")
        rid = f"{self.ctx.prefix}-{iso3.lower()}"
        if rid in self.agreements:
            raise RowRejected(f"{iso3} listed again (first at row {self.agreements[rid].cite[0].row})")
        try:
            self.agreements[rid] = Agreement(
                id=rid,
                name=f"BRI cooperation document: China – {registry.lookup(place).name}",  # type: ignore[union-attr]
                kind="memorandum",
                parties=[self.china, place],
                signed=row["year"],
                strategies=["bri"] if self.has_bri else [],
                summary="The country signs a document of cooperation under the Belt and Road Initiative with China.",
                cite=[Citation(source=self.ctx.source.id, row=line)],
            )
        except ValidationError as exc:
            raise RowRejected(f"{row_problem(exc)} (got {row['year']!r})") from None

    def records(self) -> list[Record]:
        return list(self.agreements.values())

    def counts(self, registry: PlaceRegistry, rows: int, unresolved: int, seconds: float) -> ImportCounts:
        return {
            "agreements": len(self.agreements),
            "rows_unresolved": unresolved,
            "new_country_places": len(registry.new_places),
        }


SPEC = ImportSpec(
    kind="bri-signatories",
    describes="BRI signatories",
    required=("year",),
    optional=("iso2", "country"),
    columns={"iso2": "iso2", "country": "country", "year": "year_signed"},
    # the year column defaults to ``year_signed`` and falls back to ``year`` when the file has that
    fallback_columns={"year": "year"},
    builder=_Signatories,
)


def import_bri_signatories(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> ImportReport:
    """Import BRI cooperation-document signatories (see ``SPEC`` for the columns)."""
    return run_import(engine, path, SPEC, columns=columns, progress=progress)
