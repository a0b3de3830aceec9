"""Server-rendered HTML pages: no build step, no JavaScript needed to read a record and its sources.

Every value is escaped; every record page lists its citations with their locators.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import Connection

from beltroad.analysis import ProfileFigures
from beltroad.ingest import describe, needs
from beltroad.model import REFERENCE_KINDS
from beltroad.store import (
    SOURCE_FIELDS,
    CandidateRow,
    CitationView,
    FacetCount,
    FigureView,
    HistoryEntry,
    RecordPage,
    RecordSummary,
    RecordView,
    SearchHit,
    SourceBrief,
    SourceView,
    counts_by_kind,
)

#: fields whose values are record ids (shown as links)
REFERENCE_FIELDS = frozenset(REFERENCE_KINDS)


def _layout(
    title: str, body: str, *, scripts: tuple[str, ...] = (), styles: tuple[str, ...] = (), wide: bool = False
) -> str:
    head_extra = "".join(f"<link rel='stylesheet' href='{href}'>" for href in styles)
    tail = "".join(f"<script src='{src}'></script>" for src in scripts)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · beltroad</title><link rel='icon' href='/static/favicon.svg' type='image/svg+xml'><link rel='stylesheet' href='/static/beltroad.css'>{head_extra}</head><body>"
        "<a class='skip' href='#main'>Skip to content</a>"
        "<header><a class='brand' href='/'>beltroad</a>"
        "<nav aria-label='Main'><a href='/map'>Map</a><a href='/charts'>Charts</a><a href='/list?kind=project'>Projects</a>"
        "<a href='/list?kind=partnership'>Partnerships</a><a href='/sources'>Sources</a><a href='/api/docs'>API</a></nav>"
        "<form action='/search' role='search'>"
        "<input id='q' name='q' type='search' placeholder='Search places, partnerships, projects…' aria-label='Search'>"
        "<button type='submit'>Search</button></form></header>"
        f"<main id='main' class='{'wide' if wide else ''}'>{body}</main>{tail}</body></html>"
    )


def _link(record_id: str, label: str | None = None) -> str:
    return f"<a href='/records/{quote(record_id)}'>{escape(label or record_id)}</a>"


def _source_link(source_id: str, label: str, record_id: str | None = None) -> str:
    anchor = f"#r-{quote(record_id)}" if record_id else ""
    return f"<a href='/sources/{quote(source_id)}{anchor}'>{escape(label)}</a>"


def _cites(cites: Sequence[CitationView], record_id: str | None = None) -> str:
    """Citations grouped once per source: the title links to the source's page, each locator to
    this record's entry there, and each says which fields it supports."""
    if not cites:
        return "<p class='muted'>No citation.</p>"
    by_source: dict[str, list[CitationView]] = {}
    for c in cites:
        by_source.setdefault(c["source"], []).append(c)
    items = []
    for source, group in by_source.items():
        places = []
        for c in group:
            fields = c.get("supports") or ([c["path"]] if c.get("path") not in (None, "cite") else [])
            what = f" <span class='muted'>({escape(', '.join(fields))})</span>" if fields else ""
            via = f" <span class='muted'>via {escape(c['via'])}</span>" if c.get("via") else ""
            places.append(_source_link(source, c["locator"], record_id) + what + via)
        items.append(
            f"<li>{_source_link(source, group[0]['source_title'])} <span class='muted'>({escape(source)})</span>: "
            + "; ".join(places)
            + "</li>"
        )
    return "<ul class='cites'>" + "".join(items) + "</ul>"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 1000 else f"{value:,.4g}"


