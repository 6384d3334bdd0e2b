"""Producing documents: ask for one (a new version, unless the data has not changed), render
it in the background, validate it, and bundle the case file for the lawyer."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from cases import access, pieces
from cases.files import FileMissing, open_stored
from cases.models import Case, User

from . import context, copies, templating
from .enums import DocumentKind, DocumentStatus
from .generation import generate  # noqa: F401 - callers use services
from .models import Document
from .tasks import generate_document, requeue

# Who may ask for which document: the pôle for all; the referring side for the piece
# inventory only (its own pieces).
POLE_KINDS = set(DocumentKind.values)
REFERRER_KINDS = {DocumentKind.BORDEREAU}


def may_request(user: User, case: Case, kind: str) -> bool:
    if not access.can_view(user, case):
        return False
    if access.is_head(user) or (user.is_pole and access.may_act_for_pole(user, case)):
        return kind in POLE_KINDS
    return access.is_referrer(user, case) and kind in REFERRER_KINDS


def inputs_hash(snapshot: dict) -> str:
    return hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def may_see(user: User, case: Case, document: Document) -> bool:
    """Any document of a case the user sees, but the pôle's internal work (an opinion's
    PDF before its validation) only for those who see that (`cases.access`)."""
    return not document.internal_work or access.may_see_internal_work(user, case)


def shown_to(user: User, case: Case, documents) -> list[Document]:
    """Those of `documents` (of this case) that the user may see (`may_see`)."""
    if access.may_see_internal_work(user, case):
        return list(documents)
    return [document for document in documents if not document.internal_work]


def latest_versions(case: Case, user: User) -> list[Document]:
    """The latest version the user may see of each of the case's documents, with their
    editable copies (two queries)."""
    seen = {}
    documents = case.documents.order_by("kind", "-version").prefetch_related("editable_copies")
    for document in shown_to(user, case, documents):
        seen.setdefault(document.kind, document)
    order = list(DocumentKind.values)
    return sorted(seen.values(), key=lambda d: order.index(d.kind))


def latest(case: Case, kind: str) -> Document | None:
    return case.documents.filter(kind=kind).order_by("-version").first()


@transaction.atomic
def request_document(
    case: Case,
    kind: str,
    user: User,
    *,
    sections: list[dict] | None = None,
    choice: dict | None = None,
    check=True,
) -> Document:
    """A new version of the case's document of this kind, rendered in the background (the
    task is queued in this transaction); the latest version itself when neither the data
    nor the template (documents.templating.current) it would be made from has changed.
    `sections` (the draft pleadings' text) and `choice` (the bordereau's hearing and
    pieces): `documents.context.build_snapshot`."""
    if kind not in DocumentKind.values:
        raise ValidationError(f"Document inconnu : {kind}.")
    if check and not may_request(user, case, kind):
        raise PermissionDenied("Vous ne pouvez pas produire ce document.")
    reason = context.applicability(case, kind)
    if reason:
        raise ValidationError(reason)
    snapshot = context.build_snapshot(case, kind, sections=sections, choice=choice)
    digest = inputs_hash(snapshot)
    Case.objects.select_for_update().filter(pk=case.pk).exists()  # one version at a time
    template = templating.current(kind, case.action_type_id)
    current = latest(case, kind)
    if (
        current is not None
        and current.inputs_sha256 == digest
        and current.template_version_id == (template.pk if template else None)
    ):
        if current.status == DocumentStatus.FAILED or current.is_stalled:
            return retry(current, user)
        return current
    version = (case.documents.filter(kind=kind).aggregate(n=Max("version"))["n"] or 0) + 1
    document = Document.objects.create(
        case=case,
        kind=kind,
        version=version,
        snapshot=snapshot,
        inputs_sha256=digest,
        requested_by=user,
        template_version=template,
    )
    _enqueue(document)
    return document


def _enqueue(document: Document) -> None:
    generate_document.enqueue(document.pk)


@transaction.atomic
def retry(document: Document, user: User) -> Document:
    """Queue again a failed version, or a pending one that nothing has moved for a few
    minutes (`Document.is_stalled`: its worker may have died), or the editable copies of
    a ready one whose copies failed (its PDF stays as it is)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.copies_failed:
        copies.retry(document)
        return document
    if document.status != DocumentStatus.FAILED and not document.is_stalled:
        raise ValidationError(
            "Seul un document en échec, ou en cours depuis plusieurs minutes, se relance."
        )
    document.status = DocumentStatus.PENDING
    document.error = ""
    requeue(document)
    return document


@transaction.atomic
def validate(document: Document, user: User) -> Document:
    """The head of the pôle makes a ready version the document of record."""
    if not access.is_head(user):
        raise PermissionDenied("Seul le chef du pôle valide un document.")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.READY:
        raise ValidationError("Seul un document prêt peut être validé.")
    if document.validated_at:
        raise ValidationError("Ce document est déjà validé.")
    Document.objects.filter(pk=document.pk).update(validated_by=user, validated_at=timezone.now())
    document.refresh_from_db()
    return document


MISSING_README = "LISEZMOI-fichiers-manquants.txt"


def for_the_lawyer(case: Case) -> list[Document]:
    """The version of each document that goes in the lawyer's case file: the document of
    record (its latest validated version), else its latest ready version, but never the
    pôle's internal work (an opinion's PDF before its validation). One query."""
    chosen: dict[str, Document] = {}
    ready = case.documents.filter(status=DocumentStatus.READY).select_related("case")
    for document in ready.order_by("kind", "-version"):
        current = chosen.get(document.kind)
        if document.internal_work or (current is not None and current.validated_at):
            continue
        if current is None or document.validated_at:
            chosen[document.kind] = document
    return [chosen[kind] for kind in DocumentKind.values if kind in chosen]


def case_file_zip(case: Case) -> bytes:
    """The whole case file for the lawyer: the documents `for_the_lawyer` and every piece,
    numbered as in the bordereau, under a name safe to extract anywhere
    (`pieces.archive_name`; the number keeps them unique). Each file is copied in chunks
    and checked against its SHA-256 on the way: integrity.TamperedFile if one no longer
    matches (the archive is dropped); a file gone from the disk is left out and named in a
    text file inside the ZIP (the administrators are alerted)."""
    buffer = io.BytesIO()
    entries = [(document, f"documents/{document.filename}") for document in for_the_lawyer(case)]
    for piece in case.pieces.order_by("number"):
        name = pieces.archive_name(piece.original_name)
        entries.append((piece, f"pieces/{piece.number:02d}_{name}"))
    missing = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for stored, name in entries:
            try:
                handle = open_stored(stored, f"dossier {case.reference} (ZIP)")
            except FileMissing:
                missing.append(name)
                continue
            with handle, archive.open(name, "w") as out:
                shutil.copyfileobj(handle, out, 1024 * 1024)
        if missing:
            archive.writestr(
                MISSING_README,
                render_to_string("documents/zip_missing.txt", {"case": case, "missing": missing}),
            )
    return buffer.getvalue()
