"""The step reminders as a django-tasks task (database backend, run by `run_worker`):
it sends the time-target reminders and late notices due (workflows.targets), then queues
itself again for tomorrow morning. `manage.py send_step_reminders --schedule` queues the
first run."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from .targets import send_step_reminders as send_due

RUN_AT = datetime.time(7, 5)  # Paris time, after the deadline reminders


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    day = timezone.localdate(now or timezone.now()) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, RUN_AT))


@task()
def send_step_reminders() -> dict:
    sent = send_due()
    schedule_daily(next_run())
    return {"sent": sent}


def schedule_daily(at: datetime.datetime) -> bool:
    """Queue the task for `at` unless a run is already queued. False when the backend
    cannot run a task later."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = send_step_reminders.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    queued = DBTaskResult.objects.filter(
        backend_name=backend.alias, task_path=send_step_reminders.module_path, status="READY"
    )
    if not queued.exists():
        send_step_reminders.using(run_after=at).enqueue()
    return True
