"""Columns a data set lacks, made and recorded: gravity covariates from CEPII GeoDist, and domestic
flows from each country's output.

Every constructed column is entered in the data set's manifest (``constructed``) with how it was
made and from what, so a figure that rests on it says so. The data set's Parquet file is
rewritten beside the old one and swapped in only when the whole join has succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from beltroad.errors import ImportFailed, ValidationFailed
from beltroad.trade._duck import connect, identifier, literal
from beltroad.trade.panel import Dataset, _manifest, _manifest_lock, _scan, _write_manifest, dataset

GEODIST_CITATION = (
    "Mayer, T. & Zignago, S. (2011). Notes on CEPII's distances measures: the GeoDist database. "
    "CEPII Working Paper 2011-25"
)
#: CEPII's codes for countries whose ISO alpha-3 code differs; Serbia and Montenegro (YUG) and the
#: Netherlands Antilles (ANT) have no one successor and stay unmatched
GEODIST_CODES = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "PAL": "PSE"}
#: the covariate each GeoDist column becomes, by the names of the book's panels
GEODIST_COLUMNS: dict[str, tuple[str, str]] = {
    "log_dist": (
        "ln(coalesce(g.distw, g.dist))",
        "natural log of the population-weighted distance between the countries' main cities (GeoDist "
        "distw, km; the great-circle distance between main cities, dist, where distw is missing); "
        "for a country and itself, GeoDist's internal distance",
    ),
    "dist": ("coalesce(g.distw, g.dist)", "the distance under log_dist, km"),
    "cntg": ("g.contig", "1 if the countries share a land border (GeoDist contig)"),
    "lang": ("g.comlang_off", "1 if the countries share an official language (GeoDist comlang_off)"),
    "lang_ethno": (
        "g.comlang_ethno",
        "1 if a language is spoken by at least 9 % of both populations (GeoDist comlang_ethno)",
    ),
    "clny": ("g.colony", "1 if the countries were ever in a colonial relationship (GeoDist colony)"),
    "comcol": ("g.comcol", "1 if the countries had a common colonizer after 1945 (GeoDist comcol)"),
    "smctry": ("g.smctry", "1 if the countries were or are the same country (GeoDist smctry)"),
}


def _rewrite(
    data_dir: Path,
    ds: Dataset,
    select: str,
    con: duckdb.DuckDBPyConnection,
    *,
    columns: list[str],
    constructed: dict[str, str],
    extra_meta: dict[str, Any],
) -> Dataset:
    """Write ``select`` beside the data set's file and swap it in with the manifest, under the lock."""
    partial = ds.path.with_name(f".{ds.name}.parquet.partial")
    try:
        con.execute(
            f"COPY ({select} ORDER BY year, exporter, importer) TO {literal(partial.as_posix())} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
    except duckdb.Error as exc:
        partial.unlink(missing_ok=True)
        msg = f"{ds.name}: the join failed ({str(exc).splitlines()[0]}); the data set is unchanged"
        raise ImportFailed(msg) from exc
    with _manifest_lock(data_dir):
        manifest = _manifest(data_dir)
        entry = manifest.get(ds.name)
        if entry != ds.meta:
            partial.unlink(missing_ok=True)
            msg = f"{ds.name} changed while the columns were being made; run the command again"
            raise ValidationFailed(msg)
        kept = [c for c in entry.get("columns", []) if c not in columns] + columns
        entry = {
            **entry,
            "columns": kept,
            "constructed": {**entry.get("constructed", {}), **constructed},
            **extra_meta,
        }
        partial.replace(ds.path)
        manifest[ds.name] = entry
        _write_manifest(data_dir, manifest)
    return Dataset(ds.name, ds.path, entry)


def _csv_view(con: duckdb.DuckDBPyConnection, path: Path, view: str) -> list[str]:
    """The CSV as the view ``view``, every cell as text; its header. One line naming the file when
    it is missing or cannot be read."""
    if not path.is_file():
        msg = f"{path}: no such file"
        raise ImportFailed(msg)
    try:
        con.read_csv(str(path), header=True, all_varchar=True).create_view(view)
    except duckdb.Error as exc:
        msg = f"{path}: cannot read it as CSV ({str(exc).splitlines()[0]})"
        raise ImportFailed(msg) from exc
    return [str(c) for c in con.table(view).columns]


def _existing(ds: Dataset, wanted: list[str]) -> list[str]:
    """The wanted columns the data set has from its source (not made by beltroad): never replaced."""
    constructed = ds.meta.get("constructed", {})
    return [c for c in wanted if c in ds.meta.get("columns", []) and c not in constructed]


def add_geodist(
    data_dir: Path, name: str, dist_file: Path, *, progress: Callable[[float], None] | None = None
) -> Dataset:
    """Join CEPII GeoDist's pair covariates to a data set's rows by exporter and importer.

    Parameters
    ----------
    data_dir
        The folder that holds ``trade/``.
    name
        The data set.
    dist_file
        GeoDist's ``dist_cepii`` table (CSV, gzipped or not): iso_o, iso_d, contig, comlang_off,
        comlang_ethno, colony, comcol, smctry, dist, distw.
    progress
        Called with the percent done.

    Returns
    -------
    Dataset
        The data set with ``log_dist``, ``dist``, ``cntg``, ``lang``, ``lang_ethno``, ``clny``,
        ``comcol`` and ``smctry``, each recorded in its manifest with its method; pairs GeoDist
        lacks (an aggregate such as ROW) are left empty and counted.
    """
    ds = dataset(data_dir, name)
    clash = _existing(ds, list(GEODIST_COLUMNS))
    if clash:
        msg = f"{name} already has {', '.join(clash)} from its source file; they are not replaced"
        raise ValidationFailed(msg)
    con = connect()
    try:
        have = _csv_view(con, dist_file, "geo_raw")
        need = [
            "iso_o",
            "iso_d",
            "contig",
            "comlang_off",
            "comlang_ethno",
            "colony",
            "comcol",
            "smctry",
            "dist",
            "distw",
        ]
        missing = [c for c in need if c not in have]
        if missing:
            msg = f"{dist_file}: not GeoDist's dist_cepii table; no column(s) {', '.join(missing)}"
            raise ImportFailed(msg)
        recode = " ".join(f"WHEN {literal(old)} THEN {literal(new)}" for old, new in GEODIST_CODES.items())

        def code(column: str) -> str:
            return f"CASE trim({column}) {recode} ELSE trim({column}) END"

        numbers = ", ".join(f"TRY_CAST(trim({c}) AS DOUBLE) AS {c}" for c in need[2:])
        con.execute(
            f"CREATE TEMP TABLE geo AS SELECT {code('iso_o')} AS o, {code('iso_d')} AS d, {numbers} FROM geo_raw"
        )
        if progress:
            progress(40.0)
        source = _scan(ds)
        made = set(GEODIST_COLUMNS)
        keep = ", ".join(
            f"p.{identifier(c)}" for c in con.sql(f"SELECT * FROM {source} LIMIT 0").columns if c not in made
        )
        joined = ", ".join(f"{sql} AS {identifier(col)}" for col, (sql, _w) in GEODIST_COLUMNS.items())
        select = f"SELECT {keep}, {joined} FROM {source} p LEFT JOIN geo g ON g.o = p.exporter AND g.d = p.importer"
        (uncovered_rows, fallback) = con.execute(
            f"SELECT count(*) FILTER (WHERE g.o IS NULL), count(*) FILTER (WHERE g.o IS NOT NULL AND g.distw IS NULL) "
            f"FROM {source} p LEFT JOIN geo g ON g.o = p.exporter AND g.d = p.importer"
        ).fetchone() or (0, 0)
        uncovered = sorted(
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT code FROM (SELECT exporter AS code FROM {source} UNION SELECT importer FROM {source}) "
                "WHERE code NOT IN (SELECT o FROM geo)"
            ).fetchall()
        )
        added = {
            col: f"{what}. Source: {GEODIST_CITATION}, file {dist_file}"
            for col, (_sql, what) in GEODIST_COLUMNS.items()
        }
        meta = {
            "geodist": {
                "file": str(dist_file),
                "citation": GEODIST_CITATION,
                "licence": "CC0 as its package declares it; attribute CEPII (Mayer & Zignago 2011)",
                "rows_without_covariates": int(uncovered_rows),
                "codes_not_in_geodist": uncovered,
                "rows_with_dist_for_distw": int(fallback),
                "recoded": GEODIST_CODES,
            }
        }
        result = _rewrite(
            data_dir, ds, select, con, columns=list(GEODIST_COLUMNS), constructed=added, extra_meta=meta
        )
        if progress:
            progress(100.0)
        return result
    finally:
        con.close()


