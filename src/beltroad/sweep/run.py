"""Run a sweep: every project in every design, as Ray tasks, resumable, to Parquet and a summary.

The heavy part is done once, in the driver: the network, its routing hierarchy, the city cost
matrix and the costs between the cities and every link end of every project. Any set of projects
is then evaluated exactly from those matrices alone (``distances.through_links``), so a task is a
few hundred milliseconds of numpy over arrays Ray shares from its object store, and a task never
needs the network or the hierarchy itself.

Two designs, as in the study:

- ``isolation``: project k on today's network; its value is the land-value gain of
  MA(today + k) over MA(today);
- ``complement``: all projects built, less k; its value is the gain of MA(all) over MA(all − k),
  what k adds to the system.

Each finished task is written to ``tasks/`` in the output folder at once, so a killed sweep
resumes from what is there; a task that fails is reported with its inputs and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from beltroad._results import Result
from beltroad.errors import ValidationFailed
from beltroad.sweep.market_size import city_gdp, national_gdp
from beltroad.sweep.spec import SweepSpec
from beltroad.sweep.trade import TradeEffects, trade_effects
from beltroad.trade import Flows
from beltroad.transport import (
    UNITS_PER_USD,
    AccessParameters,
    Distances,
    ProjectEdge,
    Router,
    StudyProject,
    cities as largest_cities,
    generalised_cost,
    land_value,
    load_cost_set,
    log_change,
    market_access,
    open_router,
    project_edges,
    read_border_costs,
    study_projects,
    through_links,
)

#: the study's name for China, the group its shares single out
CHINA = "CHN"
#: the quickest door-to-door hours between the sweep's cities, without and with every project
Hours = tuple[NDArray[np.float64], NDArray[np.float64]]
POPULATION_LABEL = "population (GeoNames), the market size of each city; gains in population units"
GDP_LABEL = (
    "GDP in US dollars: each city's GeoNames population times its country's GDP per person "
    "(national GDP from the files in market_size, national population from GeoNames); gains in US dollars"
)


@dataclass
class ProjectLinks:
    """A project's edges in the sweep's cost, as indices into the ends of all projects' edges."""

    name: str
    countries: list[str]
    edges: list[tuple[int, int, float]]


