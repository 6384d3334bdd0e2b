"""`manage.py backup`, then `manage.py restore` into a fresh database and an empty files
directory: the copy holds every piece, attachment and document, and `verify_integrity`
finds it intact (exit statuses need real processes: the restored copy is another
database, with its own settings)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from cases.enums import CaseStatus
from cases.models import MessageAttachment, Piece
from cases.pieces import sample_pdf
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document
from tests import database
from tests.factories import CaseFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ON_PG = connection.vendor == "postgresql"
LIST_FILES = (
    "import json; from cases.models import Piece, MessageAttachment; "
    "from documents.models import Document; print(json.dumps(sorted("
    "[m.__name__, o.file.name, o.sha256] for m in (Piece, MessageAttachment, Document) "
    "for o in m.objects.all())))"
)


def _files_here() -> list:
    return sorted(
        [m.__name__, o.file.name, o.sha256]
        for m in (Piece, MessageAttachment, Document)
        for o in m.objects.all()
    )


@pytest.fixture
def restored(request, tmp_path):
    """Settings of a fresh database and files directory to restore into, for the
    processes that restore and check (as the tables' owner, as a restoration runs)."""
    media = tmp_path / "restauré" / "fichiers"
    env = {**os.environ, "PNSR_VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(media)}
    if not ON_PG:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restauré' / 'base.sqlite3'}"
        yield env
        return
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump et pg_restore sont introuvables sur cette machine")
    owner = database.OWNER
    name = f"{owner['NAME']}_restored"[:63]
    admin = database.owner_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            cursor.execute(f"CREATE DATABASE {name}")
        password = f":{owner['PASSWORD']}" if owner.get("PASSWORD") else ""
        env["DATABASE_URL"] = (
            f"postgres://{owner['USER']}{password}@{owner['HOST'] or '127.0.0.1'}:"
            f"{owner['PORT'] or 5432}/{name}"
        )
        yield env
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
    finally:
        admin.close()


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def committed(transactional_db):
    """A backup copies what is committed (and outside any transaction): the test commits,
    and loads again the reference data the flush between such tests takes."""
    call_command(
        "loaddata", "directions", "action_types", "postes_comptables", "lawyers", verbosity=0
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_has_every_file_intact(
    committed, users, restored, tmp_path
):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    message = case.messages.create(author=users["jurist"], author_label="J", body="Projet")
    attachment_bytes = sample_pdf("Projet")
    attachment = MessageAttachment(message=message, original_name="projet.pdf",
                                   size=len(attachment_bytes), content_type="application/pdf",
                                   sha256=hashlib.sha256(attachment_bytes).hexdigest())  # fmt: skip
    attachment.file.save("projet", ContentFile(attachment_bytes), save=True)
    pdf = sample_pdf("Accusé")
    document = Document(case=case, kind=DocumentKind.ACCUSE, version=1, snapshot={},
                        inputs_sha256="x", status=DocumentStatus.READY, size=len(pdf),
                        sha256=hashlib.sha256(pdf).hexdigest(),
                        requested_by=users["jurist"])  # fmt: skip
    document.file.save("accuse.pdf", ContentFile(pdf), save=False)
    document.save()
    expected = _files_here()
    assert len([f for f in expected if f[0] == "Piece"]) == case.pieces.count() > 0

    copy = tmp_path / "sauvegarde"
    out = io.StringIO()
    call_command("backup", str(copy), stdout=out)
    assert f"{len(expected)} fichier(s)" in out.getvalue()

    result = manage(restored, "restore", str(copy))
    assert result.returncode == 0, result.stderr
    check = manage(restored, "verify_integrity")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "historique : intact." in check.stdout and "fichiers : intact." in check.stdout
    listed = manage(restored, "shell", "-c", LIST_FILES)
    assert json.loads(listed.stdout.strip().splitlines()[-1]) == expected

    # The check reads the restored copy: a file missing there is named.
    piece = case.pieces.order_by("pk").first()
    (Path(restored["MEDIA_ROOT"]) / piece.file.name).unlink()
    check = manage(restored, "verify_integrity", "--quiet")
    assert check.returncode == 1
    assert f"la pièce n° {piece.pk}" in check.stdout and "fichier absent" in check.stdout


def test_a_backup_goes_into_a_new_directory(tmp_path):
    (tmp_path / "ancienne").mkdir()
    (tmp_path / "ancienne" / "x").write_text("x")
    with pytest.raises(CommandError) as refused:
        call_command("backup", str(tmp_path / "ancienne"))
    assert refused.value.returncode == 2
    assert "n'est pas vide" in str(refused.value)
