"""Market access, the World Bank study's projects and sweeps of them on Ray."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import sparse
from scipy.sparse import csgraph

from beltroad.data.geography import haversine_km
from beltroad.errors import ValidationFailed
from beltroad.sweep import (
    SPECS,
    load_spec,
    national_gdp,
    read_national_gdp,
    run_sweep,
    sweep_layer,
    sweep_layers,
    sweeps_dir,
)
from beltroad.sweep.market_size import city_gdp
from beltroad.trade import flows_of
from beltroad.transport import Network, Router, load_cost_set
from beltroad.transport.access import AccessParameters, land_value, market_access
from beltroad.transport.distances import add_links, through_links
from beltroad.transport.modes import MODE_CODES
from beltroad.transport.study import Spot, StudyProject, project_edges, study_projects, waypoint
from conftest import shared_file, with_networks

PARAMS = AccessParameters(
    theta=5.03, alpha=0.05, beta=0.65, shipment_usd=50_000, time_usd_per_hour=800 / 24, min_cost=0.000048
)


def _graph(seed: int, n: int = 60) -> sparse.csr_matrix:
    rng = np.random.default_rng(seed)
    rows = list(range(n - 1)) + list(rng.integers(0, n, 90))
    cols = list(range(1, n)) + list(rng.integers(0, n, 90))
    keep = [(a, b) for a, b in zip(rows, cols, strict=True) if a != b]
    a, b = zip(*keep, strict=True)
    w = rng.uniform(100, 900, len(a))
    return sparse.csr_matrix((np.concatenate([w, w]), (np.array(a + b), np.array(b + a))), shape=(n, n))


@pytest.mark.parametrize("seed", range(4))
def test_any_subset_of_projects_is_exact_from_the_shared_matrices(seed: int) -> None:
    """A sweep task evaluates its projects from matrices computed once for all projects' ends;
    the result must equal Dijkstra on the network with just those projects' links added."""
    rng = np.random.default_rng(seed)
    graph = _graph(seed)
    n = graph.shape[0]
    cities = rng.choice(n, 25, replace=False)
    projects = [
        [(int(u), int(v), float(rng.uniform(10, 200))) for u, v in rng.integers(0, n, (k, 2)) if u != v]
        for k in (1, 2, 3, 2)
    ]
    ends = np.unique([x for p in projects for u, v, _ in p for x in (u, v)])
    full = csgraph.dijkstra(graph, directed=True)
    base, to_ends, from_ends, portal = (
        full[np.ix_(cities, cities)],
        full[np.ix_(cities, ends)],
        full[np.ix_(ends, cities)],
        full[np.ix_(ends, ends)],
    )
    where = {int(e): i for i, e in enumerate(ends)}
    for chosen in ([0], [1, 3], [0, 1, 2, 3]):
        links = [e for k in chosen for e in projects[k]]
        mine = np.unique([x for u, v, _ in links for x in (u, v)])
        local = {int(e): i for i, e in enumerate(mine)}
        idx = [where[int(e)] for e in mine]
        got = through_links(
            base,
            to_ends[:, idx],
            from_ends[idx, :],
            portal[np.ix_(idx, idx)],
            [(local[u], local[v], w) for u, v, w in links],
        )
        want = csgraph.dijkstra(add_links(graph, links), directed=True)[np.ix_(cities, cities)]
        np.testing.assert_allclose(got, want, rtol=1e-12)
        assert np.all(got <= base + 1e-9)


