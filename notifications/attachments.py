"""The document an email carries: the receipt of a receivability decision, the opinion, the
decision report (PDF, produced in the background by the documents app). An immediate email
waits a little for its document; past that wait it goes without it (the link to the case
is in every email). A file that cannot be read (missing, unreadable) is this email's
matter only: it goes without the PDF, saying so, with the link to the case's documents."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail.message import EmailAlternative
from django.template.loader import render_to_string
from django.urls import reverse

from cases import integrity
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document

from .enums import NotificationKind as K

logger = logging.getLogger(__name__)

DOCUMENT_FOR = {
    K.ACCEPTED: DocumentKind.ACCUSE,
    K.RETURNED_FOR_COMPLETION: DocumentKind.ACCUSE,
    K.DECLINED: DocumentKind.ACCUSE,
    K.OPINION_GIVEN: DocumentKind.AVIS,
    K.DECISION_RECORDED: DocumentKind.COMPTE_RENDU,
}
WAIT = datetime.timedelta(minutes=15)
LOOK_AGAIN = datetime.timedelta(minutes=1)


def document_for(notification) -> Document | None:
    """The latest version of the document announced by this notification, if any; never
    the pôle's internal work (an opinion's PDF made before its validation), which an email
    to the referring side must not carry."""
    kind = DOCUMENT_FOR.get(notification.kind)
    if kind is None:
        return None
    document = (
        Document.objects.filter(case_id=notification.case_id, kind=kind)
        .order_by("-version")
        .first()
    )
    return None if document is None or document.internal_work else document


def still_waiting(notification, now: datetime.datetime) -> bool:
    """True while the notification's document is being produced, for a while."""
    document = document_for(notification)
    return (
        document is not None
        and document.status == DocumentStatus.PENDING
        and now - notification.created_at < WAIT
    )


def attach(message, notification) -> None:
    """Attach the announced PDF once its bytes are checked against their SHA-256. A
    missing, unreadable or altered file affects this email only: it goes without the PDF
    and says where to find it (the administrators are told of an altered one)."""
    document = document_for(notification)
    if document is None or document.status != DocumentStatus.READY:
        return
    try:
        handle = integrity.open_verified(document.file, document.sha256, document.integrity_label)
    except (OSError, integrity.TamperedFile) as error:
        # A missing, unreadable or altered file: this email goes without it, and says so
        # (the administrators are told of an altered one by integrity.open_verified).
        logger.error("Notification %s : PDF non joint (%s).", notification.pk, error)
        _say_unattached(message, document)
        return
    with handle:
        message.attach(document.filename, handle.read(), "application/pdf")


def _say_unattached(message, document) -> None:
    """The email says the PDF could not be attached and where to find it."""
    context = {
        "document": document,
        "link": settings.SITE_URL + reverse("documents:case", args=[document.case.reference]),
    }
    message.body += render_to_string("notifications/email/unattached.txt", context)
    note = render_to_string("notifications/email/unattached.html", context)
    message.alternatives = [
        EmailAlternative(_before_body_end(content, note), mimetype)
        if mimetype == "text/html"
        else EmailAlternative(content, mimetype)
        for content, mimetype in message.alternatives
    ]


def _before_body_end(html: str, note: str) -> str:
    head, end, tail = html.rpartition("</body>")
    return f"{head}{note}{end}{tail}" if end else html + note
