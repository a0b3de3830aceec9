"""Import AidData's Global Chinese Development Finance aggregates as observations.

Country commitments become, per recipient, the total committed 2000–2021 (USD) and the
commitment-weighted interest rate; yearly flows become China's commitments per year and flow
class. AidData's data are under ODC-By 1.0: the source record carries the attribution.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from beltroad.data.countries import country_iso3
from beltroad.data.gazetteer import gazetteer
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
from beltroad.model import Citation, Observation, Record, Source
from beltroad.model.names import slugify

#: the period AidData's GCDF 3.0 covers
GCDF_PERIOD = "2000/2021"


def _number(value: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        msg = f"{what} {value!r} is not a number"
        raise ValueError(msg) from None
    if not math.isfinite(number):
        msg = f"{what} {value!r} is not finite"
        raise ValueError(msg)
    return number


def _finish(
    conn: Connection,
    registry: PlaceRegistry,
    *,
    path: Path,
    kind: str,
    source: Source,
    records: list[Record],
    unresolved: list[dict[str, Any]],
    rows: int,
    elapsed: Callable[[], float],
) -> dict[str, Any]:
    new_places = list(registry.new_places.values())
    write_import(conn, registry, origin=origin_for(kind, source), source=source, records=records)
    return {
        "file": str(path),
        "source": source.id,
        "rows": rows,
        "observations": len(records),
        "rows_unresolved": len(unresolved),
        "new_country_places": len(new_places),
        "seconds_total": elapsed(),
        "peak_memory_mb": peak_memory_mb(),
        "unresolved_sample": unresolved[:20],
    }


def import_finance_commitments(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> dict[str, Any]:
    """Per-recipient totals: ``iso3c``, ``country_name``, ``total_commitments_bn``, ``weighted_interest_rate``."""
    elapsed = timed()
    mapping = {
        "iso3": "iso3c",
        "country": "country_name",
        "commitments_bn": "total_commitments_bn",
        "interest_rate": "weighted_interest_rate",
        **(columns or {}),
    }
    table = read_csv(path, ("commitments_bn",), ("iso3", "country", "interest_rate"), mapping)
    source = dataset_source(path, "development finance")
    prefix = slugify(path.stem)[:40]
    records: list[Record] = []
    unresolved: list[dict[str, Any]] = []
    with engine.begin() as conn:
        registry = PlaceRegistry.load(conn, gazetteer())
        china = registry.require_country("CHN")
        with progress_bar(progress, f"importing {path.name}", len(table.rows)) as advance:
            for line, row in table.rows:
                advance(1)
                iso3 = country_iso3(row.get("iso3", "")) or country_iso3(row.get("country", ""))
                place = registry.country(iso3) if iso3 else None
                if place is None or iso3 is None:
                    unresolved.append(
                        {"row": line, "reason": f"unknown country {row.get('iso3') or row.get('country')!r}"}
                    )
                    continue
                name = registry.lookup(place).name  # type: ignore[union-attr]
                cite = [Citation(source=source.id, row=line)]
                try:
                    records.append(
                        Observation(
                            id=f"{prefix}-{iso3.lower()}",
                            name=f"Chinese development finance committed to {name}, 2000–2021",
                            measure="development_finance_commitments",
                            subject=[place, china],
                            value=_number(row["commitments_bn"], "commitments_bn") * 1e9,
                            unit="USD",
                            qualifier="committed",
                            scope="official-sector lending and grants from China, all flow classes",
                            period=GCDF_PERIOD,
                            cite=cite,
                        )
                    )
                    if row.get("interest_rate"):
                        records.append(
                            Observation(
                                id=f"{prefix}-{iso3.lower()}-rate",
                                name=f"Commitment-weighted interest rate of Chinese lending to {name}, 2000–2021",
                                measure="interest_rate",
                                subject=[place, china],
                                value=_number(row["interest_rate"], "interest_rate"),
                                unit="percent",
                                qualifier="actual",
                                period=GCDF_PERIOD,
                                cite=cite,
                            )
                        )
                except ValueError as exc:  # ValidationError is a ValueError
                    unresolved.append({"row": line, "reason": row_problem(exc)})
        return _finish(
            conn,
            registry,
            path=path,
            kind="finance-commitments",
            source=source,
            records=records,
            unresolved=unresolved,
            rows=len(table.rows),
            elapsed=elapsed,
        )


def import_finance_flows(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> dict[str, Any]:
    """China's commitments per year and flow class: ``commitment_year``, ``flow_class``, ``commitments_bn``."""
    elapsed = timed()
    mapping = {
        "year": "commitment_year",
        "flow_class": "flow_class",
        "commitments_bn": "commitments_bn",
        **(columns or {}),
    }
    table = read_csv(path, ("year", "flow_class", "commitments_bn"), (), mapping)
    source = dataset_source(path, "development finance")
    prefix = slugify(path.stem)[:40]
    records: list[Record] = []
    unresolved: list[dict[str, Any]] = []
    seen: set[str] = set()
    with engine.begin() as conn:
        registry = PlaceRegistry.load(conn, gazetteer())
        china = registry.require_country("CHN")
        with progress_bar(progress, f"importing {path.name}", len(table.rows)) as advance:
            for line, row in table.rows:
                advance(1)
                rid = f"{prefix}-{row['year']}-{slugify(row['flow_class'])}"
                if rid in seen:
                    unresolved.append(
                        {
                            "row": line,
                            "reason": f"year {row['year']} and class {row['flow_class']!r} listed twice",
                        }
                    )
                    continue
                try:
                    records.append(
                        Observation(
                            id=rid,
                            name=f"Chinese development finance commitments, {row['year']}, {row['flow_class']}",
                            measure="development_finance_commitments",
                            subject=[china],
                            value=_number(row["commitments_bn"], "commitments_bn") * 1e9,
                            unit="USD",
                            qualifier="committed",
                            scope=f"flow class {row['flow_class']}, all recipients",
                            period=row["year"],
                            cite=[Citation(source=source.id, row=line)],
                        )
                    )
                    seen.add(rid)
                except ValueError as exc:  # ValidationError is a ValueError
                    unresolved.append({"row": line, "reason": row_problem(exc)})
        return _finish(
            conn,
            registry,
            path=path,
            kind="finance-flows",
            source=source,
            records=records,
            unresolved=unresolved,
            rows=len(table.rows),
            elapsed=elapsed,
        )
