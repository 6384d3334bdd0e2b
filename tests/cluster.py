"""Several web processes and background workers on one database, as a national service
runs: real gunicorn and `run_worker` processes, started on the test database and driven
over HTTP (tests/test_multiprocess.py, `make bench-multi`).

Each process reads the real settings (pnsr.settings, not the tests'), connects with the
same credentials as the tests (on PostgreSQL the application's role, tests/database.py)
and shares the test's media folder; the emails go to files in `mail_dir`. Everything
started is stopped by `Cluster.stop` (the tests call it from a finalizer)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import requests
from django.conf import settings
from django.db import connection

from tests.processes import free_port

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_url() -> str:
    """The URL of the database the tests use, with the tests' own credentials."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Cluster:
    """`webs` gunicorn processes (one worker process each, a few threads) and `workers`
    `run_worker` processes on every queue."""

    def __init__(self, folder: Path, *, webs: int = 2, workers: int = 2, threads: int = 4):
        self.folder = folder
        self.mail_dir = folder / "var" / "mail"  # pnsr.settings: VAR_DIR/mail
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self.ports = [free_port() for _ in range(webs)]
        self.worker_ids = [f"worker-{n}" for n in range(1, workers + 1)]
        self.threads = threads
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pnsr.settings",
            "DATABASE_URL": database_url(),
            "PNSR_VAR_DIR": str(folder / "var"),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PNSR_LOCAL_MFA": "0",
            "ALLOW_PLAIN_HTTP": "1",
            "SECRET_KEY": settings.SECRET_KEY,  # one key: a session opened on one serves all
            "PYTHONUNBUFFERED": "1",
        }
        for name in ("DEBUG", "EMAIL_HOST", "PNSR_SIGNING_P12", "HTTPS"):
            self.env.pop(name, None)
        (folder / "var").mkdir(parents=True, exist_ok=True)

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def _start(self, name: str, command: list[str]) -> None:
        log = self.folder / f"{name}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=self.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def start(self) -> None:
        binary = Path(sys.executable).parent
        for port in self.ports:
            self._start(
                f"web-{port}",
                [
                    str(binary / "gunicorn"),
                    "pnsr.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(self.threads),
                    "--timeout",
                    "60",
                ],
            )
        for worker_id in self.worker_ids:
            self._start(
                worker_id,
                [
                    sys.executable,
                    "manage.py",
                    "run_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.2",
                    "--queue-name",
                    "default,documents",
                    "--worker-id",
                    worker_id,
                ],
            )
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        for url in self.urls:
            while True:
                self.check_alive()
                try:
                    if requests.get(url + "/connexion/", timeout=10).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} ne répond pas :\n{self.output()}")
                time.sleep(0.2)

    def check_alive(self) -> None:
        dead = [p for p in self.processes if p.poll() is not None]
        if dead:
            raise RuntimeError(f"un processus s'est arrêté :\n{self.output()}")

    def output(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in self.logs)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def sent_notification_ids(self) -> list[int]:
        """The notification ids carried by the emails written so far, with repetitions."""
        ids: list[int] = []
        for path in sorted(self.mail_dir.glob("*")) if self.mail_dir.exists() else []:
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("X-PNSR-Notifications:"):
                    ids.extend(int(pk) for pk in line.split(":", 1)[1].split())
        return ids


class Browser:
    """A signed-in person's requests.Session; the same session cookie on every process."""

    def __init__(self):
        self.session = requests.Session()
        self.requests = 0

    def get(self, url: str, **kwargs) -> requests.Response:
        self.requests += 1
        return self.session.get(url, timeout=30, **kwargs)

    def post(self, url: str, data: dict, *, form: str | None = None, **kwargs):
        """POST with the CSRF token of the page holding the form (`form`, else `url`),
        read first as a browser would."""
        page = self.get(form or url)
        data = {"csrfmiddlewaretoken": token(page), **data}
        self.requests += 1
        return self.session.post(url, data=data, timeout=30, **kwargs)

    def send(self, url: str, data: dict, csrf: str) -> requests.Response:
        """POST with a CSRF token read beforehand (requests raced at once)."""
        self.requests += 1
        return self.session.post(url, data={"csrfmiddlewaretoken": csrf, **data}, timeout=30)

    def log_in(self, base: str, username: str, password: str = "demo") -> requests.Response:
        return self.post(base + "/connexion/", {"username": username, "password": password})


def token(page: requests.Response) -> str:
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {page.url} ({page.status_code})"
    return found.group(1)
