"""The World Bank market-access study's BRI transport projects as changes to the multimodal network.

Reed & Trubetskoy (2019) evaluate 68 projects and publish their names and countries, not their
geometry. ``study_projects.yaml`` draws each one through its documented end points, flagged
approximate, or says why it is not drawn yet. A project becomes the edges it adds:

- a ``line`` (a railway, a road, an upgrade): one edge between each pair of consecutive waypoints,
  from the nearest node of its mode to the next (an end the mode does not reach joins the other
  land mode, with a change of mode), at the length of the straight line, the mode's
  speed and its link class's freight rate, with the border it crosses counted as the network's
  own edges count theirs;
- a ``port``: the port city's nearest sea node joined to its nearest rail and road nodes, charged
  as the network charges every change between sea and land (a drive to the quay and the port's
  hours and fee);
- a ``canal``: a sea edge between the sea nodes nearest its two ends.

Each edge carries hours and US dollars per TEU, so the same project changes the time and the cost
matrices alike.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from beltroad.data.countries import country_iso3
from beltroad.data.gazetteer import gazetteer
from beltroad.data.geography import haversine_km
from beltroad.data.yaml_models import read_model
from beltroad.errors import ValidationFailed
from beltroad.transport.cost_sets import LinkClass
from beltroad.transport.routing import Router, name_and_country
from beltroad.transport.scenario import Citation

STUDY_PROJECTS = Path(__file__).with_name("study_projects.yaml")
#: how far a waypoint may lie from the node of its mode it is joined to (a sea lane lies offshore)
REACH_KM = {"rail": 50.0, "road": 50.0, "sea": 100.0}


class Spot(BaseModel):
    """A waypoint no gazetteer town stands for (the sea lane a canal joins), with its reason."""

    model_config = ConfigDict(extra="forbid")
    name: str
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    note: str
    #: the ISO2 country it lies in, so a project drawn through points still has its countries
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class StudyProject(BaseModel):
    """One project of the study as the curated file draws it (or says why it does not)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    name: str
    basis: Literal["named", "curated", "none"]
    change: Literal["line", "port", "canal"] | None = None
    mode: Literal["rail", "road"] = "rail"
    link_class: str | None = Field(default=None, alias="class")
    via: list[str | Spot] = []
    #: further sections of a line drawn the same way (a route with two arms, as the AH3 has)
    branches: list[Annotated[list[str | Spot], Field(min_length=2)]] = []
    cite: list[Citation] = []
    note: str | None = None
    why: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> StudyProject:
        if self.basis == "none":
            if not self.why or self.change:
                msg = "a project not modelled (basis: none) says why, and has no change"
                raise ValueError(msg)
            return self
        needs = {"line": (2, None), "port": (1, 1), "canal": (2, None)}
        if self.change is None:
            msg = "a modelled project needs change: line, port or canal"
            raise ValueError(msg)
        least, most = needs[self.change]
        if len(self.via) < least or (most is not None and len(self.via) > most):
            count = f"{least}" if least == most else f"at least {least}"
            msg = f"a {self.change} takes {count} places in via, got {len(self.via)}"
            raise ValueError(msg)
        if self.branches and self.change != "line":
            msg = f"only a line has branches, not a {self.change}"
            raise ValueError(msg)
        if self.change == "line" and not self.link_class:
            msg = "a line needs its link class (class: standard_rail, hicap_rail, divided_highway…)"
            raise ValueError(msg)
        if self.basis == "curated" and not self.cite:
            msg = "curated end points need a cite saying where they are published"
            raise ValueError(msg)
        return self

    @property
    def modelled(self) -> bool:
        return self.basis != "none"

    @property
    def countries(self) -> list[str]:
        """The ISO3 countries its waypoints lie in (a point waypoint's where it gives one)."""
        places = [*self.via, *(p for branch in self.branches for p in branch)]
        codes = {name_and_country(p)[1] if isinstance(p, str) else p.country for p in places}
        return sorted({c for code in codes if code and (c := country_iso3(code))})


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    projects: Annotated[list[StudyProject], Field(min_length=1)]


