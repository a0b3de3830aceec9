"""Documents to records: readers, extraction of places, actors, dates, quantities and relations, the
review queue and the evaluation against gold annotations.

This is the package's one door: its siblings, the CLI, the web API and the tests import from
here. Names load on first use, so importing the door costs nothing until a name is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.ingest.evaluation import evaluate
    from beltroad.ingest.extraction import extract
    from beltroad.ingest.queue import SOURCE_KINDS, ingest_document, pending
    from beltroad.ingest.readers import read_document
    from beltroad.ingest.review import decide, describe, edit, needs, require_editor

__all__ = [
    "SOURCE_KINDS",
    "decide",
    "describe",
    "edit",
    "evaluate",
    "extract",
    "ingest_document",
    "needs",
    "pending",
    "read_document",
    "require_editor",
]
if not TYPE_CHECKING:  # type checkers read the imports above; a hook would hide missing names
    __getattr__, __dir__ = lazy_door(
        __name__,
        {
            "beltroad.ingest.evaluation": ("evaluate",),
            "beltroad.ingest.extraction": ("extract",),
            "beltroad.ingest.queue": (
                "SOURCE_KINDS",
                "ingest_document",
                "pending",
            ),
            "beltroad.ingest.readers": ("read_document",),
            "beltroad.ingest.review": (
                "decide",
                "describe",
                "edit",
                "needs",
                "require_editor",
            ),
        },
    )
