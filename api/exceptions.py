"""Every API error as JSON with a French `detail`; invalid input adds `errors`, per field."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from cases.lifecycle import LifecycleError

INVALID = "Requête invalide : corrigez les champs signalés."
MESSAGES = {
    exceptions.NotAuthenticated: (
        "Authentification requise : fournissez un jeton d'accès dans l'en-tête "
        "« Authorization: Bearer <jeton> »."
    ),
    exceptions.ParseError: "Le corps de la requête n'est pas un JSON valide.",
}


class Refused(exceptions.APIException):
    """An operation the domain refuses (incomplete referral, duplicate to confirm, a
    transition not allowed now), with what the client needs to put it right."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, detail: str, *, status_code: int | None = None, **extra):
        super().__init__(detail)
        if status_code is not None:
            self.status_code = status_code
        self.extra = extra


class Invalid(exceptions.ValidationError):
    """Input refused by the forms: `errors` keyed like the request body."""

    def __init__(self, errors: dict, detail: str = INVALID):
        super().__init__(errors)
        self.message = detail


def _is_multipart(context) -> bool:
    request = context.get("request")
    return bool(request) and (request.content_type or "").startswith("multipart/")


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if exc.args else "Ressource introuvable.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, LifecycleError):
        exc = Refused(exc.message)
    elif isinstance(exc, DjangoValidationError):
        exc = Refused(" ".join(exc.messages), status_code=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, RequestDataTooBig):
        exc = Refused(
            "Requête trop volumineuse : le corps JSON est limité à "
            f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_048_576} Mo (hors fichiers).",
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = Refused(
            "Trop de champs ou de fichiers dans la requête.",
            status_code=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handling (logs, emails to ADMINS)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": getattr(exc, "message", INVALID), "errors": exc.detail}
    elif isinstance(exc, exceptions.Throttled):
        wait = f" dans {math.ceil(exc.wait)} s" if exc.wait is not None else " plus tard"
        response.data = {"detail": f"Trop de requêtes avec ce jeton : réessayez{wait}."}
    elif type(exc) is exceptions.ParseError and _is_multipart(context):
        response.data = {"detail": "Le corps multipart/form-data de la requête est illisible."}
    elif type(exc) in MESSAGES:
        response.data = {"detail": MESSAGES[type(exc)]}
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        response.data = {
            "detail": "Jeton CSRF absent ou invalide : rechargez la page de documentation, "
            "ou utilisez un jeton d'accès."
        }
    if isinstance(exc, Refused):
        response.data.update(exc.extra)
    return response
