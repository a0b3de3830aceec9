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
from beltroad.ingest import describe, evaluate, extract, read_document
from beltroad.store import get_source, list_sources

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
    from beltroad.errors import ValidationFailed
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
    from beltroad.errors import ValidationFailed
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
    from beltroad.errors import ValidationFailed
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
    from beltroad.errors import ValidationFailed
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

    from beltroad.ingest import evaluate

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


def _relations(text: str, conn: object) -> list[dict[str, object]]:
    """The rules' relations of ``text`` (the classifier's suggestions have tests of their own)."""
    return [c for c in extract(text, conn, suggestions=False) if c["kind"] == "relation"]  # type: ignore[arg-type]


def test_partnerships_from_lists_of_pairs_containers_and_other_spellings(sqlite_store: Engine) -> None:
    """The shapes of twinning news the first rules missed: pairs listed in one sentence, a city and
    the region it lies in, one city with several partners, and romanised names GeoNames keeps as
    alternates (Urumqi for Ürümqi, Grodno for Hrodna)."""
    cases = {
        "The sides agreed new twinning ties: Vitebsk with Jinan, Novopolotsk with Weihai, and Orsha "
        "with Qingdao.": {("Vitebsk", "Jinan"), ("Novopolotsk", "Weihai"), ("Orsha", "Qingdao")},
        # the region a city lies in is where it is, not its partner
        "Novopolotsk in Vitebsk Region became a sister city of Weihai in May 2018.": {("Novopolotsk", "Weihai")},
        "Harbin became twinned with Khabarovsk and with Vladivostok in 1993.": {
            ("Harbin", "Khabarovsk"),
            ("Harbin", "Vladivostok"),
        },
        "Urumqi and Almaty signed a friendship city agreement in 2011.": {("Ürümqi", "Almaty")},
        # the province and the region named after its city, not the city Hrodna
        "Hainan Province and Grodno Region established twin relations in 2016.": {("Hainan", "Grodno Region")},
        "Vitebsk Oblast and Weihai became twinned in 2016.": {("Vitebsk Oblast", "Weihai")},
        # more than two places, not a list: the first and the next, as before
        "Chongqing and Minsk Oblast established friendship relations, the embassy in Minsk said.": {
            ("Chongqing", "Minsk Oblast")
        },
    }
    with sqlite_store.connect() as conn:
        for text, pairs in cases.items():
            found = {
                tuple(r["places"]) for r in _relations(text, conn) if r["relation"] == "partnership"
            }
            assert found == pairs, text


def test_relations_are_read_from_their_clauses(sqlite_store: Engine) -> None:
    """Our own sentences: each relation keeps the places, date or quantity of its clause."""
    text = (
        "In 2016 Harbin and Khabarovsk formally established sister-city relations. "
        "The governors of Harbin and Khabarovsk met in March 2018. Both sides signed a memorandum of "
        "understanding on grain trade. Trade between Kazakhstan and China grew 11% to $22 billion in "
        "2019. The new terminal covers 150 hectares and will handle 2 million tons per year; it "
        "opened in June 2020. Firms in the zone pay no land tax until 2040."
    )
    with sqlite_store.connect() as conn:
        found = _relations(text, conn)
    for item in found:
        assert text[item["start"] : item["end"]] == item["text"]  # type: ignore[index,misc]
    facts = {(r["relation"], r["fact"], str(r["value"]), tuple(r.get("places") or ())) for r in found}
    assert ("partnership", "established", "2016", ("Harbin", "Khabarovsk")) in facts
    # "both sides" reaches back one sentence for its parties and its date
    agreement = next(r for r in found if r["relation"] == "agreement")
    assert agreement["agreement_kind"] == "memorandum" and agreement["value"] == "2018-03"
    assert agreement["places"] == ["Harbin", "Khabarovsk"]
    trade = {r["fact"]: r for r in found if r["relation"] == "trade"}
    assert trade["value"]["value"] == [22e9, "USD"] and set(trade["value"]["places"]) == {
        "Kazakhstan",
        "China",
    }
    assert trade["growth"]["value"] == [11.0, "percent"] and trade["value"]["period"] == "2019"
    projects = {(r["fact"], str(r["value"])) for r in found if r["relation"] == "project"}
    assert {("area", "[150.0, 'ha']"), ("capacity", "[2.0, 'Mt/yr']"), ("launch", "2020-06")} <= projects
    assert ("zone", "policy", "2040", ()) in facts


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
    from beltroad.ingest import evaluate

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