def _figures(figures: Sequence[FigureView]) -> str:
    """A record's own observations: value, unit, bound, qualifier, side and period, each sourced."""
    if not figures:
        return ""
    rows = "".join(
        "<tr>"
        f"<td>{_link(f['id'], f['name'])}</td>"
        f"<td class='num'>{escape(_number(f['value']))} {escape(f['unit'] or '')}</td>"
        f"<td>{escape((f['bound'] or '').replace('_', ' '))}</td>"
        f"<td>{escape(f['qualifier'] or '')}</td><td>{escape(f['side'] or '')}</td>"
        f"<td>{escape(_period(f['period_start'], f['period_end']))}</td>"
        f"<td>{'; '.join(_source_link(c['source'], c['source'] + ', ' + c['locator'], f['id']) for c in f['citations'])}</td>"
        "</tr>"
        for f in figures
    )
    return (
        "<h2>Figures</h2><table class='figures'><thead><tr><th>what</th><th>value</th><th>bound</th>"
        f"<th>qualifier</th><th>side</th><th>period</th><th>source</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _period(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    if end and start[:4] == end[:4] and start.endswith("-01-01") and end.endswith("-12-31"):
        return start[:4]
    return start if not end or end == start else f"{start} – {end}"


def sources_page(sources: Sequence[SourceBrief]) -> str:
    rows = "".join(
        f"<tr><td>{_source_link(s['id'], s['title'])}</td><td>{escape(s['kind'])}</td>"
        f"<td>{escape(s['published'] or '')}</td><td class='num'>{s['records']}</td><td class='num'>{s['citations']}</td></tr>"
        for s in sources
    )
    body = (
        f"<h1>Sources</h1><p class='muted'>{len(sources)} documents and data sets the records cite · "
        "<a href='/api/sources'>JSON</a></p>"
        "<table><thead><tr><th>title</th><th>kind</th><th>published</th><th>records</th><th>citations</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return _layout("Sources", body)


def source_page(source: SourceView) -> str:
    """A source's full reference, then every record citing it with the locators and the fields
    each citation supports; each record's entry is an anchor the records' pages link to."""
    reference = []
    for key in SOURCE_FIELDS:
        value = source.get(key)
        if value in (None, "", []):
            continue
        shown = escape(", ".join(value) if isinstance(value, list) else str(value))
        if key == "url":
            shown = f"<a href='{escape(str(value))}' rel='noopener noreferrer'>{shown}</a>"
        reference.append(f"<tr><th>{escape(key.replace('_', ' '))}</th><td>{shown}</td></tr>")
    entries = []
    for rec in source["cited_by"]:
        places = "".join(
            f"<li>{escape(c['locator'])}"
            + (
                f" <span class='muted'>supports {escape(', '.join(c['supports']))}</span>"
                if c.get("supports")
                else ""
            )
            + (
                f" <span class='muted'>[{escape(c['path'])}]</span>"
                if c.get("path") not in (None, "cite")
                else ""
            )
            + (f" <span class='muted'>via {escape(c['via'])}</span>" if c.get("via") else "")
            + _read_it(c.get("span"), source.get("passages") or [])
            + "</li>"
            for c in rec["citations"]
        )
        entries.append(
            f"<li id='r-{escape(rec['id'])}'>{_link(rec['id'], rec['name'])} <span class='kind'>{escape(rec['kind'])}</span>"
            f"<ul>{places}</ul></li>"
        )
    body = (
        f"<h1>{escape(source.get('title') or source['id'])}</h1>"
        f"<p class='muted'>{escape(source['id'])} · <a href='/api/sources/{quote(source['id'])}'>JSON</a> · "
        "<a href='/sources'>all sources</a></p>"
        f"<table class='reference'>{''.join(reference)}</table>"
        f"<h2>Cited by {len(source['cited_by'])} records ({source['citations']} citations)</h2>"
        f"<ul class='cited-by'>{''.join(entries)}</ul>"
        + _passages_html(source.get("passages") or [])
    )
    return _layout(source.get("title") or source["id"], body)


def _read_it(span: Any, passages: list[dict[str, Any]]) -> str:
    """A link from a citation of a document's span to the sentence it was read from."""
    if not (isinstance(span, list) and len(span) == 2):
        return ""
    at = next((p for p in passages if p["start"] <= span[0] < p["end"]), None)
    return f" <a href='#p-{at['start']}'>read it in its sentence</a>" if at else ""


def _passages_html(passages: list[dict[str, Any]]) -> str:
    """An ingested document's sentences with what was read in them marked: accepted spans link to
    the record they became, pending ones wait for review, rejected ones are struck through."""
    if not passages:
        return ""
    items = []
    for p in passages:
        where = f"characters {p['start']}–{p['end']}" + (f", page {p['page']}" if p.get("page") else "")
        items.append(
            f"<li id='p-{p['start']}'><p class='passage'>{_marked(p['text'], p['spans'])}</p>"
            f"<span class='muted'>{escape(where)}</span></li>"
        )
    return (
        f"<h2>Read from the document ({len(passages)} sentences)</h2>"
        "<p class='muted'>Each span the extractor found, in the sentence it was read from: "
        "<mark class='span-accepted'>accepted</mark> <mark class='span-pending'>waiting for review</mark> "
        "<mark class='span-rejected'>rejected</mark>.</p>"
        f"<ol class='passages'>{''.join(items)}</ol>"
    )


def _marked(text: str, spans: list[dict[str, Any]]) -> str:
    """``text`` escaped, with each span in a ``<mark>``; a span inside another nests in it, one that
    crosses another's end is left unmarked (a clause and a name in it both show; two crossing
    clauses cannot)."""
    kept: list[dict[str, Any]] = []
    open_: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        while open_ and open_[-1]["end"] <= span["start"]:
            open_.pop()
        if open_ and span["end"] > open_[-1]["end"]:
            continue
        kept.append(span)
        open_.append(span)
    out: list[str] = []
    pos = 0
    stack: list[tuple[dict[str, Any], bool]] = []  # each open span, and whether it opened a link

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1][0]["end"] <= limit:
            top, linked = stack.pop()
            out.append(escape(text[pos : top["end"]]) + ("</a>" if linked else "") + "</mark>")
            pos = top["end"]

    for span in kept:
        close_until(span["start"])
        out.append(escape(text[pos : span["start"]]))
        title = f"{span['kind']} · {span['status']}"
        # a link inside a link is not HTML: a span within an accepted one shows, unlinked
        linked = bool(span.get("record_id")) and not any(was for _s, was in stack)
        link = f"<a href='/records/{quote(span['record_id'])}'>" if linked else ""
        out.append(f"<mark class='span-{escape(span['status'])}' title='{escape(title)}'>{link}")
        pos = span["start"]
        stack.append((span, linked))
    close_until(len(text))
    out.append(escape(text[pos:]))
    return "".join(out)


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
        "<p>A knowledge base in which every record cites the document it comes from, with a locator. "
        "See it on the <a href='/map'>map</a>, or the figures as <a href='/charts'>charts</a>.</p>"
        f"<h2>Start here</h2>{start}<h2>Records</h2><div class='grid'>{tiles}</div>"
    )
    return _layout("Home", body)


