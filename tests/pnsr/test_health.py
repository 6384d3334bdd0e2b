"""The health endpoints a load balancer and a monitoring probe read (pnsr/health.py):
`/sante/` answers 200 when the database, the workers and the storage are fine, 503 naming
the part that failed; `/sante/vivant/` only says the process answers."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from cases.models import AccessLog
from worker.models import WorkerProcess

pytestmark = pytest.mark.django_db


NOW = timezone.now()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The heartbeats' ages read against one instant, whatever time the test takes."""
    monkeypatch.setattr("pnsr.health.timezone.now", lambda: NOW)


def beat(queues: str, seconds_ago: int, worker_id: str | None = None) -> WorkerProcess:
    now = NOW
    return WorkerProcess.objects.create(
        worker_id=worker_id or f"w-{queues}-{seconds_ago}",
        queues=queues,
        hostname="web-1",
        pid=1,
        started_at=now - datetime.timedelta(hours=1),
        heartbeat_at=now - datetime.timedelta(seconds=seconds_ago),
    )


@pytest.fixture(autouse=True)
def production_tasks(settings):
    """Production's tasks: one database backend, its two queues, each needing a worker."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "documents"],
        }
    }


@pytest.fixture
def live_workers():
    beat("default", 3)
    beat("documents", 5)


def test_all_good_is_200_with_each_part_ok(client, live_workers):
    response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert (body["database"], body["worker"], body["storage"]) == ("ok", "ok", "ok")
    assert body["details"]["worker"]["heartbeat_age_seconds"] == {"default": 3, "documents": 5}
    assert "no-store" in response["Cache-Control"]


def test_the_freshest_of_several_workers_counts(client):
    beat("default", 600, "dead-one")
    beat("default", 2, "live-one")
    beat("*", 4, "every-queue")
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json()["details"]["worker"]["heartbeat_age_seconds"] == {
        "default": 2,
        "documents": 4,
    }


def test_a_stale_heartbeat_is_503_naming_the_worker_and_its_queue(client, settings):
    settings.WORKER_STALE_AFTER = 60
    beat("default", 3)
    beat("documents", 61)
    response = client.get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["worker"]
    assert (body["database"], body["storage"]) == ("ok", "ok")
    assert body["details"]["worker"]["stale_queues"] == ["documents"]
    assert body["details"]["worker"]["heartbeat_age_seconds"]["documents"] == 61


def test_no_worker_at_all_is_503(client):
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["details"]["worker"]["stale_queues"] == ["default", "documents"]


def test_a_database_error_is_503_naming_the_database(client, live_workers):
    with mock.patch(
        "pnsr.health.connection.cursor", side_effect=OperationalError("secret@db-host")
    ):
        response = client.get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "failed" and "database" in body["failed"]
    assert body["details"]["database"] == {"error": "OperationalError"}
    assert "secret" not in response.content.decode()  # never the error's message


def test_a_storage_that_refuses_to_write_is_503_naming_the_storage(client, live_workers):
    with mock.patch("pnsr.health.default_storage.save", side_effect=PermissionError("/srv/x")):
        response = client.get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["storage"]
    assert body["details"]["storage"] == {"error": "PermissionError"}


def test_a_failing_probe_emails_no_administrator(client, settings, mailoutbox):
    settings.ADMINS = [("", "admin@example.org")]
    assert client.get("/sante/").status_code == 503  # no worker
    assert mailoutbox == []


def test_the_probe_file_is_deleted(client, live_workers, settings):
    client.get("/sante/")
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_open_without_signing_in_over_http_and_never_journalled(client, settings, live_workers):
    settings.SECURE_SSL_REDIRECT = True  # production behind HTTPS: the probe speaks HTTP
    for url in ("/sante/", "/sante/vivant/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert not AccessLog.objects.exists()


def test_a_queue_run_in_the_request_needs_no_worker(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert client.get("/sante/").status_code == 200


def test_liveness_asks_nothing_of_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/vivant/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
