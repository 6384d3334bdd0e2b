"""Deadline reminders: durable and sent exactly once.

`send_due_reminders(today)` looks at every open deadline of an open case. Before the due
date, the reminder due is the one of the smallest offset of its template
(`rules.REMINDER_DAYS`, earlier for critical deadlines) whose day has come: a deadline
created 5 days before its end gets the 1-day reminder later, never a stale 30-day one.
After the due date, one overdue reminder, to the heads of the pôle too.

Each reminder is a `DeadlineReminder` row (unique per deadline and offset) written in the
same transaction as its notifications (announced by `events.reminder_due`, written by
`notifications`):
a second run, or two runs at once, find the row and send nothing again.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from cases.enums import CLOSED_STATUSES

from . import events, rules
from .models import OVERDUE, Deadline, DeadlineReminder

logger = logging.getLogger(__name__)


@dataclass
class Report:
    sent: int = 0
    reminders: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "reminders": self.reminders}


def reminder_due(deadline: Deadline, today: datetime.date) -> int | None:
    """The offset of the reminder due today for this deadline (OVERDUE after its end),
    or None."""
    left = (deadline.due_date - today).days
    if left < 0:
        return OVERDUE
    template = rules.BY_CODE.get(deadline.template)
    offsets = template.reminder_days if template else rules.REMINDER_DAYS
    reached = [days for days in offsets if left <= days]
    return min(reached) if reached else None


def _summary(deadline: Deadline, days: int, today: datetime.date) -> str:
    due = f"{deadline.due_date:%d/%m/%Y}"
    critical = " [critique]" if deadline.critical else ""
    if days == OVERDUE:
        head = f"Échéance dépassée depuis le {due}{critical}"
    elif days == 1:
        head = f"Échéance demain, le {due}{critical}"
    else:
        head = f"Échéance dans {(deadline.due_date - today).days} jours, le {due}{critical}"
    text = f"{head} : {deadline.label} ({deadline.basis})"
    return text if len(text) <= 300 else text[:299] + "…"


def send_due_reminders(today: datetime.date) -> Report:
    report = Report()
    candidates = (
        Deadline.objects.open()
        .filter(due_date__lte=today + datetime.timedelta(days=max(rules.CRITICAL_REMINDER_DAYS)))
        .exclude(case__status__in=CLOSED_STATUSES)
        .select_related("case", "case__poste_comptable")
        .order_by("due_date", "pk")
    )
    for deadline in candidates:
        days = reminder_due(deadline, today)
        if days is None:
            continue
        if DeadlineReminder.objects.filter(deadline=deadline, days_before=days).exists():
            continue
        try:
            with transaction.atomic():
                reminder = DeadlineReminder.objects.create(
                    deadline=deadline, days_before=days, sent_on=today
                )
                events.reminder_due.send(
                    DeadlineReminder,
                    deadline=deadline,
                    reminder=reminder,
                    summary=_summary(deadline, days, today),
                    overdue=days == OVERDUE,
                )
        except IntegrityError:  # sent meanwhile by a concurrent run
            continue
        report.sent += 1
        report.reminders.append(reminder.pk)
    if report.sent:
        logger.info("Rappels d'échéance envoyés : %s", report.sent)
    return report
