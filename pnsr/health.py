"""What a load balancer and a monitoring probe ask: is this process answering
(`/sante/vivant/`), and can it serve (`/sante/`: the database answers, every queue has a
worker that showed a sign of life within WORKER_STALE_AFTER, the file storage takes a
file).

Open without signing in, never journalled, never redirected to HTTPS (SECURE_REDIRECT_EXEMPT:
a balancer probes over plain HTTP), never cached. The answer names what failed and the
exception's class, never its message (a connection string, a path)."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from worker.models import WorkerProcess

from .mfa import second_factor_exempt

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"


class CheckFailed(Exception):
    """A check that ran and found something wrong (its message is safe to show)."""


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def queues() -> list[str]:
    """The queues some worker must serve: those of the database task backends (an
    immediate backend runs its tasks in the request)."""
    found = set()
    for alias in settings.TASKS:
        if isinstance(task_backends[alias], DatabaseBackend):
            found |= task_backends[alias].queues
    return sorted(found)


def check_worker() -> dict:
    """For each queue, the age of the freshest heartbeat of a worker that serves it (any
    number of `run_worker` processes, on any machine: each keeps its own row; a dead one's
    row stays a day, old)."""
    now = timezone.now()
    freshest: dict[str, object] = {}
    for served, heartbeat_at in WorkerProcess.objects.values_list("queues", "heartbeat_at"):
        served = served.split(",")
        for queue in queues():
            if (queue in served or "*" in served) and (
                queue not in freshest or heartbeat_at > freshest[queue]
            ):
                freshest[queue] = heartbeat_at
    ages = {
        queue: max(0, int((now - freshest[queue]).total_seconds())) if queue in freshest else None
        for queue in queues()
    }
    stale = [
        queue for queue, age in ages.items() if age is None or age > settings.WORKER_STALE_AFTER
    ]
    if stale:
        raise CheckFailed(
            {
                "heartbeat_age_seconds": ages,
                "stale_after_seconds": settings.WORKER_STALE_AFTER,
                "stale_queues": stale,
            }
        )
    return {"heartbeat_age_seconds": ages}


def check_storage() -> dict:
    """A small file written and deleted through the default storage (shared storage
    mounted read-only, a full disk, lost credentials of an object store)."""
    name = default_storage.save(f"sante/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return {}


CHECKS = {"database": check_database, "worker": check_worker, "storage": check_storage}


@require_GET
@login_not_required
@second_factor_exempt
def readiness(request):
    body, details = {}, {}
    for name, check in CHECKS.items():
        try:
            found = check()
        except CheckFailed as failure:
            body[name] = FAILED
            details[name] = failure.args[0]
            logger.warning("Sonde /sante/ : %s en échec (%s).", name, details[name])
        except Exception as error:
            body[name] = FAILED
            details[name] = {"error": type(error).__name__}
            logger.warning("Sonde /sante/ : %s en échec (%r).", name, error)
        else:
            body[name] = OK
            if found:
                details[name] = found
    failed = [name for name, state in body.items() if state == FAILED]
    body["status"] = FAILED if failed else OK
    if failed:
        body["failed"] = failed
    body["details"] = details
    response = JsonResponse(body, status=503 if failed else 200)
    # Logged above, once per failed check: Django's own 5xx record would email the ADMINS
    # at every probe of every balancer during an outage.
    response._has_been_logged = True
    return response


@require_GET
@login_not_required
@second_factor_exempt
def liveness(request):
    return JsonResponse({"status": OK})
