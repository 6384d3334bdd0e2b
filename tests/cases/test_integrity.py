"""Tamper evidence: an altered or back-dated history entry, a replaced file, are found by
`manage.py verify_integrity` (exit status 1, what was altered named in French), and a
replaced file is refused at download, the administrators told."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import html
import importlib
import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import chain, integrity
from cases.enums import CaseStatus, EventKind
from cases.models import CaseEvent, MessageAttachment, TamperAlert
from cases.pieces import sample_pdf
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document
from tests import database
from tests.api.conftest import client_for
from tests.factories import CaseFactory

ON_PG = connection.vendor == "postgresql"
append_only = importlib.import_module("cases.migrations.0002_caseevent_append_only")


def verify(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_integrity", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def case(users):
    return CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])


# --- The history ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_entry_is_chained_to_the_previous_one_of_its_case(case, users):
    other = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    CaseEvent.record(other, users["jurist"], EventKind.UPDATED, "Note")
    CaseEvent.record(case, users["jurist"], EventKind.UPDATED, "Note", data={"b": 1, "a": [2]})
    for one in (case, other):
        events = list(one.events.order_by("pk"))
        assert events[0].previous_hash == ""
        for before, after in zip(events, events[1:], strict=False):
            assert after.previous_hash == before.entry_hash
    assert verify() == (0, "historique : intact.\nfichiers : intact.\n")


@contextlib.contextmanager
def owner_cursor():
    """A cursor as the tables' owner: on PostgreSQL a connection of its own (the tests
    run as the application role, which may do none of this), on SQLite the test's."""
    if not ON_PG:
        with connection.cursor() as cursor:
            yield cursor
        return
    owner = database.owner_connection()
    try:
        with owner.cursor() as cursor:
            yield cursor
    finally:
        owner.close()


def rewrite_as_owner(sql: str, params: list) -> None:
    """What the owner of the tables could do: the append-only trigger out of the way for
    one statement."""
    with owner_cursor() as cursor:
        if ON_PG:
            trigger = "TRIGGER cases_caseevent_append_only"
            cursor.execute("BEGIN")
            cursor.execute(f"ALTER TABLE cases_caseevent DISABLE {trigger}")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE cases_caseevent ENABLE {trigger}")
            cursor.execute("COMMIT")
        else:
            cursor.execute("DROP TRIGGER cases_caseevent_no_update")
            cursor.execute(sql, params)
            cursor.execute(append_only.SQLITE[0])


@pytest.fixture
def committed(request):
    """On PostgreSQL the owner's connection must see the test's rows: the test commits
    (transactional), and the reference data the flush took is loaded again."""
    if ON_PG:
        request.getfixturevalue("transactional_db")
        call_command(
            "loaddata", "directions", "action_types", "postes_comptables", "lawyers", verbosity=0
        )
    else:
        request.getfixturevalue("db")


@pytest.mark.django_db(transaction=ON_PG)
@pytest.mark.parametrize(
    "column, value",
    [("summary", "Dossier classé sans suite"), ("data", '{"amount": "1"}'), ("actor_id", None)],
)
def test_an_entry_rewritten_by_the_owner_is_named(committed, users, column, value):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    event = case.events.order_by("pk")[1]
    assert verify()[0] == 0
    rewrite_as_owner(f"UPDATE cases_caseevent SET {column} = %s WHERE id = %s", [value, event.pk])
    status, out = verify("--history-only")
    assert status == 1
    assert f"ALTÉRÉ — le dossier {case.reference}, entrée n° {event.pk}" in out
    assert "contenu modifié" in out
    assert out.count("ALTÉRÉ") == 1  # the entries after it still link to its stored hash


