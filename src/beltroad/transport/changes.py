"""The kinds of change a scenario makes to a network, as a registry of validated models.

A scenario file lists its changes, each tagged by ``kind``; ``CHANGE_KINDS`` maps each tag to the
model that validates it field by field and says what it does to the router's network:

- ``edges``: the (node, node, hours) it adds, a border it crosses counted as the network's edges
  count theirs, so origin–destination matrices can add them exactly;
- ``usd_edges``: the same edges in US dollars per TEU, for the cost matrices;
- ``steps``: each edge's km and moving hours, for a route's description.

Adding a kind means writing its model here (or in its own module) and adding it to
``CHANGE_KINDS``; the scenario file format, the routes, the matrices and the costs then take it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from beltroad.data.geography import haversine_km
from beltroad.errors import ValidationFailed

if TYPE_CHECKING:
    from beltroad.transport.network import Network
    from beltroad.transport.routing import Router

#: how far a scenario's point may lie from the node it is joined to
SNAP_KM = 5.0

#: an edge a change adds: (node, node, hours or dollars)
Edge = tuple[int, int, float]


class Point(BaseModel):
    """A point of a scenario, with a note of what is there."""

    model_config = ConfigDict(extra="forbid")
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    note: str | None = None


def snap(net: Network, point: Point, where: str) -> int:
    """The network node a scenario's point stands for; one too far from any node is refused."""
    node, km = net.nearest(point.lat, point.lon)
    if km > SNAP_KM:
        msg = (
            f"{where}: ({point.lat}, {point.lon}) is {km:.1f} km from the nearest node (at most {SNAP_KM:g})"
        )
        raise ValidationFailed(msg)
    return node


class NewLink(BaseModel):
    """A new line between two points of the network (a bridge, a railway), travelled at its own
    speed or the network's."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["link"]
    start: Point = Field(alias="from")
    end: Point = Field(alias="to")
    km: Annotated[float, Field(gt=0)] | None = None
    speed_kmh: Annotated[float, Field(gt=0)] | None = None

    def length_km(self) -> float:
        """The length given, else the great-circle distance between the ends."""
        return self.km or haversine_km(self.start.lon, self.start.lat, self.end.lon, self.end.lat)

    def moving_hours(self, router: Router) -> float:
        """Hours on the link itself, at its speed or the network's."""
        return self.length_km() / (self.speed_kmh or router.params["speed_kmh"])

    def ends(self, router: Router, where: str) -> tuple[int, int]:
        """The nodes the link joins; both ends at one node is refused."""
        u = snap(router.network, self.start, f"{where}.from")
        v = snap(router.network, self.end, f"{where}.to")
        if u == v:
            msg = f"{where}: both ends snap to the same node"
            raise ValidationFailed(msg)
        return u, v

    def edges(self, router: Router, where: str) -> list[Edge]:
        """The link as one edge in hours, with the border and gauge hours of a crossing."""
        u, v = self.ends(router, where)
        crossed = router.crossing(u, v)
        return [(u, v, self.moving_hours(router) + (crossed.hours if crossed else 0.0))]

    def usd_edges(self, router: Router, edges: list[Edge]) -> list[Edge]:
        """The same edges in US dollars per TEU: haulage at the network's rate, and border fees."""
        rate = router.params["usd_per_teu_km"]
        out = []
        for u, v, _h in edges:
            crossed = router.crossing(u, v)
            out.append((u, v, self.length_km() * rate + (crossed.usd if crossed else 0.0)))
        return out

    def steps(self, router: Router, edges: list[Edge]) -> dict[tuple[int, int], tuple[float, float]]:
        """Each edge's km and moving hours, both ways (a route's description adds the border)."""
        return {
            pair: (self.length_km(), self.moving_hours(router))
            for u, v, _h in edges
            for pair in ((u, v), (v, u))
        }


#: every kind of change a scenario may make, by its ``kind`` tag
CHANGE_KINDS: dict[str, type[NewLink]] = {"link": NewLink}


def _tagged_union(kinds: dict[str, type[BaseModel]]) -> Any:
    """The models as one type pydantic picks from by ``kind`` (a lone model needs no tag)."""
    models = tuple(kinds.values())
    if len(models) == 1:
        return models[0]
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007 (built at run time)


if TYPE_CHECKING:
    #: one scenario change (for type checkers: the union of the registry's models)
    Change = NewLink
else:
    Change = _tagged_union(CHANGE_KINDS)
