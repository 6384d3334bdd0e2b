"""Time targets on the pôle's own steps (issue 22, « Work »): receivability, assignment,
the opinion's writing and validation, the answer in technical support.

The head sets them as data (`StepTarget`, page /taches/delais/): a step should be done
within so many calendar days of its opening. A step shows its age and its target; its
holder is reminded `remind_before` days before the target (the heads while nobody holds
it: they share out the queue), and the heads are told once it is late, each exactly
once: a `StepReminder` row per task and moment, unique, written in the transaction of its
notifications (`send_step_reminders`: daily, idempotent; a step first seen already late
gets the late notice only, never a stale reminder). The expert the opinion is given to
holds « Rédiger l'avis d'opportunité »: the step's target is their due date."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.enums import CLOSED_STATUSES
from cases.formatting import person_name
from cases.models import User
from notifications.services import notify_step_target

from .flows import CaseFlow
from .models import TARGETED_STEPS, StepReminder, StepTarget
from .services import ACTIVE, step_title

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timing:
    """A step's age and where it stands against its target."""

    age_days: int
    days: int
    due: datetime.datetime
    remind_from: datetime.datetime
    late: bool

    @property
    def due_date(self) -> datetime.date:
        return timezone.localdate(self.due)


def targets() -> dict[str, StepTarget]:
    return {target.step: target for target in StepTarget.objects.all()}


def timing(task, target: StepTarget | None, now: datetime.datetime | None = None) -> Timing | None:
    """None for a step without a target."""
    if target is None:
        return None
    now = now or timezone.now()
    due = task.created + datetime.timedelta(days=target.days)
    return Timing(
        age_days=(now - task.created).days,
        days=target.days,
        due=due,
        remind_from=due - datetime.timedelta(days=target.remind_before),
        late=now >= due,
    )


def annotate(tasks, now: datetime.datetime | None = None) -> list:
    """The tasks, each with its `timing` (None without a target): one query for the
    targets whatever the number of tasks."""
    by_step = targets()
    tasks = list(tasks)
    for task in tasks:
        task.timing = timing(task, by_step.get(task.flow_task.name), now)
    return tasks


def open_targeted(by_step: dict[str, StepTarget]) -> QuerySet:
    """The open steps of open cases that have a target."""
    nodes = [getattr(CaseFlow, name) for name in by_step if name in TARGETED_STEPS]
    if not nodes:
        return CaseFlow.task_class.objects.none()
    return (
        CaseFlow.task_class.objects.filter(
            process__flow_class=CaseFlow,
            flow_task_type="HUMAN",
            status__in=ACTIVE,
            flow_task__in=nodes,
        )
        .exclude(process__caseprocess__case__status__in=CLOSED_STATUSES)
        .select_related("owner", "process__caseprocess__case__debtor")
        .order_by("created", "pk")
    )


def late(by_step: dict[str, StepTarget], now: datetime.datetime | None = None) -> Q:
    """The open steps past their target, as a filter on tasks (the dashboards count them
    in SQL): the same rule as `timing(...).late`, now at or after opening + target."""
    now = now or timezone.now()
    condition = Q(pk__in=[])
    for name, target in by_step.items():
        if name in TARGETED_STEPS:
            condition |= Q(
                flow_task=getattr(CaseFlow, name),
                created__lte=now - datetime.timedelta(days=target.days),
            )
    return condition


def late_steps(now: datetime.datetime | None = None) -> list:
    """For the head's team page: the open steps past their target, the oldest first."""
    now = now or timezone.now()
    by_step = targets()
    late = []
    for task in open_targeted(by_step):
        task.timing = timing(task, by_step[task.flow_task.name], now)
        if task.timing.late:
            task.case = task.process.caseprocess.case
            late.append(task)
    return late


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def _summary(task, moment: str, when: Timing) -> str:
    title = step_title(task)
    due = f"{when.due_date:%d/%m/%Y}"
    if moment == StepReminder.LATE:
        holder = person_name(task.owner) if task.owner_id else "personne ne l'a prise"
        text = (
            f"Étape « {title} » en retard : délai cible de {_plural(when.days, 'jour')} "
            f"dépassé le {due} ({holder})"
        )
    else:
        text = (
            f"Étape « {title} » : délai cible de {_plural(when.days, 'jour')} atteint le "
            f"{due} (ouverte depuis {_plural(when.age_days, 'jour')})"
        )
    return text if len(text) <= 300 else text[:299] + "…"


def send_step_reminders(now: datetime.datetime | None = None) -> int:
    """Send the reminders and late notices due now; how many were sent."""
    now = now or timezone.now()
    by_step = targets()
    sent = 0
    for task in open_targeted(by_step):
        when = timing(task, by_step[task.flow_task.name], now)
        if when.late:
            moment = StepReminder.LATE
        elif now >= when.remind_from:
            moment = StepReminder.UPCOMING
        else:
            continue
        if StepReminder.objects.filter(task=task, moment=moment).exists():
            continue
        case = task.process.caseprocess.case
        try:
            with transaction.atomic():
                reminder = StepReminder.objects.create(task=task, moment=moment, sent_at=now)
                if moment == StepReminder.UPCOMING and not task.owner_id:
                    audience = "unheld"
                else:
                    audience = moment
                notify_step_target(
                    case,
                    source=f"step_target:{reminder.pk}",
                    summary=_summary(task, moment, when),
                    moment=audience,
                    holder_id=task.owner_id,
                    url=reverse("workflows:task", args=[task.pk]),
                )
        except IntegrityError:  # sent meanwhile by a concurrent run
            continue
        sent += 1
    if sent:
        logger.info("Rappels de délais cibles envoyés : %s", sent)
    return sent


@transaction.atomic
def save_targets(user: User, rows: dict[str, tuple[int | None, int]]) -> None:
    """The head's targets: {step: (days or None to remove, remind_before)}."""
    for step, (days, remind_before) in rows.items():
        if days is None:
            StepTarget.objects.filter(step=step).delete()
            continue
        StepTarget.objects.update_or_create(
            step=step,
            defaults={"days": days, "remind_before": remind_before, "updated_by": user},
        )
