"""The background delivery: a django-tasks task run by `manage.py db_worker`.

Enqueued after the commit of every transaction that writes a notification to email, and
by itself for the next retry or digest (the database backend can run a task later). It is
idempotent: running it twice, or two at once, sends nothing twice (see delivery.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from .delivery import deliver_due
from .enums import DeliveryState
from .models import Notification

# When something is due but was not taken (rows held by another worker), look again soon.
SOON = datetime.timedelta(minutes=1)


@task()
def deliver_due_notifications() -> dict:
    report = deliver_due()
    if report.next_due is not None:
        schedule_delivery(max(report.next_due, timezone.now() + SOON))
    return report.as_dict()


def _database_backend():
    """The task's backend when it is django-tasks-db's (it can run tasks later)."""
    from django_tasks_db import DatabaseBackend

    backend = deliver_due_notifications.get_backend()
    return backend if isinstance(backend, DatabaseBackend) else None


def _waiting_tasks():
    from django_tasks_db.models import DBTaskResult

    backend = _database_backend()
    return DBTaskResult.objects.filter(
        backend_name=backend.alias, task_path=deliver_due_notifications.module_path
    )


def task_waiting() -> bool:
    """A delivery task is queued and ready to start: it will see what is committed now."""
    if _database_backend() is None:
        return False
    return _waiting_tasks().ready().exists()


def request_delivery() -> None:
    """Enqueue the delivery task (after commit). With the database backend, one task
    waiting to start is enough: it will see every notification committed before it runs."""
    if not task_waiting():
        deliver_due_notifications.enqueue()


def schedule_delivery(at: datetime.datetime) -> bool:
    """Queue a delivery for `at`, unless one is already queued to run by then; True if
    queued. Backends that cannot run a task later (the immediate backend of the tests)
    schedule nothing: `send_notifications` or the next event's delivery takes over."""
    from django_tasks_db.models import get_date_max

    if _database_backend() is None:
        return False
    queued = _waiting_tasks().filter(status="READY")
    if (
        queued.filter(run_after__lte=at).exists()
        or queued.filter(run_after=get_date_max()).exists()
    ):
        return False
    deliver_due_notifications.using(run_after=at).enqueue()
    return True


def rescue_delivery(now: datetime.datetime | None = None) -> bool:
    """Make sure the earliest waiting email has a delivery queued for it: the delivery
    task queues its own follow-up, and a worker killed during a run breaks that chain.
    Run by the workers' rescue (worker/rescue.py). True if a delivery was queued."""
    now = now or timezone.now()
    earliest = (
        Notification.objects.filter(
            state__in=[DeliveryState.PENDING, DeliveryState.RETRYING],
            next_attempt_at__isnull=False,
        )
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if earliest is None:
        return False
    return schedule_delivery(max(earliest, now))
