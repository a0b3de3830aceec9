"""Importers of external data sets (friendship-city pairs, BRI signatories, development finance).

Each importer declares an ``ImportSpec`` (its columns and how a row becomes records) that one
frame runs: one transaction, a report of what it imported and what it could not. ``IMPORTERS``
names them for ``beltroad import KIND FILE``.
"""

from __future__ import annotations

from beltroad.importers.bri import SPEC as BRI_SIGNATORIES, import_bri_signatories
from beltroad.importers.bri_study import SPEC as BRI_STUDY_PROJECTS, import_bri_study_projects
from beltroad.importers.finance import COMMITMENTS, FLOWS, import_finance_commitments, import_finance_flows
from beltroad.importers.frame import Duplicate, ImportCounts, ImportReport, ImportSpec, Unresolved, run_import
from beltroad.importers.partnerships import SPEC as PARTNERSHIPS, import_partnerships

#: every importer, by the kind ``beltroad import`` takes
IMPORTERS: dict[str, ImportSpec] = {
    spec.kind: spec for spec in (PARTNERSHIPS, BRI_SIGNATORIES, BRI_STUDY_PROJECTS, COMMITMENTS, FLOWS)
}

__all__ = [
    "IMPORTERS",
    "Duplicate",
    "ImportCounts",
    "ImportReport",
    "ImportSpec",
    "Unresolved",
    "import_bri_signatories",
    "import_bri_study_projects",
    "import_finance_commitments",
    "import_finance_flows",
    "import_partnerships",
    "run_import",
]
