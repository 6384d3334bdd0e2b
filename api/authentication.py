"""Authentication by personal token: `Authorization: Bearer <jeton>` (or `Token <jeton>`)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken

KEYWORDS = ("bearer", "token")
# Writing the last use on every request would turn each read into a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None  # not ours: another class (or none) authenticates the request
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization invalide : attendu « Bearer <jeton> »."
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Jeton d'accès invalide.") from None
        token = ApiToken.find(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("Jeton d'accès invalide.")
        if not token.is_active:
            raise exceptions.AuthenticationFailed("Ce jeton d'accès a été révoqué.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Le compte de ce jeton est désactivé.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Jeton d'accès personnel, créé sur la page « Mon compte » ou par "
                "`manage.py api_token IDENTIFIANT`. En-tête : `Authorization: Bearer <jeton>`."
            ),
        }
