"""django-tasks-db's worker, made to last: it survives a database outage and shows that it
is alive.

- A database error (the server stopped, the connection killed) no longer ends the
  process: the connections are closed, the worker logs it, waits (1 s, 2 s, 4 s… at most
  WORKER_MAX_BACKOFF) and resumes. The task it was running, if any, is left RUNNING: the
  rescue finds it (its worker runs something else) and queues it again.
- A thread keeps the worker's `WorkerProcess` row up to date every WORKER_HEARTBEAT
  seconds (the task it runs included), and runs the rescue every WORKER_RESCUE_EVERY
  seconds (worker/rescue.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import request_id, rescue
from .backend import carried_id
from .models import WorkerProcess

logger = logging.getLogger("worker")

OUTAGE_ERRORS = (OperationalError, InterfaceError)


class ResilientWorker(Worker):
    def __init__(self, *, heartbeat: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.heartbeat = heartbeat
        self.current_task: str | None = None
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self.outages = 0

    # The task being run, for the heartbeat; its log lines under the id of the request
    # that queued it.
    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task = str(db_task_result.id)
        try:
            with request_id.carried(carried_id(db_task_result.args_kwargs)):
                super().run_task(db_task_result)
        finally:
            self.current_task = None

    def run(self) -> None:
        if not self.heartbeat:
            self._run_through_outages()
            return
        heartbeat = threading.Thread(target=self._heartbeat, name="worker-heartbeat", daemon=True)
        heartbeat.start()
        try:
            self._run_through_outages()
        finally:
            self._stop.set()
            heartbeat.join(timeout=5)
            with contextlib.suppress(DatabaseError):
                WorkerProcess.objects.filter(worker_id=self.worker_id).delete()

    def _run_through_outages(self) -> None:
        delay = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # --batch or --max-tasks: done
            except OUTAGE_ERRORS as error:
                self.outages += 1
                self.current_task = None
                if time.monotonic() - started > settings.WORKER_MAX_BACKOFF:
                    delay = 1.0  # it had been working: a new outage starts short
                logger.warning(
                    "Base de données injoignable (%s : %s) : le processus %s réessaie dans %s s.",
                    type(error).__name__,
                    str(error).strip().splitlines()[0] if str(error).strip() else "",
                    self.worker_id,
                    int(delay),
                )
                self.reconnect()
                time.sleep(delay)
                delay = min(delay * 2, settings.WORKER_MAX_BACKOFF)

    def reconnect(self) -> None:
        """Drop the broken connections: the next query opens a new one."""
        for alias in connections:
            with contextlib.suppress(Exception):  # a dead connection closes badly
                connections[alias].close()

    def _heartbeat(self) -> None:
        """The worker's sign of life and the periodic rescue, in their own connection."""
        last_rescue = 0.0
        try:
            while True:
                try:
                    self.beat()
                    if time.monotonic() - last_rescue >= settings.WORKER_RESCUE_EVERY:
                        last_rescue = time.monotonic()
                        report = rescue.rescue()
                        if any(report.values()):
                            logger.warning("Reprise : %s", rescue.in_french(report))
                except DatabaseError as error:
                    logger.warning("Signe de vie non enregistré (%s).", type(error).__name__)
                    with contextlib.suppress(Exception):
                        connection.close()
                if self._stop.wait(settings.WORKER_HEARTBEAT):
                    return
        finally:
            connection.close()

    def beat(self) -> None:
        WorkerProcess.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "queues": ",".join(self.queue_names)[:200],
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "heartbeat_at": timezone.now(),
                "current_task": self.current_task,
            },
        )
