"""Background generation: a django-tasks task on the "documents" queue, queued in the
transaction that asks for the document and run by `manage.py run_worker --queue-name
documents` (never in the request); queued again by the rescue when its worker died. The
version's editable copies have a task of their own on the same queue, queued once its PDF
is stored (documents/copies.py)."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .copies import BACKEND, QUEUE
from .enums import DocumentStatus
from .generation import MAX_ATTEMPTS, generate
from .models import Document

logger = logging.getLogger(__name__)

# A version queued again by the rescue has waited longest: it goes before the new ones.
RESCUED_PRIORITY = 10


@task(backend=BACKEND, queue_name=QUEUE)
def generate_document(document_id: int) -> str:
    return generate(document_id).status


def requeue(document: Document, *, priority: int | None = None) -> None:
    """Queue a pending version's rendering again (the caller holds its row, in its
    transaction); a worker that still renders it under its old claim drops its result."""
    document.claimed_at = document.heartbeat_at = None
    document.queued_at = timezone.now()
    document.save(update_fields=["status", "error", "claimed_at", "heartbeat_at", "queued_at"])
    task = generate_document if priority is None else generate_document.using(priority=priority)
    task.enqueue(document.pk)


def rescue_stalled(now=None) -> dict:
    """Queue again every stalled version that no waiting task will take (its worker died,
    or its task was lost); fail those interrupted MAX_ATTEMPTS times. Run by the workers
    every minute and by `manage.py rescue_tasks`. Returns how many of each."""
    waiting = _waiting_document_ids()
    report = {"requeued": 0, "failed": 0}
    skip_locked = connection.features.has_select_for_update_skip_locked
    for pk in list(Document.objects.stalled(now).values_list("pk", flat=True)):
        with transaction.atomic():
            document = (
                Document.objects.stalled(now)
                .select_for_update(skip_locked=skip_locked)
                .filter(pk=pk)
                .first()
            )
            if document is None or (document.claimed_at is None and pk in waiting):
                continue  # taken meanwhile, or its task waits for a worker: a long queue
            if document.attempts >= MAX_ATTEMPTS:
                document.status = DocumentStatus.FAILED
                document.error = (
                    f"La production s'est interrompue {document.attempts} fois "
                    "(processus de production arrêté) : relancez-la."
                )
                document.save(update_fields=["status", "error"])
                report["failed"] += 1
                logger.warning("Document %s interrompu %s fois : en échec.", pk, document.attempts)
            else:
                requeue(document, priority=RESCUED_PRIORITY)
                report["requeued"] += 1
                logger.warning("Document %s bloqué : production relancée.", pk)
    return report


def _waiting_document_ids() -> set[int]:
    """The versions with a generation task waiting to start (database backend only)."""
    if not isinstance(generate_document.get_backend(), DatabaseBackend):
        return set()
    waiting = DBTaskResult.objects.filter(
        backend_name=generate_document.backend,
        task_path=generate_document.module_path,
        status="READY",
    ).values_list("args_kwargs", flat=True)
    return {args["args"][0] for args in waiting if args.get("args")}
