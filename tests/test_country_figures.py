"""Country figures for the map's choropleths: the knowledge base's observations about countries
(gathered by measure, counterpart and period), each country's BRI signing year, and an imported
trade data set's trade with one country — on both store backends and through the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.conftest import TEST_DATA, run_cli

import beltroad as br
from beltroad.api import create_app
from beltroad.errors import RecordNotFound, ValidationFailed
from beltroad.importers import import_bri_signatories, import_finance_commitments
from beltroad.settings import Settings
from beltroad.store import BRI_YEAR, country_figure_series, country_figures, create_record, writing
from beltroad.trade import dataset, import_trade, partner_figures

FINANCE_HEADER = "country_name,iso3c,total_commitments_bn,weighted_interest_rate\n"
CITE = {"source": "yang-belarus-town", "section": "Introduction", "paragraph": 1}


def _finance(folder: Path, name: str, rows: str) -> Path:
    path = folder / name
    path.write_text(FINANCE_HEADER + rows, encoding="utf-8")
    return path


def _observation(engine: Engine, rid: str, country: str, value: float, period: str) -> None:
    data = {
        "id": rid,
        "name": f"Test commitments to {country}, {period}",
        "measure": "development_finance_commitments",
        "subject": [country, "china"],
        "value": value,
        "unit": "USD",
        "qualifier": "committed",
        "period": period,
    }
    with writing(engine) as conn:
        create_record(conn, "tester", "observation", data, citation=CITE)


def test_pairs_with_one_country_in_common_make_a_map_of_the_other_each_value_cited(
    store: Engine, tmp_path: Path
) -> None:
    path = _finance(tmp_path, "commitments.csv", "Belarus,BLR,8.5,2.1\nKazakhstan,KAZ,22.25,\nPakistan,PAK,70.0,3.5\n")
    import_finance_commitments(store, path, progress=False)
    with store.connect() as conn:
        series = {s.measure: s for s in country_figure_series(conn)}
        figures = country_figures(conn, "development_finance_commitments")
        rates = country_figures(conn, "interest_rate")
        # the curated Belarus–China trade is one pair: no counterpart can be told, no map made
        assert "trade_value" not in series
    commitments = series["development_finance_commitments"]
    assert (commitments.counterpart, commitments.countries) == ("CHN", 3)
    assert commitments.title == "Development finance commitments (with China), 2000–2021, USD"
    assert [(c.country, c.numeric, c.value) for c in figures.countries] == [
        ("PAK", "586", 70.0e9),
        ("KAZ", "398", 22.25e9),
        ("BLR", "112", 8.5e9),
    ]
    assert figures.unit == "USD" and figures.counterpart == "CHN" and figures.conflicting is None
    assert [c.citations[0]["locator"] for c in figures.countries] == ["row 4", "row 3", "row 2"]
    assert figures.source == "development finance data set commitments.csv"
    # a rate only where the file gives one
    assert [c.country for c in rates.countries] == ["PAK", "BLR"]
    assert figures.to_json()["countries"][0]["records"] == [figures.countries[0].records[0]]


def test_a_measure_of_two_series_asks_which_and_records_that_disagree_are_not_averaged(
    store: Engine, tmp_path: Path
) -> None:
    import_finance_commitments(store, _finance(tmp_path, "a.csv", "Belarus,BLR,8.5,\nKazakhstan,KAZ,22.25,\n"), progress=False)
    _observation(store, "test-commitments-blr-2019", "belarus", 1.0e9, "2019")
    _observation(store, "test-commitments-kaz-2019", "kazakhstan", 2.0e9, "2019")
    with store.connect() as conn:
        with pytest.raises(ValidationFailed, match=r"has 2 series.*period=2019"):
            country_figures(conn, "development_finance_commitments")
        in_2019 = country_figures(conn, "development_finance_commitments", period="2019")
        with pytest.raises(RecordNotFound, match=r"measures with country figures: .*development_finance_commitments"):
            country_figures(conn, "gdp")
    assert [(c.country, c.value) for c in in_2019.countries] == [("KAZ", 2.0e9), ("BLR", 1.0e9)]
    assert in_2019.title.endswith(", 2019, USD")
    # a second record of Belarus's 2019 figure with another value: neither is shown; a second of
    # Kazakhstan's with the same value: one figure citing both
    _observation(store, "test-commitments-blr-2019-again", "belarus", 1.5e9, "2019")
    _observation(store, "test-commitments-kaz-2019-again", "kazakhstan", 2.0e9, "2019")
    with store.connect() as conn:
        again = country_figures(conn, "development_finance_commitments", period="2019")
    assert again.conflicting == ["BLR"] and [c.country for c in again.countries] == ["KAZ"]
    kaz = again.countries[0]
    assert kaz.value == 2.0e9 and len(kaz.records) == 2 and len(kaz.citations) == 2


def test_each_country_is_coloured_by_the_year_of_its_first_bri_document(store: Engine) -> None:
    import_bri_signatories(store, TEST_DATA / "bri_small.csv", progress=False)
    with store.connect() as conn:
        years = country_figures(conn, BRI_YEAR)
        listed = [s.measure for s in country_figure_series(conn)]
    assert BRI_YEAR in listed
    found = {c.country: c.value for c in years.countries}
    assert found["BLR"] == 2014 and found["GRC"] == 2018 and found["NAM"] == 2018
    assert "CHN" not in found
    assert years.method is not None and "earliest" in years.method
    # the same from a notebook
    assert br.country_figures(BRI_YEAR, store=store) == years


def _panel(tmp_path: Path) -> Path:
    panel = tmp_path / "panel.csv"
    panel.write_text(
        "year,exporter,importer,value\n"
        + "".join(
            f"{year},{a},{b},{value}\n"
            for year, a, b, value in [
                (2010, "CHN", "KAZ", 5), (2010, "KAZ", "CHN", 3), (2010, "CHN", "RUS", 40),
                (2014, "CHN", "KAZ", 7), (2014, "KAZ", "CHN", 4), (2014, "CHN", "RUS", 50),
                (2014, "RUS", "CHN", 30), (2014, "CHN", "CHN", 900), (2014, "CHN", "ROW", 100),
                (2014, "KAZ", "RUS", 2), (2014, "MNG", "MNG", 5),
            ]
        ),
        encoding="utf-8",
    )
    return panel


def test_trade_with_a_country_sums_both_directions_leaving_out_its_own_sales_and_regions(tmp_path: Path) -> None:
    ds = import_trade(
        tmp_path, "panel", _panel(tmp_path), name="tiny", unit="million US dollars", citation="a test panel"
    )
    latest = partner_figures(ds, "CHN")
    assert latest.period == "2014" and [(c.country, c.value) for c in latest.countries] == [("RUS", 80.0), ("KAZ", 11.0)]
    assert latest.unit == "million US dollars" and latest.source.startswith("a test panel")
    assert latest.countries[0].citations == [
        {"source": "tiny", "source_title": "a test panel", "locator": "year 2014", "path": "cite"}
    ]
    assert [(c.country, c.value) for c in partner_figures(ds, "CHN", 2010).countries] == [("RUS", 40.0), ("KAZ", 8.0)]
    with pytest.raises(RecordNotFound, match="has no trade in 2012; its years: 2010, 2014"):
        partner_figures(ds, "CHN", 2012)
    with pytest.raises(RecordNotFound, match="'PAK' is not an exporter in tiny"):
        partner_figures(dataset(tmp_path, "tiny"), "PAK")
    with pytest.raises(RecordNotFound, match="MNG trades with no other country in tiny"):
        partner_figures(ds, "MNG")


def test_the_api_serves_the_maps_and_names_what_it_cannot(sqlite_store: Engine, tmp_path: Path) -> None:
    import_trade(tmp_path, "panel", _panel(tmp_path), name="tiny", unit="million US dollars")
    client = TestClient(create_app(sqlite_store, Settings(data_dir=tmp_path)))
    assert client.get("/api/countries/figures").json() == {"ok": True, "items": []}
    missing = client.get("/api/countries/figures/gdp")
    assert missing.status_code == 404 and "no country figures of measure 'gdp'" in missing.json()["error"]
    bad = client.get("/api/countries/figures/gdp", params={"counterpart": "china"})
    assert bad.status_code == 422 and "counterpart" in bad.json()["error"]
    listed = client.get("/api/trade/datasets").json()["items"]
    assert [(d["name"], d["last_year"]) for d in listed] == [("tiny", 2014)]
    body = client.get("/api/trade/datasets/tiny/partners", params={"country": "CHN"}).json()
    assert body["ok"] and [c["country"] for c in body["countries"]] == ["RUS", "KAZ"]
    assert body["countries"][0]["numeric"] == "643"
    assert client.get("/api/trade/datasets/none/partners").status_code == 404
    assert client.get("/api/trade/datasets/tiny/partners", params={"year": 2012}).status_code == 404


def test_the_command_lists_the_maps_then_prints_one_as_a_table_csv_or_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert run_cli("db", "init", db=url).returncode == 0
    empty = run_cli("figures", db=url)
    assert empty.returncode == 0 and "no country figures yet" in empty.stdout
    assert run_cli("import", "bri-signatories", str(TEST_DATA / "bri_small.csv"), "--json", db=url).returncode == 0
    listed = run_cli("figures", db=url)
    assert "Year of the first BRI cooperation document with China: 3 countries" in listed.stdout
    assert "beltroad figures bri_cooperation_document_year --unit year" in listed.stdout
    table = run_cli("figures", BRI_YEAR, "--csv", db=url)
    rows = table.stdout.splitlines()
    assert rows[0] == "country,name,value,source" and any(r.startswith("BLR,Belarus,2014,") for r in rows)
    as_json = json.loads(run_cli("figures", BRI_YEAR, "--json", db=url).stdout)
    assert {c["country"] for c in as_json["countries"]} == {"BLR", "GRC", "NAM"}
    missing = run_cli("figures", "gdp", db=url)
    assert missing.returncode != 0 and "no country figures of measure 'gdp'" in missing.stderr
    assert "Traceback" not in missing.stderr
