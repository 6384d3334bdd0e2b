"""The pôle's process for one case: a viewflow Process tied to its case."""

from django.db import models
from viewflow.workflow.models import Process

from cases.models import Case


class CaseProcess(Process):
    """One per case, from its first submission to its closure (viewflow's Process with
    the case as a real foreign key, so that a case has at most one process)."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="process", verbose_name="dossier"
    )

    class Meta:
        verbose_name = "circuit d'un dossier"
        verbose_name_plural = "circuits des dossiers"
        permissions = [
            ("intake", "Examiner la recevabilité des dossiers (permanence)"),
        ]

    def __str__(self) -> str:
        return f"Circuit du dossier {self.case.reference}"


# The pôle's own steps that may carry a time target (workflows.targets), in the order the
# head's page lists them.
TARGETED_STEPS = ("receivability", "assignment", "write_opinion", "validate_opinion", "support")


class StepTarget(models.Model):
    """The head's time target for one of the pôle's own steps: the step should be done
    within `days` calendar days of its opening; its holder is reminded `remind_before`
    days before, the heads are told once it is late (workflows.targets)."""

    step = models.CharField("étape", max_length=40, unique=True)
    days = models.PositiveSmallIntegerField("délai cible (jours)")
    remind_before = models.PositiveSmallIntegerField("rappel (jours avant)", default=1)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        "cases.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifié par",
    )

    class Meta:
        verbose_name = "délai cible d'une étape"
        verbose_name_plural = "délais cibles des étapes"
        constraints = [
            models.CheckConstraint(
                name="step_target_known_step",
                condition=models.Q(step__in=TARGETED_STEPS),
                violation_error_message="Cette étape ne reçoit pas de délai cible.",
            ),
            models.CheckConstraint(
                name="step_target_days_positive",
                condition=models.Q(days__gte=1, days__lte=365),
                violation_error_message="Le délai cible va de 1 à 365 jours.",
            ),
            models.CheckConstraint(
                name="step_target_reminder_before_target",
                condition=models.Q(remind_before__lt=models.F("days")),
                violation_error_message="Le rappel part avant la fin du délai cible.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step} : {self.days} j"


class StepReminder(models.Model):
    """One reminder of a step's time target, sent once: before the target to the step's
    holder (`UPCOMING`), once late to the heads (`LATE`). Unique per task and moment, and
    written in the transaction of its notifications: a second run sends nothing again."""

    UPCOMING, LATE = "upcoming", "late"
    MOMENTS = [(UPCOMING, "Avant le délai cible"), (LATE, "Délai cible dépassé")]

    task = models.ForeignKey(
        "viewflow.Task", on_delete=models.CASCADE, related_name="+", verbose_name="étape"
    )
    moment = models.CharField("moment", max_length=10, choices=MOMENTS)
    sent_at = models.DateTimeField("envoyé le")

    class Meta:
        verbose_name = "rappel de délai cible"
        verbose_name_plural = "rappels de délais cibles"
        constraints = [
            models.UniqueConstraint(fields=["task", "moment"], name="step_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} — étape {self.task_id}"