MULTILINGUAL = Path(__file__).parent / "data" / "multilingual"


@pytest.mark.parametrize("name", ["dev-zh-chongqing", "dev-ru-minsk"])
def test_chinese_and_russian_development_texts_reach_the_issues_targets(sqlite_store: Engine, name: str) -> None:
    """The development texts (the held-out ones are measured once, in BENCHMARKS.md): places,
    dates and quantities at 0.8 or better and relations at 0.6, with precision at 0.9."""
    text = (MULTILINGUAL / f"{name}.txt").read_text(encoding="utf-8")
    with sqlite_store.connect() as conn:
        scores = evaluate(MULTILINGUAL / f"{name}.yaml", text, conn)
    matched = sum(scores[k]["matched"] for k in ("place", "date", "quantity"))
    gold = sum(scores[k]["gold"] for k in ("place", "date", "quantity"))
    assert matched / gold >= 0.8, scores
    assert scores["relation"]["recall"] >= 0.6, scores["relation"]
    for kind in ("place", "date", "quantity", "relation"):
        assert scores[kind]["precision"] >= 0.9, (kind, scores[kind])


def test_a_chinese_page_on_a_friendship_city_queues_candidates_with_spans_and_glosses(
    tmp_path: Path, sqlite_store: Engine
) -> None:
    page = tmp_path / "youcheng.txt"
    page.write_text("2015年6月，哈尔滨市与俄罗斯哈巴罗夫斯克市结为友好城市。", encoding="utf-8")
    with sqlite_store.connect() as conn:
        found = extract(page.read_text(encoding="utf-8"), conn)
    text = page.read_text(encoding="utf-8")
    assert all(text[c["start"] : c["end"]] == c["text"] for c in found)
    partnership = next(c for c in found if c["kind"] == "relation")
    assert partnership["places"] == ["Harbin", "Khabarovsk"] and partnership["value"] == "2015-06"
    assert ["友好城市", "friendship cities"] in partnership["gloss"] and ["哈尔滨市", "Harbin"] in partnership["gloss"]
    # the review shows the gloss beside what the candidate says
    assert "哈尔滨市 = Harbin" in describe("relation", partnership) and "Khabarovsk" in describe("relation", partnership)
    db = str(sqlite_store.url)
    assert run_cli("ingest", str(page), "--json", db=db).returncode == 0
    with sqlite_store.connect() as conn:
        ids = [x["id"] for x in list_sources(conn) if x["id"].startswith("doc-")]
        source = next(src for src in (get_source(conn, i) for i in ids) if src.get("file") == "youcheng.txt")
        queued = conn.execute(text_sql("SELECT kind FROM candidates WHERE text = '哈尔滨市'")).scalars().all()
    assert source["language"] == "zh" and queued == ["place"]


def test_russian_cases_and_dates_and_a_script_beltroad_does_not_read() -> None:
    found = extract("21 мая 2015 г. Владивосток и Харбин стали городами-побратимами. Мэр Владивостока доволен.")
    places = [(c["text"], c["name"]) for c in found if c["kind"] == "place"]
    assert ("Владивостока", "Vladivostok") in places and ("Харбин", "Harbin") in places
    assert [c["value"] for c in found if c["kind"] == "date"] == ["2015-05-21"]
    with pytest.raises(ValidationFailed, match="not in English, Chinese or Russian"):
        extract("وقعت الصين وكازاخستان اتفاقية للتعاون في مجال النقل عبر الحدود")