@dataclass
class Prepared:
    """What every task shares: the city matrices and each project's links (no network)."""

    cities: list[str]
    countries: NDArray[np.str_]
    #: each city's GeoNames population (the market size, unless GDP is given)
    population: NDArray[np.float64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    mass: NDArray[np.float64]
    base: NDArray[np.float64]
    to_ends: NDArray[np.float64]
    from_ends: NDArray[np.float64]
    portal: NDArray[np.float64]
    projects: list[ProjectLinks]
    points: list[dict[str, float]]
    parameters: list[AccessParameters]
    #: the matrix with every project built (the complement design's baseline)
    everything: NDArray[np.float64] | None = None
    #: what ``mass`` is, and for GDP each country's figure with its file and method
    mass_label: str = POPULATION_LABEL
    market_size: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Task:
    design: str
    project: int

    @property
    def key(self) -> str:
        return f"{self.design}-{self.project:03d}"


@dataclass(frozen=True)
class ProjectValue(Result):
    """One project's value in one design at one point of the grid."""

    design: str
    project: str
    countries: list[str]
    point: dict[str, float]
    #: the land-value gain summed over the sweep's cities, in the unit of the market size
    value: float
    #: shares of the gain to the project's own countries, China and the rest
    share_own: float
    share_china: float
    share_rest: float
    #: the mean change of log market access, weighted by market size
    mean_dln_ma: float


@dataclass(frozen=True)
class SweepSummary(Result):
    """A sweep's headline, table and where its files are."""

    spec: str
    title: str
    cities: int
    mass: str
    #: for GDP, each country's national figure with its file, year and method
    market_size: list[dict[str, Any]]
    projects_modelled: int
    projects_not_modelled: list[dict[str, str]]
    tasks: int
    tasks_run: int
    tasks_resumed: int
    failures: list[dict[str, str]]
    table: list[dict[str, Any]]
    headline: str
    seconds: float
    out: str
    files: dict[str, str] = field(default_factory=dict)
    #: all projects together through trade costs and the general equilibrium (with ``flows``)
    trade: TradeEffects | None = None
    #: how border crossings were costed
    border_costs: str = ""


def _subset(shared: Prepared, chosen: list[int]) -> NDArray[np.float64]:
    """The city matrix with the projects ``chosen`` built: the ends they touch, re-indexed."""
    edges = [e for k in chosen for e in shared.projects[k].edges]
    if not edges:
        return shared.base
    ends = np.unique([x for a, b, _ in edges for x in (a, b)])
    local = {int(e): i for i, e in enumerate(ends)}
    return through_links(
        shared.base,
        shared.to_ends[:, ends],
        shared.from_ends[ends, :],
        shared.portal[np.ix_(ends, ends)],
        [(local[a], local[b], w) for a, b, w in edges],
    )


def evaluate(task: Task, shared: Prepared) -> list[dict[str, Any]]:
    """One project in one design, at every grid point: the gain per city, as rows."""
    everyone = list(range(len(shared.projects)))
    if task.design == "isolation":
        before, after = shared.base, _subset(shared, [task.project])
    else:
        assert shared.everything is not None
        before = _subset(shared, [k for k in everyone if k != task.project])
        after = shared.everything
    rows = []
    for point, p in zip(shared.points, shared.parameters, strict=True):
        ma0 = market_access(before, shared.mass, p)
        ma1 = market_access(after, shared.mass, p)
        gain = land_value(shared.mass, ma0, ma1, p)
        rows.append({"point": point, "gain": gain, "dln_ma": log_change(ma0, ma1)})
    return rows


def prepare(
    spec: SweepSpec,
    router: Router,
    projects: list[StudyProject],
    *,
    cities: int | None = None,
    gdp: list[Path] | None = None,
    with_hours: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[Prepared, list[dict[str, str]], Hours | None]:
    """The shared matrices of a sweep, and the projects left out with the reason for each; with
    ``gdp`` files each city's market size is its share of national GDP (``market_size``); with
    ``with_hours`` also the hours between the cities without and with every project, which the
    trade step needs and the tasks do not (so they stay out of ``Prepared``)."""
    say = progress or (lambda _m: None)
    costs = load_cost_set(spec.costs)
    params = spec.market_access.parameters()
    left_out: list[dict[str, str]] = []
    drawn: list[tuple[StudyProject, list[ProjectEdge]]] = []
    for project in projects:
        if not project.modelled:
            left_out.append({"project": project.name, "why": project.why or ""})
            continue
        try:
            drawn.append((project, project_edges(router, project, costs.classes)))
        except ValidationFailed as exc:
            left_out.append({"project": project.name, "why": str(exc)})
    if not drawn:
        msg = "no project of the sweep could be drawn on the network: " + "; ".join(
            e["why"] for e in left_out[:3]
        )
        raise ValidationFailed(msg)
    say(f"{len(drawn)} projects drawn, {len(left_out)} left out")
    countries = (
        sorted({c for p, _ in drawn for c in p.countries}) if spec.countries == "study" else spec.countries
    )
    places, population = largest_cities(countries, limit=cities or spec.cities)
    net = router.network
    reach = router.per_mode[router.entry_mode]["access_max_km"]
    snapped = [net.nearest(p.lat, p.lon) for p in places]
    kept = [k for k, (_n, km) in enumerate(snapped) if km <= reach]
    nodes = np.array([snapped[k][0] for k in kept], dtype=np.int64)
    say(f"{len(kept)} cities of {len(countries)} countries")
    city_countries = np.array([places[k].ref.split(":")[1] for k in kept])
    people = np.array([population[k] for k in kept], dtype=float)
    mass = people
    label, sizes = POPULATION_LABEL, []
    if gdp:
        national = national_gdp(gdp, sorted(set(city_countries.tolist())))
        mass = city_gdp(mass, city_countries, national)
        label = GDP_LABEL
        sizes = [
            {"country": g.country, "gdp_usd": g.usd, "year": g.year, "file": g.file, "method": g.method}
            for g in national.values()
        ]
    tvh = params.time_usd_per_hour
    distances = Distances(generalised_cost(router.usd, router.hours, tvh), net, units_per=UNITS_PER_USD)
    weighted = [(p, [(e.u, e.v, e.usd + e.hours * tvh) for e in edges]) for p, edges in drawn]
    ends = np.unique([x for _p, edges in weighted for u, v, _w in edges for x in (u, v)])
    where = {int(e): i for i, e in enumerate(ends)}
    say(f"cost matrix of {len(kept)} cities and {len(ends)} link ends ({distances.engine})")
    base = distances.square(nodes)
    prepared = Prepared(
        cities=[places[k].name for k in kept],
        countries=city_countries,
        population=people,
        lat=np.array([places[k].lat for k in kept]),
        lon=np.array([places[k].lon for k in kept]),
        mass=mass,
        base=base,
        to_ends=distances.between(nodes, ends),
        from_ends=distances.between(ends, nodes),
        portal=distances.between(ends, ends),
        projects=[
            ProjectLinks(p.name, list(p.countries), [(where[u], where[v], w) for u, v, w in edges])
            for p, edges in weighted
        ],
        points=spec.points(),
        parameters=[spec.market_access.parameters(**point) for point in spec.points()],
        mass_label=label,
        market_size=sizes,
    )
    if "complement" in spec.designs:
        prepared.everything = _subset(prepared, list(range(len(prepared.projects))))
    hours = None
    if with_hours:
        say("hours between the cities, without and with every project")
        hour_edges = [(where[e.u], where[e.v], e.hours) for _p, edges in drawn for e in edges]
        hours = _hours(Distances(router.hours, net), nodes, ends, hour_edges)
    return prepared, left_out, hours


def _hours(
    timed: Distances, nodes: NDArray[np.int64], ends: NDArray[np.int64], edges: list[tuple[int, int, float]]
) -> Hours:
    """The quickest hours between the cities, without and with every project's edges."""
    before = timed.square(nodes)
    after = through_links(
        before, timed.between(nodes, ends), timed.between(ends, nodes), timed.between(ends, ends), edges
    )
    return before, after


def _value(design: str, shared: Prepared, k: int, row: dict[str, Any]) -> ProjectValue:
    gain = np.asarray(row["gain"], dtype=float)
    total = float(gain.sum())
    own = np.isin(shared.countries, shared.projects[k].countries)
    china = (shared.countries == CHINA) & ~own
    rest = ~own & ~china

    def share(mask: NDArray[np.bool_]) -> float:
        return float(gain[mask].sum() / total) if total else 0.0

    mass = shared.mass
    return ProjectValue(
        design=design,
        project=shared.projects[k].name,
        countries=shared.projects[k].countries,
        point=dict(row["point"]),
        value=total,
        share_own=share(own),
        share_china=share(china),
        share_rest=share(rest),
        mean_dln_ma=float((np.asarray(row["dln_ma"]) * mass).sum() / mass.sum()),
    )


def run_sweep(
    spec: SweepSpec,
    data_dir: Path,
    out: Path,
    *,
    address: str | None = None,
    workers: int | None = None,
    cities: int | None = None,
    limit_projects: int | None = None,
    gdp: list[Path] | None = None,
    border_costs: Path | None = None,
    flows: Flows | None = None,
    flows_caveat: str | None = None,
    fresh: bool = False,
    progress: Callable[[int, int], None] | None = None,
    say: Callable[[str], None] | None = None,
) -> SweepSummary:
    """Evaluate every project of ``spec`` in each of its designs on Ray; files under ``out``.

    Parameters
    ----------
    spec
        The sweep (``load_spec``).
    data_dir
        beltroad's data folder (its ``transport`` folder caches the networks).
    out
        The sweep's folder: ``tasks/`` (one file a finished task, what a rerun resumes from),
        ``cities.parquet`` (the gain per city, project, design and grid point), ``projects.parquet``
        and ``summary.json``, and ``cities.geojson`` (the gain of all projects together, per city).
    address, workers
        An existing Ray cluster, or the CPUs of a local one (default: all).
    cities, limit_projects
        Fewer cities or only the first projects, for a quick look.
    gdp
        National GDP files (``sweep.market_size``): market size becomes each city's share of its
        country's GDP, and gains are in US dollars. Without them it is population.
    border_costs
        Per-country border hours and fees (``transport.read_border_costs``; the study's Doing
        Business figures) in place of the cost model's one figure per crossing.
    flows
        One year of a world panel with domestic sales: all projects together are then also run
        through shipment times, trade costs and the general equilibrium (``sweep.trade``), beside
        the World Bank's published ranges (``trade.json``); ``flows_caveat`` is what a reader
        must know of them (intermediate trade only), kept with the figures.
    fresh
        Start again even where ``out`` holds finished tasks of the same spec.
    progress
        Called with (tasks done, tasks in all).

    Raises
    ------
    ValidationFailed
        ``out`` holds tasks of another spec (and ``fresh`` is not set), or nothing can be drawn.
    ComputeFailed
        The Ray cluster cannot be started or reached.
    """
    from beltroad.compute import TaskFailure, run_tasks

    started = time.perf_counter()
    log = say or (lambda _m: None)
    tasks_dir = out / "tasks"
    key = {
        "spec": spec.digest(),
        "cities": cities or spec.cities,
        "projects": limit_projects,
        "gdp": [_file_digest(p, "GDP") for p in gdp or []],
        "borders": _file_digest(border_costs, "border-costs") if border_costs else None,
    }
    stamp = out / "sweep.json"
    if fresh and tasks_dir.exists():
        for part in tasks_dir.glob("*.parquet"):
            part.unlink()
    finished = tasks_dir.exists() and any(tasks_dir.glob("*.parquet"))
    if stamp.exists() and finished and json.loads(stamp.read_text()) != key:
        msg = (
            f"{out} holds tasks of another sweep (other spec, cities, projects, GDP or border costs); "
            "pass --fresh or another --out"
        )
        raise ValidationFailed(msg)
    tasks_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(key))

    costs = load_cost_set(spec.costs)
    borders = read_border_costs(border_costs) if border_costs else None
    router = open_router(spec.mode, data_dir / "transport", costs.overrides(spec.mode), borders)
    projects = study_projects(None if spec.projects == "study" else Path(spec.projects))
    if limit_projects:
        projects = projects[:limit_projects]
    shared, left_out, hours = prepare(
        spec, router, projects, cities=cities, gdp=gdp, with_hours=flows is not None, progress=log
    )
    trade: TradeEffects | None = None
    if hours is not None and flows is not None:
        log(f"shipment times, trade costs and general equilibrium on {flows.source}")
        trade = trade_effects(*hours, shared.population, shared.countries, flows, caveat=flows_caveat)
        (out / "trade.json").write_text(json.dumps(trade.to_json(), indent=1))

    tasks = [Task(design, k) for design in spec.designs for k in range(len(shared.projects))]
    done = {p.stem for p in tasks_dir.glob("*.parquet")}
    todo = [t for t in tasks if t.key not in done]
    log(f"{len(tasks)} tasks, {len(tasks) - len(todo)} already done")

    def keep(index: int, rows: list[dict[str, Any]]) -> None:
        _write_part(tasks_dir, todo[index], rows)

    failures: list[dict[str, str]] = []
    if todo:
        results = run_tasks(
            evaluate,
            todo,
            shared,
            address=address,
            workers=workers,
            progress=progress,
            on_result=keep,
            keep_going=True,
        )
        for task, result in zip(todo, results, strict=True):
            if isinstance(result, TaskFailure):
                failures.append(
                    {
                        "design": task.design,
                        "project": shared.projects[task.project].name,
                        "error": result.error,
                    }
                )
    summary = _assemble(spec, shared, tasks, tasks_dir=tasks_dir, out=out, left_out=left_out, failures=failures)
    return SweepSummary(
        **{**summary, "tasks_run": len(todo) - len(failures), "tasks_resumed": len(tasks) - len(todo)},
        seconds=round(time.perf_counter() - started, 1),
        trade=trade,
        border_costs=(
            f"per-country border hours and fees from {border_costs.name} (export side + import side)"
            if border_costs
            else "the cost model's one figure per border crossing"
        ),
    )


def _file_digest(path: Path, what: str) -> str:
    if not path.is_file():
        msg = f"{path}: no such {what} file"
        raise ValidationFailed(msg)
    return hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()


def _write_part(folder: Path, task: Task, rows: list[dict[str, Any]]) -> None:
    """One finished task as a Parquet file, whole or not at all (a killed run leaves none half)."""
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "point": json.dumps(r["point"], sort_keys=True),
                    "city": np.arange(len(r["gain"])),
                    "gain": np.asarray(r["gain"], dtype=float),
                    "dln_ma": np.asarray(r["dln_ma"], dtype=float),
                }
            )
            for r in rows
        ],
        ignore_index=True,
    )
    partial = folder / f".{task.key}.{os.getpid()}.partial"
    frame.to_parquet(partial, index=False)
    partial.replace(folder / f"{task.key}.parquet")


