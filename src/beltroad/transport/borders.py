"""Per-country time and fees at a border, from a file the user imports (Doing Business's
*Trading across borders*, as the World Bank's market-access study uses it).

A crossing from country A into country B costs A's hours and fee to export plus B's hours and
fee to import, in place of the network's one figure per crossing (``border_crossing_h``,
``usd_per_border_crossing``); a pair the file does not cover keeps that figure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from beltroad.errors import ValidationFailed

#: how a border file marks a figure it does not have (the study's file writes -9999, as Stata
#: exports of Doing Business do)
MISSING = ("", "-9999", "NA", ".")
#: the columns a border file has: ISO3, then hours and US dollars to import and to export
COLUMNS = ("iso3", "border_time_import", "border_time_export", "border_fee_import", "border_fee_export")


@dataclass(frozen=True)
class BorderCosts:
    """Hours and US dollars per TEU to export from and import into each country (ISO3)."""

    file: str
    export_h: dict[str, float]
    import_h: dict[str, float]
    export_usd: dict[str, float]
    import_usd: dict[str, float]

    def crossing(self, here: str, there: str) -> tuple[float, float] | None:
        """Hours and dollars to leave ``here`` and enter ``there``; None when the file lacks one."""
        if here in self.export_h and here in self.export_usd and there in self.import_h and there in self.import_usd:
            return (
                self.export_h[here] + self.import_h[there],
                self.export_usd[here] + self.import_usd[there],
            )
        return None


def read_border_costs(path: Path) -> BorderCosts:
    """A border file (``COLUMNS``), checked line by line; a blank, ``-9999``, ``NA`` or ``.`` is
    a figure the file does not give, and that side of a crossing keeps the default.

    Raises
    ------
    ValidationFailed
        A missing file or column, or a figure that is not a number of 0 or more (naming the line).
    """
    if not path.is_file():
        msg = f"{path}: no such border-costs file"
        raise ValidationFailed(msg)
    tables: tuple[dict[str, float], ...] = ({}, {}, {}, {})
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            msg = f"{path}: a border-costs file needs the columns {', '.join(COLUMNS)}; missing {', '.join(missing)}"
            raise ValidationFailed(msg)
        for line, row in enumerate(reader, start=2):
            code = (row["iso3"] or "").strip().upper()
            if not code:
                continue
            for table, column in zip(tables, COLUMNS[1:], strict=True):
                text = (row[column] or "").strip()
                if text in MISSING:
                    continue  # a figure the file does not give: that side keeps the default
                try:
                    value = float(text)
                except ValueError:
                    value = -1.0
                if not value >= 0:
                    msg = f"{path}, line {line}: {column} of {code} must be a number of 0 or more, got {text!r}"
                    raise ValidationFailed(msg)
                table[code] = value
    import_h, export_h, import_usd, export_usd = tables
    return BorderCosts(path.name, export_h, import_h, export_usd, import_usd)
