"""What every importer shares: reading a CSV with a column mapping, describing the file as a
source, progress bars, and the transaction that replaces an earlier import of the same file."""

from __future__ import annotations

import csv
import gzip
import hashlib
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pydantic import ValidationError
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Connection

from beltroad.data.gazetteer import Gazetteer
from beltroad.data.geography import country_shapes
from beltroad.errors import ImportFailed
from beltroad.model import Citation, Place, Point, Record, Source
from beltroad.model.names import slugify
from beltroad.store import (
    insert_rows,
    load_record,
    place_data,
    record_ids,
    rows_for_record,
    source_exists,
    upsert_sources,
    write_records,
)

GAZETTEER_ORIGIN = "gazetteer"
MAX_FILE_BYTES = 2 * 1024**3

#: data sets we know by file name: what to call them and under which licence they are published
KNOWN_DATASETS: dict[str, dict[str, str]] = {
    "twin_cities_wikipedia.csv": {
        "title": "Twin towns and sister cities, scraped from Wikipedia's lists and geocoded",
        "publisher": "Wikipedia contributors; coordinates via Wikipedia and Nominatim (OpenStreetMap)",
        "licence": "content CC BY-SA 4.0 (Wikipedia); coordinates ODbL (OpenStreetMap)",
        "note": "Data rows: 1 per pair. Row locators are line numbers in the file (the header is line 1).",
    },
    "bri_cooperation_documents_by_year.csv": {
        "title": "Countries that signed Belt and Road cooperation documents with China, by year",
        "publisher": "a public research repository (no licence stated)",
        "licence": "facts only (years); cite the official list where used",
    },
    "bri_mou_year.csv": {
        "title": "Countries that signed BRI memoranda of understanding, by year (to 2019)",
        "publisher": "a public master's-thesis repository",
        "licence": "facts only",
    },
    "gcdf_country_commitments.csv": {
        "title": "AidData Global Chinese Development Finance 3.0: commitments by recipient country, 2000–2021",
        "publisher": "AidData (College of William & Mary), via the aiddataviz package",
        "licence": "ODC-By 1.0 (attribute AidData)",
    },
    "gcdf_yearly_flows.csv": {
        "title": "AidData Global Chinese Development Finance 3.0: yearly commitments by flow class, 2000–2021",
        "publisher": "AidData (College of William & Mary), via the aiddataviz package",
        "licence": "ODC-By 1.0 (attribute AidData)",
    },
}


def row_problem(exc: Exception) -> str:
    """One line saying why a row could not become a record: the first field error of a
    validation failure (``field.path: message``), else the error's first line."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(exc).splitlines()[0]


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _open_text(path: Path) -> IO[str]:
    """Open a CSV as text, transparently gunzipping a ``.gz`` (or any gzip-magic) file; a UTF-8
    byte-order mark (as spreadsheet programs write one) is not part of the first header."""
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class CsvTable:
    """A CSV file read into rows keyed by the importer's field names, with 1-based line numbers."""

    path: Path
    #: the distinct rows, each at the line it first appears on
    rows: list[tuple[int, dict[str, str]]]
    #: rows identical (in every column the importer reads) to an earlier one, merged into it
    duplicates: int = 0
    #: (line, line of the row it repeats) for the first duplicates, for the report
    duplicate_sample: list[tuple[int, int]] = field(default_factory=list)

    @property
    def lines(self) -> int:
        """Every data row of the file, duplicates included."""
        return len(self.rows) + self.duplicates


