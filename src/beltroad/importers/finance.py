"""Import AidData's Global Chinese Development Finance aggregates as observations.

Country commitments become, per recipient, the total committed 2000–2021 (USD) and the
commitment-weighted interest rate; yearly flows become China's commitments per year and flow
class. AidData's data are under ODC-By 1.0: the source record carries the attribution.
"""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy import Engine

from beltroad.data.countries import country_iso3
from beltroad.importers.common import PlaceRegistry
from beltroad.importers.frame import Context, ImportCounts, ImportReport, ImportSpec, RowRejected, run_import
from beltroad.model import Citation, Observation, Record
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


class _Observations:
    """What both finance importers share: China's place, the observations made, the report."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.china = ctx.registry.require_country("CHN")
        self.made: list[Record] = []

    def records(self) -> list[Record]:
        return self.made

    def counts(self, registry: PlaceRegistry, rows: int, unresolved: int, seconds: float) -> ImportCounts:
        return {
            "observations": len(self.made),
            "rows_unresolved": unresolved,
            "new_country_places": len(registry.new_places),
        }


class _Commitments(_Observations):
    """Per recipient: the total committed and, where given, the commitment-weighted interest rate."""

    def add(self, line: int, row: dict[str, str]) -> None:
        registry, prefix = self.ctx.registry, self.ctx.prefix
        iso3 = country_iso3(row.get("iso3", "")) or country_iso3(row.get("country", ""))
        place = registry.country(iso3) if iso3 else None
        if place is None or iso3 is None:
            raise RowRejected(f"unknown country {row.get('iso3') or row.get('country')!r}")
        name = registry.lookup(place).name  # type: ignore[union-attr]
        cite = [Citation(source=self.ctx.source.id, row=line)]
        self.made.append(
            Observation(
                id=f"{prefix}-{iso3.lower()}",
                name=f"Chinese development finance committed to {name}, 2000–2021",
                measure="development_finance_commitments",
                subject=[place, self.china],
                value=_number(row["commitments_bn"], "commitments_bn") * 1e9,
                unit="USD",
                qualifier="committed",
                scope="official-sector lending and grants from China, all flow classes",
                period=GCDF_PERIOD,
                cite=cite,
            )
        )
        if row.get("interest_rate"):
            self.made.append(
                Observation(
                    id=f"{prefix}-{iso3.lower()}-rate",
                    name=f"Commitment-weighted interest rate of Chinese lending to {name}, 2000–2021",
                    measure="interest_rate",
                    subject=[place, self.china],
                    value=_number(row["interest_rate"], "interest_rate"),
                    unit="percent",
                    qualifier="actual",
                    period=GCDF_PERIOD,
                    cite=cite,
                )
            )


class _Flows(_Observations):
    """China's commitments per year and flow class; a year and class listed twice keeps the first."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.seen: set[str] = set()

    def add(self, line: int, row: dict[str, str]) -> None:
        rid = f"{self.ctx.prefix}-{row['year']}-{slugify(row['flow_class'])}"
        if rid in self.seen:
            raise RowRejected(f"year {row['year']} and class {row['flow_class']!r} listed twice")
        self.made.append(
            Observation(
                id=rid,
                name=f"Chinese development finance commitments, {row['year']}, {row['flow_class']}",
                measure="development_finance_commitments",
                subject=[self.china],
                value=_number(row["commitments_bn"], "commitments_bn") * 1e9,
                unit="USD",
                qualifier="committed",
                scope=f"flow class {row['flow_class']}, all recipients",
                period=row["year"],
                cite=[Citation(source=self.ctx.source.id, row=line)],
            )
        )
        self.seen.add(rid)


COMMITMENTS = ImportSpec(
    kind="finance-commitments",
    describes="development finance",
    required=("commitments_bn",),
    optional=("iso3", "country", "interest_rate"),
    columns={
        "iso3": "iso3c",
        "country": "country_name",
        "commitments_bn": "total_commitments_bn",
        "interest_rate": "weighted_interest_rate",
    },
    builder=_Commitments,
)
FLOWS = ImportSpec(
    kind="finance-flows",
    describes="development finance",
    required=("year", "flow_class", "commitments_bn"),
    optional=(),
    columns={"year": "commitment_year", "flow_class": "flow_class", "commitments_bn": "commitments_bn"},
    builder=_Flows,
)


def import_finance_commitments(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> ImportReport:
    """Per-recipient totals: ``iso3c``, ``country_name``, ``total_commitments_bn``, ``weighted_interest_rate``."""
    return run_import(engine, path, COMMITMENTS, columns=columns, progress=progress)


def import_finance_flows(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> ImportReport:
    """China's commitments per year and flow class: ``commitment_year``, ``flow_class``, ``commitments_bn``."""
    return run_import(engine, path, FLOWS, columns=columns, progress=progress)