def _assemble(
    spec: SweepSpec,
    shared: Prepared,
    tasks: list[Task],
    *,
    tasks_dir: Path,
    out: Path,
    left_out: list[dict[str, str]],
    failures: list[dict[str, str]],
) -> dict[str, Any]:
    """The per-city file, the per-project table, the map and the headline, from the task files."""
    frames = []
    values: list[ProjectValue] = []
    for task in tasks:
        part = tasks_dir / f"{task.key}.parquet"
        if not part.exists():
            continue
        frame = pd.read_parquet(part)
        frame.insert(0, "project", shared.projects[task.project].name)
        frame.insert(0, "design", task.design)
        frames.append(frame)
        for point, group in frame.groupby("point", sort=False):
            row = {
                "point": json.loads(str(point)),
                "gain": group["gain"].to_numpy(),
                "dln_ma": group["dln_ma"].to_numpy(),
            }
            values.append(_value(task.design, shared, task.project, row))
    cities = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(cities):
        cities["city_name"] = [shared.cities[i] for i in cities["city"]]
        cities["country"] = shared.countries[cities["city"].to_numpy()]
    cities.to_parquet(out / "cities.parquet", index=False)
    projects = pd.DataFrame([{**v.to_json(), "point": json.dumps(v.point, sort_keys=True)} for v in values])
    projects.to_parquet(out / "projects.parquet", index=False)
    table = _table(values, spec.points()[0])
    headline = _headline(table)
    (out / "cities.geojson").write_text(json.dumps(_map(shared, spec)))
    result = {
        "spec": spec.id,
        "title": spec.title,
        "cities": len(shared.cities),
        "mass": shared.mass_label,
        "market_size": shared.market_size,
        "projects_modelled": len(shared.projects),
        "projects_not_modelled": left_out,
        "tasks": len(tasks),
        "failures": failures,
        "table": table,
        "headline": headline,
        "out": str(out),
        "files": {
            name: str(out / name)
            for name in ("cities.parquet", "projects.parquet", "cities.geojson", "summary.json")
        },
    }
    (out / "summary.json").write_text(json.dumps(result, indent=1, default=float))
    return result