def test_market_access_and_land_value_as_the_formulas_give_them() -> None:
    cost = np.array([[0.0, 5_000.0], [7_000.0, 0.0]])
    mass = np.array([2.0, 3.0])
    tau = 1 + np.maximum(cost / 50_000, 0.000048)
    firm = (tau**-5.03) @ mass
    consumer = (tau**-5.03).T @ mass
    ma = market_access(cost, mass, PARAMS)
    np.testing.assert_allclose(ma, 0.65 * consumer + 0.35 * firm)
    # a city reaching nothing but itself has its own market at the floor cost
    alone = market_access(np.array([[0.0, np.inf], [np.inf, 0.0]]), mass, PARAMS)
    np.testing.assert_allclose(alone, mass * (1 + 0.000048) ** -5.03)
    cheaper = market_access(cost / 2, mass, PARAMS)
    gain = land_value(mass, ma, cheaper, PARAMS)
    np.testing.assert_allclose(gain, 0.05 * mass * ((cheaper / ma) ** (1 / (1 + 0.05 * 5.03)) - 1))
    assert np.all(gain > 0)
    with pytest.raises(ValidationFailed, match="theta"):
        AccessParameters(theta=0, alpha=0.05, beta=0.65, shipment_usd=1, time_usd_per_hour=0, min_cost=0)


@pytest.mark.reference
def test_the_curated_projects_are_the_studys_and_lie_in_its_countries() -> None:
    """Every project of the study's list, by name, and no other; a drawn project's waypoints lie
    in at least one of the countries the study gives it."""
    path = shared_file("data/bri/reed_trubetskoy_2019/projects.csv")
    with path.open(encoding="utf-8") as f:
        study = {row["project"]: row["countries"].split() for row in csv.DictReader(f)}
    curated = {p.name: p for p in study_projects()}
    assert set(curated) == set(study)
    drawn = [p for p in curated.values() if p.modelled]
    assert len(drawn) >= 60
    for p in drawn:
        if p.name == "Amur Bridge":
            continue
        assert set(p.countries) & set(study[p.name]), p.name


def test_every_drawn_waypoint_is_a_gazetteer_place() -> None:
    for project in study_projects():
        for text in [*project.via, *(place for branch in project.branches for place in branch)]:
            point = waypoint(text, project.name)
            assert -90 <= point.lat <= 90 and -180 <= point.lon <= 180


def test_bad_projects_and_specs_name_the_file_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "projects.yaml"
    line = {"basis": "named", "change": "line", "via": ["Baku (AZ)", "Tbilisi (GE)"]}
    for entry, pattern in (
        ({"name": "X rail", **line}, r"projects.yaml: X rail: .*link class"),
        (
            {"name": "Z port", "basis": "named", "change": "port", "via": ["Poti (GE)"], "branches": [["Baku (AZ)", "Tbilisi (GE)"]]},
            r"projects.yaml: Z port: .*only a line has branches",
        ),
        (
            {"name": "Y road", **line, "basis": "curated", "class": "divided_highway", "mode": "road"},
            r"projects.yaml: Y road: .*cite",
        ),
    ):
        bad.write_text(yaml.safe_dump({"projects": [entry]}))
        with pytest.raises(ValidationFailed, match=pattern):
            study_projects(bad)
    with pytest.raises(ValidationFailed, match="no place 'Atlantis'"):
        waypoint("Atlantis (GE)", "test")
    spec = yaml.safe_load((SPECS / "reed-trubetskoy-2019.yaml").read_text(encoding="utf-8"))
    for change, pattern in (
        ({"designs": ["isolation", "sideways"]}, r"designs\.1"),
        ({"grid": {"speed": [1.0]}}, "'speed' is not a parameter a grid may vary"),
        ({"colour": "red"}, "colour: Extra inputs"),
    ):
        path = tmp_path / "spec.yaml"
        path.write_text(yaml.safe_dump({**spec, **change}))
        with pytest.raises(ValidationFailed, match=rf"spec.yaml: .*{pattern}"):
            load_spec(str(path))
    with pytest.raises(ValidationFailed, match="no sweep spec 'nope'; shipped: reed-trubetskoy-2019"):
        load_spec("nope")


def _rail_then_road() -> Network:
    """Rail from 10°E to 11°E and road from 13.5°E to 14.5°E along 50°N: a railway east from 10°E
    ends where only roads run."""
    lat, lon = [50.0] * 4, [10.0, 11.0, 13.5, 14.5]
    rows, cols, km = [0, 1, 2, 3], [1, 0, 3, 2], [71.5] * 4
    matrix = sparse.csr_matrix((km, (rows, cols)), shape=(4, 4))
    rail, road = MODE_CODES["rail"], MODE_CODES["road"]
    modes = np.array([rail, rail, road, road], dtype=np.int8)
    return Network(
        "multimodal", np.array(lat), np.array(lon), np.array(["DEU"] * 4), matrix, "test",
        modes, np.ones(4, bool), np.array([""] * 4),
    )


