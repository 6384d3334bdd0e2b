"""Each document also as an editable ODT and DOCX (issue 21, « Formats and templates »):
made from its PDF's HTML by their own background task once the PDF is stored (the pages
say they are being prepared meanwhile; a failure is tried again and never loses the PDF),
kept beside it and as immutable, served with the PDF's access checks and journal;
`generate_document` picks the format from the file's extension. The copies are read back
with the parsers a word processor's files need (python-docx; odfpy and the ODF package
rules), and opened by LibreOffice when it is installed."""

import datetime
import hashlib
import io
import logging
import shutil
import subprocess
import zipfile
from pathlib import Path
from unittest import mock

import docx
import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from lxml import etree
from odf import teletype
from odf import text as odf_text
from odf.opendocument import load
from odf.style import Style

from cases import integrity
from cases.enums import AccessKind
from cases.formatting import long_date
from cases.models import AccessLog, AppendOnlyError
from documents import copies, formats, generation, services
from documents.enums import CopiesStatus, DocumentKind, DocumentStatus, EditableFormat
from documents.models import Document, EditableCopy
from tests.documents import DEBTOR
from tests.documents.test_services import run_worker
from tests.documents.test_templates import CASES, EXPECTED, flat

K = DocumentKind
pytestmark = pytest.mark.django_db

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A section heading of each document (an <h2> of its template).
HEADING = {
    K.AVIS: "Les faits",
    K.ACCUSE: "Décision sur la recevabilité",
    K.SAISINE_AVOCAT: "Les parties",
    K.PROJET_ECRITURES: "Parties",
    K.COMPTE_RENDU: "La décision",
    K.BORDEREAU: "Pièces communiquées",
    K.COMPTE_RENDU_ADJUDICATION: "L'adjudication",
}


def produced(users, kind, **kwargs):
    """A version of the document, rendered as the background worker renders it: its PDF,
    then its copies by the task the PDF queued."""
    case = CASES[kind](users, **kwargs)
    document = services.request_document(case, kind, users["head"], check=False)
    document = generation.generate(document.pk)
    assert document.status == DocumentStatus.READY, document.error
    run_worker()
    document.refresh_from_db()
    assert document.copies_status == CopiesStatus.READY
    return case, document


def copies_tasks(document):
    """The copies' tasks queued for the version, oldest first."""
    return [
        result
        for result in DBTaskResult.objects.filter(
            task_path=copies.generate_editable_copies.module_path
        ).order_by("enqueued_at")
        if result.args_kwargs["args"][0] == document.pk
    ]


def copy_bytes(document, file_format: str) -> bytes:
    copy = document.editable_copies.get(format=file_format)
    with copy.file.open("rb") as handle:
        return handle.read()


