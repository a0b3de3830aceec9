"""Bilateral trade data at scale: import to Parquet with DuckDB, out of core, and query it.

Every import becomes one Parquet file under ``<data_dir>/trade/`` in one schema (year, exporter,
importer, product, value in US dollars, quantity) with a manifest entry naming the file it came
from, its format and its licence, so a figure drawn from it can be cited. DuckDB streams the
source, so a BACI year of about ten million rows imports in bounded memory; the data are checked
first (columns, codes, negative values, duplicates) and the Parquet file appears only when all of
it is sound.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pycountry

from beltroad.data.countries import country_name, iso_numeric
from beltroad.errors import ImportFailed, RecordNotFound, ValidationFailed, check_choice
from beltroad.store import CitationView, CountryFigure, CountryFigures
from beltroad.trade._duck import connect, identifier, literal
from beltroad.trade.results import PartnerShare

#: UN Comtrade and BACI numeric codes that differ from ISO 3166-1 numeric (the territory they
#: cover is wider than the ISO country's); from the UN Comtrade country list and BACI's
#: country_codes file, which gives these ISO3 codes for them
COMTRADE_NUMERIC: dict[int, str] = {
    251: "FRA",
    381: "ITA",
    490: "TWN",
    579: "NOR",
    699: "IND",
    757: "CHE",
    842: "USA",
}
FORMATS = ("baci", "comtrade", "panel")
SHOW = 10
#: aggregate regions that world input-output tables carry beside countries: known codes, not
#: mistakes (WIOD 2016 and OECD ICIO both name their rest of the world ROW)
REGIONS: dict[str, str] = {"ROW": "rest of the world"}
#: the columns every data set has; a panel's other columns are kept beside them
BASE_COLUMNS = ("year", "exporter", "importer", "product", "value", "quantity")
#: what a panel's trade column is called when no --column value=HEADER says: the schema's own
#: name first, then the book's and ge_gravity's
VALUE_HEADERS = ("value", "trade")


def iso3_codes() -> set[str]:
    return {c.alpha_3 for c in pycountry.countries}


def _numeric_to_iso3() -> dict[int, str]:
    table = {int(c.numeric): c.alpha_3 for c in pycountry.countries}
    table.update(COMTRADE_NUMERIC)
    return table


@dataclass(frozen=True)
class Dataset:
    """One imported trade data set: its Parquet file and where it came from."""

    name: str
    path: Path
    meta: dict[str, Any]


def trade_dir(data_dir: Path) -> Path:
    return data_dir / "trade"


def _manifest(data_dir: Path) -> dict[str, dict[str, Any]]:
    path = trade_dir(data_dir) / "datasets.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@contextlib.contextmanager
def _manifest_lock(data_dir: Path) -> Iterator[None]:
    """Hold the trade folder's lock: two imports or two added columns at once must not each
    rewrite the manifest from what it was before the other (the second would drop the first)."""
    folder = trade_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def datasets(data_dir: Path) -> list[Dataset]:
    return [
        Dataset(name, trade_dir(data_dir) / f"{name}.parquet", meta)
        for name, meta in _manifest(data_dir).items()
    ]


def dataset(data_dir: Path, name: str | None) -> Dataset:
    """A data set by name, or the only one there is."""
    found = datasets(data_dir)
    if not found:
        msg = "no trade data imported yet; run `beltroad trade import FORMAT FILE` first"
        raise RecordNotFound(msg)
    if name is None:
        if len(found) > 1:
            msg = f"several trade data sets are imported ({', '.join(d.name for d in found)}); choose one with --dataset"
            raise ValidationFailed(msg)
        return found[0]
    for item in found:
        if item.name == name:
            return item
    msg = f"no trade data set named {name!r}; imported: {', '.join(d.name for d in found)}"
    raise RecordNotFound(msg)


@dataclass(frozen=True)
class _Layout:
    """How a file's columns map onto the common schema, once its header has been read."""

    mapping: dict[str, str]
    #: a panel's other columns and the type each is kept as (DOUBLE when every value is a number)
    extras: dict[str, str]
    #: the year of a file that has no year column (``--year``)
    year: int | None = None


