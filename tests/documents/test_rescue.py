"""A version whose worker died is not « en cours » forever: the rescue queues it again,
its users may retry it once stalled; a storage error fails it with its cause; and the
rendering holds no transaction, so that nobody waits on it."""

import datetime
import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases.enums import Mode
from documents import generation, render, services
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document
from documents.tasks import RESCUED_PRIORITY, rescue_stalled
from tests.workflows.conftest import Journey

from .test_services import run_worker

K = DocumentKind


@pytest.fixture
def accepted(users, submitted_case, client):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    Journey(client, case).step(users["head"], "receivability", {"decision": "accept"})
    return case


def _worker_died_while_rendering(document: Document) -> Document:
    """What a SIGKILL leaves: the version claimed by a worker that shows no sign of life
    any more, its task never finished."""
    generation._claim(document.pk)
    run_worker()  # its task (claimed by the dead worker in reality) finds it taken: no-op
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING and document.claimed_at is not None
    return document


def _minutes_pass(document: Document, minutes: int = 10) -> None:
    past = timezone.now() - datetime.timedelta(minutes=minutes)
    Document.objects.filter(pk=document.pk).update(
        queued_at=past, heartbeat_at=past, claimed_at=past
    )


@pytest.mark.django_db
def test_a_version_whose_worker_died_is_queued_again_by_the_rescue(accepted):
    document = _worker_died_while_rendering(accepted.documents.get(kind=K.ACCUSE))
    assert rescue_stalled() == {"requeued": 0, "failed": 0}  # alive, as far as we know
    _minutes_pass(document)
    assert rescue_stalled() == {"requeued": 1, "failed": 0}
    assert rescue_stalled() == {"requeued": 0, "failed": 0}  # queued: not twice
    (queued,) = DBTaskResult.objects.filter(status="READY")
    assert queued.priority == RESCUED_PRIORITY  # it has waited longest: before new ones
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 2


@pytest.mark.django_db
def test_its_users_may_retry_a_stalled_version_from_the_page(accepted, users, client):
    document = _worker_died_while_rendering(accepted.documents.get(kind=K.ACCUSE))
    client.force_login(users["head"])
    page = reverse("documents:case", args=[accepted.reference])
    retry = reverse("documents:retry", args=[accepted.reference, document.pk])
    assert "Relancer" not in client.get(page).content.decode()  # just started
    client.post(retry)
    document.refresh_from_db()
    assert document.claimed_at is not None  # refused: the worker may be rendering it

    _minutes_pass(document)
    content = client.get(page).content.decode()
    assert "en cours depuis plusieurs minutes" in content and "Relancer" in content
    client.post(retry)
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY


@pytest.mark.django_db
def test_producing_again_a_stalled_version_queues_it_again(accepted, users):
    document = _worker_died_while_rendering(accepted.documents.get(kind=K.ACCUSE))
    _minutes_pass(document)
    again = services.request_document(accepted, K.ACCUSE, users["head"])
    assert again.pk == document.pk  # same data: the same version, queued again
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY


@pytest.mark.django_db
def test_a_late_worker_drops_its_result_once_the_version_was_queued_again(accepted, monkeypatch):
    """The worker thought dead was only slow: meanwhile the version was rescued and taken
    by another worker. The late result is dropped (no file of its own), the version stays
    with its new claim."""
    document = accepted.documents.get(kind=K.ACCUSE)
    real = render.html_to_pdf

    def slow(html):
        _minutes_pass(document)
        rescue_stalled()
        generation._claim(document.pk)  # another worker takes it
        return real(html)

    monkeypatch.setattr(render, "html_to_pdf", slow)
    generation.generate(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING and not document.file
    assert document.attempts == 2 and not document.is_stalled  # the new claim holds it
    folder = f"documents/{accepted.reference}"
    storage = FileSystemStorage(location=document.file.storage.location)
    assert not storage.exists(folder) or storage.listdir(folder)[1] == []


@pytest.mark.django_db
def test_interrupted_three_times_a_version_fails_and_says_so(accepted):
    document = accepted.documents.get(kind=K.ACCUSE)
    Document.objects.filter(pk=document.pk).update(attempts=generation.MAX_ATTEMPTS)
    _worker_died_while_rendering(document)
    _minutes_pass(document)
    assert rescue_stalled() == {"requeued": 0, "failed": 1}
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "interrompue" in document.error and not document.file


@pytest.mark.django_db
def test_a_storage_error_fails_the_version_with_its_cause(accepted, users, monkeypatch):
    def disk_full(self, name, content, max_length=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", disk_full)
    run_worker()
    document = accepted.documents.get(kind=K.ACCUSE)
    assert document.status == DocumentStatus.FAILED and not document.file
    assert "Enregistrement du fichier impossible" in document.error
    assert "No space left on device" in document.error
    monkeypatch.undo()
    services.retry(document, users["head"])
    run_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
