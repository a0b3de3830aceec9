"""Dependencies shared by the routers: a connection per request, the editor behind a token, and
the filters every list and map layer accepts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from sqlalchemy import Connection

from beltroad.store import Filters, authenticate


def connection(request: Request) -> Iterator[Connection]:
    """One connection per request, from the engine the app was created with."""
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


def editor(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The editor behind the request's token; runs before the body is looked at, so a write
    without a token is a 401 whatever its body."""
    with request.app.state.engine.connect() as conn:
        return authenticate(conn, authorization)


Editor = Annotated[str, Depends(editor)]


def filters(
    kind: str | None = None,
    country: Annotated[str | None, Query(description="ISO3 code, e.g. BLR")] = None,
    corridor: Annotated[str | None, Query(description="corridor id, e.g. cpec")] = None,
    connectivity: Annotated[str | None, Query(description="connectivity id, e.g. unimpeded-trade")] = None,
    field: Annotated[str | None, Query(description="field of cooperation, e.g. trade")] = None,
    subkind: Annotated[str | None, Query(description="e.g. cbecz, bridge, city")] = None,
    status: Annotated[str | None, Query(description="e.g. under_construction")] = None,
    since: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
    year: Annotated[int | None, Query(ge=1800, le=2200, description="as of the end of this year")] = None,
) -> Filters:
    return Filters(
        kind=kind,
        country=country,
        corridor=corridor,
        connectivity=connectivity,
        field=field,
        subkind=subkind,
        status=status,
        since=since,
        until=until,
        year=year,
    )


FilterParams = Annotated[Filters, Depends(filters)]