def test_russian_names_resolve_to_the_place_meant_or_are_reported_unresolved(sqlite_store: Engine) -> None:
    """Two cities' names sharing a stem resolve to the more populous (Благовещенск is not Pushkin,
    whose alternate names share its stem); a region the knowledge base lacks is the ISO 3166-2
    region its adjective names, not the town it resembles (Amursk), or else reported unresolved."""
    from beltroad.ingest.multilingual import UNRESOLVED_REGION

    text = (
        "В 2019 году Благовещенск и Хэйхэ стали побратимами. Губернатор Амурской области и глава "
        "Хабаровского края приехали в Хэйхэ, а делегация Энской области осталась дома."
    )
    with sqlite_store.connect() as conn:
        found = extract(text, conn)
    places = {c["text"]: c for c in found if c["kind"] == "place"}
    assert places["Благовещенск"]["name"] == "Blagoveshchensk"
    assert (places["Амурской области"]["name"], places["Амурской области"]["iso_3166_2"]) == ("Amur Oblast", "RU-AMU")
    assert (places["Хабаровского края"]["name"], places["Хабаровского края"]["iso_3166_2"]) == (
        "Khabarovsk Krai",
        "RU-KHA",
    )
    assert places["Энской области"]["resolved_by"] == UNRESOLVED_REGION  # no such region
    assert "Амурской" not in places
    partnership = next(c for c in found if c["kind"] == "relation")
    assert set(partnership["places"]) == {"Blagoveshchensk", "Heihe"} and partnership["value"] == "2019"


def test_chinese_and_russian_freight_and_visits_are_read_with_their_units(sqlite_store: Engine) -> None:
    zh = "霍尔果斯口岸当年货运量达到3500万吨，接待旅客约300万人次。"
    ru = "Мост длиной 1080 метров; через пункт пропуска планируется перевозить до 3 млн тонн грузов в год."
    with sqlite_store.connect() as conn:
        quantities = [(c["text"], c["value"], c["unit"]) for t in (zh, ru) for c in extract(t, conn) if c["kind"] == "quantity"]
    assert quantities == [
        ("3500万吨", 35.0, "Mt/yr"),
        ("300万人次", 3000000.0, "count"),
        ("1080 метров", 1080.0, "m"),
        ("3 млн тонн грузов в год", 3.0, "Mt/yr"),
    ]


def test_chinese_and_russian_agreements_name_their_parties_or_none(sqlite_store: Engine) -> None:
    """An agreement's parties: the sentence's places (a district, not the city written before it),
    else for "两市" (the two cities) the places named earlier in the paragraph; an agreement in a
    sentence about twinning is the twinning itself; "стороны" opening a paragraph is not guessed."""

    def agreements(text: str) -> list[tuple[list[str], str]]:
        with sqlite_store.connect() as conn:
            return [
                (r["places"], r["value"])
                for r in extract(text, conn)
                if r["kind"] == "relation" and r["relation"] == "agreement"
            ]

    assert agreements("2019年9月12日，重庆市渝北区与明斯克州签署投资合作协议。") == [
        (["Yubei District", "Minsk Oblast"], "2019-09-12")
    ]
    assert agreements("2011年，乌鲁木齐市与阿拉木图市结为友好城市。2023年9月，两市签署经贸合作协议。") == [
        (["Ürümqi", "Almaty"], "2023-09")
    ]
    assert agreements("2015年6月，哈尔滨市与哈巴罗夫斯克市签署协议，结为友好城市。") == []
    assert agreements("Минск и Пекин стали побратимами.\n\n12 сентября 2019 г. стороны подписали соглашение.") == []


