"""Creations through the API sent with an `Idempotency-Key` header are made once: the same
user sending the same key again within SUBMISSION_TOKEN_HOURS gets the first response
(status, body, Location) back without anything being created again; the same key with
another request (another body, another address) is refused (422). Only a successful
response is kept: after an error, the same key may be sent again with the request
corrected.

The key's row is written in the creation's transaction; two requests racing with the same
key both run, but the second's row breaks the unique constraint and rolls its creation
back (its stored files included), and it answers with the first one's response."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response

from cases import formatting
from cases.services import files_removed_on_failure

from .exceptions import Refused
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_HEADERS = ("Location", "ETag")

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Facultatif. Une clé unique par création (par ex. un UUID), de 1 à 255 "
    "caractères. Renvoyée avec la même requête dans les 24 h, elle rend la première "
    "réponse (en-tête Idempotent-Replayed) sans rien créer de nouveau ; avec une autre "
    "requête, 422.",
)


class _SentMeanwhile(Exception):
    pass


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise Refused(
            "L'en-tête Idempotency-Key doit compter de 1 à 255 caractères imprimables "
            "(par ex. un UUID).",
            status_code=status.HTTP_400_BAD_REQUEST,
        )
    return key


def _fingerprint(request) -> str:
    """The request's method, address, body and files (by their content), hashed."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "lists"):  # form data: every value of every field
        data = {name: values for name, values in data.lists() if name not in request.FILES}
    digest.update(json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"\n{name}={upload.name}:{upload.size}:".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _limit() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.SUBMISSION_TOKEN_HOURS)


def _replay(kept: IdempotencyKey, request, fingerprint: str) -> Response:
    if (kept.method, kept.path, kept.request_hash) != (request.method, request.path, fingerprint):
        raise Refused(
            f"Cette clé Idempotency-Key a déjà servi le {formatting.long_datetime(kept.created_at)}"
            " pour une autre requête : choisissez une nouvelle clé pour chaque création.",
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    headers = {**kept.response_headers, REPLAYED: "true"}
    return Response(kept.response_body, status=kept.response_status, headers=headers)


def idempotent(method):
    """Decorate an APIView's POST method: it honours the Idempotency-Key header."""

    @functools.wraps(method)
    def wrapper(view, request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return method(view, request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        mine = IdempotencyKey.objects.filter(user=request.user, key=key)
        mine.filter(created_at__lt=_limit()).delete()  # an expired key is a new key
        kept = mine.first()
        if kept is not None:
            return _replay(kept, request, fingerprint)
        try:
            with files_removed_on_failure(), transaction.atomic():
                response = method(view, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    try:
                        with transaction.atomic():
                            IdempotencyKey.objects.create(
                                user=request.user,
                                key=key,
                                method=request.method,
                                path=request.path[:500],
                                request_hash=fingerprint,
                                response_status=response.status_code,
                                response_body=response.data,
                                response_headers={
                                    name: response[name]
                                    for name in KEPT_HEADERS
                                    if response.has_header(name)
                                },
                            )
                    except IntegrityError:
                        raise _SentMeanwhile from None
        except _SentMeanwhile:
            return _replay(mine.get(), request, fingerprint)
        return response

    return wrapper


def purge_expired() -> int:
    """Forget the keys older than SUBMISSION_TOKEN_HOURS; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=_limit()).delete()
    return deleted
