"""Reading documents and proposing candidate facts with their spans (issue 4, first part)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, text as text_sql
from tests.conftest import SHARED, run_cli, shared_file

from beltroad.errors import ImportFailed, ValidationFailed
from beltroad.ingest import evaluate, extract, read_document

#: our own sentences, written to exercise each pattern (not text from the source documents)
SAMPLE = (
    "On 21 May 2015 officials of Chongqing met partners from Minsk Oblast. "
    "By the end of 2021 the park covered 528 ha and 60,000 m² of buildings, and in May 2019 trade "
    "reached $5.9 billion, up 8.7% on the year. A line of 3,000 km would carry 60 million tons a "
    "year and 500,000 TEU; visitors may bring goods worth 8,000 yuan or 1,500 euros."
)


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF whose text layer holds ``text`` (Helvetica, no compression)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_each_kind_of_document_is_read_with_its_offsets(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text(SAMPLE, encoding="utf-8")
    doc = read_document(text)
    assert doc.text == SAMPLE and doc.kind == "text" and len(doc.sha256) == 64
    html = tmp_path / "a.html"
    html.write_text(
        "<html><head><style>p{}</style></head><body><p>Horgos &amp; Khorgos</p><p>2012</p></body></html>"
    )
    assert read_document(html).text.split() == ["Horgos", "&", "Khorgos", "2012"]
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(_pdf("Tongjiang bridge 2022"))
    document = read_document(pdf)
    assert "Tongjiang bridge 2022" in document.text and document.page_of(0) == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"  \n", "an empty file"),
        ("binary.txt", b"\x00\x01\x02abc", "a binary file, not text"),
        ("latin.txt", "Zarubino, Приморье".encode("cp1251"), "not UTF-8 text (byte 10)"),
        ("sheet.xlsx", b"PK", "unknown kind of document"),
        ("fake.pdf", b"hello", "not a PDF (no %PDF header)"),
        ("cut.pdf", _pdf("Hunchun")[:120], "a damaged or truncated PDF"),
        ("scan.pdf", _pdf(""), "a PDF without a text layer (a scan?)"),
    ],
)
def test_bad_documents_are_refused_in_one_line(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(
        ImportFailed, match=reason.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        read_document(path)


def test_encrypted_and_oversized_documents_are_refused(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_pdf("Manzhouli"))
    writer = PdfWriter()
    writer.append(PdfReader(plain))
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ImportFailed, match="an encrypted PDF; remove the password first"):
        read_document(locked)
    big = tmp_path / "big.txt"
    big.write_text("Horgos " * 200)
    with pytest.raises(ImportFailed, match="1,400 bytes, over the limit of 1,000"):
        read_document(big, max_bytes=1000)


def test_dates_quantities_and_places_with_their_spans(sqlite_store: Engine) -> None:
    with sqlite_store.connect() as conn:
        found = extract(SAMPLE, conn)
    for item in found:
        assert SAMPLE[item["start"] : item["end"]] == item["text"]
        s, e = item["sentence"]
        assert s <= item["start"] < item["end"] <= e
    dates = {c["text"]: (c["value"], c["precision"], c["qualifier"]) for c in found if c["kind"] == "date"}
    assert dates == {
        "21 May 2015": ("2015-05-21", "day", None),
        "2021": ("2021", "year", "by_end_of"),
        "May 2019": ("2019-05", "month", None),
    }
    quantities = {c["text"]: (c["value"], c["unit"]) for c in found if c["kind"] == "quantity"}
    assert quantities == {
        "528 ha": (528, "ha"),
        "60,000 m²": (60_000, "m2"),
        "$5.9 billion": (5.9e9, "USD"),
        "8.7%": (8.7, "percent"),
        "3,000 km": (3000, "km"),
        "60 million tons a year": (60, "Mt/yr"),
        "500,000 TEU": (500_000, "TEU/yr"),
        "8,000 yuan": (8000, "CNY"),
        "1,500 euros": (1500, "EUR"),
    }
    places = {c["text"]: c.get("record") for c in found if c["kind"] == "place"}
    assert places == {"Chongqing": "chongqing", "Minsk Oblast": "minsk-oblast"}


def test_extract_from_the_command_line(tmp_path: Path, sqlite_store: Engine) -> None:
    path = tmp_path / "note.md"
    path.write_text(SAMPLE)
    shown = run_cli("extract", str(path), "--json", db=str(sqlite_store.url))
    assert shown.returncode == 0, shown.stderr
    candidates = json.loads(shown.stdout)
    kinds = {c["kind"] for c in candidates}
    assert isinstance(candidates, list) and kinds == {"date", "quantity", "place", "relation"}
    assert all({"kind", "text", "start", "end"} <= set(c) for c in candidates)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    failed = run_cli("extract", str(empty), db=str(sqlite_store.url))
    assert (
        failed.returncode != 0
        and "empty.txt: an empty file" in failed.stderr
        and "Traceback" not in failed.stderr
    )


def test_a_source_document_yields_its_places_and_dates(sqlite_store: Engine) -> None:
    document = read_document(shared_file("seeds/001_efbc1677c2c3e073.txt"))
    with sqlite_store.connect() as conn:
        found = extract(document.text, conn)
    records = {c.get("record") for c in found if c["kind"] == "place"}
    assert {"hunchun", "zarubino", "heilongjiang", "tongjiang"} <= records
    assert {"2015"} <= {c["value"] for c in found if c["kind"] == "date"}


def test_ingest_stores_sources_once_and_queues_candidates(tmp_path: Path, sqlite_store: Engine) -> None:
    from beltroad.ingest import ingest_document, pending

    path = tmp_path / "note.md"
    path.write_text("# Notes on the park\n\n" + SAMPLE)
    first = ingest_document(sqlite_store, path)
    again = ingest_document(sqlite_store, path)
    assert first.new and first.candidates >= 10 and first.source_id.startswith("doc-")
    assert (again.new, again.candidates, again.source_id) == (False, 0, first.source_id)
    queued = pending(sqlite_store, first.source_id)
    assert len(queued) == first.candidates and {c["status"] for c in queued} == {"pending"}
    text = path.read_text()
    assert all(text[c["start"] : c["end"]] == c["text"] for c in queued)
    with sqlite_store.connect() as conn:
        title = conn.execute(
            text_sql("SELECT title FROM sources WHERE id = :i"), {"i": first.source_id}
        ).scalar()
    assert title == "Notes on the park"


def test_a_batch_keeps_the_documents_done_before_a_failure(tmp_path: Path, sqlite_store: Engine) -> None:
    good, bad, later = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    good.write_text("Horgos opened in 2012.")
    bad.write_bytes(b"\x00\x01binary")
    later.write_text("Manzhouli handled 10 million tons a year in 2014.")
    shown = run_cli("ingest", str(good), str(bad), str(later), "--json", db=str(sqlite_store.url))
    assert shown.returncode == 1
    body = json.loads(shown.stdout)
    assert [Path(d["file"]).name for d in body["ingested"]] == ["a.txt", "c.txt"]
    assert body["failed"] == [{"file": str(bad), "error": f"{bad}: a binary file, not text"}]
    wrong = run_cli("ingest", str(good), "--kind", "novel", db=str(sqlite_store.url))
    assert wrong.returncode != 0 and "unknown source kind 'novel'" in wrong.stderr


def test_accepted_candidates_become_records_or_citations(tmp_path: Path, sqlite_store: Engine) -> None:
    from beltroad.ingest import decide, ingest_document, pending
    from beltroad.store import add_user, get_record

    with sqlite_store.begin() as conn:
        add_user(conn, "reviewer")
    path = tmp_path / "visit.txt"
    path.write_text(
        "Officials of Chongqing visited Duisburg and Belarus in May 2019; the park covers 528 ha."
    )
    source = ingest_document(sqlite_store, path).source_id
    queue = {c["text"]: c["id"] for c in pending(sqlite_store, source)}
    assert set(queue) == {"Chongqing", "Duisburg", "Belarus", "May 2019", "528 ha", "the park covers 528 ha."}
    decide(sqlite_store, queue["the park covers 528 ha."], "reject", "reviewer")

    cited = decide(sqlite_store, queue["Chongqing"], "accept", "reviewer")
    new_city = decide(sqlite_store, queue["Duisburg"], "accept", "reviewer")
    country = decide(sqlite_store, queue["Belarus"], "accept", "reviewer")
    with pytest.raises(ValidationFailed, match="give its measure and subject"):
        decide(sqlite_store, queue["528 ha"], "accept", "reviewer")
    area = decide(
        sqlite_store,
        queue["528 ha"],
        "accept",
        "reviewer",
        measure="land_area",
        subject="belarusian-style-town",
        as_of="2019-05",
    )
    with pytest.raises(ValidationFailed, match="a date is accepted as part of another fact"):
        decide(sqlite_store, queue["May 2019"], "accept", "reviewer")
    decide(sqlite_store, queue["May 2019"], "reject", "reviewer")
    with pytest.raises(ValidationFailed, match="was rejected already"):
        decide(sqlite_store, queue["May 2019"], "accept", "reviewer")
    assert pending(sqlite_store, source) == []

    with sqlite_store.connect() as conn:
        chongqing = get_record(conn, cited["record"])
        duisburg = get_record(conn, new_city["record"])
        belarus = get_record(conn, country["record"])
        observation = get_record(conn, area["record"])
    text = path.read_text()
    locator = next(c["locator"] for c in chongqing["citations"] if c["source"] == source)
    start, end = (int(x) for x in locator.removeprefix("chars ").split("–"))
    assert text[start:end] == "Chongqing"
    assert duisburg["name"] == "Duisburg" and duisburg["data"]["country"] == "DEU"
    assert any(c["source"] == source for c in duisburg["citations"])
    assert cited["record"] == "chongqing" and country["record"] == "belarus"
    facts = observation["data"]
    assert (facts["value"], facts["unit"], facts["measure"], facts["as_of"]) == (
        528,
        "ha",
        "land_area",
        "2019-05",
    )
    assert any(c["source"] == source for c in belarus["citations"])


def test_the_same_partnership_from_two_documents_is_one_record(tmp_path: Path, sqlite_store: Engine) -> None:
    """Our own sentences. A partnership the knowledge base has gets a second citation; a new one
    needs its places in the knowledge base first, and a second document then cites it."""
    from beltroad.ingest import decide, ingest_document, pending
    from beltroad.store import add_user, get_record

    with sqlite_store.begin() as conn:
        add_user(conn, "pairs-reviewer")

    def queued(name: str, text: str) -> tuple[str, dict[str, int]]:
        path = tmp_path / name
        path.write_text(text)
        source = ingest_document(sqlite_store, path).source_id
        return source, {
            f"{c['kind']}:{c['data'].get('fact') or c['text']}": c["id"]
            for c in pending(sqlite_store, source)
        }

    known, queue = queued(
        "a.txt", "In 2017 Chongqing and Minsk Oblast established friendship city relations."
    )
    done = decide(sqlite_store, queue["relation:established"], "accept", "pairs-reviewer")
    assert done["record"] == "chongqing-minsk-oblast"

    first, queue = queued("b.txt", "Harbin and Khabarovsk became sister cities in 1993, officials said.")
    with pytest.raises(ValidationFailed, match="accept the places first"):
        decide(sqlite_store, queue["relation:established"], "accept", "pairs-reviewer")
    for place in ("place:Harbin", "place:Khabarovsk"):
        if place in queue:
            decide(sqlite_store, queue[place], "accept", "pairs-reviewer")
    created = decide(sqlite_store, queue["relation:established"], "accept", "pairs-reviewer")["record"]
    second, queue = queued(
        "c.txt", "Officials recalled that Khabarovsk and Harbin had formed sister-city ties in 1993."
    )
    again = decide(sqlite_store, queue["relation:established"], "accept", "pairs-reviewer")["record"]
    assert again == created
    with sqlite_store.connect() as conn:
        record = get_record(conn, created)
        curated = get_record(conn, "chongqing-minsk-oblast")
    assert {c["source"] for c in record["citations"]} >= {first, second}
    assert record["data"]["established"] == "1993" and record["data"]["local_term"] == "sister cities"
    assert known in {c["source"] for c in curated["citations"]}


def test_agreements_and_trade_facts_become_citations_or_observations(
    tmp_path: Path, sqlite_store: Engine
) -> None:
    """Our own sentences. An agreement the knowledge base has (the same parties' places, the same
    year) gets a citation; a trade value becomes an observation of the two countries."""
    from beltroad.ingest import decide, ingest_document, pending
    from beltroad.store import add_user, get_record

    with sqlite_store.begin() as conn:
        add_user(conn, "facts-reviewer")
    path = tmp_path / "programme.txt"
    path.write_text(
        "In 2009 China and Russia signed a cooperation programme for their border regions. "
        "Trade between China and Russia reached $38.8 billion in 2009."
    )
    source = ingest_document(sqlite_store, path).source_id
    queue = {c["data"].get("fact"): c["id"] for c in pending(sqlite_store, source) if c["kind"] == "relation"}
    cited = decide(sqlite_store, queue["signed"], "accept", "facts-reviewer")
    trade = decide(sqlite_store, queue["value"], "accept", "facts-reviewer")
    with sqlite_store.connect() as conn:
        agreement = get_record(conn, cited["record"])
        observation = get_record(conn, trade["record"])
    assert agreement["data"]["signed"] == "2009" and source in {c["source"] for c in agreement["citations"]}
    facts = observation["data"]
    assert (facts["measure"], facts["value"], facts["unit"], facts["as_of"]) == (
        "trade_value",
        38.8e9,
        "USD",
        "2009",
    )
    assert set(facts["subject"]) == {"china", "russia"}
    with pytest.raises(ValidationFailed, match="was accepted already"):
        decide(sqlite_store, queue["signed"], "accept", "facts-reviewer")


def test_a_candidate_is_edited_before_it_is_decided(tmp_path: Path, sqlite_store: Engine) -> None:
    """A reviewer corrects what the extractor got wrong; bad edits are refused by field, and the
    edit is kept with its author."""
    from beltroad.ingest import decide, edit, ingest_document, pending
    from beltroad.store import add_user, get_record

    with sqlite_store.begin() as conn:
        add_user(conn, "editing-reviewer")
    path = tmp_path / "edit.txt"
    path.write_text("Harbin and Khabarovsk became sister cities in 1939, and the park covers 528 ha.")
    source = ingest_document(sqlite_store, path).source_id
    queue = {c["kind"] + ":" + c["text"]: c["id"] for c in pending(sqlite_store, source)}
    relation = next(
        c["id"]
        for c in pending(sqlite_store, source)
        if c["kind"] == "relation" and c["data"]["fact"] == "established"
    )
    with pytest.raises(ValidationFailed, match="value: month 13 is not 1–12"):
        edit(sqlite_store, relation, "editing-reviewer", {"value": "1993-13"})
    with pytest.raises(ValidationFailed, match="cannot be edited; editable: places, value"):
        edit(sqlite_store, relation, "editing-reviewer", {"colour": "red"})
    with pytest.raises(ValidationFailed, match="value: -5 ha cannot be negative"):
        edit(sqlite_store, queue["quantity:528 ha"], "editing-reviewer", {"value": "-5"})
    edited = edit(
        sqlite_store, relation, "editing-reviewer", {"value": "1993", "places": "Chongqing, Minsk Oblast"}
    )
    assert edited["data"]["value"] == "1993" and edited["data"]["place_records"] == [
        "chongqing",
        "minsk-oblast",
    ]
    assert edited["data"]["edits"][0]["by"] == "editing-reviewer"
    # the corrected partnership is the curated one: accepting it adds a citation there
    assert decide(sqlite_store, relation, "accept", "editing-reviewer")["record"] == "chongqing-minsk-oblast"
    place = edit(sqlite_store, queue["place:Harbin"], "editing-reviewer", {"record": "heilongjiang"})
    assert place["data"]["record"] == "heilongjiang" and "geonameid" not in place["data"]
    with sqlite_store.connect() as conn:
        curated = get_record(conn, "chongqing-minsk-oblast")
    assert source in {c["source"] for c in curated["citations"]}


def test_accepting_an_actor_cites_a_known_one_and_creates_a_new_one(tmp_path: Path, sqlite_store: Engine) -> None:
    """Accepting an actor used to fail with the message meant for dates."""
    from beltroad.ingest import decide, ingest_document, pending
    from beltroad.store import add_user, get_record

    with sqlite_store.begin() as conn:
        add_user(conn, "actor-reviewer")
    path = tmp_path / "actors.txt"
    path.write_text("The Minsk Oblast Executive Committee and China Railway Group met in Minsk on 5 May 2019.")
    source = ingest_document(sqlite_store, path).source_id
    actors = {c["text"]: c for c in pending(sqlite_store, source) if c["kind"] == "actor"}
    known = decide(sqlite_store, actors["Minsk Oblast Executive Committee"]["id"], "accept", "actor-reviewer")
    new = decide(sqlite_store, actors["China Railway Group"]["id"], "accept", "actor-reviewer")
    assert known["record"] == "minsk-oblast-executive-committee"
    with sqlite_store.connect() as conn:
        company = get_record(conn, new["record"])
        committee = get_record(conn, known["record"])
    assert company["kind"] == "actor" and company["data"]["kind"] == "company" and company["data"]["country"] == "CHN"
    assert [c["source"] for c in company["citations"]] == [source]
    assert source in {c["source"] for c in committee["citations"]}


def test_review_in_the_terminal(tmp_path: Path, sqlite_store: Engine) -> None:
    import os
    import subprocess
    import sys

    db = str(sqlite_store.url)
    assert run_cli("user", "add", "terminal-editor", db=db).returncode == 0
    path = tmp_path / "short.txt"
    path.write_text("Horgos and Khorgos face each other; 528 ha.")
    ingested = run_cli("ingest", str(path), "--json", db=db)
    assert ingested.returncode == 0, ingested.stderr
    source = json.loads(ingested.stdout)["ingested"][0]["source"]
    done = subprocess.run(
        [sys.executable, "-m", "beltroad.cli", "--db", db, "review", "--user", "terminal-editor", "--source", source],
        input="r\ns\nq\n",
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "[1/" in done.stdout and "rejected" in done.stdout
    # the sentence stands under the candidate with the mention marked, not only its offsets
    assert "»Horgos« and Khorgos face each other; 528 ha." in done.stdout
    nobody = run_cli("review", "--user", "nobody", db=db)
    assert nobody.returncode != 0 and "'nobody' is not an active editor" in nobody.stderr


GOLD = Path(__file__).parent / "data" / "gold"


def test_extraction_quality_on_annotated_documents(sqlite_store: Engine) -> None:
    """Our gold annotations (tests/data/gold): the three source documents (when ../shared is there)
    and five texts of our own. The patterns were improved while looking at all of them, so these
    are development figures; BENCHMARKS.md gives the held-out figures measured before. The
    issue's targets, over all documents together; each document no worse than 0.7."""
    from collections import Counter

    import yaml


    totals: Counter[tuple[str, str]] = Counter()
    scored = 0
    with sqlite_store.connect() as conn:
        for gold in sorted(GOLD.glob("*.yaml")):
            name = str(yaml.safe_load(gold.read_text(encoding="utf-8"))["document"])
            path = Path(__file__).parent.parent / name
            if not name.startswith("tests/"):
                path = SHARED / name
                if not path.exists():
                    continue
            scores = evaluate(gold, read_document(path).text, conn)
            scored += 1
            for kind in ("place", "date", "quantity", "relation"):
                s = scores[kind]
                totals[kind, "matched"] += s["matched"]
                totals[kind, "gold"] += s["gold"]
                totals[kind, "extracted"] += s["extracted"]
                assert (s["recall"] or 1) >= 0.7 and (s["precision"] or 1) >= 0.7, (gold.name, kind, s)
    assert scored >= 5
    for kind, target in (("place", 0.9), ("date", 0.9), ("quantity", 0.9), ("relation", 0.8)):
        recall = totals[kind, "matched"] / totals[kind, "gold"]
        precision = totals[kind, "matched"] / totals[kind, "extracted"]
        assert recall >= target and precision >= min(target, 0.85), (kind, recall, precision)


