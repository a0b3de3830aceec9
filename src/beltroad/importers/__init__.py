"""Importers of external data sets (friendship-city pairs, BRI signatories, development finance).

Each takes an engine, a file and an optional column mapping, writes in one transaction, and
returns a report of what it imported and what it could not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from beltroad.importers.bri import import_bri_signatories
from beltroad.importers.finance import import_finance_commitments, import_finance_flows
from beltroad.importers.partnerships import import_partnerships

Importer = Callable[..., dict[str, Any]]

IMPORTERS: dict[str, Importer] = {
    "partnerships": import_partnerships,
    "bri-signatories": import_bri_signatories,
    "finance-commitments": import_finance_commitments,
    "finance-flows": import_finance_flows,
}

__all__ = [
    "IMPORTERS",
    "Engine",
    "Path",
    "import_bri_signatories",
    "import_finance_commitments",
    "import_finance_flows",
    "import_partnerships",
]