def _load_totals(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    totals_file: Path,
    *,
    output_column: str,
    country_column: str,
    year: int | None,
) -> None:
    """The table ``totals`` (country, year, output) from the file; refuse what cannot be used."""
    name = ds.name
    have = _csv_view(con, totals_file, "totals_raw")
    need = [country_column, output_column] + (["year"] if year is None and "year" in have else [])
    missing = [c for c in need if c not in have]
    if missing:
        msg = f"{totals_file}: no column(s) {', '.join(missing)}; it has {', '.join(have)}"
        raise ImportFailed(msg)
    source = _scan(ds)
    (domestic_rows,) = con.execute(f"SELECT count(*) FROM {source} WHERE exporter = importer").fetchone() or (
        0,
    )
    if domestic_rows:
        msg = f"{name} already has {domestic_rows} domestic rows; domestic flows are built only where there are none"
        raise ValidationFailed(msg)
    years = [r[0] for r in con.execute(f"SELECT DISTINCT year FROM {source} ORDER BY 1").fetchall()]
    if "year" in have and year is None:
        year_sql = "TRY_CAST(trim(year) AS INTEGER)"
    elif year is not None or len(years) == 1:
        year_sql = str(year if year is not None else years[0])
    else:
        msg = (
            f"{totals_file}: has no year column and {name} has {len(years)} years; give the totals a "
            "year column or import one year"
        )
        raise ValidationFailed(msg)
    con.execute(
        f"CREATE TEMP TABLE totals AS SELECT trim({identifier(country_column)}) AS country, {year_sql} AS year, "
        f"TRY_CAST(trim({identifier(output_column)}) AS DOUBLE) AS output FROM totals_raw"
    )
    bad = con.execute(
        "SELECT country FROM totals WHERE output IS NULL OR output < 0 OR year IS NULL LIMIT 10"
    ).fetchall()
    if bad:
        msg = f"{totals_file}: {output_column} must be a number of at least 0; not for {', '.join(r[0] for r in bad)}"
        raise ValidationFailed(msg)


