"""The OpenAPI schema, and schemathesis against it: examples generated from the schema
(valid and invalid), sent as a direction agent, pass every check of schemathesis. Most
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
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation import GenerationMode

from api.models import ApiToken
from cases import access
from cases.enums import CaseStatus
from cases.models import ActionType, Case
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


def test_the_schema_declares_every_error_and_closes_every_body(api):
    """A generated client knows each error the server answers, with its body (`detail`,
    and `errors` in the request's shape for an invalid one), and that a key the server
    does not know is refused."""
    schema = api("poste_agent").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    errors = components["InvalidInput"]["properties"]["errors"]["allOf"][0]["$ref"]
    assert errors == "#/components/schemas/FieldErrors"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), label
            assert ("404" in responses) == ("{" in path or label == "GET /api/v1/cases/"), label
            for status, response in responses.items():
                if status >= "400":
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    body = components[ref.rsplit("/", 1)[1]]
                    assert "detail" in body["required"], (label, status)
            if method in ("post", "patch"):
                assert {"400", "403", "413", "415"} <= set(responses), label
                content = operation["requestBody"]["content"]
                (body,) = content.values()
                ref = body["schema"]["$ref"].rsplit("/", 1)[1]
                assert components[ref]["additionalProperties"] is False, label
    listing = schema["paths"]["/api/v1/cases/"]["get"]
    assert "400" in listing["responses"]
    unread = next(p for p in listing["parameters"] if p["name"] == "unread")
    assert unread["schema"] == {"type": "boolean"}


def test_the_documented_referral_example_is_accepted(api):
    """Where generated valid-looking bodies cannot be (SCHEMA_CANNOT_SAY below), the
    schema's own example must be: a client that copies it gets its draft."""
    client = api("poste_agent")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    content = schema["paths"]["/api/v1/cases/"]["post"]["requestBody"]["content"]
    (example,) = content["application/json"]["examples"].values()
    response = client.post("/api/v1/cases/", example["value"], format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["problems"].keys() == {"pieces"}


# positive_data_acceptance sends input the schema calls valid and expects it accepted. On
# these operations whether input is valid depends on what no schema can say, so a 400 to
# generated valid-looking input is right; every other check runs on them.
SCHEMA_CANNOT_SAY = {
    # The referral forms' rules: a SIREN's check digit, an action and a poste comptable of
    # the catalogue, dates not in the future, amounts that add up, a known row id.
    "POST /api/v1/cases/",
    "PATCH /api/v1/cases/{reference}/",
    # The file's real content (a PDF, an image, an office document), not its name.
    "POST /api/v1/cases/{reference}/pieces/",
    "POST /api/v1/cases/{reference}/claims-import/",
    # Whether the case is complete (claims, target, pieces): a draft's state.
    "POST /api/v1/cases/{reference}/submit/",
    # Whether the other debtor is one of the pôle's, and the user of the pôle.
    "POST /api/v1/debtors/{debtor_id}/co-obligors/",
}


def test_every_check_passes(api_schema, auth, references, users):
    """Every schemathesis check on every operation: no server error, documented statuses,
    content types, headers and bodies, invalid input refused (400), valid input accepted,
    authentication not ignored, undocumented methods refused (405)."""
    agent = users["direction_agent"]
    # The list's filters name reference data: valid ones come from the database.
    codes = {
        "direction": list(access.filterable_directions(agent).values_list("code", flat=True)),
        "action_type": list(ActionType.objects.values_list("code", flat=True)),
    }
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 17
    debtor_ids = list(
        Case.objects.filter(reference__in=references).values_list("debtor_id", flat=True)
    )
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
        def every_check(case):
            parameters = case.path_parameters or {}
            if "reference" in parameters:
                # Half on the draft (bodies reach the forms), a quarter on the submitted
                # case, a quarter on the generated reference (404).
                pick = zlib.crc32(repr(sorted(parameters.items())).encode()) % 4
                if pick < 3:
                    parameters["reference"] = references[min(pick, 2) // 2]
            if "debtor_id" in parameters:  # mostly the debtor of a real case
                pick = zlib.crc32(repr(sorted(parameters.items())).encode()) % 4
                if pick < 3:
                    parameters["debtor_id"] = debtor_ids[min(pick, 2) // 2]
            if not case.meta.generation.mode.is_negative:
                for name, values in codes.items():
                    if (case.query or {}).get(name):
                        pick = zlib.crc32(str(case.query[name]).encode()) % len(values)
                        case.query[name] = values[pick]
                # A range's bounds in order: the one rule on the list no schema can say.
                query = case.query or {}
                low, high = query.get("amount_min"), query.get("amount_max")
                if low and high and float(low) > float(high):
                    query["amount_min"], query["amount_max"] = high, low
            cannot_say = case.operation.label in SCHEMA_CANNOT_SAY
            excluded = [positive_data_acceptance] if cannot_say else []
            case.call_and_validate(headers=auth, excluded_checks=excluded)

        try:
            every_check()
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
            if "{debtor_id}" in operation.path:
                parameters = {"debtor_id": Case.objects.get(reference=reference).debtor_id}
            case = operation.Case(path_parameters=parameters)
            try:
                case.call_and_validate(
                    headers=auth, checks=[response_schema_conformance, status_code_conformance]
                )
            except Exception as error:
                error.add_note(f"Opération : {operation.label} ({reference})")
                raise
