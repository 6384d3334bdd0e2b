"""Keeping documents: versions produced in the background by the worker, immutable, not
produced again for unchanged data, downloadable exactly as the case is visible."""

import hashlib
import io
import zipfile
from unittest import mock

import pikepdf
import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.enums import CaseStatus, Mode
from cases.models import AppendOnlyError
from cases.pieces import sample_pdf
from cases.services import add_piece_bytes
from documents import render, services
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document
from tests.workflows.conftest import Journey, open_step_names

K = DocumentKind
pytestmark = pytest.mark.django_db


def run_worker():
    """What `manage.py db_worker` does in production, for the documents' queue. (Between
    tasks the worker closes connections it deems stale, which inside a test's transaction
    would close the test's own: not here.)"""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _run_worker()


def _run_worker():
    call_command(
        "db_worker",
        "--backend",
        "documents",
        "--queue-name",
        "documents",
        "--batch",
        "--no-startup-delay",
        verbosity=0,
    )


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def accepted(users, submitted_case, client):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    Journey(client, case).step(users["head"], "receivability", {"decision": "accept"})
    return case


def test_the_receivability_decision_produces_the_receipt_in_the_background(accepted, users):
    document = accepted.documents.get(kind=K.ACCUSE)
    assert (document.version, document.status) == (1, DocumentStatus.PENDING)
    assert not document.file  # nothing rendered in the request
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    with document.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == document.sha256 and len(content) == document.size
    assert accepted.reference in pdf_text(document)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert pdf.open_metadata().pdfa_status == "3A"


def test_unchanged_data_is_not_produced_again_and_a_change_makes_a_new_version(
    users, submitted_case, client
):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    first = services.request_document(case, K.BORDEREAU, users["head"])
    again = services.request_document(case, K.BORDEREAU, users["head"])
    assert again.pk == first.pk and case.documents.filter(kind=K.BORDEREAU).count() == 1
    # Returned for completion, the referring side adds a piece: the inventory changes.
    Journey(client, case).step(
        users["head"],
        "receivability",
        {"decision": "return", "grounds": ["pieces"], "missing": "Courrier"},
    )
    add_piece_bytes(
        users["poste_agent"],
        case,
        "autre",
        "courrier.pdf",
        sample_pdf("Courrier"),
        description="Courrier du notaire",
    )
    second = services.request_document(case, K.BORDEREAU, users["head"])
    assert second.version == 2 and second.inputs_sha256 != first.inputs_sha256
    run_worker()
    first.refresh_from_db()
    second.refresh_from_db()
    assert "Courrier du notaire" in pdf_text(second)
    assert "Courrier du notaire" not in pdf_text(first)


def test_a_produced_version_never_changes(accepted):
    run_worker()
    document = accepted.documents.get(kind=K.ACCUSE)
    document.snapshot = {**document.snapshot, "reference": "falsifié"}
    with pytest.raises(AppendOnlyError):
        document.save()
    with pytest.raises(AppendOnlyError):
        Document.objects.get(pk=document.pk).delete()


def test_the_head_validates_a_version_which_is_then_frozen(accepted, users, client):
    run_worker()
    document = accepted.documents.get(kind=K.ACCUSE)
    client.force_login(users["jurist"])
    client.post(reverse("documents:validate", args=[accepted.reference, document.pk]))
    document.refresh_from_db()
    assert document.validated_at is None
    client.force_login(users["head"])
    client.post(reverse("documents:validate", args=[accepted.reference, document.pk]))
    document.refresh_from_db()
    assert document.validated_by == users["head"]
    page = client.get(reverse("documents:case", args=[accepted.reference])).content.decode()
    assert f"Validé par {users['head']}" in page
    with pytest.raises(ValidationError):
        services.validate(document, users["head"])


def test_downloads_follow_case_access(accepted, users, client):
    run_worker()
    document = accepted.documents.get(kind=K.ACCUSE)
    url = reverse("documents:download", args=[accepted.reference, document.pk])
    for role, status in [
        ("poste_agent", 200),
        ("direction_agent", 200),
        ("jurist", 200),
        ("other_direction_agent", 404),
        ("other_poste_agent", 404),
        ("expert", 404),
    ]:
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
    client.logout()
    assert client.get(url).status_code == 302