def _history(history: Sequence[HistoryEntry]) -> str:
    if not history:
        return "<p class='muted'>No changes since it was loaded from its source.</p>"
    rows = "".join(
        f"<tr><td>{escape(h['at'])}</td><td>{escape(h['user_name'])}</td><td>{escape(h['action'])}</td>"
        f"<td>{escape(h['citation'].get('source', ''))}</td><td>{escape(h.get('note') or '')}</td>"
        f"<td><details><summary>before / after</summary><pre>{escape(json.dumps(_diff(h['before'], h['after']), ensure_ascii=False, indent=1))}</pre></details></td></tr>"
        for h in history
    )
    return f"<table><tr><th>when</th><th>who</th><th>what</th><th>source</th><th>note</th><th>change</th></tr>{rows}</table>"


def _diff(before: Any, after: Any) -> dict[str, Any]:
    """Only the fields that changed, as {field: [before, after]}."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return {"before": before, "after": after}
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _edit_form(record: RecordView) -> str:
    editable = {k: v for k, v in record["data"].items() if k not in {"id", "cite"}}
    return (
        "<details><summary>Correct this record (editors)</summary>"
        f"<form id='edit' class='edit' data-id='{escape(record['id'])}'>"
        "<p class='muted'>Change the fields below (JSON), and give the source the correction rests on. "
        "Your token stays in this browser.</p>"
        f"<label for='changes'>Fields</label><textarea id='changes' name='changes'>{escape(json.dumps(editable, ensure_ascii=False, indent=1))}</textarea>"
        "<div class='row'><label>Source id<input name='source' required></label><label>Section<input name='section'></label>"
        "<label>Paragraph<input name='paragraph' inputmode='numeric' size='4'></label><label>Page<input name='page' inputmode='numeric' size='4'></label>"
        "<label>Entry<input name='entry'></label></div>"
        "<div class='row'><label>Note<input name='note' size='40'></label><label>Editor token<input name='token' type='password' autocomplete='off'></label></div>"
        "<div class='row'><button type='submit'>Save correction</button><button type='button' id='retire' class='secondary'>Retire</button></div>"
        "<p id='edit-result' role='status'></p></form></details>"
    )


def _field_value(key: str, value: Any, names: dict[str, str]) -> str:
    """A field for people: referenced ids become links, milestones and policies become lists."""
    if key in REFERENCE_FIELDS:
        ids = value if isinstance(value, list) else [value]
        return ", ".join(_link(i, names.get(i, i)) for i in ids)
    if key == "milestones":
        items = "".join(
            f"<li>{escape(m['date'])} <span class='kind'>{escape(m['status'])}</span> {escape(m['what'])}</li>"
            for m in value
        )
        return f"<ul>{items}</ul>"
    if key == "policies":
        items = "".join(
            f"<li><span class='kind'>{escape(p['kind'])}</span> {escape(p['summary'])}</li>" for p in value
        )
        return f"<ul>{items}</ul>"
    if key == "point" and isinstance(value, dict):
        return escape(
            f"{value['lat']:.4f}, {value['lon']:.4f} ({value.get('basis', 'own')}; {value['cite'].get('source')}: {value['cite'].get('entry', '')})"
        )
    if key == "names" and isinstance(value, dict):
        return escape(", ".join(f"{v} ({k})" for k, v in value.items()))
    return _value(value)


def record_page(record: RecordView, history: list[HistoryEntry] | None = None) -> str:
    data = record["data"]
    names = {lk["id"]: lk["name"] or lk["id"] for lk in record["links"]}
    rows = [
        f"<tr><th>kind</th><td><span class='kind'>{escape(record['kind'])}</span> {escape(record.get('subkind') or '')}</td></tr>"
    ]
    for key, value in data.items():
        if key in {"id", "name", "cite", "kind"} or value in (None, "", [], {}):
            continue
        rows.append(
            f"<tr><th>{escape(key.replace('_', ' '))}</th><td>{_field_value(key, value, names)}</td></tr>"
        )
    links = "".join(
        f"<li>{escape(lk['rel'])} → {_link(lk['id'], lk['name'] or lk['id'])} <span class='kind'>{escape(lk['kind'] or 'missing')}</span></li>"
        for lk in record["links"]
    )
    back = "".join(
        f"<li>{_link(lk['id'], lk['name'])} <span class='kind'>{escape(lk['kind'] or '')}</span> <span class='muted'>({escape(lk['rel'])})</span></li>"
        for lk in record["linked_from"]
    )
    retired = (
        "<p class='notice'>This record is retired: it no longer appears in lists, the map or search.</p>"
        if record.get("retired")
        else ""
    )
    if record["kind"] in {"project", "partnership"}:
        retired += f"<p><a href='/profile/{quote(record['id'])}'>Cooperation profile →</a></p>"
    body = (
        f"<h1>{escape(record['name'])}</h1><p class='muted'>{escape(record['id'])} · "
        f"<a href='/api/records/{quote(record['id'])}'>JSON</a></p>{retired}"
        f"<table>{''.join(rows)}</table>"
        + _figures(record.get("observations", []))
        + f"<h2>Sources</h2>{_cites(record['citations'], record['id'])}"
        + (f"<h2>Links</h2><ul>{links}</ul>" if links else "")
        + (f"<h2>Linked from</h2><ul>{back}</ul>" if back else "")
        + f"<h2>History</h2>{_history(history or [])}"
        + _edit_form(record)
    )
    return _layout(record["name"], body, scripts=("/static/record.js",))


def _evidence(items: list[dict[str, Any]]) -> str:
    parts = []
    for item in items:
        cites = "; ".join(
            escape(f"{c['source']}, {c['locator']}" + (f" (via {c['via']})" if c.get("via") else ""))
            for c in item["citations"]
        )
        parts.append(f"{_link(item['record'], item['name'])} <span class='muted'>{cites}</span>")
    return "<br>".join(parts)


def profile_page(profile: ProfileFigures) -> str:
    """The cooperation profile: its three characteristics, the chain as a flow, fields,
    connectivities and type, each with the records and sources behind it."""
    kind = profile["type"]
    why = "; ".join(kind.get("because", [])) or "; ".join(
        f"{k}: {', '.join(v)}" for k, v in kind.get("misses", {}).items()
    )
    rows = "".join(
        f"<tr><th>{'✔' if c['holds'] else '✘'} {escape(c['key'].replace('-', ' '))}</th><td>{escape(c['statement'])}</td></tr>"
        for c in profile["characteristics"]
    )
    chain = profile["partnership_chain"]
    steps = " <span aria-hidden='true'>→</span> ".join(
        f"<span class='card'>{escape(link['role'])} · {escape(link['date'] or 'undated')}<br>{_link(link['record'], link['name'])}"
        + (f"<br><span class='muted'>{escape(link['level'])}</span>" if link.get("level") else "")
        + "</span>"
        for link in chain["links"]
    )
    lags = ", ".join(
        f"{lag['years']} year(s) from {escape(lag['from'])} to {escape(lag['to'])}" for lag in chain["lags"]
    )
    fields = profile["fields"]
    connectivities = "".join(
        f"<li>{escape(c['name'])} <span class='muted'>({escape(c['basis'])})</span></li>"
        for c in profile["connectivities"]
    )
    sources = _evidence(
        list(chain["links"])
        + profile["strategy_alignment"]["bri"]
        + [s for items in profile["strategy_alignment"]["by_country"].values() for s in items]
    )
    gaps = f"<p class='notice'>Gaps: {escape('; '.join(profile['gaps']))}</p>" if profile["gaps"] else ""
    body = (
        f"<h1>Cooperation profile: {escape(profile['name'])}</h1>"
        f"<p>{_link(profile['id'], 'record page')} · <a href='/api/profile/{quote(profile['id'])}'>JSON</a> · "
        f"countries {escape(' '.join(profile['countries']))}</p>"
        f"<p><strong>Type: {escape(kind['name'])}</strong> <span class='muted'>— {escape(why)}</span></p>{gaps}"
        f"<table>{rows}</table>"
        f"<h2>Partnership chain</h2><p class='chain'>{steps or '<span class=muted>No links recorded.</span>'}</p>"
        + (f"<p class='muted'>Lags: {lags}.</p>" if lags else "")
        + f"<h2>Fields</h2><p>{escape(', '.join(fields['fields']) or 'none recorded')} · economic core: "
        f"{escape(', '.join(fields['economic']) or 'none')} · Shannon index {fields['shannon']} (fields weighted equally)</p>"
        f"<h2>Connectivities</h2><ul>{connectivities or '<li class=muted>none</li>'}</ul>"
        f"<h2>Evidence</h2><p>{sources}</p>"
    )
    return _layout(f"Profile {profile['name']}", body)


def _scenario_options() -> str:
    """The shipped scenarios, for routing with a project's links."""
    from beltroad.transport import shipped_scenarios

    found = shipped_scenarios()
    return "<option value=''>the network as it is</option>" + "".join(
        f"<option value='{escape(s.id, quote=True)}'>{escape(s.name)}</option>" for s in found
    )


