"""The ``beltroad`` command as a user meets it: run in a subprocess, reading what it prints."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA, run_cli

from beltroad.data.loader import load_curated_data


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.sqlite'}"
    result = run_cli("db", "init", db=url)
    assert result.returncode == 0, result.stderr
    assert re.search(r"ok .*: \d+ curated records loaded", result.stdout)
    return url


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    commands = re.findall(r"^│ (\w+)\s", result.stdout, flags=re.MULTILINE)
    assert commands == [
        "list",
        "show",
        "search",
        "figures",
        "profile",
        "compare",
        "route",
        "impact",
        "extract",
        "ingest",
        "review",
        "import",
        "export",
        "serve",
        "db",
        "network",
        "trade",
        "gravity",
        "scenario",
        "sweep",
        "report",
        "user",
    ]
    db_help = run_cli("db", "--help")
    assert re.findall(r"^│ (\w+)\s", db_help.stdout, flags=re.MULTILINE) == ["init", "check"]
    # a mistyped command is a usage error with the usual message, not an internal error
    typo = run_cli("db", "load")
    assert typo.returncode == 2
    assert "No such command 'load'" in typo.stderr and "internal error" not in typo.stderr


def test_list_json_carries_citations(db: str) -> None:
    result = run_cli("list", "partnership", "--country", "BLR", "--json", db=db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 1
    item = data["items"][0]
    assert item["id"] == "chongqing-minsk-oblast"
    assert {c["locator"] for c in item["citations"]} >= {"Introduction ¶1", "Results and discussion ¶7"}


def test_list_table_for_people(db: str) -> None:
    result = run_cli("list", "project", "--kind", "cbecz", db=db)
    assert result.returncode == 0
    assert "project: 13 of 13" in result.stdout
    assert "horgos-center" in result.stdout and "cbecz-opinion-2018" in result.stdout


def test_show_a_source_and_a_records_figures(db: str) -> None:
    source = json.loads(run_cli("show", "hou-wang-2015", "--json", db=db).stdout)
    assert source["published"] == "2015-08-27" and any(r["id"] == "zarubino" for r in source["cited_by"])
    text = run_cli("show", "hou-wang-2015", db=db).stdout
    assert "cited by" in text and "Hou Jun" in text
    figures = json.loads(run_cli("show", "horgos-center", "--json", db=db).stdout)["observations"]
    assert {f["value"] for f in figures if f["measure"] == "zone_area"} == {528.0, 343.0, 185.0}
    assert "528" in run_cli("show", "horgos-center", db=db).stdout


def test_show_by_name_with_citations_and_links(db: str) -> None:
    result = run_cli("show", "Belarusian-style town", db=db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "belarusian-style-town" in out and "figures" in out  # its observations stand in a table
    assert "yang-belarus-town: Results and discussion ¶4 — via reference [7]" in out
    assert "partnership → chongqing-minsk-oblast" in out
    assert "belarusian-style-town-land-area (observation" in out
    as_json = json.loads(run_cli("show", "belarusian-style-town", "--json", db=db).stdout)
    assert as_json["data"]["status"] == "under_construction"


def test_search_json(db: str) -> None:
    data = json.loads(run_cli("search", "Tongjiang bridge", "--json", db=db).stdout)
    assert data["items"][0]["id"] == "tongjiang-railway-bridge"
    assert data["items"][0]["citations"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "nowhere-at-all"), "no record named 'nowhere-at-all'"),
        (("show", "Khorgos"), "names 2 records"),
        (("list", "planet"), "unknown kind 'planet'"),
        (("list", "--since", "2019-13"), "since takes a date"),
        (("import", "volcanoes", "x.csv"), "unknown import kind 'volcanoes'"),
        (("import", "partnerships", "/no/such.csv"), "no such file"),
        (("export", "/tmp/x", "--format", "xml"), "unknown export format 'xml'"),
    ],
)
def test_user_errors_are_one_line_without_traceback(db: str, args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args, db=db)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 2


def test_debug_shows_the_traceback(db: str) -> None:
    result = run_cli("--debug", "show", "nowhere-at-all", db=db)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_commands_on_an_uninitialised_database_say_what_to_do(tmp_path: Path) -> None:
    result = run_cli("list", db=f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert result.returncode == 1 and "run `beltroad db init`" in result.stderr


def test_db_check_reports_zero_uncited_records(db: str) -> None:
    result = run_cli("db", "check", db=db)
    assert result.returncode == 0, result.stdout
    assert "uncited records: 0; points outside their country: 0" in result.stdout
    report = json.loads(run_cli("db", "check", "--json", db=db).stdout)
    assert report["ok"] and report["problems"] == []


def test_import_then_export_in_every_format(db: str, tmp_path: Path) -> None:
    imported = run_cli("import", "partnerships", str(TEST_DATA / "partnerships_small.csv"), "--json", db=db)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["partnerships"] == 4
    for fmt in ("csv", "json", "geojson"):
        result = run_cli("export", str(tmp_path / fmt), "--format", fmt, "--json", db=db)
        assert result.returncode == 0, result.stderr
    with (tmp_path / "csv" / "partnership.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 and all(r["citations"] for r in rows)
    # each partnership names its two places and its year
    assert all(len(r["place_ids"].split()) == 2 and r["year"] == r["date"][:4] for r in rows if r["date"])
    lines = json.loads((tmp_path / "geojson" / "partnership.geojson").read_text(encoding="utf-8"))
    assert len(lines["features"]) == 5
    assert {f["geometry"]["type"] for f in lines["features"] if f["geometry"]} == {"LineString"}
    places = json.loads((tmp_path / "geojson" / "place.geojson").read_text(encoding="utf-8"))
    assert places["type"] == "FeatureCollection"
    minsk = next(f for f in places["features"] if f["id"] == "minsk")
    assert minsk["geometry"]["coordinates"] == [27.56653, 53.90019] and minsk["properties"]["citations"]
    projects = json.loads((tmp_path / "json" / "project.json").read_text(encoding="utf-8"))
    curated = load_curated_data().of_kind("project")
    assert len(projects) == len(curated) >= 35 and all(p["citations"] for p in projects)
    assert not list(tmp_path.rglob("*.part"))


def test_version_prints_without_a_command() -> None:
    from beltroad import __version__

    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"beltroad {__version__}"
