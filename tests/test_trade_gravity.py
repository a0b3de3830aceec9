"""Gravity estimation and general-equilibrium counterfactuals, checked against published references.

- Yotov, Piermartini, Monteiro & Larch (2016), *An Advanced Guide to Trade Policy Analysis*,
  chapter 1, Table 1: the PPML and OLS-with-fixed-effects estimates of traditional gravity.
- The same book, chapter 2, application "trade without borders": the baseline PPML estimates as
  printed in the book's Stata log (TradeWithoutBorder.log), and the full endowment results per
  country as published by the tradepolicy replication of the book (Vargas Sepulveda, CC BY 4.0,
  its chapter "General equilibrium trade policy analysis with structural gravity").
- The USITC package gegravity, run here on its own sample with tight tolerances.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import run_cli, shared_file

from beltroad.errors import ImportFailed, NotConverged, ValidationFailed
from beltroad.trade import GEModel, Shock, estimate_gravity, read_panel, run_counterfactual, solve

CH1_YEARS = "year in (1986, 1990, 1994, 1998, 2002, 2006) and exporter <> importer"
CH1_FORMULA = "trade ~ log_dist + cntg + lang + clny | exp_year + imp_year"
GEG_FORMULA = "trade ~ pta + contiguity + common_language + lndist + international | exporter + importer"
CAN_JPN = "(exporter = 'CAN' and importer = 'JPN') or (exporter = 'JPN' and importer = 'CAN')"


def _coefficients(result: dict[str, object]) -> dict[str, float]:
    return {c["name"]: c["estimate"] for c in result["coefficients"]}  # type: ignore[attr-defined]


@pytest.mark.slow
def test_chapter_1_table_1_ppml_and_ols_with_fixed_effects() -> None:
    panel = read_panel(shared_file("data/trade/agtpa_applications.csv.gz"), CH1_YEARS)
    ppml = estimate_gravity(panel, CH1_FORMULA, cluster="pair_id").to_json()
    assert ppml["n"] == 28_152 and "fit" not in ppml  # pyfixest's object stays in Python
    assert {k: round(v, 3) for k, v in _coefficients(ppml).items()} == {
        "log_dist": -0.841,
        "cntg": 0.437,
        "lang": 0.247,
        "clny": -0.222,
    }
    assert ppml["fixed_effects"] == {"exp_year": 414, "imp_year": 414}
    ols = estimate_gravity(panel, CH1_FORMULA, method="ols", cluster="pair_id").to_json()
    assert ols["n"] == 25_689 and ols["dropped"] == 28_152 - 25_689
    assert {k: round(v, 3) for k, v in _coefficients(ols).items()} == {
        "log_dist": -1.216,
        "cntg": 0.223,
        "lang": 0.661,
        "clny": 0.670,
    }


#: country: (price, real GDP, inward resistance, exports conditional, exports full), percent
TRADE_WITHOUT_BORDERS = {
    "DEU": (24.36149230232745, 24.36149230232745, 0.0, 133.3884682418705, 190.7961199741184),
    "ARG": (32.1522097201747, 48.98525105793352, -11.29846157134925, 65.524101609352, 118.1201521846502),
    "AUS": (21.35733721260036, 28.60991113049349, -5.639202961997491, 229.559083728267, 300.2246068434678),
    "CHN": (23.23944656564143, 14.35432049579004, 7.769821053834614, 175.4962321443049, 238.2476333061526),
}


@pytest.mark.slow
def test_chapter_2_trade_without_borders() -> None:
    frame = read_panel(shared_file("data/trade/agtpa_1_TradeWithoutBorder.dta.gz"))
    frame = frame.replace({"exporter": {"ZZZ": "DEU"}, "importer": {"ZZZ": "DEU"}})
    formula = "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer"
    result, assumptions = run_counterfactual(
        frame, formula, Shock(coefficients={"INTL_BRDR": 0.0}), sigma=7, reference="DEU", closure="geppml"
    )
    # the book's Stata log prints these baseline estimates
    assert assumptions["coefficients"] == pytest.approx(
        {"ln_DIST": -0.7912879, "CNTG": 0.6736456, "INTL_BRDR": -2.47445}, abs=5e-7
    )
    rows = {r["country"]: r for r in result.rows()}
    for country, expected in TRADE_WITHOUT_BORDERS.items():
        row = rows[country]
        got = (
            row["factory_gate_price_change"],
            row["real_gdp_change"],
            row["imr_change"],
            row["conditional_foreign_exports_change"],
            row["foreign_exports_change"],
        )
        # the replication stopped its loop at a price step of 1e-5; 1e-4 relative is its precision
        assert got == pytest.approx(expected, rel=1e-4, abs=1e-9), country


def _gegravity_results(frame: pd.DataFrame, beta: dict[str, float]) -> pd.DataFrame:
    from benchmarks._gegravity import one_sector_ge  # the benchmarks' set-up of the peer

    data = frame.copy()
    data["year"] = data["year"].astype(str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = one_sector_ge(data, year="2006", reference="DEU", sigma=5, coefficients=beta, mr_tolerance=1e-13)
        experiment = model.baseline_data.copy()
        pair = experiment["importer"].isin(["CAN", "JPN"]) & experiment["exporter"].isin(["CAN", "JPN"])
        experiment.loc[pair & (experiment["importer"] != experiment["exporter"]), "pta"] = 1
        model.define_experiment(experiment)
        model.simulate(ge_tolerance=1e-13)
        return model.country_results


@pytest.mark.slow
def test_fixed_shares_closure_agrees_with_gegravity() -> None:
    path = shared_file("data/trade/gegravity_sample_2006.csv")
    frame = read_panel(path)
    result, assumptions = run_counterfactual(
        frame,
        GEG_FORMULA,
        Shock(set_values={"pta": 1}, set_where=CAN_JPN),
        sigma=5,
        reference="DEU",
        output="Y",
        expenditure="E",
    )
    assert assumptions["rows_changed"] == 2
    reference = _gegravity_results(frame, assumptions["coefficients"])
    ours = pd.DataFrame(result.rows()).set_index("country").loc[reference.index]
    columns = {
        "factory gate price change (percent)": "factory_gate_price_change",
        "omr change (percent)": "omr_change",
        "imr change (percent)": "imr_change",
        "GDP change (percent)": "real_gdp_change",
        "terms of trade change (percent)": "terms_of_trade_change",
        "output change (percent)": "output_change",
        "foreign exports change (percent)": "foreign_exports_change",
        "foreign imports change (percent)": "foreign_imports_change",
        "intranational trade change (percent)": "intranational_trade_change",
    }
    for theirs, mine in columns.items():
        np.testing.assert_allclose(ours[mine], reference[theirs], rtol=1e-4, atol=1e-9, err_msg=mine)
    # the agreement bites: Canada gains, the rest of the world loses a little
    assert ours.loc["CAN", "real_gdp_change"] > 0.3 and ours.loc["DEU", "real_gdp_change"] < 0


def _toy(n: int = 4, sigma: float = 5.0) -> GEModel:
    """A symmetric world of n countries on a line: costs rise with distance, borders cost more."""
    positions = np.arange(n, dtype=float)
    distance = np.abs(positions[:, None] - positions[None, :]) + 1.0
    border = 1.0 - np.eye(n)
    costs = np.exp(-1.0 * np.log(distance) - 1.5 * border)
    output = np.full(n, 100.0)
    return GEModel(tuple(f"C{i}" for i in range(n)), output, output.copy(), costs, sigma, "C0")


@pytest.mark.parametrize("closure", ["fixed-shares", "geppml"])
def test_no_change_in_costs_changes_nothing(closure: str) -> None:
    model = _toy()
    result = solve(model, model.costs.copy(), closure=closure)  # type: ignore[arg-type]
    for name, values in result.changes.items():
        np.testing.assert_allclose(values, 0.0, atol=1e-8, err_msg=name)
    np.testing.assert_allclose(result.baseline_trade.sum(axis=1), model.output, rtol=1e-10)


@pytest.mark.parametrize("closure", ["fixed-shares", "geppml"])
def test_a_cheaper_border_raises_trade_and_real_income(closure: str) -> None:
    model = _toy()
    cheaper = model.costs * np.where(np.eye(4) == 1, 1.0, np.exp(0.5))  # a third of the border cost gone
    result = solve(model, cheaper, closure=closure)  # type: ignore[arg-type]
    assert np.all(result.changes["foreign_exports_change"] > 0)
    assert np.all(result.changes["intranational_trade_change"] < 0)
    assert np.all(result.changes["real_gdp_change"] > 0)
    # the world is symmetric about its middle, and real income does not depend on the numeraire
    gains = result.changes["real_gdp_change"]
    assert gains[0] == pytest.approx(gains[3], rel=1e-6) and gains[1] == pytest.approx(gains[2], rel=1e-6)


def test_bad_models_and_failed_solves_say_so() -> None:
    model = _toy()
    with pytest.raises(ValidationFailed, match="elasticity of substitution must be above 1"):
        GEModel(model.countries, model.output, model.expenditure, model.costs, 1.0, "C0")
    with pytest.raises(ValidationFailed, match="output must be positive and finite; not for C2"):
        GEModel(model.countries, np.array([1.0, 1.0, -1.0, 1.0]), model.expenditure, model.costs, 5, "C0")
    with pytest.raises(ValidationFailed, match="reference importer 'XX' is not among"):
        GEModel(model.countries, model.output, model.expenditure, model.costs, 5, "XX")
    with pytest.raises(ValidationFailed, match="square 4×4 matrix"):
        GEModel(model.countries, model.output, model.expenditure, model.costs[:3], 5, "C0")
    with pytest.raises(NotConverged, match=r"did not converge in 2 iterations \(residual"):
        solve(model, model.costs * 1.1, max_iter=2)
    with pytest.raises(ValidationFailed, match="unknown closure 'magic'"):
        solve(model, model.costs, closure="magic")  # type: ignore[arg-type]


def _write_panel(path: Path, rows: list[tuple[str, str, int, float, float]]) -> Path:
    pd.DataFrame(rows, columns=["exporter", "importer", "year", "trade", "dist"]).to_csv(path, index=False)
    return path


def test_bad_panels_are_refused_with_their_rows(tmp_path: Path) -> None:
    negative = _write_panel(
        tmp_path / "neg.csv",
        [("A", "B", 2000, 5.0, 10.0), ("B", "A", 2000, -1.0, 10.0), ("A", "A", 2000, 9, 1)],
    )
    with pytest.raises(ValidationFailed, match=r"trade must be a number of at least 0; not in row\(s\) 2"):
        estimate_gravity(read_panel(negative), "trade ~ log_dist | exporter + importer").to_json()
    duplicated = _write_panel(
        tmp_path / "dup.csv", [("A", "B", 2000, 5.0, 10.0), ("A", "B", 2000, 6.0, 10.0)]
    )
    with pytest.raises(
        ValidationFailed, match=r"duplicate exporter-importer-year rows: row\(s\) 2; aggregate"
    ):
        estimate_gravity(read_panel(duplicated), "trade ~ log_dist | exporter + importer").to_json()
    with pytest.raises(ValidationFailed, match="no column\\(s\\) rta"):
        estimate_gravity(read_panel(negative), "trade ~ rta | exporter + importer").to_json()
    with pytest.raises(ValidationFailed, match="needs the form"):
        estimate_gravity(read_panel(negative), "trade log_dist").to_json()
    spreadsheet = tmp_path / "x.xlsx"
    spreadsheet.write_text("")
    with pytest.raises(ImportFailed, match="unknown format"):
        read_panel(spreadsheet)
    with pytest.raises(ImportFailed, match="the --where condition failed"):
        read_panel(negative, "no_such_column > 1")
    with pytest.raises(ImportFailed, match="no such file"):
        read_panel(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("drop", "shock", "message"),
    [
        (
            5,
            Shock(coefficients={"log_dist": 0}),
            "needs every exporter-importer pair, domestic flows included; missing B→C",
        ),
        (None, Shock(set_values={"log_dist": 0}, set_where="1 = 0"), "matches no row"),
        (None, Shock(coefficients={"rta": 1}), "rta: not a cost variable"),
    ],
)
def test_a_counterfactual_says_what_it_cannot_do(drop: int | None, shock: Shock, message: str) -> None:
    rows = [(a, b, 2000, 10.0 if a != b else 100.0, 1.0 if a == b else 5.0) for a in "ABC" for b in "ABC"]
    frame = pd.DataFrame(rows, columns=["exporter", "importer", "year", "trade", "dist"])
    if drop is not None:
        frame = frame.drop(index=drop)
    with pytest.raises(ValidationFailed, match=message):
        run_counterfactual(frame, "trade ~ log_dist | exporter + importer", shock, sigma=5, reference="A")


def test_gravity_from_the_command_line(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    countries = [f"C{i}" for i in range(8)]
    where = {c: rng.uniform(0, 10, 2) for c in countries}
    rows = []
    for a in countries:
        for b in countries:
            dist = float(np.hypot(*(where[a] - where[b]))) + 1.0
            rows.append((a, b, 2000, float(rng.poisson(2000 * dist**-1.0)), dist))
    panel = _write_panel(tmp_path / "panel.csv", rows)
    shown = run_cli(
        "gravity", "estimate", str(panel), "--formula", "trade ~ log_dist | exporter + importer", "--json"
    )
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout)
    assert result["n"] == 64 and result["coefficients"][0]["name"] == "log_dist"
    assert -1.2 < result["coefficients"][0]["estimate"] < -0.8  # the data were drawn with -1
    costs = tmp_path / "costs.csv"
    costs.write_text("exporter,importer,change_percent\nC0,C1,-10\nC1,C0,-10\n")
    counterfactual = (
        "gravity", "counterfactual", str(panel), "--formula", "trade ~ log_dist | exporter + importer",
        "--reference", "C7",
    )  # fmt: skip
    cf = run_cli(*counterfactual, "--cost-changes", str(costs), "--json")
    assert cf.returncode == 0, cf.stderr
    body = json.loads(cf.stdout)
    assert body["assumptions"]["closure"] == "fixed-shares" and body["assumptions"]["sigma"] == 7.0
    gains = {r["country"]: r["real_gdp_change"] for r in body["countries"]}
    assert gains["C0"] > 0 and gains["C1"] > 0 and max(gains, key=gains.__getitem__) in {"C0", "C1"}
    bad = run_cli(*counterfactual)
    assert bad.returncode != 0 and "say what changes" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_impact_of_a_link_between_two_countries_of_the_panel(tmp_path: Path, network_cache: Path) -> None:
    """A made-up shortcut from Ürümqi to Moscow, to see the chain work end to end."""
    pytest.importorskip("scgraph_data")
    from beltroad.trade import run_impact
    from beltroad.transport import Router, load, load_scenario

    scenario_file = tmp_path / "shortcut.yaml"
    scenario_file.write_text(
        "id: shortcut-test\nname: test line\nproject: none\nsummary: a test fixture, not a project\n"
        "countries: [CHN, DEU, RUS]\ncite: [{title: test fixture}]\nchanges:\n"
        "  - {kind: link, from: {lat: 43.80, lon: 87.60}, to: {lat: 55.75, lon: 37.62}, km: 2500}\n"
    )
    scenario = load_scenario(str(scenario_file))
    panel = read_panel(shared_file("data/trade/agtpa_applications.csv.gz"), "year = 2006")
    router = Router(load("rail", network_cache))
    result = run_impact(
        router,
        scenario,
        panel,
        "trade ~ log_dist + cntg + lang + clny | exporter + importer",
        sigma=7,
        reference="DEU",
        per_country=3,
        work_dir=tmp_path,
    )
    assert result["not_in_panel"] == ["RUS"] and "RUS" in result["note"]
    fastest = result["largest_time_savings_days"][0]
    assert "CHN" in {fastest["from"], fastest["to"]} and fastest["days_saved"] > 1
    low, high = result["runs"]
    gains = {
        run["value_of_time_percent_per_day"]: {r["country"]: r for r in run["countries"]}
        for run in (low, high)
    }
    for country in ("CHN", "DEU"):
        assert 0 < gains[0.6][country]["real_gdp_change"] < gains[2.1][country]["real_gdp_change"]
    assert gains[2.1]["CHN"]["foreign_exports_change"] > 0


def test_a_made_pair_id_is_directed_and_the_unordered_one_is_asked_for_by_name() -> None:
    import pandas as pd

    from beltroad.trade import add_derived_columns

    frame = pd.DataFrame({"exporter": ["CHN", "RUS", "CHN"], "importer": ["RUS", "CHN", "KAZ"]})
    made = add_derived_columns(frame, ["pair_id", "pair_id_unordered"])
    assert list(made["pair_id"]) == ["CHN_RUS", "RUS_CHN", "CHN_KAZ"]
    assert list(made["pair_id_unordered"]) == ["CHN_RUS", "CHN_RUS", "CHN_KAZ"]
    # a panel's own pair_id is kept as it is
    own = add_derived_columns(frame.assign(pair_id=[1, 1, 2]), ["pair_id"])
    assert list(own["pair_id"]) == [1, 1, 2]
