"""What the tests that start servers of their own share (gunicorn, workers, PgBouncer, a
replica, an SMTP server): a free port, and the postgres user for PostgreSQL's binaries."""

from __future__ import annotations

import os
import socket


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's server binaries refuse to run as root: as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command
