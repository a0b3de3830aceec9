"""Ports, passes, dry ports and rail terminals by their UN/LOCODE names (issue 18's gazetteer for
the field): found where the prose says what they are, never guessed across countries, accepted
as place records that cite UN/LOCODE."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

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


def test_a_division_named_with_its_region_word_is_read_by_iso_3166_2() -> None:
    found = _places("Dornogovi Province, Almaty Region and Khabarovsk Krai border the Central Region.")
    assert {surface: c.get("iso_3166_2") for surface, c in found.items()} == {
        "Dornogovi": "MN-063",  # its own name: the word is not part of it, as in "Yunnan province"
        "Almaty Region": "KZ-19",  # named after the city: the region, not the city (KZ-75)
        "Khabarovsk Krai": "RU-KHA",
    }
    # a "Central Region" is in many countries: not guessed, unless the text names one
    assert _places("Ghana's Central Region grew.")["Central"]["iso_3166_2"] == "GH-CP"


def test_small_places_are_read_where_the_sentence_says_they_are_places() -> None:
    text = (
        "A zone will join Erenhot in Inner Mongolia and Zamyn-Uud in Dornogovi Province. "
        "Erenhot and Zamyn-Uud became sister cities in 2009."
    )
    found = [c for c in extract(text) if c["kind"] == "place"]
    zamyn = [c for c in found if c["text"] == "Zamyn-Uud"]
    # found "in" a Mongolian province, then wherever the document names it again
    assert len(zamyn) == 2 and {c["unlocode"] for c in zamyn} == {"MN ZUU"}
    assert zamyn[0]["resolved_by"] == "UN/LOCODE (a place in Dornogovi)"
    partnership = next(c for c in extract(text) if c["kind"] == "relation" and c["relation"] == "partnership")
    assert set(partnership["places"]) == {"Erenhot", "Zamyn-Uud"} and partnership["value"] == "2009"
    # a capitalised word "in" a country is not a town of that country unless one is so named
    assert {c["text"] for c in extract("Officials in China met. Investors in Laos too.") if c["kind"] == "place"} == {
        "China",
        "Laos",
    }


def _queued(store: Engine, folder: Path, text: str, surface: str) -> tuple[str, dict[str, Any]]:
    """Ingest ``text`` into the curated ``store`` as one document; its source and the candidate
    read from ``surface``, for a reviewer named "reviewer"."""
    from beltroad.store import load_knowledge_base

    load_knowledge_base(store)
    with store.begin() as conn:
        add_user(conn, "reviewer")
    path = folder / "document.txt"
    path.write_text(text, encoding="utf-8")
    source = ingest_document(store, path).source_id
    return source, next(c for c in pending(store, source) if c["text"] == surface)


def test_an_accepted_field_place_becomes_a_record_citing_unlocode(tmp_path: Path, store: Engine) -> None:
    text = "On 5 May 2019 trucks queued at the Torkham border crossing."
    source, candidate = _queued(store, tmp_path, text, "Torkham")
    made = decide(store, candidate["id"], "accept", "reviewer")
    with store.connect() as conn:
        place = get_record(conn, made["record"])
    assert place["data"]["unlocode"] == "PK TOR" and place["data"]["kind"] == "border_crossing"
    assert place["data"]["country"] == "PAK"
    assert place["data"]["point"]["cite"] == {"source": "unlocode", "entry": "PK TOR", "supports": ["point"]}
    # the document for the mention, UN/LOCODE for the point
    assert {c["source"] for c in place["citations"]} == {source, "unlocode"}


def test_a_province_without_a_point_is_refused_with_its_reason(tmp_path: Path, store: Engine) -> None:
    # Ningxia is an ISO 3166-2 province that neither the knowledge base nor the city table holds
    _source, candidate = _queued(store, tmp_path, "Officials of Ningxia met in 2019.", "Ningxia")
    with pytest.raises(ValidationFailed, match=r"^Ningxia \(CN-NX\) has no point in the gazetteer"):
        decide(store, candidate["id"], "accept", "reviewer")


def test_the_shipped_subset_is_what_the_build_makes_of_the_shared_file(tmp_path: Path) -> None:
    source = shared_file("data/places/unlocode_all.csv.gz")
    rebuilt = tmp_path / "subset.csv.gz"
    n = build(source, rebuilt)
    assert n == len(field_locations()) > 30_000
    assert gzip.decompress(rebuilt.read_bytes()) == gzip.decompress(SUBSET.read_bytes())
    assert SUBSET.with_name("unlocode_field-LICENSE.txt").read_text().startswith("MIT License")