def docx_text(content: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The DOCX's text (paragraphs and table cells), and its (style, text) paragraphs."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return flat("\n".join([text for _, text in paragraphs] + cells)), paragraphs


def odt_text(content: bytes) -> tuple[str, list[str]]:
    """The ODT's text, and its headings' texts, through odfpy."""
    document = load(io.BytesIO(content))
    headings = [flat(teletype.extractText(h)) for h in document.getElementsByType(odf_text.H)]
    paragraphs = [flat(teletype.extractText(p)) for p in document.getElementsByType(odf_text.P)]
    return "\n".join(headings + paragraphs), headings


def pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        return flat("\n".join(p.extract_text() for p in pypdf.PdfReader(handle).pages))


@pytest.mark.parametrize("kind", K.values)
def test_each_document_comes_as_docx_and_odt_with_the_text_of_its_pdf(users, kind):
    case, document = produced(users, kind)
    label = K(kind).label
    # The same HTML: the date the PDF shows is the copies' date too.
    dated = f"Le {long_date(timezone.localdate())}"
    assert dated in pdf_text(document)
    heading = HEADING[kind]

    body, paragraphs = docx_text(copy_bytes(document, EditableFormat.DOCX))
    for expected in [label, case.reference, DEBTOR, dated, *EXPECTED[kind]]:
        assert flat(expected) in body, expected
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings[0].startswith(label)  # the title
    assert any(heading in text for text in headings[1:]), heading
    # The PDF's running header (its page furniture) is not a stray first line.
    assert f"{case.reference} — {label} — version" not in body

    content = copy_bytes(document, EditableFormat.ODT)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        first = package.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert package.read("mimetype") == ODT_MIMETYPE
        etree.fromstring(package.read("content.xml"))  # well-formed
    body, headings = odt_text(content)
    for expected in [label, case.reference, DEBTOR, dated, *EXPECTED[kind]]:
        assert flat(expected) in body, expected
    assert headings[0].startswith(label)
    assert any(heading in text for text in headings[1:]), heading


def test_the_copies_are_kept_as_the_pdf_is_hashed_and_immutable(users, tmp_path):
    case, document = produced(users, K.BORDEREAU)
    copies = {copy.format: copy for copy in document.editable_copies.all()}
    assert set(copies) == set(EditableFormat.values)
    for copy in copies.values():
        with copy.file.open("rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == copy.sha256 and len(content) == copy.size
        assert copy.file.name.endswith(f"bordereau-v{document.version}.{copy.format}")
        with pytest.raises(AppendOnlyError):
            copy.save()
        with pytest.raises(AppendOnlyError):
            EditableCopy.objects.get(pk=copy.pk).delete()
    # Nor may the database row be rewritten behind the model's back (a trigger).
    rows = EditableCopy.objects.filter(pk=copies[EditableFormat.ODT].pk)
    for values in ({"sha256": "0" * 64}, {"file": "documents/autre.odt"}):
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            rows.update(**values)
    # A copy altered on the storage is found by the integrity check.
    docx_copy = copies[EditableFormat.DOCX]
    Path(docx_copy.file.path).write_bytes(b"PK altered")
    problems = [str(problem) for problem in integrity.file_problems()]
    assert any("copie DOCX" in problem and case.reference in problem for problem in problems)


def test_a_draft_keeps_its_projet_banner_and_its_signature_block(users):
    _, document = produced(users, K.AVIS, validate=False)
    body, paragraphs = docx_text(copy_bytes(document, EditableFormat.DOCX))
    assert "PROJET" in body and "n'est pas encore validé par le chef du pôle" in body
    warning = next(p for p in docx.Document(io.BytesIO(copy_bytes(document, "docx"))).paragraphs
                   if "PROJET" in p.text and "validé" in p.text)  # fmt: skip
    assert warning.style.name == "Avertissement"
    assert any(run.bold and run.text.strip() == "PROJET" for run in warning.runs)
    signature = [text for style, text in paragraphs if style == "Signature"]
    assert any("Avis rédigé par Sophie Delorme, expert" in text for text in signature)
    assert any("Non encore validé par le chef du pôle" in text for text in signature)
    body, _ = odt_text(copy_bytes(document, EditableFormat.ODT))
    assert "PROJET" in body and "Non encore validé par le chef du pôle" in body
    styles = load(io.BytesIO(copy_bytes(document, EditableFormat.ODT))).styles
    defined = {style.getAttribute("name") for style in styles.getElementsByType(Style)}
    assert {"Signature", "Avertissement", "Destinataires"} <= defined


def test_a_draft_pleading_keeps_its_projet_notice_boxed(users):
    _, document = produced(users, K.PROJET_ECRITURES)
    _, paragraphs = docx_text(copy_bytes(document, EditableFormat.DOCX))
    assert paragraphs[0] == ("Émetteur", "Direction générale des Finances publiques")
    assert any(
        style == "Encadré" and text.startswith("PROJET établi par le pôle")
        for style, text in paragraphs
    )
    assert (
        paragraphs[next(i for i, (s, _) in enumerate(paragraphs) if s == "Heading 1")][1]
        == "Projet d'écritures PROJET"
    )


def documents_page(client, case) -> str:
    return client.get(reverse("documents:case", args=[case.reference])).content.decode()


def case_page(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.reference])).content.decode()


def test_the_pdf_is_ready_first_and_its_copies_follow_in_their_own_task(users, client):
    case = CASES[K.BORDEREAU](users)
    document = services.request_document(case, K.BORDEREAU, users["head"], check=False)
    document = generation.generate(document.pk)
    # The PDF alone: stored, downloadable; the copies queued, not made.
    assert document.status == DocumentStatus.READY and document.file
    assert document.copies_status == CopiesStatus.PENDING
    assert not document.editable_copies.exists() and len(copies_tasks(document)) == 1
    copy_urls = [
        reverse("documents:download_as", args=[case.reference, document.pk, f])
        for f in EditableFormat.values
    ]
    client.force_login(users["jurist"])
    pdf_url = reverse("documents:download", args=[case.reference, document.pk])
    assert client.get(pdf_url).status_code == 200
    assert all(client.get(url).status_code == 404 for url in copy_urls)
    page = documents_page(client, case)
    assert "Version modifiable (ODT, DOCX) en préparation" in page
    assert 'data-copies="1"' in page  # the list refreshes itself until they are there
    assert not any(f'href="{url}"' in page for url in copy_urls)
    assert "version modifiable en préparation" in case_page(client, case)

    run_worker()
    document.refresh_from_db()
    assert document.copies_status == CopiesStatus.READY
    assert {c.format for c in document.editable_copies.all()} == set(EditableFormat.values)
    page = documents_page(client, case)
    assert "en préparation" not in page and 'data-copies="0"' in page
    assert all(f'href="{url}"' in page for url in copy_urls)
    assert "en préparation" not in case_page(client, case)
    assert all(client.get(url).status_code == 200 for url in copy_urls)


