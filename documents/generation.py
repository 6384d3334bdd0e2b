"""Rendering one version of a document: its page meta, its PDF, and the run of the
background task (`tasks.generate_document`) that stores it or keeps its error.

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
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases.formatting import long_date
from cases.models import Case

from . import formats, render, signing
from .enums import DocumentKind, DocumentStatus, EditableFormat
from .models import Document, EditableCopy

logger = logging.getLogger(__name__)

# A version whose rendering was interrupted this many times (its worker died) is failed
# by the rescue rather than queued again: its users see it and retry it.
MAX_ATTEMPTS = 3


def meta_for(case: Case, kind: str, *, version: int) -> dict:
    """What every page of a document shows besides its data: reference, kind, version
    (0: a copy rendered outside the versions, by the command) and the date."""
    return {
        "reference": case.reference,
        "kind": kind,
        "kind_label": DocumentKind(kind).label,
        "version": version or "hors série",
        "generated_on": long_date(timezone.localdate()),
    }


def render_files(document: Document) -> dict[str, bytes]:
    """The version's PDF and its editable copies, from one HTML (so the same date, the same
    template): {"pdf": ..., "odt": ..., "docx": ...}. pandoc runs in its own process while
    WeasyPrint renders the PDF here, one copy after the other: together they take less
    than the PDF, and one process beside WeasyPrint leaves it a core of its own where two
    at once slowed it by a third on a two-core machine (`make bench-documents`)."""
    meta = meta_for(document.case, document.kind, version=document.version)
    html = render.render_html(
        document.kind, document.snapshot, meta, source=document.template_source
    )
    names = EditableFormat.values
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pandoc") as pool:
        copies = pool.map(partial(formats.convert, html), names)  # started at once
        pdf = render.html_to_pdf(html)
        return {formats.PDF: pdf, **dict(zip(names, copies, strict=True))}


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
    """Render a pending version (its PDF, signed unless a draft, and its editable copies)
    and store it; on failure (rendering, signing, or storing its files), keep the error on
    the version (and no file). Run by the background worker; safe to run twice, or twice
    at once."""
    document = _claim(document_id)
    if document.claimed_at is None or document.status != DocumentStatus.PENDING:
        return document
    with _heartbeat(document):
        try:
            files = render_files(document)
        except Exception as error:  # noqa: BLE001 - any rendering error is shown, not raised
            return _finish(document, error=f"{type(error).__name__} : {error}")
        try:
            files[formats.PDF] = sign_pdf(document, files[formats.PDF])
        except signing.SigningError as error:
            return _finish(document, error=f"Signature électronique impossible : {error}")
    pdf = files.pop(formats.PDF)
    copies = [EditableCopy(document=document, format=fmt) for fmt in files]
    try:
        document.file.save(document_upload_to_name(document), ContentFile(pdf), save=False)
        for copy in copies:
            content = files[copy.format]
            copy.file.save(copy.filename, ContentFile(content), save=False)
            copy.size, copy.sha256 = len(content), hashlib.sha256(content).hexdigest()
    except Exception as error:  # noqa: BLE001 - permission, disk full, any storage's refusal
        _delete_files(document, copies)
        return _finish(
            document,
            error=f"Enregistrement du fichier impossible ({type(error).__name__} : {error})",
        )
    try:
        return _finish(document, pdf=pdf, copies=copies)
    except BaseException:
        _delete_files(document, copies)  # no file without its row
        raise


def _delete_files(document: Document, copies: list[EditableCopy]) -> None:
    for stored in (document, *copies):
        if stored.file:
            stored.file.delete(save=False)


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


def _finish(
    document: Document,
    *,
    pdf: bytes | None = None,
    copies: list[EditableCopy] = (),
    error: str = "",
) -> Document:
    """Write the outcome in one short transaction, if the claim is still ours (a version
    retried or rescued meanwhile belongs to its new claim: this result is dropped)."""
    with transaction.atomic():
        current = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
        if current.status != DocumentStatus.PENDING or current.claimed_at != document.claimed_at:
            if pdf is not None:
                _delete_files(document, copies)
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
        current.save()
        for copy in copies:
            copy.document = current
            copy.save()
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