def _spot(name: str, lon: float) -> Spot:
    return Spot(name=name, lat=50.0, lon=lon, note="a test point")


def test_a_railway_ending_where_only_roads_run_joins_them_and_pays_the_change() -> None:
    router = Router(_rail_then_road())
    classes = load_cost_set("reed-trubetskoy-2019").classes
    rate, speed = classes["standard_rail"].usd_per_teu_km, router.per_mode["rail"]["speed_kmh"]
    road = router.per_mode["road"]
    wait_h, charge = router.transfer["terminal_h"], router.transfer["terminal_usd"]
    assert wait_h > 0
    line = {"name": "Test rail", "basis": "named", "change": "line", "class": "standard_rail"}
    for east, node in ((13.5, 2), (15.3, 3)):
        via = [_spot("West", 10.0), _spot("East", east)]
        (edge,) = project_edges(router, StudyProject.model_validate({**line, "via": via}), classes)
        # from the rail node at its west end to the road node nearest its east end, far from rail,
        # with the drive from the end to that node and the change of mode there
        assert (edge.u, edge.v) == (0, node)
        length = haversine_km(10.0, 50.0, east, 50.0)
        drive = haversine_km(east, 50.0, float(router.network.lon[node]), 50.0)
        assert drive == pytest.approx(0.0 if node == 2 else 57.2, abs=0.1)
        assert edge.km == pytest.approx(length + drive)
        assert edge.hours == pytest.approx(length / speed + drive / road["speed_kmh"] + wait_h)
        assert edge.usd == pytest.approx(length * rate + drive * road["usd_per_teu_km"] + charge)
    # an end beyond the reach of both land modes is still an error naming both distances
    far = StudyProject.model_validate({**line, "via": [_spot("West", 10.0), _spot("Nowhere", 17.0)]})
    both = r"Test rail: via: Nowhere is 429 km from the nearest rail node \(at most 50 km\) and 179 km"
    with pytest.raises(ValidationFailed, match=both):
        project_edges(router, far, classes)


def test_national_gdp_from_the_two_public_files_and_a_table_of_ones_own(tmp_path: Path) -> None:
    gcdf = shared_file("data/finance/gcdf_country_commitments.csv")
    icio = shared_file("data/trade/oecd_icio2022_country_totals.csv")
    found = national_gdp([gcdf, icio], ["PAK", "KAZ", "CHN", "SGP"])
    assert found["PAK"].usd == pytest.approx(348.481e9) and "IMF" in found["PAK"].method
    with icio.open() as handle:
        china = next(r for r in csv.DictReader(handle) if r["country"] == "CHN")
    expected = (float(china["gross_output_usd_mn"]) - float(china["interm_purchases_from_80_usd_mn"])) * 1e6
    assert found["CHN"].usd == pytest.approx(expected) and found["CHN"].year == "2022"
    # the first file that has a country wins: Kazakhstan from GCDF, not from ICIO
    assert found["KAZ"].file == gcdf.name and read_national_gdp(icio)["KAZ"].usd != found["KAZ"].usd
    with pytest.raises(ValidationFailed, match=r"no GDP for CHN, SGP in .*gcdf_country_commitments\.csv"):
        national_gdp([gcdf], ["PAK", "CHN", "SGP"])
    own = tmp_path / "own.csv"
    own.write_text("iso3,gdp_usd\nmng,1.5e10\n")
    assert national_gdp([own], ["MNG"])["MNG"].usd == 1.5e10
    for text, pattern in (
        ("code,value\nMNG,1\n", "not a GDP table of a known form"),
        ("iso3,gdp_usd\nMNG,lots\n", "line 2: gdp_usd must be numbers"),
        ("iso3,gdp_usd\nMNG,-4\n", "line 2: the GDP of MNG is not positive"),
    ):
        own.write_text(text)
        with pytest.raises(ValidationFailed, match=f"own.csv.*{pattern}"):
            read_national_gdp(own)
    # shares of a country never add to more than its GDP, and go by population
    pop = np.array([3.0e6, 1.0e6, 2.0e5])
    usd = city_gdp(pop, np.array(["PAK", "PAK", "SGP"]), found)
    assert usd[0] == pytest.approx(3 * usd[1]) and usd[:2].sum() < found["PAK"].usd


