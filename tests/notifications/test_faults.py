"""What once held or broke the email queue: a server that accepts and then trickles, a PDF
whose file is gone. Each is bounded to its own session or its own message."""

import contextlib
import datetime
import socket
import threading

import pytest
from django.utils import timezone

from cases.services import submit_referral
from notifications import attachments
from notifications.delivery import deliver_due
from notifications.enums import DeliveryState, NotificationKind
from notifications.models import Notification
from tests.documents.test_services import run_worker
from tests.workflows.conftest import Journey

pytestmark = pytest.mark.django_db


class TricklingServer:
    """Accepts every connection, then sends its greeting one byte every `pause` seconds
    (some 20 s), then says nothing: no read ever waits long enough to time out."""

    def __init__(self, pause: float = 0.2):
        self.pause = pause
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.sessions = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # stopped
            self.sessions += 1
            threading.Thread(target=self._trickle, args=(client,), daemon=True).start()

    def _trickle(self, client: socket.socket) -> None:
        with client:
            greeting = b"220 " + b"x" * 100  # some 20 s, then silence
            for byte in greeting:
                if self.stopped.wait(self.pause):
                    return
                try:
                    client.sendall(bytes([byte]))
                except OSError:
                    return  # the client cut the session

    def stop(self) -> None:
        self.stopped.set()
        with contextlib.suppress(OSError):
            self.listener.close()


@pytest.fixture
def trickling(settings, smtp):
    server = TricklingServer()
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5  # each byte comes well within it
    settings.EMAIL_SESSION_BUDGET = 1
    yield server
    server.stop()


@pytest.fixture
def returned(mail_users, make_case, client):
    case = make_case()
    submit_referral(mail_users["poste_agent"], case, confirm_duplicate=True)
    deliver_due()
    Journey(client, case).step(
        mail_users["head"],
        "receivability",
        {"decision": "return", "grounds": ["pieces"], "missing": "Kbis à jour"},
    )
    return case


def test_a_trickling_server_is_cut_off_at_the_session_budget_and_the_emails_wait(
    trickling, smtp, settings, returned
):
    run_worker()  # the receipt is ready: nothing but the server holds the emails
    smtp.inbox.messages.clear()
    later = timezone.now() + attachments.LOOK_AGAIN
    sessions = trickling.sessions
    report = deliver_due(later)
    assert trickling.sessions == sessions + 1  # one session, cut: no other tried
    assert report.emails_sent == 0
    waiting = Notification.objects.filter(state=DeliveryState.RETRYING)
    assert waiting.count() == report.failed > 0
    assert all("Session SMTP interrompue après 1 s" in n.last_error for n in waiting)

    settings.EMAIL_PORT = smtp.port  # the server behaves again: they all go, once
    report = deliver_due(later, retry_now=True)
    assert report.failed == 0 and report.emails_sent == len(smtp.inbox.messages) > 0
    assert not Notification.objects.filter(state=DeliveryState.RETRYING).exists()


def test_a_missing_pdf_sends_its_email_without_it_and_holds_no_other(smtp, returned, settings):
    run_worker()
    document = returned.documents.get(kind="accuse")
    document.file.storage.delete(document.file.name)  # the file is gone from the disk
    smtp.inbox.messages.clear()
    report = deliver_due(timezone.now() + attachments.LOOK_AGAIN)
    assert report.failed == 0, list(Notification.objects.values_list("last_error", flat=True))
    assert report.emails_sent == len(smtp.inbox.messages) > 1
    assert not Notification.objects.filter(state=DeliveryState.RETRYING).exists()
    mailbox = returned.poste_comptable.mailbox
    notification = Notification.objects.get(
        case=returned, kind=NotificationKind.RETURNED_FOR_COMPLETION, mailbox=mailbox
    )
    assert notification.state == DeliveryState.SENT
    (message,) = [m for m in smtp.inbox.to(mailbox) if "Résumé" not in str(m["Subject"])]
    assert not [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"{settings.SITE_URL}/documents/{returned.reference}/"
    assert "n'a pas pu être joint" in text and link in text
    assert "n'a pas pu être joint" in html and f'href="{link}"' in html


def test_the_session_budget_does_not_cut_a_healthy_run(smtp, settings, returned):
    """Many messages through a good server: sessions are renewed before their budget."""
    run_worker()
    settings.EMAIL_SESSION_BUDGET = 60
    report = deliver_due(timezone.now() + datetime.timedelta(days=1), retry_now=True)
    assert report.failed == 0 and report.emails_sent > 0