def _table(values: list[ProjectValue], point: dict[str, float]) -> list[dict[str, Any]]:
    """The paper's table at the spec's own point: each project's value alone and in the system,
    their ratio, and the shares of the value alone."""
    chosen = [v for v in values if v.point == point]
    by_project: dict[str, dict[str, Any]] = {}
    for v in chosen:
        row = by_project.setdefault(v.project, {"project": v.project, "countries": " ".join(v.countries)})
        row[v.design] = v.value
        if v.design == "isolation":
            row.update(share_own=v.share_own, share_china=v.share_china, share_rest=v.share_rest)
    for row in by_project.values():
        alone, system = row.get("isolation"), row.get("complement")
        row["ratio"] = system / alone if alone is not None and alone > 1e-6 and system is not None else None
    return sorted(by_project.values(), key=lambda r: -(r.get("isolation") or r.get("complement") or 0.0))


def _headline(table: list[dict[str, Any]]) -> str:
    both = [r for r in table if r.get("ratio") is not None]
    if not both:
        return f"{len(table)} projects evaluated"
    more = sum(1 for r in both if r["ratio"] > 1)
    return (
        f"{more} of {len(both)} projects are worth more as part of the whole set than alone "
        f"(complements), {len(both) - more} less (substitutes)"
    )


def _map(shared: Prepared, spec: SweepSpec) -> dict[str, Any]:
    """Per city: the change of market access and the gain with every project built."""
    everything = (
        shared.everything
        if shared.everything is not None
        else _subset(shared, list(range(len(shared.projects))))
    )
    p = shared.parameters[0]
    ma0 = market_access(shared.base, shared.mass, p)
    ma1 = market_access(everything, shared.mass, p)
    gain, change = land_value(shared.mass, ma0, ma1, p), log_change(ma0, ma1)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(shared.lon[i]), float(shared.lat[i])]},
            "properties": {
                "city": shared.cities[i],
                "country": str(shared.countries[i]),
                "mass": float(shared.mass[i]),
                "dln_ma": float(change[i]),
                "gain": float(gain[i]),
            },
        }
        for i in range(len(shared.cities))
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "sweep": spec.id,
        "design": "all projects built",
    }
