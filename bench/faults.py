"""`python -m bench.faults`: the background faults replayed against real workers on the
local PostgreSQL, each bounded in time, with the time each took to recover.

A fresh base (FAULTS_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pnsr_faults)
gets the demo's cases (`seed_demo`: PDFs to render, emails to send); two `run_worker`
processes (queues "default" and "documents") run with short delays (below), and:

1. the SMTP server accepts and trickles one byte every 0.5 s: the delivery gives up at
   its session budget, and documents are produced meanwhile;
2. the documents worker is killed (SIGKILL) while rendering, and restarted as systemd
   would: every document ends ready;
3. the email worker is killed (SIGKILL) in the middle of an SMTP session, and restarted
   with a healthy server: the emails go without any new event (the rescue);
4. the database refuses every connection of the workers for 15 s (`ALLOW_CONNECTIONS
   false` and `pg_terminate_backend`): the workers survive, and the work queued during
   the outage is done.

A missing PDF and a storage error are pinned by tests (tests/notifications/test_faults.py,
tests/documents/test_rescue.py): as root, this machine cannot make a disk refuse a write.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

URL = os.environ.get("FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pnsr_faults")
SERVER, DB_NAME = URL.rsplit("/", 1)
ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TMP = Path(tempfile.mkdtemp(prefix="pnsr-faults-"))
SHORT = {  # the production delays, shortened so that the run takes minutes
    "DOCUMENTS_STALLED_AFTER": "20",
    "DOCUMENTS_HEARTBEAT": "2",
    "WORKER_HEARTBEAT": "2",
    "WORKER_STALE_AFTER": "10",
    "WORKER_RESCUE_EVERY": "5",
    "WORKER_MAX_BACKOFF": "8",
    "EMAIL_TIMEOUT": "10",
    "EMAIL_SESSION_BUDGET": "5",
}
ENV = {
    **os.environ,
    **SHORT,
    "DATABASE_URL": URL,
    "MEDIA_ROOT": str(TMP / "media"),
    "SECRET_KEY": "bench-faults-only",
    "DJANGO_SETTINGS_MODULE": "pnsr.settings",
    "LOG_LEVEL": "WARNING",
}
results: list[tuple[str, str, str]] = []
started: list[Worker] = []


def manage(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env or ENV, check=True, capture_output=True
    )


class Worker:
    def __init__(self, queue: str, smtp_port: int | None = None, name: str = "") -> None:
        env = dict(ENV)
        if smtp_port:
            env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)})
        self.log = open(TMP / f"worker-{name or queue}.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--no-reload", "--interval", "0.5",
             "--queue-name", queue],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(self)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class TricklingServer:
    """Accepts, then sends its greeting one byte every 0.5 s (some 50 s)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(client,), daemon=True).start()

    def _trickle(self, client) -> None:
        with client:
            for byte in b"220 " + b"x" * 100:
                if self.stopped.wait(0.5):
                    return
                try:
                    client.sendall(bytes([byte]))
                except OSError:
                    return

    def stop(self) -> None:
        self.stopped.set()
        with contextlib.suppress(OSError):
            self.listener.close()


