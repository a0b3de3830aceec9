"""Dependencies shared by the routers: a connection per request, the editor behind a token, and
the filters every list and map layer accepts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from sqlalchemy import Connection

from beltroad.errors import ValidationFailed
from beltroad.model import FIELDS, PROJECT_STATUSES, RECORD_KINDS
from beltroad.store import Filters, authenticate, note_token_use, token_use_due, writing


def connection(request: Request) -> Iterator[Connection]:
    """One connection per request, from the engine the app was created with."""
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


def editor(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The editor behind the request's token; runs before the body is looked at, so a write
    without a token is a 401 whatever its body."""
    engine = request.app.state.engine
    with engine.connect() as conn:
        account = authenticate(conn, authorization)
    if token_use_due(account):
        with writing(engine) as conn:
            note_token_use(conn, account.name)
    return account.name


Editor = Annotated[str, Depends(editor)]


def _enum(values: Any) -> dict[str, Any]:
    """The closed vocabulary of a string parameter, for the schema only: the value is still
    checked by the store, whose 422 names the parameter and the allowed values."""
    return {"enum": list(values)}


def filters(
    kind: Annotated[str | None, Query(json_schema_extra=_enum(RECORD_KINDS))] = None,
    country: Annotated[str | None, Query(description="ISO3 code or country name, e.g. BLR or Belarus")] = None,
    corridor: Annotated[str | None, Query(description="corridor id or name, e.g. cpec or New Eurasian Land Bridge")] = None,
    connectivity: Annotated[str | None, Query(description="connectivity id or name, e.g. unimpeded-trade")] = None,
    field: Annotated[
        str | None, Query(description="field of cooperation, e.g. trade", json_schema_extra=_enum(FIELDS))
    ] = None,
    subkind: Annotated[str | None, Query(description="e.g. cbecz, bridge, city")] = None,
    status: Annotated[
        str | None, Query(description="e.g. under_construction", json_schema_extra=_enum(PROJECT_STATUSES))
    ] = None,
    since: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
    year: Annotated[int | None, Query(ge=1800, le=2200, description="as of the end of this year")] = None,
    source: Annotated[str | None, Query(max_length=120, description="records citing this source id")] = None,
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
        source=source,
    )


FilterParams = Annotated[Filters, Depends(filters)]


def _query_names(dependant: Any) -> set[str]:
    """The query parameters an endpoint takes, its dependencies' included (by their aliases)."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_query_only(request: Request) -> None:
    """Refuse query parameters the endpoint does not take, naming the ones it does: a typo is
    told, not ignored, and random parameters cannot make each request a new cache entry."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    # pages keep working with a tracking parameter appended; the cached API does not guess
    if dependant is None or not request.query_params or not request.url.path.startswith("/api/"):
        return
    allowed = _query_names(dependant)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) or "none"
        msg = f"unknown query parameter {', '.join(map(repr, unknown))}; this endpoint takes: {takes}"
        raise ValidationFailed(msg)
