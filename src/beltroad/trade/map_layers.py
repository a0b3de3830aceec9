"""Per-country GE results saved as map layers: a counterfactual or an impact, coloured by country.

A run is minutes of routing and solving, too slow for a web request; ``--map-layer NAME`` saves its
per-country figures (with their intervals, assumptions and source) under
``<data_dir>/trade/layers/``, and the web map draws each saved layer as a choropleth on Natural
Earth's countries, which world-atlas keys by ISO 3166 numeric code.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from beltroad.data.countries import iso_numeric
from beltroad.errors import RecordNotFound
from beltroad.trade.panel import check_name, trade_dir
from beltroad.trade.results import FlowCounterfactual, FlowImpact, SavedLayer, SavedLayerBrief


def _folder(data_dir: Path) -> Path:
    return trade_dir(data_dir) / "layers"


def save_layer(data_dir: Path, name: str, run: FlowCounterfactual | FlowImpact) -> Path:
    """Save a run's per-country effects as the map layer ``name`` (replacing one of that name).

    Parameters
    ----------
    data_dir
        The folder that holds ``trade/``.
    name
        The layer's name: letters, digits, '-' and '_'.
    run
        A counterfactual from observed flows or a scenario's impact.

    Returns
    -------
    Path
        The layer's JSON file.
    """
    check_name(name)
    folder = _folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(run, FlowImpact):
        title = f"{run.name}: real income (welfare) change"
    else:
        title = f"Counterfactual on {run.source}: welfare change"
    body: dict[str, Any] = {
        "name": name,
        "title": title,
        "kind": "impact" if isinstance(run, FlowImpact) else "counterfactual",
        "source": run.source,
        "year": run.year,
        "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "assumptions": run.assumptions,
        "countries": [{**c.to_json(), "numeric": iso_numeric(c.country)} for c in run.countries],
    }
    if isinstance(run, FlowImpact):
        body["scenario"] = run.scenario
        body["folded_into_region"] = run.folded_into_region
        body["not_covered"] = run.not_covered
    path = folder / f"{name}.json"
    partial = folder / f".{name}.json.partial"
    partial.write_text(json.dumps(body, ensure_ascii=False, default=str), encoding="utf-8")
    partial.replace(path)
    return path


def layers(data_dir: Path) -> list[SavedLayerBrief]:
    """The saved layers: name, title, kind, source and year, newest first."""
    folder = _folder(data_dir)
    found = []
    for path in folder.glob("*.json") if folder.is_dir() else []:
        body = json.loads(path.read_text(encoding="utf-8"))
        found.append(
            SavedLayerBrief(
                name=body["name"],
                title=body.get("title"),
                kind=body.get("kind"),
                source=body.get("source"),
                year=body.get("year"),
                saved=body.get("saved"),
            )
        )
    return sorted(found, key=lambda b: b["saved"] or "", reverse=True)


def layer(data_dir: Path, name: str) -> SavedLayer:
    """One saved layer with every country's figures, by name."""
    check_name(name)
    path = _folder(data_dir) / f"{name}.json"
    if not path.is_file():
        saved = (
            ", ".join(b["name"] for b in layers(data_dir))
            or "none yet (--map-layer NAME on impact or gravity counterfactual --flows)"
        )
        msg = f"no trade map layer {name!r}; saved: {saved}"
        raise RecordNotFound(msg)
    body: SavedLayer = json.loads(path.read_text(encoding="utf-8"))
    return body
