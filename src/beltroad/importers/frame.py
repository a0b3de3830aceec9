"""The one frame every importer runs in, and the spec an importer declares.

An importer says which columns it reads (with the headers of the data set it was written for),
what to call its file as a source, and how a row becomes records; the frame reads the CSV, opens
one transaction, resolves places through one registry, draws the progress bar, collects the rows
it cannot use with their reasons, writes everything in place of an earlier import of the same
file, and reports what it did. Adding an importer means writing its spec and its rows' builder in
its own module and naming it in ``IMPORTERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypedDict

from sqlalchemy import Engine

from beltroad.data.gazetteer import gazetteer
from beltroad.errors import ImportFailed
from beltroad.importers.common import (
    CsvTable,
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
from beltroad.model import Record, Source
from beltroad.model.names import slugify
from beltroad.store import writing


class ImportCounts(TypedDict, total=False):
    """The figures an importer adds to its report; each fills those that apply to its data."""

    #: what it made
    partnerships: int
    agreements: int
    projects: int
    observations: int
    #: projects by kind (rail line, road, port…)
    by_kind: dict[str, int]
    #: how its rows fared
    rows_resolved: int
    rows_unresolved: int
    #: how the friendship-city pairs' places were found
    city_mentions_via_gazetteer: int
    city_mentions_via_gazetteer_name_only: int
    city_mentions_via_file_coordinates: int
    #: places the import added: from the gazetteer, from the file's own coordinates, countries
    new_gazetteer_places: int
    new_file_places: int
    new_country_places: int
    seconds_resolving: float


class Unresolved(TypedDict):
    """A row left out, with why."""

    row: int
    reason: str


class Duplicate(TypedDict):
    """A row that repeats an earlier one (and is merged into it)."""

    row: int
    repeats_row: int


class ImportReport(ImportCounts):
    """What an import did: the file, its source record, its rows, the importer's own figures,
    time, memory and samples of the rows it left out or merged."""

    file: str
    source: str
    rows: int
    rows_duplicate: int
    seconds_total: float
    peak_memory_mb: float
    unresolved_sample: list[Unresolved]
    duplicate_sample: list[Duplicate]


class RowRejected(Exception):
    """A row that cannot become records; its message goes into the report."""


class RowBuilder(Protocol):
    """Turns an import's rows into records, one row at a time."""

    def add(self, line: int, row: dict[str, str]) -> None:
        """Take one row (raise ``RowRejected`` or a ``ValueError`` to leave it out, with why)."""

    def records(self) -> list[Record]:
        """Everything the rows made, to write."""

    def counts(self, registry: PlaceRegistry, rows: int, unresolved: int, seconds: float) -> ImportCounts:
        """The importer's own figures for the report, in the order it lists them (``seconds``: the
        time taken so far, before the write)."""


@dataclass(frozen=True)
class Context:
    """What a builder of records works with: the place registry, the file's source, an id prefix."""

    registry: PlaceRegistry
    source: Source
    prefix: str


@dataclass(frozen=True)
class ImportSpec:
    """What an importer declares: its kind, its columns and how its rows become records."""

    #: the name of ``beltroad import KIND``, and of the records' origin
    kind: str
    #: what the file is, when it is not a data set beltroad knows by name
    describes: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    #: field → header, for the data set the importer was written for (``--column`` overrides)
    columns: dict[str, str]
    builder: Callable[[Context], RowBuilder]
    #: other headers to try for fields the file lacks, when the user mapped none of them
    fallback_columns: dict[str, str] = field(default_factory=dict)
    #: file name → title, publisher and licence of the data set this importer was written for
    #: (a name as plain as projects.csv says what it is only to its own importer)
    known_files: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the progress bar's verb ("importing", "resolving")
    verb: str = "importing"

    def read(self, path: Path, columns: dict[str, str] | None) -> CsvTable:
        """The file's rows under the spec's field names."""
        mapping = {**self.columns, **(columns or {})}
        try:
            return read_csv(path, self.required, self.optional, mapping)
        except ImportFailed:
            if not self.fallback_columns or any(f in (columns or {}) for f in self.fallback_columns):
                raise
            return read_csv(path, self.required, self.optional, {**mapping, **self.fallback_columns})


def run_import(
    engine: Engine,
    path: Path,
    spec: ImportSpec,
    *,
    columns: dict[str, str] | None = None,
    progress: bool = True,
) -> ImportReport:
    """Import one file by its spec, all or nothing; returns counts, timing and unresolved rows.

    Parameters
    ----------
    engine
        The store.
    path
        The CSV file (``.csv`` or ``.csv.gz``).
    spec
        The importer's declaration.
    columns
        Field → header mappings for a file whose headers differ from the spec's.
    progress
        Draw a progress bar on the terminal.

    Returns
    -------
    ImportReport
        ``file``, ``source``, ``rows``, the importer's own counts, ``seconds_total``,
        ``peak_memory_mb`` and the first 20 unresolved rows with their reasons.
    """
    elapsed = timed()
    table = spec.read(path, columns)
    source = dataset_source(path, spec.describes, spec.known_files.get(path.name))
    unresolved: list[Unresolved] = []
    with writing(engine) as conn:
        registry = PlaceRegistry.load(conn, gazetteer())
        builder = spec.builder(Context(registry, source, slugify(path.stem)[:40]))
        with progress_bar(progress, f"{spec.verb} {path.name}", len(table.rows)) as advance:
            for line, row in table.rows:
                advance(1)
                try:
                    builder.add(line, row)
                except RowRejected as exc:
                    unresolved.append(Unresolved(row=line, reason=str(exc)))
                except ValueError as exc:  # pydantic's ValidationError is one
                    unresolved.append(Unresolved(row=line, reason=row_problem(exc)))
        counts = builder.counts(registry, table.lines, len(unresolved), elapsed())
        write_import(
            conn, registry, origin=origin_for(spec.kind, source), source=source, records=builder.records()
        )
    return {
        "file": str(path),
        "source": source.id,
        "rows": table.lines,
        "rows_duplicate": table.duplicates,
        **counts,
        "seconds_total": elapsed(),
        "peak_memory_mb": peak_memory_mb(),
        "unresolved_sample": unresolved[:20],
        "duplicate_sample": [Duplicate(row=line, repeats_row=first) for line, first in table.duplicate_sample],
    }
