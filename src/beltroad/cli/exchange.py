"""Commands that bring data sets in and take records out: import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from beltroad.cli._app import JsonFlag, app, out, pairs, print_json, ready_store
from beltroad.errors import check_choice


@app.command("import")
def import_cmd(
    kind: Annotated[
        str, typer.Argument(help="partnerships, bri-signatories, finance-commitments or finance-flows.")
    ],
    file: Annotated[Path, typer.Argument(help="The file to import (CSV).", exists=False)],
    column: Annotated[
        list[str] | None,
        typer.Option("--column", "-c", help="Map a column: FIELD=HEADER, e.g. city_a=city1."),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Import an external data set; it replaces what an earlier import of the same file wrote."""
    from beltroad.importers import IMPORTERS, run_import

    check_choice(kind, IMPORTERS, "import kind")
    mapping = pairs(column, "--column", "FIELD=HEADER")
    engine = ready_store()
    report = run_import(engine, file, IMPORTERS[kind], columns=mapping, progress=not json_out)
    if json_out:
        print_json(report)
        return
    for key, value in report.items():
        if key in {"unresolved_sample", "problems"}:
            continue
        out.print(f"  {key}: {value}", markup=False)
    if report.get("unresolved_sample"):
        out.print("  first unresolved rows:")
        for row in report["unresolved_sample"][:10]:
            out.print(f"    - row {row['row']}: {row['reason']}", markup=False)


@app.command("export")
def export_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder to write into (created if missing).")],
    fmt: Annotated[str, typer.Option("--format", help="csv, json or geojson.")] = "json",
    kind: Annotated[str | None, typer.Option(help="Only this kind of record.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Export records with their citations as CSV, JSON or GeoJSON files, one per kind."""
    from beltroad.exporting import export_store

    engine = ready_store()
    written = export_store(engine, directory, fmt, kind=kind)
    if json_out:
        print_json({"format": fmt, "files": [str(p) for p in written]})
        return
    for path in written:
        out.print(f"wrote {path}")
