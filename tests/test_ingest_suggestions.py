"""The relation classifier's suggestions (issue 18): a second, flagged list beside the rules, never
a repeat of them, never a container or a country as a friendship partner, and shown as a guess in
the review queue."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from beltroad.ingest import describe, extract, ingest_document, pending
from beltroad.ingest.suggestions import THRESHOLD, pairs, place_name, shipped_model, suggest

HELDOUT = Path(__file__).parent / "data" / "heldout"
#: a shape the rules do not read (a city "counts" another "among its partner cities")
COUNTS_AMONG = "Kazan counts Wuhan among its partner cities since 2012."


def test_the_shipped_classifier_suggests_a_tie_the_rules_miss() -> None:
    ruled = extract(COUNTS_AMONG, suggestions=False)
    assert not [c for c in ruled if c["kind"] == "relation"]
    suggested = [c for c in extract(COUNTS_AMONG) if c["kind"] == "relation"]
    assert [(c["relation"], c["places"], c["value"]) for c in suggested] == [("partnership", ["Kazan", "Wuhan"], "2012")]
    (tie,) = suggested
    assert tie["suggested"]["method"] == "bag-of-n-grams classifier"
    assert THRESHOLD <= tie["suggested"]["score"] <= 1.0
    # the sentence is the evidence, with its span into the text
    assert (tie["start"], tie["end"]) == (0, len(COUNTS_AMONG))
    assert COUNTS_AMONG[tie["start"] : tie["end"]] == tie["text"]


def test_suggestions_never_repeat_the_rules_nor_take_a_container_or_a_country_as_a_partner() -> None:
    """Over every English held-out text: the invariants that hold whatever the weights are."""
    model = shipped_model()
    seen = 0
    for path in sorted(HELDOUT.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = extract(text, suggestions=False)
        ruled = {
            (c["relation"], frozenset(map(place_name, c["places"])))
            for c in found
            if c["kind"] == "relation" and c.get("places")
        }
        places = {(c["start"], c["end"]): c for c in found if c["kind"] == "place"}
        for s in suggest(text, found, model=model):
            seen += 1
            key = (s["relation"], frozenset(map(place_name, s["places"])))
            assert key not in ruled, (path.name, key)
            assert len(key[1]) == 2 and s["relation"] in {"partnership", "agreement"}
            in_sentence = [p for p in places.values() if s["start"] <= p["start"] < s["end"] and p["name"] in s["places"]]
            assert {p["name"] for p in in_sentence} == set(s["places"]), (path.name, s)
            if s["relation"] == "partnership":
                assert all(p.get("level") != "country" for p in in_sentence), (path.name, s)
    assert seen > 0  # the invariants were tried on something
    # a place that only says where another is ("Novopolotsk in Vitebsk Region") is in no pair
    text = "Novopolotsk in Vitebsk Region became a sister city of Weihai in May 2018."
    named = {frozenset(p.names) for p in pairs(text, extract(text, suggestions=False))}
    assert named == {frozenset({"Novopolotsk", "Weihai"})}


def test_a_suggestion_is_queued_for_review_and_said_to_be_a_guess(tmp_path: Path, sqlite_store: Engine) -> None:
    path = tmp_path / "kazan.txt"
    path.write_text(COUNTS_AMONG + "\n", encoding="utf-8")
    source = ingest_document(sqlite_store, path).source_id
    relations = [c for c in pending(sqlite_store, source) if c["kind"] == "relation"]
    assert len(relations) == 1
    said = describe("relation", relations[0]["data"])
    assert said.startswith("partnership established: Kazan – Wuhan, 2012")
    assert "(suggested: bag-of-n-grams classifier, score" in said
    assert relations[0]["data"]["sentence_text"] == COUNTS_AMONG


def test_text_in_other_languages_gets_no_english_suggestions() -> None:
    found = extract("21 мая 2015 г. Казань и Ухань стали городами-побратимами.")
    assert not [c for c in found if c.get("suggested")]