def test_the_copies_made_later_keep_the_date_of_the_pdf(users):
    case = CASES[K.BORDEREAU](users)
    document = services.request_document(case, K.BORDEREAU, users["head"], check=False)
    claimed = timezone.now() - datetime.timedelta(days=3)
    real_claim = generation._claim

    def claimed_three_days_ago(document_id):
        document = real_claim(document_id)
        Document.objects.filter(pk=document_id).update(claimed_at=claimed, heartbeat_at=claimed)
        document.claimed_at = claimed
        return document

    with mock.patch.object(generation, "_claim", claimed_three_days_ago):
        document = generation.generate(document.pk)
    run_worker()  # today
    document.refresh_from_db()
    then = f"Le {long_date(timezone.localdate(claimed))}"
    assert then in pdf_text(document)
    body, _ = docx_text(copy_bytes(document, EditableFormat.DOCX))
    assert then in body and f"Le {long_date(timezone.localdate())}" not in body


def test_a_failed_copy_keeps_the_pdf_is_tried_again_then_may_be_retried(
    users, client, monkeypatch, caplog
):
    case = CASES[K.BORDEREAU](users)
    document = services.request_document(case, K.BORDEREAU, users["head"], check=False)
    document = generation.generate(document.pk)
    pdf = (document.file.name, document.sha256)
    real = formats.convert

    def broken(html, file_format):
        raise RuntimeError("pandoc absent")

    monkeypatch.setattr(formats, "convert", broken)
    with caplog.at_level(logging.WARNING, logger="documents.copies"):
        run_worker()
    document.refresh_from_db()
    assert (document.status, document.file.name, document.sha256) == (DocumentStatus.READY, *pdf)
    assert document.copies_status == CopiesStatus.PENDING
    assert not document.editable_copies.exists()
    assert "tentative 1 sur 3" in caplog.text and "pandoc absent" in caplog.text
    # Tried again later (not at once: the batch worker left it waiting), attempt 2.
    _, again = copies_tasks(document)
    assert again.status == "READY" and again.args_kwargs["args"] == [document.pk, 2]
    assert again.run_after > timezone.now()

    # The last attempt fails too: marked failed, logged as an error, the PDF still there.
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="documents.copies"):
        assert copies.generate_copies(document.pk, attempt=3) == CopiesStatus.FAILED
    assert "après 3 tentatives" in caplog.text
    document.refresh_from_db()
    assert document.copies_failed and document.status == DocumentStatus.READY
    client.force_login(users["head"])
    page = documents_page(client, case)
    assert "Version modifiable (ODT, DOCX) indisponible" in page
    assert "Relancer la version modifiable" in page
    assert (
        client.get(reverse("documents:download", args=[case.reference, document.pk])).status_code
        == 200
    )

    monkeypatch.setattr(formats, "convert", real)
    retry = reverse("documents:retry", args=[case.reference, document.pk])
    assert client.post(retry).status_code == 302
    document.refresh_from_db()
    assert document.copies_status == CopiesStatus.PENDING
    assert "en préparation" in documents_page(client, case)
    run_worker()
    document.refresh_from_db()
    assert document.copies_status == CopiesStatus.READY and document.editable_copies.count() == 2
    assert (document.file.name, document.sha256) == pdf


def test_two_workers_at_once_store_each_copy_once(users, settings):
    """A second worker runs the same task while the first converts: each copy is stored
    once, and the first worker's files, stored too late, are deleted."""
    case = CASES[K.BORDEREAU](users)
    document = services.request_document(case, K.BORDEREAU, users["head"], check=False)
    document = generation.generate(document.pk)
    real = formats.convert
    calls = []

    def racing(html, file_format):
        calls.append(file_format)
        if len(calls) == 1:  # the first worker's first copy: the other runs it all now
            assert copies.generate_copies(document.pk) == CopiesStatus.READY
        return real(html, file_format)

    with mock.patch.object(formats, "convert", racing):
        assert copies.generate_copies(document.pk) == CopiesStatus.READY
    stored = {copy.format: copy.file.name for copy in document.editable_copies.all()}
    assert set(stored) == set(EditableFormat.values)
    folder = Path(settings.MEDIA_ROOT) / "documents" / case.reference
    on_disk = sorted(p.name for p in folder.iterdir() if p.suffix in (".odt", ".docx"))
    assert on_disk == sorted(Path(name).name for name in stored.values())
    # Once ready, a third run makes nothing.
    with mock.patch.object(formats, "convert", side_effect=AssertionError("made again")):
        assert copies.generate_copies(document.pk) == CopiesStatus.READY


