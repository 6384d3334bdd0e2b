"""The disk is full (the storage's save raises OSError(ENOSPC) after writing part of the
file): the upload says so in French, and no row, no partial or empty file is left."""

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseStatus, PieceKind
from cases.models import CaseEvent, Message, MessageAttachment, Piece
from cases.pieces import sample_pdf
from tests.api.conftest import client_for
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
FULL = "le serveur n&#x27;a plus de place"


@pytest.fixture
def disk_full(monkeypatch):
    """Half the file is written, then the disk is full (as FileSystemStorage leaves it)."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read(100))
        raise OSError(errno.ENOSPC, "No space left on device")

    return lambda: monkeypatch.setattr(FileSystemStorage, "_save", _save)


def _files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def _pdf(name="releve.pdf"):
    return SimpleUploadedFile(name, sample_pdf("Relevé"), "application/pdf")


def test_a_piece_on_a_full_disk(client, users, settings, disk_full):
    case = CaseFactory(created_by=users["poste_agent"])
    disk_full()
    events = CaseEvent.objects.count()
    client.force_login(users["poste_agent"])
    response = client.post(
        reverse("cases:piece_add", args=[case.reference]),
        {"kind": PieceKind.values[0], "file": _pdf()},
    )
    assert response.status_code == 507
    assert FULL in response.content.decode()
    assert not Piece.objects.exists() and CaseEvent.objects.count() == events
    assert _files(settings) == []


def test_a_message_attachment_on_a_full_disk(client, users, settings, disk_full):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    files_before = _files(settings)
    disk_full()
    client.force_login(users["jurist"])
    response = client.post(
        reverse("cases:message_post", args=[case.reference]),
        {"body": "Voici le relevé.", "attachments": [_pdf(), _pdf("autre.pdf")]},
    )
    assert response.status_code == 507
    assert FULL in response.content.decode()
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()
    assert _files(settings) == files_before


def test_the_api_says_the_disk_is_full(users, settings, disk_full):
    case = CaseFactory(created_by=users["poste_agent"])
    disk_full()
    api = client_for(users["poste_agent"])
    response = api.post(
        f"/api/v1/cases/{case.reference}/pieces/",
        {"kind": PieceKind.values[0], "file": _pdf()},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "le serveur n'a plus de place" in response.content.decode()
    assert not Piece.objects.exists() and _files(settings) == []
