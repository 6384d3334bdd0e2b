"""The background workers (`run_worker`): they survive a database outage, keep to their
queue, and what a dead worker left behind is taken up again by the rescue."""

import datetime
import io
import logging
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from cases.enums import Mode
from documents import services
from documents.enums import DocumentStatus
from documents.models import Document
from documents.tasks import generate_document
from notifications.enums import Channel, DeliveryState
from notifications.models import Notification
from notifications.tasks import deliver_due_notifications, rescue_delivery
from tests.documents.test_services import run_worker as run_documents_worker
from tests.notifications.walk import fire
from worker import loop
from worker.models import WorkerProcess
from worker.rescue import WORKER_LOST, rescue

pytestmark = pytest.mark.django_db
DELIVERY = deliver_due_notifications.module_path


@pytest.fixture
def database_tasks(settings):
    """Production's tasks: one database backend, its two queues."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "documents"],
        },
        "documents": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["documents"]},
    }


def make_worker(queue="default", backend="default", **kwargs) -> loop.ResilientWorker:
    return loop.ResilientWorker(
        queue_names=[queue],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{queue}",
        excluded_queue_names=[],
        heartbeat=False,
        **kwargs,
    )


@pytest.fixture
def no_reconnect(monkeypatch):
    """Between tasks the worker closes stale connections, and after an outage all of
    them: inside a test's transaction that would close the test's own."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    monkeypatch.setattr(loop.ResilientWorker, "reconnect", lambda self: None)


def _claimed_by(result_id, worker_id: str, minutes_ago: int = 5) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=result_id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return result


def test_the_worker_survives_a_database_outage_and_completes_its_task(
    users, submitted_case, no_reconnect, monkeypatch, caplog
):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    document = services.request_document(case, "bordereau", users["head"])
    real = DBTaskResultQuerySet.get_locked
    outage = iter([True, True, True])  # the database is away for three tries

    def get_locked(self):
        if next(outage, False):
            raise OperationalError("server closed the connection unexpectedly")
        return real(self)

    slept = []
    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    monkeypatch.setattr(loop.time, "sleep", slept.append)
    worker = make_worker(queue="documents", backend="documents")
    with caplog.at_level(logging.WARNING, logger="worker"):
        worker.run()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY  # it resumed and did its work
    assert slept == [1, 2, 4] and worker.outages == 3  # backing off, not exiting
    assert "Base de données injoignable (OperationalError" in caplog.text


def test_a_task_whose_worker_died_is_run_again(database_tasks, mail_users, make_case, mailoutbox):
    """A worker killed while sending: its delivery stays RUNNING, the emails wait for it.
    The rescue fails it and queues it again; the next worker sends them."""
    fire(make_case(), mail_users, "submit")  # committed outbox rows, no delivery queued
    killed = deliver_due_notifications.enqueue()
    _claimed_by(killed.id, "killed-worker")
    assert rescue()["tasks"] == 1
    assert rescue()["tasks"] == 0  # not twice
    killed_row = DBTaskResult.objects.get(pk=killed.id)
    assert (killed_row.status, killed_row.exception_class_path) == ("FAILED", WORKER_LOST)
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        make_worker().run()
    immediate = Notification.objects.filter(channel=Channel.IMMEDIATE)
    assert immediate.exists() and all(n.state == DeliveryState.SENT for n in immediate)
    assert len(mailoutbox) == immediate.count()


def test_a_task_of_a_live_worker_is_left_alone(database_tasks):
    running = deliver_due_notifications.enqueue()
    _claimed_by(running.id, "live-worker")
    WorkerProcess.objects.create(
        worker_id="live-worker",
        queues="default",
        hostname="h",
        pid=1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        current_task=running.id,
    )
    assert rescue()["tasks"] == 0
    # Alive, but running something else: this one was interrupted (a database outage).
    WorkerProcess.objects.update(current_task=None)
    assert rescue()["tasks"] == 1


def test_a_lost_delivery_is_scheduled_by_the_rescue(database_tasks, mail_users, make_case):
    """Emails waiting and no delivery queued (the chain of deliveries broken): the rescue
    queues one, not by chance of a next event."""
    fire(make_case(), mail_users, "submit")
    assert not DBTaskResult.objects.exists()
    assert rescue_delivery() is True
    assert DBTaskResult.objects.filter(task_path=DELIVERY, status="READY").count() == 1
    assert rescue_delivery() is False


def test_emails_and_documents_keep_to_their_own_queue(
    database_tasks, users, submitted_case, monkeypatch
):
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    document = services.request_document(case, "bordereau", users["head"])
    delivery = deliver_due_notifications.enqueue()
    make_worker("documents", backend="documents").run()  # the PDFs' worker
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert DBTaskResult.objects.get(pk=delivery.id).status == "READY"  # not its queue
    rendering = generate_document.using(backend="default").enqueue(document.pk)
    make_worker("default").run()  # the emails' worker
    assert DBTaskResult.objects.get(pk=delivery.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=rendering.id).status == "READY"


def test_the_heartbeat_names_the_running_task(database_tasks):
    worker = make_worker()
    worker.current_task = "00000000-0000-0000-0000-000000000001"
    worker.beat()
    row = WorkerProcess.objects.get(worker_id="test-default")
    assert str(row.current_task) == worker.current_task and row.queues == "default"


def test_rescue_tasks_command(database_tasks, users, submitted_case):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    document = services.request_document(case, "bordereau", users["head"])
    DBTaskResult.objects.all().delete()  # its task lost
    past = timezone.now() - datetime.timedelta(minutes=10)
    Document.objects.filter(pk=document.pk).update(queued_at=past)
    out = io.StringIO()
    call_command("rescue_tasks", stdout=out)
    assert "Documents relancés : 1" in out.getvalue()
    run_documents_worker()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