def add_domestic(
    data_dir: Path,
    name: str,
    totals_file: Path,
    *,
    output_column: str,
    country_column: str = "country",
    year: int | None = None,
) -> Dataset:
    """Add each country's sales to itself where the data set lacks them: output minus exports.

    Parameters
    ----------
    data_dir
        The folder that holds ``trade/``.
    name
        The data set (one value per year, exporter and importer, without domestic rows).
    totals_file
        A CSV with a country column and the output column, and a ``year`` column unless the
        data set has one year only (or ``year`` names it).
    output_column
        Gross output (or total sales), in the data set's unit.
    country_column
        The totals' country column.
    year
        The year of totals without a year column.

    Returns
    -------
    Dataset
        The data set with a domestic row per country and year, its ``constructed`` column
        recording the method: domestic = output − the country's exports to the other countries of
        the data set (exports to countries outside it stay in the domestic figure).
    """
    ds = dataset(data_dir, name)
    con = connect()
    try:
        source = _scan(ds)
        _load_totals(
            con, ds, totals_file, output_column=output_column, country_column=country_column, year=year
        )
        con.execute(
            f"CREATE TEMP TABLE exports AS SELECT exporter AS country, year, sum(value) AS exports FROM {source} "
            "WHERE exporter <> importer GROUP BY 1, 2"
        )
        lacking = con.execute(
            "SELECT e.country, e.year FROM exports e LEFT JOIN totals t USING (country, year) "
            "WHERE t.output IS NULL ORDER BY 1, 2 LIMIT 10"
        ).fetchall()
        if lacking:
            listed = ", ".join(f"{c} {y}" for c, y in lacking)
            msg = f"{totals_file}: no {output_column} for {listed}; every exporter of {name} needs one"
            raise ValidationFailed(msg)
        negative = con.execute(
            "SELECT e.country, e.year, t.output, e.exports FROM exports e JOIN totals t USING (country, year) "
            "WHERE t.output < e.exports ORDER BY 1 LIMIT 10"
        ).fetchall()
        if negative:
            listed = ", ".join(f"{c} {y} (output {o:,.0f} < exports {x:,.0f})" for c, y, o, x in negative)
            msg = f"{name}: output below exports for {listed}; domestic flows would be negative. Nothing was written."
            raise ValidationFailed(msg)
        columns = list(con.sql(f"SELECT * FROM {source} LIMIT 0").columns)
        fill = ", ".join(
            {
                "year": "e.year",
                "exporter": "e.country",
                "importer": "e.country",
                "value": "t.output - e.exports",
            }.get(c, "NULL")
            + f" AS {identifier(c)}"
            for c in columns
        )
        listed = ", ".join(identifier(c) for c in columns)
        select = (
            f"SELECT {listed} FROM (SELECT {listed} FROM {source} UNION ALL "
            f"SELECT {fill} FROM exports e JOIN totals t USING (country, year))"
        )
        (rows,) = con.execute(f"SELECT count(*) FROM ({select})").fetchone() or (0,)
        method = (
            f"domestic rows (exporter = importer) of value: {output_column} of {totals_file} minus the "
            f"country's exports to the other countries of {name} in that year; exports to countries outside "
            "the data set stay in the domestic figure"
        )
        return _rewrite(
            data_dir,
            ds,
            select,
            con,
            columns=[],
            constructed={"value (domestic rows)": method},
            extra_meta={"rows": int(rows)},
        )
    finally:
        con.close()
