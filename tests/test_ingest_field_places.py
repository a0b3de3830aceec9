"""Ports, passes, dry ports and rail terminals by their UN/LOCODE names (issue 18's gazetteer for
the field): found where the prose says what they are, never guessed across countries, accepted
as place records that cite UN/LOCODE."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.conftest import shared_file

from beltroad.data.unlocode import SUBSET, build, field_locations
from beltroad.errors import ValidationFailed
from beltroad.ingest import decide, extract, ingest_document, pending
from beltroad.store import add_user, get_record


def _places(text: str) -> dict[str, dict[str, object]]:
    return {c["text"]: c for c in extract(text) if c["kind"] == "place"}


def test_small_field_places_are_found_by_what_the_prose_says_they_are() -> None:
    found = _places(
        "Trucks queue at the Torkham border crossing, freight leaves the port of Zarubino, and "
        "containers clear customs at the Zamyn-Uud dry port before the Boten railway station."
    )
    codes = {surface: c.get("unlocode") for surface, c in found.items()}
    assert codes == {"Torkham": "PK TOR", "Zarubino": "RU ZAR", "Zamyn-Uud": "MN ZUU", "Boten": "LA BTN"}
    assert found["Zarubino"]["place_kind"] == "port" and found["Torkham"]["place_kind"] == "border_crossing"
    assert found["Torkham"]["resolved_by"] == "UN/LOCODE (a name beside 'border crossing')"
    # without the noun the same names are words of no known place
    assert not _places("Torkham and Zarubino were mentioned.")


def test_a_name_held_in_two_countries_takes_the_one_the_text_names_or_none() -> None:
    # UN/LOCODE has a Horgos in China and one in Kazakhstan, neither flagged as a border crossing
    assert "Horgos" not in _places("Trucks wait at the Horgos border crossing.")
    assert _places("Trucks wait at the Horgos border crossing into Kazakhstan.")["Horgos"]["unlocode"] == "KZ HOR"
    assert _places("Trucks wait at the Horgos border crossing in China.")["Horgos"]["unlocode"] == "CN HRS"


def test_capitalised_words_before_a_field_noun_are_not_names() -> None:
    assert set(_places("Dry Port operators met. The New Port opened. The Pakistan border post shut.")) == {"Pakistan"}


def test_an_accepted_field_place_becomes_a_record_citing_unlocode(tmp_path: Path, store: Engine) -> None:
    from beltroad.store import load_knowledge_base

    load_knowledge_base(store)
    with store.begin() as conn:
        add_user(conn, "port-reviewer")
    path = tmp_path / "torkham.txt"
    path.write_text("On 5 May 2019 trucks queued at the Torkham border crossing.", encoding="utf-8")
    source = ingest_document(store, path).source_id
    candidate = next(c for c in pending(store, source) if c["text"] == "Torkham")
    made = decide(store, candidate["id"], "accept", "port-reviewer")
    with store.connect() as conn:
        place = get_record(conn, made["record"])
    assert place["data"]["unlocode"] == "PK TOR" and place["data"]["kind"] == "border_crossing"
    assert place["data"]["country"] == "PAK"
    assert place["data"]["point"]["cite"] == {"source": "unlocode", "entry": "PK TOR", "supports": ["point"]}
    # the document for the mention, UN/LOCODE for the point
    assert {c["source"] for c in place["citations"]} == {source, "unlocode"}


def test_a_province_without_a_point_is_refused_with_its_reason(tmp_path: Path, store: Engine) -> None:
    from beltroad.store import load_knowledge_base

    load_knowledge_base(store)
    with store.begin() as conn:
        add_user(conn, "province-reviewer")
    path = tmp_path / "province.txt"
    path.write_text("Officials of Ningxia met in 2019.", encoding="utf-8")
    source = ingest_document(store, path).source_id
    candidate = next(c for c in pending(store, source) if c["text"] == "Ningxia")
    if candidate.get("data", {}).get("geonameid") or candidate.get("record"):
        pytest.skip("the knowledge base or the gazetteer now has a point for Ningxia")
    with pytest.raises(ValidationFailed, match=r"^Ningxia .*has no point in the gazetteer"):
        decide(store, candidate["id"], "accept", "province-reviewer")


def test_the_shipped_subset_is_what_the_build_makes_of_the_shared_file(tmp_path: Path) -> None:
    source = shared_file("data/places/unlocode_all.csv.gz")
    rebuilt = tmp_path / "subset.csv.gz"
    n = build(source, rebuilt)
    assert n == len(field_locations()) > 30_000
    assert gzip.decompress(rebuilt.read_bytes()) == gzip.decompress(SUBSET.read_bytes())
    assert SUBSET.with_name("unlocode_field-LICENSE.txt").read_text().startswith("MIT License")
