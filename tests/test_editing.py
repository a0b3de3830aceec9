"""Editing through the API on both backends: tokens, citations, the audit trail, retiring, and
the bad-input rules (401, 403, 413, 422) with nothing half-written."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from beltroad.api import create_app
from beltroad.settings import Settings
from beltroad.store import _tables as t, add_user, get_record, list_records, load_knowledge_base

CITE = {"source": "yang-belarus-town", "section": "Results and discussion", "paragraph": 4}


@pytest.fixture
def api(store: Engine) -> tuple[TestClient, dict[str, str], Engine]:
    with store.begin() as conn:
        token = add_user(conn, "ana")
    client = TestClient(create_app(store, Settings(max_request_bytes=20_000)), raise_server_exceptions=False)
    return client, {"authorization": f"Bearer {token}"}, store


def _audit_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(t.audit)) or 0


def test_correct_a_record_with_a_citation_and_see_its_history(
    api: tuple[TestClient, dict[str, str], Engine],
) -> None:
    client, auth, engine = api
    response = client.patch(
        "/api/records/belarusian-style-town",
        json={
            "changes": {"status": "completed", "status_as_of": "2023-12"},
            "citation": CITE,
            "note": "completion reported",
        },
        headers=auth,
    )
    assert response.status_code == 200, response.text
    record = response.json()["record"]
    assert record["status"] == "completed" and record["data"]["status_as_of"] == "2023-12"
    history = client.get("/api/records/belarusian-style-town/history").json()["history"]
    assert len(history) == 1
    entry = history[0]
    assert (entry["user_name"], entry["action"], entry["note"]) == ("ana", "update", "completion reported")
    assert entry["before"]["status"] == "under_construction" and entry["after"]["status"] == "completed"
    assert entry["citation"]["source"] == "yang-belarus-town"
    page = client.get("/records/belarusian-style-town", headers={"accept": "text/html"}).text
    assert "completion reported" in page and "ana" in page
    # a reload of the curated data keeps the editor's correction
    load_knowledge_base(engine)
    with engine.connect() as conn:
        assert get_record(conn, "belarusian-style-town")["status"] == "completed"


def test_create_and_retire(api: tuple[TestClient, dict[str, str], Engine]) -> None:
    client, auth, engine = api
    new = {
        "id": "minsk-chongqing-test-event",
        "name": "A test meeting",
        "kind": "meeting",
        "date": "2024-05-02",
        "place": "minsk",
        "participants": ["minsk-oblast-executive-committee"],
    }
    created = client.post(
        "/api/records", json={"kind": "event", "record": new, "citation": CITE}, headers=auth
    )
    assert created.status_code == 201, created.text
    assert created.json()["record"]["citations"][0]["locator"] == "Results and discussion ¶4"
    assert created.json()["record"]["countries"] == ["BLR"]
    retired = client.post(
        "/api/records/minsk-chongqing-test-event/retire", json={"citation": CITE}, headers=auth
    )
    assert retired.status_code == 200 and retired.json()["record"]["retired"] is True
    with engine.connect() as conn:
        assert all(
            r["id"] != "minsk-chongqing-test-event" for r in list_records(conn, "event", limit=100)["items"]
        )
    assert client.get("/api/search", params={"q": "test meeting"}).json()["items"] == []
    assert client.get("/api/records/minsk-chongqing-test-event").status_code == 200
    again = client.post(
        "/api/records/minsk-chongqing-test-event/retire", json={"citation": CITE}, headers=auth
    )
    assert again.status_code == 422 and "retired already" in again.json()["error"]
    assert [
        h["action"] for h in client.get("/api/records/minsk-chongqing-test-event/history").json()["history"]
    ] == ["create", "retire"]


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({}, 401, "needs an editor's token"),
        ({"authorization": "Basic abc"}, 401, "must be 'Bearer <token>'"),
        ({"authorization": "Bearer not-a-real-token"}, 403, "not an active editor's token"),
    ],
)
def test_writes_need_a_valid_token(
    api: tuple[TestClient, dict[str, str], Engine], headers: dict[str, str], status: int, message: str
) -> None:
    client, _, engine = api
    before = _audit_rows(engine)
    # the body is malformed too: the token is checked first
    response = client.patch("/api/records/minsk", json={"nonsense": True}, headers=headers)
    assert response.status_code == status
    assert set(response.json()) == {"ok", "error", "status"} and message in response.json()["error"]
    assert _audit_rows(engine) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"changes": {"status": "completed"}}, "every change needs a citation"),
        ({"changes": {"status": "completed"}, "citation": {"source": "yang-belarus-town"}}, "no locator"),
        (
            {"changes": {"status": "completed"}, "citation": {"source": "nowhere", "page": 1}},
            "unknown source 'nowhere'",
        ),
        ({"changes": {"status": "finished-ish"}, "citation": CITE}, "status"),
        ({"changes": {"location": ["atlantis"]}, "citation": CITE}, "no record with id 'atlantis'"),
        ({"changes": {"partnership": "minsk"}, "citation": CITE}, "'minsk' is a place"),
        (
            {"changes": {"countries": ["CHN", "XYZ"]}, "citation": CITE},
            "no country place with ISO3 code 'XYZ'",
        ),
        ({"changes": {"id": "renamed"}, "citation": CITE}, "id cannot change"),
        ({"changes": {}, "citation": CITE}, "no changes"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_changes(
    api: tuple[TestClient, dict[str, str], Engine], body: dict[str, Any], message: str
) -> None:
    client, auth, engine = api
    with engine.connect() as conn:
        before = get_record(conn, "belarusian-style-town")
    audits = _audit_rows(engine)
    response = client.patch("/api/records/belarusian-style-town", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]
    with engine.connect() as conn:
        assert get_record(conn, "belarusian-style-town") == before
    assert _audit_rows(engine) == audits


def test_unknown_record_and_oversized_body(api: tuple[TestClient, dict[str, str], Engine]) -> None:
    client, auth, _ = api
    missing = client.patch(
        "/api/records/no-such-thing", json={"changes": {"name": "x"}, "citation": CITE}, headers=auth
    )
    assert missing.status_code == 404 and "no-such-thing" in missing.json()["error"]
    huge = client.patch(
        "/api/records/minsk", json={"changes": {"summary": "x" * 50_000}, "citation": CITE}, headers=auth
    )
    assert huge.status_code == 413 and huge.json() == {
        "ok": False,
        "error": "request body is over the 20000-byte limit",
        "status": 413,
    }


def test_tokens_are_stored_hashed(api: tuple[TestClient, dict[str, str], Engine]) -> None:
    _, auth, engine = api
    token = auth["authorization"].split()[1]
    with engine.connect() as conn:
        stored = conn.scalar(select(t.users.c.token_sha256))
    assert stored is not None and token not in stored and len(stored) == 64
