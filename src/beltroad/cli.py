"""The ``beltroad`` command: thin commands over the store, importers and the web app.

Errors a user can fix (``BeltroadError``) are printed as one line and exit with status 1; a
traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from beltroad import __version__
from beltroad.errors import BeltroadError, ValidationFailed
from beltroad.settings import Settings

app = typer.Typer(
    name="beltroad",
    help="A sourced knowledge base and models of economic cooperation under the Belt and Road Initiative.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create, load and check the database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
network_app = typer.Typer(
    help="The friendship-city network: places partnered with places.", no_args_is_help=True
)
app.add_typer(network_app, name="network")
trade_app = typer.Typer(
    help="Bilateral trade data: import (BACI, Comtrade, any panel) to Parquet, series and partners.",
    no_args_is_help=True,
)
app.add_typer(trade_app, name="trade")
gravity_app = typer.Typer(
    help="Structural gravity: PPML estimates and general-equilibrium counterfactuals.", no_args_is_help=True
)
app.add_typer(gravity_app, name="gravity")
scenario_app = typer.Typer(help="Infrastructure scenarios: what a new link changes.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")
report_app = typer.Typer(help="Self-contained reports to attach to a paper.", no_args_is_help=True)
app.add_typer(report_app, name="report")
user_app = typer.Typer(
    help="Editors' accounts: the tokens that allow writing through the API.", no_args_is_help=True
)
app.add_typer(user_app, name="user")

out = Console(soft_wrap=True)
err = Console(stderr=True)


class State:
    settings: Settings = Settings()
    debug: bool = False


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]


def _engine() -> Any:
    from beltroad.store import engine_from_url

    return engine_from_url(State.settings.resolved_database_url())


def _ready_engine() -> Any:
    from beltroad.store import require_store

    engine = _engine()
    require_store(engine)
    return engine


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _cites_text(cites: list[dict[str, Any]], limit: int = 3) -> str:
    parts = [f"{c['source']} ({c['locator']})" for c in cites[:limit]]
    if len(cites) > limit:
        parts.append(f"+{len(cites) - limit} more")
    return "; ".join(parts)


@app.callback()
def main_callback(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: BELTROAD_DATABASE_URL or var/beltroad.sqlite)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"beltroad {__version__}")
        raise typer.Exit
    State.settings = Settings(database_url=db) if db else Settings()
    State.debug = debug


@db_app.command("init")
def db_init(json_out: JsonFlag = False) -> None:
    """Create or upgrade the schema and (re)load the curated knowledge base."""
    from beltroad.store import load_knowledge_base, migrate
    from beltroad.store.queries import counts_by_kind

    engine = _engine()
    migrate(engine)
    written = load_knowledge_base(engine)
    with engine.connect() as conn:
        counts = counts_by_kind(conn)
    url = engine.url.render_as_string(hide_password=True)
    if json_out:
        _print_json({"database": url, "curated_records": written, "records_by_kind": counts})
        return
    out.print(f"[green]ok[/] {url}: {written} curated records loaded")
    out.print(", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


@db_app.command("check")
def db_check(json_out: JsonFlag = False) -> None:
    """Check every record is cited and valid, every link resolves and every point is in its country."""
    from beltroad.store.check import check_store

    engine = _ready_engine()
    with engine.connect() as conn:
        report = check_store(conn)
    if json_out:
        _print_json(report)
    else:
        out.print(
            f"{report['records']} records, {report['citations']} citations, {report['sources']} sources"
        )
        uncited = sum(1 for p in report["problems"] if p["check"] == "cited")
        out.print(
            f"uncited records: {uncited}; points outside their country: {report['points_outside_country']}"
        )
        for p in report["problems"][:50]:
            out.print(f"[red]{p['check']}[/] {p['record']}: {p['message']}")
        if len(report["problems"]) > 50:
            out.print(f"… and {len(report['problems']) - 50} more (use --json for all)")
        out.print("[green]ok[/]" if report["ok"] else f"[red]{len(report['problems'])} problem(s)[/]")
    if not report["ok"]:
        raise typer.Exit(1)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The editor's name, as shown in the audit trail.")],
    role: Annotated[str, typer.Option(help="The account's role.")] = "editor",
    json_out: JsonFlag = False,
) -> None:
    """Create an editor and print their API token (shown once; only its hash is stored)."""
    from beltroad.store.editing import add_user

    engine = _ready_engine()
    with engine.begin() as conn:
        token = add_user(conn, name, role)
    if json_out:
        _print_json({"name": name, "role": role, "token": token})
        return
    out.print(f"created {role} {name!r}; their token (shown only now):")
    out.print(token, markup=False, highlight=False)


@user_app.command("list")
def user_list(json_out: JsonFlag = False) -> None:
    """List editors (names, roles, dates; never tokens)."""
    from beltroad.store.editing import list_users

    engine = _ready_engine()
    with engine.connect() as conn:
        users = list_users(conn)
    if json_out:
        _print_json(users)
        return
    for u in users:
        out.print(
            f"{u['name']}  {u['role']}  since {u['created_at']}{'' if u['active'] else '  (inactive)'}",
            markup=False,
        )


def _records_table(items: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in ("id", "name", "kind", "date", "countries", "sources"):
        table.add_column(col, overflow="fold")
    for item in items:
        kind = item["kind"] + (f"/{item['subkind']}" if item.get("subkind") else "")
        date = (item.get("date") or "")[: {"year": 4, "month": 7}.get(item.get("date_precision") or "", 10)]
        table.add_row(
            item["id"],
            item["name"],
            kind,
            date,
            " ".join(item["countries"]),
            _cites_text(item["citations"], 2),
        )
    return table


@app.command("list")
def list_cmd(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="place, actor, event, partnership, agreement, project, corridor, connectivity, strategy or observation; all kinds if left out."
        ),
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 code, e.g. BLR.")] = None,
    corridor: Annotated[str | None, typer.Option(help="Corridor id, e.g. cpec.")] = None,
    subkind: Annotated[
        str | None, typer.Option("--kind", help="Sub-kind, e.g. cbecz, bridge, city, trade_value.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only records dated on or after YYYY[-MM[-DD]].")] = None,
    until: Annotated[str | None, typer.Option(help="Only records dated on or before YYYY[-MM[-DD]].")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    json_out: JsonFlag = False,
) -> None:
    """List records with their citations, filtered by kind, country, corridor, sub-kind and date."""
    from beltroad.store.queries import list_records

    engine = _ready_engine()
    with engine.connect() as conn:
        result = list_records(
            conn,
            kind,
            country=country,
            corridor=corridor,
            subkind=subkind,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
    if json_out:
        _print_json(result)
        return
    shown = len(result["items"])
    out.print(_records_table(result["items"], f"{kind or 'records'}: {shown} of {result['total']}"))


@app.command("show")
def show_cmd(
    id_or_name: Annotated[str, typer.Argument(help="A record id, or a name or alias.")],
    json_out: JsonFlag = False,
) -> None:
    """Show one record: every field, its citations with locators, and linked records."""
    from beltroad.store.queries import get_record, resolve

    engine = _ready_engine()
    with engine.connect() as conn:
        record = get_record(conn, resolve(conn, id_or_name))
    if json_out:
        _print_json(record)
        return
    out.print(f"[bold]{record['name']}[/]  [dim]{record['id']} · {record['kind']}[/]")
    skip = {"id", "name", "cite"}
    for key, value in record["data"].items():
        if key in skip:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.print(f"  [cyan]{key}[/]:")
            for item in value:
                cites = item.get("cite", [])
                body = {k: v for k, v in item.items() if k != "cite"}
                loc = "; ".join(f"{c['source']}" for c in cites)
                out.print(f"    - {json.dumps(body, ensure_ascii=False)}  [dim]{loc}[/]")
        else:
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
            out.print(f"  [cyan]{key}[/]: {shown}")
    out.print("  [cyan]citations[/]:")
    for c in record["citations"]:
        extra = f" — via {c['via']}" if c.get("via") else ""
        what = f" [{c['path']}]" if c["path"] != "cite" else ""
        out.print(f"    - {c['source']}: {c['locator']}{extra}{what}")
    if record["links"]:
        out.print("  [cyan]links[/]:")
        for link in record["links"]:
            out.print(
                f"    - {link['rel']} → {link['id']} ({link['kind'] or 'missing'}: {link['name'] or '?'})"
            )
    if record["linked_from"]:
        out.print("  [cyan]linked from[/]:")
        for link in record["linked_from"][:30]:
            out.print(f"    - {link['id']} ({link['kind']}: {link['name']}) via {link['rel']}")


@app.command("search")
def search_cmd(
    text: Annotated[str, typer.Argument(help="Words to find in names, aliases, summaries and notes.")],
    kind: Annotated[str | None, typer.Option(help="Only this kind of record.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    json_out: JsonFlag = False,
) -> None:
    """Full-text search over every record; hits carry their citations."""
    from beltroad.store.queries import search_records

    engine = _ready_engine()
    with engine.connect() as conn:
        hits = search_records(conn, text, kind=kind, limit=limit)
    if json_out:
        _print_json({"query": text, "items": hits})
        return
    if not hits:
        out.print(f"no record matches {text!r}")
        return
    out.print(_records_table(hits, f"{len(hits)} hit(s) for {text!r}"))


@app.command("profile")
def profile_cmd(
    name: Annotated[str, typer.Argument(help="A project or partnership: id, name or alias; or a place.")],
    other: Annotated[
        str | None, typer.Argument(help="A second place: profiles the cooperation between the two.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """The cooperation profile: strategies served, partnership chain, fields, connectivities, type."""
    from beltroad.analysis.cooperation import profile_cooperation

    engine = _ready_engine()
    with engine.connect() as conn:
        profile = profile_cooperation(conn, name, other)
    if json_out:
        _print_json(profile)
        return
    out.print(
        f"[bold]{profile['name']}[/]  [dim]{profile['id']} · {profile['kind']} · {' '.join(profile['countries'])}[/]"
    )
    out.print(
        f"type: [bold]{profile['type']['name']}[/]"
        + (f" — {'; '.join(profile['type']['because'])}" if "because" in profile["type"] else "")
    )
    for number, item in enumerate(profile["characteristics"], 1):
        mark = "[green]yes[/]" if item["holds"] else "[red]no[/]"
        out.print(f"{number}. {mark} {escape(item['statement'])}")
    out.print("chain:")
    for link in profile["partnership_chain"]["links"]:
        cites = "; ".join(f"{c['source']} {c['locator']}" for c in link["citations"][:3])
        out.print(
            f"  {link['role']:11} {link['date'] or 'undated':8} {link['name']}  [dim]{link['level'] or ''} · {escape(cites)}[/]"
        )
    for lag in profile["partnership_chain"]["lags"]:
        out.print(f"  lag {lag['from']} → {lag['to']}: {lag['years']} year(s)")
    f = profile["fields"]
    out.print(
        f"fields: {', '.join(f['fields']) or '—'} (economic: {', '.join(f['economic']) or '—'}; Shannon {f['shannon']})"
    )
    out.print(
        "connectivities: "
        + (", ".join(f"{c['name']} ({c['basis']})" for c in profile["connectivities"]) or "—")
    )
    if profile["gaps"]:
        out.print("[yellow]gaps:[/] " + "; ".join(profile["gaps"]))


@app.command("compare")
def compare_cmd(
    names: Annotated[list[str], typer.Argument(help="Two or more projects or partnerships.")],
    json_out: JsonFlag = False,
) -> None:
    """Compare cooperation cases side by side, each with its type and why."""
    from beltroad.analysis.cooperation import compare_cooperation

    engine = _ready_engine()
    with engine.connect() as conn:
        result = compare_cooperation(conn, names)
    if json_out:
        _print_json({k: v for k, v in result.items() if k != "profiles"})
        return
    table = Table(
        title=f"{len(result['cases'])} cases, {result['distinct_types']} type(s)", header_style="bold"
    )
    for col in ("case", "type", "why", "strategies", "partnership", "multi-field"):
        table.add_column(col, overflow="fold")
    for case in result["cases"]:
        t = case["type"]
        why = "; ".join(t.get("because", [])) or "; ".join(
            f"{k}: {', '.join(v)}" for k, v in t.get("misses", {}).items()
        )
        ch = case["characteristics"]
        table.add_row(
            case["name"],
            t["name"],
            why,
            *(
                "yes" if ch[k] else "no"
                for k in ("serves-strategies", "partnership-support", "multi-field-economic-core")
            ),
        )
    out.print(table)


@network_app.command("stats")
def network_stats_cmd(
    top: Annotated[int, typer.Option(min=1, max=500, help="How many places to list per ranking.")] = 15,
    betweenness: Annotated[bool, typer.Option(help="Also rank by betweenness (the slowest measure).")] = True,
    charts: Annotated[
        Path | None, typer.Option("--charts", help="Also write the charts (PNG and SVG) into this folder.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Degree, centrality, components, communities, pairs per country and BRI status, distances."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from beltroad.analysis.partner_network import STEPS, network_statistics

    engine = _ready_engine()
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=json_out) as bar:
        task = bar.add_task("network statistics", total=len(STEPS))

        def step(name: str) -> None:
            bar.update(task, description=name, completed=STEPS.index(name))

        with engine.connect() as conn:
            stats = network_statistics(conn, top=top, betweenness=betweenness, step=step)
        bar.update(task, description="done", completed=len(STEPS))
    if charts is not None:
        from beltroad.analysis.charts import write_network_charts

        stats["charts"] = [str(p) for p in write_network_charts(stats, charts)]
    if json_out:
        _print_json(stats)
        return
    out.print(
        f"{stats['places']} places, {stats['partnerships']} partnerships; {stats['components']} components "
        f"(largest {stats['largest_component']}); {stats['communities']['count']} communities "
        f"(modularity {stats['communities']['modularity']})"
    )
    provinces = ", ".join(f"{p['name']} ({p['pairs']})" for p in stats["top_provinces_china"])
    out.print(f"most partnered provinces of China: {provinces or '—'}", markup=False)
    for key, title in (
        ("top_degree", "most partnered places"),
        ("top_degree_china", "most partnered places in China"),
        ("top_pagerank", "PageRank"),
        ("top_betweenness", "betweenness"),
    ):
        if key in stats:
            out.print(
                f"{title}: " + ", ".join(f"{p['name']} ({p['country']}, {p['value']:g})" for p in stats[key]),
                markup=False,
            )
    out.print(
        "pairs per country: " + ", ".join(f"{c['country']} {c['pairs']}" for c in stats["pairs_per_country"])
    )
    if "pairs_with_china_by_bri_status" in stats:
        bri = stats["pairs_with_china_by_bri_status"]
        out.print(
            f"pairs with China: partner signed a BRI document {bri['partner_signed']}, not {bri['partner_not_signed']}"
        )
    d = stats["distance_km"]
    out.print(
        f"distance: median {d['median']} km, mean {d['mean']} km; "
        + ", ".join(f"{b['from_km']}–{b['to_km']} km: {b['pairs']}" for b in d["histogram"])
    )
    if stats.get("charts"):
        out.print("charts: " + ", ".join(stats["charts"]), markup=False)


@app.command("route")
def route_cmd(
    origin: Annotated[
        str, typer.Argument(metavar="FROM", help="A place: knowledge-base name or id, or a city.")
    ],
    destination: Annotated[str, typer.Argument(metavar="TO", help="A place, as FROM.")],
    mode: Annotated[str, typer.Option(help="rail, road, sea or multimodal (the fastest mix).")] = "rail",
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="Override a parameter: NAME=NUMBER (border_crossing_h=24); multimodal: MODE.NAME=NUMBER "
            "(road.speed_kmh=50, transfer.port_h=48).",
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            help="A scenario id or YAML file: the route with its links, and the time saved against "
            "the network without them."
        ),
    ] = None,
    geojson: Annotated[
        Path | None, typer.Option(help="Also write the route as GeoJSON to this file.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """The route between two places: distance, time, cost, legs, border crossings, geometry."""
    from beltroad.transport.network import MODES, load
    from beltroad.transport.routing import Router, resolve_endpoint

    if mode not in MODES:
        msg = f"unknown mode {mode!r}; choose one of {', '.join(MODES)}"
        raise ValidationFailed(msg)
    engine = _ready_engine()
    with engine.connect() as conn:
        start, end = resolve_endpoint(conn, origin), resolve_endpoint(conn, destination)
    with err.status(f"loading the {mode} network (built and cached on first use)…"):
        network = load(mode, State.settings.data_dir / "transport")
    router = Router(network, _assignments(param, "--param"))
    if scenario is None:
        result = router.route(start, end)
    else:
        from beltroad.transport.scenario import load_scenario, scenario_route

        result = scenario_route(router, load_scenario(scenario), start, end)
    if geojson is not None:
        geojson.write_text(json.dumps(result["geometry"]), encoding="utf-8")
    if json_out:
        _print_json(result)
        return
    t_h = result["time_h"]
    out.print(
        f"{result['from']['name']} → {result['to']['name']} by {mode}: {result['distance_km']:,.0f} km, "
        f"{result['days']:.1f} days ({t_h['moving']:.0f} h moving, {t_h['border']:.0f} h at borders, "
        f"{t_h['transfer']:.0f} h transfers), about USD {result['cost_usd_per_teu']:,.0f} per TEU",
        markup=False,
    )
    split = result["cost_usd_split"]
    if split["border"] or split["transfer"]:
        out.print(
            f"cost: USD {split['haulage']:,.0f} haulage, {split['border']:,.0f} at borders, "
            f"{split['transfer']:,.0f} at transfers",
            markup=False,
        )
    if len(result["distance_by_mode_km"]) > 1:
        shares = ", ".join(f"{m} {km:,.0f} km" for m, km in result["distance_by_mode_km"].items())
        out.print(f"by mode: {shares}", markup=False)
    out.print("through " + " → ".join(result["countries"]), markup=False)
    for c in result["mode_changes"]:
        port = c.get("dry_port")
        own = f"; {port['handling']}, {port['cite'][0]['publisher']}" if port and "handling" in port else ""
        out.print(
            f"  change {c['from_mode']} → {c['to_mode']} at {c['at']} ({c['h']:.0f} h{own})", markup=False
        )
    for c in result["border_crossings"]:
        gauge = "; gauge change" if c["gauge_break"] else ""
        seen = c.get("measured")
        measured = (
            f"; measured {seen['hours']:g} h to clear at {seen['place']} ({seen['direction']}, "
            f"{seen['year']}, {seen['source']['publisher']})"
            if seen
            else ""
        )
        if seen and "gauge_change" in seen:
            fee = seen["gauge_change"]
            measured += f"; gauge change USD {fee['usd']:g} at {fee['at']} ({fee['year']})"
        out.print(
            f"  border {c['from_country']} → {c['to_country']} by {c['mode']} near {c['near']}{gauge}{measured}",
            markup=False,
        )
    for a in result["access"]:
        out.print(f"  access: {a['km']} km to the network at {a['place']}", markup=False)
    if "scenario" in result:
        sc = result["scenario"]
        before = (
            f"{sc['hours_before']:,.1f} h and {sc['km_before']:,.0f} km without it"
            if sc["hours_before"] is not None
            else "no route without it"
        )
        gain = f", {sc['hours_saved']:,.1f} h saved" if sc["hours_saved"] is not None else ""
        uses = "uses" if sc["uses_new_links"] else "does not use"
        out.print(
            f"with {sc['name']}: {sc['hours_after']:,.1f} h, {sc['km_after']:,.0f} km ({uses} its links; "
            f"{before}{gain})",
            markup=False,
        )


@scenario_app.command("list")
def scenario_list_cmd(json_out: JsonFlag = False) -> None:
    """The scenarios shipped with beltroad."""
    from beltroad.transport.scenario import shipped_scenarios

    found = shipped_scenarios()
    if json_out:
        _print_json([s.model_dump(by_alias=True) for s in found])
        return
    for sc in found:
        out.print(f"{sc.id}: {sc.name} (project {sc.project}; {', '.join(sc.countries)})", markup=False)


def _trade_weights(name: str, places: list[Any]) -> Any:
    """Trade between the places' countries in a data set's latest year, for per-country weights."""
    from beltroad.trade.panel import dataset, pair_totals
    from beltroad.transport.scenario import TradeWeights

    ds = dataset(State.settings.data_dir, name)
    year, totals = pair_totals(ds, sorted({p.ref.split(":")[1] for p in places}))
    if year is None:
        msg = f"trade data set {name!r} has no trade between the scenario's countries"
        raise ValidationFailed(msg)
    return TradeWeights(f"{ds.name}, {year}", totals)


@scenario_app.command("run")
def scenario_run_cmd(
    name: Annotated[str, typer.Argument(help="A shipped scenario id or a scenario YAML file.")],
    cities: Annotated[
        int | None,
        typer.Option(
            min=2,
            max=5000,
            help="Pair the N largest cities of the scenario's countries (or --country's). Default: every "
            "city of 500,000 people or more in the countries of the six corridors and of the scenario.",
        ),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="ISO3 countries whose cities to pair (default: the scenario's)."),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="How many improved pairs to list.")] = 15,
    trade_weights: Annotated[
        str | None,
        typer.Option(
            help="An imported trade data set (`beltroad trade datasets`): weight each country's partners by "
            "their trade in its latest year instead of by population."
        ),
    ] = None,
    chart: ChartOpt = None,
    geojson: Annotated[
        Path | None, typer.Option(help="Write the improved pairs as a GeoJSON map layer.")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Origin-destination times before and after, per pair, per country and for the scenario's highlights."""
    from sqlalchemy import select

    from beltroad.store import tables as t
    from beltroad.transport.network import load
    from beltroad.transport.routing import Router
    from beltroad.transport.scenario import DEFAULT_MIN_POPULATION, load_scenario, run_scenario
    from beltroad.transport.scenario import cities as largest_cities

    scenario = load_scenario(name)
    engine = _ready_engine()
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.records.c.id, t.records.c.name, t.records.c.data).where(
                t.records.c.kind == "corridor", t.records.c.retired.is_(False)
            )
        )
        corridors = [
            {"id": rid, "name": nm, "countries": data.get("countries") or []} for rid, nm, data in rows
        ]
    if cities is None and not country:
        chosen = sorted({c for k in corridors for c in k["countries"]} | set(scenario.countries))
        places, weights = largest_cities(chosen, limit=10_000, min_population=DEFAULT_MIN_POPULATION)
    else:
        chosen = [c.upper() for c in country] if country else scenario.countries
        places, weights = largest_cities(chosen, limit=cities or 100)
    trade = _trade_weights(trade_weights, places) if trade_weights is not None else None
    with err.status(f"{scenario.name}: {len(places)} cities, before and after…"):
        network = load(scenario.mode, State.settings.data_dir / "transport")
        result = run_scenario(Router(network), scenario, places, weights, corridors, trade=trade)
    if chart is not None:
        from beltroad.analysis.charts import write_scenario_chart

        write_scenario_chart(result, chart, top)
    if geojson is not None:
        from beltroad.transport.scenario import pairs_geojson

        geojson.write_text(json.dumps(pairs_geojson(result), ensure_ascii=False), encoding="utf-8")
    if json_out:
        _print_json(result)
        return
    out.print(f"{result['name']} — baseline: {result['baseline']}", markup=False)
    rule = (
        f"{DEFAULT_MIN_POPULATION:,}+ people"
        if cities is None and not country
        else f"the {len(places)} largest"
    )
    out.print(f"cities: {rule} in {', '.join(chosen)}; {result['places']} on the network", markup=False)
    if result["left_out"]:
        far = ", ".join(f"{c['name']} ({c['km']:,.0f} km)" for c in result["left_out"][:5])
        out.print(
            f"left out, farther from the network than an access leg may run: {len(result['left_out'])} "
            f"({far}{', …' if len(result['left_out']) > 5 else ''})",
            markup=False,
        )
    for h in result["highlights"]:
        best = h["largest_saving"]
        saving = (
            f"largest saving {best['city']} {best['km_before']:,.0f} → {best['km_after']:,.0f} km"
            if best["hours_after"] < best["hours_before"]
            else "no city's route gets shorter"
        )
        out.print(
            f"{h['from']} → {h['to']}: population-weighted {h['weighted_hours_before']:.1f} h before, "
            f"{h['weighted_hours_after']:.1f} h after; {saving}",
            markup=False,
        )
    for c in result["by_corridor"]:
        if "note" in c:
            continue
        out.print(
            f"corridor {c['name']} ({', '.join(c['countries'])}): {c['weighted_hours_before']:.1f} → "
            f"{c['weighted_hours_after']:.1f} h between its countries' cities ({c['percent_saved']:.2f} % saved)",
            markup=False,
        )
    for c in result["by_country"]:
        usd = (
            f"; USD {c['weighted_usd_before']:,.0f} → {c['weighted_usd_after']:,.0f} per TEU"
            if c["weighted_usd_before"] is not None
            else ""
        )
        out.print(
            f"{c['country']}: {c['weighted_hours_before']:.1f} → {c['weighted_hours_after']:.1f} h to the other "
            f"countries' cities ({c['percent_saved']:.2f} % saved{usd}; weights: {c['weights']})",
            markup=False,
        )
    n = result["places"]
    out.print(f"{result['pairs_improved']} of {n * (n - 1) // 2:,} city pairs improved", markup=False)
    for p in result["pairs"][:top]:
        out.print(f"  {p['from']} → {p['to']}: {p['hours_before']} → {p['hours_after']} h", markup=False)