def map_page() -> str:
    options = "<option value=''>any</option>"
    body = (
        "<h1>Map</h1>"
        "<div class='mapwrap'><form id='filters' class='filters' aria-label='Map filters'>"
        "<fieldset><legend>Layers</legend>"
        + "".join(
            f"<label><input type='checkbox' name='layer-{n}'{' checked' if on else ''}> {n}</label>"
            # the 17,000 imported places make a poor first view; one click shows them
            for n, on in (
                ("places", False),
                ("partnerships", True),
                ("zones", True),
                ("infrastructure", True),
                ("network", False),
                ("flows", False),
            )
        )
        + "</fieldset>"
        + "".join(
            f"<label>{label}<select name='{n}'>{options}</select></label>"
            for n, label in (
                ("country", "Country"),
                ("corridor", "Corridor"),
                ("connectivity", "Connectivity"),
                ("field", "Field"),
                ("status", "Status"),
            )
        )
        + "<label>Year <output name='yearlabel'>all years</output><input type='range' name='year' min='1950' max='2026' value='2026'></label>"
        "<label><input type='checkbox' name='allyears' checked> all years</label>"
        "<button type='button' id='play-years' class='secondary' aria-label='Play the years'>▶ play</button>"
        "</form><div>"
        "<form id='route' class='filters' aria-label='Route'><fieldset><legend>Route</legend>"
        "<label>From <input name='from' value='Chongqing' required></label>"
        "<label>To <input name='to' value='Duisburg' required></label>"
        "<label>By <select name='mode'><option>rail</option><option>road</option><option>sea</option>"
        "<option>multimodal</option></select></label>"
        f"<label>With <select name='scenario'>{_scenario_options()}</select></label>"
        "<button type='submit'>Route</button></fieldset>"
        "<p id='route-status' role='status' class='muted'></p></form>"
        "<form id='effects' class='filters' aria-label='Country figures'><fieldset><legend>Countries</legend>"
        "<label>Colour countries by <select name='layer'><option value=''>none</option></select></label>"
        "</fieldset><p id='effects-status' role='status' class='muted'></p></form>"
        "<form id='sweep' class='filters' aria-label='Market access'><fieldset><legend>Market access</legend>"
        "<label>Gain per city of <select name='sweep'><option value=''>none</option></select></label>"
        "</fieldset><p id='sweep-status' role='status' class='muted'></p></form>"
        "<div id='map' role='region' aria-label='Map'></div>"
        "<p id='map-status' role='status' class='muted'></p>"
        "<h2>Legend</h2><ul id='legend' class='legend'></ul>"
        "<h2>On the map</h2><ul id='features'></ul></div></div>"
    )
    return _layout(
        "Map",
        body,
        scripts=(
            "/vendor/maplibre-gl/maplibre-gl.js",
            "/vendor/topojson-client/topojson-client.min.js",
            "/static/map.js",
        ),
        styles=("/vendor/maplibre-gl/maplibre-gl.css",),
        wide=True,
    )


