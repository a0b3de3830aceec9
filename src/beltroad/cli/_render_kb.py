"""How records look in the terminal: tables of records and one record with every field."""

from __future__ import annotations

import json
from typing import Any

from rich.table import Table

from beltroad.cli._app import cites_text, out


def records_table(items: list[dict[str, Any]], title: str) -> Table:
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


def render_record(record: dict[str, Any]) -> None:
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