def _number(column: str) -> str:
    # DuckDB 2.0 pushes a bare TRY_CAST of a CSV column into the reader as a strict cast, which
    # fails the whole file on its first bad cell; casting an expression keeps it a TRY_CAST
    return f"TRY_CAST(trim({column}) AS DOUBLE)"


def _year_sql(column: str) -> str:
    # TRY_CAST('2000.5' AS INTEGER) rounds to 2001: a year must be a whole number, not made one
    number = _number(column)
    return f"CASE WHEN {number} = floor({number}) THEN TRY_CAST({number} AS INTEGER) END"


def _source_sql(fmt: str, layout: _Layout, *, numbered: bool) -> str:
    """A SELECT giving (line, year, exporter, importer, product, value, quantity, extras…)."""
    src = "raw"  # the file as a view (see _stage): its name never enters the SQL
    # numbering rows costs a window over the whole file: only done to name the lines of problems
    line = "row_number() OVER () + 1 AS line, " if numbered else ""
    if fmt == "baci":
        select = (
            f"SELECT {line}{_year_sql('t')} AS year, "
            "TRY_CAST(trim(i) AS INTEGER)::VARCHAR AS exporter, TRY_CAST(trim(j) AS INTEGER)::VARCHAR AS importer, "
            f"trim(k) AS product, {_number('v')} * 1000 AS value, "
            "TRY_CAST(NULLIF(trim(q), 'NA') AS DOUBLE) AS quantity"
        )
    elif fmt == "comtrade":
        select = (
            f"SELECT {line}{_year_sql('refYear')} AS year, "
            "CASE WHEN flowCode = 'X' THEN reporterISO ELSE partnerISO END AS exporter, "
            "CASE WHEN flowCode = 'X' THEN partnerISO ELSE reporterISO END AS importer, "
            f"cmdCode AS product, {_number('primaryValue')} AS value, NULL::DOUBLE AS quantity, flowCode"
        )
    else:
        q = {key: identifier(header) for key, header in layout.mapping.items()}
        product = q.get("product", "NULL")
        year = str(layout.year) if layout.year is not None else _year_sql(q["year"])
        kept = "".join(
            f", {_number(identifier(c)) if kind == 'DOUBLE' else identifier(c)} AS {identifier(c)}"
            for c, kind in layout.extras.items()
        )
        select = (
            f"SELECT {line}{year} AS year, "
            f"trim({q['exporter']}) AS exporter, trim({q['importer']}) AS importer, "
            f"{product}::VARCHAR AS product, {_number(q['value'])} AS value, "
            f"NULL::DOUBLE AS quantity{kept}"
        )
    return f"{select} FROM {src}"


def _needed(fmt: str, mapping: dict[str, str], *, year_given: bool) -> list[str]:
    if fmt == "baci":
        return ["t", "i", "j", "k", "v", "q"]
    if fmt == "comtrade":
        return ["refYear", "reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue"]
    keys = ["exporter", "importer", "value", *([] if year_given else ["year"]), "product"]
    return [mapping[k] for k in keys if k in mapping]