@pytest.mark.slow
def test_a_small_sweep_on_two_ray_workers_keeps_its_tasks_and_resumes(
    tmp_path: Path, network_cache: Path, ray_two_workers: int
) -> None:
    pytest.importorskip("scgraph_data")
    assert ray_two_workers == 2
    data_dir = with_networks(tmp_path / "data", network_cache)
    spec = yaml.safe_load((SPECS / "reed-trubetskoy-2019.yaml").read_text(encoding="utf-8"))
    spec.update(mode="rail", cities=40, countries=["AZE", "GEO", "TUR", "THA", "LAO", "MYS"])
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(spec))
    out = tmp_path / "sweep"
    # the first six projects: a port (no sea on the rail network: left out, said why) and five lines
    summary = run_sweep(load_spec(str(path)), data_dir, out, limit_projects=6)
    names = {row["project"] for row in summary.table}
    assert "Baku-Tbilisi rail" in names and "Anaklia port" not in names
    assert any(p["project"] == "Anaklia port" and "sea" in p["why"] for p in summary.projects_not_modelled)
    assert summary.tasks == 2 * summary.projects_modelled == summary.tasks_run
    assert not summary.failures
    baku = next(r for r in summary.table if r["project"] == "Baku-Tbilisi rail")
    assert baku["isolation"] > 0 and baku["complement"] > 0
    assert abs(baku["share_own"] + baku["share_china"] + baku["share_rest"] - 1) < 1e-9
    for name in ("cities.parquet", "projects.parquet", "cities.geojson", "summary.json"):
        assert (out / name).stat().st_size > 0
    # a killed sweep leaves the tasks it finished; a rerun runs only the others
    parts = sorted((out / "tasks").glob("*.parquet"))
    parts[0].unlink()
    again = run_sweep(load_spec(str(path)), data_dir, out, limit_projects=6)
    assert (again.tasks_run, again.tasks_resumed) == (1, summary.tasks - 1)
    assert again.table == summary.table
    # another spec never mixes with these tasks
    with pytest.raises(ValidationFailed, match="holds tasks of another sweep"):
        run_sweep(load_spec(str(path)), data_dir, out, limit_projects=5)
    # nor do the same projects with market size in dollars
    gcdf = shared_file("data/finance/gcdf_country_commitments.csv")
    with pytest.raises(ValidationFailed, match="holds tasks of another sweep"):
        run_sweep(load_spec(str(path)), data_dir, out, limit_projects=6, gdp=[gcdf])
    pairs = pd.read_csv(shared_file("data/trade/oecd_icio2022_intermediate_pairs.csv"))
    icio = flows_of(pairs.rename(columns={"interm_usd_mn": "trade"}).assign(year=2022), source="icio")
    dollars = run_sweep(
        load_spec(str(path)),
        data_dir,
        sweeps_dir(data_dir) / "usd",
        limit_projects=6,
        gdp=[gcdf],
        flows=icio,
        border_costs=shared_file("data/bri/reed_trubetskoy_2019/border_costs.csv"),
    )
    assert "border_costs.csv" in dollars.border_costs
    # a sweep in the data folder is a map layer: every city with its gain
    assert [s["name"] for s in sweep_layers(data_dir)] == ["usd"]
    cities = sweep_layer(data_dir, "usd")["features"]
    assert len(cities) == dollars.cities and max(f["properties"]["gain"] for f in cities) > 0
    with pytest.raises(ValidationFailed, match="letters, digits"):
        sweep_layer(data_dir, "../usd")
    # Baku–Tbilisi joins AZE and GEO, which ICIO lacks: times change, trade costs cannot
    assert dollars.trade is not None and (sweeps_dir(data_dir) / "usd" / "trade.json").exists()
    by = {c.country: c for c in dollars.trade.countries}
    assert set(dollars.trade.assumptions["countries_not_in_flows"]) == {"AZE", "GEO"}
    assert by["AZE"].trade_cost_change is None and by["TUR"].trade_cost_change is not None
    assert "US dollars" in dollars.mass
    assert {m["country"] for m in dollars.market_size} == {"AZE", "GEO", "TUR", "THA", "LAO", "MYS"}
    baku_usd = next(r for r in dollars.table if r["project"] == "Baku-Tbilisi rail")
    # a city of GDP per person y weighs y times its population: gains in dollars, far above the
    # population-unit gains (every one of these countries has more than 1,000 USD a person)
    assert baku_usd["isolation"] > 1000 * baku["isolation"]
    shutil.rmtree(out)


