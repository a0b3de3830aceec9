"""The registry of transport modes: each mode's name, node code, data and builder.

Routing, origin–destination matrices, the CLI's and the API's choices and the multimodal
parameters all read the modes from here. Adding a mode means writing its builder (a function of
the mode's name and the cache folder that returns a ``Network``) and the function naming its data
(so a new version of the data rebuilds the cache) in the mode's own module, adding one
``ModeSpec`` below, and giving its parameters a section of ``params.yaml``. Joining it to the
multimodal network takes a rule in ``build_multimodal`` for where goods change to it.

This module imports nothing heavy: builders are named by import path and resolved when used, so
the CLI can list the modes without loading the networks' libraries.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beltroad.errors import check_choice

if TYPE_CHECKING:
    from beltroad.transport.network import Network


@dataclass(frozen=True)
class ModeSpec:
    """One transport mode."""

    name: str
    #: the code of its nodes in the multimodal network; None for a mode made of the others
    code: int | None
    #: what the network is, for help texts
    summary: str
    #: ``module:function`` building the network from (mode name, cache folder)
    builder: str
    #: ``module:function`` naming the data it is built from, from (mode name, cache folder)
    source: str

    def _resolve(self, target: str) -> Any:
        module, _, function = target.partition(":")
        return getattr(importlib.import_module(module), function)

    def build(self, cache_dir: Path | None) -> Network:
        """The network, read from its package's data (seconds to minutes; ``load`` caches it)."""
        network: Network = self._resolve(self.builder)(self.name, cache_dir)
        return network

    def data_source(self, cache_dir: Path) -> str:
        """The name and version of the data, the cache's key."""
        return str(self._resolve(self.source)(self.name, cache_dir))


_NETWORK = "beltroad.transport.network"
MODE_REGISTRY: tuple[ModeSpec, ...] = (
    ModeSpec(
        "rail",
        0,
        "OpenStreetMap railways (scgraph_data)",
        f"{_NETWORK}:build_scgraph",
        f"{_NETWORK}:scgraph_source",
    ),
    ModeSpec(
        "road",
        1,
        "OpenStreetMap highways (scgraph_data)",
        f"{_NETWORK}:build_scgraph",
        f"{_NETWORK}:scgraph_source",
    ),
    ModeSpec(
        "sea",
        2,
        "Eurostat's marnet lanes and searoute's ports",
        f"{_NETWORK}:build_sea",
        f"{_NETWORK}:sea_source",
    ),
    ModeSpec(
        "multimodal",
        None,
        "the fastest mix, joined at ports, city terminals and dry ports",
        f"{_NETWORK}:build_multimodal_from_cache",
        f"{_NETWORK}:multimodal_source",
    ),
)

#: every mode's name, in the registry's order
MODES: tuple[str, ...] = tuple(spec.name for spec in MODE_REGISTRY)
#: the modes a multimodal network is made of, and the code of each one's nodes
MODE_CODES: dict[str, int] = {spec.name: spec.code for spec in MODE_REGISTRY if spec.code is not None}
MODE_NAMES: dict[int, str] = {code: name for name, code in MODE_CODES.items()}
SINGLE_MODES: tuple[str, ...] = tuple(MODE_CODES)


def mode_spec(name: str) -> ModeSpec:
    """One mode by name; an unknown one is refused with the registry's names."""
    check_choice(name, MODES, "mode")
    return next(spec for spec in MODE_REGISTRY if spec.name == name)


def modes_help() -> str:
    """The modes as a help text lists them: 'rail, road, sea or multimodal (the fastest mix…)'."""
    *first, last = MODE_REGISTRY
    return ", ".join(s.name for s in first) + f" or {last.name} ({last.summary})"