def _layout(
    con: duckdb.DuckDBPyConnection,
    *,
    fmt: str,
    path: Path,
    have: list[str],
    mapping: dict[str, str],
    year: int | None,
) -> _Layout:
    """Resolve the panel's columns against its header; refuse a file that lacks one it needs."""
    if fmt != "panel":
        if year is not None:
            msg = f"--year is for panels without a year column; {fmt} files carry their own"
            raise ValidationFailed(msg)
        missing = [c for c in _needed(fmt, {}, year_given=False) if c not in have]
        if missing:
            msg = f"{path}: no column(s) {', '.join(missing)} for the {fmt} format; it has {', '.join(have)}"
            raise ImportFailed(msg)
        return _Layout({}, {})
    cols = {"exporter": "exporter", "importer": "importer", **({} if year else {"year": "year"})}
    if "value" not in mapping:
        cols["value"] = next((h for h in VALUE_HEADERS if h in have), "value")
    cols.update(mapping)
    if year is not None and "year" in mapping:
        msg = "give either --year or --column year=HEADER, not both"
        raise ValidationFailed(msg)
    missing = [c for c in _needed(fmt, cols, year_given=year is not None) if c not in have]
    if missing:
        hint = (
            "; a file without a year column takes --year YYYY"
            if "year" in cols and cols["year"] in missing
            else ""
        )
        msg = (
            f"{path}: no column(s) {', '.join(missing)} for the panel format; it has {', '.join(have)}{hint}"
        )
        raise ImportFailed(msg)
    used = set(cols.values())
    kept = [c for c in have if c not in used and c.lower() not in BASE_COLUMNS]
    if not kept:
        return _Layout(cols, {}, year)
    # a covariate (an FTA dummy, a distance) stays with the flows it describes, as a number when
    # every value of it is one; one pass over the file counts the cells that are not, per column
    counts = con.execute(
        "SELECT "
        + ", ".join(
            f"count(*) FILTER (WHERE {identifier(c)} IS NOT NULL AND {_number(identifier(c))} IS NULL)"
            for c in kept
        )
        + " FROM raw"
    ).fetchone() or (0,) * len(kept)
    extras = {c: "DOUBLE" if n == 0 else "VARCHAR" for c, n in zip(kept, counts, strict=True)}
    return _Layout(cols, extras, year)


def _lines(rows: Sequence[tuple[Any, ...]]) -> str:
    return ", ".join(str(r[0]) for r in rows[:SHOW])


def _line_problems(con: duckdb.DuckDBPyConnection, table: str, fmt: str) -> list[str]:
    """Each kind of problem in ``table`` (which has line numbers), with up to ten of its lines."""
    problems = []
    bad_numbers = con.execute(
        f"SELECT line FROM {table} WHERE year IS NULL OR value IS NULL ORDER BY line LIMIT 10"
    ).fetchall()
    if bad_numbers:
        problems.append(f"year or value is not a number on line(s) {_lines(bad_numbers)}")
    negative = con.execute(f"SELECT line FROM {table} WHERE value < 0 ORDER BY line LIMIT 10").fetchall()
    if negative:
        problems.append(f"negative trade value on line(s) {_lines(negative)}")
    unknown = con.execute(
        f"SELECT code, min(line) FROM (SELECT exporter AS code, line FROM {table} UNION ALL "
        f"SELECT importer, line FROM {table}) WHERE code NOT IN (SELECT code FROM known) "
        "GROUP BY code ORDER BY min(line) LIMIT 10"
    ).fetchall()
    if unknown:
        listed = ", ".join(f"{code!r} (line {line})" for code, line in unknown)
        problems.append(
            f"country codes that are not ISO 3166 alpha-3: {listed}; map them with --rename OLD=NEW (e.g. ROM=ROU), "
            "or declare an aggregate with --region CODE=NAME"
        )
    duplicates = con.execute(
        f"SELECT max(line) FROM {table} GROUP BY year, exporter, importer, product HAVING count(*) > 1 "
        "ORDER BY 1 LIMIT 10"
    ).fetchall()
    if duplicates:
        problems.append(
            f"duplicate year-exporter-importer{'-product' if fmt != 'panel' else ''} rows, e.g. line(s) "
            f"{_lines(duplicates)}; aggregate them first or give the column that tells them apart"
        )
    return problems


