"""Commands of the trade model: trade data, gravity estimates, GE counterfactuals and the trade
impact of transport scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from beltroad.cli._app import (
    ChartOpt,
    CsvFlag,
    DatasetOpt,
    JsonFlag,
    State,
    err,
    out,
    pairs,
    print_json,
    trade_app,
    write_rows,
)


@trade_app.command("import")
def trade_import_cmd(
    fmt: Annotated[str, typer.Argument(help="baci, comtrade (bulk CSV) or panel (any bilateral CSV).")],
    file: Annotated[Path, typer.Argument(help="The CSV file (.csv or .csv.gz).")],
    name: Annotated[str | None, typer.Option(help="Data set name (default: the file name).")] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column", "-c", help="panel: FIELD=HEADER for year, exporter, importer, value, product."
        ),
    ] = None,
    rename: Annotated[
        list[str] | None, typer.Option(help="Map a country code: OLD=NEW, e.g. ROM=ROU.")
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(help="An aggregate to accept beside ISO codes: CODE=NAME (ROW is always known)."),
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="panel: the year of a file without a year column (one cross-section).")
    ] = None,
    licence: Annotated[str | None, typer.Option(help="The data's licence, kept with it for citing.")] = None,
    cite: Annotated[str | None, typer.Option(help="How to cite the data, kept with it.")] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="panel: the unit of value, e.g. 'million US dollars' (BACI, Comtrade: USD)."),
    ] = None,
    covers: Annotated[
        str,
        typer.Option(
            help="What the flows are: all (trade) or intermediate (goods and services for production only, "
            "as OECD ICIO's pairs); a GE on intermediate flows says so beside its figures."
        ),
    ] = "all",
    json_out: JsonFlag = False,
) -> None:
    """Check a trade file and store it as Parquet (out of core: bounded memory at any size)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from beltroad.trade import import_trade

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, disable=json_out) as bar:
        task = bar.add_task(f"importing {file.name}", total=100)
        ds = import_trade(
            State.settings.data_dir,
            fmt,
            file,
            name=name,
            mapping=pairs(column, "--column", "FIELD=HEADER"),
            renames=pairs(rename, "--rename", "OLD=NEW"),
            regions=pairs(region, "--region", "CODE=NAME"),
            year=year,
            licence=licence,
            citation=cite,
            unit=unit,
            covers=covers,
            memory_limit=State.settings.trade_memory_limit,
            progress=lambda done: bar.update(task, completed=done),
        )
    if json_out:
        print_json({"name": ds.name, "path": str(ds.path), **ds.meta})
        return
    m = ds.meta
    out.print(
        f"ok {ds.name}: {m['rows']:,} rows, {m['exporters']} exporters, {m['first_year']}–{m['last_year']} → {ds.path}",
        markup=False,
    )
    if m.get("columns"):
        out.print(f"  kept columns: {', '.join(m['columns'])}", markup=False)
    if m.get("regions"):
        listed = ", ".join(f"{code} ({what})" for code, what in m["regions"].items())
        out.print(f"  aggregate regions: {listed}", markup=False)


@trade_app.command("datasets")
def trade_datasets_cmd(json_out: JsonFlag = False) -> None:
    """The imported trade data sets and where each came from."""
    from beltroad.trade import datasets

    found = datasets(State.settings.data_dir)
    if json_out:
        print_json([{"name": d.name, "path": str(d.path), **d.meta} for d in found])
        return
    if not found:
        out.print("no trade data imported yet; run `beltroad trade import FORMAT FILE`")
        return
    table = Table(header_style="bold")
    for col in ("name", "format", "rows", "years", "file", "licence"):
        table.add_column(col, overflow="fold")
    for d in found:
        m = d.meta
        table.add_row(
            d.name,
            m["format"],
            f"{m['rows']:,}",
            f"{m['first_year']}–{m['last_year']}",
            m["file"],
            m.get("licence") or "",
        )
    out.print(table)


@trade_app.command("series")
def trade_series_cmd(
    a: Annotated[str, typer.Argument(help="ISO alpha-3 code, e.g. BLR.")],
    b: Annotated[str, typer.Argument(help="ISO alpha-3 code, e.g. CHN.")],
    dataset_name: DatasetOpt = None,
    product: Annotated[str | None, typer.Option(help="Only this product code.")] = None,
    chart: ChartOpt = None,
    csv_out: CsvFlag = False,
    json_out: JsonFlag = False,
) -> None:
    """Trade between two countries by year: each direction, the total and its growth."""
    from beltroad.trade import dataset, series

    ds = dataset(State.settings.data_dir, dataset_name)
    rows = series(ds, a.upper(), b.upper(), product)
    if chart is not None:
        from beltroad.analysis import write_series_chart

        write_series_chart(
            rows, a.upper(), b.upper(), chart, unit=ds.meta["unit"], source=f"{ds.name} ({ds.meta['file']})"
        )
    write_rows(rows, csv_out, json_out, f"trade {a.upper()}–{b.upper()}, {ds.meta['unit']} ({ds.name})")