def api_docs_page() -> str:
    """The API reference, drawn by the vendored Swagger UI from this server's schema: no CDN, so
    it works offline, and no inline script, so the pages' content security policy applies."""
    body = (
        "<h1>API</h1><p class='muted'>Every endpoint with its parameters and answers; the schema is "
        "<a href='/api/openapi.json'>/api/openapi.json</a>. Reading is public; writing needs an editor's token.</p>"
        "<div id='swagger-ui'></div>"
    )
    return _layout(
        "API",
        body,
        scripts=("/vendor/swagger-ui/swagger-ui-bundle.js", "/static/api-docs.js"),
        styles=("/vendor/swagger-ui/swagger-ui.css",),
        wide=True,
    )


def charts_page() -> str:
    body = (
        "<h1>Charts</h1><p class='muted'>Observations over time, each point with its sources. "
        "Import more data (for example AidData's yearly flows) to fill the series.</p>"
        "<label for='series'>Series</label> <select id='series'></select>"
        "<div class='chart-box'><canvas id='chart' role='img' aria-label='Chart of the selected series'></canvas></div>"
        "<p id='chart-status' role='status' class='muted'></p><table id='points'></table>"
    )
    return _layout("Charts", body, scripts=("/vendor/chart.js/chart.umd.min.js", "/static/charts.js"))