#: a curated figure no candidate carries: "and 6 are located in the southwest" counts zones by
#: ellipsis, with neither noun nor "of which"
NOT_REBUILT = {"cbeczs-under-construction-2018-southwest"}


def test_the_curated_records_of_each_source_document_have_candidates(sqlite_store: Engine) -> None:
    """The issue's done criterion: ingesting a source document yields candidates from which its
    curated partnerships, agreements and observations could be rebuilt, each with its span."""
    import yaml

    from beltroad.data.loader import CURATED_DIR
    from beltroad.model.units import to_base

    sources = {s["id"]: s.get("file") for s in yaml.safe_load((CURATED_DIR / "sources.yaml").read_text())}
    found: dict[str, list[dict[str, Any]]] = {}
    with sqlite_store.connect() as conn:
        for source, name in sources.items():
            if name and name[:3].isdigit():
                found[source] = extract(read_document(shared_file(f"seeds/{name}")).text, conn)
    checked = 0
    for kind in ("partnerships", "agreements", "observations"):
        for record in yaml.safe_load((CURATED_DIR / f"{kind}.yaml").read_text()):
            cited = {c["source"] for c in record.get("cite", [])} & set(found)
            if not cited or record["id"] in NOT_REBUILT:
                continue
            candidates = [c for source in cited for c in found[source]]
            if kind == "partnerships":
                hit = any(
                    c["kind"] == "relation"
                    and c["relation"] == "partnership"
                    and set(record["places"]) <= set(c["place_records"])
                    and c["value"] == str(record["established"])
                    for c in candidates
                )
            elif kind == "agreements":
                hit = any(
                    c["kind"] == "relation"
                    and c["relation"] == "agreement"
                    and c["value"][:4] == str(record["signed"])[:4]
                    for c in candidates
                )
            else:
                want = to_base(float(record["value"]), record["unit"])
                hit = any(
                    c["kind"] == "quantity"
                    and c["unit"] == record["unit"]
                    and abs(to_base(float(c["value"]), c["unit"]) - want) <= 1e-9 * abs(want)
                    for c in candidates
                )
            assert hit, (kind, record["id"])
            checked += 1
    assert checked >= 30


