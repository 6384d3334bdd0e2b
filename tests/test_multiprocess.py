"""Two web processes (gunicorn) and two background workers (`run_worker`) on one
PostgreSQL database, driven over HTTP as users would (tests/cluster.py; issue 25).

- The same step completed at once through both processes: one winner, the other refused
  with the reason, one history entry.
- The same document requested at once through both: one version, rendered once.
- Every email sent once although two workers deliver.
- Failed logins alternated between the processes lock the account after
  LOGIN_FAILURE_LIMIT failures in all: the count is in the database, not in a process.

The figures (requests per second through both processes, tasks per second by both
workers, duplicates) are printed (`pytest -s`, or `make bench-multi`), never asserted.

Transactional (the processes only see what is committed); the reference data comes back
with `reference_data` after each flush (tests/conftest.py)."""

from __future__ import annotations

import html
import subprocess
import sys
import threading
import time
from collections import Counter
from functools import partial

import pytest
from django.conf import global_settings, settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from viewflow.workflow.status import STATUS

from cases.enums import CaseStatus, EventKind, Mode, Role
from cases.models import PosteComptable
from cases.services import submit_referral
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document
from notifications.enums import WAITING_STATES, DeliveryState
from notifications.models import Notification
from notifications.tasks import deliver_due_notifications
from pnsr import proconnect
from tests.cluster import Browser, Cluster, token
from tests.factories import CaseFactory, UserFactory
from workflows.services import active_tasks

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several processes writing at once on one database: PostgreSQL's row locks "
        "(SQLite serialises every write; run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]

RACED_CASES = 4
DOCUMENT_CASES = 4
READS = 120
CLUSTER_TASKS = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "documents"]}
WAIT = 40  # seconds, at most, for the workers to finish


@pytest.fixture
def people(reference_data, settings) -> dict:
    # The processes read the real settings: passwords hashed as they check them (the
    # tests' fast hasher is not among theirs: they keep Django's).
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    laon = PosteComptable.objects.get(name="SIE de Laon")
    intake = Permission.objects.get(codename="intake", content_type__app_label="workflows")
    made = {
        "poste_agent": UserFactory(
            username="comptable.laon",
            email="comptable.laon@dgfip.example",
            role=Role.POSTE_AGENT,
            poste_comptable=laon,
            direction=laon.direction,
        ),
        "head": UserFactory(username="chef", email="chef@dgfip.example", role=Role.HEAD),
        "jurist": UserFactory(username="juriste.a", email="juriste.a@dgfip.example"),
        "target": UserFactory(username="juriste.cible", email="cible@dgfip.example"),
    }
    made["jurist"].user_permissions.add(intake)
    return made


def submitted(agent) -> object:
    case = CaseFactory(
        complete=True,
        mode=Mode.PRISE_EN_CHARGE,
        created_by=agent,
        poste_comptable=agent.poste_comptable,
    )
    submit_referral(agent, case, confirm_duplicate=True)
    case.refresh_from_db()
    return case


@pytest.fixture
def cluster(tmp_path, people, settings):
    # This process enqueues as the web processes do: into the database, for the workers.
    settings.TASKS = {**settings.TASKS, "default": CLUSTER_TASKS}
    started = Cluster(tmp_path / "cluster")
    try:
        started.start()
        yield started
    finally:
        started.stop()


