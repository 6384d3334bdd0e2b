"""Rendering one version of a document: its page meta, its PDF, and the run of the
background task (`tasks.generate_document`) that stores it or keeps its error."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.formatting import long_date
from cases.models import Case

from . import render
from .enums import DocumentKind, DocumentStatus
from .models import Document


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


def render_pdf(document: Document) -> bytes:
    meta = meta_for(document.case, document.kind, version=document.version)
    return render.html_to_pdf(render.render_html(document.kind, document.snapshot, meta))


def generate(document_id: int) -> Document:
    """Render a pending version and store it; on failure, keep the error on the version
    (and no file). Run by the background worker; safe to run twice."""
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("case").get(pk=document_id)
        if document.status != DocumentStatus.PENDING:
            return document
        document.attempts += 1
        try:
            pdf = render_pdf(document)
        except Exception as error:  # noqa: BLE001 - any rendering error is shown, not raised
            document.status = DocumentStatus.FAILED
            document.error = f"{type(error).__name__} : {error}"[:2000]
            document.save(update_fields=["status", "error", "attempts"])
            return document
        document.file.save(document_upload_to_name(document), ContentFile(pdf), save=False)
        try:
            document.size = len(pdf)
            document.sha256 = hashlib.sha256(pdf).hexdigest()
            document.generated_at = timezone.now()
            document.status = DocumentStatus.READY
            document.save()
        except BaseException:
            document.file.delete(save=False)  # no file without its row
            raise
    return document


def document_upload_to_name(document: Document) -> str:
    return f"{document.kind}-v{document.version}.pdf"