def _result_list(items: Sequence[SearchHit]) -> str:
    if not items:
        return "<p class='muted'>Nothing found.</p>"
    lis = []
    for r in items:
        first = r["citations"][0] if r["citations"] else None
        src = (
            f" <span class='muted'>— {_source_link(first['source'], first['source'] + ', ' + first['locator'], r['id'])}</span>"
            if first
            else ""
        )
        lis.append(f"<li>{_link(r['id'], r['name'])} <span class='kind'>{escape(r['kind'])}</span>{src}</li>")
    return "<ul>" + "".join(lis) + "</ul>"


#: the table's columns: header, sort key (None: not sortable) and how a record shows in it
_TABLE_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("name", "name"),
    ("kind", "kind"),
    ("sub-kind", "subkind"),
    ("status", "status"),
    ("date", "date"),
    ("countries", None),
    ("sources", None),
)
FACET_LABELS = {
    "kind": "Kind",
    "subkind": "Sub-kind",
    "status": "Status",
    "country": "Country",
    "corridor": "Corridor",
    "year": "Year",
    "source": "Source",
}


def _view_params(filters: Any, **changes: Any) -> dict[str, Any]:
    """The query parameters of a view with ``changes`` applied (None removes one)."""
    params = {k: v for k, v in vars(filters).items() if v is not None}
    params.update(changes)
    return {k: v for k, v in params.items() if v is not None}


