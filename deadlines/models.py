"""Deadlines of a case (legal, computed from the acts that start them, or entered by
hand), the acts of the procedure that start them, the reminders sent, and each user's
private calendar feed."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases import tokens
from cases.enums import ActParty
from cases.models import Case, Claim
from cases.validators import TEXT_MAX_LENGTH, validate_act_date, validate_not_future

from .enums import DeadlineStatus, ProcedureActKind, SuspensionCause


class ProcedureAct(models.Model):
    """An act of the procedure that starts deadlines (the publication of the commandement,
    the assignation to the audience d'orientation, the adjudication…)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="procedure_acts", verbose_name="dossier"
    )
    kind = models.CharField("acte", max_length=30, choices=ProcedureActKind.choices)
    date = models.DateField("date", validators=[validate_act_date, validate_not_future])
    party = models.CharField(
        "dirigé contre (ou fait par)",
        max_length=20,
        choices=ActParty.choices,
        default=ActParty.DEBTOR,
        help_text="Seul un acte contre le débiteur ou un co-débiteur solidaire, ou une "
        "reconnaissance du débiteur, interrompt la prescription (C. civ. 2240-2245).",
    )
    note = models.TextField("observations", max_length=TEXT_MAX_LENGTH, blank=True)
    hearing_on = models.DateField(
        "audience d'orientation fixée au",
        null=True,
        blank=True,
        help_text="Assignation : la date d'audience écrite dans l'acte (R.322-4 se juge sur "
        "elle ; un renvoi ne la change pas).",
        validators=[validate_act_date],
    )
    until = models.DateField(
        "effets prorogés jusqu'au",
        null=True,
        blank=True,
        help_text="Prorogation : la date que fixe le jugement ; vide, cinq ans à compter de "
        "sa mention en marge (R.321-22).",
        validators=[validate_act_date],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisi par",
    )
    created_at = models.DateTimeField("saisi le", default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "acte de procédure"
        verbose_name_plural = "actes de procédure"
        constraints = [
            models.CheckConstraint(
                name="procedure_act_kind_valid",
                violation_error_message="Nature d'acte inconnue.",
                condition=Q(kind__in=ProcedureActKind.values),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"

    @property
    def source(self) -> str:
        return f"procedure_act:{self.pk}"


class DeadlineQuerySet(models.QuerySet):
    def open(self) -> DeadlineQuerySet:
        return self.filter(status=DeadlineStatus.OPEN)


class Deadline(models.Model):
    """One deadline of a case. `template` names its rule (deadlines.rules) when it was
    computed, empty when the jurist entered it by hand; `source` names the act it runs
    from ("procedure_act:12", "starting_act:3", "hearing:7", "decision:5")."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="deadlines", verbose_name="dossier"
    )
    template = models.CharField("règle", max_length=40, blank=True)
    source = models.CharField("acte de départ", max_length=40, blank=True)
    label = models.CharField("échéance", max_length=300)
    basis = models.CharField("fondement", max_length=300)
    start_date = models.DateField(
        "point de départ", null=True, blank=True, validators=[validate_act_date]
    )
    due_date = models.DateField("date limite", db_index=True, validators=[validate_act_date])
    critical = models.BooleanField(
        "critique", default=False, help_text="À peine de caducité du commandement (R.311-11)."
    )
    status = models.CharField(
        "état", max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    done_act = models.CharField("acte accompli", max_length=300, blank=True)
    done_on = models.DateField("accompli le", null=True, blank=True, validators=[validate_act_date])
    cancel_reason = models.TextField(
        "motif de l'annulation", max_length=TEXT_MAX_LENGTH, blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clôturée par",
    )
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = "échéance"
        indexes = [models.Index(fields=["status", "due_date"], name="deadline_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "template", "source"],
                condition=~Q(template=""),
                name="deadline_one_per_rule_and_act",
                violation_error_message="Cette échéance existe déjà pour cet acte.",
            ),
            models.CheckConstraint(
                name="deadline_status_valid",
                violation_error_message="État d'échéance inconnu.",
                condition=Q(status__in=DeadlineStatus.values),
            ),
            models.CheckConstraint(
                name="deadline_done_has_act",
                violation_error_message="Une échéance respectée indique l'acte accompli.",
                condition=~Q(status=DeadlineStatus.DONE)
                | (~Q(done_act="") & Q(done_on__isnull=False)),
            ),
            models.CheckConstraint(
                name="deadline_cancelled_has_reason",
                violation_error_message="Une échéance annulée indique le motif.",
                condition=~Q(status=DeadlineStatus.CANCELLED) | ~Q(cancel_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.due_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.due_date - (today or timezone.localdate())).days

    @property
    def is_late(self) -> bool:
        """Met, but after its last day (a late assignation under R.322-4 stays flagged)."""
        return self.done_on is not None and self.done_on > self.due_date

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.days_left() < 0


OVERDUE = -1  # DeadlineReminder.days_before of the reminder sent once a deadline is over


class DeadlineReminder(models.Model):
    """A reminder sent for a deadline: at most one per deadline and offset, ever."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", verbose_name="échéance"
    )
    days_before = models.SmallIntegerField(
        "jours avant l'échéance", help_text="-1 : rappel de l'échéance dépassée."
    )
    sent_on = models.DateField("envoyé pour le jour du")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        ordering = ["deadline", "-days_before"]
        verbose_name = "rappel d'échéance"
        verbose_name_plural = "rappels d'échéance"
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "days_before"],
                name="deadline_reminder_once",
                violation_error_message="Ce rappel a déjà été envoyé.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} J-{self.days_before}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """A user's calendar feed: only the SHA-256 digest of the secret in its URL is kept
    (like the API's tokens), the URL being shown once, when it is made. Making a new one
    revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name="utilisateur",
    )
    digest = models.CharField("empreinte SHA-256", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "jeton de calendrier"
        verbose_name_plural = "jetons de calendrier"

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%d/%m/%Y})"

    @classmethod
    def issue(cls, user) -> str:
        """A new secret for the user's feed (the old one stops working); it is not stored."""
        secret = new_token()
        cls.objects.update_or_create(
            user=user, defaults={"digest": tokens.digest(secret), "created_at": timezone.now()}
        )
        return secret

    @classmethod
    def find(cls, secret: str) -> CalendarToken | None:
        """The active user's feed whose URL holds `secret`."""
        return (
            cls.objects.select_related("user")
            .filter(digest=tokens.digest(secret), user__is_active=True)
            .first()
        )


