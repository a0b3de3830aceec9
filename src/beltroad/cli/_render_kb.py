"""How records look in the terminal: tables of records and one record with every field."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from beltroad.cli._app import cites_text, out
from beltroad.store import SOURCE_FIELDS, FigureView, RecordSummary, RecordView, SourceView


def records_table(items: Sequence[RecordSummary], title: str) -> Table:
    """Records with their kind, date, countries and first sources, one row each."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in ("id", "name", "kind", "date", "countries", "sources"):
        table.add_column(col, overflow="fold")
    for item in items:
        kind = item["kind"] + (f"/{item['subkind']}" if item.get("subkind") else "")
        date = (item.get("date") or "")[: {"year": 4, "month": 7}.get(item.get("date_precision") or "", 10)]
        table.add_row(
            item["id"],
            item["name"],
            kind,
            date,
            " ".join(item["countries"]),
            cites_text(item["citations"], 2),
        )
    return table


def render_record(record: RecordView) -> None:
    """Every field of a record, its citations with locators, its links and what links to it."""
    out.print(f"[bold]{record['name']}[/]  [dim]{record['id']} · {record['kind']}[/]")
    skip = {"id", "name", "cite"}
    for key, value in record["data"].items():
        if key in skip:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.print(f"  [cyan]{key}[/]:")
            for item in value:
                cites = item.get("cite", [])
                body = {k: v for k, v in item.items() if k != "cite"}
                loc = "; ".join(f"{c['source']}" for c in cites)
                out.print(f"    - {json.dumps(body, ensure_ascii=False)}  [dim]{loc}[/]")
        else:
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
            out.print(f"  [cyan]{key}[/]: {shown}")
    if record.get("observations"):
        out.print(figures_table(record["observations"]))
    out.print("  [cyan]citations[/]:")
    for c in record["citations"]:
        extra = f" — via {c['via']}" if c.get("via") else ""
        what = f" [{c['path']}]" if c["path"] != "cite" else ""
        out.print(f"    - {c['source']}: {c['locator']}{extra}{what}")
    if record["links"]:
        out.print("  [cyan]links[/]:")
        for link in record["links"]:
            out.print(
                f"    - {link['rel']} → {link['id']} ({link['kind'] or 'missing'}: {link['name'] or '?'})"
            )
    if record["linked_from"]:
        out.print("  [cyan]linked from[/]:")
        for link in record["linked_from"][:30]:
            out.print(f"    - {link['id']} ({link['kind']}: {link['name']}) via {link['rel']}")


def figures_table(figures: Sequence[FigureView]) -> Table:
    """A record's own observations, one row each, with value, unit, bound, side, period and source."""
    table = Table(title="figures", header_style="bold", title_justify="left")
    for col in ("observation", "value", "unit", "bound", "qualifier", "side", "period", "source"):
        table.add_column(col, overflow="fold", justify="right" if col == "value" else "left")
    for f in figures:
        period = f["period_start"] or ""
        if f["period_end"] and f["period_end"] != period:
            period = period[:4] if period[:4] == f["period_end"][:4] else f"{period} – {f['period_end']}"
        table.add_row(
            f["id"],
            f"{f['value']:,.10g}",
            f["unit"] or "",
            f["bound"] or "",
            f["qualifier"] or "",
            f["side"] or "",
            period,
            cites_text(f["citations"], 2),
        )
    return table


def render_source(source: SourceView) -> None:
    """A source's reference, then each record that cites it with the locators."""
    out.print(f"[bold]{escape(source.get('title') or source['id'])}[/]  [dim]{source['id']} · source[/]")
    for key in SOURCE_FIELDS:
        value = source.get(key)
        if key == "title" or value in (None, "", []):
            continue
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        out.print(f"  [cyan]{key.replace('_', ' ')}[/]: {escape(shown)}")
    out.print(f"  [cyan]cited by[/] {len(source['cited_by'])} records ({source['citations']} citations):")
    for rec in source["cited_by"]:
        where = "; ".join(
            c["locator"] + (f" (supports {', '.join(c['supports'])})" if c.get("supports") else "")
            for c in rec["citations"]
        )
        out.print(f"    - {rec['id']} ({rec['kind']}: {escape(rec['name'])}): {escape(where)}")
