"""Personal access tokens for the API. Only a SHA-256 digest of the secret is kept, with a
short visible prefix so that a user can tell their tokens apart; the secret itself is
shown once, when the token is created."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from cases import tokens

SECRET_PREFIX = "pnsr_"
VISIBLE_CHARS = 8  # after SECRET_PREFIX, shown in lists to recognise a token


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="utilisateur",
    )
    name = models.CharField(
        "libellé", max_length=100, help_text="Ce qui utilise le jeton, par ex. « Outil SIE »."
    )
    prefix = models.CharField("début du jeton", max_length=20)
    digest = models.CharField("empreinte SHA-256", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'accès à l'API"
        verbose_name_plural = "jetons d'accès à l'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token for the user, and its secret (which is not stored)."""
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(SECRET_PREFIX) + VISIBLE_CHARS],
            digest=tokens.digest(secret),
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> ApiToken | None:
        return cls.objects.select_related("user").filter(digest=tokens.digest(secret)).first()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class RateWindow(models.Model):
    """How many requests one token (or user, or address) made in one window of the rate
    limit: counted in the database, so that every web process sees the same count."""

    key = models.CharField("demandeur", max_length=80)
    window = models.BigIntegerField("fenêtre")  # seconds since the epoch // window length
    count = models.PositiveIntegerField("requêtes", default=0)

    class Meta:
        verbose_name = "fenêtre de limitation"
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_window_once")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.count}"


class IdempotencyKey(models.Model):
    """A creation sent with an `Idempotency-Key` header (api.idempotency): the first
    response, replayed to the same user sending the same key again within
    IDEMPOTENCY_KEY_HOURS, instead of creating twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="auteur"
    )
    key = models.CharField("clé", max_length=255)
    method = models.CharField("méthode", max_length=10)
    path = models.CharField("adresse", max_length=500)
    request_hash = models.CharField("empreinte de la requête", max_length=64)
    response_status = models.PositiveSmallIntegerField("statut de la réponse")
    response_body = models.JSONField("corps de la réponse", encoder=DjangoJSONEncoder)
    response_headers = models.JSONField("en-têtes de la réponse", default=dict)
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "clé d'idempotence"
        verbose_name_plural = "clés d'idempotence"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"
