"""Trade data: BACI, Comtrade and generic panels into Parquet, checked first; series and partners."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from tests.conftest import run_cli, shared_file

from beltroad.errors import ImportFailed, RecordNotFound, ValidationFailed
from beltroad.trade import dataset, datasets, import_trade, partners, series

PANEL = """origin,destination,yr,flow
CHN,BLR,2019,2.0
BLR,CHN,2019,1.0
CHN,BLR,2020,3.0
BLR,CHN,2020,1.5
CHN,USA,2020,10.0
USA,CHN,2020,4.0
ROM,CHN,2020,0.5
"""
MAPPING = {"exporter": "origin", "importer": "destination", "year": "yr", "value": "flow"}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_generic_panel_with_a_column_mapping(tmp_path: Path) -> None:
    data = tmp_path / "var"
    source = _write(tmp_path, "mine.csv", PANEL)
    ds = import_trade(
        data, "panel", source, mapping=MAPPING, renames={"ROM": "ROU"}, unit="billion US dollars"
    )
    assert ds.meta["rows"] == 7 and (ds.meta["first_year"], ds.meta["last_year"]) == (2019, 2020)
    assert [d.name for d in datasets(data)] == ["mine"] and dataset(data, None).path == ds.path
    rows = series(ds, "BLR", "CHN")
    assert rows == [
        {"year": 2019, "BLR_to_CHN": 1.0, "CHN_to_BLR": 2.0, "total": 3.0, "growth_percent": None},
        {"year": 2020, "BLR_to_CHN": 1.5, "CHN_to_BLR": 3.0, "total": 4.5, "growth_percent": 50.0},
    ]
    top = partners(ds, "CHN", 2020)
    assert [p["partner"] for p in top] == ["USA", "BLR", "ROU"]
    assert sum(p["share_percent"] for p in top) == pytest.approx(100, abs=0.01)
    assert top[0]["exports"] == 10.0 and top[0]["imports"] == 4.0
    with pytest.raises(RecordNotFound, match="'KAZ' is not an exporter in mine"):
        series(ds, "KAZ", "CHN")


def test_pair_totals_weigh_a_scenario_by_the_latest_years_trade(tmp_path: Path) -> None:
    from beltroad.trade import pair_totals

    source = _write(tmp_path, "mine.csv", PANEL)
    ds = import_trade(tmp_path / "var", "panel", source, mapping=MAPPING, renames={"ROM": "ROU"})
    year, totals = pair_totals(ds, ["CHN", "BLR", "USA"])
    assert year == 2020
    assert totals[("CHN", "USA")] == totals[("USA", "CHN")] == 14.0
    assert totals[("BLR", "CHN")] == 4.5 and ("CHN", "ROU") not in totals
    assert pair_totals(ds, ["KAZ", "UZB"]) == (None, {})


def test_baci_codes_units_and_products(tmp_path: Path) -> None:
    baci = _write(
        tmp_path,
        "BACI_HS17_Y2021_V202401.csv",
        "t,i,j,k,v,q\n2021,156,112,010121,1.5,NA\n2021,112,156,030389,2.25,10\n2021,842,251,840734,7,3\n",
    )
    ds = import_trade(tmp_path / "var", "baci", baci, name="baci2021")
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT exporter, importer, product, value, quantity FROM read_parquet('{ds.path}') ORDER BY 1"
    ).fetchall()
    # BACI's values are thousands of dollars; Comtrade's 842 and 251 are the USA and France
    assert rows == [
        ("BLR", "CHN", "030389", 2250.0, 10.0),
        ("CHN", "BLR", "010121", 1500.0, None),
        ("USA", "FRA", "840734", 7000.0, 3.0),
    ]
    assert ds.meta["unit"] == "US dollars"


def test_comtrade_keeps_trade_between_countries(tmp_path: Path) -> None:
    comtrade = _write(
        tmp_path,
        "comtrade.csv",
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"
        "2021,BLR,CHN,X,TOTAL,1000\n"
        "2021,BLR,CHN,M,TOTAL,4000\n"
        "2021,BLR,W00,X,TOTAL,9000\n"
        "2021,BLR,CHN,RX,TOTAL,50\n",
    )
    ds = import_trade(tmp_path / "var", "comtrade", comtrade)
    assert ds.meta["rows"] == 2 and ds.meta["skipped_aggregates_and_re_exports"] == 2
    assert series(ds, "BLR", "CHN")[0]["CHN_to_BLR"] == 4000.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("origin,destination,flow\nCHN,BLR,1\n", "no column(s) yr for the panel format"),
        (
            "origin,destination,yr,flow\nCHN,BLR,2020,-1\nBLR,CHN,2020,-2\n",
            "negative trade value on line(s) 2, 3",
        ),
        ("origin,destination,yr,flow\nCHN,XXX,2020,1\n", "'XXX' (line 2); map them with --rename OLD=NEW"),
        (
            "origin,destination,yr,flow\nCHN,BLR,2020,1\nCHN,BLR,2020,2\n",
            "duplicate year-exporter-importer rows, e.g. line(s) 3",
        ),
        ("origin,destination,yr,flow\nCHN,BLR,twenty,1\n", "year or value is not a number on line(s) 2"),
    ],
)
def test_bad_files_are_refused_whole(tmp_path: Path, text: str, message: str) -> None:
    data = tmp_path / "var"
    with pytest.raises(ImportFailed) as caught:
        import_trade(data, "panel", _write(tmp_path, "bad.csv", text), mapping=MAPPING)
    assert message in str(caught.value)
    assert not list((data / "trade").glob("*.parquet")) and datasets(data) == []


def test_unknown_formats_and_names(tmp_path: Path) -> None:
    source = _write(tmp_path, "mine.csv", PANEL)
    with pytest.raises(ValidationFailed, match="unknown trade format 'wits'"):
        import_trade(tmp_path, "wits", source)
    with pytest.raises(ValidationFailed, match="use letters, digits"):
        import_trade(tmp_path, "panel", source, name="../escape", mapping=MAPPING)
    with pytest.raises(RecordNotFound, match="no trade data imported yet"):
        dataset(tmp_path / "empty", None)


def test_trade_from_the_command_line(tmp_path: Path) -> None:
    env = {"BELTROAD_DATA_DIR": str(tmp_path / "var")}
    source = _write(tmp_path, "mine.csv", PANEL)
    mapping = [arg for field, header in MAPPING.items() for arg in ("--column", f"{field}={header}")]
    done = run_cli("trade", "import", "panel", str(source), *mapping, "--rename", "ROM=ROU", env=env)
    assert done.returncode == 0, done.stderr
    assert "ok mine: 7 rows" in done.stdout and "100%" in done.stderr  # the progress bar ran to the end
    shown = run_cli("trade", "series", "blr", "chn", "--json", "--chart", str(tmp_path / "s.svg"), env=env)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)[1]["growth_percent"] == 50.0
    assert "<svg" in (tmp_path / "s.svg").read_text()
    listed = run_cli(
        "trade", "partners", "CHN", "--year", "2020", "--csv", "--chart", str(tmp_path / "p.png"), env=env
    )
    assert listed.stdout.splitlines()[0] == "partner,exports,imports,total,share_percent"
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    wrong = run_cli("trade", "partners", "CHN", "--year", "2020", "--chart", str(tmp_path / "p.pdf"), env=env)
    assert wrong.returncode != 0 and "charts are written as .png or .svg" in wrong.stderr
    bad = run_cli("trade", "import", "panel", str(source), *mapping, env=env)
    assert bad.returncode != 0 and "'ROM' (line 8)" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_the_books_panel_imports_and_answers(tmp_path: Path) -> None:
    path = shared_file("data/trade/agtpa_applications.csv.gz")
    ds = import_trade(tmp_path, "panel", path, mapping={"value": "trade"}, renames={"ROM": "ROU"})
    assert ds.meta["rows"] == 99_981 and ds.meta["exporters"] == 69
    rows = series(ds, "CHN", "IND")
    assert [r["year"] for r in rows] == list(range(1986, 2007))