def _relation_keys(store: Engine, text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
    """The rules' relations of ``text`` as (kind, fact, value, sorted places): what a shape test
    compares (the classifier's suggestions have tests of their own)."""
    with store.connect() as conn:
        return {
            (r["relation"], r["fact"], str(r.get("value")), tuple(sorted(r.get("places") or ())))
            for r in extract(text, conn, suggestions=False)
            if r["kind"] == "relation"
        }


def test_relations_of_the_fifth_batchs_shapes(sqlite_store: Engine) -> None:
    """Our own sentences in the shapes the fifth held-out batch first missed: each a general rule."""

    def relations(text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return _relation_keys(sqlite_store, text)

    # two statements about twinning in one sentence; an agreement named for friendship is the tie
    assert relations(
        "Gdansk signed a friendship agreement with Tianjin in 2012, and Poznan is twinned with Shenzhen."
    ) == {
        # GeoNames' names, accents and all
        ("partnership", "established", "2012", ("Gdańsk", "Tianjin")),
        ("partnership", "established", "None", ("Poznań", "Shenzhen")),
    }
    # pairs joined by "and", a town below the gazetteer's cut among them, dated by the dateline
    found = relations(
        "TASHKENT, 4 March 2024 - Officials confirmed new pairs of sister cities: Osh and Kashgar, "
        "Naryn and Artux, and Karakol and Korla."
    )
    assert {places for kind, _f, value, places in found if kind == "partnership" and value == "2024-03-04"} == {
        ("Kashgar", "Osh"),
        ("Artux", "Naryn"),
        ("Karakol", "Korla"),
    }
    # the parties behind possessives; memorandums in the plural
    assert ("agreement", "signed", "2019", ("Osh Region", "Xinjiang")) in relations(
        "In 2019 Kyrgyzstan's Osh Region and China's Xinjiang Uygur Autonomous Region signed two memorandums."
    )
    # a bank's loan for a line is an investment, not trade because the bank's name says Export
    assert relations("The railway opened in 2020. The Export-Import Bank of China lent 2.1 billion dollars for it.") == {
        ("project", "launch", "2020", ()),
        ("project", "investment", "[2100000000.0, 'USD']", ()),
    }


def test_relations_of_the_sixth_batchs_shapes(sqlite_store: Engine) -> None:
    """Our own sentences in the shapes the sixth held-out batch first missed."""

    def relations(text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return _relation_keys(sqlite_store, text)

    # a district named by its city's possessive is the partner, the city its owner
    assert relations("In 2019 Hambantota signed a friendship agreement with Guangzhou's Nansha District.") == {
        ("partnership", "established", "2019", ("Hambantota", "Nansha District"))
    }
    # of two statements only the one about twinning gives a partnership; "documents" are agreed
    found = relations(
        "In 2024 Belarus and China signed 12 documents. Among them, Mogilev Region and Jiangsu Province "
        "agreed to set up a trade house in 2024, and Gomel signed a twinning agreement with Hefei in 2024."
    )
    assert {r for r in found if r[0] == "partnership"} == {("partnership", "established", "2024", ("Hefei", "Homyel'"))}
    assert ("agreement", "signed", "2024", ("Belarus", "China")) in found
    # a sum belongs to the words of its own statement: exports' value, then the park's investment
    assert relations(
        "Exports from Belarus to China reached 1.9 billion dollars in 2023, while Chinese investment in "
        "the industrial park exceeded 1.3 billion dollars."
    ) == {
        ("trade", "value", "[1900000000.0, 'USD']", ("Belarus", "China")),
        ("project", "investment", "[1300000000.0, 'USD']", ()),
    }


def test_relations_of_the_seventh_batchs_shapes(sqlite_store: Engine) -> None:
    """Our own sentences in the shapes the seventh held-out batch first missed, in its three
    languages: each a general rule."""

    def relations(text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return _relation_keys(sqlite_store, text)

    # a partnership stated in an apposition, and as a state: dated by its "since" or not at all
    assert relations("Bukhara, a sister city of Lanzhou since 2014, hosted a forum in 2024.") == {
        ("partnership", "established", "2014", ("Bukhara", "Lanzhou"))
    }
    assert relations("Batumi and Xiamen are partner cities, and both have built new ports.") == {
        ("partnership", "established", "None", ("Batumi", "Xiamen"))
    }
    # a tie in the perfect tense with "since" is dated by it, though its verb is not "established"
    assert ("partnership", "established", "2010", ("Chengdu", "Medan")) in relations(
        "Medan and Chengdu have worked together as sister cities since 2010."
    )
    # a verb with its project after it, the project named with several words
    assert ("project", "launch", "2022-12-05", ()) in {
        (kind, fact, value, ()) for kind, fact, value, _p in relations(
            "VIENTIANE, 5 December 2022 - Laos opened the Vientiane-Vangvieng high-speed expressway on Monday."
        )
    }
    # an Uzbek city by the Russian-derived name of English prose (GeoNames: Namangan, Farg'ona)
    with sqlite_store.connect() as conn:
        found = extract("Fergana and Urumqi signed a memorandum in May 2023.", conn)
    assert ("agreement", "signed", "2023-05") in {(r.get("relation"), r.get("fact"), r.get("value")) for r in found}
    assert "UZ" in {p.get("country_iso2") for p in found if p["kind"] == "place"}
    # a town below every size cut, beside the port noun, in a country the text names
    with sqlite_store.connect() as conn:
        places = [p for p in extract("Georgia plans the Anaklia deep-sea port.", conn) if p["kind"] == "place"]
    assert [(p["text"], p["country_iso2"]) for p in places if p.get("country_iso2")] == [("Anaklia", "GE")]
    # Chinese and Russian: two statements about twinning in one sentence, each with its own date;
    # another country's province by its Chinese name; a city's bare name once the text names its 市
    zh = relations("南宁市与海防市于2005年结为友好城市，昆明市与胡志明市则在2015年缔结友好城市关系。")
    assert {r for r in zh if r[0] == "partnership"} == {
        ("partnership", "established", "2005", ("Haiphong", "Nanning")),
        ("partnership", "established", "2015", ("Ho Chi Minh City", "Kunming")),
    }
    with sqlite_store.connect() as conn:
        zh_places = {(p["text"], p["name"]) for p in extract("谅山省与广西在南宁签署协议。南宁市表示欢迎。", conn) if p["kind"] == "place"}
    assert {("谅山省", "Lạng Sơn"), ("南宁", "Nanning"), ("南宁市", "Nanning")} <= zh_places
    ru = relations("Иркутск и Шэньян стали городами-побратимами в 1992 году, а Томск и Цзинань договорились о побратимстве в 2012 году.")
    assert {r for r in ru if r[0] == "partnership"} == {
        ("partnership", "established", "1992", ("Irkutsk", "Shenyang")),
        ("partnership", "established", "2012", ("Jinan", "Tomsk")),
    }


def test_relations_of_the_eighth_batchs_shapes(sqlite_store: Engine) -> None:
    """Our own sentences in the shapes the eighth held-out batch first missed."""

    def relations(text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return _relation_keys(sqlite_store, text)

    # "has had … since", and an anniversary that dates the tie back; "while" begins a statement
    assert relations(
        "Astana has had a sister-city relationship with Beijing since 2006, while Almaty and Urumqi "
        "celebrated the 20th anniversary of their twinning in 2021."
    ) == {
        ("partnership", "established", "2006", ("Astana", "Beijing")),
        ("partnership", "established", "2001", ("Almaty", "Ürümqi")),
    }
    # a friendship pact dated "last year" by the report's dateline
    assert relations("MINSK, 3 May 2024 - Brest signed a friendship pact with Xiamen last year.") == {
        ("partnership", "established", "2023", ("Brest", "Xiamen"))
    }
    # the place a memorandum was signed in is not a party; nor is the province a party lies in
    found = relations("DHAKA, 2 May 2024 - Bangladesh and China agreed on Thursday, under a memorandum signed in Beijing.")
    assert {r for r in found if r[0] == "agreement"} == {("agreement", "signed", "2024-05-02", ("Bangladesh", "China"))}
    assert ("agreement", "signed", "2022-06", ("Aktau", "Lianyungang")) in relations(
        "The port of Aktau and Lianyungang in Jiangsu province signed a cooperation agreement in June 2022."
    )
    # tonnes as written (thousands stay tonnes); a crossing's year of freight is its capacity
    with sqlite_store.connect() as conn:
        found_all = extract(
            "The Kyakhta border post handled 74,000 tonnes of goods in 2023. Freight on the route rose "
            "12 percent in 2022, to 1.5 million tonnes, under a 30-year concession.",
            conn,
        )
    quantities = {(q["value"], q["unit"]) for q in found_all if q["kind"] == "quantity"}
    assert {(74000.0, "t/yr"), (12.0, "percent"), (1.5, "Mt/yr"), (30.0, "year")} <= quantities
    assert ("project", "capacity") in {(r.get("relation"), r.get("fact")) for r in found_all if r.get("value") == [74000.0, "t/yr"]}
    # a group named after its institute is one actor
    with sqlite_store.connect() as conn:
        actors = [c["text"] for c in extract("Harbin Survey and Design Institute Group will study it.", conn) if c["kind"] == "actor"]
    assert actors == ["Harbin Survey and Design Institute Group"]
    # Russian: a republic by its name after its word; Chinese: a German state with its 州
    with sqlite_store.connect() as conn:
        ru = {(c["text"], c["name"]) for c in extract("Республика Башкортостан и Татарстан подписали соглашение.", conn) if c["kind"] == "place"}
        zh = {(c["text"], c["name"]) for c in extract("重庆市与巴伐利亚州签署协议。", conn) if c["kind"] == "place"}
    assert {("Башкортостан", "Bashkortostan"), ("Татарстан", "Tatarstan")} <= ru
    # China's provinces in Russian are Palladius transcriptions of their pinyin; a programme signed
    # is an agreement
    assert ("agreement", "signed", "2024", ("Chelyabinsk Oblast", "Hubei")) in relations(
        "В 2024 году Челябинская область и провинция Хубэй подписали программу сотрудничества."
    )
    assert ("巴伐利亚州", "Bayern") in zh
    # trains run, counted by 列
    with sqlite_store.connect() as conn:
        counts = [(q["value"], q["unit"]) for q in extract("2023年中欧班列开行5300列。", conn) if q["kind"] == "quantity"]
    assert counts == [(5300.0, "count")]


def test_relations_of_the_ninth_batchs_shapes(sqlite_store: Engine) -> None:
    """Our own sentences in the shapes the ninth held-out batch first missed: each a general rule."""

    def relations(text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return _relation_keys(sqlite_store, text)

    # a second statement opened by "and last month"; a memorandum "on twinning" is the tie, dated
    # by the month before the dateline's
    assert relations(
        "ASTANA, 10 March 2024 - Officials met. Karaganda entered into a sister-city arrangement with "
        "Urumqi in 2009, and last month the mayors of Pavlodar and Karamay put their signatures to a "
        "memorandum on twinning."
    ) == {
        ("partnership", "established", "2009", ("Karagandy", "Ürümqi")),
        ("partnership", "established", "2024-02", ("Karamay", "Pavlodar")),
    }
    # a partner named by apposition, held "for three decades"; an undated statement takes its
    # sentence's "this year"
    assert relations(
        "MINSK, 2 June 2024 - Grodno, a partner of Kaifeng for three decades, renewed the tie this year, "
        "while Brest became the twin town of Lianyungang."
    ) == {
        ("partnership", "established", "1994", ("Hrodna", "Kaifeng")),
        ("partnership", "established", "2024", ("Brest", "Lianyungang")),
    }
    # "mark 15 years as sister cities in 2026": a tie of 2011
    assert relations("Almaty and Urumqi mark 15 years as sister cities in 2026.") == {
        ("partnership", "established", "2011", ("Almaty", "Ürümqi"))
    }
    # "agreed to establish friendly relations" is an agreement; the venue is no party; the date
    # that opens the sentence frames its second statement, whose parties are its own
    assert relations(
        "At a meeting in Lanzhou in May 2023, officials of Gansu Province and the Khatlon Region agreed "
        "to establish friendly relations, and Dushanbe and Urumqi were declared sister cities."
    ) == {
        ("agreement", "signed", "2023-05", ("Gansu", "Khatlon")),
        ("partnership", "established", "2023-05", ("Dushanbe", "Ürümqi")),
    }
    # a programme's term is not the day it was signed
    assert relations(
        "OMSK, 12 April 2024 - Omsk Oblast and Xinjiang signed a programme of cooperation for 2024-2028 "
        "at a forum, officials said."
    ) == {("agreement", "signed", "2024-04-12", ("Omsk Oblast", "Xinjiang"))}
    with sqlite_store.connect() as conn:
        found = extract(
            "Darkhan and the Rangpur Division were named. The port was leased for two decades with a loan "
            "from the Export-Import Bank of\nChina.",
            conn,
            suggestions=False,
        )
    # a Latin alternate a letter from the city's own name (Darkhan, GeoNames' Darhan, 84,000
    # people) counts as the name does; a division keeps its word; "two decades" are 20 years; an
    # actor's "of" runs onto the next line, and its name is one line
    assert {(c["text"], c["name"]) for c in found if c["kind"] == "place"} == {
        ("Darkhan", "Darhan"),
        ("Rangpur Division", "Rangpur Division"),
    }
    assert [(q["value"], q["unit"]) for q in found if q["kind"] == "quantity"] == [(20.0, "year")]
    assert [c["name"] for c in found if c["kind"] == "actor"] == ["Export-Import Bank of China"]


def test_relations_of_the_tenth_batchs_shapes(sqlite_store: Engine) -> None:
    """Our own sentences in the shapes the tenth held-out batch first missed: each a general rule."""

    def relations(text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return _relation_keys(sqlite_store, text)

    # a tie dated from the one before it ("two years after")
    assert relations(
        "Aktobe and Urumqi signed a friendship agreement in 2017, two years after Atyrau became a sister city of Lanzhou."
    ) == {
        ("partnership", "established", "2017", ("Aktobe", "Ürümqi")),
        ("partnership", "established", "2015", ("Atyrau", "Lanzhou")),
    }
    # a tie stated as one of a city's list, then a second statement with its own date; a
    # statement whose second place the gazetteer lacks (Zugdidi) gives no pair
    assert relations(
        "Kutaisi, Georgia's third city, lists Hefei as one of its friendship cities, and Rustavi was "
        "twinned with Yiwu in 2024."
    ) == {
        ("partnership", "established", "None", ("Hefei", "Kutaisi")),
        ("partnership", "established", "2024", ("Rustavi", "Yiwu")),
    }
    assert relations(
        "Batumi lists Hangzhou as one of its sister cities, and Zugdidi was twinned with Wenzhou in 2021."
    ) == {("partnership", "established", "None", ("Batumi", "Hangzhou"))}
    # "agreed to become friendship provinces": the agreement, not yet the tie
    assert relations(
        "TASHKENT, 3 March 2025 - Officials met. Samarkand Region and Gansu Province agreed to become "
        "friendship provinces."
    ) == {("agreement", "signed", "2025-03-03", ("Gansu", "Samarkand"))}
    with sqlite_store.connect() as conn:
        found = extract("The Azerbaijani port town of Alat has a 120-hectare site.", conn, suggestions=False)
    # a small port after "port town of", by UN/LOCODE; an area written as a compound adjective
    assert [(c["text"], c.get("unlocode")) for c in found if c["kind"] == "place"] == [("Alat", "AZ ALA")]
    assert [(q["value"], q["unit"]) for q in found if q["kind"] == "quantity"] == [(120.0, "ha")]


def test_relations_of_the_eleventh_batchs_shapes(sqlite_store: Engine) -> None:
    """Our own sentences in the shapes the eleventh held-out batch first missed: each a general rule."""

    def relations(text: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return _relation_keys(sqlite_store, text)

    # "worth" takes the meaning of the noun it follows
    assert relations("Trade between Laos and China was worth 4.1 billion dollars in 2023.") == {
        ("trade", "value", "[4100000000.0, 'USD']", ("China", "Laos"))
    }
    # a plan signed for cooperation is an agreement; a region word in lower case after a city
    assert relations(
        "Uzbekistan's Samarkand region and China's Shaanxi province signed a three-year plan for tourism "
        "cooperation in May 2024."
    ) == {("agreement", "signed", "2024-05", ("Samarkand", "Shaanxi"))}
    # the tail of a list dated "a year later" than its head
    assert ("partnership", "established", "2016", ("Pančevo", "Wuhan")) in relations(
        "Subotica was paired with Zhenjiang in 2014, and Pancevo with Wuhan two years later."
    )
    # a second statement opened by "and in 2019" is cut from the first (its tie is the classifier's
    # to suggest: "raised their ties" is no verb of the rules)
    assert relations(
        "Tashkent became a sister city of Wuhan in 2015, and in 2019 Bukhara and Zibo raised their ties to "
        "sister-city status."
    ) == {("partnership", "established", "2015", ("Tashkent", "Wuhan"))}
    with sqlite_store.connect() as conn:
        places = {(c["text"], c["name"]) for c in extract("Serbia's Vojvodina province signed.", conn) if c["kind"] == "place"}
    assert ("Vojvodina", "Vojvodina") in places