def test_all_projects_through_shipment_times_trade_costs_and_general_equilibrium() -> None:
    from beltroad.sweep import trade_effects
    from beltroad.trade import Flows

    # two cities each in CHN and KAZ, one in MNG (not in the flows); USA trades but has no city
    countries = np.array(["CHN", "CHN", "KAZ", "KAZ", "MNG"])
    weights = np.array([3.0, 1.0, 1.0, 1.0, 1.0])
    before = np.full((5, 5), 96.0)  # four days between every two cities
    np.fill_diagonal(before, 0.0)
    after = before.copy()
    after[0, 2] = after[2, 0] = 48.0  # the largest Chinese city gets two days closer to one Kazakh one
    flows = Flows(
        ("CHN", "KAZ", "USA"),
        np.array([[1000.0, 30.0, 60.0], [20.0, 100.0, 5.0], [50.0, 4.0, 900.0]]),
        2022,
        "test",
    )
    found = trade_effects(before, after, weights, countries, flows, theta=4.0, value_of_time=(0.6, 2.1))
    by = {c.country: c for c in found.countries}
    # CHN–KAZ days: pair weights 3·1, 3·1, 1·1, 1·1 of 8; one pair of weight 3 saves 2 of 4 days
    saved = 3 * 2.0 / 8
    chn_kaz = -100 * saved / 4.0
    # CHN's partners among the study countries: KAZ (trade 50 both ways) and MNG (no trade: weight 0)
    assert by["CHN"].shipment_time_change == pytest.approx(chn_kaz)
    # trade costs: ln(1 - v · days / 100) on the CHN–KAZ pair, weighted by CHN's trade both ways
    low, high = (100 * np.log1p(-v * saved / 100) * 50 / (50 + 110) for v in (0.6, 2.1))
    assert by["CHN"].trade_cost_change == pytest.approx((low, high))
    assert by["MNG"].trade_cost_change is None and by["MNG"].real_income_change is None
    assert found.assumptions["countries_not_in_flows"] == ["MNG"]
    # both ends of the pair gain real income, more at the higher value of time
    for c in ("CHN", "KAZ"):
        income = by[c].real_income_change
        assert income is not None and 0 < income[0] < income[1]
    rows = {(r["measure"], r["group"].split()[0]): r for r in found.summary}
    bri, world = rows[("trade cost", "BRI")]["beltroad"], rows[("trade cost", "world")]["beltroad"]
    assert bri[0] == pytest.approx(100 * np.log1p(-0.6 * saved / 100))
    # the world's mean counts the USA's unchanged pairs: the same cut over all trade
    assert world[0] == pytest.approx(bri[0] * 50 / (50 + 110 + 9))
    assert rows[("shipment time", "BRI")]["published"] == (-1.7, -3.2)
    with pytest.raises(ValidationFailed, match="has none of the sweep's countries"):
        trade_effects(before, after, weights, np.array(["MNG"] * 5), flows)
