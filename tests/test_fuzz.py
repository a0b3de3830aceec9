"""Schemathesis against the OpenAPI schema, bounded in examples: no input makes the API fail
with a server error, and every response matches the schema's declared status codes; once as a
visitor and once as an editor, whose token lets the generated writes reach the store."""

from __future__ import annotations

import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine

from beltroad.api import create_app
from beltroad.settings import Settings
from beltroad.store import add_user, engine_from_url, load_knowledge_base, migrate


def _app() -> tuple[object, str]:
    """An app on a fresh store of its own (the fuzzing writes to it) and an editor's token."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="beltroad-fuzz-"))
    engine: Engine = engine_from_url(f"sqlite:///{folder}/fuzz.sqlite")
    migrate(engine)
    load_knowledge_base(engine)
    with engine.begin() as conn:
        token = add_user(conn, "fuzzer")
    return create_app(engine, Settings(data_dir=folder)), token


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    visitor_app, _ = _app()
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", visitor_app)
    editor_app, TOKEN = _app()
    editor_schema = schemathesis.openapi.from_asgi("/api/openapi.json", editor_app)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    _one_error_shape(response)


@pytest.mark.slow
@editor_schema.include(method=["POST", "PATCH", "PUT", "DELETE"]).parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_write_by_an_editor_makes_the_api_fail(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    case.validate_response(response, checks=[not_a_server_error])
    # the token is accepted: what comes back is about the input, never a refusal of the editor
    assert response.status_code not in {401, 403}, response.text
    _one_error_shape(response)


def _one_error_shape(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    if status >= 400:
        body = response.json()  # type: ignore[attr-defined]
        assert set(body) == {"ok", "error", "status"} and body["status"] == status
