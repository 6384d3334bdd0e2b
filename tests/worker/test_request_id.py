"""The request id (worker/request_id.py): taken from the proxy's X-Request-ID or made, sent
back, on every JSON log line of the request (pnsr.middleware.RequestIdMiddleware), and
carried into the tasks the request queues (worker.backend), whose worker logs under it."""

import copy
import io
import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from django.utils.log import configure_logging
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from pnsr.urls import urlpatterns as site_urls
from tests.worker.test_worker import _claimed_by, make_worker, no_reconnect  # noqa: F401
from worker import request_id
from worker.rescue import rescue

pytestmark = pytest.mark.django_db
logger = logging.getLogger("tests.request_id")


@task()
def traced_task() -> None:
    logger.info("tâche exécutée")


@login_not_required
def queueing_view(request):
    logger.info("requête reçue")
    traced_task.enqueue()
    return HttpResponse("ok")


urlpatterns = [path("trace/", queueing_view), *site_urls]


@pytest.fixture
def json_logs():
    """The site's logging with LOG_FORMAT=json, its console handler writing to a buffer;
    returns the records written so far."""
    config = copy.deepcopy(django_settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    logging.config.dictConfig(config)
    buffer = io.StringIO()
    [console] = [h for h in logging.getLogger().handlers if h.name == "console"]
    console.setStream(buffer)

    def records() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield records
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


@pytest.fixture
def database_tasks(settings):
    """Production's task backend (and the tests' documents backend, which the rescue reads)."""
    settings.TASKS = {
        "default": {"BACKEND": "worker.backend.DatabaseBackend"},
        "documents": {"BACKEND": "worker.backend.DatabaseBackend", "QUEUES": ["documents"]},
    }


def test_the_proxy_s_id_is_on_each_log_line_and_sent_back(client, users, json_logs):
    client.force_login(users["jurist"])
    response = client.get("/nulle-part/", HTTP_X_REQUEST_ID="req-abc.123")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-abc.123"
    not_found = [r for r in json_logs() if r["message"] == "Not Found: /nulle-part/"]
    assert not_found, "Django's 404 line, logged after the middleware returned"
    assert not_found[0]["request_id"] == "req-abc.123"
    assert not_found[0]["level"] == "WARNING" and not_found[0]["logger"] == "django.request"


@pytest.mark.parametrize("header", [None, "", "a b", "x\nforged line", "-starts-badly", "a" * 129])
def test_a_missing_or_invalid_id_is_replaced_by_a_new_one(client, header):
    extra = {} if header is None else {"HTTP_X_REQUEST_ID": header}
    made = client.get("/sante/vivant/", **extra)["X-Request-ID"]
    assert made != header and len(made) == 32 and int(made, 16) >= 0
    assert client.get("/sante/vivant/", **extra)["X-Request-ID"] != made


def test_a_line_logged_between_requests_has_no_id(client, json_logs):
    client.get("/sante/vivant/", HTTP_X_REQUEST_ID="finished-request")
    logger.info("entre deux requêtes")
    [line] = [r for r in json_logs() if r["message"] == "entre deux requêtes"]
    assert line["request_id"] is None


@pytest.mark.urls(__name__)
def test_a_task_queued_by_a_request_logs_under_its_id(
    client,
    database_tasks,
    no_reconnect,  # noqa: F811
    json_logs,
):
    client.get("/trace/", HTTP_X_REQUEST_ID="req-queued-1")
    result = DBTaskResult.objects.get(task_path=traced_task.module_path)
    assert result.status == "READY"

    make_worker().run()  # the worker, after the request: nothing of it is left in context

    result.refresh_from_db()
    assert result.status == "SUCCESSFUL", result.traceback  # the task never sees the id
    records = json_logs()
    [received] = [r for r in records if r["message"] == "requête reçue"]
    [ran] = [r for r in records if r["message"] == "tâche exécutée"]
    assert received["request_id"] == ran["request_id"] == "req-queued-1"


def test_a_task_queued_outside_a_request_carries_no_id(database_tasks):
    assert request_id.current() is None
    traced_task.enqueue()
    result = DBTaskResult.objects.get(task_path=traced_task.module_path)
    assert "request_id" not in result.args_kwargs


def test_a_task_run_again_by_the_rescue_keeps_its_request_s_id(database_tasks):
    with request_id.carried("req-killed-1"):
        killed = traced_task.enqueue()
    _claimed_by(killed.id, "killed-worker")  # its worker died while running it
    assert rescue()["tasks"] == 1
    again = DBTaskResult.objects.exclude(pk=killed.id).get(task_path=traced_task.module_path)
    assert again.args_kwargs["request_id"] == "req-killed-1"
