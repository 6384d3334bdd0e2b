"""The background path of production: the delivery task is queued with the database
backend after the event's commit, and `db_worker` runs it."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from notifications.enums import Channel, DeliveryState
from notifications.models import Notification
from notifications.tasks import deliver_due_notifications, schedule_delivery

from .walk import fire, walk

TASK_PATH = "notifications.tasks.deliver_due_notifications"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker() -> None:
    """db_worker's loop, less its closing of old connections (which would end the test's
    transaction): take each ready task under lock, claim it, run it."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ready = DBTaskResult.objects.ready().filter(backend_name="default")
    while (task_result := ready.get_locked()) is not None:
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)


@pytest.mark.django_db
def test_the_task_is_queued_after_commit_and_the_worker_delivers(
    database_tasks, mail_users, make_case, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fire(case, mail_users, "submit")
    assert not DBTaskResult.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, mail_users, "withdraw")  # a task is already waiting: no second one
    queued = DBTaskResult.objects.get()
    assert queued.task_path == TASK_PATH and queued.status == "READY"
    assert not mailoutbox  # nothing is sent from inside the request

    _run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    immediate = Notification.objects.filter(channel=Channel.IMMEDIATE)
    assert immediate.count() and set(immediate.values_list("state", flat=True)) == {
        DeliveryState.SENT
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted(n.address for n in immediate)
    # The digests are due at the end of the day: the worker queued itself for then.
    follow_up = DBTaskResult.objects.get(status="READY")
    digest_due = Notification.objects.filter(channel=Channel.DIGEST).earliest("next_attempt_at")
    assert follow_up.run_after >= digest_due.next_attempt_at


@pytest.mark.django_db
def test_scheduling_does_not_pile_up_tasks(database_tasks):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    schedule_delivery(soon)
    schedule_delivery(soon + datetime.timedelta(hours=1))  # the first one will look again
    assert DBTaskResult.objects.count() == 1
    schedule_delivery(soon - datetime.timedelta(minutes=4))  # earlier: one more
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_immediate_backend_delivers_at_commit(
    mail_users, make_case, mailoutbox, django_capture_on_commit_callbacks
):
    """With the tests' immediate backend, the task runs when the transaction commits."""
    case = walk(make_case(), mail_users, ["submit"], assign=False)
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, mail_users, "decline")
    assert "comptable.laon@dgfip.test" in {m.to[0] for m in mailoutbox}
    assert deliver_due_notifications.call()["emails_sent"] == 0  # idempotent
