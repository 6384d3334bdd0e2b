"""The outbox: one row per recipient of a case event, written in the event's transaction,
delivered after commit (immediately, or in a daily digest), and read in the application."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import Channel, DeliveryState, NotificationKind

# Delays before the 2nd, 3rd... attempt after a failure; the last one repeats.
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
]
# Refused this many times by the mail server, a notification is set aside.
MAX_ATTEMPTS = 6


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed attempt (1-based)."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def next_digest_time(at: datetime.datetime) -> datetime.datetime:
    """When a digest item written at `at` is due: the end of its day (Paris time)."""
    day = timezone.localdate(at) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def message_id_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="destinataire",
    )
    mailbox = models.EmailField(
        "boîte fonctionnelle",
        blank=True,
        help_text="Destinataire qui n'est pas un compte : la boîte du poste comptable.",
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="notifications", verbose_name="dossier"
    )
    event = models.ForeignKey(
        "cases.CaseEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="événement",
    )
    # Sent to the replacement of an absent jurist (cases.access.replacement_for): whom it
    # was for; its subject and summary say « en remplacement de <name> ».
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="en remplacement de",
    )
    # What caused it ("event:12", "message:7"...): with the recipient, makes it unique.
    source = models.CharField("origine", max_length=100)
    kind = models.CharField("nature", max_length=40, choices=NotificationKind.choices)
    subject = models.CharField("objet", max_length=300)
    summary = models.CharField("ce qui s'est passé", max_length=300)
    body_text = models.TextField("texte")
    body_html = models.TextField("texte HTML")
    url = models.CharField("lien", max_length=300, help_text="Chemin de la page du dossier.")
    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    channel = models.CharField("canal", max_length=20, choices=Channel.choices)
    state = models.CharField("courriel", max_length=20, choices=DeliveryState.choices)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochain essai", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    message_id = models.CharField("Message-ID", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "notification"
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]
        constraints = [
            models.CheckConstraint(
                name="notification_one_recipient",
                violation_error_message="Une notification a un destinataire : un compte ou "
                "une boîte fonctionnelle.",
                condition=(Q(user__isnull=False) & Q(mailbox=""))
                | (Q(user__isnull=True) & ~Q(mailbox="")),
            ),
            models.UniqueConstraint(
                fields=["source", "user"],
                condition=Q(user__isnull=False),
                name="notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["source", "mailbox"],
                condition=Q(user__isnull=True),
                name="notification_once_per_mailbox",
            ),
            models.CheckConstraint(
                name="notification_mailbox_by_email",
                violation_error_message="Une boîte fonctionnelle ne reçoit que des courriels.",
                condition=Q(user__isnull=False) | ~Q(channel=Channel.IN_APP),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_label} — {self.subject}"

    @property
    def recipient_label(self) -> str:
        return str(self.user) if self.user_id else self.mailbox

    @property
    def address(self) -> str:
        return self.user.email if self.user_id else self.mailbox

    @property
    def absolute_url(self) -> str:
        return settings.SITE_URL + self.url

    @property
    def email_message_id(self) -> str:
        """Deterministic: a retried email keeps its Message-ID, so that a receiver may
        recognise a copy it already has."""
        return f"<pnsr-notification-{self.pk}@{message_id_domain()}>"


class NotificationPreference(models.Model):
    """A user's choice of channel for one kind; without one, the defaults of rules.py."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="utilisateur",
    )
    kind = models.CharField("nature", max_length=40, choices=NotificationKind.choices)
    channel = models.CharField("canal", max_length=20, choices=Channel.choices)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} → {self.get_channel_display()}"