@app.command("impact")
def impact_cmd(
    scenario_name: Annotated[str, typer.Argument(metavar="SCENARIO", help="A scenario id or YAML file.")],
    data: Annotated[
        Path, typer.Option(help="Bilateral trade panel (.csv, .parquet, .dta) for the GE model.")
    ],
    reference: Annotated[str, typer.Option(help="Reference importer of the GE model.")],
    formula: Annotated[str, typer.Option(help="Gravity formula with exporter and importer effects.")] = (
        "trade ~ log_dist + cntg + lang + clny | exporter + importer"
    ),
    where: WhereOpt = None,
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution.")] = 7.0,
    value_of_time: Annotated[
        list[float] | None,
        typer.Option(help="Ad-valorem % per day in transit (default: 0.6 and 2.1, Hummels & Schaur 2013)."),
    ] = None,
    cities_per_country: Annotated[int, typer.Option(min=1, max=50)] = 5,
    json_out: JsonFlag = False,
) -> None:
    """Trade and real-income effects of a transport scenario, through the value of time in transit."""
    import tempfile

    from beltroad.trade.gravity import read_panel
    from beltroad.trade.impact import VALUE_OF_TIME_RANGE, run_impact
    from beltroad.transport.network import load
    from beltroad.transport.routing import Router
    from beltroad.transport.scenario import load_scenario

    scenario = load_scenario(scenario_name)
    panel = read_panel(data, where)
    with (
        err.status("shipping times by country pair, then the general equilibrium…"),
        tempfile.TemporaryDirectory() as tmp,
    ):
        router = Router(load(scenario.mode, State.settings.data_dir / "transport"))
        result = run_impact(
            router,
            scenario,
            panel,
            formula,
            sigma=sigma,
            reference=reference,
            per_country=cities_per_country,
            value_of_time=tuple(value_of_time or VALUE_OF_TIME_RANGE),
            work_dir=Path(tmp),
        )
    if json_out:
        _print_json(result)
        return
    out.print(f"{scenario.name}", markup=False)
    for key, value in result["assumptions"].items():
        out.print(f"  {key}: {value}", markup=False)
    out.print(f"  covered by the panel: {', '.join(result['covered_by_panel']) or 'none'}", markup=False)
    if result.get("note"):
        out.print(f"[yellow]note:[/] {escape(result['note'])}")
    for s in result["largest_time_savings_days"][:8]:
        out.print(f"  {s['from']} → {s['to']}: {s['days_saved']} days faster", markup=False)
    for run in result["runs"]:
        out.print(f"value of time {run['value_of_time_percent_per_day']} % a day:", markup=False)
        ranked = sorted(run["countries"], key=lambda r: -abs(r["real_gdp_change"]))[:10]
        for r in ranked:
            out.print(
                f"  {r['country']}: real GDP {r['real_gdp_change']:+.4f} %, exports {r['foreign_exports_change']:+.3f} %",
                markup=False,
            )


