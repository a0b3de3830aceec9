"""Server-rendered HTML pages: no build step, no JavaScript needed to read a record and its sources.

Every value is escaped; every record page lists its citations with their locators.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import Connection

from beltroad.store.queries import counts_by_kind

STYLE = """
:root { --ink:#1d2733; --muted:#5b6776; --line:#d9dee5; --accent:#b3261e; --bg:#fbfaf7; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header { display:flex; flex-wrap:wrap; gap:1rem; align-items:center; padding:.75rem 1.25rem; border-bottom:1px solid var(--line); background:#fff; }
header a.brand { font-weight:700; color:var(--accent); text-decoration:none; font-size:1.2rem; }
header form { flex:1; display:flex; gap:.5rem; min-width:14rem; }
header input { flex:1; padding:.45rem .6rem; border:1px solid var(--line); border-radius:4px; font:inherit; }
button { padding:.45rem .9rem; border:1px solid var(--accent); background:var(--accent); color:#fff; border-radius:4px; font:inherit; cursor:pointer; }
main { max-width:60rem; margin:0 auto; padding:1.25rem; }
a { color:#0b57a4; } a:focus, button:focus, input:focus { outline:3px solid #f2b84b; outline-offset:1px; }
table { border-collapse:collapse; width:100%; } th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; color:var(--muted); width:12rem; }
.kind { display:inline-block; font-size:.8rem; padding:0 .4rem; border:1px solid var(--line); border-radius:3px; color:var(--muted); }
.cites li { margin:.2rem 0; } .muted { color:var(--muted); } .grid { display:grid; grid-template-columns:repeat(auto-fill,minmax(11rem,1fr)); gap:.5rem; }
.card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:.6rem .8rem; }
pre { white-space:pre-wrap; word-break:break-word; margin:0; font-size:.9rem; }
@media (max-width: 600px) { th { width:auto; } main { padding:.75rem; } }
"""


def _layout(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · beltroad</title><style>{STYLE}</style></head><body>"
        "<header><a class='brand' href='/'>beltroad</a>"
        "<form action='/search' role='search'><label for='q' class='muted' hidden>Search</label>"
        "<input id='q' name='q' type='search' placeholder='Search places, partnerships, projects…' aria-label='Search'>"
        "<button type='submit'>Search</button></form>"
        "<a href='/api/docs'>API</a></header>"
        f"<main>{body}</main></body></html>"
    )


def _link(record_id: str, label: str | None = None) -> str:
    return f"<a href='/records/{quote(record_id)}'>{escape(label or record_id)}</a>"


def _cites(cites: list[dict[str, Any]]) -> str:
    if not cites:
        return "<p class='muted'>No citation.</p>"
    items = []
    for c in cites:
        via = f" — via {escape(c['via'])}" if c.get("via") else ""
        what = (
            f" <span class='muted'>[{escape(c['path'])}]</span>"
            if c.get("path") not in (None, "cite")
            else ""
        )
        items.append(
            f"<li><strong>{escape(c['source_title'])}</strong> <span class='muted'>({escape(c['source'])})</span>, {escape(c['locator'])}{via}{what}</li>"
        )
    return "<ul class='cites'>" + "".join(items) + "</ul>"


def _value(value: Any) -> str:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return escape(", ".join(value))
    return f"<pre>{escape(json.dumps(value, ensure_ascii=False, indent=1))}</pre>"


def home_page(conn: Connection) -> str:
    counts = counts_by_kind(conn)
    tiles = "".join(
        f"<a class='card' href='/list?{urlencode({'kind': k})}'><strong>{n}</strong><br>{escape(k)}</a>"
        for k, n in sorted(counts.items())
    )
    start = (
        "<ul>"
        f"<li>{_link('chongqing-minsk-oblast', 'Chongqing – Minsk Oblast friendship (2017)')} → "
        f"{_link('yubei-minsk-oblast-investment-2019', 'investment agreement (2019)')} → "
        f"{_link('belarusian-style-town', 'Belarusian-style town (2020–2023)')}</li>"
        f"<li>{_link('horgos-center', 'Horgos International Border Cooperation Center')}</li>"
        f"<li>{_link('tongjiang-railway-bridge', 'Tongjiang railway bridge')}</li>"
        f"<li>{_link('belarus-china-trade-2021', 'Belarus–China trade, 2021')}</li>"
        "</ul>"
    )
    body = (
        "<h1>Economic cooperation under the Belt and Road Initiative</h1>"
        "<p>A knowledge base in which every record cites the document it comes from, with a locator.</p>"
        f"<h2>Start here</h2>{start}<h2>Records</h2><div class='grid'>{tiles}</div>"
    )
    return _layout("Home", body)


def record_page(record: dict[str, Any]) -> str:
    data = record["data"]
    rows = [
        f"<tr><th>kind</th><td><span class='kind'>{escape(record['kind'])}</span> {escape(record.get('subkind') or '')}</td></tr>"
    ]
    for key, value in data.items():
        if key in {"id", "name", "cite"}:
            continue
        rows.append(f"<tr><th>{escape(key)}</th><td>{_value(value)}</td></tr>")
    links = "".join(
        f"<li>{escape(lk['rel'])} → {_link(lk['id'], lk['name'] or lk['id'])} <span class='kind'>{escape(lk['kind'] or 'missing')}</span></li>"
        for lk in record["links"]
    )
    back = "".join(
        f"<li>{_link(lk['id'], lk['name'])} <span class='kind'>{escape(lk['kind'])}</span> <span class='muted'>({escape(lk['rel'])})</span></li>"
        for lk in record["linked_from"]
    )
    body = (
        f"<h1>{escape(record['name'])}</h1><p class='muted'>{escape(record['id'])} · "
        f"<a href='/api/records/{quote(record['id'])}'>JSON</a></p>"
        f"<table>{''.join(rows)}</table>"
        f"<h2>Sources</h2>{_cites(record['citations'])}"
        + (f"<h2>Links</h2><ul>{links}</ul>" if links else "")
        + (f"<h2>Linked from</h2><ul>{back}</ul>" if back else "")
    )
    return _layout(record["name"], body)


def _result_list(items: list[dict[str, Any]]) -> str:
    if not items:
        return "<p class='muted'>Nothing found.</p>"
    lis = []
    for r in items:
        first = r["citations"][0] if r["citations"] else None
        src = (
            f" <span class='muted'>— {escape(first['source'])}, {escape(first['locator'])}</span>"
            if first
            else ""
        )
        lis.append(f"<li>{_link(r['id'], r['name'])} <span class='kind'>{escape(r['kind'])}</span>{src}</li>")
    return "<ul>" + "".join(lis) + "</ul>"


def list_page(result: dict[str, Any], *, kind: str | None, country: str | None) -> str:
    title = f"{kind or 'records'}" + (f" in {country}" if country else "")
    offset, limit, total = result["offset"], result["limit"], result["total"]
    nav = ""
    if offset + limit < total:
        params = {
            k: v
            for k, v in {"kind": kind, "country": country, "offset": offset + limit}.items()
            if v is not None
        }
        nav = f"<p><a href='/list?{urlencode(params)}'>next {limit} →</a></p>"
    body = f"<h1>{escape(title)}</h1><p class='muted'>{offset + 1 if total else 0}–{min(offset + limit, total)} of {total}</p>{_result_list(result['items'])}{nav}"
    return _layout(title, body)


def search_page(query: str, hits: list[dict[str, Any]]) -> str:
    head = (
        f"<h1>Search: {escape(query)}</h1>"
        if query
        else "<h1>Search</h1><p class='muted'>Type a name, place or topic above.</p>"
    )
    return _layout(f"Search {query}", head + (_result_list(hits) if query else ""))


def error_page(message: str, status: int) -> str:
    return _layout(f"Error {status}", f"<h1>{status}</h1><p>{escape(message)}</p><p><a href='/'>Home</a></p>")
