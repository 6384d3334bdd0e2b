"""The dashboards served from a real streaming replica of the test cluster (cases/replica.py).

A second PostgreSQL cluster is made from the test cluster with `pg_basebackup -R -X stream`
on a free port and started as a hot standby; the `replica` alias points at its copy of the
test database. Replay paused on the replica, a case submitted on the primary is not counted
by the dashboards (read from the replica) but is by the same dashboards for the user who
has just written (pinned to the primary); replay resumed, everyone counts it.

Needs PostgreSQL, its server binaries (PG_BINDIR, else Debian's
/usr/lib/postgresql/<major>/bin) and replication connections allowed from 127.0.0.1 for
the owner (pg_hba.conf: `host replication all 127.0.0.1/32 trust`, which .ci/run adds).
Committed data is seen by the replica: the test is transactional."""

import contextlib
import datetime
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import replica
from cases.enums import CaseStatus
from tests import database
from tests.factories import CaseFactory
from tests.processes import as_postgres as _as_postgres
from tests.processes import free_port as _free_port

from .test_figures import table

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="une réplique en continu demande PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

CATCH_UP_SECONDS = 30  # a guard against a replica that never catches up, not a measure


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_postgres(command), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)} :\n{done.stdout}\n{done.stderr}"


def _connect(owner: dict, port=None) -> psycopg.Connection:
    return psycopg.connect(
        host=owner["HOST"] or "127.0.0.1",
        port=port or owner["PORT"] or 5432,
        user=owner["USER"],
        password=owner["PASSWORD"] or None,
        dbname=owner["NAME"],
        autocommit=True,
    )


class Standby:
    def __init__(self, primary: psycopg.Connection, control: psycopg.Connection):
        self.primary = primary  # both as the owner (a superuser: replay pause and resume)
        self.control = control

    def caught_up(self) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        (target,) = self.primary.execute("SELECT pg_current_wal_lsn()").fetchone()
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while True:
            (done,) = self.control.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()
            if done:
                return
            assert time.monotonic() < deadline, f"la réplique n'a pas rejoué jusqu'à {target}"
            time.sleep(0.05)

    def pause(self) -> None:
        self.control.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while self.control.execute("SELECT pg_get_wal_replay_pause_state()").fetchone() != (
            "paused",
        ):
            assert time.monotonic() < deadline, "le rejeu ne s'est pas mis en pause"
            time.sleep(0.05)

    def resume(self) -> None:
        self.control.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture
def standby(transactional_db):
    owner = database.OWNER or connections["default"].settings_dict
    primary = _connect(owner)
    major = primary.info.server_version // 10000
    bindir = Path(os.environ.get("PG_BINDIR", f"/usr/lib/postgresql/{major}/bin"))
    if not (bindir / "pg_ctl").exists() or not (bindir / "pg_basebackup").exists():
        primary.close()
        pytest.skip(f"binaires du serveur PostgreSQL {major} absents de {bindir} (PG_BINDIR)")
    same = (
        "max_connections",
        "max_worker_processes",
        "max_wal_senders",
        "max_prepared_transactions",
        "max_locks_per_transaction",
    )
    # A hot standby refuses to start with less of these than its primary.
    values = {name: primary.execute(f"SHOW {name}").fetchone()[0] for name in same}

    data = Path(tempfile.mkdtemp(prefix="pnsr-replica-"))
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    data.chmod(0o700)
    stack = contextlib.ExitStack()
    stack.callback(shutil.rmtree, data, ignore_errors=True)
    stack.callback(primary.close)
    try:
        _run(
            [
                str(bindir / "pg_basebackup"),
                "-h",
                owner["HOST"] or "127.0.0.1",
                "-p",
                str(owner["PORT"] or 5432),
                "-U",
                owner["USER"],
                "-D",
                str(data),
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",
                "--no-sync",
            ]
        )
        # Debian keeps the configuration out of the data directory: the replica's own.
        config = [
            f"port = {port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{data}'",
            "hot_standby = on",
            "fsync = off",
            "shared_buffers = 16MB",
            *(f"{name} = {value}" for name, value in values.items()),
        ]
        _write_as_postgres(data / "postgresql.conf", "\n".join(config) + "\n", append=True)
        _write_as_postgres(
            data / "pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        _write_as_postgres(data / "pg_ident.conf", "", append=True)
        _run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        stack.callback(
            subprocess.run,
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        control = _connect(owner, port)
        stack.callback(control.close)
        # The application's connection to the replica: the test database's copy, the role.
        connections.settings[replica.REPLICA] = {
            **connections["default"].settings_dict,
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        stack.callback(connections.settings.pop, replica.REPLICA)
        stack.callback(lambda: connections[replica.REPLICA].close())
        # Connected now, past the test case's guard on the aliases it did not declare (a
        # declared one must exist before the test, and would be flushed after it).
        connections[replica.REPLICA].connect()
        yield Standby(primary, control)
    finally:
        stack.close()


def _write_as_postgres(path: Path, text: str, append: bool = False) -> None:
    with path.open("a" if append else "w") as f:
        f.write(text)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


@pytest.fixture
def users(reference_data, users):
    return users


def referrals(client) -> list[str]:
    """The activity dashboard's referrals of the last month, as its CSV gives them."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=31)
    return table(
        client, "activite", "referrals_per_period", debut=start.isoformat(), fin=today.isoformat()
    )["Total"]


def test_the_dashboards_read_the_replica_and_whoever_just_wrote_the_primary(
    users, standby, record_property
):
    CaseFactory(to=CaseStatus.SUBMITTED)
    standby.caught_up()
    reader, writer = Client(), Client()
    reader.force_login(users["management"])
    writer.force_login(users["head"])
    seen = referrals(reader)
    assert referrals(writer) == seen
    # Caught up: not late. (Not exactly 0: the replica copies the whole cluster, and the
    # other test workers' databases keep sending it WAL.)
    assert replica.lag_seconds() < settings.REPLICA_LAG_NOTICE_SECONDS

    standby.pause()
    CaseFactory(to=CaseStatus.SUBMITTED)  # committed on the primary, not replayed
    assert referrals(reader) == seen, "le tableau de bord n'a pas été lu sur la réplique"
    response = writer.post(reverse("cases:view_create"), {"name": "Mes dossiers", "query": ""})
    assert response.status_code == 302 and replica.PIN_COOKIE in response.cookies
    counted = referrals(writer)  # pinned to the primary: the new case is counted
    assert counted != seen
    lag = replica.lag_seconds()
    record_property("replica_lag_seconds_paused", lag)
    print(f"retard de la réplique, rejeu en pause : {lag:.3f} s")
    assert lag > 0  # WAL received and not replayed: the age of the last replayed commit

    standby.resume()
    standby.caught_up()
    assert referrals(reader) == counted
    assert replica.lag_seconds() < settings.REPLICA_LAG_NOTICE_SECONDS