def _has_problems(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the staged rows fail any check (cheap aggregates, no line numbers needed)."""
    checks = (
        "SELECT 1 FROM src_iso WHERE year IS NULL OR value IS NULL OR value < 0 LIMIT 1",
        "SELECT 1 FROM src_iso WHERE exporter NOT IN (SELECT code FROM known) "
        "OR importer NOT IN (SELECT code FROM known) LIMIT 1",
        "SELECT 1 FROM src_iso GROUP BY year, exporter, importer, product HAVING count(*) > 1 LIMIT 1",
    )
    return any(con.execute(sql).fetchone() for sql in checks)


def _summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = con.execute(
        "SELECT count(*), count(DISTINCT exporter), min(year), max(year) FROM src_iso"
    ).fetchone()
    assert counts is not None
    return {
        "rows": int(counts[0]),
        "exporters": int(counts[1]),
        "first_year": int(counts[2]),
        "last_year": int(counts[3]),
    }


def _views(con: duckdb.DuckDBPyConnection, fmt: str, layout: _Layout, *, numbered: bool) -> str:
    """Views over the file in the common schema with ISO3 codes; returns the last one's name."""
    suffix = "_n" if numbered else ""
    con.execute(f"CREATE TEMP VIEW src{suffix} AS {_source_sql(fmt, layout, numbered=numbered)}")
    line = "line, " if numbered else ""
    kept = "".join(f", s.{identifier(c)}" for c in layout.extras)
    con.execute(
        f"CREATE TEMP VIEW coded{suffix} AS SELECT {line}year, coalesce(e.iso, upper(s.exporter)) AS exporter, "
        f"coalesce(i.iso, upper(s.importer)) AS importer, product, value, quantity{kept}"
        f"{', flowCode' if fmt == 'comtrade' else ''} FROM src{suffix} s "
        "LEFT JOIN recode e ON e.code = s.exporter LEFT JOIN recode i ON i.code = s.importer"
    )
    where = ""
    if fmt == "comtrade":
        # only exports and imports between countries: world and area aggregates, re-exports and
        # re-imports are left out (and counted)
        where = (
            " WHERE flowCode IN ('X', 'M') AND exporter IN (SELECT code FROM known) "
            "AND importer IN (SELECT code FROM known)"
        )
    con.execute(f"CREATE TEMP VIEW coded_kept{suffix} AS SELECT * FROM coded{suffix}{where}")
    return f"coded_kept{suffix}"


def _stage(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    path: Path,
    mapping: dict[str, str],
    renames: dict[str, str],
    *,
    year: int | None,
    regions: dict[str, str],
    progress: Callable[[float], None] | None,
) -> tuple[dict[str, Any], _Layout]:
    """Parse, recode and check the file into the table ``src_iso``; refuse it whole on a problem."""
    con.read_csv(str(path), header=True, all_varchar=True).create_view("raw")
    have = [str(c) for c in con.table("raw").columns]
    layout = _layout(con, fmt=fmt, path=path, have=have, mapping=mapping, year=year)
    con.execute("CREATE TEMP TABLE known(code VARCHAR)")
    con.executemany(
        "INSERT INTO known VALUES (?)",
        [[c] for c in sorted(iso3_codes() | set(renames.values()) | set(regions))],
    )
    recode = {str(k): v for k, v in _numeric_to_iso3().items()} if fmt == "baci" else {}
    recode.update(renames)
    con.execute("CREATE TEMP TABLE recode(code VARCHAR PRIMARY KEY, iso VARCHAR)")
    if recode:
        con.executemany("INSERT INTO recode VALUES (?, ?)", sorted(recode.items()))
    kept = _views(con, fmt, layout, numbered=False)
    # parse the file once into a table (spilled to disk past the memory limit); checks and the
    # Parquet copy then read that table instead of parsing the CSV again
    _run_with_progress(con, f"CREATE TABLE src_iso AS SELECT * FROM {kept}", progress)
    if _has_problems(con):
        problems = _line_problems(con, _views(con, fmt, layout, numbered=True), fmt)
        msg = f"{path}: " + "; ".join(problems) + ". Nothing was imported."
        raise ImportFailed(msg)
    summary: dict[str, Any] = dict(_summary(con))
    if fmt == "comtrade":
        total = con.execute("SELECT count(*) FROM src").fetchone()
        summary["skipped_aggregates_and_re_exports"] = int(total[0] if total else 0) - summary["rows"]
    present = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT exporter FROM src_iso UNION SELECT DISTINCT importer FROM src_iso"
        ).fetchall()
    }
    summary["regions"] = {code: regions[code] for code in sorted(present & set(regions))}
    summary["countries"] = len(present - set(regions))
    if year is not None:
        summary["year_from"] = "--year (the file has no year column)"
    return summary, layout


