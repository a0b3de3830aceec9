"""World panels as named data sets, and general equilibrium from observed flows (exact hat algebra)
checked against ge_gravity's documented EU-enlargement exercise on WIOD."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import run_cli, shared_file, with_networks

import beltroad as br
from beltroad.errors import ImportFailed, NotConverged, ValidationFailed
from beltroad.settings import Settings
from beltroad.trade import (
    GEODIST_COLUMNS,
    FlowImpact,
    GEModel,
    add_domestic,
    datasets,
    flows_caveat,
    import_trade,
    partial_from_days,
    solve,
    solve_flows,
)
from beltroad.transport import Router

WIOD = "data/trade/wiod2016_44_trade_2000_2014.csv"
THREE_WAY = "trade ~ eu_enlargement + other_fta | exp_year + imp_year + pair_id"

#: ge_gravity's example as the GEGravity R package's vignette prints it (Zylkin & Kudlay), for
#: year 2000, θ = 4, additive imbalances, partial effect 0.224249 on the pairs that became EU pairs
#: by 2014: exporter → (welfare, real wage, nominal wage, price index), each new / old
PUBLISHED = {
    "DEU": (1.0007249, 1.0007204, 1.0002367, 0.9995167),
    "IDN": (0.9999865, 0.9999931, 0.9998933, 0.9999002),
    "FIN": (1.0004615, 1.0004125, 1.0008138, 1.0004012),
    "LTU": (1.0065244, 1.0064727, 0.9993151, 0.9928884),
    "GRC": (1.0002792, 1.0002622, 0.9998333, 0.9995712),
    "CAN": (0.9999912, 0.9999941, 0.9999349, 0.9999408),
    "JPN": (0.9999971, 0.9999982, 0.9999063, 0.9999082),
    "GBR": (1.0001393, 1.0001392, 1.0001324, 0.9999932),
    "NOR": (1.0002589, 1.0002422, 1.0001253, 0.9998831),
    "PRT": (1.0000813, 1.0000725, 0.9998933, 0.9998208),
}
#: the same vignette's new trade levels for two of its sampled pairs (USD million)
PUBLISHED_FLOWS = {("DEU", "SVK"): 3269.19970, ("LTU", "POL"): 207.88813}
#: the members that joined 2004–2013; the help file's list leaves out Cyprus, which joined in 2004
#: with the others and whose pairs turn to EU pairs in the data
NEW_MEMBERS = {"BGR", "CYP", "HRV", "CZE", "EST", "HUN", "LVA", "LTU", "MLT", "POL", "ROU", "SVK", "SVN"}


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wiod_dir(tmp_path_factory: pytest.TempPathFactory, network_cache: Path) -> Path:
    """A data folder with WIOD imported as ``wiod``, as the README's command does it."""
    data = with_networks(tmp_path_factory.mktemp("world"), network_cache)
    source = shared_file(WIOD)
    done = run_cli(
        "trade", "import", "panel", str(source), "--name", "wiod", "--json",
        env={"BELTROAD_DATA_DIR": str(data)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return data


@pytest.fixture(scope="module")
def eu_indicator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pairs that became EU pairs over 2000–2014, as ge_gravity's example makes them."""
    panel = pd.read_csv(shared_file(WIOD)).sort_values(["exporter", "importer", "year"])
    grouped = panel.groupby(["exporter", "importer"])["eu_enlargement"]
    new = (grouped.last() - grouped.first()).reset_index(name="indicator")
    path = tmp_path_factory.mktemp("eu") / "new_eu_pairs.csv"
    new[new["indicator"] != 0].to_csv(path, index=False)
    return path


def test_wiod_is_a_named_data_set_with_its_region_and_covariates(wiod_dir: Path) -> None:
    (ds,) = datasets(wiod_dir)
    assert ds.name == "wiod"
    assert ds.meta["rows"] == 7744 and ds.meta["countries"] == 43
    assert ds.meta["regions"] == {"ROW": "rest of the world"}
    assert ds.meta["value_column"] == "trade"
    assert {"eu_enlargement", "other_fta", "FTA"} <= set(ds.meta["columns"])
    frame = pd.read_parquet(ds.path)
    assert sorted(frame["year"].unique()) == [2000, 2005, 2010, 2014]
    # the flows are the file's, domestic sales included
    aus = frame[(frame.exporter == "AUS") & (frame.importer == "AUS") & (frame.year == 2000)]
    assert aus["value"].iloc[0] == pytest.approx(704777.4740966355)
    assert frame["eu_enlargement"].dtype == np.float64


def test_a_panel_without_a_year_takes_one_and_aggregates_are_declared(tmp_path: Path) -> None:
    source = _write(tmp_path, "icio.csv", "exporter,importer,interm\nCHN,RUS,5\nRUS,CHN,3\nXXA,CHN,1\n")
    with pytest.raises(ImportFailed, match=r"'XXA' \(line 4\).*--region CODE=NAME"):
        import_trade(tmp_path / "var", "panel", source, mapping={"value": "interm"}, year=2022)
    ds = import_trade(
        tmp_path / "var",
        "panel",
        source,
        mapping={"value": "interm"},
        year=2022,
        regions={"XXA": "Asia n.e.s."},
    )
    assert ds.meta["first_year"] == ds.meta["last_year"] == 2022
    assert ds.meta["regions"] == {"XXA": "Asia n.e.s."}
    with pytest.raises(ImportFailed, match=r"no column.*year.*takes --year"):
        import_trade(tmp_path / "var", "panel", source, mapping={"value": "interm"})


def test_a_year_that_is_not_whole_is_not_rounded(tmp_path: Path) -> None:
    source = _write(tmp_path, "p.csv", "exporter,importer,year,trade\nCHN,RUS,2000.0,1\nCHN,RUS,2000.5,2\n")
    with pytest.raises(ImportFailed, match=r"year or value is not a number on line\(s\) 3"):
        import_trade(tmp_path / "var", "panel", source)
    assert not (tmp_path / "var" / "trade" / "p.parquet").exists()


@pytest.mark.reference
@pytest.mark.slow
def test_eu_enlargement_on_wiod_reproduces_ge_gravity(
    wiod_dir: Path, eu_indicator: Path, tmp_path: Path
) -> None:
    env = {"BELTROAD_DATA_DIR": str(wiod_dir)}
    fitted = run_cli(
        "gravity", "estimate", "wiod", "--formula", THREE_WAY,
        "--where", "exporter != importer", "--cluster", "pair_id", "--json", env=env,
    )  # fmt: skip
    assert fitted.returncode == 0, fitted.stderr
    coefficients = {c["name"]: c for c in json.loads(fitted.stdout)["coefficients"]}
    # ge_gravity's help file and the R vignette: 0.224 (printed 0.224249), other FTAs -0.037
    beta = coefficients["eu_enlargement"]["estimate"]
    assert beta == pytest.approx(0.224249, abs=5e-7)
    assert coefficients["other_fta"]["estimate"] == pytest.approx(-0.037, abs=5e-4)
    assert coefficients["eu_enlargement"]["p"] < 0.01  # "significant at p < .01" with clustered errors

    indicator = pd.read_csv(eu_indicator)
    partial = tmp_path / "eu_partial.csv"
    indicator.assign(partial_effect=0.224249 * indicator["indicator"]).drop(columns="indicator").to_csv(
        partial, index=False
    )
    solved = run_cli(
        "gravity", "counterfactual", "wiod", "--flows", "--where", "year = 2000",
        "--partial-effects", str(partial), "--theta", "4", "--json", env=env,
    )  # fmt: skip
    assert solved.returncode == 0, solved.stderr
    result = json.loads(solved.stdout)
    assert result["year"] == 2000 and result["assumptions"]["pairs_changed"] == len(indicator) == 572
    rows = {r["country"]: r for r in result["countries"]}
    for country, (welfare, real_wage, nominal, price) in PUBLISHED.items():
        got = rows[country]
        assert 1 + got["welfare_change"] / 100 == pytest.approx(welfare, abs=6e-8), country
        assert 1 + got["real_wage_change"] / 100 == pytest.approx(real_wage, abs=6e-8), country
        assert 1 + got["nominal_wage_change"] / 100 == pytest.approx(nominal, abs=6e-8), country
        assert 1 + got["price_index_change"] / 100 == pytest.approx(price, abs=6e-8), country
    # what the help file says in words: new members gain most, non-members lose, Russia most
    ranked = sorted(rows.values(), key=lambda r: -r["welfare_change"])
    assert {r["country"] for r in ranked[:8]} <= NEW_MEMBERS
    outside = [r for r in rows.values() if r["welfare_change"] < 0]
    assert min(outside, key=lambda r: r["welfare_change"])["country"] == "RUS"

    run = br.counterfactual_flows(
        "wiod", where="year = 2000", partial_effects=partial, theta=4, settings=Settings(data_dir=wiod_dir)
    )
    assert run.solution is not None and "solution" not in run.to_json()  # arrays stay in Python
    index = {c: i for i, c in enumerate(run.solution.countries)}
    for (a, b), level in PUBLISHED_FLOWS.items():
        assert run.solution.flows[index[a], index[b]] == pytest.approx(level, rel=1e-7)
    # the multiplicative treatment "changes the results slightly"; still the same winners
    mult = br.counterfactual_flows(
        "wiod", where="year = 2000", partial_effects=partial, theta=4, imbalance="multiplicative",
        settings=Settings(data_dir=wiod_dir),
    )  # fmt: skip
    assert mult.country("LTU").welfare_change == pytest.approx(run.country("LTU").welfare_change, rel=0.05)
    assert mult.country("LTU").welfare_change != run.country("LTU").welfare_change


def _balanced_world() -> tuple[list[str], np.ndarray]:
    frame = pd.read_csv(shared_file("data/trade/gegravity_sample_2006.csv"))
    countries = sorted(set(frame["exporter"]))
    index = {c: i for i, c in enumerate(countries)}
    flows = np.zeros((len(countries), len(countries)))
    flows[frame["exporter"].map(index), frame["importer"].map(index)] = frame["trade"]
    return countries, (flows + flows.T) / 2  # symmetric: every country's trade is balanced


def test_exact_hat_algebra_agrees_with_the_books_full_equilibrium() -> None:
    """On balanced flows the endowment equilibrium of the book (chapter 2, 'geppml') is the one
    exact hat algebra solves; only nominal levels differ, by the numeraire."""
    countries, flows = _balanced_world()
    n = len(countries)
    output = flows.sum(axis=1)
    costs = flows / np.outer(output, flows.sum(axis=0))  # reproduces the flows exactly
    model = GEModel(tuple(countries), output, flows.sum(axis=0), costs, sigma=5.0, reference="DEU")
    partial = 2.0 * (1 - np.eye(n))  # international costs fall: trade would rise by e^2
    book = solve(model, costs * np.exp(partial), closure="geppml")
    for imbalance in ("additive", "multiplicative"):  # the same when trade is balanced
        hat = solve_flows(flows, partial, theta=4.0, countries=countries, imbalance=imbalance)
        np.testing.assert_allclose(hat.changes()["welfare_change"], book.changes["welfare_change"], rtol=1e-9)
        relative = hat.nominal_wage / hat.nominal_wage[countries.index("DEU")]
        np.testing.assert_allclose(
            relative, book.levels["price"] / book.levels["price"][countries.index("DEU")], rtol=1e-9
        )
    # gegravity's fixed-shares system holds output shares at the baseline: a different, first-order
    # approximation, about a tenth off the exact welfare change here
    shares = solve(model, costs * np.exp(partial), closure="fixed-shares")
    gap = np.abs(shares.changes["welfare_change"] - hat.changes()["welfare_change"]).max()
    assert 0.01 < gap / np.abs(hat.changes()["welfare_change"]).max() < 0.3


def test_no_partial_effect_changes_nothing() -> None:
    countries, flows = _balanced_world()
    solved = solve_flows(flows, np.zeros_like(flows), theta=4, countries=countries)
    for values in solved.changes().values():
        np.testing.assert_allclose(values, 0.0, atol=1e-9)
    np.testing.assert_allclose(solved.flows, flows, rtol=1e-12)


def test_bad_counterfactuals_say_what_and_where(wiod_dir: Path, eu_indicator: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=wiod_dir)
    with pytest.raises(
        ValidationFailed, match=r"wiod: the flows mix the years 2000, 2005, 2010, 2014.*year = 2014"
    ):
        br.counterfactual_flows("wiod", partial_effects=eu_indicator, theta=4, settings=settings)
    with pytest.raises(
        ValidationFailed, match=r"wiod \(2000\): no domestic flows for AUS→AUS.*beltroad trade domestic"
    ):
        br.counterfactual_flows(
            "wiod", where="year = 2000 AND exporter != importer", partial_effects=eu_indicator, theta=4,
            settings=settings,
        )  # fmt: skip
    unknown = _write(tmp_path, "unknown.csv", "exporter,importer,partial_effect\nCHN,RUS,0.1\nCHN,KGZ,0.2\n")
    with pytest.raises(
        ValidationFailed, match=r"unknown.csv: row\(s\) 2 name pairs that are not in the flows \(KGZ\)"
    ):
        br.counterfactual_flows(
            "wiod", where="year = 2000", partial_effects=unknown, theta=4, settings=settings
        )
    domestic = _write(tmp_path, "domestic.csv", "exporter,importer,partial_effect\nCHN,CHN,0.1\n")
    with pytest.raises(ValidationFailed, match=r"row\(s\) 1 give a domestic pair a partial effect"):
        br.counterfactual_flows(
            "wiod", where="year = 2000", partial_effects=domestic, theta=4, settings=settings
        )
    words = _write(tmp_path, "words.csv", "exporter,importer,partial_effect\nCHN,RUS,large\n")
    with pytest.raises(ValidationFailed, match=r"partial_effect must be a number; not in row\(s\) 1"):
        br.counterfactual_flows(
            "wiod", where="year = 2000", partial_effects=words, theta=4, settings=settings
        )
    sound = _write(tmp_path, "sound.csv", "exporter,importer,partial_effect\nCHN,RUS,0.1\n")
    for theta in (0.0, -4.0, float("nan")):
        with pytest.raises(ValidationFailed, match="theta must be a positive number"):
            br.counterfactual_flows(
                "wiod", where="year = 2000", partial_effects=sound, theta=theta, settings=settings
            )
    with pytest.raises(ValidationFailed, match="--draws bootstraps an estimated coefficient"):
        br.counterfactual_flows(
            "wiod", where="year = 2000", indicator=eu_indicator, coefficient=0.2, theta=4, draws=5,
            settings=settings,
        )  # fmt: skip
    with pytest.raises(
        ImportFailed, match="nowhere: neither a file nor an imported trade data set; imported: wiod"
    ):
        br.counterfactual_flows("nowhere", partial_effects=eu_indicator, theta=4, settings=settings)


def test_a_solve_that_does_not_converge_says_so_with_its_step() -> None:
    countries, flows = _balanced_world()
    with pytest.raises(
        NotConverged, match=r"did not converge in 3 iterations \(the last wage step was [0-9.e-]+"
    ):
        solve_flows(flows, 0.5 * (1 - np.eye(len(countries))), theta=4, countries=countries, max_iter=3)


def test_the_command_line_refuses_mixed_models(wiod_dir: Path, eu_indicator: Path) -> None:
    env = {"BELTROAD_DATA_DIR": str(wiod_dir)}
    done = run_cli(
        "gravity", "counterfactual", "wiod", "--flows", "--partial-effects", str(eu_indicator), env=env
    )
    assert done.returncode != 0 and "--flows needs --theta" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli(
        "gravity", "counterfactual", "wiod", "--flows", "--theta", "4", "--reference", "DEU",
        "--partial-effects", str(eu_indicator), env=env,
    )  # fmt: skip
    assert (
        done.returncode != 0
        and "--formula and --reference belong to the estimated-costs model" in done.stderr
    )


@pytest.mark.slow
def test_bootstrap_draws_run_on_ray_and_give_intervals(
    wiod_dir: Path, eu_indicator: Path, ray_two_workers: int
) -> None:
    assert ray_two_workers == 2
    seen: list[tuple[int, int]] = []
    common = {
        "where": "year = 2000",
        "indicator": eu_indicator,
        "estimate": THREE_WAY,
        "term": "eu_enlargement",
        "theta": 4.0,
        "seed": 7,
        "settings": Settings(data_dir=wiod_dir),
    }
    run = br.counterfactual_flows(
        "wiod", **common, draws=4, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert run.coefficient_draws is not None and len(set(run.coefficient_draws)) == 4
    # resampled pairs move the estimate around the full-sample one by about its standard error
    assert all(abs(b - 0.224249) < 0.5 for b in run.coefficient_draws)
    ltu = run.country("LTU")
    assert ltu.bands is not None
    band = ltu.bands["welfare_change"]
    assert band.low < band.high and band.low <= band.mean <= band.high
    assert run.assumptions["draws"]["interval"].startswith("90 %")
    assert json.loads(json.dumps(run.to_json()))["countries"][0]["bands"]["welfare_change"]["low"] is not None
    # the draws are the seed's: the first two again resample the same pairs, so the estimates agree
    # to the estimator's own precision
    again = br.counterfactual_flows("wiod", **common, draws=2)
    assert again.coefficient_draws == pytest.approx(run.coefficient_draws[:2], rel=1e-9)


def test_geodist_covariates_join_any_panel_and_say_how(tmp_path: Path) -> None:
    data = tmp_path / "var"
    source = shared_file(WIOD)
    env = {"BELTROAD_DATA_DIR": str(data)}
    assert run_cli("trade", "import", "panel", str(source), "--name", "wiod", env=env).returncode == 0
    done = run_cli(
        "trade", "covariates", "wiod", "--geodist", str(shared_file("data/trade/cepii_geodist_dist.csv.gz")),
        "--json", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    meta = json.loads(done.stdout)
    assert set(GEODIST_COLUMNS) <= set(meta["columns"]) and set(GEODIST_COLUMNS) <= set(meta["constructed"])
    assert "Mayer, T. & Zignago" in meta["constructed"]["log_dist"]
    # the rest of the world has no coordinates: its rows stay empty, counted and named
    assert meta["geodist"]["codes_not_in_geodist"] == ["ROW"]
    assert meta["geodist"]["rows_without_covariates"] == 4 * (2 * 44 - 1)
    frame = pd.read_parquet(data / "trade" / "wiod.parquet")
    chn_rus = frame[(frame.exporter == "CHN") & (frame.importer == "RUS")].iloc[0]
    assert chn_rus["cntg"] == 1 and chn_rus["log_dist"] == pytest.approx(np.log(5506.708), rel=1e-6)
    rou = frame[(frame.exporter == "ROU") & (frame.importer == "BGR")].iloc[0]
    assert rou["cntg"] == 1  # GeoDist's ROM is Romania
    # joined again, the covariates are replaced, not doubled
    again = run_cli(
        "trade",
        "covariates",
        "wiod",
        "--geodist",
        str(shared_file("data/trade/cepii_geodist_dist.csv.gz")),
        env=env,
    )
    assert again.returncode == 0, again.stderr
    assert len(pd.read_parquet(data / "trade" / "wiod.parquet").columns) == len(frame.columns)
    # and gravity runs on them as named
    fit = br.estimate(
        "wiod",
        "trade ~ log_dist + cntg | exp_year + imp_year",
        where="exporter != importer",
        settings=Settings(data_dir=data),
    )
    assert fit.coefficient("log_dist").estimate < 0 < fit.coefficient("cntg").estimate


def test_domestic_flows_built_from_output_match_the_icio_diagonal(tmp_path: Path) -> None:
    pairs = pd.read_csv(shared_file("data/trade/oecd_icio2022_intermediate_pairs.csv"))
    foreign = tmp_path / "foreign.csv"
    pairs[pairs.exporter != pairs.importer].to_csv(foreign, index=False)
    data = tmp_path / "var"
    import_trade(data, "panel", foreign, name="icio", mapping={"value": "interm_usd_mn"}, year=2022)
    with pytest.raises(ValidationFailed, match=r"icio \(2022\): no domestic flows for AGO→AGO"):
        br.counterfactual_flows(
            "icio",
            partial_effects=_write(tmp_path, "p.csv", "exporter,importer,partial_effect\n"),
            theta=4,
            settings=Settings(data_dir=data),
        )
    totals_path = shared_file("data/trade/oecd_icio2022_country_totals.csv")
    ds = add_domestic(data, "icio", totals_path, output_column="interm_sales_to_80_usd_mn")
    assert "minus the country's exports" in ds.meta["constructed"]["value (domestic rows)"]
    built = pd.read_parquet(ds.path).query("exporter == importer").set_index("exporter")["value"]
    totals = pd.read_csv(totals_path).set_index("country")["domestic_interm_usd_mn"]
    assert len(built) == 80
    np.testing.assert_allclose(built, totals.loc[built.index], rtol=1e-12)
    with pytest.raises(ValidationFailed, match="already has 80 domestic rows"):
        add_domestic(data, "icio", totals_path, output_column="interm_sales_to_80_usd_mn")


def test_domestic_flows_are_refused_where_output_is_below_exports(tmp_path: Path) -> None:
    data = tmp_path / "var"
    source = _write(tmp_path, "p.csv", "exporter,importer,year,trade\nCHN,RUS,2020,50\nRUS,CHN,2020,30\n")
    import_trade(data, "panel", source, name="p")
    totals = _write(tmp_path, "t.csv", "country,output\nCHN,40\nRUS,100\n")
    with pytest.raises(
        ValidationFailed, match=r"output below exports for CHN 2020 \(output 40 < exports 50\)"
    ):
        add_domestic(data, "p", totals, output_column="output")
    assert len(pd.read_parquet(data / "trade" / "p.parquet")) == 2  # nothing written
    short = _write(tmp_path, "short.csv", "country,output\nCHN,400\n")
    with pytest.raises(ValidationFailed, match="no output for RUS 2020"):
        add_domestic(data, "p", short, output_column="output")


def test_imports_at_once_all_land_in_the_manifest(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    source = _write(tmp_path, "p.csv", "exporter,importer,year,trade\nCHN,RUS,2020,50\nRUS,CHN,2020,30\n")
    names = [f"p{i}" for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: import_trade(tmp_path / "var", "panel", source, name=n), names))
    assert sorted(d.name for d in datasets(tmp_path / "var")) == names


@pytest.mark.slow
def test_impact_of_the_shipped_scenarios_on_world_flows(wiod_dir: Path, ray_two_workers: int) -> None:
    pytest.importorskip("scgraph_data")
    settings = Settings(data_dir=wiod_dir)
    import_trade(
        wiod_dir, "panel", shared_file("data/trade/oecd_icio2022_intermediate_pairs.csv"), name="icio",
        mapping={"value": "interm_usd_mn"}, year=2022, covers="intermediate",
    )  # fmt: skip
    seen: list[int] = []
    run = br.impact(
        "tongjiang-railway-bridge", "wiod", draws=30, workers=2, settings=settings,
        progress=lambda done, total: seen.append(done),
    )  # fmt: skip
    assert isinstance(run, FlowImpact)
    assert run.year == 2014 and run.covered == ["CHN", "RUS"] and not run.folded_into_region
    assert seen[-1] == 30
    fastest = run.largest_time_savings_days[0]
    assert {fastest["from"], fastest["to"]} == {"CHN", "RUS"} and fastest["days_saved"] > 0
    rus, chn, deu = (run.country(k) for k in ("RUS", "CHN", "DEU"))
    for gainer in (rus, chn):
        assert gainer.bands is not None
        band = gainer.bands["welfare_change"]
        assert 0 < band.low <= band.mean <= band.high
        assert gainer.foreign_exports_change > 0
    # the smaller partner gains more in percent; a country outside the link loses a little to diversion
    assert rus.welfare_change > chn.welfare_change > 0 > deu.welfare_change
    low, high = run.runs
    at = [r["country"] for r in low["countries"]].index("RUS")
    assert 0 < low["countries"][at]["welfare_change"] < high["countries"][at]["welfare_change"]
    assert "Hummels" in run.assumptions["value_of_time_source"] and run.assumptions["theta"] == 4.0
    assert run.assumptions["data"]["file"].endswith("wiod2016_44_trade_2000_2014.csv")  # cited with its file
    assert "flows_caveat" not in run.assumptions  # WIOD's flows are all of trade

    # Kyrgyzstan and Uzbekistan are not in WIOD: inside its rest of the world, and said so
    kgz = br.impact("china-kyrgyzstan-uzbekistan-railway", "wiod", settings=settings)
    assert isinstance(kgz, FlowImpact)
    assert kgz.folded_into_region == {"ROW": ["KGZ", "UZB"]} and "KGZ, UZB" in kgz.assumptions["folded"]
    # ICIO has no rest of the world: they are named as not covered
    icio = br.impact("china-kyrgyzstan-uzbekistan-railway", "icio", settings=settings)
    assert isinstance(icio, FlowImpact)
    assert icio.not_covered == ["KGZ", "UZB"] and icio.covered == ["CHN"]
    # and a GE of intermediate trade says so beside its figures
    assert "intermediate goods and services only" in icio.assumptions["flows_caveat"]


def test_what_the_flows_cover_is_one_of_the_known_scopes(tmp_path: Path) -> None:
    source = _write(tmp_path, "pairs.csv", "exporter,importer,value\nCHN,RUS,5\nRUS,CHN,3\n")
    with pytest.raises(ValidationFailed, match="unknown flows coverage 'final'; choose one of all, intermediate"):
        import_trade(tmp_path, "panel", source, name="p", year=2022, covers="final")
    assert not (tmp_path / "trade" / "p.parquet").exists()
    ds = import_trade(tmp_path, "panel", source, name="p", year=2022, covers="intermediate")
    assert ds.meta["covers"] == "intermediate" and "intermediate" in (flows_caveat(ds.meta) or "")
    assert flows_caveat(import_trade(tmp_path, "panel", source, name="q", year=2022).meta) is None


def test_time_saved_becomes_a_partial_effect_by_the_stated_rule() -> None:
    days = np.array([[0.0, 2.0], [2.0, 0.0]])
    partial = partial_from_days(days, 1.5, 4.0)
    assert partial[0, 1] == pytest.approx(-4.0 * np.log(1 - 0.03))
    assert partial[0, 0] == 0
    with pytest.raises(ValidationFailed, match="would remove the whole trade cost"):
        partial_from_days(np.array([[0.0, 80.0], [0.0, 0.0]]), 2.1, 4.0)


def test_changed_pairs_make_the_indicator_of_the_eu_exercise(
    wiod_dir: Path, eu_indicator: Path, tmp_path: Path
) -> None:
    out = tmp_path / "new.csv"
    env = {"BELTROAD_DATA_DIR": str(wiod_dir)}
    done = run_cli(
        "trade",
        "changed",
        "wiod",
        "eu_enlargement",
        "--from",
        "2000",
        "--to",
        "2014",
        "--out",
        str(out),
        env=env,
    )
    assert done.returncode == 0, done.stderr
    made = pd.read_csv(out).sort_values(["exporter", "importer"]).reset_index(drop=True)
    expected = pd.read_csv(eu_indicator).sort_values(["exporter", "importer"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(made, expected, check_dtype=False)
    bad = run_cli("trade", "changed", "wiod", "eu_enlargement", "--from", "1999", "--to", "2014", env=env)
    assert bad.returncode != 0 and "wiod has no year 1999; it has 2000, 2005, 2010, 2014" in bad.stderr


def test_partners_in_a_year_the_data_lack_say_which_years_it_has(wiod_dir: Path) -> None:
    env = {"BELTROAD_DATA_DIR": str(wiod_dir)}
    done = run_cli("trade", "partners", "CHN", "--year", "2019", "--dataset", "wiod", env=env)
    assert (
        done.returncode == 1 and "wiod has no trade in 2019; its years: 2000, 2005, 2010, 2014" in done.stderr
    )
    assert done.stdout.strip() == ""


@pytest.mark.slow
def test_a_pair_joined_by_rail_for_the_first_time_is_timed_by_road_before(
    wiod_dir: Path, tmp_path: Path
) -> None:
    """A made-up line from Baoshan (Yunnan) to Mandalay joins China's and Myanmar's railways, which
    the network has apart: their city pairs had no rail time before, and road times them instead."""
    pytest.importorskip("scgraph_data")
    from beltroad.trade.impact import country_time_changes
    from beltroad.transport import load_scenario, open_router

    scenario_file = tmp_path / "baoshan-mandalay.yaml"
    scenario_file.write_text(
        "id: baoshan-mandalay-test\nname: test line\nproject: none\nsummary: a test fixture, not a project\n"
        "countries: [CHN, MMR]\ncite: [{title: test fixture}]\nchanges:\n"
        "  - {kind: link, from: {lat: 25.11, lon: 99.16}, to: {lat: 21.97, lon: 96.08}}\n"
    )
    scenario = load_scenario(str(scenario_file))
    cache = wiod_dir / "transport"
    rail = open_router("rail", cache)
    alone = country_time_changes(rail, scenario, ["CHN", "MMR"], 3)
    assert np.isnan(alone.before[0, 1])  # without another mode the pair has no time before
    opened: list[str] = []

    def road() -> Router:
        opened.append("road")
        return open_router("road", cache)

    timed = country_time_changes(rail, scenario, ["CHN", "MMR"], 3, other_mode=road)
    assert opened == ["road"]
    assert timed.joined_city_pairs > 0 and 0 < timed.timed_by_other_mode <= timed.joined_city_pairs
    assert np.isfinite(timed.before[0, 1]) and timed.after[0, 1] <= timed.before[0, 1]
