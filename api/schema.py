"""The OpenAPI schema as the server behaves: every operation lists the error statuses it
really answers, each with the error body of api.exceptions, and a request body names all
the keys the server accepts (api.serializers refuses the others)."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework.views import APIView

from . import serializers as s

# The nested messages of an invalid body, keyed like the request: a list of messages per
# field, an object per nested object, a list of objects per section of rows.
FIELD_ERRORS = ResolvedComponent(
    name="FieldErrors",
    type=ResolvedComponent.SCHEMA,
    object="FieldErrors",
    schema={
        "type": "object",
        "description": "Les messages, par champ, imbriqués comme la requête.",
        "additionalProperties": {
            "anyOf": [
                {
                    "type": "array",
                    "items": {
                        "anyOf": [
                            {"type": "string"},
                            {"$ref": "#/components/schemas/FieldErrors"},
                        ]
                    },
                },
                {"$ref": "#/components/schemas/FieldErrors"},
            ]
        },
    },
)


def _writes(schema: AutoSchema) -> bool:
    return schema.method in ("POST", "PUT", "PATCH", "DELETE")


def _changes_a_case(schema: AutoSchema) -> bool:
    return _writes(schema) and "{reference}" in schema.path


def _lists(schema: AutoSchema) -> bool:
    return schema.method == "GET" and schema._get_paginator() is not None


def _takes_input(schema: AutoSchema) -> bool:
    return _writes(schema) or _lists(schema)


def _negotiates(schema: AutoSchema) -> bool:
    negotiation = type(schema.view).perform_content_negotiation
    return negotiation is APIView.perform_content_negotiation


# Status → (what it means, the operations that answer it, its body). An operation's own
# declaration (extend_schema) of a status wins; these fill in the others. A new error
# status of the API (412 of If-Match, 422…) belongs here.
ERRORS = {
    400: (
        "Requête invalide : corps illisible, champ inconnu ou valeur refusée (par champ).",
        _takes_input,
        s.InvalidInput,
    ),
    401: ("Jeton d'accès absent, invalide ou révoqué.", lambda schema: True, s.Error),
    403: (
        "Opération refusée (dossier qui n'est pas à vous, jeton CSRF d'une session).",
        _writes,
        s.Error,
    ),
    404: (
        "Dossier introuvable, ou que vous ne pouvez pas voir.",
        lambda schema: "{" in schema.path or _lists(schema),
        s.Error,
    ),
    406: ("L'en-tête Accept n'admet pas le JSON.", _negotiates, s.Error),
    409: ("Opération impossible dans l'état du dossier.", _changes_a_case, s.Error),
    413: ("Corps de requête trop volumineux.", _writes, s.Error),
    415: ("Type de contenu (Content-Type) non accepté.", _writes, s.Error),
    429: ("Trop de requêtes avec ce jeton (en-tête Retry-After).", lambda schema: True, s.Error),
}


RETRY_AFTER = {
    "schema": {"type": "integer", "minimum": 0},
    "description": "Secondes à attendre avant de réessayer.",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        self.registry.register_on_missing(FIELD_ERRORS)
        for status, (description, applies, body) in ERRORS.items():
            if str(status) in responses or not applies(self):
                continue
            responses[str(status)] = self._get_response_for_code(
                OpenApiResponse(body, description=description), str(status), direction=direction
            )
        responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
        return dict(sorted(responses.items()))

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and schema.get("type") == "object":
            schema["additionalProperties"] = False
        return schema
