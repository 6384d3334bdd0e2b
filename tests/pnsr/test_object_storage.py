"""The stored files on an S3-compatible object store (S3_BUCKET; issue 25, « Runs as a
national service »), against a real S3-protocol server (tests/s3.py): a piece uploaded
through the pages lands in the bucket, private, and comes back only through the
access-checked download; a document is generated into it; an object altered or removed
in the bucket is refused at download and named by verify_integrity."""

import html
import io
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from storages.backends.s3 import S3Storage

from cases.enums import PieceKind
from cases.models import Piece
from cases.pieces import sample_pdf
from documents import copies as editable
from documents import generation, services
from documents.enums import CopiesStatus, DocumentKind, DocumentStatus
from pnsr.settings import file_storage
from tests.documents.test_templates import returned
from tests.factories import CaseFactory

OWNER_ONLY = [("CanonicalUser", "FULL_CONTROL")]


def verify_files() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_integrity", "--files-only", stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload_piece(client, user, case, content: bytes) -> Piece:
    client.force_login(user)
    response = client.post(
        reverse("cases:piece_add", args=[case.reference]),
        {
            "kind": PieceKind.values[0],
            "file": SimpleUploadedFile("releve.pdf", content, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return case.pieces.get(original_name="releve.pdf")


# --- The settings ------------------------------------------------------------------------


def test_without_s3_bucket_the_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    monkeypatch.delenv("DEFAULT_FILE_STORAGE_BACKEND", raising=False)
    assert file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_bucket_gives_a_private_bucket_that_never_overwrites(monkeypatch):
    monkeypatch.setenv("S3_BUCKET", "pnsr-fichiers")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.exemple.fr")
    monkeypatch.setenv("S3_REGION", "fr-par")
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "clé")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "secret")
    storage = file_storage()
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "pnsr-fichiers"
    assert options["endpoint_url"] == "https://s3.exemple.fr"
    assert options["region_name"] == "fr-par"
    assert (options["access_key"], options["secret_key"]) == ("clé", "secret")
    # No object of its own readable by anyone; no signed address that lasts.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True and options["querystring_expire"] <= 60
    assert options["file_overwrite"] is False


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DEFAULT_FILE_STORAGE_BACKEND": "storages.backends.s3.S3Storage"}, "S3_BUCKET"),
        ({"S3_BUCKET": "pnsr", "S3_ACCESS_KEY_ID": "clé"}, "S3_SECRET_ACCESS_KEY"),
    ],
)
def test_a_storage_configuration_that_cannot_work_stops_the_start(monkeypatch, variables, named):
    monkeypatch.delenv("S3_SECRET_ACCESS_KEY", raising=False)
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured) as refused:
        file_storage()
    assert named in str(refused.value)


# --- On the bucket -----------------------------------------------------------------------


def test_the_default_storage_is_the_bucket_and_never_overwrites_a_name(bucket):
    first = default_storage.save("essai/nom.txt", ContentFile(b"premier"))
    second = default_storage.save("essai/nom.txt", ContentFile(b"second"))
    assert isinstance(default_storage._wrapped, S3Storage)
    assert first == "essai/nom.txt" and second != first
    assert bucket.read(first) == b"premier" and bucket.read(second) == b"second"
    url = default_storage.url(first)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url


@pytest.mark.django_db
def test_a_piece_goes_to_the_bucket_and_comes_back_only_through_the_access_check(
    client, users, settings, bucket
):
    case = CaseFactory(created_by=users["poste_agent"])
    content = sample_pdf("Relevé de compte")
    piece = upload_piece(client, users["poste_agent"], case, content)
    assert bucket.names() == [piece.file.name]
    assert bucket.read(piece.file.name) == content
    assert bucket.grants(piece.file.name) == OWNER_ONLY
    assert media_files(settings) == []
    url = reverse("cases:piece_download", args=[case.reference, piece.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    client.force_login(users["other_direction_agent"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert verify_files() == (0, "fichiers : intact.\n")


@pytest.mark.django_db
def test_a_piece_altered_or_removed_in_the_bucket_is_refused_and_named(client, users, bucket):
    case = CaseFactory(created_by=users["poste_agent"])
    piece = upload_piece(client, users["poste_agent"], case, sample_pdf("Relevé"))
    url = reverse("cases:piece_download", args=[case.reference, piece.pk])
    bucket.put(piece.file.name, sample_pdf("Relevé falsifié"))
    response = client.get(url)
    assert response.status_code == 500
    assert f"Le fichier de {piece.integrity_label} a été modifié" in html.unescape(
        response.content.decode()
    )
    status, out = verify_files()
    assert status == 1 and "fichier modifié depuis son dépôt" in out and piece.file.name in out
    bucket.delete(piece.file.name)
    response = client.get(url)
    assert response.status_code == 404
    assert "Ce fichier est introuvable" in html.unescape(response.content.decode())
    status, out = verify_files()
    assert status == 1 and f"fichier absent du stockage ({piece.file.name})" in out


@pytest.mark.django_db
def test_a_document_is_generated_into_the_bucket_and_checked_there(client, users, bucket):
    case = returned(users)
    document = services.request_document(case, DocumentKind.ACCUSE, users["head"], check=False)
    document = generation.generate(document.pk)
    assert document.status == DocumentStatus.READY, document.error
    assert editable.generate_copies(document.pk) == CopiesStatus.READY  # their own task
    copies = [copy.file.name for copy in document.editable_copies.all()]
    assert len(copies) == 2
    assert document.file.name in bucket.names() and set(copies) <= set(bucket.names())
    assert bucket.grants(document.file.name) == OWNER_ONLY
    pdf = bucket.read(document.file.name)
    assert pdf.startswith(b"%PDF-")
    url = reverse("documents:download", args=[case.reference, document.pk])
    client.force_login(users["poste_agent"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    client.force_login(users["other_direction_agent"])
    assert client.get(url).status_code == 404
    assert verify_files()[0] == 0
    bucket.put(document.file.name, pdf.replace(b"%PDF-", b"%PDF-\n%altered", 1))
    client.force_login(users["poste_agent"])
    assert client.get(url).status_code == 500
    status, out = verify_files()
    assert status == 1 and f"fichier modifié depuis son dépôt ({document.file.name})" in out


@pytest.mark.django_db(transaction=True)
def test_a_backup_on_the_bucket_copies_the_database_and_says_the_files_are_not(
    tmp_path, bucket, reference_data
):
    default_storage.save("pieces/essai.pdf", ContentFile(sample_pdf("Relevé")))
    out = io.StringIO()
    call_command("backup", str(tmp_path / "copie"), stdout=out)
    assert "la base seule" in out.getvalue() and "S3_BUCKET" in out.getvalue()
    assert list((tmp_path / "copie" / "fichiers").rglob("*")) == []
