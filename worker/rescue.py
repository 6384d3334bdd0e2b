"""Nothing waits on chance: what a dead worker left behind is taken up again.

Run every WORKER_RESCUE_EVERY seconds by each worker (its heartbeat thread) and by
`manage.py rescue_tasks` (cron's safety net). Safe to run often, and by several at once.

- A task claimed (RUNNING) by a worker that shows no sign of life, or whose worker runs
  something else (the task was interrupted by a database outage), is orphaned: it is
  marked failed and queued again, as a late acknowledgement would. Every task of pnsr is
  idempotent, so running one twice is harmless.
- A pending document that nothing has moved for a while is queued again
  (`documents.tasks.rescue_stalled`).
- A waiting email always has a delivery task queued for it
  (`notifications.tasks.rescue_delivery`).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from documents.tasks import rescue_stalled
from notifications.tasks import rescue_delivery

from . import request_id
from .backend import carried_id
from .models import WorkerProcess

logger = logging.getLogger(__name__)

WORKER_LOST = "worker.rescue.WorkerLost"


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_STALE_AFTER)


def orphaned(now: datetime.datetime) -> list[DBTaskResult]:
    """RUNNING tasks whose worker is gone or busy elsewhere. A task claimed less than
    WORKER_STALE_AFTER ago is left alone (its worker's next heartbeat names it)."""
    limit = now - stale_after()
    live = dict(
        WorkerProcess.objects.filter(heartbeat_at__gte=limit).values_list(
            "worker_id", "current_task"
        )
    )
    found = []
    for result in DBTaskResult.objects.running().filter(started_at__lt=limit):
        worker = result.worker_ids[-1] if result.worker_ids else None
        if worker in live and live[worker] is not None and str(live[worker]) == str(result.id):
            continue
        found.append(result)
    return found


def rescue_orphans(now: datetime.datetime) -> int:
    """Fail each orphaned task and queue it again; return how many."""
    skip_locked = connection.features.has_select_for_update_skip_locked
    count = 0
    for candidate in orphaned(now):
        with transaction.atomic():
            result = (
                DBTaskResult.objects.running()
                .select_for_update(skip_locked=skip_locked)
                .filter(pk=candidate.pk)
                .first()
            )
            if result is None:
                continue  # finished, or taken by another rescue
            worker = result.worker_ids[-1] if result.worker_ids else "?"
            DBTaskResult.objects.filter(pk=result.pk).update(
                status="FAILED",
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=f"Le processus {worker} s'est arrêté pendant cette tâche : relancée.",
            )
            try:
                task = result.task
            except (ImportError, SuspiciousOperation):
                logger.error("Tâche %s orpheline et introuvable : %s.", result.pk, result.task_path)
                continue
            with request_id.carried(carried_id(result.args_kwargs)):
                task.using(run_after=None).enqueue(
                    *result.args_kwargs.get("args", []), **result.args_kwargs.get("kwargs", {})
                )
            count += 1
            logger.warning(
                "Tâche %s (%s) orpheline du processus %s : relancée.",
                result.pk,
                result.task_path,
                worker,
            )
    return count


def forget_dead_workers(now: datetime.datetime) -> int:
    """The rows of workers silent for a day (their tasks were rescued long ago)."""
    gone = WorkerProcess.objects.filter(heartbeat_at__lt=now - datetime.timedelta(days=1))
    return gone.delete()[0]


def rescue(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    report = {"tasks": rescue_orphans(now)}
    documents = rescue_stalled(now)
    report["documents_requeued"] = documents["requeued"]
    report["documents_failed"] = documents["failed"]
    report["delivery_scheduled"] = rescue_delivery(now)
    forget_dead_workers(now)
    return report


def in_french(report: dict) -> str:
    return (
        f"Tâches orphelines relancées : {report['tasks']}. "
        f"Documents relancés : {report['documents_requeued']}, "
        f"mis en échec : {report['documents_failed']}. "
        + ("Envoi des courriels reprogrammé." if report["delivery_scheduled"] else "")
    ).strip()
