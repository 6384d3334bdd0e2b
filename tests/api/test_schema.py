"""The OpenAPI schema, and schemathesis against it: examples generated from the schema
(valid and invalid), sent as a direction agent, never get a server error. Half the
generated references are replaced by real cases (a draft the agent may change, a case
transmitted to the pôle), so that the bodies reach the forms and services too."""

import os
import zlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from api.models import ApiToken
from cases.enums import CaseStatus
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
# Per operation: 25 in CI, fewer in the everyday run (tests/conftest.py).
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", 25))


@pytest.fixture
def wsgi_app():
    """Django's own WSGI application, in this test's transaction: the request signals
    must not close the connection (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth(users, settings) -> dict:
    settings.API_RATE = "1000000/minute"
    _, secret = ApiToken.issue(users["direction_agent"], "schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def references(users) -> list[str]:
    agent = users["direction_agent"]
    draft = CaseFactory(created_by=agent, poste_comptable=agent.direction.postes.first())
    submitted = CaseFactory(to=CaseStatus.SUBMITTED)
    return [draft.reference, submitted.reference]


@pytest.fixture
def api_schema(wsgi_app, auth):
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, headers=auth)


def test_schema_is_served_to_authenticated_users_only(client, users, api):
    assert client.get("/api/schema/").status_code in (401, 403)
    response = api("poste_agent").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["jeton"]["scheme"] == "bearer"
    assert "/api/v1/cases/{reference}/submit/" in schema["paths"]
    client.force_login(users["poste_agent"])
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert b"swagger-ui" in page.content
    assert b"cdn" not in page.content.lower()  # served from our static files


def test_no_server_error(api_schema, auth, references):
    # One hypothesis run per operation, valid and invalid examples alike (schemathesis'
    # own pytest decorator does not run under this pytest version).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 12
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=strategy)
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
        )
        def no_server_error(case):
            parameters = case.path_parameters or {}
            if "reference" in parameters:
                pick = zlib.crc32(repr(sorted(parameters.items())).encode()) % 4
                if pick < len(references):
                    parameters["reference"] = references[pick]
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        try:
            no_server_error()
        except Exception as error:
            error.add_note(f"Opération : {operation.label}")
            raise


def test_read_responses_match_the_schema(api_schema, auth, references, users):
    """What a generated client reads is what the schema promises: each GET operation on
    real cases (a draft with empty fields, a submitted case) answers a documented status
    with a body of the documented shape (null where a field may be empty)."""
    from schemathesis.checks import response_schema_conformance, status_code_conformance

    reads = [
        result.ok()
        for result in api_schema.get_all_operations()
        if result.ok().method.upper() == "GET" and "download" not in result.ok().path
    ]
    assert len(reads) >= 6
    agent = users["direction_agent"]
    empty = CaseFactory(created_by=agent, poste_comptable=None, action_type=None, mode="")
    for operation in reads:
        for reference in [*references, empty.reference]:
            parameters = {"reference": reference} if "{reference}" in operation.path else {}
            case = operation.Case(path_parameters=parameters)
            try:
                case.call_and_validate(
                    headers=auth, checks=[response_schema_conformance, status_code_conformance]
                )
            except Exception as error:
                error.add_note(f"Opération : {operation.label} ({reference})")
                raise
