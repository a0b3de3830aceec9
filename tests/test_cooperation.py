"""The cooperation model: the paper's three characteristics recomputed from the data, with the
cited chain; the typology's four cases; gaps shown, not guessed; names that miss or are ambiguous."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from sqlalchemy import Engine

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from tests.conftest import run_cli

from beltroad.analysis import compare_cooperation, load_typology, profile_cooperation
from beltroad.api import create_app
from beltroad.errors import AmbiguousName, RecordNotFound, ValidationFailed

FOUR_CASES = [
    "belarusian-style-town",
    "belarus-china-industrial-park",
    "horgos-center",
    "tongjiang-railway-bridge",
]


def test_the_belarusian_style_town_reproduces_the_papers_three_conclusions(store: Engine) -> None:
    with store.connect() as conn:
        profile = profile_cooperation(conn, "Belarusian-style town")
    held = {c["key"]: c["holds"] for c in profile["characteristics"]}
    assert held == {"serves-strategies": True, "partnership-support": True, "multi-field-economic-core": True}
    chain = profile["partnership_chain"]
    assert [(link["role"], link["record"], link["date"]) for link in chain["links"]] == [
        ("partnership", "chongqing-minsk-oblast", "2017"),
        ("agreement", "yubei-minsk-oblast-investment-2019", "2019"),
        ("project", "belarusian-style-town", "2020"),
    ]
    assert [link["level"] for link in chain["links"][:2]] == ["city–oblast", "district–oblast"]
    assert [lag["years"] for lag in chain["lags"]] == [2, 1]
    assert all(link["citations"] for link in chain["links"])
    assert any(c["locator"] == "Results and discussion ¶7" for c in chain["links"][1]["citations"])
    strategies = profile["strategy_alignment"]
    assert set(strategies["by_country"]) == {"CHN", "BLR"}
    assert [s["record"] for s in strategies["bri"]] == ["bri"]
    assert "(since 2017)" in profile["characteristics"][0]["statement"]
    assert "date not recorded" in profile["characteristics"][0]["statement"]  # a gap, not a guess
    fields = profile["fields"]
    assert fields["count"] == 6 and set(fields["economic"]) == {"trade", "commerce", "tourism"}
    assert fields["shannon"] == pytest.approx(1.7918, abs=1e-4)
    connectivities = {c["id"]: c["basis"] for c in profile["connectivities"]}
    assert connectivities["unimpeded-trade"].startswith("inferred from the field")
    assert profile["type"]["id"] == "partnership-led-multi-field"


def test_a_partnership_profile_follows_its_chain_to_the_project(store: Engine) -> None:
    with store.connect() as conn:
        profile = profile_cooperation(conn, "chongqing-minsk-oblast")
    assert profile["kind"] == "partnership" and profile["projects"] == ["belarusian-style-town"]
    assert profile["partnership_chain"]["complete"]


def test_four_cases_four_explained_types(store: Engine) -> None:
    with store.connect() as conn:
        result = compare_cooperation(conn, [*FOUR_CASES, "hunchun-zarubino-cbecz"])
    types = {case["id"]: case["type"]["id"] for case in result["cases"]}
    assert types == {
        "belarusian-style-town": "partnership-led-multi-field",
        "belarus-china-industrial-park": "state-led-industrial-park",
        "horgos-center": "border-economic-zone",
        "tongjiang-railway-bridge": "corridor-infrastructure",
        "hunchun-zarubino-cbecz": "border-economic-zone",
    }
    assert result["distinct_types"] == 4
    assert all(case["type"]["because"] for case in result["cases"])
    assert [t["id"] for t in load_typology()] == [
        "partnership-led-multi-field",
        "state-led-industrial-park",
        "border-economic-zone",
        "corridor-infrastructure",
    ]


def test_missing_links_are_shown_as_gaps(store: Engine) -> None:
    with store.connect() as conn:
        park = profile_cooperation(conn, "belarus-china-industrial-park")
        programme = profile_cooperation(conn, "west-east-gas-transmission")
    assert not park["partnership_chain"]["complete"]
    assert "missing partnership" in park["gaps"] and "missing agreement" in park["gaps"]
    assert park["characteristics"][1]["statement"].startswith(
        "The partnership chain is incomplete: no partnership, no agreement"
    )
    # a domestic pipeline fits no type; the answer says which conditions each type missed
    assert programme["type"]["id"] == "unclassified"
    assert "min_countries: 1 country" in programme["type"]["misses"]["corridor-infrastructure"]


def test_names_that_miss_are_ambiguous_or_are_not_cooperation(store: Engine) -> None:
    with store.connect() as conn:
        with pytest.raises(RecordNotFound, match="closest: belarusian-style-town"):
            profile_cooperation(conn, "Belarusian town")
        with pytest.raises(AmbiguousName, match=r"horgos \(place.*khorgos-kazakhstan \(place"):
            profile_cooperation(conn, "Khorgos")
        with pytest.raises(
            ValidationFailed,
            match="'minsk' is a place; a cooperation profile needs a project or a partnership",
        ):
            profile_cooperation(conn, "minsk")
        with pytest.raises(ValidationFailed, match="at least two"):
            compare_cooperation(conn, ["horgos-center"])


def test_profile_and_compare_from_the_command_line(sqlite_store: Engine) -> None:
    db = str(sqlite_store.url)
    shown = run_cli("profile", "Belarusian-style town", db=db)
    assert shown.returncode == 0, shown.stderr
    assert (
        "2. yes Rests on a friendship-city partnership: partnership (2017) → agreement (2019) → project (2020)."
        in shown.stdout
    )
    compared = json.loads(run_cli("compare", *FOUR_CASES, "--json", db=db).stdout)
    assert [case["type"]["id"] for case in compared["cases"]] == [
        "partnership-led-multi-field",
        "state-led-industrial-park",
        "border-economic-zone",
        "corridor-infrastructure",
    ]


def test_profile_and_compare_through_the_api(sqlite_store: Engine) -> None:
    client = TestClient(create_app(sqlite_store), raise_server_exceptions=False)
    profile = client.get("/api/profile/belarusian-style-town").json()["profile"]
    assert profile["type"]["id"] == "partnership-led-multi-field"
    compared = client.get("/api/compare", params=[("case", c) for c in FOUR_CASES]).json()
    assert compared["distinct_types"] == 4
    page = client.get("/profile/belarusian-style-town", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "Partnership-led multi-field cooperation" in page.text and "district–oblast" in page.text
    assert "Results and discussion ¶7" in page.text
    record_page = client.get("/records/belarusian-style-town", headers={"accept": "text/html"}).text
    assert "href='/profile/belarusian-style-town'" in record_page
    missing = client.get("/api/profile/nowhere-at-all")
    assert missing.status_code == 404 and set(missing.json()) == {"ok", "error", "status"}


def test_a_pair_of_places_is_profiled_from_their_partnership_and_joint_projects(store: Engine) -> None:
    with store.connect() as conn:
        pair = profile_cooperation(conn, "Chongqing", "Minsk Oblast")
        countries = profile_cooperation(conn, "China", "Russia")
        nothing = profile_cooperation(conn, "Chongqing", "Moscow")
        with pytest.raises(ValidationFailed, match="two different places; both names denote chongqing"):
            profile_cooperation(conn, "Chongqing", "chongqing")
        with pytest.raises(ValidationFailed, match="'belarusian-style-town' is a project; a pair profile"):
            profile_cooperation(conn, "Chongqing", "belarusian-style-town")
    assert (pair["id"], pair["kind"], pair["countries"]) == ("chongqing+minsk-oblast", "pair", ["BLR", "CHN"])
    # Chongqing stands for its districts too: the agreement was Yubei District's
    assert [link["date"] for link in pair["partnership_chain"]["links"]] == ["2017", "2019", "2020"]
    assert pair["type"]["id"] == "partnership-led-multi-field"
    # a country pair finds projects that name a place on one side only, such as the Tongjiang bridge
    assert "tongjiang-railway-bridge" in countries["projects"]
    assert "hunchun-vladivostok-railway" in countries["projects"]
    assert "belarusian-style-town" not in countries["projects"]
    assert nothing["projects"] == [] and nothing["gaps"][0] == (
        "no partnership or joint project between Chongqing – Moscow is recorded"
    )


def test_a_pair_profile_from_the_command_line_and_the_api(sqlite_store: Engine) -> None:
    shown = run_cli("profile", "Chongqing", "Minsk Oblast", "--json", db=str(sqlite_store.url))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["projects"] == ["belarusian-style-town"]
    client = TestClient(create_app(sqlite_store), raise_server_exceptions=False)
    api = client.get("/api/profile/chongqing", params={"other": "minsk-oblast"}).json()["profile"]
    assert api["partnership_chain"]["complete"] is True
    page = client.get("/profile/chongqing", params={"other": "minsk-oblast"}, headers={"accept": "text/html"})
    assert page.status_code == 200 and "Chongqing – Minsk Oblast" in page.text


def test_a_self_contained_report_of_the_belarusian_style_town(sqlite_store: Engine, tmp_path: Path) -> None:
    shown = run_cli(
        "report",
        "cooperation",
        "Belarusian-style town",
        "--out",
        str(tmp_path),
        "--json",
        db=str(sqlite_store.url),
    )
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout)
    page = Path(result["html"])
    assert page == tmp_path / "belarusian-style-town.html"
    assert {Path(f).name for f in result["files"]} >= {
        "belarusian-style-town-timeline.svg",
        "belarusian-style-town-map.png",
        "belarusian-style-town.json",
    }
    html = page.read_text(encoding="utf-8")
    # self-contained: no scripts, style sheets or images fetched from anywhere
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert html.count("<svg") == 3  # chain, timeline, map
    assert (
        "Rests on a friendship-city partnership: partnership (2017) → agreement (2019) → project (2020)."
        in html
    )
    assert "agreement · 2019" in html and "2 y" in html  # the chain diagram with its lag
    # figures keep their bound, unit and period, and point to a numbered source with its locator
    assert "nearly 5.9 billion USD" in html and "[1] Results and discussion ¶2" in html
    assert result["sources"][0] == "yang-belarus-town"
    assert "The model of inter-city economic cooperation between cities of Belarus and China" in html
    assert json.loads((tmp_path / "belarusian-style-town.json").read_text())["type"]["id"] == (
        "partnership-led-multi-field"
    )


def test_a_report_says_what_went_wrong(sqlite_store: Engine, tmp_path: Path) -> None:
    db = str(sqlite_store.url)
    unknown = run_cli("report", "cooperation", "Belarusian town", "--out", str(tmp_path), db=db)
    assert unknown.returncode != 0 and "closest: belarusian-style-town" in unknown.stderr
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    refused = run_cli("report", "cooperation", "horgos-center", "--out", str(blocked / "sub"), db=db)
    assert refused.returncode != 0 and f"cannot write the report into {blocked / 'sub'}" in refused.stderr
    assert "Traceback" not in refused.stderr
    nothing = run_cli("report", "cooperation", "Chongqing", "Moscow", "--out", str(tmp_path), db=db)
    assert nothing.returncode == 0, nothing.stderr
    assert (
        "no partnership or joint project between Chongqing – Moscow is recorded"
        in (tmp_path / "chongqing-moscow.html").read_text()
    )
