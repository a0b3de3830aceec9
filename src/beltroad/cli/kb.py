"""Commands over the knowledge base: list, show, search, import and export records."""

from __future__ import annotations

from typing import Annotated

import typer

from beltroad.cli._app import JsonFlag, app, cites_text, out, print_json, ready_store, write_rows
from beltroad.cli._render_kb import records_table, render_record, render_source


@app.command("list")
def list_cmd(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="place, actor, event, partnership, agreement, project, corridor, connectivity, strategy or observation; all kinds if left out."
        ),
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 code or country name, e.g. BLR or Belarus.")] = None,
    corridor: Annotated[str | None, typer.Option(help="Corridor id or name, e.g. cpec or \"New Eurasian Land Bridge\".")] = None,
    subkind: Annotated[
        str | None, typer.Option("--kind", help="Sub-kind, e.g. cbecz, bridge, city, trade_value.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only records dated on or after YYYY[-MM[-DD]].")] = None,
    until: Annotated[str | None, typer.Option(help="Only records dated on or before YYYY[-MM[-DD]].")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    json_out: JsonFlag = False,
) -> None:
    """List records with their citations, filtered by kind, country, corridor, sub-kind and date."""
    from beltroad.store import list_records

    engine = ready_store()
    with engine.connect() as conn:
        result = list_records(
            conn,
            kind,
            country=country,
            corridor=corridor,
            subkind=subkind,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
    if json_out:
        print_json(result)
        return
    shown = len(result["items"])
    out.print(records_table(result["items"], f"{kind or 'records'}: {shown} of {result['total']}"))


@app.command("show")
def show_cmd(
    id_or_name: Annotated[str, typer.Argument(help="A record id, a name or alias, or a source id.")],
    json_out: JsonFlag = False,
) -> None:
    """Show one record (every field, its figures, its citations with locators, linked records) or
    one source (its reference and every record citing it)."""
    from beltroad.store import get_record, get_source, record_exists, resolve, source_exists

    engine = ready_store()
    with engine.connect() as conn:
        if not record_exists(conn, id_or_name) and source_exists(conn, id_or_name):
            source = get_source(conn, id_or_name)
            if json_out:
                print_json(source)
            else:
                render_source(source)
            return
        record = get_record(conn, resolve(conn, id_or_name))
    if json_out:
        print_json(record)
        return
    render_record(record)


@app.command("search")
def search_cmd(
    text: Annotated[str, typer.Argument(help="Words to find in names, aliases, summaries and notes.")],
    kind: Annotated[str | None, typer.Option(help="Only this kind of record.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    json_out: JsonFlag = False,
) -> None:
    """Full-text search over every record; hits carry their citations."""
    from beltroad.store import search_records

    engine = ready_store()
    with engine.connect() as conn:
        hits = search_records(conn, text, kind=kind, limit=limit)
    if json_out:
        print_json({"query": text, "items": hits})
        return
    if not hits:
        out.print(f"no record matches {text!r}")
        return
    out.print(records_table(hits, f"{len(hits)} hit(s) for {text!r}"))


@app.command("figures")
def figures_cmd(
    measure: Annotated[
        str | None,
        typer.Argument(help="A measure with country figures, e.g. development_finance_commitments; all maps if left out."),
    ] = None,
    period: Annotated[str | None, typer.Option(help="The series' period, e.g. 2019 or 2000/2021.")] = None,
    counterpart: Annotated[str | None, typer.Option(help="The other country of each pair (ISO3), e.g. CHN.")] = None,
    unit: Annotated[str | None, typer.Option(help="The series' unit, where a measure has several.")] = None,
    qualifier: Annotated[str | None, typer.Option(help="actual, committed, planned… where a measure has several.")] = None,
    scope: Annotated[str | None, typer.Option(help="The series' scope, where a measure has several.")] = None,
    csv_out: Annotated[bool, typer.Option("--csv", help="Print CSV for spreadsheets.")] = False,
    json_out: JsonFlag = False,
) -> None:
    """Country figures the map colours countries by: each one's value with its source (finance
    committed, the year of its first BRI document…); without a measure, the maps there are."""
    from beltroad.store import country_figure_series, country_figures

    engine = ready_store()
    with engine.connect() as conn:
        if measure is None:
            series = country_figure_series(conn)
        else:
            found = country_figures(
                conn, measure, unit=unit, qualifier=qualifier, period=period, counterpart=counterpart, scope=scope
            )
    if measure is None:
        if json_out:
            print_json([s.to_json() for s in series])
        elif not series:
            out.print("no country figures yet: import finance-commitments or bri-signatories", markup=False)
        for s in [] if json_out else series:
            options = " ".join(f"--{k} {v!r}" if " " in v else f"--{k} {v}" for k, v in s.query.items())
            out.print(f"{s.title}: {s.countries} countries\n  beltroad figures {s.measure} {options}", markup=False)
        return
    if json_out:
        print_json(found.to_json())
        return
    rows = [
        {
            "country": c.country,
            "name": c.name,
            "value": round(c.value) if found.unit == "year" else c.value,
            "source": cites_text(c.citations, 1),
        }
        for c in found.countries
    ]
    if not write_rows(rows, csv_out, False, found.title):
        out.print(f"source: {found.source}" + (f"; {found.method}" if found.method else ""), markup=False)
        if found.conflicting:
            out.print(f"records disagree for {', '.join(found.conflicting)}: left out", markup=False)