@report_app.command("cooperation")
def report_cooperation_cmd(
    name: Annotated[str, typer.Argument(help="A project or partnership: id, name or alias; or a place.")],
    other: Annotated[str | None, typer.Argument(help="A second place: a report on the pair.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path("report"),
    json_out: JsonFlag = False,
) -> None:
    """One HTML file with the profile, chain diagram, timeline, map, cited figures and sources."""
    from beltroad.analysis.report import write_cooperation_report

    engine = _ready_engine()
    with engine.connect() as conn:
        report = write_cooperation_report(conn, name, out_dir, other)
    if json_out:
        _print_json(
            {"html": str(report.html), "files": [str(p) for p in report.files], "sources": report.sources}
        )
        return
    out.print(f"wrote {report.html} ({len(report.sources)} source(s) cited)", markup=False)
    out.print("also: " + ", ".join(str(p) for p in report.files[1:]), markup=False)


def _pairs(items: list[str] | None, option: str, form: str = "A=B") -> dict[str, str]:
    """Repeated ``NAME=VALUE`` options as a dict; ``form`` names the shape in the error."""
    found: dict[str, str] = {}
    for item in items or []:
        left, sep, right = item.partition("=")
        if not sep or not left.strip() or not right.strip():
            msg = f"{option} takes {form}, got {item!r}"
            raise ValidationFailed(msg)
        found[left.strip()] = right.strip()
    return found


@trade_app.command("import")
def trade_import_cmd(
    fmt: Annotated[str, typer.Argument(help="baci, comtrade (bulk CSV) or panel (any bilateral CSV).")],
    file: Annotated[Path, typer.Argument(help="The CSV file (.csv or .csv.gz).")],
    name: Annotated[str | None, typer.Option(help="Data set name (default: the file name).")] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column", "-c", help="panel: FIELD=HEADER for year, exporter, importer, value, product."
        ),
    ] = None,
    rename: Annotated[
        list[str] | None, typer.Option(help="Map a country code: OLD=NEW, e.g. ROM=ROU.")
    ] = None,
    licence: Annotated[str | None, typer.Option(help="The data's licence, kept with it for citing.")] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="panel: the unit of value, e.g. 'million US dollars' (BACI, Comtrade: USD)."),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Check a trade file and store it as Parquet (out of core: bounded memory at any size)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from beltroad.trade.panel import import_trade

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, disable=json_out) as bar:
        task = bar.add_task(f"importing {file.name}", total=100)
        ds = import_trade(
            State.settings.data_dir,
            fmt,
            file,
            name=name,
            mapping=_pairs(column, "--column", "FIELD=HEADER"),
            renames=_pairs(rename, "--rename", "OLD=NEW"),
            licence=licence,
            unit=unit,
            memory_limit=State.settings.trade_memory_limit,
            progress=lambda done: bar.update(task, completed=done),
        )
    if json_out:
        _print_json({"name": ds.name, "path": str(ds.path), **ds.meta})
        return
    m = ds.meta
    out.print(
        f"ok {ds.name}: {m['rows']:,} rows, {m['exporters']} exporters, {m['first_year']}–{m['last_year']} → {ds.path}",
        markup=False,
    )