@dataclass(frozen=True)
class Waypoint:
    """A place a project passes, as the gazetteer locates it."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ProjectEdge:
    """An edge a project adds: its nodes, length, and what crossing it costs in hours and dollars."""

    u: int
    v: int
    km: float
    hours: float
    usd: float


def _project_field(loc: tuple[int | str, ...], raw: Any) -> str:
    """A field of the file as 'Project name.field', the way a curator looks for it."""
    projects = raw.get("projects") if isinstance(raw, dict) else None
    if len(loc) >= 2 and loc[0] == "projects" and isinstance(loc[1], int) and isinstance(projects, list):
        entry = projects[loc[1]]
        name = entry.get("name", f"entry {loc[1]}") if isinstance(entry, dict) else f"entry {loc[1]}"
        rest = ".".join(map(str, loc[2:]))
        return f"{name}.{rest}" if rest else str(name)
    return ".".join(map(str, loc)) or "file"


@cache
def _loaded(path: Path) -> tuple[StudyProject, ...]:
    parsed = read_model(path, _File, where=_project_field)
    seen: set[str] = set()
    for project in parsed.projects:
        if project.name in seen:
            msg = f"{path.name}: {project.name!r} is listed twice"
            raise ValidationFailed(msg)
        seen.add(project.name)
    return tuple(parsed.projects)


def study_projects(path: Path | None = None) -> list[StudyProject]:
    """The study's projects as the curated file (or another of its format) draws them.

    Raises
    ------
    ValidationFailed
        A file that is not YAML, or an entry with a bad or missing field (named with its project).
    """
    return list(_loaded((path or STUDY_PROJECTS).resolve()))


def waypoint(text: str | Spot, where: str) -> Waypoint:
    """A gazetteer place written "Name (ISO2)" (of several of that name, the most populous), or a
    point given by its coordinates."""
    if isinstance(text, Spot):
        return Waypoint(text.name, text.lat, text.lon)
    name, iso2 = name_and_country(text)
    if iso2 is None:
        msg = f"{where}: {text!r} is not written 'Name (ISO2)', e.g. 'Kashgar (CN)'"
        raise ValidationFailed(msg)
    found = gazetteer().find(name, iso2)
    if not found:
        msg = f"{where}: no place {name!r} in country {iso2} in the GeoNames gazetteer"
        raise ValidationFailed(msg)
    return Waypoint(text, found[0].lat, found[0].lon)


def _nearest(router: Router, point: Waypoint, mode: str, *, unnamed: bool = False) -> tuple[int, float]:
    return router.network.nearest_of_mode(point.lat, point.lon, mode, unnamed=unnamed)


def _too_far(where: str, point: Waypoint, km: float, what: str, reach: float) -> ValidationFailed:
    return ValidationFailed(
        f"{where}: {point.name} is {km:,.0f} km from the nearest {what} (at most {reach:g} km)"
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine_km(a[1], a[0], b[1], b[0])


def _at(router: Router, node: int) -> tuple[float, float]:
    return float(router.network.lat[node]), float(router.network.lon[node])


def project_edges(router: Router, project: StudyProject, classes: dict[str, LinkClass]) -> list[ProjectEdge]:
    """The edges a modelled project adds to the router's network, both ways.

    A line's waypoints within ``REACH_KM`` of its mode's network join it there (a station on an
    existing line); one farther out is passed through, its length counted, since the new line is
    what reaches it. Its two ends must join: each its own mode's network, else the other land
    mode's within the router's ``access_max_km`` (a railway that ends where only roads run),
    paying the drive there and the change of mode as the router charges them.

    Parameters
    ----------
    router
        A router on the multimodal network (a single-mode one takes that mode's lines only).
    project
        A modelled project (``basis`` not ``none``).
    classes
        The cost model's link classes, by name (``CostSet.classes``).

    Raises
    ------
    ValidationFailed
        A waypoint the gazetteer lacks, an end beyond ``REACH_KM`` of its mode's nodes and beyond
        ``access_max_km`` of the other land mode's (named with both distances), a link class the cost model lacks, or a class of another mode.
    """
    where = f"{STUDY_PROJECTS.name}: {project.name}"
    points = [waypoint(text, f"{where}: via") for text in project.via]
    if project.change == "line":
        edges = _line(router, project, points, classes, where)
        for k, branch in enumerate(project.branches):
            field = f"branches.{k}"
            places = [waypoint(text, f"{where}: {field}") for text in branch]
            edges += _line(router, project, places, classes, where, field=field)
        return edges
    if "sea" not in router.per_mode or "road" not in router.per_mode:
        msg = f"{where}: a {project.change} needs sea and land modes; the {router.network.mode} network lacks them (use multimodal)"
        raise ValidationFailed(msg)
    sea_rate = classes["sea"].usd_per_teu_km if "sea" in classes else router.per_mode["sea"]["usd_per_teu_km"]
    sea_speed = router.per_mode["sea"]["speed_kmh"]
    if project.change == "canal":
        # the canal runs through its waypoints; its ends join the sea lanes nearest them
        ends = []
        for point in (points[0], points[-1]):
            node, km = _nearest(router, point, "sea", unnamed=True)
            if km > REACH_KM["sea"]:
                raise _too_far(f"{where}: via", point, km, "sea lane", REACH_KM["sea"])
            ends.append(node)
        u, v = ends
        if u == v:
            msg = f"{where}: both ends of the canal join the same sea lane node; give its ends as points on the two seas"
            raise ValidationFailed(msg)
        km = _km(_at(router, u), (points[0].lat, points[0].lon)) + _km(
            _at(router, v), (points[-1].lat, points[-1].lon)
        )
        km += sum(_km((a.lat, a.lon), (b.lat, b.lon)) for a, b in itertools.pairwise(points))
        return [ProjectEdge(u, v, km, km / sea_speed, km * sea_rate)]
    # a port: from the nearest sea lane to the quay, the change of mode there, and on to the land
    (point,) = points
    here = (point.lat, point.lon)
    lane, lane_km = _nearest(router, point, "sea", unnamed=True)
    if lane_km > 2 * REACH_KM["sea"]:
        raise _too_far(f"{where}: via", point, lane_km, "sea lane", 2 * REACH_KM["sea"])
    transfer, road = router.transfer, router.per_mode["road"]
    edges = []
    for mode in ("rail", "road"):
        land, land_km = _nearest(router, point, mode)
        if land_km > REACH_KM[mode]:
            continue
        sea_km = _km(_at(router, lane), here)
        hours = sea_km / sea_speed + transfer["port_h"] + land_km / road["speed_kmh"]
        usd = sea_km * sea_rate + transfer["port_usd"] + land_km * road["usd_per_teu_km"]
        edges.append(ProjectEdge(lane, land, sea_km + land_km, hours, usd))
    if not edges:
        msg = f"{where}: {point.name} is farther than {REACH_KM['rail']:g} km from any rail or road node"
        raise ValidationFailed(msg)
    return edges


def _line(
    router: Router,
    project: StudyProject,
    points: list[Waypoint],
    classes: dict[str, LinkClass],
    where: str,
    *,
    field: str = "via",
) -> list[ProjectEdge]:
    assert project.link_class is not None
    if project.link_class not in classes:
        known = ", ".join(sorted(classes)) or "none"
        msg = f"{where}: class {project.link_class!r} is not a link class of the cost model ({known})"
        raise ValidationFailed(msg)
    link_class = classes[project.link_class]
    if link_class.mode != project.mode:
        msg = f"{where}: class {project.link_class} runs on {link_class.mode}, the project on {project.mode}"
        raise ValidationFailed(msg)
    reach = REACH_KM[project.mode]
    # (node, km driven to it from the end when it is a terminal of the other land mode, place)
    joined: list[tuple[int | None, float | None, Waypoint]] = []
    for k, point in enumerate(points):
        node, km = _nearest(router, point, project.mode)
        if km <= reach:
            joined.append((node, None, point))
        elif k in (0, len(points) - 1):
            joined.append((*_terminal_end(router, project.mode, point, km, f"{where}: {field}"), point))
        else:
            joined.append((None, None, point))
    speed = router.per_mode[project.mode]["speed_kmh"]
    edges = []
    start, start_drive, start_point = joined[0]
    travelled = 0.0
    previous = (start_point.lat, start_point.lon)
    road = router.per_mode.get("road", {})
    for stop, stop_drive, point in joined[1:]:
        travelled += _km(previous, (point.lat, point.lon))
        previous = (point.lat, point.lon)
        if stop is None:
            continue  # the new line runs through a place the network does not reach
        assert start is not None
        if stop != start:
            crossed = router.crossing(start, stop, project.mode)
            hours = travelled / speed + (crossed.hours if crossed else 0.0)
            usd = travelled * link_class.usd_per_teu_km + (crossed.usd if crossed else 0.0)
            driven = 0.0
            for node, drive in ((start, start_drive), (stop, stop_drive)):
                if drive is not None:
                    # the drive between the line's end and the terminal, and the change of mode there
                    wait_h, charge = router.terminal(node)
                    hours += drive / road["speed_kmh"] + wait_h
                    usd += drive * road["usd_per_teu_km"] + charge
                    driven += drive
            edges.append(ProjectEdge(start, stop, travelled + driven, hours, usd))
        start, start_drive, travelled = stop, stop_drive, 0.0
    return edges


def _terminal_end(router: Router, mode: str, point: Waypoint, km: float, where: str) -> tuple[int, float]:
    """The node a line's end joins when its own mode's network lies beyond ``REACH_KM``, and the km
    driven to it: the nearest node of the other land mode within the distance the router serves a
    place from by road (``access_max_km``), as a railhead serves the roads around it; the drive and
    the change of mode are paid there. Else the error naming both distances."""
    other = "road" if mode == "rail" else "rail"
    if other not in router.per_mode or not router.transfer:
        raise _too_far(where, point, km, f"{mode} node", REACH_KM[mode])
    node, other_km = _nearest(router, point, other)
    limit = router.per_mode[other]["access_max_km"]
    if other_km > limit:
        msg = (
            f"{where}: {point.name} is {km:,.0f} km from the nearest {mode} node (at most "
            f"{REACH_KM[mode]:g} km) and {other_km:,.0f} km from the nearest {other} node (at most {limit:g} km)"
        )
        raise ValidationFailed(msg)
    return node, other_km
