"""Import the BRI transport projects of the World Bank's market-access study (Reed & Trubetskoy
2019, Policy Research Working Paper 8815): one project record per row, with its countries.

The study lists each project by name and the countries it lies in, and gives no geometry and no
status. The kind (railway, high-speed railway, road, port, canal, bridge) is read from the name by
the rules in ``KIND_RULES``, and each record's note says so; the status is ``unknown``, since the
study evaluates the projects as a set, built or not. Alignments, to route them, are curated apart
with their own sources.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine

from beltroad.data.countries import iso2_of
from beltroad.importers.common import PlaceRegistry
from beltroad.importers.frame import Context, ImportCounts, ImportReport, ImportSpec, RowRejected, run_import
from beltroad.model import Citation, Project, Record
from beltroad.model.names import slugify

#: (pattern in the project's name, kind), first match wins: "HSR" before "rail", "Port" before
#: "road" (Anaklia port), and the study's rail corridors ("Central Rail Corridor") are railways
KIND_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bHSR\b|high[- ]speed", re.I), "high_speed_rail"),
    (re.compile(r"\bcanal\b", re.I), "canal"),
    (re.compile(r"\bport\b", re.I), "port"),
    (re.compile(r"\bbridge\b", re.I), "bridge"),
    (re.compile(r"\brail|railway|electrification|\bMRL\b", re.I), "rail_line"),
    (re.compile(r"\broad\b|highway|expressway|\bM\d+\b|\bN\d+\b", re.I), "road"),
    (re.compile(r"\bcorridor\b", re.I), "transport_corridor"),
)
STUDY = "Reed & Trubetskoy (2019), Assessing the Value of Market Access from Belt and Road Projects"


def project_kind(name: str) -> str | None:
    """The kind a project's name says it is, by ``KIND_RULES``; None when no rule matches."""
    return next((kind for pattern, kind in KIND_RULES if pattern.search(name)), None)


class _StudyProjects:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.projects: dict[str, Project] = {}

    def add(self, line: int, row: dict[str, str]) -> None:
        name = row["project"].strip()
        if not name:
            raise RowRejected("the project has no name")
        kind = row.get("kind", "").strip() or project_kind(name)
        if kind is None:
            msg = f"cannot tell the kind of {name!r} from its name (rail, road, port, canal, bridge?); give it in a kind column"
            raise RowRejected(msg)
        countries = row["countries"].split()
        bad = [c for c in countries if iso2_of(c) is None]
        if not countries or bad:
            raise RowRejected(f"countries must be ISO3 codes separated by spaces, got {row['countries']!r}")
        rid = f"wb-{slugify(name, fallback='project')}"
        if rid in self.projects:
            raise RowRejected(f"{name!r} listed again (first at row {self.projects[rid].cite[0].row})")
        self.projects[rid] = Project(
            id=rid,
            name=name,
            kind=kind,
            status="unknown",
            countries=countries,
            connectivities=["facilities-connectivity"]
            if self.ctx.registry.lookup("facilities-connectivity")
            else [],
            summary=f"One of the BRI transport projects whose market-access value the World Bank's study estimates ({STUDY}).",
            note=(
                "The study gives the name and countries only: the kind is read from the name "
                "(beltroad.importers.bri_study.KIND_RULES) unless the file gives one, and the "
                "status is not stated."
            ),
            cite=[Citation(source=self.ctx.source.id, row=line)],
        )

    def records(self) -> list[Record]:
        return list(self.projects.values())

    def counts(self, registry: PlaceRegistry, rows: int, unresolved: int, seconds: float) -> ImportCounts:
        kinds: dict[str, int] = {}
        for p in self.projects.values():
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
        return {
            "projects": len(self.projects),
            "by_kind": dict(sorted(kinds.items())),
            "rows_unresolved": unresolved,
        }


SPEC = ImportSpec(
    kind="bri-study-projects",
    describes="BRI transport projects of the World Bank market-access study",
    required=("project", "countries"),
    optional=("kind",),
    columns={"project": "project", "countries": "countries", "kind": "kind"},
    builder=_StudyProjects,
    known_files={
        "projects.csv": {
            "title": f"BRI transport projects evaluated in {STUDY}, World Bank Policy Research Working Paper 8815",
            "publisher": "World Bank (the paper's public replication files)",
            "licence": "facts from a published paper; cite it",
        }
    },
)


def import_bri_study_projects(
    engine: Engine, path: Path, *, columns: dict[str, str] | None = None, progress: bool = True
) -> ImportReport:
    """Import the study's projects (see ``SPEC`` for the columns)."""
    return run_import(engine, path, SPEC, columns=columns, progress=progress)
