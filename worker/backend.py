"""django-tasks-db's backend, keeping in each task's row the id of the request that queued
it (`args_kwargs["request_id"]`, beside the arguments, which the task never sees): the
worker's log lines for that task carry the same id (worker.loop). Every `.enqueue()` goes
through it, being the TASKS backend."""

from __future__ import annotations

from django_tasks_db import DatabaseBackend as BaseDatabaseBackend

from . import request_id

KEY = "request_id"


class DatabaseBackend(BaseDatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs):
        db_result = super()._task_to_db_task(task, args, kwargs)
        current = request_id.current()
        if current:
            db_result.args_kwargs[KEY] = current
            db_result.save(update_fields=["args_kwargs"])
        return db_result


def carried_id(args_kwargs: dict) -> str | None:
    """The request id a task's row carries, if any."""
    return args_kwargs.get(KEY)
