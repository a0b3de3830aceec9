"""Nothing lost under concurrent writers, on both backends: two editors racing on one record
through a two-worker server keep every change, racing reviewers decide a candidate once, If-Match
refuses a stale write with 409, and a write that waits out the lock is a 503 with Retry-After."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from beltroad.api import create_app
from beltroad.ingest import ingest_document, pending
from beltroad.store import add_user, check_store, engine_from_url, get_record, migrate

RECORD = "belarusian-style-town"
WRITES_PER_EDITOR = 50
IN_FLIGHT = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def served(store: Engine, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Engine]]:
    """The observatory on ``store`` in two worker processes, and two editors' tokens."""
    with store.begin() as conn:
        tokens = {name: add_user(conn, name) for name in ("ana", "ben")}
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "beltroad.cli",
            "--db",
            _url(store),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "BELTROAD_DATA_DIR": str(tmp_path)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start: " + (tmp_path / "server.log").read_text())
        yield base, tokens, store
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_two_editors_racing_on_one_record_lose_nothing(served: tuple[str, dict[str, str], Engine]) -> None:
    base, tokens, engine = served

    def write(job: tuple[str, int]) -> int:
        editor, k = job
        body = {
            "changes": {"note": f"{editor} wrote {k}"},
            "citation": {"source": "yang-belarus-town", "section": "concurrency test", "paragraph": k},
        }
        with httpx.Client(base_url=base, timeout=60) as client:
            answer = client.patch(
                f"/api/records/{RECORD}", json=body, headers={"authorization": f"Bearer {tokens[editor]}"}
            )
        return answer.status_code

    jobs = [
        (editor, offset + i)
        for i in range(1, WRITES_PER_EDITOR + 1)
        for editor, offset in (("ana", 0), ("ben", 1000))
    ]
    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        statuses = list(pool.map(write, jobs))
    assert statuses.count(200) == len(jobs), sorted(set(statuses))
    with engine.connect() as conn:
        record = get_record(conn, RECORD)
        report = check_store(conn)
    cited = {c["paragraph"] for c in record["data"]["cite"] if c.get("section") == "concurrency test"}
    assert cited == {k for _editor, k in jobs}
    assert record["version"] == 1 + len(jobs)
    assert [p for p in report["problems"] if p["check"] == "audit"] == []


def test_racing_reviewers_decide_a_candidate_once(
    served: tuple[str, dict[str, str], Engine], tmp_path: Path
) -> None:
    base, tokens, engine = served
    doc = tmp_path / "note.txt"
    doc.write_text("In 2019 Chongqing and Minsk signed an agreement on investment.", encoding="utf-8")
    ingest_document(engine, doc)
    candidate = next(c for c in pending(engine) if c["kind"] == "place")

    def decide(k: int) -> httpx.Response:
        editor = ("ana", "ben")[k % 2]
        with httpx.Client(base_url=base, timeout=60) as client:
            return client.post(
                f"/api/candidates/{candidate['id']}/decision",
                json={"decision": "accept" if k % 2 else "reject"},
                headers={"authorization": f"Bearer {tokens[editor]}"},
            )

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(decide, range(8)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [409] * 7, [a.text for a in answers]
    loser = next(a for a in answers if a.status_code == 409).json()["error"]
    assert "already by" in loser and " at " in loser


def test_if_match_refuses_a_stale_write_and_names_who_moved_it(store: Engine) -> None:
    with store.begin() as conn:
        token = add_user(conn, "ana")
    client = TestClient(create_app(store), raise_server_exceptions=False)
    auth = {"authorization": f"Bearer {token}"}
    version = client.get(f"/api/records/{RECORD}").json()["record"]["version"]
    body = {
        "changes": {"note": "first"},
        "citation": {"source": "yang-belarus-town", "section": "Results and discussion", "paragraph": 4},
    }
    first = client.patch(f"/api/records/{RECORD}", json=body, headers={**auth, "if-match": f'"{version}"'})
    assert first.status_code == 200 and first.headers["etag"] == f'"{version + 1}"'
    stale = client.patch(
        f"/api/records/{RECORD}",
        json={**body, "changes": {"note": "second"}},
        headers={**auth, "if-match": f'"{version}"'},
    )
    assert stale.status_code == 409
    assert f"version {version + 1}, not {version}" in stale.json()["error"] and "ana" in stale.json()["error"]
    with store.connect() as conn:
        assert get_record(conn, RECORD)["data"]["note"] == "first"
    garbled = client.patch(f"/api/records/{RECORD}", json=body, headers={**auth, "if-match": "yesterday"})
    assert garbled.status_code == 422 and "If-Match" in garbled.json()["error"]


def test_a_write_that_waits_out_the_lock_is_a_503_with_retry_after(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    engine = engine_from_url(f"sqlite:///{path}", lock_wait_ms=200)
    migrate(engine)
    from beltroad.store import load_knowledge_base

    load_knowledge_base(engine)
    with engine.begin() as conn:
        token = add_user(conn, "ana")
    client = TestClient(create_app(engine), raise_server_exceptions=False)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        answer = client.patch(
            f"/api/records/{RECORD}",
            json={"changes": {"note": "x"}, "citation": {"source": "yang-belarus-town", "section": "s"}},
            headers={"authorization": f"Bearer {token}"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 503 and answer.headers["retry-after"]
    assert "busy" in answer.json()["error"]
    with engine.connect() as conn:
        assert get_record(conn, RECORD)["data"].get("note") != "x"
