"""A piece, an attachment or a document whose row exists but whose file is gone from the
disk: the page says « Ce fichier est introuvable » (not the generic 404), the
administrators are alerted, and the lawyer's ZIP says which file is missing."""

import io
import logging
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from cases.enums import Mode
from documents.enums import DocumentKind, DocumentStatus
from documents.services import MISSING_README
from tests.documents.test_services import run_worker
from tests.workflows.conftest import Journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(users, submitted_case, client, settings):
    settings.ADMINS = [("Exploitation", "exploitation@example.fr")]
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    Journey(client, case).step(users["head"], "receivability", {"decision": "accept"})
    run_worker()
    return case


def _remove(stored):
    stored.file.storage.delete(stored.file.name)


def test_a_missing_piece_says_so_and_alerts_the_administrators(accepted, users, client, caplog):
    piece = accepted.pieces.order_by("pk").first()
    _remove(piece)
    mail.outbox.clear()
    client.force_login(users["jurist"])
    with caplog.at_level(logging.ERROR, logger="pnsr.files"):
        response = client.get(reverse("cases:piece_download", args=[accepted.reference, piece.pk]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "<h1>Fichier introuvable</h1>" in text and "Ce fichier est introuvable" in text
    assert "Page introuvable" not in text
    assert any(piece.file.name in r.getMessage() for r in caplog.records)
    [alert] = mail.outbox
    assert alert.to == ["exploitation@example.fr"] and piece.file.name in alert.body


def test_a_missing_document_says_so(accepted, users, client):
    document = accepted.documents.get(kind=DocumentKind.ACCUSE, status=DocumentStatus.READY)
    _remove(document)
    client.force_login(users["jurist"])
    response = client.get(reverse("documents:download", args=[accepted.reference, document.pk]))
    assert response.status_code == 404
    assert "Ce fichier est introuvable" in response.content.decode()


def test_the_lawyer_s_zip_names_the_missing_file(accepted, users, client):
    piece = accepted.pieces.order_by("pk").first()
    _remove(piece)
    client.force_login(users["jurist"])
    response = client.get(reverse("documents:case_file", args=[accepted.reference]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    readme = archive.read(MISSING_README).decode()
    assert f"pieces/01_{piece.original_name}" in readme
    assert "introuvables" in readme
    names = archive.namelist()
    assert f"pieces/01_{piece.original_name}" not in names
    assert len([n for n in names if n.startswith("pieces/")]) == accepted.pieces.count() - 1
