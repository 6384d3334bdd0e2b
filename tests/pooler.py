"""A part of the suite through PgBouncer in transaction pooling mode (`make test-pooler`).

    python -m tests.pooler [pytest arguments: the tests to run]

Starts PgBouncer (pool_mode=transaction, on a free port of 127.0.0.1, as the postgres user
when run as root) in front of DATABASE_URL's server, runs pytest with DATABASE_URL pointing
at it and DATABASE_POOLER=transaction (pnsr/settings.py: no server-side cursor), prints the
pooler's transaction count, then stops it. Exits with pytest's status.

PgBouncer authenticates nobody here (auth_type=trust, the server trusts 127.0.0.1 as the
suite's PostgreSQL does); its auth_file names the users it lets through: the owner and the
test database's application role (tests/database.py, `<test database>_app`)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.processes import as_postgres as _as_postgres
from tests.processes import free_port as _free_port

STARTUP_SECONDS = 20


def main(arguments: list[str]) -> int:
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql", "pgsql"):
        print("DATABASE_URL doit désigner le PostgreSQL derrière PgBouncer.", file=sys.stderr)
        return 2
    pgbouncer = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(pgbouncer).exists():
        print("PgBouncer est absent (Debian : apt-get install pgbouncer).", file=sys.stderr)
        return 2
    owner, database = url.username or "postgres", url.path.lstrip("/")
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="pnsr-pgbouncer-"))
    (folder / "users.txt").write_text(
        "".join(f'"{user}" ""\n' for user in (owner, f"test_{database}_app"[:63]))
    )
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={url.hostname or '127.0.0.1'} port={url.port or 5432}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        f"unix_socket_dir = {folder}\n"
        "pool_mode = transaction\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        f"admin_users = {owner}\n"
        "max_client_conn = 200\n"
        "default_pool_size = 20\n"
        "ignore_startup_parameters = extra_float_digits\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    if os.geteuid() == 0:
        for path in (folder, *folder.iterdir()):
            shutil.chown(path, "postgres", "postgres")
    # -q: its log goes to the file only.
    pooler = subprocess.Popen(_as_postgres([pgbouncer, "-q", str(folder / "pgbouncer.ini")]))
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if pooler.poll() is not None or time.monotonic() > deadline:
                    print((folder / "pgbouncer.log").read_text(), file=sys.stderr)
                    return 2
                time.sleep(0.1)
        through = url._replace(netloc=f"{owner}@127.0.0.1:{port}")
        env = {**os.environ, "DATABASE_URL": urlunsplit(through), "DATABASE_POOLER": "transaction"}
        print(f"PgBouncer (pool_mode=transaction) sur 127.0.0.1:{port}", flush=True)
        status = subprocess.call([sys.executable, "-m", "pytest", *arguments], env=env)
        stats = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", owner, "-At", "-c", "SHOW STATS",
             "pgbouncer"],
            capture_output=True, text=True,
        )  # fmt: skip
        served = sum(int(line.split("|")[1]) for line in stats.stdout.splitlines() if "|" in line)
        print(f"PgBouncer a servi {served} transactions.", flush=True)
        if status == 0 and served == 0:
            print("Aucune transaction n'est passée par PgBouncer.", file=sys.stderr)
            return 1
        return status
    finally:
        pooler.send_signal(signal.SIGTERM)
        try:
            pooler.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pooler.kill()
            pooler.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