def read_csv(
    path: Path, required: Sequence[str], optional: Sequence[str] = (), columns: dict[str, str] | None = None
) -> CsvTable:
    """Read ``path``; ``columns`` maps field names to headers where they differ.

    Raises ``ImportFailed`` naming the file and what is wrong: missing, empty, too large, not
    UTF-8, or missing the required columns (listing the headers it does have).
    """
    columns = columns or {}
    unknown = set(columns) - set(required) - set(optional)
    if unknown:
        msg = f"--column names unknown field(s) {sorted(unknown)}; this importer reads {list(required) + list(optional)}"
        raise ImportFailed(msg)
    if not path.is_file():
        msg = f"{path}: no such file"
        raise ImportFailed(msg)
    size = path.stat().st_size
    if size == 0:
        msg = f"{path}: the file is empty"
        raise ImportFailed(msg)
    if size > MAX_FILE_BYTES:
        msg = f"{path}: {size / 1e9:.1f} GB is over the {MAX_FILE_BYTES / 1e9:.0f} GB limit for CSV imports"
        raise ImportFailed(msg)
    try:
        with _open_text(path) as fh:
            # strict: an unclosed quote is an error, not a field that swallows the rest of the file
            reader = csv.DictReader(fh, strict=True)
            headers = reader.fieldnames or []
            wanted = {f: columns.get(f, f) for f in [*required, *optional]}
            missing = [f"{f} (header {h!r})" for f, h in wanted.items() if f in required and h not in headers]
            if missing:
                msg = (
                    f"{path}: missing column(s) {', '.join(missing)}; the file has {headers}. "
                    "Map them with --column FIELD=HEADER."
                )
                raise ImportFailed(msg)
            # a row repeating an earlier one says nothing new: it is merged into the first (one
            # record, one citation), so a file of repeated rows costs the memory of its distinct
            # rows, not of its size
            first_line: dict[tuple[str, ...], int] = {}
            rows: list[tuple[int, dict[str, str]]] = []
            duplicates: list[tuple[int, int]] = []
            n_duplicates = 0
            for rec in reader:
                values = tuple((rec.get(h) or "").strip() for h in wanted.values())
                seen = first_line.get(values)
                if seen is not None:
                    n_duplicates += 1
                    if len(duplicates) < 20:
                        duplicates.append((reader.line_num, seen))
                    continue
                first_line[values] = reader.line_num
                rows.append((reader.line_num, dict(zip(wanted, values, strict=True))))
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text (byte {exc.start}); convert it to UTF-8 first"
        raise ImportFailed(msg) from None
    except csv.Error as exc:
        msg = f"{path}: malformed CSV: {exc}"
        raise ImportFailed(msg) from None
    if not rows:
        msg = f"{path}: has a header but no data rows"
        raise ImportFailed(msg)
    return CsvTable(path, rows, n_duplicates, duplicates)


def dataset_source(path: Path, kind_slug: str, known: dict[str, str] | None = None) -> Source:
    """The Source record describing an imported file (its content hash makes re-imports
    detectable); ``known`` describes it when its importer recognises the file by name."""
    sha = file_sha256(path)
    known = known or KNOWN_DATASETS.get(path.name, {})
    return Source(
        id=f"file-{slugify(path.stem)}-{sha[:8]}",
        kind="dataset",
        title=known.get("title", f"{kind_slug} data set {path.name}"),
        publisher=known.get("publisher"),
        licence=known.get("licence"),
        file=path.name,
        sha256=sha,
        note=known.get("note", "Row locators are line numbers in the file (the header is line 1)."),
    )


@contextmanager
def progress_bar(enabled: bool, description: str, total: int) -> Iterator[Callable[[int], None]]:
    """Yield an ``advance(n)`` function; draws a bar on stderr when enabled and attached to a terminal or forced."""
    if not enabled:
        yield lambda _n: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