@trade_app.command("datasets")
def trade_datasets_cmd(json_out: JsonFlag = False) -> None:
    """The imported trade data sets and where each came from."""
    from beltroad.trade.panel import datasets

    found = datasets(State.settings.data_dir)
    if json_out:
        _print_json([{"name": d.name, "path": str(d.path), **d.meta} for d in found])
        return
    if not found:
        out.print("no trade data imported yet; run `beltroad trade import FORMAT FILE`")
        return
    table = Table(header_style="bold")
    for col in ("name", "format", "rows", "years", "file", "licence"):
        table.add_column(col, overflow="fold")
    for d in found:
        m = d.meta
        table.add_row(
            d.name,
            m["format"],
            f"{m['rows']:,}",
            f"{m['first_year']}–{m['last_year']}",
            m["file"],
            m.get("licence") or "",
        )
    out.print(table)


def _write_rows(rows: list[dict[str, Any]], csv_out: bool, json_out: bool, title: str) -> bool:
    """Print rows as JSON or CSV when asked; True when done."""
    if json_out:
        _print_json(rows)
        return True
    if csv_out:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
        return True
    table = Table(title=title, header_style="bold")
    for key in rows[0] if rows else []:
        table.add_column(key, justify="right")
    for row in rows:
        table.add_row(
            *(f"{v:,.0f}" if isinstance(v, float) and abs(v) >= 1000 else str(v) for v in row.values())
        )
    out.print(table)
    return False


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3g}"
    return "—" if value is None else str(value)


