"""A sweep's spec: which projects, on which network and cost model, in which designs, over which
cities, and the market-access parameters (with a grid of values to sweep), each value cited.

Shipped specs live in ``specs/``; a path to another YAML file of the same form works alike.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from beltroad.data.yaml_models import read_model
from beltroad.errors import ValidationFailed
from beltroad.transport import AccessParameters

SPECS = Path(__file__).with_name("specs")
#: the market-access parameters a grid may vary (the cost matrices do not depend on them)
GRID_PARAMETERS = ("theta", "alpha", "beta")
DESIGNS = ("isolation", "complement")


class Value(BaseModel):
    model_config = ConfigDict(extra="allow")
    value: float
    unit: str


class MarketAccess(BaseModel):
    model_config = ConfigDict(extra="forbid")
    theta: Value
    alpha: Value
    beta: Value
    shipment_usd: Value
    time_usd_per_day: Value
    min_cost: Value

    def parameters(self, **override: float) -> AccessParameters:
        """The model's parameters with a grid point's values in place of the spec's."""
        values = {
            name: getattr(self, name).value for name in ("theta", "alpha", "beta", "shipment_usd", "min_cost")
        }
        values.update(override)
        return AccessParameters(time_usd_per_hour=self.time_usd_per_day.value / 24.0, **values)


class SweepSpec(BaseModel):
    """What ``beltroad sweep run`` evaluates."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    mode: Literal["multimodal", "rail", "road"] = "multimodal"
    costs: str
    projects: str = "study"
    countries: Literal["study"] | Annotated[list[str], Field(min_length=1)] = "study"
    cities: Annotated[int, Field(ge=2, le=20_000)] = 1000
    designs: Annotated[list[Literal["isolation", "complement"]], Field(min_length=1)]
    market_access: MarketAccess
    grid: dict[str, Annotated[list[float], Field(min_length=1)]] = {}
    cite: Annotated[list[dict[str, Any]], Field(min_length=1)]

    @field_validator("grid")
    @classmethod
    def _known(cls, grid: dict[str, list[float]]) -> dict[str, list[float]]:
        for name in grid:
            if name not in GRID_PARAMETERS:
                msg = f"{name!r} is not a parameter a grid may vary ({', '.join(GRID_PARAMETERS)})"
                raise ValueError(msg)
        return grid

    def points(self) -> list[dict[str, float]]:
        """Every combination of the grid's values (one empty point without a grid)."""
        combos: list[dict[str, float]] = [{}]
        for name, values in self.grid.items():
            combos = [{**c, name: v} for c in combos for v in values]
        return combos

    def digest(self) -> str:
        """A key of everything the results depend on, so a resumed sweep never mixes two specs."""
        return hashlib.blake2b(
            json.dumps(self.model_dump(), sort_keys=True).encode(), digest_size=8
        ).hexdigest()


def spec_names() -> list[str]:
    return sorted(p.stem for p in SPECS.glob("*.yaml"))


def load_spec(name_or_path: str) -> SweepSpec:
    """A shipped spec by id, or a YAML file; problems name the file and the field.

    Raises
    ------
    ValidationFailed
        An unknown spec (naming the shipped ones), a file that is not YAML, or a bad field (an
        unknown design, grid parameter or key).
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = SPECS / f"{name_or_path}.yaml"
    if not path.is_file():
        msg = f"no sweep spec {name_or_path!r}; shipped: {', '.join(spec_names())}"
        raise ValidationFailed(msg)
    return read_model(path, SweepSpec)
