"""Named sets of transport parameters from a published model, beside beltroad's own
``params.yaml``: ``--costs reed-trubetskoy-2019`` routes with the World Bank market-access study's
freight rates and fees. A set is a file of ``cost_sets/``, each value with its unit, the class of
the source's model it takes and its citation; adding a set is adding a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from beltroad.errors import ValidationFailed, check_choice
from beltroad.transport.modes import SINGLE_MODES
from beltroad.transport.network import default_params

COST_SETS = Path(__file__).with_name("cost_sets")


@dataclass(frozen=True)
class LinkClass:
    """A class of link in a published cost model: the mode it runs on and its freight rate."""

    name: str
    mode: str
    usd_per_teu_km: float
    #: the source's own name for it
    takes: str


@dataclass(frozen=True)
class CostSet:
    """A published model's transport parameters as overrides (``MODE.NAME`` → value)."""

    id: str
    title: str
    cite: dict[str, Any]
    values: dict[str, float]
    #: per parameter: its unit, the source's class it takes and any note
    details: dict[str, dict[str, Any]]
    #: the source model's link classes for new lines (``standard_rail`` → its mode and rate)
    classes: dict[str, LinkClass] = field(default_factory=dict)

    def overrides(self, mode: str) -> dict[str, float]:
        """The set's values for a router on ``mode``: ``MODE.NAME`` for multimodal, the bare
        names of that mode's own parameters otherwise (a rail route takes no sea rate)."""
        if mode not in SINGLE_MODES:
            return dict(self.values)
        return {key.partition(".")[2]: v for key, v in self.values.items() if key.startswith(f"{mode}.")}


def cost_set_names() -> list[str]:
    return sorted(p.stem for p in COST_SETS.glob("*.yaml"))


@cache
def load_cost_set(name: str) -> CostSet:
    """The named set, every key checked against ``params.yaml`` and every value a number ≥ 0.

    Raises
    ------
    ValidationFailed
        For an unknown set (naming the shipped ones) or a bad entry (naming the file and key).
    """
    check_choice(name, cost_set_names(), "cost set")
    path = COST_SETS / f"{name}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    params = default_params()
    values: dict[str, float] = {}
    details: dict[str, dict[str, Any]] = {}
    for key, entry in (raw.get("values") or {}).items():
        section, _, param = str(key).partition(".")
        if section not in params or param not in params[section]:
            msg = f"{path.name}: {key!r} is not a parameter of params.yaml (MODE.NAME, e.g. rail.usd_per_teu_km)"
            raise ValidationFailed(msg)
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            msg = f"{path.name}: {key}: value must be a number of 0 or more, got {value!r}"
            raise ValidationFailed(msg)
        values[key] = float(value)
        details[key] = {k: v for k, v in entry.items() if k != "value"}
    classes = {}
    for cname, entry in (raw.get("classes") or {}).items():
        rate = entry.get("usd_per_teu_km") if isinstance(entry, dict) else None
        mode = entry.get("mode") if isinstance(entry, dict) else None
        if mode not in SINGLE_MODES:
            msg = f"{path.name}: classes.{cname}.mode must be one of {', '.join(SINGLE_MODES)}, got {mode!r}"
            raise ValidationFailed(msg)
        if not isinstance(rate, int | float) or isinstance(rate, bool) or rate < 0:
            msg = f"{path.name}: classes.{cname}.usd_per_teu_km must be a number of 0 or more, got {rate!r}"
            raise ValidationFailed(msg)
        classes[str(cname)] = LinkClass(str(cname), mode, float(rate), str(entry.get("takes", cname)))
    return CostSet(
        id=raw["id"], title=raw["title"], cite=raw["cite"], values=values, details=details, classes=classes
    )