CsvFlag = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Also draw the chart into this .png or .svg file.")
]
DatasetOpt = Annotated[str | None, typer.Option("--dataset", help="Which imported data set (if several).")]


@trade_app.command("series")
def trade_series_cmd(
    a: Annotated[str, typer.Argument(help="ISO alpha-3 code, e.g. BLR.")],
    b: Annotated[str, typer.Argument(help="ISO alpha-3 code, e.g. CHN.")],
    dataset_name: DatasetOpt = None,
    product: Annotated[str | None, typer.Option(help="Only this product code.")] = None,
    chart: ChartOpt = None,
    csv_out: CsvFlag = False,
    json_out: JsonFlag = False,
) -> None:
    """Trade between two countries by year: each direction, the total and its growth."""
    from beltroad.trade.panel import dataset, series

    ds = dataset(State.settings.data_dir, dataset_name)
    rows = series(ds, a.upper(), b.upper(), product)
    if chart is not None:
        from beltroad.analysis.charts import write_series_chart

        write_series_chart(
            rows, a.upper(), b.upper(), chart, unit=ds.meta["unit"], source=f"{ds.name} ({ds.meta['file']})"
        )
    _write_rows(rows, csv_out, json_out, f"trade {a.upper()}–{b.upper()}, {ds.meta['unit']} ({ds.name})")