class PrescriptionSuspension(models.Model):
    """A period during which the prescription of a case's claims (or of one of them) does
    not run (C. civ. 2230): a sursis de paiement (LPF L.277), collective proceedings for a
    declared claim, a surendettement. Recorded and ended by the pôle."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="suspensions", verbose_name="dossier"
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suspensions",
        verbose_name="créance",
        help_text="Vide : toutes les créances du dossier.",
    )
    cause = models.CharField("cause", max_length=30, choices=SuspensionCause.choices)
    start = models.DateField("du", validators=[validate_act_date, validate_not_future])
    end = models.DateField(
        "au", null=True, blank=True, validators=[validate_act_date, validate_not_future]
    )
    note = models.TextField("observations", max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisie par",
    )
    created_at = models.DateTimeField("saisie le", default=timezone.now)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = "suspension de la prescription"
        verbose_name_plural = "suspensions de la prescription"
        constraints = [
            models.CheckConstraint(
                name="suspension_ends_after_start",
                violation_error_message="La suspension ne peut pas finir avant de commencer.",
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
            )
        ]

    def __str__(self) -> str:
        period = f"du {self.start:%d/%m/%Y}" + (
            f" au {self.end:%d/%m/%Y}" if self.end else " (en cours)"
        )
        return f"{self.get_cause_display()} {period}"

    @property
    def is_open(self) -> bool:
        return self.end is None
