"""Infrastructure scenarios (``transport.scenario``, ``transport.changes``): a route with a new link,
the times and costs a scenario saves, how scenarios are validated, and the shipped scenarios on
the world rail network."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csgraph
from sqlalchemy import Engine
from tests.conftest import run_cli
from tests.transport_networks import _at, _line, _shortcut

from beltroad.errors import ValidationFailed
from beltroad.transport import (
    Endpoint,
    Network,
    Router,
)


def test_a_route_with_a_scenario_takes_its_link_and_says_what_it_saves() -> None:
    from beltroad.transport import add_links, link_hours, scenario_route, without_links

    net = _line()
    router = Router(net)
    route = scenario_route(router, _shortcut(km=120.0, speed_kmh=60.0), _at(net, 0), _at(net, 7)).to_json()
    sc = route["scenario"]
    assert sc["uses_new_links"] and route["added_links_km"] == 120
    # 120 km at 60 km/h, then 400 km on the line at the network's speed
    speed = router.params["speed_kmh"]
    assert route["distance_km"] == pytest.approx(520)
    assert route["time_h"]["total"] == pytest.approx(2 + 400 / speed, abs=0.01)
    assert sum(leg["h"] for leg in route["legs"]) == pytest.approx(route["time_h"]["moving"], abs=0.02)
    assert sc["km_before"] == pytest.approx(700) and sc["hours_before"] == pytest.approx(
        700 / speed, abs=0.01
    )
    assert sc["hours_saved"] == pytest.approx(sc["hours_before"] - sc["hours_after"], abs=0.01)
    assert route["cost_usd_per_teu"] == pytest.approx(520 * router.params["usd_per_teu_km"], abs=1)
    # a link slower than the line is there but unused, and saves nothing
    slow = scenario_route(router, _shortcut(km=900.0), _at(net, 0), _at(net, 7)).to_json()["scenario"]
    assert not slow["uses_new_links"] and slow["hours_saved"] == 0
    # the router itself is unchanged by either
    assert router.route(_at(net, 0), _at(net, 7)).to_json()["distance_km"] == pytest.approx(700)
    # a link across a border (China–Kazakhstan, a gauge change) pays it as the network's edges do
    delays = {"border_crossing_h": 10, "gauge_break_h": 30, "usd_per_border_crossing": 200}
    across = scenario_route(
        Router(net, delays), _shortcut(km=120.0, speed_kmh=60.0), _at(net, 0), _at(net, 7)
    ).to_json()
    assert across["time_h"]["border"] == 40 and across["time_h"]["transfer"] == 60
    assert across["time_h"]["total"] == pytest.approx(2 + 400 / speed + 100, abs=0.01)
    assert across["cost_usd_split"]["border"] == 800
    delayed = Router(net, delays)
    links = link_hours(delayed, _shortcut(km=120.0, speed_kmh=60.0))
    assert links[0][2] == pytest.approx(2 + 10 + 30)
    fastest = csgraph.dijkstra(add_links(without_links(delayed.hours, links), links), indices=0)[7]
    assert fastest == pytest.approx(across["time_h"]["total"], abs=0.01)
    road = _line()
    road.mode = "road"
    with pytest.raises(ValidationFailed, match="changes the rail network; route it with --mode rail"):
        scenario_route(Router(road), _shortcut(km=120.0), _at(road, 0), _at(road, 7)).to_json()


def test_a_scenario_reports_cheapest_costs_and_weighs_countries_by_trade_where_given() -> None:
    from beltroad.transport import TradeWeights, evaluate_scenario

    net = _line()
    router = Router(net)
    speed, rate = router.params["speed_kmh"], router.params["usd_per_teu_km"]
    chosen = [0, 1, 2, 3, 6, 7]
    places = [
        Endpoint(f"n{i}", f"n{i}", float(net.lat[i]), float(net.lon[i]), f"city:{net.country[i]}")
        for i in chosen
    ]
    ones = [1.0] * len(places)
    shortcut = _shortcut(km=120.0, speed_kmh=60.0)
    result = evaluate_scenario(router, shortcut, places, ones).to_json()
    far = next(p for p in result["pairs"] if {p["from"], p["to"]} == {"n0", "n7"})
    assert far["usd_before"] == pytest.approx(700 * rate, abs=0.01)
    assert far["usd_after"] == pytest.approx(520 * rate, abs=0.01)
    china = next(c for c in result["by_country"] if c["country"] == "CHN")
    # from n0 and n1 to n2, n3, n6 and n7: 32 steps of 100 km over 8 pairs
    assert china["weights"] == "population"
    assert china["weighted_hours_before"] == pytest.approx(400 / speed, abs=0.01)
    assert china["weighted_usd_before"] == pytest.approx(400 * rate, abs=0.01)
    trade = TradeWeights("test, 2020", {("CHN", "KAZ"): 3.0, ("KAZ", "CHN"): 3.0, ("CHN", "POL"): 1.0})
    weighted = {
        c["country"]: c
        for c in evaluate_scenario(router, shortcut, places, ones, trade=trade).to_json()["by_country"]
    }
    # China's partners: Kazakhstan (2 steps on average) three times, Poland (6 steps) once
    assert weighted["CHN"]["weights"] == "trade (test, 2020)"
    assert weighted["CHN"]["weighted_hours_before"] == pytest.approx((3 * 200 + 600) / 4 / speed, abs=0.01)
    assert weighted["KAZ"]["weighted_hours_before"] == pytest.approx(200 / speed, abs=0.01)
    # Poland's trade with China is missing from its side of the table: population weights
    assert weighted["POL"]["weights"] == "population"


def test_scenarios_are_validated_field_by_field(tmp_path: Path) -> None:
    from beltroad.transport import evaluate_scenario, load_scenario

    good = load_scenario("tongjiang-railway-bridge")
    assert good.project == "tongjiang-railway-bridge" and len(good.cite) >= 2
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\nname: x\nproject: p\nsummary: s\ncountries: [CHN]\ncite: [{title: t}]\n"
        "changes:\n  - {kind: link, from: {lat: 95, lon: 1}, to: {lat: 1, lon: 1}, speed_kmh: -3}\n"
    )
    with pytest.raises(
        ValidationFailed, match=r"changes\.0\.from\.lat: Input should be less than or equal to 90"
    ):
        load_scenario(str(bad))
    with pytest.raises(ValidationFailed, match=r"changes\.0\.speed_kmh: Input should be greater than 0"):
        load_scenario(str(bad))
    with pytest.raises(
        ValidationFailed, match=r"no scenario 'atlantis-bridge'; shipped: .*tongjiang-railway-bridge"
    ):
        load_scenario("atlantis-bridge")
    far = good.model_copy(deep=True)
    far.changes[0].start.lat = 0.0
    net = _line()
    with pytest.raises(
        ValidationFailed, match=r"changes\.0\.from: \(0\.0, 132\.699\) is .* km from the nearest node"
    ):
        evaluate_scenario(Router(net), far, [_at(net, 0), _at(net, 7)], [1.0, 1.0]).to_json()


@pytest.mark.slow
def test_the_tongjiang_bridge_scenario(world_rail: tuple[Network, Path]) -> None:
    from beltroad.transport import cities, evaluate_scenario, load_scenario

    net, _ = world_rail
    scenario = load_scenario("tongjiang-railway-bridge")
    places, weights = cities(["CHN", "RUS"], limit=20)
    result = evaluate_scenario(Router(net), scenario, places, weights).to_json()
    assert result["baseline"] == "the network without the project's links"
    assert result["links"][0]["already_in_network"] and not result["links"][1]["already_in_network"]
    moscow, khabarovsk = result["highlights"]
    # to Moscow the Manzhouli route stays shorter for every Heilongjiang city; to the Russian Far East
    # the bridge cuts the journey
    assert moscow["weighted_hours_after"] == moscow["weighted_hours_before"]
    assert khabarovsk["weighted_hours_after"] < 0.85 * khabarovsk["weighted_hours_before"]
    assert khabarovsk["largest_saving"]["km_after"] < 0.5 * khabarovsk["largest_saving"]["km_before"]
    # among the 400 largest cities some pairs gain; each pair is listed once
    run = evaluate_scenario(Router(net), scenario, *cities(["CHN", "RUS"], limit=400))
    wider = run.to_json()
    assert wider["pairs_improved"] > 0
    ends = {frozenset((tuple(p["from_point"]), tuple(p["to_point"]))) for p in wider["pairs"]}
    assert len(ends) == len(wider["pairs"])
    from beltroad.analysis import write_scenario_chart
    from beltroad.transport import pairs_geojson

    layer = pairs_geojson(run)
    assert layer["features"][0]["properties"]["hours_saved"] == wider["pairs"][0]["hours_saved"]
    assert write_scenario_chart(run, world_rail[1] / "tongjiang.svg").read_text().startswith("<?xml")


@pytest.mark.slow
def test_scenario_run_pairs_the_corridors_large_cities_by_default(
    world_rail: tuple[Network, Path], sqlite_store: Engine
) -> None:
    _net, data_dir = world_rail
    env = {"BELTROAD_DATA_DIR": str(data_dir)}
    done = run_cli("scenario", "run", "tongjiang-railway-bridge", "--json", db=str(sqlite_store.url), env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # every city of 500,000+ in the corridors' countries (the knowledge base's) that the rail reaches
    assert result["places"] > 300 and isinstance(result["left_out"], list)
    measured = {c["corridor"] for c in result["by_corridor"] if "note" not in c}
    assert {"cmrec", "cpec"} <= measured
    assert {c["country"] for c in result["by_country"]} >= {"CHN", "RUS", "PAK", "IND"}
    shown = run_cli(
        "scenario", "run", "tongjiang-railway-bridge", "--cities", "30", db=str(sqlite_store.url), env=env
    )
    assert shown.returncode == 0, shown.stderr
    assert "cities: the 30 largest in CHN, RUS" in shown.stdout
    n = int(re.search(r"; (\d+) on the network", shown.stdout).group(1))  # type: ignore[union-attr]
    assert f" of {n * (n - 1) // 2:,} city pairs improved" in shown.stdout


def test_every_shipped_scenario_models_a_project_of_the_knowledge_base(sqlite_store: Engine) -> None:
    from beltroad.store import get_record
    from beltroad.transport import SCENARIOS, load_scenario

    shipped = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    assert shipped == [
        "china-kyrgyzstan-uzbekistan-railway",
        "hunchun-vladivostok-railway",
        "tongjiang-railway-bridge",
    ]
    with sqlite_store.connect() as conn:
        for name in shipped:
            scenario = load_scenario(name)
            assert get_record(conn, scenario.project)["kind"] == "project", name


@pytest.mark.slow
def test_the_other_shipped_scenarios_shorten_the_trips_they_are_for(world_rail: tuple[Network, Path]) -> None:
    from beltroad.transport import evaluate_scenario, load_scenario

    net, _ = world_rail
    router = Router(net)
    for name in ("china-kyrgyzstan-uzbekistan-railway", "hunchun-vladivostok-railway"):
        result = evaluate_scenario(
            router, load_scenario(name), [_at(net, 0), _at(net, 1)], [1.0, 1.0]
        ).to_json()
        (highlight,) = result["highlights"]
        assert highlight["weighted_hours_after"] < 0.8 * highlight["weighted_hours_before"], name


def test_a_corridor_is_measured_over_pairs_of_its_countries() -> None:
    from beltroad.transport.scenario import _by_corridor

    countries = ["CHN", "CHN", "RUS", "MNG"]
    before = np.array([[0, 1, 10, 20], [1, 0, 30, 40], [10, 30, 0, 5], [20, 40, 5, 0]], dtype=float)
    after = before.copy()
    after[0, 2] = after[2, 0] = 4.0  # one CHN–RUS pair gets faster
    corridors = [
        {"id": "cmrec", "name": "CMREC", "countries": ["CHN", "MNG", "RUS"]},
        {"id": "nelb", "name": "NELB", "countries": ["CHN"]},
    ]
    cmrec, nelb = (
        c.to_json() for c in _by_corridor(corridors, countries, [1.0, 1.0, 1.0, 1.0], before, after)
    )
    # the pairs between different countries of the corridor: 2 CHN–MNG, 2 CHN–RUS, 1 MNG–RUS
    assert cmrec["weighted_hours_before"] == pytest.approx((20 + 40 + 10 + 30 + 5) / 5)
    assert cmrec["weighted_hours_after"] == pytest.approx((20 + 40 + 4 + 30 + 5) / 5)
    assert "not measured" in nelb["note"] and "CHN" in nelb["note"]
