"""The request id: the one string that ties together the log lines of a request and of the
background tasks it queued.

The web side (`pnsr.middleware.RequestIdMiddleware`) sets it for the request; the task
backend (`worker.backend`) writes it into each task's row; the worker sets it again while
it runs that task. `RequestIdFilter`, on the log handler, puts it on every record. It lives
here, below the web layer, because the worker must read it too."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Iterator

# What a proxy's id may be (nginx's $request_id, a UUID): nothing that could forge a log line.
VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current() -> str | None:
    return _current.get()


def from_header(value: str | None) -> str:
    """The proxy's id when it is one, else a new one."""
    if value and VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def set_current(value: str | None) -> None:
    _current.set(value)


@contextlib.contextmanager
def carried(value: str | None) -> Iterator[None]:
    """The id set for the duration of a block (a task run, a task queued again)."""
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Every record gets `request_id` (None outside a request or a task it queued)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