def wait_for(condition, timeout: float, step: float = 0.5) -> float | None:
    """Seconds until condition() holds, or None past the timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if condition():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - the database may be away: look again
            from django.db import connections  # noqa: PLC0415 - after django.setup()

            connections.close_all()
        time.sleep(step)
    return None


def record(fault: str, outcome: str, recovery: str) -> None:
    results.append((fault, outcome, recovery))
    print(f"- {fault}: {outcome} ({recovery})", flush=True)


def admin(sql: str) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:  # noqa: PLR0915 - one scenario, read top to bottom
    print(f"Base {URL}, fichiers {TMP}", flush=True)
    admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{DB_NAME}"')
    manage("migrate", "--noinput")
    manage("seed_demo")
    os.environ.update({k: v for k, v in ENV.items() if k not in os.environ or k in SHORT})
    os.environ["DATABASE_URL"] = URL
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415

    django.setup()
    from aiosmtpd.controller import Controller  # noqa: PLC0415
    from django.db import connections  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from cases.models import Case, User  # noqa: PLC0415
    from documents import context, pleadings, services  # noqa: PLC0415
    from documents.enums import DocumentKind, DocumentStatus  # noqa: PLC0415
    from documents.models import Document  # noqa: PLC0415
    from notifications.enums import Channel, DeliveryState  # noqa: PLC0415
    from notifications.models import Notification  # noqa: PLC0415

    pending = Document.objects.filter(status=DocumentStatus.PENDING)

    def more_documents(count: int, tag: str) -> int:
        """New versions of the draft pleadings (their text changed) for `count` cases."""
        head = User.objects.filter(role="head").first()
        made = 0
        for case in Case.objects.order_by("pk"):
            if made == count:
                break
            if context.applicability(case, DocumentKind.PROJET_ECRITURES):
                continue
            sections = [
                {**s, "body": s["body"] + f" ({tag})"} for s in pleadings.default_sections(case)
            ]
            services.request_document(
                case, DocumentKind.PROJET_ECRITURES, head, sections=sections, check=False
            )
            made += 1
        return made

    immediate_waiting = Notification.objects.filter(
        channel=Channel.IMMEDIATE, state__in=[DeliveryState.PENDING, DeliveryState.RETRYING]
    )
    print(f"Documents à produire : {pending.count()} ; courriels immédiats : "
          f"{immediate_waiting.count()}", flush=True)  # fmt: skip

    # 1. A trickling SMTP server; documents meanwhile.
    trickle = TricklingServer()
    documents_worker = Worker("documents")
    email_worker = Worker("default", smtp_port=trickle.port, name="default-1")
    deliveries = DBTaskResult.objects.filter(task_path__endswith="deliver_due_notifications")
    waited = wait_for(lambda: deliveries.filter(status="SUCCESSFUL").exists(), 60)
    run = deliveries.filter(status="SUCCESSFUL").order_by("finished_at").first()
    ready_meanwhile = Document.objects.filter(
        generated_at__gte=run.started_at, generated_at__lte=run.finished_at
    ).count()
    record(
        "serveur SMTP au compte-gouttes",
        f"session coupée après {(run.finished_at - run.started_at).total_seconds():.1f} s "
        f"(budget {SHORT['EMAIL_SESSION_BUDGET']} s), {immediate_waiting.count()} courriels "
        f"en attente, aucun perdu ; {ready_meanwhile} documents produits pendant la session",
        f"délai {waited:.1f} s" if waited is not None else "non terminé en 60 s",
    )

    # 2. SIGKILL of the documents worker in the middle of a rendering.
    def rendering():
        return Document.objects.filter(
            status=DocumentStatus.PENDING, claimed_at__isnull=False
        ).exists()

    if not pending.exists():  # everything rendered already: give it more work
        more_documents(10, "panne")
    wait_for(rendering, 60, step=0.05)
    killed_doc = pending.filter(claimed_at__isnull=False).first()
    documents_worker.kill()
    killed_at = time.monotonic()
    time.sleep(5)  # systemd's RestartSec
    documents_worker = Worker("documents", name="documents-2")
    itself = wait_for(
        lambda: Document.objects.filter(pk=killed_doc.pk, status=DocumentStatus.READY).exists(),
        240,
    )
    itself = time.monotonic() - killed_at if itself is not None else None
    recovered = wait_for(lambda: not pending.exists(), 240)
    killed_doc.refresh_from_db()
    record(
        "SIGKILL du processus des documents pendant un rendu",
        f"document {killed_doc.pk} : {killed_doc.get_status_display()} "
        f"({killed_doc.attempts} tentatives) ; documents bloqués : {pending.count()}, "
        f"en échec : {Document.objects.filter(status=DocumentStatus.FAILED).count()}",
        f"ce document prêt {itself:.0f} s après le SIGKILL, "
        f"tous {time.monotonic() - killed_at:.0f} s"
        if recovered is not None and itself is not None
        else "non terminé en 240 s",
    )

    # 3. SIGKILL of the email worker during an SMTP session, then a healthy server.
    email_worker.stop()
    inbox = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            inbox.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    smtp = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    slow_env_budget = "60"
    ENV["EMAIL_SESSION_BUDGET"] = slow_env_budget
    email_worker = Worker("default", smtp_port=trickle.port, name="default-2")
    Notification.objects.filter(state=DeliveryState.RETRYING).update(next_attempt_at=timezone.now())
    manage_env = {**ENV}
    subprocess.run(  # a delivery task due now, for the worker to take
        [PYTHON, "-c", "import django; django.setup(); "
         "from notifications.tasks import deliver_due_notifications as t; t.enqueue()"],
        cwd=ROOT, env=manage_env, check=True,
    )  # fmt: skip
    wait_for(lambda: deliveries.filter(status="RUNNING").exists(), 30, step=0.1)
    time.sleep(1)
    email_worker.kill()
    killed_at = time.monotonic()
    ENV["EMAIL_SESSION_BUDGET"] = SHORT["EMAIL_SESSION_BUDGET"]
    time.sleep(5)
    email_worker = Worker("default", smtp_port=smtp_port, name="default-3")
    due = immediate_waiting.filter(next_attempt_at__lte=timezone.now())
    recovered = wait_for(lambda: not due.exists(), 180)
    record(
        "SIGKILL du processus des courriels pendant une session SMTP",
        f"{len(inbox)} courriels envoyés sans nouvel événement ; immédiats dus restants : "
        f"{due.count()}",
        f"{time.monotonic() - killed_at:.0f} s après le SIGKILL"
        if recovered is not None
        else "non terminé en 180 s",
    )

    # 4. The database refuses the workers for 15 s; work is queued during the outage.
    new = more_documents(6, "coupure")
    connections.close_all()
    admin(f'ALTER DATABASE "{DB_NAME}" WITH ALLOW_CONNECTIONS false')
    outage_end = time.monotonic() + 15
    while time.monotonic() < outage_end:
        admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{DB_NAME}' AND pid <> pg_backend_pid()"
        )
        time.sleep(0.5)
    admin(f'ALTER DATABASE "{DB_NAME}" WITH ALLOW_CONNECTIONS true')
    restored = time.monotonic()
    recovered = wait_for(lambda: not pending.exists(), 180)
    alive = documents_worker.alive and email_worker.alive
    outages = sum(
        (TMP / f"worker-{name}.log").read_text(errors="replace").count("injoignable")
        for name in ("documents-2", "default-3")
    )
    record(
        "base de données refusée aux processus pendant 15 s",
        f"processus toujours en vie : {'oui' if alive else 'non'} ; {outages} coupures "
        f"journalisées ; {new} documents demandés avant la coupure, bloqués : "
        f"{pending.count()}",
        f"tous prêts {time.monotonic() - restored:.0f} s après le retour de la base"
        if recovered is not None
        else "non terminé en 180 s",
    )

    for worker in (documents_worker, email_worker):
        worker.stop()
    smtp.stop()
    trickle.stop()
    print("\n| panne | résultat | reprise |\n|---|---|---|")
    for fault, outcome, recovery in results:
        print(f"| {fault} | {outcome} | {recovery} |")


if __name__ == "__main__":
    try:
        main()
    finally:
        for worker in started:
            worker.stop()
