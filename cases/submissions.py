"""A page's form sent twice (a double click, a resent POST after a slow answer) is done
once. The form carries a one-time `form_token` ({% form_token %}); the first POST that
succeeds records it (`SubmissionToken`, unique per user) in the operation's transaction,
with the address it redirected to. A POST with a token already recorded goes to that
address with a notice instead of doing the operation again; two POSTs racing with the same
token both run, but the second's record breaks the unique constraint and rolls its
operation back (its stored files included)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone

from .models import SubmissionToken
from .services import files_removed_on_failure

FORM_TOKEN = "form_token"
ALREADY_SENT = (
    "Ce formulaire avait déjà été envoyé : voici le résultat du premier envoi. "
    "Rien n'a été enregistré une seconde fois."
)


class _SentMeanwhile(Exception):
    pass


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FORM_TOKEN, ""))
    except ValueError:
        return None  # no token (a script, an old page): the form is not guarded


def _recorded(user, token: uuid.UUID) -> SubmissionToken | None:
    return SubmissionToken.objects.filter(user=user, token=token).first()


def _first_result(request, sent: SubmissionToken) -> HttpResponse:
    messages.info(request, ALREADY_SENT)
    return redirect(sent.result_url)


def once(request, operation: Callable[[], HttpResponse]) -> HttpResponse:
    """Run the view's `operation` (validate, call a service, answer) unless this form was
    already sent; a redirect answer means success and records the token."""
    token = _token(request)
    if token is None:
        return operation()
    sent = _recorded(request.user, token)
    if sent is not None:
        return _first_result(request, sent)
    try:
        with files_removed_on_failure(), transaction.atomic():
            response = operation()
            if isinstance(response, HttpResponseRedirect):
                try:
                    with transaction.atomic():
                        SubmissionToken.objects.create(
                            user=request.user, token=token, result_url=response["Location"]
                        )
                except IntegrityError:
                    raise _SentMeanwhile from None
    except _SentMeanwhile:
        return _first_result(request, _recorded(request.user, token))
    return response


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Forget the tokens older than SUBMISSION_TOKEN_HOURS; returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(hours=settings.SUBMISSION_TOKEN_HOURS)
    deleted, _ = SubmissionToken.objects.filter(created_at__lt=limit).delete()
    return deleted