def _cell(record: RecordSummary, key: str | None, header: str) -> str:
    if header == "name":
        return _link(record["id"], record["name"])
    if header == "countries":
        return escape(" ".join(record["countries"]))
    if header == "sources":
        return ", ".join(
            _source_link(source, source, record["id"])
            for source in dict.fromkeys(c["source"] for c in record["citations"])
        )
    fields: Mapping[str, Any] = record
    value = fields.get(key or "") or ""
    if key == "date":
        value = value[: {"year": 4, "month": 7}.get(record["date_precision"] or "", 10)]
    return escape(str(value).replace("_", " "))


def _pager(offset: int, size: int, total: int, href: Callable[[int], str]) -> str:
    """Links to the previous and the next page of ``size`` rows (``href`` gives a page's address
    from its offset), joined; empty when everything fits on this one."""
    links = []
    if offset > 0:
        links.append(f"<a href='{escape(href(max(0, offset - size)))}'>← previous {size}</a>")
    if offset + size < total:
        links.append(f"<a href='{escape(href(offset + size))}'>next {size} →</a>")
    return " · ".join(links)


def list_page(
    result: RecordPage, filters: Any, *, sort: str | None, facets: dict[str, list[FacetCount]]
) -> str:
    """A table of the filtered records like Datasette's: sortable columns, facets with counts
    beside it (each a link narrowing the view), the active filters as removable chips, and the
    whole view as CSV, JSON or GeoJSON."""
    kind = filters.kind
    title = f"{kind or 'record'}s" if kind else "records"
    offset, limit, total = result["offset"], result["limit"], result["total"]
    heads = []
    for header, key in _TABLE_COLUMNS:
        if key is None:
            heads.append(f"<th scope='col'>{header}</th>")
            continue
        ascending = sort == key
        target = f"-{key}" if ascending else key
        mark = " ▲" if ascending else " ▼" if sort == f"-{key}" else ""
        aria = " aria-sort='ascending'" if ascending else " aria-sort='descending'" if mark else ""
        href = "/list?" + urlencode(_view_params(filters, sort=target))
        heads.append(f"<th scope='col'{aria}><a href='{escape(href)}'>{header}{mark}</a></th>")
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(r, key, header)}</td>" for header, key in _TABLE_COLUMNS) + "</tr>"
        for r in result["items"]
    )
    chips = "".join(
        f"<a class='chip' href='{escape('/list?' + urlencode(_view_params(filters, sort=sort, **{name: None})))}' "
        f"aria-label='remove filter {escape(name)}'>{escape(name)}: {escape(str(value))} ×</a>"
        for name, value in vars(filters).items()
        if value is not None
    )
    side = []
    for facet, values in facets.items():
        if not values or (facet == "kind" and kind):
            continue
        links = []
        for v in values[:12]:
            change = {"since": v["value"], "until": v["value"]} if facet == "year" else {facet: v["value"]}
            href = "/list?" + urlencode(_view_params(filters, sort=sort, **change))
            label = v.get("label") or str(v["value"]).replace("_", " ")
            links.append(
                f"<li><a href='{escape(href)}'>{escape(label)}</a> <span class='muted'>{v['count']:,}</span></li>"
            )
        side.append(
            f"<section class='facet'><h2>{FACET_LABELS[facet]}</h2><ul>{''.join(links)}</ul></section>"
        )
    downloads = " · ".join(
        f"<a href='{escape('/api/export?' + urlencode(_view_params(filters, sort=sort, format=fmt)))}' download>{fmt.upper()}</a>"
        for fmt in ("csv", "json", "geojson")
    )
    pages = _pager(
        offset, limit, total, lambda to: "/list?" + urlencode(_view_params(filters, sort=sort, offset=to))
    )
    body = (
        f"<h1>{escape(title.capitalize())}</h1>"
        f"<p class='muted'>{offset + 1 if total else 0}–{min(offset + limit, total)} of {total:,} · download this view: {downloads}</p>"
        + (f"<p class='chips'>{chips}</p>" if chips else "")
        + "<div class='tableview'>"
        + f"<aside class='facets' aria-label='Facets'>{''.join(side)}</aside>"
        + "<div class='tablebox'>"
        + (
            f"<table class='records'><thead><tr>{''.join(heads)}</tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else "<p class='muted'>Nothing found.</p>"
        )
        + f"<p class='pages'>{pages}</p></div></div>"
    )
    return _layout(title.capitalize(), body, wide=True)


