"""The lawyer's case file (documents.services.case_file_zip): the documents of record,
never the pôle's internal work, and pieces under names that stay in their folder whatever
tool extracts them."""

import hashlib
import io
import zipfile
from pathlib import PureWindowsPath

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.pieces import sample_pdf
from cases.services import add_piece_bytes
from documents import services
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document
from tests.factories import CaseFactory

K = DocumentKind
pytestmark = pytest.mark.django_db


def _ready(case, kind, version, user, *, opinion=None, validated=False) -> Document:
    """A rendered version, as the worker leaves it (and validated by the head if asked)."""
    content = sample_pdf(f"{kind} v{version}")
    document = Document(
        case=case,
        kind=kind,
        version=version,
        status=DocumentStatus.READY,
        snapshot={"opinion": opinion} if opinion is not None else {},
        inputs_sha256=f"{kind}-{version}",
        requested_by=user,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        generated_at=timezone.now(),
    )
    document.file.save(f"{kind}_{version}.pdf", ContentFile(content), save=False)
    if validated:
        document.validated_by, document.validated_at = user, timezone.now()
    document.save()
    return document


def _documents_in(case) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(services.case_file_zip(case))) as archive:
        return {name for name in archive.namelist() if name.startswith("documents/")}


def test_the_lawyer_gets_the_documents_of_record_never_the_poles_internal_work(users):
    head = users["head"]
    case = CaseFactory(created_by=users["poste_agent"])
    ref = case.reference
    # The opinion's PDF printed before its validation: a preview for the pôle only.
    _ready(case, K.AVIS, 1, head, opinion={"validated": False})
    assert _documents_in(case) == set()
    # Once the opinion is validated, its PDF goes; a later preview does not replace it.
    _ready(case, K.AVIS, 2, head, opinion={"validated": True})
    _ready(case, K.AVIS, 3, head, opinion={"validated": False})
    # The version the head validated, rather than a later one he has not.
    _ready(case, K.BORDEREAU, 1, head, validated=True)
    _ready(case, K.BORDEREAU, 2, head)
    # A document nobody validates: its latest ready version.
    _ready(case, K.ACCUSE, 1, head)
    _ready(case, K.ACCUSE, 2, head)
    assert _documents_in(case) == {
        f"documents/{ref}_avis_v2.pdf",
        f"documents/{ref}_bordereau_v1.pdf",
        f"documents/{ref}_accuse_v2.pdf",
    }


def test_piece_names_in_the_archive_cannot_leave_their_folder(users):
    agent = users["poste_agent"]
    case = CaseFactory(created_by=agent)
    case.pieces.all().delete()
    for name in [r"..\..\evil.pdf", r"..\..\evil.pdf", ".cache.pdf", "Relevé d'identité (2).pdf"]:
        add_piece_bytes(agent, case, "autre", name, sample_pdf(name))
    assert case.pieces.filter(original_name=r"..\..\evil.pdf").count() == 2
    with zipfile.ZipFile(io.BytesIO(services.case_file_zip(case))) as archive:
        names = [name for name in archive.namelist() if name.startswith("pieces/")]
    assert names == [
        "pieces/01__.._evil.pdf",
        "pieces/02__.._evil.pdf",
        "pieces/03_cache.pdf",
        "pieces/04_Relevé d_identité (2).pdf",
    ]
    for name in names:  # as a Windows tool reads them: one folder, then the file
        parts = PureWindowsPath(name).parts
        assert len(parts) == 2 and parts[0] == "pieces" and ".." not in parts
