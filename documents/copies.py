"""A ready version's editable copies (ODT, DOCX: documents/formats.py), made by their own
background task on the "documents" queue once its PDF is stored, so that the PDF's
rendering is the PDF alone (issue 21: pandoc beside WeasyPrint slowed the PDF).

The task is queued in the transaction that makes the version ready (documents.generation),
after the PDFs waiting (a lower priority). The copies come from the version's HTML
(`render.version_html`: the same snapshot, template and date as its PDF). Safe to run
twice, or twice at once on two workers: a copy already stored is not made again, and of
two made at once the first stored stays, the other's file is deleted. A failure never
touches the PDF: it is logged and tried again later, COPY_ATTEMPTS times in all, then
the version's copies are marked failed (its users may retry them)."""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from . import formats, render
from .enums import CopiesStatus, DocumentStatus, EditableFormat
from .models import Document, EditableCopy

logger = logging.getLogger(__name__)

QUEUE = "documents"
BACKEND = getattr(settings, "DOCUMENTS_TASKS_BACKEND", "default")
# After the versions waiting for their PDF (priority 0, the rescued ones 10).
PRIORITY = -10
COPY_ATTEMPTS = 3
# The wait before the next attempt, times the attempts made.
RETRY_AFTER = datetime.timedelta(minutes=1)


@task(backend=BACKEND, queue_name=QUEUE, priority=PRIORITY)
def generate_editable_copies(document_id: int, attempt: int = 1) -> str:
    return generate_copies(document_id, attempt=attempt)


def queue(document: Document, *, attempt: int = 1) -> None:
    """Queue the making of the version's copies (the caller writes `copies_status`
    pending in its transaction); a later attempt after a wait, when the backend can."""
    job = generate_editable_copies
    if attempt > 1 and job.get_backend().supports_defer:
        job = job.using(run_after=timezone.now() + RETRY_AFTER * (attempt - 1))
    job.enqueue(document.pk, attempt)


def generate_copies(document_id: int, *, attempt: int = 1) -> str:
    """Make and store the copies a ready version still lacks; its `copies_status` after."""
    document = Document.objects.select_related("case", "template_version").get(pk=document_id)
    if document.status != DocumentStatus.READY or document.copies_status != CopiesStatus.PENDING:
        return document.copies_status  # done (by another worker), failed, or none asked
    made = set(document.editable_copies.values_list("format", flat=True))
    missing = [name for name in EditableFormat.values if name not in made]
    try:
        if missing:
            html = render.version_html(document)
            for name in missing:
                _store(document, name, formats.convert(html, name))
    except Exception as error:  # noqa: BLE001 - pandoc, storage: tried again, never raised
        return _failed(document, attempt, f"{type(error).__name__} : {error}")
    # Ready once both are stored, even if a worker that failed meanwhile marked them failed.
    Document.objects.filter(pk=document.pk).update(copies_status=CopiesStatus.READY)
    return CopiesStatus.READY


def _store(document: Document, name: str, content: bytes) -> None:
    """The copy's file, then its row; if another worker stored this copy meanwhile, its
    copy stays and this file is deleted."""
    copy = EditableCopy(document=document, format=name)
    copy.file.save(copy.filename, ContentFile(content), save=False)
    copy.size, copy.sha256 = len(content), hashlib.sha256(content).hexdigest()
    try:
        with transaction.atomic():
            copy.save()
    except IntegrityError:
        copy.file.delete(save=False)
        if not EditableCopy.objects.filter(document=document, format=name).exists():
            raise
    except BaseException:
        copy.file.delete(save=False)  # no file without its row
        raise


def _failed(document: Document, attempt: int, error: str) -> str:
    if attempt < COPY_ATTEMPTS:
        logger.warning(
            "Document %s : copies modifiables non produites (tentative %s sur %s, nouvel "
            "essai prévu) : %s",
            document.pk,
            attempt,
            COPY_ATTEMPTS,
            error,
        )
        queue(document, attempt=attempt + 1)
        return CopiesStatus.PENDING
    logger.error(
        "Document %s : copies modifiables non produites après %s tentatives (le PDF reste "
        "disponible) : %s",
        document.pk,
        attempt,
        error,
    )
    Document.objects.filter(pk=document.pk, copies_status=CopiesStatus.PENDING).update(
        copies_status=CopiesStatus.FAILED
    )
    return CopiesStatus.FAILED


def retry(document: Document) -> None:
    """Ask again for the copies of a ready version whose copies failed (the caller holds
    its row, in its transaction)."""
    Document.objects.filter(pk=document.pk).update(copies_status=CopiesStatus.PENDING)
    document.copies_status = CopiesStatus.PENDING
    queue(document)
