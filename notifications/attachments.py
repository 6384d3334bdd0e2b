"""The document an email carries: the receipt of a receivability decision, the opinion, the
decision report (PDF, produced in the background by the documents app). An immediate email
waits a little for its document; past that wait it goes without it (the link to the case
is in every email)."""

from __future__ import annotations

import datetime

from cases import integrity
from documents.enums import DocumentKind, DocumentStatus
from documents.models import Document

from .enums import NotificationKind as K

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
    """Attach the announced PDF once its bytes are checked against their SHA-256; an
    altered one is left out (the administrators are told, by cases.integrity)."""
    document = document_for(notification)
    if document is not None and document.status == DocumentStatus.READY:
        try:
            handle = integrity.open_verified(
                document.file, document.sha256, document.integrity_label
            )
        except integrity.TamperedFile:
            return
        with handle:
            message.attach(document.filename, handle.read(), "application/pdf")