def search_page(query: str, hits: list[SearchHit]) -> str:
    head = (
        f"<h1>Search: {escape(query)}</h1>"
        if query
        else "<h1>Search</h1><p class='muted'>Type a name, place or topic above.</p>"
    )
    return _layout(f"Search {query}", head + (_result_list(hits) if query else ""))


def error_page(message: str, status: int) -> str:
    return _layout(f"Error {status}", f"<h1>{status}</h1><p>{escape(message)}</p><p><a href='/'>Home</a></p>")


PROMPTS = {
    "measure": "measure, e.g. land_area",
    "subject": "subject record id",
    "kind": "agreement kind, e.g. memorandum",
    "as_of": "as of, e.g. 2021-05",
}


REVIEW_PAGE = 50


def review_page(items: Sequence[CandidateRow], *, offset: int = 0, source: str | None = None) -> str:
    """Pending candidates, one row per distinct mention (a document naming China 300 times is
    one row, ×300, decided at once), 50 rows a page, with the sentence each was read from;
    deciding needs an editor's token. Keys: a accept, r reject, j/k next/previous row."""
    groups: dict[tuple[str, str, str, str], list[CandidateRow]] = {}
    for c in items:
        key = (c["source_id"], c["kind"], c["text"], str(describe(c["kind"], c["data"])))
        groups.setdefault(key, []).append(c)
    ordered = list(groups.values())
    page = ordered[offset : offset + REVIEW_PAGE]
    rows = []
    for members in page:
        c = members[0]
        data = c["data"]
        normal = describe(c["kind"], data)
        extra = "".join(
            f"<input name='{field}' placeholder='{escape(PROMPTS[field])}' aria-label='{field}'>"
            for field in needs(c["kind"], data)
        )
        count = (
            f" <span class='count' title='{len(members)} mentions'>×{len(members)}</span>"
            if len(members) > 1
            else ""
        )
        ids = ",".join(str(m["id"]) for m in members)
        rows.append(
            f"<tr data-id='{c['id']}' data-ids='{ids}' tabindex='0'><td>{escape(c['kind'])}</td>"
            f"<td><strong>{escape(c['text'])}</strong>{count}<br>"
            f"<span class='muted'>{escape(str(data.get('sentence_text', '')))}</span></td><td>{escape(str(normal))}</td>"
            f"<td>{escape(c['source_id'])}<br><span class='muted'>chars {c['start']}–{c['end']}</span></td>"
            f"<td class='decide'>{extra}<button data-decision='accept'>Accept</button> <button data-decision='reject'>Reject</button>"
            "<input name='edit' placeholder='edit: FIELD=VALUE; …' aria-label='edit'> <button data-edit>Edit</button>"
            "<span class='outcome' role='status'></span></td></tr>"
        )

    pages = _pager(
        offset,
        REVIEW_PAGE,
        len(ordered),
        lambda to: "/review?" + urlencode({k: v for k, v in {"source": source, "offset": to}.items() if v}),
    )
    summary = (
        f"<p class='muted'>{len(items):,} candidates in {len(ordered):,} distinct mentions; "
        f"showing {offset + 1 if page else 0}–{offset + len(page)}. Keys: <kbd>a</kbd> accept, "
        "<kbd>r</kbd> reject, <kbd>j</kbd>/<kbd>k</kbd> next and previous row.</p>"
    )
    body = (
        "<h1>Review ingested candidates</h1>"
        "<form id='review-token' aria-label='Editor token'><label>Editor token <input type='password' name='token'></label></form>"
        + (
            summary
            + "<table class='review'><colgroup><col class='c-kind'><col class='c-text'><col class='c-normal'>"
            "<col class='c-source'><col class='c-decide'></colgroup>"
            "<thead><tr><th>kind</th><th>text and sentence</th><th>normalised</th>"
            f"<th>source</th><th>decision</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            + f"<p class='pages'>{pages}</p>"
            if rows
            else "<p class='muted'>Nothing waits for review. Add documents with <code>beltroad ingest FILE</code>.</p>"
        )
    )
    return _layout("Review", body, scripts=("/static/review.js",), wide=True)