def test_a_failed_generation_shows_its_error_keeps_no_file_and_can_be_retried(
    accepted, users, client, monkeypatch, settings
):
    def broken(html):
        raise RuntimeError("police introuvable")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    run_worker()
    document = accepted.documents.get(kind=K.ACCUSE)
    assert document.status == DocumentStatus.FAILED and not document.file
    assert "police introuvable" in document.error
    client.force_login(users["head"])
    page = client.get(reverse("documents:case", args=[accepted.reference])).content.decode()
    assert "échec" in page and "police introuvable" in page and "Relancer" in page
    monkeypatch.undo()
    client.post(reverse("documents:retry", args=[accepted.reference, document.pk]))
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 2


def test_producing_from_the_page_is_pending_then_ready(accepted, users, client):
    client.force_login(users["head"])
    response = client.post(reverse("documents:produce", args=[accepted.reference, "bordereau"]))
    assert response.status_code == 302
    page = client.get(reverse("documents:case", args=[accepted.reference])).content.decode()
    # No reload of the page: its polite live region says the production is running, and
    # the list (documents:status, which the page asks for) tells when it is done.
    assert "en cours" in page and 'http-equiv="refresh"' not in page
    assert "Production en cours" in page and 'data-pending="1"' in page
    status = reverse("documents:status", args=[accepted.reference])
    assert 'data-pending="1"' in client.get(status).content.decode()
    run_worker()
    listed = client.get(status).content.decode()
    assert 'data-pending="0"' in listed and "PDF (" in listed
    # Not yet possible: a French reason, nothing created.
    client.post(reverse("documents:produce", args=[accepted.reference, "compte_rendu"]))
    assert not accepted.documents.filter(kind=K.COMPTE_RENDU).exists()
    # The referring side may not produce the pôle's documents.
    client.force_login(users["poste_agent"])
    client.post(reverse("documents:produce", args=[accepted.reference, "avis"]))
    assert not accepted.documents.filter(kind=K.AVIS).exists()


def test_the_case_file_zip_has_the_documents_and_the_pieces(accepted, users, client):
    run_worker()
    client.force_login(users["jurist"])
    response = client.get(reverse("documents:case_file", args=[accepted.reference]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert f"documents/{accepted.reference}_accuse_v1.pdf" in names
    assert len([n for n in names if n.startswith("pieces/")]) == accepted.pieces.count()
    client.force_login(users["other_direction_agent"])
    assert client.get(reverse("documents:case_file", args=[accepted.reference])).status_code == 404


def test_draft_pleadings_are_edited_section_by_section(users, submitted_case, client):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    journey = Journey(client, case)
    journey.step(users["head"], "receivability", {"decision": "accept"})
    journey.step(users["head"], "assignment", {"jurist": users["jurist"].pk})
    assert case.status == CaseStatus.TAKEN_OVER and open_step_names(case) == ["mandate_lawyer"]
    client.force_login(users["jurist"])
    url = reverse("documents:pleadings", args=[case.reference])
    form = client.get(url).context["form"]
    assert len(form.fields) >= 3
    data = {name: field.initial for name, field in form.fields.items()}
    first = next(iter(form.fields))
    data[first] = "Texte revu par la juriste : Mme la présidente."
    assert client.post(url, data).status_code == 302
    run_worker()
    document = case.documents.get(kind=K.PROJET_ECRITURES)
    assert "Texte revu par la juriste" in pdf_text(document)
    # The next edit starts from the last version's text.
    assert client.get(url).context["form"].fields[first].initial.startswith("Texte revu")


def test_generate_document_command(accepted, tmp_path):
    output = tmp_path / "accuse.pdf"
    call_command("generate_document", accepted.reference, "accuse", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    for args, message in [
        (["PNSR-1999-000001", "accuse"], "Dossier introuvable"),
        ([accepted.reference, "facture"], "Document inconnu"),
        ([accepted.reference, "compte_rendu"], "impossible"),
    ]:
        with pytest.raises(CommandError, match=message) as error:
            call_command("generate_document", *args, "--output", str(output))
        assert error.value.returncode == 2