@trade_app.command("partners")
def trade_partners_cmd(
    country: Annotated[str, typer.Argument(help="ISO alpha-3 code, e.g. CHN.")],
    year: Annotated[int, typer.Option(help="The year.")],
    top: Annotated[int, typer.Option(min=1, max=300, help="How many partners.")] = 20,
    dataset_name: DatasetOpt = None,
    chart: ChartOpt = None,
    csv_out: CsvFlag = False,
    json_out: JsonFlag = False,
) -> None:
    """A country's trade partners in one year, with exports, imports and shares of its trade."""
    from beltroad.trade.panel import dataset, partners

    ds = dataset(State.settings.data_dir, dataset_name)
    rows = partners(ds, country.upper(), year, top)
    if chart is not None:
        from beltroad.analysis.charts import write_partners_chart

        write_partners_chart(rows, country.upper(), year, chart, source=f"{ds.name} ({ds.meta['file']})")
    _write_rows(
        rows, csv_out, json_out, f"partners of {country.upper()} in {year}, {ds.meta['unit']} ({ds.name})"
    )


DataArg = Annotated[Path, typer.Argument(help="A bilateral panel: .csv, .csv.gz, .parquet or .dta(.gz).")]
FormulaOpt = Annotated[
    str,
    typer.Option(
        "--formula",
        help="pyfixest formula, e.g. 'trade ~ log_dist + cntg + lang + clny | exp_year + imp_year'. "
        "log_X, exp_year, imp_year and pair_id are made from X, exporter, importer and year if missing.",
    ),
]
WhereOpt = Annotated[
    str | None, typer.Option("--where", help="SQL condition on the rows, e.g. 'year = 2006'.")
]


@gravity_app.command("estimate")
def gravity_estimate_cmd(
    data: DataArg,
    formula: FormulaOpt,
    method: Annotated[
        str, typer.Option(help="ppml (default) or ols (on log trade, zeros dropped).")
    ] = "ppml",
    cluster: Annotated[str | None, typer.Option(help="Cluster the standard errors by this column.")] = None,
    where: WhereOpt = None,
    json_out: JsonFlag = False,
) -> None:
    """Estimate a gravity equation with high-dimensional fixed effects (pyfixest)."""
    from beltroad.trade.gravity import estimate, read_panel

    if method not in {"ppml", "ols"}:
        msg = f"unknown method {method!r}; choose ppml or ols"
        raise ValidationFailed(msg)
    with err.status(f"estimating ({method})…"):
        result = estimate(read_panel(data, where), formula, method=method, cluster=cluster)  # type: ignore[arg-type]
    if json_out:
        _print_json(result)
        return
    table = Table(title=f"{method.upper()}: {formula}", header_style="bold")
    for col in ("term", "estimate", "std. error", "t", "p", "95% interval"):
        table.add_column(col, justify="right" if col != "term" else "left")
    for c in result["coefficients"]:
        table.add_row(
            c["name"],
            f"{c['estimate']:.4f}",
            f"{c['std_error']:.4f}",
            f"{c['t']:.2f}",
            f"{c['p']:.4f}",
            f"[{c['ci_low']:.3f}, {c['ci_high']:.3f}]",
        )
    out.print(table)
    fes = ", ".join(f"{k} ({v})" for k, v in result["fixed_effects"].items()) or "none"
    out.print(f"N = {result['n']:,}; fixed effects: {fes}; standard errors {result['vcov']}", markup=False)
    if result["dropped"]:
        out.print(f"{result['dropped']:,} observations dropped: {result['dropped_because']}", markup=False)
    for line in result["separation"]:
        out.print(f"separation: {line}", markup=False)