@trade_app.command("partners")
def trade_partners_cmd(
    country: Annotated[str, typer.Argument(help="ISO alpha-3 code, e.g. CHN.")],
    year: Annotated[int, typer.Option(help="The year.")],
    top: Annotated[int, typer.Option(min=1, max=300, help="How many partners.")] = 20,
    dataset_name: DatasetOpt = None,
    chart: ChartOpt = None,
    csv_out: CsvFlag = False,
    json_out: JsonFlag = False,
) -> None:
    """A country's trade partners in one year, with exports, imports and shares of its trade."""
    from beltroad.trade import dataset, partners

    ds = dataset(State.settings.data_dir, dataset_name)
    rows = partners(ds, country.upper(), year, top)
    if chart is not None:
        from beltroad.analysis import write_partners_chart

        write_partners_chart(rows, country.upper(), year, chart, source=f"{ds.name} ({ds.meta['file']})")
    write_rows(
        rows, csv_out, json_out, f"partners of {country.upper()} in {year}, {ds.meta['unit']} ({ds.name})"
    )


@trade_app.command("covariates")
def trade_covariates_cmd(
    name: Annotated[str, typer.Argument(help="The data set, e.g. wiod.")],
    geodist: Annotated[Path, typer.Option(help="CEPII GeoDist's dist_cepii table (.csv or .csv.gz).")],
    json_out: JsonFlag = False,
) -> None:
    """Join gravity covariates from CEPII GeoDist: log_dist, dist, cntg, lang, lang_ethno, clny, comcol, smctry."""
    from beltroad.trade import add_geodist

    with err.status(f"joining {geodist.name} to {name}…"):
        ds = add_geodist(State.settings.data_dir, name, geodist)
    if json_out:
        print_json({"name": ds.name, "path": str(ds.path), **ds.meta})
        return
    geo = ds.meta["geodist"]
    out.print(f"ok {ds.name}: added {', '.join(ds.meta['constructed'])}", markup=False)
    if geo["codes_not_in_geodist"]:
        out.print(
            f"  no covariates for {', '.join(geo['codes_not_in_geodist'])} "
            f"({geo['rows_without_covariates']:,} rows left empty)",
            markup=False,
        )
    out.print(f"  source: {geo['citation']}", markup=False)


@trade_app.command("domestic")
def trade_domestic_cmd(
    name: Annotated[str, typer.Argument(help="A data set without domestic rows.")],
    totals: Annotated[Path, typer.Option(help="CSV of each country's output (and year).")],
    output_column: Annotated[str, typer.Option(help="The totals' column of output, in the data set's unit.")],
    country_column: Annotated[str, typer.Option(help="The totals' column of country codes.")] = "country",
    year: Annotated[int | None, typer.Option(help="The year of totals without a year column.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Build domestic flows (each country's sales to itself) as output minus exports, and record how."""
    from beltroad.trade import add_domestic

    ds = add_domestic(
        State.settings.data_dir,
        name,
        totals,
        output_column=output_column,
        country_column=country_column,
        year=year,
    )
    if json_out:
        print_json({"name": ds.name, "path": str(ds.path), **ds.meta})
        return
    out.print(f"ok {ds.name}: {ds.meta['rows']:,} rows with domestic flows", markup=False)
    out.print(f"  method: {ds.meta['constructed']['value (domestic rows)']}", markup=False)


@trade_app.command("changed")
def trade_changed_cmd(
    name: Annotated[str, typer.Argument(help="The data set, e.g. wiod.")],
    column: Annotated[str, typer.Argument(help="A column kept from its file, e.g. eu_enlargement.")],
    first: Annotated[int, typer.Option("--from", help="The earlier year.")],
    last: Annotated[int, typer.Option("--to", help="The later year.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the CSV here (default: stdout).")
    ] = None,
) -> None:
    """Pairs whose column changed between two years, as exporter,importer,indicator (the change):
    the indicator file of `gravity counterfactual --flows --indicator`."""
    import csv
    import sys

    from beltroad.trade import changed_pairs, dataset

    rows = changed_pairs(dataset(State.settings.data_dir, name), column, first, last)
    handle = out_file.open("w", newline="", encoding="utf-8") if out_file else sys.stdout
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["exporter", "importer", "indicator"])
        writer.writerows((a, b, f"{c:g}") for a, b, c in rows)
    finally:
        if out_file:
            handle.close()
    if out_file:
        err.print(f"ok {len(rows)} pairs whose {column} changed {first}→{last} → {out_file}", markup=False)