def test_an_actor_takes_the_places_in_its_name(sqlite_store: Engine) -> None:
    text = (
        "The Executive Committee of Minsk Oblast and the Harbin Municipal Development and Reform "
        "Commission met in Minsk."
    )
    with sqlite_store.connect() as conn:
        found = extract(text, conn)
    actors = {c["text"]: c for c in found if c["kind"] == "actor"}
    assert actors["Executive Committee of Minsk Oblast"]["record"] == "minsk-oblast-executive-committee"
    unknown = actors["Harbin Municipal Development and Reform Commission"]
    assert unknown["resolved_by"] == "pattern" and unknown["places"] == ["Harbin"]
    # the places inside the names are the actors'; only the place of the meeting is a mention
    assert [c["text"] for c in found if c["kind"] == "place"] == ["Minsk"]


def test_actors_are_scored_only_where_the_gold_annotates_them(tmp_path: Path, sqlite_store: Engine) -> None:

    text = "The Executive Committee of Minsk Oblast and China Railway Group met in Minsk on 5 May 2019."
    plain = {"document": "x", "places": {"Minsk": 1}, "dates": [{"value": "2019-05-05", "precision": "day"}]}
    plain |= {"quantities": []}
    (tmp_path / "plain.yaml").write_text(yaml.safe_dump(plain), encoding="utf-8")
    annotated = plain | {"actors": {"Executive Committee of Minsk Oblast": 1, "Belarusian Railway": 1}}
    (tmp_path / "actors.yaml").write_text(yaml.safe_dump(annotated), encoding="utf-8")
    with sqlite_store.connect() as conn:
        assert "actor" not in evaluate(tmp_path / "plain.yaml", text, conn)
        actor = evaluate(tmp_path / "actors.yaml", text, conn)["actor"]
    assert (actor["gold"], actor["extracted"], actor["matched"]) == (2, 2, 1)
    assert actor["missed"] == ["Belarusian Railway"] and actor["spurious"] == ["China Railway Group"]