@dataclass
class PlaceRegistry:
    """Places an import refers to: those already in the store, and gazetteer places it adds.

    Gazetteer places are shared between imports (origin ``gazetteer``) and never removed by a
    re-import; only the records of the import's own origin are replaced.
    """

    conn: Connection
    gaz: Gazetteer
    existing_ids: set[str] = field(default_factory=set)
    by_geonameid: dict[int, str] = field(default_factory=dict)
    country_place: dict[str, str] = field(default_factory=dict)
    new_places: dict[str, Place] = field(default_factory=dict)
    #: new places located by the imported file rather than the gazetteer: they belong to the import
    file_place_ids: set[str] = field(default_factory=set)
    _cache: dict[str, Record | None] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection, gaz: Gazetteer) -> PlaceRegistry:
        reg = cls(conn, gaz)
        reg.existing_ids = record_ids(conn)
        for rid, data in place_data(conn):
            if data.get("geonames_id"):
                reg.by_geonameid[int(data["geonames_id"])] = rid
            if data.get("kind") == "country":
                reg.country_place[data["country"]] = rid
        return reg

    def _free_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.existing_ids or candidate in self.new_places:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def country(self, iso3: str) -> str | None:
        """Id of the country place for ``iso3``, adding one if needed: at its capital's GeoNames
        point, or, for a capital too small for the gazetteer, at a point inside its outline."""
        if iso3 in self.country_place:
            return self.country_place[iso3]
        info = self.gaz.by_iso3.get(iso3)
        if info is None:
            return None
        capital = (
            self.gaz.nearest_named(info["capital"], info["iso"], None, None, 0)
            if info.get("capital")
            else None
        )
        if capital is not None:
            point = Point(
                lon=capital.lon,
                lat=capital.lat,
                basis="capital",
                cite=Citation(source="geonames", entry=f"geonameid {capital.geonameid}"),
            )
        elif iso3 in country_shapes():
            inside = country_shapes()[iso3].representative_point()
            point = Point(
                lon=round(inside.x, 5),
                lat=round(inside.y, 5),
                basis="representative",
                cite=Citation(source="natural-earth", entry=iso3),
            )
        else:
            return None
        pid = self._free_id(slugify(info["name"]))
        self.new_places[pid] = Place(
            id=pid,
            name=info["name"],
            kind="country",
            country=iso3,
            point=point,
            cite=[
                Citation(source="geonames", entry=f"country {info['iso']} (geonameid {info['geonameid']})")
            ],
        )
        self.country_place[iso3] = pid
        return pid

    def require_country(self, iso3: str) -> str:
        """Like ``country``, for a country an importer cannot do without (China, the partner of
        every BRI document and the lender of every GCDF flow): raises instead of returning None."""
        pid = self.country(iso3)
        if pid is None:
            msg = f"the gazetteer has no entry for {iso3}; run `beltroad db init` first"
            raise ImportFailed(msg)
        return pid

    def gazetteer_city(self, geonameid: int, iso3: str) -> str:
        """Id of the place for a GeoNames city, reusing a curated or earlier one."""
        if geonameid in self.by_geonameid:
            return self.by_geonameid[geonameid]
        city = self.gaz.cities[geonameid]
        pid = self._free_id(f"{slugify(city.name)}-{geonameid}")
        cite = Citation(source="geonames", entry=f"geonameid {geonameid}")
        self.new_places[pid] = Place(
            id=pid,
            name=city.name,
            kind="city",
            country=iso3,
            parent=self.country(iso3),
            geonames_id=geonameid,
            point=Point(lon=city.lon, lat=city.lat, cite=cite),
            cite=[cite],
        )
        self.by_geonameid[geonameid] = pid
        return pid

    def file_place(self, place: Place) -> str:
        """Add a place located by the imported file itself (replaced with the import)."""
        place = place.model_copy(update={"id": self._free_id(place.id)})
        self.new_places[place.id] = place
        self.file_place_ids.add(place.id)
        return place.id

    def lookup(self, record_id: str) -> Record | None:
        """Find a record among the new places or in the store (cached), for rows_for_record."""
        if record_id in self.new_places:
            return self.new_places[record_id]
        if record_id not in self._cache:
            self._cache[record_id] = load_record(self.conn, record_id)
        return self._cache[record_id]


GAZETTEER_SOURCE = "geonames"


def write_import(
    conn: Connection, registry: PlaceRegistry, *, origin: str, source: Source, records: Sequence[Record]
) -> None:
    """Write the file's source, the gazetteer places the import added, and its records (with the
    places located by the file itself) in place of what an earlier import of the same file wrote.
    The caller's transaction makes it all-or-nothing."""
    new = list(registry.new_places.values())
    shared = [p for p in new if p.id not in registry.file_place_ids]
    own = [p for p in new if p.id in registry.file_place_ids]
    if shared and not source_exists(conn, GAZETTEER_SOURCE):
        msg = "the store lacks the 'geonames' source; run `beltroad db init` first"
        raise ImportFailed(msg)
    upsert_sources(conn, [source], origin)
    insert_rows(conn, [rows_for_record(p, GAZETTEER_ORIGIN, registry.lookup) for p in shared])
    write_records(conn, [*own, *records], origin, registry.lookup)


def timed() -> Callable[[], float]:
    start = time.perf_counter()
    return lambda: round(time.perf_counter() - start, 2)


def origin_for(kind: str, source: Source) -> str:
    """Imports of the same file name replace each other; different files coexist."""
    return f"import:{kind}:{source.file}"


__all__ = [
    "GAZETTEER_ORIGIN",
    "CsvTable",
    "PlaceRegistry",
    "dataset_source",
    "origin_for",
    "peak_memory_mb",
    "progress_bar",
    "read_csv",
    "row_problem",
    "timed",
    "write_import",
]
