"""Country figures for choropleths: the knowledge base's (finance, BRI signing years) and the
imported trade data's (each partner's trade with a country)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from beltroad.api.deps import Conn
from beltroad.api.jsonresp import json_response
from beltroad.store import country_figure_series, country_figures

router = APIRouter(prefix="/api")

ISO3 = Query(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. CHN")


@router.get("/countries/figures", tags=["map"])
def api_country_series(conn: Conn) -> dict[str, Any]:
    """The maps of country figures the knowledge base can draw: title, coverage and the query of each."""
    return {"ok": True, "items": [s.to_json() for s in country_figure_series(conn)]}


@router.get("/countries/figures/{measure}", tags=["map"])
def api_country_figures(
    conn: Conn,
    measure: Annotated[str, Path(max_length=60)],
    unit: Annotated[str | None, Query(max_length=20)] = None,
    qualifier: Annotated[str | None, Query(max_length=20)] = None,
    period: Annotated[str | None, Query(max_length=21)] = None,
    counterpart: Annotated[str | None, ISO3] = None,
    scope: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """One value per country for a measure (``bri_cooperation_document_year`` for the year each
    country first signed a BRI document), each with its records and citations."""
    figures = country_figures(
        conn, measure, unit=unit, qualifier=qualifier, period=period, counterpart=counterpart, scope=scope
    )
    return json_response({"ok": True, **figures.to_json()})


@router.get("/trade/datasets", tags=["map"])
def api_trade_datasets(request: Request) -> dict[str, Any]:
    """The imported trade data sets: name, years, unit, what the flows cover and how to cite them."""
    from beltroad.trade import datasets

    keep = ("first_year", "last_year", "unit", "covers", "citation", "licence", "countries")
    return {
        "ok": True,
        "items": [
            {"name": ds.name, **{k: ds.meta.get(k) for k in keep}}
            for ds in datasets(request.app.state.settings.data_dir)
        ],
    }


@router.get("/trade/datasets/{name}/partners", tags=["map"])
def api_trade_partner_figures(
    request: Request,
    name: Annotated[str, Path(max_length=60)],
    country: Annotated[str, ISO3] = "CHN",
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    """Each partner's trade with ``country`` in ``year`` (the latest by default), from an imported data set."""
    from beltroad.trade import dataset, partner_figures

    figures = partner_figures(dataset(request.app.state.settings.data_dir, name), country, year)
    return json_response({"ok": True, **figures.to_json()})