def test_downloads_of_the_copies_follow_the_pdfs_access_and_journal(users, client):
    case, document = produced(users, K.BORDEREAU)
    urls = {
        "pdf": reverse("documents:download", args=[case.reference, document.pk]),
        **{
            f: reverse("documents:download_as", args=[case.reference, document.pk, f])
            for f in EditableFormat.values
        },
    }
    for role, status in [
        ("poste_agent", 200),
        ("jurist", 200),
        ("other_direction_agent", 404),
        ("other_poste_agent", 404),
        ("expert", 404),
    ]:
        client.force_login(users[role])
        for file_format, url in urls.items():
            response = client.get(url)
            assert response.status_code == status, (role, file_format)
            if status == 200:
                spec = formats.FORMATS[file_format]
                assert response["Content-Type"] == spec.content_type
                name = f"{case.reference}_bordereau_v{document.version}.{spec.extension}"
                assert f'filename="{name}"' in response["Content-Disposition"]
                b"".join(response.streaming_content)
    client.force_login(users["jurist"])
    assert client.get(urls["pdf"].rstrip("/") + "/rtf/").status_code == 404
    logged = AccessLog.objects.filter(
        kind=AccessKind.DOCUMENT_DOWNLOADED, user=users["jurist"], case=case
    ).values_list("target", flat=True)
    assert sorted(logged) == sorted([str(document), f"{document} (ODT)", f"{document} (DOCX)"])
    client.logout()
    assert client.get(urls["docx"]).status_code == 302
    # The documents page and the case page's panel offer the three.
    client.force_login(users["poste_agent"])
    for page in (
        reverse("documents:case", args=[case.reference]),
        reverse("cases:detail", args=[case.reference]),
    ):
        html = client.get(page).content.decode()
        for url in urls.values():
            assert f'href="{url}"' in html, (page, url)
        assert "ODT (modifiable)" in html and "DOCX (modifiable)" in html


def test_who_may_not_see_an_opinions_draft_pdf_gets_no_copy_of_it(users, client):
    case, document = produced(users, K.AVIS, validate=False)
    assert document.internal_work
    for role, status in [("head", 200), ("expert", 200), ("poste_agent", 404),
                         ("direction_agent", 404)]:  # fmt: skip
        client.force_login(users[role])
        for file_format in ("pdf", *EditableFormat.values):
            url = reverse("documents:download_as", args=[case.reference, document.pk, file_format])
            assert client.get(url).status_code == status, (role, file_format)


def test_a_copy_altered_on_the_storage_is_not_served(users, client):
    case, document = produced(users, K.BORDEREAU)
    copy = document.editable_copies.get(format=EditableFormat.ODT)
    Path(copy.file.path).write_bytes(b"PK not the copy")
    client.force_login(users["jurist"])
    url = reverse("documents:download_as", args=[case.reference, document.pk, "odt"])
    response = client.get(url)
    assert response.status_code == 500 and "a été modifié" in response.content.decode()


def test_generate_document_picks_the_format_from_the_extension(users, tmp_path):
    case = CASES[K.BORDEREAU](users)
    for name, check in [
        ("bordereau.pdf", lambda b: b.startswith(b"%PDF")),
        ("bordereau.odt", lambda b: b[30:38] == b"mimetype"),
        ("bordereau.DOCX", lambda b: case.reference in docx_text(b)[0]),
    ]:
        output = tmp_path / name
        call_command("generate_document", case.reference, "bordereau", "--output", str(output))
        assert check(output.read_bytes()), name
    for name in ("bordereau.rtf", "bordereau"):
        with pytest.raises(CommandError, match="Format de fichier inconnu") as error:
            call_command(
                "generate_document", case.reference, "bordereau", "--output", str(tmp_path / name)
            )
        assert error.value.returncode == 2
        assert ".pdf, .odt, .docx" in str(error.value)
        assert not (tmp_path / name).exists()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice n'est pas installé")
def test_libreoffice_opens_every_copy(users, tmp_path):
    """LibreOffice headless converts each copy of each document to a PDF that reads."""
    inputs = []
    for kind in K.values:
        case, document = produced(users, kind)
        for file_format in EditableFormat.values:
            path = tmp_path / f"{kind}.{file_format}"
            path.write_bytes(copy_bytes(document, file_format))
            inputs.append((path, case.reference))
    for file_format in EditableFormat.values:
        out = tmp_path / f"pdf-{file_format}"
        files = [path for path, _ in inputs if path.suffix == f".{file_format}"]
        result = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
            capture_output=True, text=True, timeout=240, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    for path, reference in inputs:
        converted = tmp_path / f"pdf-{path.suffix[1:]}" / f"{path.stem}.pdf"
        text = flat("\n".join(p.extract_text() for p in pypdf.PdfReader(converted).pages))
        assert reference in text, path.name
