"""Finished sweeps as map layers: each city's gain with every project built.

``beltroad sweep run`` writes ``cities.geojson`` beside its table; the sweeps under
``<data_dir>/sweeps/`` (the command's default folder) are what the observatory's map lists, so a
user sees where the value of a set of projects falls without opening a notebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TypedDict

from beltroad.errors import RecordNotFound, ValidationFailed
from beltroad.model import FeatureCollection


def sweeps_dir(data_dir: Path) -> Path:
    """Where ``beltroad sweep run`` keeps a spec's sweep unless told ``--out``."""
    return data_dir / "sweeps"


class SweepBrief(TypedDict):
    """A finished sweep with a map, as the map's menu lists it."""

    name: str
    title: str | None
    mass: str | None
    cities: int | None
    headline: str | None


def sweep_layers(data_dir: Path) -> list[SweepBrief]:
    """The finished sweeps with a map: id, title, market size and number of cities."""
    found = []
    folder = sweeps_dir(data_dir)
    for summary in sorted(folder.glob("*/summary.json")) if folder.is_dir() else []:
        if not (summary.parent / "cities.geojson").is_file():
            continue
        body = json.loads(summary.read_text(encoding="utf-8"))
        found.append(
            SweepBrief(
                name=summary.parent.name,
                title=body.get("title"),
                mass=body.get("mass"),
                cities=body.get("cities"),
                headline=body.get("headline"),
            )
        )
    return found


def sweep_layer(data_dir: Path, name: str) -> FeatureCollection:
    """One sweep's cities as GeoJSON (``gain``, ``dln_ma``, ``mass`` per city), by folder name.

    Raises
    ------
    ValidationFailed
        A name that could leave the sweeps folder.
    RecordNotFound
        No finished sweep of that name (naming those there are).
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", name):
        msg = f"a sweep's name takes letters, digits, '-' and '_', got {name!r}"
        raise ValidationFailed(msg)
    path = sweeps_dir(data_dir) / name / "cities.geojson"
    if not path.is_file():
        there = ", ".join(s["name"] for s in sweep_layers(data_dir)) or "none yet (beltroad sweep run SPEC)"
        msg = f"no finished sweep {name!r}; there are: {there}"
        raise RecordNotFound(msg)
    body: FeatureCollection = json.loads(path.read_text(encoding="utf-8"))
    return body