def import_trade(
    data_dir: Path,
    fmt: str,
    path: Path,
    *,
    name: str | None = None,
    mapping: dict[str, str] | None = None,
    renames: dict[str, str] | None = None,
    regions: dict[str, str] | None = None,
    year: int | None = None,
    licence: str | None = None,
    citation: str | None = None,
    unit: str | None = None,
    covers: str = "all",
    memory_limit: str = "1GB",
    progress: Callable[[float], None] | None = None,
) -> Dataset:
    """Check a trade file and convert it to Parquet; replaces an earlier import of the same name.

    Parameters
    ----------
    data_dir
        The folder that holds ``trade/``.
    fmt
        ``baci``, ``comtrade`` or ``panel`` (any bilateral CSV; its other columns, such as FTA
        dummies, are kept beside the flows).
    path
        The file (.csv or .csv.gz).
    name
        The data set's name (default: the file's).
    mapping
        ``{FIELD: HEADER}`` for a panel's year, exporter, importer, value, product; the value
        defaults to a column ``value``, else ``trade``.
    renames
        Country codes to map, ``{"ROM": "ROU"}``.
    regions
        Aggregates to accept beside ISO codes, ``{CODE: NAME}``; ``ROW`` is always known.
    year
        The year of a panel without a year column (one cross-section, as OECD ICIO's).
    licence, citation, unit
        Kept in the manifest, so every figure drawn from the data can be cited.
    covers
        What the flows are: ``all`` trade, or ``intermediate`` goods and services only (OECD
        ICIO's pairs, whose final demand is not split by destination). A GE run on intermediate
        flows says so beside its figures (``flows_caveat``).
    memory_limit
        DuckDB's limit; past it the parse spills to disk.
    progress
        Called with the percent done.

    Returns
    -------
    Dataset
        The Parquet file and its manifest entry.
    """
    check_choice(fmt, FORMATS, "trade format")
    check_choice(covers, COVERS, "flows coverage")
    if not path.is_file():
        msg = f"{path}: no such file"
        raise ImportFailed(msg)
    name = name or path.name.split(".")[0]
    check_name(name)
    known_regions = {**REGIONS, **(regions or {})}
    bad_regions = [code for code in known_regions if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,9}", code)]
    if bad_regions:
        msg = f"region code(s) {', '.join(map(repr, bad_regions))}: use capital letters and digits, e.g. ROW"
        raise ValidationFailed(msg)
    renames = renames or {}
    out_dir = trade_dir(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.parquet"
    partial = out_dir / f".{name}.parquet.partial"
    scratch = out_dir / f".{name}.import.duckdb"
    scratch.unlink(missing_ok=True)
    con = connect(str(scratch), memory_limit=memory_limit, temp_directory=str(out_dir / ".spill"))
    try:
        # DuckDB's own bar would print to stdout (and spoil --json); its estimate feeds ours instead
        con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
        # parsing and checking is most of the work: it fills the bar to 70 %, the Parquet copy the rest
        stage_bar = (lambda done: progress(0.7 * done)) if progress else None
        summary, layout = _stage(
            con, fmt, path, mapping or {}, renames, year=year, regions=known_regions, progress=stage_bar
        )
        kept = "".join(f", {identifier(c)}" for c in layout.extras)
        _run_with_progress(
            con,
            f"COPY (SELECT year, exporter, importer, product, value, quantity{kept} FROM src_iso "
            f"ORDER BY year, exporter, importer) TO {literal(partial.as_posix())} (FORMAT parquet, COMPRESSION zstd)",
            (lambda done: progress(70 + 0.3 * done)) if progress else None,
        )
        if progress:
            progress(100.0)
    except duckdb.Error as exc:
        partial.unlink(missing_ok=True)
        msg = f"{path}: cannot read it as {fmt} data ({str(exc).splitlines()[0]})"
        raise ImportFailed(msg) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        con.close()
        scratch.unlink(missing_ok=True)
        scratch.with_name(scratch.name + ".wal").unlink(missing_ok=True)
    entry = {
        "format": fmt,
        "file": str(path),
        "imported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "licence": licence,
        "citation": citation,
        "unit": "US dollars" if fmt in {"baci", "comtrade"} else (unit or "as in the source file"),
        "covers": covers,
        **({"value_column": layout.mapping["value"]} if fmt == "panel" else {}),
        "columns": list(layout.extras),
        "constructed": {},
        **summary,
    }
    with _manifest_lock(data_dir):
        partial.replace(target)
        manifest = _manifest(data_dir)
        manifest[name] = entry
        _write_manifest(data_dir, manifest)
    return Dataset(name, target, entry)


#: what a data set's flows may cover (``import_trade(covers=…)``)
COVERS = ("all", "intermediate")


def flows_caveat(meta: dict[str, Any]) -> str | None:
    """The warning a figure drawn from a data set carries when its flows are not all of trade."""
    if meta.get("covers") == "intermediate":
        return (
            "the flows are trade in intermediate goods and services only (final demand is not split by "
            "destination in this data set): the GE is one of intermediate trade, and its welfare figures "
            "leave out changes in trade for final use"
        )
    return None


def check_name(name: str) -> None:
    """A data set's name becomes a file name: letters, digits, '-' and '_' only."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,60}", name):
        msg = f"data set name {name!r}: use letters, digits, '-' and '_' (give one with --name)"
        raise ValidationFailed(msg)


def _write_manifest(data_dir: Path, manifest: dict[str, dict[str, Any]]) -> None:
    path = trade_dir(data_dir) / "datasets.json"
    partial = path.with_name(".datasets.json.partial")
    partial.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    partial.replace(path)


def _run_with_progress(
    con: duckdb.DuckDBPyConnection, sql: str, progress: Callable[[float], None] | None
) -> None:
    """Run a long statement while reporting DuckDB's own estimate of how far it is (0 to 100)."""
    if progress is None:
        con.execute(sql)
        return
    failure: list[BaseException] = []

    def run() -> None:
        try:
            con.execute(sql)
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
        try:
            done = con.query_progress()
        except duckdb.Error:
            done = -1
        if done >= 0:
            progress(done)
    if failure:
        raise failure[0]
    progress(100.0)


def _known(ds: Dataset, *codes: str) -> None:
    """Unknown country codes get the nearest ones the data has, not an empty answer."""
    con = connect()
    try:
        have = {r[0] for r in con.execute(f"SELECT DISTINCT exporter FROM {_scan(ds)}").fetchall()}
    finally:
        con.close()
    for code in codes:
        if code not in have:
            close = [c for c in sorted(have) if c[0] == code[:1]][:8]
            msg = f"{code!r} is not an exporter in {ds.name}; ISO alpha-3 codes such as {', '.join(close) or '—'}"
            raise RecordNotFound(msg)


def _scan(ds: Dataset) -> str:
    return f"read_parquet({literal(ds.path.as_posix())})"


def series(ds: Dataset, a: str, b: str, product: str | None = None) -> list[dict[str, int | float | None]]:
    """Yearly trade between two countries: each direction (``{a}_to_{b}``, ``{b}_to_{a}``), the
    total and its growth in percent."""
    _known(ds, a, b)
    con = connect()
    try:
        flt = " AND product = $p" if product else ""
        rows = con.execute(
            "SELECT year, sum(CASE WHEN exporter = $a THEN value END), sum(CASE WHEN exporter = $b THEN value END) "
            f"FROM {_scan(ds)} WHERE ((exporter = $a AND importer = $b) OR (exporter = $b AND importer = $a))"
            f"{flt} GROUP BY year ORDER BY year",
            {"a": a, "b": b, **({"p": product} if product else {})},
        ).fetchall()
    finally:
        con.close()
    out: list[dict[str, int | float | None]] = []
    for year, ab, ba in rows:
        total = (ab or 0.0) + (ba or 0.0)
        previous = out[-1]["total"] if out and out[-1]["year"] == year - 1 else None
        out.append(
            {
                "year": int(year),
                f"{a}_to_{b}": ab or 0.0,
                f"{b}_to_{a}": ba or 0.0,
                "total": total,
                "growth_percent": round(100 * (total / previous - 1), 3) if previous else None,
            }
        )
    return out


def partners(ds: Dataset, country: str, year: int, top: int | None = 20) -> list[PartnerShare]:
    """A country's partners in one year by total trade, with exports, imports and shares (the
    ``top`` largest; every partner with None)."""
    _known(ds, country)
    con = connect()
    try:
        rows = con.execute(
            "WITH flows AS (SELECT CASE WHEN exporter = $c THEN importer ELSE exporter END AS partner, "
            "sum(CASE WHEN exporter = $c THEN value ELSE 0 END) AS exports, "
            "sum(CASE WHEN importer = $c THEN value ELSE 0 END) AS imports "
            f"FROM {_scan(ds)} WHERE year = $y AND (exporter = $c OR importer = $c) AND exporter <> importer "
            "GROUP BY 1) SELECT partner, exports, imports, exports + imports AS total, "
            "100 * (exports + imports) / sum(exports + imports) OVER () AS share FROM flows "
            "ORDER BY total DESC, partner" + (" LIMIT $n" if top is not None else ""),
            {"c": country, "y": year, **({"n": top} if top is not None else {})},
        ).fetchall()
    finally:
        con.close()
    if not rows:
        _no_trade_in(ds, country, year)
    return [
        PartnerShare(partner=p, exports=e, imports=i, total=t, share_percent=round(s, 3))
        for p, e, i, t, s in rows
    ]


def partner_figures(ds: Dataset, country: str, year: int | None = None) -> CountryFigures:
    """Each partner's trade with ``country`` in one year: a map of who trades with it, and how much.

    Parameters
    ----------
    ds
        An imported trade data set.
    country
        ISO alpha-3 code of the country at the centre (``CHN``).
    year
        The year; None takes the latest year in which ``country`` trades in the data set.

    Returns
    -------
    CountryFigures
        One figure per partner: exports plus imports in the data set's unit, its domestic sales
        and aggregate regions (``ROW``) left out; the data set's citation as the source.

    Raises
    ------
    RecordNotFound
        ``country`` is not in the data set, or it has no trade in ``year``.
    """
    if year is None:
        _known(ds, country)
        con = connect()
        try:
            (year,) = con.execute(
                f"SELECT max(year) FROM {_scan(ds)} WHERE exporter = $c AND importer <> $c", {"c": country}
            ).fetchone() or (None,)
        finally:
            con.close()
        if year is None:
            msg = f"{country} trades with no other country in {ds.name}"
            raise RecordNotFound(msg)
    shares = partners(ds, country, year, top=None)
    regions = set(ds.meta.get("regions") or {})
    unit = ds.meta.get("unit") or "USD"
    cite = CitationView(
        source=ds.name, source_title=ds.meta.get("citation") or ds.name, locator=f"year {year}", path="cite"
    )
    return CountryFigures(
        title=f"Trade with {country_name(country)}, {year} ({ds.name}), {unit}",
        measure="trade_value",
        unit=unit,
        qualifier="actual",
        period=str(year),
        counterpart=country,
        source=f"{ds.meta.get('citation') or ds.name} ({ds.meta.get('licence') or 'licence not stated'})",
        countries=[
            CountryFigure(
                country=share["partner"],
                name=country_name(share["partner"]),
                numeric=iso_numeric(share["partner"]),
                value=float(share["total"]),
                records=[],
                citations=[cite],
            )
            for share in shares
            if share["partner"] not in regions
        ],
        method=f"exports to plus imports from {country} in the imported data set, both as reported there",
        scope=flows_caveat(ds.meta),
    )


def _no_trade_in(ds: Dataset, country: str, year: int) -> None:
    """Say why a year has no partners: the data set lacks the year, or the country trades nothing in it."""
    con = connect()
    try:
        years = [r[0] for r in con.execute(f"SELECT DISTINCT year FROM {_scan(ds)} ORDER BY 1").fetchall()]
    finally:
        con.close()
    if year not in years:
        shown = ", ".join(map(str, years)) if len(years) <= 12 else f"{years[0]}–{years[-1]}"
        msg = f"{ds.name} has no trade in {year}; its years: {shown}"
        raise RecordNotFound(msg)
    msg = f"{country} trades with no other country in {ds.name} in {year}"
    raise RecordNotFound(msg)


def pair_totals(ds: Dataset, countries: Sequence[str]) -> tuple[int | None, dict[tuple[str, str], float]]:
    """Trade between each pair of ``countries`` (both directions, US dollars) in the latest year
    the data set has for any of them: the weights of a scenario's per-country means."""
    con = connect()
    try:
        codes = list(countries)
        (year,) = con.execute(
            f"SELECT max(year) FROM {_scan(ds)} WHERE exporter IN (SELECT unnest($c)) "
            "AND importer IN (SELECT unnest($c)) AND exporter <> importer",
            {"c": codes},
        ).fetchone() or (None,)
        if year is None:
            return None, {}
        rows = con.execute(
            f"SELECT exporter, importer, sum(value) FROM {_scan(ds)} WHERE year = $y "
            "AND exporter IN (SELECT unnest($c)) AND importer IN (SELECT unnest($c)) AND exporter <> importer "
            "GROUP BY 1, 2",
            {"y": year, "c": codes},
        ).fetchall()
    finally:
        con.close()
    totals: dict[tuple[str, str], float] = {}
    for exporter, importer, value in rows:
        for key in ((exporter, importer), (importer, exporter)):
            totals[key] = totals.get(key, 0.0) + float(value)
    return int(year), totals


def changed_pairs(ds: Dataset, column: str, first: int, last: int) -> list[tuple[str, str, float]]:
    """Pairs whose ``column`` differs between two years, with the difference (last − first).

    It makes the indicator of a counterfactual such as ge_gravity's: the pairs that became EU
    pairs between 2000 and 2014 are those whose ``eu_enlargement`` went from 0 to 1.
    """
    if column not in ds.meta.get("columns", []):
        msg = f"{ds.name} has no column {column!r}; it has {', '.join(ds.meta.get('columns', [])) or 'none beside the flows'}"
        raise ValidationFailed(msg)
    con = connect()
    try:
        years = {r[0] for r in con.execute(f"SELECT DISTINCT year FROM {_scan(ds)}").fetchall()}
        absent = [y for y in (first, last) if y not in years]
        if absent:
            msg = f"{ds.name} has no year {', '.join(map(str, absent))}; it has {', '.join(map(str, sorted(years)))}"
            raise ValidationFailed(msg)
        rows = con.execute(
            f"SELECT a.exporter, a.importer, b.{identifier(column)} - a.{identifier(column)} AS change "
            f"FROM {_scan(ds)} a JOIN {_scan(ds)} b ON a.exporter = b.exporter AND a.importer = b.importer "
            f"AND (a.product IS NOT DISTINCT FROM b.product) WHERE a.year = $first AND b.year = $last "
            f"AND b.{identifier(column)} IS DISTINCT FROM a.{identifier(column)} ORDER BY 1, 2",
            {"first": first, "last": last},
        ).fetchall()
    except duckdb.Error as exc:
        msg = f"{ds.name}: {column} cannot be compared between years ({str(exc).splitlines()[0]})"
        raise ValidationFailed(msg) from exc
    finally:
        con.close()
    return [(str(a), str(b), float(c)) for a, b, c in rows if c is not None]
