"""The daily reminders as a django-tasks task (database backend, run by `manage.py
db_worker`): it sends the reminders due today, recomputes the prescriptions that wait for
an instance's end (an appeal period that ran out), writes in the accounts' journal the
absences that ran to their end, and queues itself again for tomorrow
morning. `manage.py send_deadline_reminders --schedule` queues the first run."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from cases.absences import record_lapsed

from .prescription import refresh_pending_instances
from .reminders import send_due_reminders
from .services import open_overdue_releves

RUN_AT = datetime.time(7, 0)  # Paris time


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """Tomorrow at 7:00, Paris time."""
    day = timezone.localdate(now or timezone.now()) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, RUN_AT))


@task()
def send_deadline_reminders() -> dict:
    # A declaration of claims not made in time opens the relevé de forclusion (L.622-26).
    releves = open_overdue_releves(timezone.localdate())
    report = send_due_reminders(timezone.localdate())
    # An instance ends with time too: a decision becomes final when its appeal period runs
    # out (C. civ. 2242), and the claims it interrupted get their new term.
    moved = refresh_pending_instances()
    # The absences that ran to their last day yesterday, in the accounts' journal.
    lapsed = record_lapsed(timezone.localdate())
    schedule_daily(next_run())
    return {
        **report.as_dict(),
        "prescriptions_moved": moved,
        "releves_opened": releves,
        "absences_lapsed": lapsed,
    }


def _database_backend():
    from django_tasks_db import DatabaseBackend

    backend = send_deadline_reminders.get_backend()
    return backend if isinstance(backend, DatabaseBackend) else None


def schedule_daily(at: datetime.datetime) -> bool:
    """Queue the task for `at` unless a run is already queued (then the chain goes on by
    itself). False when the backend cannot run a task later."""
    if _database_backend() is None:
        return False
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        backend_name=_database_backend().alias,
        task_path=send_deadline_reminders.module_path,
        status="READY",
    )
    if queued.exists():
        return True
    send_deadline_reminders.using(run_after=at).enqueue()
    return True
