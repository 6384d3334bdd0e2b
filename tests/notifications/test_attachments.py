"""The opinion, the decision report and the receivability receipt travel with the emails
that announce them, as PDF, once the background worker has produced them."""

import datetime

import pytest
from django.utils import timezone

from cases.services import submit_referral
from notifications import attachments
from notifications.delivery import deliver_due
from notifications.enums import NotificationKind
from notifications.models import Notification
from tests.documents.test_services import run_worker
from tests.workflows.conftest import Journey

pytestmark = pytest.mark.django_db


def _return_emails(smtp, mailbox) -> list:
    """The emails announcing the return (not a daily digest, which a clock moved past
    midnight would also send)."""
    return [m for m in smtp.inbox.to(mailbox) if "Résumé" not in str(m["Subject"])]


def _pdfs(message) -> list[tuple[str, bytes]]:
    return [
        (part.get_filename(), part.get_content())
        for part in message.iter_attachments()
        if part.get_content_type() == "application/pdf"
    ]


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


def test_the_receipt_waits_for_its_pdf_then_goes_with_it(smtp, returned):
    mailbox = returned.poste_comptable.mailbox
    smtp.inbox.messages.clear()
    report = deliver_due()  # the receipt is still being produced: the email waits
    assert not _return_emails(smtp, mailbox)
    notification = Notification.objects.get(
        case=returned, kind=NotificationKind.RETURNED_FOR_COMPLETION, mailbox=mailbox
    )
    assert notification.attempts == 0 and report.waiting >= 1

    run_worker()
    deliver_due(timezone.now() + attachments.LOOK_AGAIN)
    (message,) = _return_emails(smtp, mailbox)
    ((name, content),) = _pdfs(message)
    assert name == f"{returned.reference}_accuse_v1.pdf" and content.startswith(b"%PDF")
    document = returned.documents.get(kind="accuse")
    assert len(content) == document.size


def test_past_the_wait_the_email_goes_without_its_pdf(smtp, returned):
    mailbox = returned.poste_comptable.mailbox
    smtp.inbox.messages.clear()
    deliver_due(timezone.now() + attachments.WAIT + datetime.timedelta(seconds=1))
    (message,) = _return_emails(smtp, mailbox)
    assert _pdfs(message) == []
    assert returned.reference in message.get_body(preferencelist=("plain",)).get_content()


def test_an_altered_pdf_is_left_out_of_the_email(smtp, returned):
    """Its bytes no longer match their SHA-256: the email goes without it (its link to the
    case stays), and the administrators are told (cases.integrity)."""
    mailbox = returned.poste_comptable.mailbox
    run_worker()
    document = returned.documents.get(kind="accuse")
    with open(document.file.path, "r+b") as handle:
        handle.seek(20)
        handle.write(b"falsifie")
    smtp.inbox.messages.clear()
    deliver_due(timezone.now() + attachments.LOOK_AGAIN)
    (message,) = _return_emails(smtp, mailbox)
    assert _pdfs(message) == []
    assert returned.reference in message.get_body(preferencelist=("plain",)).get_content()


def test_the_acknowledgement_of_an_accepted_referral_goes_at_once_with_its_pdf(
    smtp, mail_users, make_case, client
):
    case = make_case()
    submit_referral(mail_users["poste_agent"], case, confirm_duplicate=True)
    deliver_due()
    Journey(client, case).step(mail_users["head"], "receivability", {"decision": "accept"})
    smtp.inbox.messages.clear()
    run_worker()
    deliver_due(timezone.now() + attachments.LOOK_AGAIN)  # the same day: no digest
    for address in (case.poste_comptable.mailbox, mail_users["direction_agent"].email):
        (message,) = _return_emails(smtp, address)
        ((name, content),) = _pdfs(message)
        assert name == f"{case.reference}_accuse_v1.pdf" and content.startswith(b"%PDF")
