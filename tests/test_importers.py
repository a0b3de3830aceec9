"""Importers on small fixtures written for the tests, and on the real files in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from tests.conftest import TEST_DATA, shared_file

from beltroad.errors import ImportFailed
from beltroad.importers import (
    import_bri_signatories,
    import_bri_study_projects,
    import_finance_commitments,
    import_finance_flows,
    import_partnerships,
)
from beltroad.store import _tables as t, check_store, counts_by_kind, get_record, list_records


def _reasons(report: dict[str, object]) -> dict[int, str]:
    return {row["row"]: row["reason"] for row in report["unresolved_sample"]}  # type: ignore[attr-defined,index]


def test_partnership_import_resolves_merges_and_reports(store: Engine) -> None:
    report = import_partnerships(store, TEST_DATA / "partnerships_small.csv", progress=False)
    reasons = _reasons(report)
    assert report["rows"] == 8
    assert set(reasons) == {6, 7, 9}
    assert "unknown country 'Atlantis'" in reasons[6]
    assert "outside PER" in reasons[7] and "no gazetteer place has the name" in reasons[7]
    assert "latitude 'abc' is not a number" in reasons[9]
    # rows 2 and 3 are the same pair in both directions: one partnership, two citations
    assert report["partnerships"] == 4
    assert report["city_mentions_via_gazetteer_name_only"] == 1  # Harbin, whose file point is in London
    with store.connect() as conn:
        pairs = list_records(conn, "partnership", limit=50)["items"]
        brisbane = next(p for p in pairs if "Brisbane" in p["name"])
        assert {c["locator"] for c in brisbane["citations"]} == {"row 2", "row 3"}
        assert (
            "chongqing" in get_record(conn, brisbane["id"])["data"]["places"]
        )  # linked to the curated place
        minsk_harbin = next(p for p in pairs if "Harbin" in p["name"] and "Minsk" in p["name"])
        assert "minsk" in get_record(conn, minsk_harbin["id"])["data"]["places"]
        testville = get_record(conn, "testville-parva-gbr")
        assert testville["data"]["point"]["cite"]["row"] == 5
        assert testville["countries"] == ["GBR"]
        assert check_store(conn)["ok"]


def test_reimporting_the_same_file_replaces_rather_than_duplicates(store: Engine) -> None:
    import_partnerships(store, TEST_DATA / "partnerships_small.csv", progress=False)
    with store.connect() as conn:
        first = counts_by_kind(conn)
    import_partnerships(store, TEST_DATA / "partnerships_small.csv", progress=False)
    with store.connect() as conn:
        assert counts_by_kind(conn) == first


def test_column_mapping_and_dates_from_a_users_file(store: Engine) -> None:
    report = import_partnerships(
        store,
        TEST_DATA / "partnerships_other_headers.csv",
        columns={
            "city_a": "from_town",
            "country_a": "from_country",
            "city_b": "to_town",
            "country_b": "to_country",
            "established": "since",
        },
        progress=False,
    )
    assert report["partnerships"] == 1
    assert "established" in _reasons(report)[3]
    with store.connect() as conn:
        imported = list_records(
            conn, "partnership", origin="import:partnerships:partnerships_other_headers.csv"
        )["items"]
    assert [p["name"] for p in imported] == ["Dalian – Vladivostok"]
    assert imported[0]["date"] == "1992-01-01" and imported[0]["date_precision"] == "year"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"a,b\n1,2\n", "missing column(s) city_a (header 'city1')"),
        (b"city1,country1,city2,country2\n", "no data rows"),
        ("city1,country1,city2,country2\nK\xf6ln,Germany,Minsk,Belarus\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_files_fail_cleanly_and_write_nothing(
    store: Engine, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "pairs.csv"
    path.write_bytes(content)
    with store.connect() as conn:
        before = counts_by_kind(conn)
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_partnerships(store, path, progress=False)
    with store.connect() as conn:
        assert counts_by_kind(conn) == before


def test_unknown_column_mapping_and_missing_file(store: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="unknown field"):
        import_partnerships(
            store, TEST_DATA / "partnerships_small.csv", columns={"town": "x"}, progress=False
        )
    with pytest.raises(ImportFailed, match="no such file"):
        import_partnerships(store, tmp_path / "absent.csv", progress=False)


def test_bri_signatories_with_eurostat_codes_blank_codes_and_bad_rows(store: Engine) -> None:
    report = import_bri_signatories(store, TEST_DATA / "bri_small.csv", progress=False)
    reasons = _reasons(report)
    assert report["agreements"] == 3
    assert "unknown country 'ZZ'" in reasons[5]
    assert "20x5" in reasons[6]
    assert "BLR listed again (first at row 2)" in reasons[7]
    with store.connect() as conn:
        greece = get_record(conn, "bri-small-grc")
        namibia = get_record(conn, "bri-small-nam")
    assert greece["data"]["signed"] == "2018" and "bri" in greece["data"]["strategies"]
    assert set(greece["countries"]) == {"CHN", "GRC"}
    assert namibia["citations"][0]["locator"] == "row 4"


@pytest.mark.slow
def test_the_full_friendship_city_file(store: Engine) -> None:
    path = shared_file("data/partnerships/twin_cities_wikipedia.csv")
    report = import_partnerships(store, path, progress=False)
    assert report["rows"] == 25_917
    assert report["rows_resolved"] / report["rows"] >= 0.97
    assert report["rows_resolved"] + report["rows_unresolved"] == report["rows"]
    with store.connect() as conn:
        chongqing = [r for r in get_record(conn, "chongqing")["linked_from"] if r["kind"] == "partnership"]
        assert len(chongqing) >= 20
        assert list_records(conn, "partnership", country="BLR")["total"] >= 20
        assert check_store(conn)["ok"]
        sources = conn.scalars(select(t.sources.c.data)).all()
    assert any("CC BY-SA" in (s.get("licence") or "") for s in sources)


def test_bri_and_finance_files(store: Engine) -> None:
    bri = import_bri_signatories(
        store, shared_file("data/bri/bri_cooperation_documents_by_year.csv"), progress=False
    )
    assert bri["agreements"] >= 150
    # Dominica is listed twice (rows 72 and 73 differ only in the Chinese name, which the importer
    # does not read): the repeat is merged into the first and reported with both lines
    assert {"row": 73, "repeats_row": 72} in bri["duplicate_sample"] and bri["rows_duplicate"] == 1
    mou = import_bri_signatories(
        store,
        shared_file("data/bri/bri_mou_year.csv"),
        columns={"country": "country", "year": "year"},
        progress=False,
    )
    assert mou["rows_unresolved"] == 0
    fin = import_finance_commitments(
        store, shared_file("data/finance/gcdf_country_commitments.csv"), progress=False
    )
    assert fin["rows_unresolved"] == 0 and fin["observations"] >= 145
    flows = import_finance_flows(store, shared_file("data/finance/gcdf_yearly_flows.csv"), progress=False)
    assert flows["observations"] == 66
    with store.connect() as conn:
        rus = get_record(conn, "gcdf-country-commitments-rus")
        assert rus["data"]["unit"] == "USD" and rus["data"]["value"] > 1e11
        assert rus["citations"][0]["locator"] == "row 2"
        assert check_store(conn)["ok"]


def test_repeated_rows_merge_into_the_first_and_cost_no_memory(store: Engine, tmp_path: Path) -> None:
    """A file of one pair repeated 20,000 times imports as the file of one row: one partnership
    citing its first row, the repeats counted and sampled in the report."""
    header, *rows = (TEST_DATA / "partnerships_small.csv").read_text(encoding="utf-8").splitlines()
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("\n".join([header, *rows, *([rows[0]] * 20_000)]) + "\n", encoding="utf-8")
    plain = import_partnerships(store, TEST_DATA / "partnerships_small.csv", progress=False)
    report = import_partnerships(store, repeated, progress=False)
    assert report["rows"] == len(rows) + 20_000 and report["rows_duplicate"] == 20_000
    assert report["duplicate_sample"][0] == {"row": len(rows) + 2, "repeats_row": 2}
    assert report["partnerships"] == plain["partnerships"]
    with store.connect() as conn:
        origin = "import:partnerships:repeated.csv"
        imported = list_records(conn, "partnership", origin=origin, limit=100)["items"]
        citations = conn.execute(
            select(t.citations.c.locator).join(t.records, t.records.c.id == t.citations.c.record_id).where(
                t.records.c.origin == origin
            )
        ).scalars().all()
    assert len(imported) == plain["partnerships"]
    assert len(citations) <= 2 * len(rows)  # one per distinct row (and its two places), not 20,000


def test_two_files_sharing_a_pair_make_one_record_citing_both(store: Engine, tmp_path: Path) -> None:
    header = "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
    first = tmp_path / "first.csv"
    first.write_text(header + "Minsk,Belarus,53.9,27.56,Harbin,China,45.75,126.65\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text(
        header
        + "Harbin,China,45.75,126.65,Minsk,Belarus,53.9,27.56\nBrest,Belarus,52.1,23.7,Xi'an,China,34.26,108.94\n",
        encoding="utf-8",
    )
    import_partnerships(store, first, progress=False)
    report = import_partnerships(store, second, progress=False)
    assert report["partnerships"] == 2
    for again in (first, second):  # re-importing either keeps the other's citation
        import_partnerships(store, again, progress=False)
    with store.connect() as conn:
        pair = get_record(conn, "twin-harbin--minsk")
        assert list_records(conn, "partnership", limit=500)["total"] == 2 + 1  # and the curated one
    sources = sorted(c["source"] for c in pair["data"]["cite"])
    assert len(sources) == 2 and sources[0] != sources[1]


def test_the_world_bank_studys_projects_become_cited_records(store: Engine, tmp_path: Path) -> None:
    """Reed & Trubetskoy (2019): 68 projects by name and countries; the kind comes from the name,
    a name that says nothing of it is reported, and a file may give the kind itself."""
    path = shared_file("data/bri/reed_trubetskoy_2019/projects.csv")
    report = import_bri_study_projects(store, path, progress=False)
    assert report["rows"] == 68 and report["projects"] + report["rows_unresolved"] == 68
    assert report["projects"] >= 60
    assert {r["reason"] for r in report["unresolved_sample"]} <= {
        "cannot tell the kind of 'Lahore-Abdul Hakeem upgrade' from its name (rail, road, port, canal, "
        "bridge?); give it in a kind column"
    }
    with store.connect() as conn:
        canal = get_record(conn, "wb-thai-canal")
        kashgar = get_record(conn, "wb-kashgar-dushanbe-rail")
        hsr = get_record(conn, "wb-moscow-kazan-hsr")
        listed = list_records(conn, "project", origin="import:bri-study-projects:projects.csv", limit=100)
        assert check_store(conn)["ok"]
    assert canal["subkind"] == "canal" and canal["data"]["status"] == "unknown"
    assert kashgar["subkind"] == "rail_line" and kashgar["countries"] == ["CHN", "KGZ", "TJK"]
    assert hsr["subkind"] == "high_speed_rail"
    assert kashgar["citations"][0]["locator"].startswith("row ") and "World Bank" in kashgar["data"]["summary"]
    assert listed["total"] == report["projects"]
    # a file that states the kind is taken at its word
    given = tmp_path / "own-projects.csv"
    given.write_text("project,countries,kind\nLahore-Abdul Hakeem upgrade,PAK,road\nNowhere link,XXX,road\n")
    second = import_bri_study_projects(store, given, progress=False)
    assert second["projects"] == 1 and "countries must be ISO3 codes" in second["unresolved_sample"][0]["reason"]