def test_review_through_the_web(tmp_path: Path, sqlite_store: Engine) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

    from beltroad.api import create_app
    from beltroad.ingest import ingest_document
    from beltroad.store import add_user

    with sqlite_store.begin() as conn:
        token = add_user(conn, "web-reviewer")
    path = tmp_path / "web.txt"
    path.write_text("Delegates from Harbin signed the plan; the zone covers 73 ha.")
    source = ingest_document(sqlite_store, path).source_id
    client = TestClient(create_app(sqlite_store), raise_server_exceptions=False)
    page = client.get("/review", params={"source": source}, headers={"accept": "text/html"}).text
    assert "Delegates from Harbin signed the plan;" in page and "/static/review.js" in page
    items = client.get("/api/candidates", params={"source": source}).json()["items"]
    ids = {c["text"]: c["id"] for c in items}
    assert set(ids) == {"Harbin", "73 ha", "the zone covers 73 ha."}
    # a project fact asks for its project on the page; accepted, it is an observation of it
    assert "aria-label='subject'" in page and "project area: 73 ha" in page
    fact = client.post(
        f"/api/candidates/{ids['the zone covers 73 ha.']}/decision",
        json={"decision": "accept", "subject": "horgos-center", "as_of": "2018"},
        headers={"authorization": f"Bearer {token}"},
    )
    assert fact.status_code == 200, fact.text
    assert (
        client.get(f"/api/records/{fact.json()['record']}").json()["record"]["data"]["measure"] == "land_area"
    )
    anonymous = client.post(f"/api/candidates/{ids['Harbin']}/decision", json={"decision": "accept"})
    assert anonymous.status_code == 401
    auth = {"authorization": f"Bearer {token}"}
    accepted = client.post(
        f"/api/candidates/{ids['Harbin']}/decision", json={"decision": "accept"}, headers=auth
    )
    assert accepted.status_code == 200 and accepted.json()["record"] == "harbin"
    vague = client.post(f"/api/candidates/{ids['73 ha']}/decision", json={"decision": "accept"}, headers=auth)
    assert vague.status_code == 422 and "measure and subject" in vague.json()["error"]
    bad = client.post(f"/api/candidates/{ids['73 ha']}/decision", json={"decision": "maybe"}, headers=auth)
    assert bad.status_code == 422
    left = client.get("/api/candidates", params={"source": source}).json()["items"]
    assert [c["text"] for c in left] == ["73 ha"]
    # the source page shows the sentence with each span marked as what became of it, and follows
    # a decision that writes no record
    before = client.get(f"/api/sources/{source}").json()["source"]["passages"][0]["spans"]
    assert {s["status"] for s in before if s["kind"] == "quantity"} == {"pending"}
    reject = client.post(
        f"/api/candidates/{ids['73 ha']}/decision", json={"decision": "reject"}, headers=auth
    )
    assert reject.status_code == 200
    (passage,) = client.get(f"/api/sources/{source}").json()["source"]["passages"]
    assert passage["text"] == "Delegates from Harbin signed the plan; the zone covers 73 ha."
    marked = {(passage["text"][s["start"] : s["end"]], s["status"]) for s in passage["spans"]}
    assert marked == {("Harbin", "accepted"), ("73 ha", "rejected"), ("the zone covers 73 ha.", "accepted")}
    html = client.get(f"/sources/{source}").text
    assert "<mark class='span-accepted' title='place · accepted'><a href='/records/harbin'>Harbin</a></mark>" in html
    # the rejected quantity nests, unlinked, in the accepted fact's clause that links to its record
    assert "<mark class='span-rejected' title='quantity · rejected'>73 ha</mark>" in html
    assert f"href='#p-{passage['start']}'>read it in its sentence</a>" in html