@gravity_app.command("counterfactual")
def gravity_counterfactual_cmd(
    data: DataArg,
    formula: FormulaOpt,
    reference: Annotated[str, typer.Option(help="Reference importer (its inward resistance stays 1).")],
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution (above 1).")] = 7.0,
    where: WhereOpt = None,
    set_value: Annotated[
        list[str] | None,
        typer.Option("--set", help="VAR=VALUE on the rows --pairs-where selects, e.g. pta=1."),
    ] = None,
    pairs_where: Annotated[
        str | None, typer.Option("--pairs-where", help="SQL condition choosing the pairs --set changes.")
    ] = None,
    coefficient: Annotated[
        list[str] | None, typer.Option("--coefficient", help="NAME=VALUE: a new coefficient, e.g. intl=0.")
    ] = None,
    cost_changes: Annotated[
        Path | None, typer.Option(help="CSV of exporter, importer, change_percent (ad-valorem trade cost).")
    ] = None,
    closure: Annotated[
        str, typer.Option(help="fixed-shares (gegravity's, default) or geppml (the book's).")
    ] = ("fixed-shares"),
    output: Annotated[str | None, typer.Option(help="Column of output (default: exports summed).")] = None,
    expenditure: Annotated[
        str | None, typer.Option(help="Column of expenditure (default: imports summed).")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """General-equilibrium effects of a change in trade costs: prices, real GDP, trade by country."""
    from beltroad.trade.counterfactual import Shock, read_panel, run_counterfactual
    from beltroad.trade.ge import CLOSURES

    if closure not in CLOSURES:
        msg = f"unknown closure {closure!r}; choose one of {', '.join(CLOSURES)}"
        raise ValidationFailed(msg)
    shock = Shock(
        set_values=_assignments(set_value, "--set"),
        set_where=pairs_where,
        coefficients=_assignments(coefficient, "--coefficient"),
        cost_changes=cost_changes,
    )
    if not (shock.set_values or shock.coefficients or shock.cost_changes):
        msg = "say what changes: --set VAR=VALUE (with --pairs-where), --coefficient NAME=VALUE or --cost-changes FILE"
        raise ValidationFailed(msg)
    with err.status("estimating and solving…"):
        result, assumptions = run_counterfactual(
            read_panel(data, where),
            formula,
            shock,
            sigma=sigma,
            reference=reference,
            closure=closure,
            output=output,
            expenditure=expenditure,
        )
    rows = result.rows()
    if json_out:
        _print_json({"assumptions": assumptions, "countries": rows})
        return
    out.print("assumptions:", markup=False)
    for key, value in assumptions.items():
        out.print(f"  {key}: {value}", markup=False)
    table = Table(title="changes in percent", header_style="bold")
    columns = (
        ("country", "country"),
        ("real GDP", "real_gdp_change"),
        ("factory-gate price", "factory_gate_price_change"),
        ("inward resistance", "imr_change"),
        ("exports (conditional)", "conditional_foreign_exports_change"),
        ("exports (full)", "foreign_exports_change"),
        ("imports (full)", "foreign_imports_change"),
    )
    for title, _key in columns:
        table.add_column(title, justify="left" if title == "country" else "right")
    for row in sorted(rows, key=lambda r: -abs(r["real_gdp_change"])):
        table.add_row(row["country"], *(f"{row[key]:.4f}" for _t, key in columns[1:]))
    out.print(table)


def _assignments(items: list[str] | None, option: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, value in _pairs(items, option, "NAME=NUMBER").items():
        try:
            found[name] = float(value)
        except ValueError:
            msg = f"{option} takes NAME=NUMBER, got {name}={value!r}"
            raise ValidationFailed(msg) from None
    return found


@app.command("extract")
def extract_cmd(
    file: Annotated[Path, typer.Argument(help="A .txt, .md, .html or .pdf document.")],
    max_mb: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = 20.0,
    json_out: JsonFlag = False,
) -> None:
    """Candidate places, dates and quantities in a document, with their spans; stores nothing."""
    from beltroad.ingest.extract import extract
    from beltroad.ingest.readers import read_document

    document = read_document(file, max_bytes=int(max_mb * 1024 * 1024))
    conn_ctx = None
    try:
        engine = _ready_engine()
        conn_ctx = engine.connect()
    except BeltroadError as exc:
        # without a store, places resolve through the gazetteer and country names only
        conn_ctx = None
        err.print(f"note: places resolve without the knowledge base ({exc})", markup=False)
    try:
        with err.status(f"reading {file.name}…"):
            candidates = extract(document.text, conn_ctx)
    finally:
        if conn_ctx is not None:
            conn_ctx.close()
    if document.pages:
        for item in candidates:
            item["page"] = document.page_of(item["start"])
    if json_out:
        _print_json(candidates)
        return
    out.print(
        f"{file} ({document.kind}, sha256 {document.sha256[:12]}…): {len(candidates)} candidates",
        markup=False,
    )
    table = Table(header_style="bold")
    for col in ("kind", "text", "normalised", "span"):
        table.add_column(col, overflow="fold")
    for c in candidates:
        norm = (
            f"{c['value']:g} {c['unit']}"
            if c["kind"] == "quantity"
            else f"{c['value']} ({c['precision']}{', ' + c['qualifier'] if c['qualifier'] else ''})"
            if c["kind"] == "date"
            else c.get("record") or c.get("country") or f"{c.get('name')} ({c.get('country_iso2')})"
        )
        table.add_row(c["kind"], c["text"], str(norm), f"{c['start']}–{c['end']}")
    out.print(table)


@app.command("ingest")
def ingest_cmd(
    files: Annotated[list[Path], typer.Argument(help="Documents (.txt, .md, .html, .pdf).")],
    kind: Annotated[str, typer.Option(help="paper, news, opinion, official or report.")] = "report",
    max_mb: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = 20.0,
    json_out: JsonFlag = False,
) -> None:
    """Store documents as sources and queue their candidate facts for review (one transaction each)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from beltroad.ingest.store import SOURCE_KINDS, ingest_document

    if kind not in SOURCE_KINDS:
        msg = f"unknown source kind {kind!r}; choose one of {', '.join(SOURCE_KINDS)}"
        raise ValidationFailed(msg)
    engine = _ready_engine()
    done, failed = [], []
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err, disable=json_out
    ) as bar:
        task = bar.add_task("ingesting", total=len(files))
        for path in files:
            bar.update(task, description=f"ingesting {path.name}")
            try:
                done.append(ingest_document(engine, path, kind=kind, max_bytes=int(max_mb * 1024 * 1024)))
            except BeltroadError as exc:
                failed.append({"file": str(path), "error": str(exc)})
            bar.advance(task)
    if json_out:
        _print_json(
            {
                "ingested": [
                    {"file": str(d.path), "source": d.source_id, "new": d.new, "candidates": d.candidates}
                    for d in done
                ],
                "failed": failed,
            }
        )
    else:
        for d in done:
            state = f"{d.candidates} candidates queued" if d.new else "already ingested, nothing changed"
            out.print(f"ok {d.path} → source {d.source_id}: {state}", markup=False)
        for f in failed:
            err.print(f"failed {f['error']}", markup=False)
    if failed:
        raise typer.Exit(1)


REVIEW_PROMPTS = {
    "measure": "measure (e.g. land_area, trade_value)",
    "subject": "subject (a record id)",
    "kind": "agreement kind (memorandum, minutes_of_talks, investment_cooperation, …)",
    "as_of": "as of (YYYY, YYYY-MM or YYYY-MM-DD)",
}


@app.command("review")
def review_cmd(
    user: Annotated[str, typer.Option(help="The editor deciding (see `beltroad user list`).")],
    source: Annotated[str | None, typer.Option(help="Only this ingested source's candidates.")] = None,
) -> None:
    """Accept, edit, reject or skip ingested candidates one by one; accepted ones become records or citations."""
    from beltroad.ingest.review import require_editor
    from beltroad.ingest.store import pending

    engine = _ready_engine()
    require_editor(engine, user)
    queue = pending(engine, source)
    if not queue:
        out.print("nothing to review")
        return
    for number, c in enumerate(queue, 1):
        if not _review_one(engine, user, c, f"[{number}/{len(queue)}]"):
            break


def _review_one(engine: Any, user: str, c: dict[str, Any], counter: str) -> bool:
    """Show one candidate and take decisions until it is decided or skipped; False to quit."""
    from beltroad.ingest.review import decide, describe, edit, needs

    data = c["data"]
    while True:
        s, e = data.get("sentence", [c["start"], c["end"]])
        out.print(
            f"{counter} {c['kind']} {c['text']!r} → {describe(c['kind'], data)}  ({c['source_id']} {s}–{e})",
            markup=False,
        )
        choice = (
            typer.prompt("accept, edit, reject, skip or quit? [a/e/r/s/q]", default="s").strip().lower()[:1]
        )
        if choice == "q":
            return False
        if choice == "e":
            changes = typer.prompt("FIELD=VALUE; … (e.g. value=2017; places=Chongqing,Minsk Oblast)")
            try:
                pairs = _pairs([x.strip() for x in changes.split(";") if x.strip()], "an edit", "FIELD=VALUE")
                data = edit(engine, c["id"], user, pairs)["data"]
            except BeltroadError as exc:
                err.print(f"not edited: {exc}", markup=False)
            continue
        if choice not in {"a", "r"}:
            return True
        extra: dict[str, Any] = {}
        if choice == "a":
            for field in needs(c["kind"], data):
                extra[field] = typer.prompt(REVIEW_PROMPTS[field])
            if c["kind"] == "quantity":
                as_of = typer.prompt("as of (YYYY, YYYY-MM or YYYY-MM-DD; empty for none)", default="")
                extra["as_of"] = as_of or None
        try:
            done = decide(engine, c["id"], "accept" if choice == "a" else "reject", user, **extra)
        except BeltroadError as exc:
            err.print(f"not done: {exc}", markup=False)
            return True
        out.print(
            f"  {done['decision']}ed" + (f" → {done['record']}" if done["record"] else ""), markup=False
        )
        return True


@app.command("import")
def import_cmd(
    kind: Annotated[
        str, typer.Argument(help="partnerships, bri-signatories, finance-commitments or finance-flows.")
    ],
    file: Annotated[Path, typer.Argument(help="The file to import (CSV).", exists=False)],
    column: Annotated[
        list[str] | None,
        typer.Option("--column", "-c", help="Map a column: FIELD=HEADER, e.g. city_a=city1."),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Import an external data set; it replaces what an earlier import of the same file wrote."""
    from beltroad.importers import IMPORTERS

    if kind not in IMPORTERS:
        msg = f"unknown import kind {kind!r}; choose one of {', '.join(IMPORTERS)}"
        raise ValidationFailed(msg)
    mapping = _pairs(column, "--column", "FIELD=HEADER")
    engine = _ready_engine()
    report = IMPORTERS[kind](engine, file, columns=mapping, progress=not json_out)
    if json_out:
        _print_json(report)
        return
    for key, value in report.items():
        if key in {"unresolved_sample", "problems"}:
            continue
        out.print(f"  {key}: {value}", markup=False)
    if report.get("unresolved_sample"):
        out.print("  first unresolved rows:")
        for row in report["unresolved_sample"][:10]:
            out.print(f"    - row {row['row']}: {row['reason']}", markup=False)


@app.command("export")
def export_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder to write into (created if missing).")],
    fmt: Annotated[str, typer.Option("--format", help="csv, json or geojson.")] = "json",
    kind: Annotated[str | None, typer.Option(help="Only this kind of record.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Export records with their citations as CSV, JSON or GeoJSON files, one per kind."""
    from beltroad.exporting import export_store

    engine = _ready_engine()
    written = export_store(engine, directory, fmt, kind=kind)
    if json_out:
        _print_json({"format": fmt, "files": [str(p) for p in written]})
        return
    for path in written:
        out.print(f"wrote {path}")


@app.command("serve")
def serve_cmd(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each with its own response cache).")
    ] = 1,
) -> None:
    """Serve the observatory (web pages and REST API); initialises the database on first start."""
    import os

    import uvicorn

    from beltroad.api import create_app
    from beltroad.store import ensure_store

    engine = _engine()
    if ensure_store(engine):
        out.print("initialised the database with the curated knowledge base")
    host = host or State.settings.host
    port = port or State.settings.port
    out.print(f"beltroad observatory on http://{host}:{port}/  (API docs: /api/docs)")
    if workers == 1:
        uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")
        return
    # worker processes build their own app from the environment
    os.environ["BELTROAD_DATABASE_URL"] = State.settings.resolved_database_url()
    uvicorn.run(
        "beltroad.api.asgi:app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def main() -> None:
    """Entry point: run the app and turn user errors into one-line messages."""
    try:
        # without standalone mode click returns a command's exit code instead of exiting with it
        code = app(standalone_mode=False)
    except BeltroadError as exc:
        if State.debug:
            raise
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except Exception as exc:
        # usage errors (an unknown command or option); typer 0.2x raises its own copy of click's class
        if any(c.__name__ == "ClickException" for c in type(exc).__mro__):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if State.debug:
            raise
        err.print(
            f"[red]internal error:[/] {type(exc).__name__}: {escape(str(exc))} (run with --debug for the traceback)",
            highlight=False,
        )
        sys.exit(2)
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
