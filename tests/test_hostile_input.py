"""Hostile input reaches DuckDB and the API as data, never as code: file names and headers with
quotes, conditions that try to read files, integers past what the stores hold."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from sqlalchemy import Engine

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from tests.conftest import run_cli

from beltroad.api import create_app
from beltroad.errors import ImportFailed, ValidationFailed
from beltroad.store import add_user, engine_from_url, get_record
from beltroad.trade import import_trade, read_panel

PANEL = "year,exporter,importer,trade\n2000,CHN,RUS,1\n2000,RUS,CHN,2\n2001,CHN,RUS,3\n"
READS_A_FILE = "length((SELECT content FROM read_text('{secret}'))) > 0"


def _panel(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(PANEL, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name",
    ["O'Brien.csv", "a.csv', header=true) LIMIT 0; COPY (SELECT 42) TO 'pwned.csv'; --.csv"],
)
def test_a_file_name_is_a_name_not_sql(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = _panel(tmp_path, name)
    ds = import_trade(tmp_path / "var", "panel", source, name="panel", mapping={"value": "trade"})
    assert ds.meta["rows"] == 3
    assert not list(tmp_path.rglob("pwned.csv"))


def test_a_mapped_header_is_quoted_and_must_exist(tmp_path: Path) -> None:
    source = _panel(tmp_path, "p.csv")
    with pytest.raises(ImportFailed, match=r"no column\(s\) tr\"ade\) AS DOUBLE"):
        import_trade(tmp_path / "var", "panel", source, mapping={"value": 'tr"ade) AS DOUBLE'})
    assert not (tmp_path / "var" / "trade" / "p.parquet").exists()


def test_a_condition_cannot_read_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the launch codes", encoding="utf-8")
    source = _panel(tmp_path, "p.csv")
    assert len(read_panel(source, "year = 2000")) == 2
    with pytest.raises(ImportFailed, match="reads files or settings") as caught:
        read_panel(source, READS_A_FILE.format(secret=secret))
    assert "launch codes" not in str(caught.value)
    from beltroad.trade.counterfactual import _mask  # the --pairs-where of a counterfactual

    frame = read_panel(source)
    assert _mask(frame, "exporter = 'CHN'").sum() == 2
    with pytest.raises(ValidationFailed, match="reads files or settings"):
        _mask(frame, READS_A_FILE.format(secret=secret))


def test_integers_past_what_the_store_holds_are_refused(store: Engine) -> None:
    with store.begin() as conn:
        token = add_user(conn, "ana")
    client = TestClient(create_app(store), raise_server_exceptions=False)
    auth = {"authorization": f"Bearer {token}"}
    huge = {
        "changes": {"note": "x"},
        "citation": {"source": "yang-belarus-town", "section": "s", "paragraph": 2**64},
    }
    answer = client.patch("/api/records/belarusian-style-town", json=huge, headers=auth)
    assert answer.status_code == 422 and "paragraph" in answer.json()["error"]
    with store.connect() as conn:
        assert get_record(conn, "belarusian-style-town")["data"].get("note") != "x"
    assert client.get("/api/records/belarusian-style-town").status_code == 200
    decision = client.post(f"/api/candidates/{2**63}/decision", json={"decision": "reject"}, headers=auth)
    assert decision.status_code == 422


def test_pages_carry_security_headers(sqlite_store: Engine) -> None:
    client = TestClient(create_app(sqlite_store))
    page = client.get("/records/belarusian-style-town", headers={"accept": "text/html"})
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    api = client.get("/api/records/belarusian-style-town")
    assert api.headers["x-content-type-options"] == "nosniff" and "content-security-policy" not in api.headers


def test_a_revoked_token_no_longer_writes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert run_cli("db", "init", db=db).returncode == 0
    token = run_cli("user", "add", "ana", db=db).stdout.strip().splitlines()[-1]
    engine = engine_from_url(db)
    client = TestClient(create_app(engine), raise_server_exceptions=False)
    body = {"changes": {"note": "x"}, "citation": {"source": "yang-belarus-town", "section": "s"}}
    auth = {"authorization": f"Bearer {token}"}
    assert client.patch("/api/records/belarusian-style-town", json=body, headers=auth).status_code == 200
    listed = run_cli("user", "list", "--json", db=db)
    assert '"last_used_at": "20' in listed.stdout
    revoked = run_cli("user", "revoke", "ana", db=db)
    assert revoked.returncode == 0, revoked.stderr
    assert client.patch("/api/records/belarusian-style-town", json=body, headers=auth).status_code == 403
    again = run_cli("user", "revoke", "ana", db=db)
    assert again.returncode == 1 and "revoked already" in again.stderr


def test_malformed_files_are_one_line_errors(tmp_path: Path) -> None:
    from beltroad.transport import load_scenario

    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nchanges: [\n  - {kind: link", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"broken.yaml: not valid YAML at line \d+"):
        load_scenario(str(broken))
    from beltroad.importers.common import read_csv

    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffcity1,country1\nMinsk,Belarus\n".encode())
    assert read_csv(bom, ("city1", "country1")).rows == [(2, {"city1": "Minsk", "country1": "Belarus"})]
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('city1,country1\n"Minsk,Belarus\nHarbin,China\n', encoding="utf-8")
    with pytest.raises(ImportFailed, match="malformed CSV"):
        read_csv(unclosed, ("city1", "country1"))


def test_a_document_past_the_extractors_limit_is_refused_in_one_line() -> None:
    from beltroad.ingest import extract

    with pytest.raises(
        ValidationFailed, match=r"5,000,001 characters; the extractor reads at most 5,000,000"
    ):
        extract("a" * 5_000_001)


def _bomb_pdf(inflated_bytes: int) -> bytes:
    """A one-page PDF whose content stream inflates from a few hundred KB to ``inflated_bytes``."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"0" * 10_000_000
    data = b"".join(packer.compress(chunk) for _ in range(inflated_bytes // len(chunk))) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_a_pdf_decompression_bomb_is_a_one_line_refusal(tmp_path: Path) -> None:
    from beltroad.ingest import read_document

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_bomb_pdf(400_000_000))
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(ImportFailed, match=r"bomb\.pdf: a PDF"):
        read_document(bomb)
