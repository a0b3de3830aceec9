"""What the gravity and impact commands share: the options of draws and map layers, and the
chart and map layer a run was asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from beltroad.cli._app import State, err
from beltroad.trade.results import FlowCounterfactual, FlowImpact

SeedOpt = Annotated[int, typer.Option(help="Seed of the draws.")]
AddressOpt = Annotated[
    str | None, typer.Option(help="An existing Ray cluster for the draws (default: a local one).")
]
WorkersOpt = Annotated[int | None, typer.Option(min=1, help="CPUs of the local Ray cluster.")]
MapLayerOpt = Annotated[
    str | None,
    typer.Option(help="Observed flows: save the per-country results as a map layer of this name (/map)."),
]


WhereOpt = Annotated[
    str | None, typer.Option("--where", help="SQL condition on the rows, e.g. 'year = 2006'.")
]


def pictures(
    run: FlowCounterfactual | FlowImpact, chart: Path | None, map_layer: str | None, title: str
) -> None:
    """The chart and the map layer a run was asked for, each said on stderr."""
    if chart is not None and run.countries:
        from beltroad.analysis import write_effects_chart

        model = "exact hat algebra" + (
            ", 90 % intervals over the draws" if run.assumptions.get("draws") else ""
        )
        path = write_effects_chart(
            run.countries, chart, title=title, source=f"{run.source} {run.year}; {model}"
        )
        err.print(f"chart → {path}", markup=False)
    if map_layer is not None:
        from beltroad.trade import save_layer

        save_layer(State.settings.data_dir, map_layer, run)
        err.print(f"map layer {map_layer!r} saved: /map, 'Countries'", markup=False)