def at_once(*calls):
    """Run each call in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=10)
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the assertion shows it
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request never came back"
    return results


def wait_for(condition, what, cluster: Cluster) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        cluster.check_alive()
        assert time.monotonic() < deadline, f"{what()}: still waiting after {WAIT} s"
        time.sleep(0.2)


def test_two_web_processes_and_two_workers_on_one_database(people, cluster, capsys):
    web_a, web_b = cluster.urls
    begun = timezone.now()
    raced = [submitted(people["poste_agent"]) for _ in range(RACED_CASES)]
    documented = [submitted(people["poste_agent"]) for _ in range(DOCUMENT_CASES)]
    head, jurist = Browser(), Browser()
    # Each signs in on one process and is then served by both: sessions are in the database.
    for browser, base, username in ((head, web_a, "chef"), (jurist, web_b, "juriste.a")):
        signed_in = browser.log_in(base, username)
        assert signed_in.url.startswith(base) and "/connexion/" not in signed_in.url
    browsers = [head, jurist]
    http_started = time.monotonic()

    # 1. The same step completed at once through both processes.
    accept = {"action": "complete", "decision": "accept", "missing": "", "reason": ""}
    decline = {"action": "complete", "decision": "decline", "missing": "", "reason": "Hors champ."}
    for case in raced:
        (task,) = active_tasks(case.process)
        url = f"/taches/{task.pk}/"
        head_token = token(head.get(web_b + url))
        jurist_token = token(jurist.get(web_a + url))
        outcomes = at_once(
            partial(head.send, web_a + url, accept, head_token),
            partial(jurist.send, web_b + url, decline, jurist_token),
        )
        pages = [html.unescape(outcome.text) for outcome in outcomes]
        won = ["terminée (" in page for page in pages]
        assert sum(won) == 1, [o.status_code for o in outcomes]
        refused = pages[won.index(False)]
        assert "vient d'être traitée" in refused, refused[:2000]
        case.refresh_from_db()
        expected = CaseStatus.UNDER_EXAMINATION if won[0] else CaseStatus.DECLINED
        assert case.status == expected
        assert case.events.filter(kind=EventKind.TRANSITION, source_status="submitted").count() == 1
        task.refresh_from_db()
        assert task.status == STATUS.DONE
        winner = people["head"] if won[0] else people["jurist"]
        assert task.owner_id == winner.pk

    # 2. The same document requested at once through both processes, for each case.
    kind = DocumentKind.BORDEREAU
    for case in documented:
        page = f"/documents/{case.reference}/"
        produce = f"{page}produire/{kind}/"
        tokens = [token(head.get(web_a + page)), token(head.get(web_b + page))]
        outcomes = at_once(
            *[
                partial(head.send, base + produce, {}, csrf)
                for base, csrf in zip(cluster.urls, tokens, strict=True)
            ]
        )
        assert all(o.status_code == 200 for o in outcomes), [o.status_code for o in outcomes]

    # Reads through both processes, eight at a time.
    pages = [f"/dossiers/{case.reference}/" for case in raced + documented] + ["/dossiers/"]

    def read(n: int) -> int:
        browser = browsers[n % 2]
        return browser.session.get(
            cluster.urls[n % 2] + pages[n % len(pages)], timeout=30
        ).status_code

    reads_started = time.monotonic()
    statuses = Counter()
    lock = threading.Lock()
    queue = list(range(READS))

    def reader():
        while True:
            with lock:
                if not queue:
                    return
                n = queue.pop()
            code = read(n)
            with lock:
                statuses[code] += 1

    readers = [threading.Thread(target=reader) for _ in range(8)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(timeout=60)
    reads_seconds = time.monotonic() - reads_started
    assert statuses == {200: READS}, statuses
    http_seconds = time.monotonic() - http_started
    http_requests = head.requests + jurist.requests + READS

    # The workers render the documents (those asked for, and the acknowledgements of the
    # receivability steps) and send the emails.
    documents = Document.objects.all()
    wait_for(
        lambda: not documents.filter(status=DocumentStatus.PENDING).exists(),
        lambda: list(documents.values_list("kind", "status", "attempts")),
        cluster,
    )
    versions = Counter(documents.values_list("case_id", "kind"))
    assert set(versions.values()) == {1}, versions
    assert {case.pk for case in documented} == {
        case_id for case_id, kind in versions if kind == DocumentKind.BORDEREAU
    }
    assert {case.pk for case in raced} == {
        case_id for case_id, kind in versions if kind == DocumentKind.ACCUSE
    }
    assert list(documents.order_by().values_list("status", "attempts").distinct()) == [
        (DocumentStatus.READY, 1)
    ], list(documents.values_list("kind", "status", "attempts", "error"))
    pdfs = list((settings.MEDIA_ROOT / "documents").rglob("*.pdf"))
    assert len(pdfs) == documents.count(), pdfs

    emails = Notification.objects.exclude(state=DeliveryState.NONE)
    # An email announcing a document waits for it, looking again a minute later
    # (notifications/attachments.py): the documents are there, so now rather than then,
    # and through several deliveries at once, for both workers to take.
    emails.filter(state__in=WAITING_STATES).update(next_attempt_at=timezone.now())
    for _ in range(4):
        deliver_due_notifications.enqueue()
    wait_for(
        lambda: not emails.filter(state__in=WAITING_STATES).exists(),
        lambda: list(emails.values_list("kind", "channel", "state", "next_attempt_at")),
        cluster,
    )
    sent = set(emails.filter(state=DeliveryState.SENT).values_list("pk", flat=True))
    assert sent, "the steps told someone by email"
    carried = Counter(cluster.sent_notification_ids())
    duplicates = sum(count - 1 for count in carried.values())
    assert set(carried) == sent and duplicates == 0, carried

    tasks = DBTaskResult.objects.filter(enqueued_at__gte=begun, status="SUCCESSFUL")
    by_worker = Counter(ids[0] for ids in tasks.values_list("worker_ids", flat=True) if ids)
    first = tasks.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    last = tasks.order_by("-finished_at").values_list("finished_at", flat=True).first()
    task_seconds = (last - first).total_seconds() if first and last else 0.0

    # 3. Failed logins alternated between the processes, the first two at once (both
    # processes creating the attempt's row): the account locked after LOGIN_FAILURE_LIMIT
    # in all (last: the address is locked too, for every username).
    limit = settings.LOGIN_FAILURE_LIMIT

    def fail(attempt: int):
        return Browser().log_in(cluster.urls[attempt % 2], "juriste.cible", "faux")

    answers = at_once(partial(fail, 0), partial(fail, 1))
    answers += [fail(attempt) for attempt in range(2, limit)]
    assert [a.status_code for a in answers] == [200] * (limit - 1) + [429]
    assert "Trop de tentatives de connexion échouées" in answers[-1].text
    for base in cluster.urls:
        right = Browser().log_in(base, "juriste.cible", "demo")
        assert right.status_code == 429, "locked on both processes, even the right password"

    with capsys.disabled():
        print(
            f"\n[multiprocess] 2 gunicorn + 2 run_worker, PostgreSQL: "
            f"{http_requests} requêtes HTTP en {http_seconds:.1f} s "
            f"({http_requests / http_seconds:.1f}/s), dont {READS} lectures à 8 en parallèle "
            f"en {reads_seconds:.2f} s ({READS / reads_seconds:.1f}/s) ; "
            f"{tasks.count()} tâches ({dict(by_worker)}) en {task_seconds:.1f} s "
            f"({tasks.count() / task_seconds if task_seconds else 0:.1f}/s) ; "
            f"{len(sent)} notifications envoyées par courriel, doublons {duplicates} ; "
            f"{DOCUMENT_CASES} bordereaux demandés deux fois à la fois et "
            f"{RACED_CASES} accusés : {documents.count()} documents rendus une fois chacun ; "
            f"{RACED_CASES} étapes terminées deux fois à la fois, un gagnant chacune"
        )


def test_an_unknown_proconnect_email_is_told_once_whichever_process(tmp_path, people, mailoutbox):
    """ProConnect's notice of an unknown email goes to the administrators once within the
    hour (pnsr/proconnect.py): remembered in the cache, which every process shares (a
    per-process memory cache would let another process tell them again)."""
    proconnect.tell_unknown(None, {"email": "inconnu@dgfip.example"})
    assert len(mailoutbox) == 1
    other = Cluster(tmp_path / "other")
    script = (
        "from pnsr import proconnect\n"
        "for email in ('inconnu@dgfip.example', 'nouveau@dgfip.example'):\n"
        "    proconnect.tell_unknown(None, {'email': email})\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=other.env,
        check=True,
        timeout=60,
    )
    written = "".join(path.read_text() for path in other.mail_dir.glob("*"))
    assert "nouveau@dgfip.example" in written  # the other process does tell
    assert "inconnu@dgfip.example" not in written  # but not twice
