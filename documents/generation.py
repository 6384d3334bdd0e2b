"""Rendering one version of a document: its PDF, and the run of the background task
(`tasks.generate_document`) that stores it or keeps its error. Its editable copies follow
in a task of their own (documents/copies.py), queued when the version becomes ready: the
PDF's path is the PDF alone.

The rendering takes seconds; it runs outside any transaction, so that nobody waits on it
(on SQLite a write transaction locks the whole base). Two short transactions frame it:
the claim (the version is pending and nobody else renders it), and the result (written
only if the claim is still ours). While it renders, a heartbeat shows that its worker is
alive; a version whose heartbeat stopped is stalled, and `rescue_stalled` queues it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import copies, render, signing
from .enums import CopiesStatus, DocumentStatus
from .models import Document

logger = logging.getLogger(__name__)

# A version whose rendering was interrupted this many times (its worker died) is failed
# by the rescue rather than queued again: its users see it and retry it.
MAX_ATTEMPTS = 3


def render_pdf(document: Document) -> bytes:
    """The version's PDF, from its HTML (`render.version_html`, which its copies are made
    from too)."""
    return render.html_to_pdf(render.version_html(document))


def sign_pdf(document: Document, pdf: bytes) -> bytes:
    """The version's PDF signed with the pôle's certificate (documents/signing.py), unless
    it is a draft or no certificate is configured; signing.SigningError if it cannot be."""
    if document.is_draft:
        return pdf
    reason = (
        f"{document.get_kind_display()} v{document.version} — dossier {document.case.reference}"
    )
    return signing.sign(pdf, reason=reason)


def generate(document_id: int) -> Document:
    """Render a pending version (its PDF, signed unless a draft) and store it, its copies
    then queued; on failure (rendering, signing, or storing its file), keep the error on
    the version (and no file). Run by the background worker; safe to run twice, or twice
    at once."""
    document = _claim(document_id)
    if document.claimed_at is None or document.status != DocumentStatus.PENDING:
        return document
    with _heartbeat(document):
        try:
            pdf = render_pdf(document)
        except Exception as error:  # noqa: BLE001 - any rendering error is shown, not raised
            return _finish(document, error=f"{type(error).__name__} : {error}")
        try:
            pdf = sign_pdf(document, pdf)
        except signing.SigningError as error:
            return _finish(document, error=f"Signature électronique impossible : {error}")
    try:
        document.file.save(document_upload_to_name(document), ContentFile(pdf), save=False)
    except Exception as error:  # noqa: BLE001 - permission, disk full, any storage's refusal
        _delete_file(document)
        return _finish(
            document,
            error=f"Enregistrement du fichier impossible ({type(error).__name__} : {error})",
        )
    try:
        return _finish(document, pdf=pdf)
    except BaseException:
        _delete_file(document)  # no file without its row
        raise


def _delete_file(document: Document) -> None:
    if document.file:
        document.file.delete(save=False)


def _claim(document_id: int) -> Document:
    """Take the version for this worker, unless it is no longer pending or another live
    worker renders it; `claimed_at` is None on the returned version if not taken."""
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("case").get(pk=document_id)
        if document.status != DocumentStatus.PENDING:
            document.claimed_at = None
            return document
        if document.claimed_at is not None and not document.is_stalled:
            document.claimed_at = None  # another worker renders it and is alive
            return document
        now = timezone.now()
        document.claimed_at = document.heartbeat_at = now
        document.attempts += 1
        document.save(update_fields=["claimed_at", "heartbeat_at", "attempts"])
    return document


def _finish(document: Document, *, pdf: bytes | None = None, error: str = "") -> Document:
    """Write the outcome in one short transaction, if the claim is still ours (a version
    retried or rescued meanwhile belongs to its new claim: this result is dropped). A
    version made ready has its copies queued in the same transaction."""
    with transaction.atomic():
        current = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
        if current.status != DocumentStatus.PENDING or current.claimed_at != document.claimed_at:
            if pdf is not None:
                _delete_file(document)
            return current
        if pdf is None:
            current.status = DocumentStatus.FAILED
            current.error = error[:2000]
            current.save(update_fields=["status", "error"])
            return current
        current.file = document.file
        current.size = len(pdf)
        current.sha256 = hashlib.sha256(pdf).hexdigest()
        current.generated_at = timezone.now()
        current.status = DocumentStatus.READY
        current.error = ""
        current.copies_status = CopiesStatus.PENDING
        current.save()
        copies.queue(current)
    return current


@contextlib.contextmanager
def _heartbeat(document: Document):
    """While the block runs, renew the version's heartbeat every DOCUMENTS_HEARTBEAT
    seconds from a thread (its own connection), as long as the claim is ours."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.DOCUMENTS_HEARTBEAT):
                try:
                    Document.objects.filter(
                        pk=document.pk,
                        status=DocumentStatus.PENDING,
                        claimed_at=document.claimed_at,
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:  # the database is away: the next beat tries again
                    logger.warning("Document %s : signe de vie non enregistré.", document.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-document-{document.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def document_upload_to_name(document: Document) -> str:
    return f"{document.kind}-v{document.version}.pdf"
