"""A stored file's name and SHA-256, once written, are never rewritten, whoever asks
(cases/migrations/0015_stored_files_frozen, documents/migrations/0003): otherwise a file
swapped on disk with its fingerprint updated would pass `verify_integrity`. A document
version's are written once, from empty, when it is rendered."""

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction

from cases.enums import CaseStatus
from cases.models import MessageAttachment, Piece
from documents.enums import DocumentKind, DocumentStatus
from documents.services import generate, request_document
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
REFUSED = "ne peuvent plus être modifiés"


def _refused(queryset, **values):
    with pytest.raises((DatabaseError, IntegrityError)) as refused, transaction.atomic():
        queryset.update(**values)
    assert REFUSED in str(refused.value)


def test_a_piece_keeps_its_file_and_fingerprint(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    piece = case.pieces.first()
    rows = Piece.objects.filter(pk=piece.pk)
    _refused(rows, sha256="0" * 64)
    _refused(rows, file="pieces/autre")
    assert rows.get().sha256 == piece.sha256
    rows.update(original_name="renommée.pdf")  # the other columns are written as usual
    rows.update(sha256=piece.sha256, file=piece.file.name)  # unchanged: allowed


def test_an_attachment_keeps_its_file_and_fingerprint(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    message = case.messages.create(author=users["jurist"], author_label="J", body="Projet")
    attachment = MessageAttachment(message=message, original_name="projet.pdf", size=10,
                                   content_type="application/pdf", sha256="1" * 64)  # fmt: skip
    attachment.file.save("projet", ContentFile(b"%PDF-1.4 x"), save=True)
    _refused(MessageAttachment.objects.filter(pk=attachment.pk), sha256="0" * 64)


def test_a_document_is_written_once_when_rendered_then_frozen(users):
    case = CaseFactory(to=CaseStatus.UNDER_EXAMINATION, created_by=users["poste_agent"])
    document = request_document(case, DocumentKind.ACCUSE, users["jurist"])
    assert document.sha256 == "" and not document.file
    document = generate(document.pk)  # pending → ready: from empty to set is allowed
    assert document.status == DocumentStatus.READY and document.sha256
    rows = type(document).objects.filter(pk=document.pk)
    _refused(rows, sha256="0" * 64)
    _refused(rows, file="documents/autre.pdf")
