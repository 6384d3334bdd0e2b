"""Django's SMTP backend with a total budget per session (EMAIL_SESSION_BUDGET seconds,
from opening the connection to closing it).

EMAIL_TIMEOUT bounds each read; a server that accepts the connection and then answers one
byte every few seconds never trips it, and held the worker for minutes. Here a watchdog
cuts the session's socket once the budget is spent: whatever the server does, the session
ends in time with `SessionOverBudget` (a disconnection: the emails wait for a later run).
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import threading
import time

from django.conf import settings
from django.core.mail.backends import smtp


class SessionOverBudget(smtplib.SMTPServerDisconnected):
    pass


class _Watchdog:
    """Shuts the session's socket down when the budget is spent."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.started = time.monotonic()
        self.expired = False
        self.sockets: list[socket.socket] = []
        self._timer = threading.Timer(budget, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        self.sockets.append(sock)
        if self.expired:
            self._cut()

    def _cut(self) -> None:
        self.expired = True
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def cancel(self) -> None:
        self._timer.cancel()


class EmailBackend(smtp.EmailBackend):
    def __init__(self, *args, session_budget: float | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_budget = (
            settings.EMAIL_SESSION_BUDGET if session_budget is None else session_budget
        )
        self.watchdog: _Watchdog | None = None

    @property
    def connection_class(self):
        base = super().connection_class
        backend = self

        class Watched(base):
            def _get_socket(self, host, port, timeout):
                sock = super()._get_socket(host, port, timeout)
                if backend.watchdog is not None:
                    backend.watchdog.watch(sock)
                return sock

        return Watched

    def session_age(self) -> float:
        """Seconds since this session opened (0 when none is open)."""
        return self.watchdog.elapsed() if self.watchdog is not None else 0.0

    def open(self):
        if self.connection:
            return False
        self.watchdog = _Watchdog(self.session_budget)
        with self._over_budget():
            return super().open()

    def close(self) -> None:
        try:
            with self._over_budget():
                super().close()
        finally:
            if self.watchdog is not None:
                self.watchdog.cancel()
                self.watchdog = None

    def send_messages(self, email_messages):
        with self._over_budget():
            return super().send_messages(email_messages)

    @contextlib.contextmanager
    def _over_budget(self):
        try:
            yield
        except (OSError, smtplib.SMTPException) as error:
            if self.watchdog is not None and self.watchdog.expired:
                raise SessionOverBudget(
                    f"Session SMTP interrompue après {self.session_budget:g} s "
                    "(serveur trop lent) : les courriels attendent le prochain essai."
                ) from error
            raise
