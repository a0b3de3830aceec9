"""A self-contained HTML report of one cooperation case, for a researcher to attach to a paper.

One file holds everything (styles, the chain diagram, the timeline, the map and the sources) as
inline SVG, so it opens offline and survives e-mail; the figures are also written beside it as
SVG and PNG, and the profile as JSON, so each number in the report can be traced and reused.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")  # files only

import matplotlib.pyplot as plt
from shapely.geometry import Polygon, box
from sqlalchemy import Connection

from beltroad import __version__
from beltroad.analysis.cooperation import profile_cooperation
from beltroad.analysis.results import ProfileFigures
from beltroad.data.geography import country_shapes
from beltroad.errors import ValidationFailed
from beltroad.model import Project
from beltroad.model.dates import PartialDate
from beltroad.model.names import slugify
from beltroad.store import (
    citations_for,
    country_places,
    load_records,
    located_places,
    observation_rows,
    sources_data,
    subjects_of_observations,
)

CSS = """
body{font:15px/1.5 system-ui,sans-serif;color:#1d1d1f;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;
border-bottom:1px solid #eee}.muted{color:#666;font-size:.9em}.yes{color:#1b7f3b}.no{color:#b3261e}
figure{margin:1rem 0}figcaption{color:#666;font-size:.9em}svg{max-width:100%;height:auto}
ol.sources li{margin-bottom:.4rem}
"""


@dataclass
class Report:
    """What ``write_cooperation_report`` wrote, and the profile it rests on."""

    html: Path
    files: list[Path]
    profile: ProfileFigures
    sources: list[str] = field(default_factory=list)


def _records(conn: Connection, ids: set[str]) -> dict[str, Any]:
    return load_records(conn, ids)


def _evidence_items(profile: ProfileFigures) -> list[dict[str, Any]]:
    """Every record-with-citations dictionary the profile holds, wherever it sits."""
    found: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "record" in value and "citations" in value:
                found.append(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(profile)
    return found


def _observations(conn: Connection, subjects: set[str], *, exactly: bool = False) -> list[dict[str, Any]]:
    """Observations about any of ``subjects`` (the case's projects), or with ``exactly`` about
    those subjects together (Belarus and China), not about one of them alone."""
    about = subjects_of_observations(conn, subjects)
    ids = {src for src, dsts in about.items() if not exactly or dsts == subjects}
    rows = observation_rows(conn, ids)
    cites = citations_for(conn, [row.record_id for row in rows])
    return [
        {
            "id": row.record_id,
            "name": row.name,
            "measure": row.measure,
            "value": row.value,
            "unit": row.unit,
            "bound": row.bound,
            "qualifier": row.qualifier,
            "period": str(row.data.get("period") or row.data.get("as_of") or ""),
            "citations": [c for c in cites.get(row.record_id, []) if c["path"] == "cite"],
        }
        for row in rows
    ]


def _svg(fig: Any, out_dir: Path, name: str) -> tuple[str, list[Path]]:
    """The figure as inline SVG text, also saved as NAME.svg and NAME.png."""
    paths = []
    for fmt in ("svg", "png"):
        path = out_dir / f"{name}.{fmt}"
        fig.savefig(
            path, dpi=150 if fmt == "png" else "figure", metadata={"Date": None} if fmt == "svg" else {}
        )
        paths.append(path)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :], paths


def _timeline(
    profile: ProfileFigures, projects: list[Project], out_dir: Path, slug: str
) -> tuple[str, list[Path]]:
    """The chain's dated links and the projects' milestones on one time axis."""
    events: list[tuple[PartialDate, str, str]] = [
        (PartialDate.model_validate(link["date"]), f"{link['role']}: {link['name']}", "chain")
        for link in profile["partnership_chain"]["links"]
        if link["date"] and link["role"] != "project"
    ]
    for project in projects:
        events += [(m.date.start, f"{project.name}: {m.what}", m.status) for m in project.milestones]
    events.sort(key=lambda e: e[0].earliest())
    fig = plt.figure(figsize=(8, 0.45 * len(events) + 1.2), layout="constrained")
    ax = fig.subplots()
    colours = {"chain": "#b3261e", "actual": "#1f5f9e", "expected": "#1f5f9e", "planned": "#1f5f9e"}
    for row, (date, label, kind) in enumerate(events):
        x = date.earliest().year + (date.earliest().timetuple().tm_yday - 1) / 365
        hollow = kind in {"expected", "planned"}
        ax.plot(x, -row, "o", color=colours.get(kind, "#666"), markerfacecolor="white" if hollow else None)
        short = label if len(label) <= 70 else label[:67] + "…"
        ax.annotate(f"{date} {short}", (x, -row), xytext=(6, -3), textcoords="offset points", fontsize=8)
    ax.set_yticks([])
    ax.set_title(
        "Timeline (filled: happened; hollow: expected or planned; red: partnership chain)",
        loc="left",
        fontsize=9,
    )
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if events:
        first = events[0][0].earliest().year
        last = max(e[0].earliest().year for e in events)
        ax.set_xlim(first - 0.5, last + 3.5)  # room for the labels on the right
    return _svg(fig, out_dir, f"{slug}-timeline")


def _polygons(shape: Any) -> list[Polygon]:
    """The polygons of a shape, however nested (repaired outlines can be collections)."""
    if isinstance(shape, Polygon):
        return [shape]
    return [p for part in getattr(shape, "geoms", []) for p in _polygons(part)]


def _map(
    points: list[tuple[str, float, float]], countries: list[str], out_dir: Path, slug: str
) -> tuple[str, list[Path]]:
    """The case's countries on Natural Earth outlines, with its located places."""
    shapes = country_shapes()
    lons = [p[1] for p in points]
    lats = [p[2] for p in points]
    bounds = [shapes[c].bounds for c in countries if c in shapes]
    if lons:
        pad_x = max(6.0, 0.15 * (max(lons) - min(lons)))
        pad_y = max(4.0, 0.15 * (max(lats) - min(lats)))
        west, east = min(lons) - pad_x, max(lons) + 2 * pad_x  # labels run east of their points
        south, north = max(min(lats) - pad_y, -85.0), min(max(lats) + pad_y, 85.0)
    elif bounds:
        west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
        east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    else:
        west, south, east, north = -180.0, -60.0, 180.0, 85.0
    # keep the frame no flatter than 2:1, so that two far-apart points still show their countries
    extra = max(0.0, (east - west) / 2 - (north - south)) / 2
    south, north = max(south - extra, -85.0), min(north + extra, 85.0)
    frame = box(west, south, east, north)
    height = min(max(8 * (north - south) / max(east - west, 1e-6), 3.0), 7.0)
    fig = plt.figure(figsize=(8, height), layout="constrained")
    ax = fig.subplots()
    for code, shape in shapes.items():
        if not shape.intersects(frame):
            continue
        for poly in _polygons(shape):
            x, y = poly.exterior.xy
            ax.fill(
                x, y, color="#f2d7a6" if code in countries else "#ececec", edgecolor="#999", linewidth=0.4
            )
    labelled: list[tuple[float, float]] = []
    for name, lon, lat in sorted(points, key=lambda p: (p[1], p[2])):
        ax.plot(lon, lat, "o", color="#b3261e", markersize=5)
        # neighbours (a town and its district) get their labels stacked instead of overprinted
        clashes = sum(1 for x, y in labelled if abs(x - lon) < 3 and abs(y - lat) < 1.5)
        labelled.append((lon, lat))
        text = ax.annotate(
            name, (lon, lat), xytext=(4, 3 - 11 * clashes), textcoords="offset points", fontsize=8
        )
        text.set_in_layout(False)  # a long label must not shrink the map…
        text.set_clip_path(ax.patch)  # …nor run past its frame
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#dfe9f3")
    return _svg(fig, out_dir, f"{slug}-map")


def _chain_svg(profile: ProfileFigures) -> str:
    """Partnership → agreement → project as boxes and arrows, the lag in years on each arrow."""
    links = profile["partnership_chain"]["links"]
    if not links:
        return "<p class='muted'>No link of the chain is recorded.</p>"
    width, height, gap = 210, 86, 50
    lags = {(lag["from"], lag["to"]): lag["years"] for lag in profile["partnership_chain"]["lags"]}
    parts = []
    for i, link in enumerate(links):
        x = i * (width + gap)
        name = link["name"] if len(link["name"]) <= 26 else link["name"][:25] + "…"
        parts.append(
            f"<rect x='{x}' y='0' width='{width}' height='{height}' rx='8' fill='#f6f8fb' stroke='#1f5f9e'/>"
            f"<text x='{x + 10}' y='22' font-weight='bold'>{escape(link['role'])} · "
            f"{escape(link['date'] or 'undated')}</text>"
            f"<text x='{x + 10}' y='44'>{escape(name)}</text>"
            f"<text x='{x + 10}' y='66' fill='#666'>{escape(link['level'] or '')}</text>"
        )
        if i:
            lag = lags.get((links[i - 1]["record"], link["record"]))
            ax = x - gap
            parts.append(
                f"<line x1='{ax + 4}' y1='{height / 2}' x2='{x - 6}' y2='{height / 2}' stroke='#333' "
                "marker-end='url(#arrow)'/>"
                + (
                    f"<text x='{ax + 6}' y='{height / 2 - 6}' font-size='11'>{lag} y</text>"
                    if lag is not None
                    else ""
                )
            )
    total = len(links) * (width + gap) - gap
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='-2 -2 {total + 4} {height + 4}' font-size='13' "
        "role='img' aria-label='partnership chain'><defs><marker id='arrow' viewBox='0 0 10 10' refX='9' "
        "refY='5' markerWidth='7' markerHeight='7' orient='auto'><path d='M0,0L10,5L0,10z'/></marker></defs>"
        + "".join(parts)
        + "</svg>"
    )


def _amount(value: float, unit: str, bound: str | None) -> str:
    """5.9 billion USD rather than 5.9e+09; the bound (about, at least…) unless exact."""
    scaled = f"{value:,g}"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = f"{value / size:,.3g} {word}"
            break
    prefix = "" if bound in {None, "exact"} else f"{bound.replace('_', ' ')} "
    return f"{prefix}{scaled} {unit}"


def _cites(items: list[dict[str, Any]], numbers: dict[str, int]) -> str:
    marks = []
    for c in items:
        note = f"{c['locator']}" + (f", via {c['via']}" if c.get("via") else "")
        marks.append(f"[{numbers[c['source']]}] {note}")
    return "<span class='muted'>" + escape("; ".join(marks)) + "</span>" if marks else ""


def write_cooperation_report(conn: Connection, name: str, out_dir: Path, other: str | None = None) -> Report:
    """Profile, chain diagram, timeline, map, cited figures and numbered sources in one HTML file."""
    profile = profile_cooperation(conn, name, other)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot write the report into {out_dir}: {exc.strerror or exc}"
        raise ValidationFailed(msg) from exc
    records = _records(conn, set(profile["projects"]))
    projects = [r for r in records.values() if isinstance(r, Project)]
    place_ids = {pid for p in projects for pid in [*p.location, *p.endpoints]}
    place_ids |= set(profile.get("places", []))
    chain = _records(conn, {link["record"] for link in profile["partnership_chain"]["links"]})
    for record in chain.values():
        place_ids.update(getattr(record, "places", ()) or ())
        if getattr(record, "place", None):
            place_ids.add(record.place)
    points = [(row.name, row.lon, row.lat) for row in located_places(conn, place_ids)]
    country_ids = country_places(conn, profile["countries"])
    figures = _observations(conn, set(profile["projects"]))
    if len(country_ids) == 2:
        pair = _observations(conn, country_ids, exactly=True)
        figures += [f for f in pair if f["id"] not in {g["id"] for g in figures}]
    evidence = _evidence_items(profile)
    cited = [c for item in evidence for c in item["citations"]] + [c for f in figures for c in f["citations"]]
    source_ids = list(dict.fromkeys(c["source"] for c in cited))
    numbers = {sid: i for i, sid in enumerate(source_ids, 1)}
    sources = sources_data(conn, source_ids)
    # figures are named after the case, so several reports can share a folder
    slug = slugify(profile["id"].replace("+", "-"))
    with mpl.rc_context({"svg.hashsalt": "beltroad"}):
        timeline_svg, timeline_files = _timeline(profile, projects, out_dir, slug)
        map_svg, map_files = _map(points, profile["countries"], out_dir, slug)
    html = _html(
        profile,
        figures=figures,
        sources=sources,
        source_ids=source_ids,
        numbers=numbers,
        timeline_svg=timeline_svg,
        map_svg=map_svg,
    )
    page = out_dir / f"{slug}.html"
    page.write_text(html, encoding="utf-8")
    profile_path = out_dir / f"{slug}.json"
    profile_path.write_text(json.dumps(profile, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return Report(page, [page, profile_path, *timeline_files, *map_files], profile, source_ids)


def _html(
    profile: ProfileFigures,
    *,
    figures: list[dict[str, Any]],
    sources: dict[str, dict[str, Any]],
    source_ids: list[str],
    numbers: dict[str, int],
    timeline_svg: str,
    map_svg: str,
) -> str:
    kind = profile["type"]
    why = "; ".join(kind.get("because", [])) or "; ".join(
        f"{k}: {', '.join(v)}" for k, v in kind.get("misses", {}).items()
    )
    evidence_of = {
        "serves-strategies": profile["strategy_alignment"]["evidence"]
        + profile["strategy_alignment"]["bri"]
        + [s for items in profile["strategy_alignment"]["by_country"].values() for s in items],
        "partnership-support": profile["partnership_chain"]["links"],
        "multi-field-economic-core": profile["fields"]["evidence"],
    }
    rows = "".join(
        f"<tr><th class='{'yes' if c['holds'] else 'no'}'>{'yes' if c['holds'] else 'no'}</th>"
        f"<td>{escape(c['statement'])}<br>"
        + _cites([x for item in evidence_of[c["key"]] for x in item["citations"]], numbers)
        + "</td></tr>"
        for c in profile["characteristics"]
    )
    connectivities = (
        "".join(
            f"<li>{escape(c['name'])} <span class='muted'>({escape(c['basis'])})</span> "
            + _cites([x for item in c["evidence"] for x in item["citations"]], numbers)
            + "</li>"
            for c in profile["connectivities"]
        )
        or "<li class='muted'>none recorded</li>"
    )
    figure_rows = "".join(
        f"<tr><td>{escape(f['name'])}</td><td>{escape(_amount(f['value'], f['unit'], f['bound']))}</td>"
        f"<td>{escape(f['period'] or '')}</td><td>{escape(f['qualifier'] or '')}</td>"
        f"<td>{_cites(f['citations'], numbers)}</td></tr>"
        for f in figures
    )
    source_items = "".join(
        "<li>"
        + escape(
            ", ".join(sources[s].get("authors", []))
            + (": " if sources[s].get("authors") else "")
            + sources[s]["title"]
            + (f". {sources[s]['publisher']}" if sources[s].get("publisher") else "")
            + (f", {sources[s]['published']}" if sources[s].get("published") else "")
            + (f". Licence: {sources[s]['licence']}" if sources[s].get("licence") else "")
        )
        + (
            f". <a href='{escape(sources[s]['url'])}'>{escape(sources[s]['url'])}</a>"
            if sources[s].get("url")
            else ""
        )
        + f" <span class='muted'>[{escape(s)}]</span></li>"
        for s in source_ids
        if s in sources
    )
    gaps = "".join(f"<li>{escape(g)}</li>" for g in profile["gaps"]) or "<li class='muted'>none</li>"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(profile['name'])}: cooperation report</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(profile['name'])}</h1>"
        f"<p class='muted'>{escape(profile['kind'])} · {escape(', '.join(profile['countries']))} · "
        f"beltroad {__version__}, generated {dt.date.today().isoformat()} · record {escape(profile['id'])}</p>"
        f"<p><strong>Type:</strong> {escape(kind['name'])} <span class='muted'>({escape(why)})</span></p>"
        f"<h2>The three characteristics</h2><table>{rows}</table>"
        f"<h2>Partnership chain</h2><figure>{_chain_svg(profile)}<figcaption>Each box is a record; "
        "arrows carry the years between links.</figcaption></figure>"
        f"<h2>Fields</h2><p>{escape(', '.join(profile['fields']['fields']) or 'none recorded')} · economic core: "
        f"{escape(', '.join(profile['fields']['economic']) or 'none')} · Shannon index "
        f"{profile['fields']['shannon']} (every field weighted equally)</p>"
        f"<h2>Five connectivities</h2><ul>{connectivities}</ul>"
        f"<h2>Timeline</h2><figure>{timeline_svg}</figure>"
        f"<h2>Map</h2><figure>{map_svg}<figcaption>Country outlines: Natural Earth via world-atlas "
        "(public domain).</figcaption></figure>"
        + (
            "<h2>Figures</h2><table><tr><th>observation</th><th>value</th><th>period</th>"
            f"<th>qualifier</th><th>source</th></tr>{figure_rows}</table>"
            if figures
            else ""
        )
        + f"<h2>Gaps</h2><ul>{gaps}</ul>"
        f"<h2>Sources</h2><ol class='sources'>{source_items}</ol></body></html>"
    )