@pytest.mark.django_db(transaction=ON_PG)
def test_an_entry_whose_hashes_are_recomputed_breaks_the_next_link(committed, users):
    """The rewriter recomputes the altered entry's own hash: the next entry, which holds
    the old one, gives it away."""
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    first, second = case.events.order_by("pk")[:2]
    row = CaseEvent.objects.filter(pk=first.pk).values().get()
    row["summary"] = "Réécrit"
    forged = chain.entry_hash(row)
    rewrite_as_owner(
        "UPDATE cases_caseevent SET summary = %s, entry_hash = %s WHERE id = %s",
        ["Réécrit", forged, first.pk],
    )
    status, out = verify("--history-only")
    assert status == 1
    assert f"le dossier {case.reference}, entrée n° {second.pk}" in out
    assert "chaînage rompu" in out


def _insert(case, at, previous_hash, entry_hash, summary="Décision favorable") -> None:
    """An INSERT any holder of the application's database password could run."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, at, actor_label, kind, transition, "
            "source_status, target_status, summary, reason, data, previous_hash, entry_hash) "
            "VALUES (%s, %s, '', 'updated', '', '', '', %s, '', '{}', %s, %s)",
            [case.pk, at, summary, previous_hash, entry_hash],
        )


@pytest.mark.django_db
def test_an_event_inserted_behind_the_applications_back_is_named(case):
    last = case.events.order_by("pk").last()
    _insert(case, last.at - datetime.timedelta(days=30), last.entry_hash, "0" * 64)
    status, out = verify("--history-only")
    assert status == 1
    assert f"le dossier {case.reference}" in out and "contenu modifié" in out


@pytest.mark.django_db
def test_a_back_dated_event_with_well_computed_hashes_is_named(case):
    """Whoever knows the algorithm can chain a forged entry; its date still gives it away:
    the application only ever appends entries dated now."""
    last = case.events.order_by("pk").last()
    at = last.at - datetime.timedelta(days=30)
    fields = {"case_id": case.pk, "at": at, "actor_id": None, "data": {}, "kind": "updated",
              "summary": "Décision favorable", "previous_hash": last.entry_hash}  # fmt: skip
    _insert(case, at, last.entry_hash, chain.entry_hash(fields))
    status, out = verify("--history-only")
    assert status == 1
    assert f"le dossier {case.reference}" in out and "antidatée" in out


def test_the_canonical_content_is_stable_and_sorted():
    at = datetime.datetime(2025, 3, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    content = json.loads(
        chain.canonical(
            case_id=7,
            at=at,
            actor_id=None,
            data={"b": (1,), "a": 2},
            previous_hash="",
            summary="Créé",
        )  # fmt: skip
    )
    assert content["at"] == "2025-03-01T09:00:00.000000+00:00"
    assert content["data"] == {"a": 2, "b": [1]}
    assert list(content) == sorted(content)


# --- Stored files --------------------------------------------------------------------------


@pytest.fixture
def admin_email(users):
    users["admin"].email = "admin@exemple.fr"
    users["admin"].save()
    return users["admin"].email


def replace_bytes(stored) -> None:
    with open(stored.file.path, "wb") as handle:
        handle.write(sample_pdf("Pièce falsifiée"))


def assert_refused(response, label: str, admin_email: str, alerted: bool = True) -> None:
    assert response.status_code == 500
    page = html.unescape(response.content.decode())
    assert "Fichier refusé" in page and f"Le fichier de {label} a été modifié" in page
    assert [m.to for m in mail.outbox] == ([[admin_email]] if alerted else [])
    if alerted:
        assert label in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_replaced_piece_is_refused_and_named(client, users, case, admin_email):
    piece = case.pieces.order_by("pk").first()
    url = reverse("cases:piece_download", args=[case.reference, piece.pk])
    client.force_login(users["direction_agent"])
    assert client.get(url).status_code == 200
    replace_bytes(piece)
    assert_refused(client.get(url), piece.integrity_label, admin_email)
    status, out = verify("--files-only")
    assert status == 1
    assert f"ALTÉRÉ — la pièce n° {piece.pk} « {piece.original_name} » du dossier" in out
    assert case.reference in out and "fichier modifié" in out


@pytest.mark.django_db
def test_a_download_refused_again_and_again_alerts_once_an_hour(client, users, case, admin_email):
    """The refusal every time; the administrators' mailbox once per file and per hour,
    whichever process refuses it (the last alert is a row, not a process's memory)."""
    first, second = case.pieces.order_by("pk")[:2]
    for piece in (first, second):
        replace_bytes(piece)
    client.force_login(users["direction_agent"])
    url = reverse("cases:piece_download", args=[case.reference, first.pk])
    assert_refused(client.get(url), first.integrity_label, admin_email)
    for _ in range(3):
        mail.outbox.clear()
        assert_refused(client.get(url), first.integrity_label, admin_email, alerted=False)
    # Another altered file: its own alert.
    other = reverse("cases:piece_download", args=[case.reference, second.pk])
    assert_refused(client.get(other), second.integrity_label, admin_email)
    # An hour later, the first one is announced again.
    mail.outbox.clear()
    TamperAlert.objects.filter(file_name=first.file.name).update(
        alerted_at=timezone.now() - integrity.ALERT_EVERY
    )
    assert_refused(client.get(url), first.integrity_label, admin_email)


@pytest.mark.django_db
def test_a_replaced_attachment_is_refused(client, users, case, admin_email):
    message = case.messages.create(author=users["jurist"], author_label="J", body="Projet")
    attachment = MessageAttachment(message=message, original_name="projet.pdf", size=10,
                                   content_type="application/pdf", sha256="0" * 64)  # fmt: skip
    attachment.file.save("projet", ContentFile(b"%PDF-1.4 x"), save=True)
    client.force_login(users["poste_agent"])
    url = reverse("cases:attachment_download", args=[case.reference, attachment.pk])
    assert_refused(client.get(url), attachment.integrity_label, admin_email)
    assert f"la pièce jointe n° {attachment.pk}" in verify("--files-only")[1]


@pytest.fixture
def document(case, users):
    content = sample_pdf("Accusé de réception")
    document = Document(case=case, kind=DocumentKind.ACCUSE, version=1, snapshot={},
                        inputs_sha256="x", status=DocumentStatus.READY, size=len(content),
                        requested_by=users["jurist"])  # fmt: skip
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.file.save("accuse.pdf", ContentFile(content), save=False)
    document.save()
    return document


@pytest.mark.django_db
def test_a_replaced_document_is_refused_on_the_site_the_api_and_in_the_zip(
    client, users, case, document, admin_email
):
    client.force_login(users["jurist"])
    url = reverse("documents:download", args=[case.reference, document.pk])
    zip_url = reverse("documents:case_file", args=[case.reference])
    assert client.get(url).status_code == 200
    names = zipfile.ZipFile(io.BytesIO(client.get(zip_url).content)).namelist()
    assert f"documents/{document.filename}" in names
    replace_bytes(document)
    assert_refused(client.get(url), document.integrity_label, admin_email)
    mail.outbox.clear()  # the same file: its administrators were told within the hour
    assert_refused(client.get(zip_url), document.integrity_label, admin_email, alerted=False)
    api = client_for(users["jurist"])
    response = api.get(f"/api/v1/cases/{case.reference}/documents/{document.pk}/download/")
    assert response.status_code == 500
    assert "a été modifié" in response.json()["detail"]
    status, out = verify("--files-only")
    assert status == 1 and f"le document « {document.get_kind_display()} » v1" in out


@pytest.mark.django_db
def test_a_missing_file_is_named(case):
    piece = case.pieces.first()
    piece.file.storage.delete(piece.file.name)
    status, out = verify("--files-only")
    assert status == 1 and "fichier absent du stockage" in out


class RecordingFile(io.BytesIO):
    def __init__(self, content: bytes):
        super().__init__(content)
        self.reads: list[int] = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def test_a_big_file_is_hashed_in_chunks():
    """20 MB are never read at once: at most CHUNK bytes per read."""
    content = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)
    handle = RecordingFile(content)
    assert integrity.digest(handle) == hashlib.sha256(content).hexdigest()
    assert len(handle.reads) > 20 and set(handle.reads) == {integrity.CHUNK}
