"""Delivering the outbox by email: each notification at most once, none lost.

`deliver_due` takes the notifications whose email is due, one transaction each (a digest:
one transaction for all the items of its recipient), locks the rows (`SELECT ... FOR UPDATE
SKIP LOCKED` where the database has it, so that two workers never take the same row; on
SQLite the write transaction itself serialises them), sends, and marks them sent in that
same transaction. A failure keeps the notification waiting, with a growing delay.

- Refused by the mail server (an address rejected, a message refused): after MAX_ATTEMPTS
  attempts it is set aside; an administrator sees it and retries it from the admin.
- The server cannot be reached (connection refused, timeout, disconnection, a session
  over its budget, notifications/smtp.py): the run stops trying, every due notification
  keeps waiting with a growing delay (at most the last of RETRY_DELAYS), and is never set
  aside for that: everything goes out once it is back.
- A message that cannot be built (a local error: its PDF unreadable is not one, see
  attachments.py) is that message's failure only: the others go.

If the process dies between the server accepting a message and the commit, that message
is sent again on the next run: with the same Message-ID, so that it can be recognised.
"""

from __future__ import annotations

import contextlib
import datetime
import smtplib
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import attachments
from .enums import Channel, DeliveryState
from .models import MAX_ATTEMPTS, Notification, message_id_domain, retry_delay

# Errors that say "this message was refused", as opposed to "the server is not there".
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
    ValueError,  # a malformed address or header
    UnicodeError,
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


@dataclass
class Report:
    emails_sent: int = 0  # emails accepted by the server during this run
    notifications_sent: int = 0  # notifications they carried (a digest carries several)
    failed: int = 0  # notifications that failed during this run
    set_aside: int = 0  # of which set aside during this run
    waiting: int = 0  # after the run: still to send (later, or at their next attempt)
    set_aside_total: int = 0  # after the run: all set aside, waiting for an administrator
    next_due: datetime.datetime | None = None  # after the run: the earliest waiting one

    def as_dict(self) -> dict:
        data = asdict(self)
        data["next_due"] = self.next_due.isoformat() if self.next_due else None
        return data

    def in_french(self) -> str:
        lines = [
            f"Courriels envoyés : {self.emails_sent} "
            f"({_plural(self.notifications_sent, 'notification')}).",
            f"En attente : {self.waiting}.",
            f"Mises de côté : {self.set_aside_total}"
            + (f" (dont {self.set_aside} pendant cet envoi)" if self.set_aside else "")
            + ".",
        ]
        if self.failed:
            lines.append(f"Échecs pendant cet envoi : {self.failed}.")
        return " ".join(lines)


class _Sender:
    """One connection to the mail server for a run; remembers when the server is gone."""

    def __init__(self) -> None:
        self.connection = None
        self.unreachable: BaseException | None = None

    def send(self, message: EmailMultiAlternatives) -> None:
        session_age = getattr(self.connection, "session_age", None)
        if session_age is not None and session_age() > self.connection.session_budget / 2:
            self.close()  # a fresh session, with its whole budget, for the next messages
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        if self.connection.send_messages([message]) != 1:
            raise smtplib.SMTPServerDisconnected("Le serveur de courriel n'a pas pris le message.")

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # a broken connection is closed anyway
                self.connection.close()
            self.connection = None


def _due(now: datetime.datetime, retry_now: bool, digest_now: bool) -> QuerySet[Notification]:
    when = Q(next_attempt_at__lte=now)
    if retry_now:
        when |= Q(state=DeliveryState.RETRYING)
    if digest_now:
        when |= Q(state=DeliveryState.PENDING, channel=Channel.DIGEST)
    return Notification.objects.filter(
        when, state__in=[DeliveryState.PENDING, DeliveryState.RETRYING]
    )


def _locked(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """The rows locked for this transaction; rows another worker holds are skipped."""
    features = connection.features
    return queryset.select_related("user", "case", "event").select_for_update(
        skip_locked=features.has_select_for_update_skip_locked,
        of=("self",) if features.has_select_for_update_of else (),
    )


def _headers(message_id: str, ids: list[int]) -> dict:
    return {
        "Message-ID": message_id,
        "Auto-Submitted": "auto-generated",
        "X-PNSR-Notifications": " ".join(str(pk) for pk in ids),
    }


def _single_line(text: str) -> str:
    return " ".join(text.split())


def _no_address(notification: Notification) -> str:
    """Why this notification cannot be emailed any more, or ''."""
    user = notification.user
    if user is None:
        return ""
    if not user.is_active:
        return "Compte désactivé : pas de courriel."
    if not user.email:
        return "Pas d'adresse électronique : pas de courriel."
    return ""


def _message_for(notification: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=_single_line(notification.subject),
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers=_headers(notification.email_message_id, [notification.pk]),
    )
    message.attach_alternative(notification.body_html, "text/html")
    return message


def _digest_for(items: list[Notification]) -> tuple[EmailMultiAlternatives, str]:
    """One email listing a recipient's digest items, oldest first."""
    first = items[0]
    message_id = f"<pnsr-digest-{items[0].pk}-{items[-1].pk}@{message_id_domain()}>"
    cases = len({item.case_id for item in items})
    context = {
        "items": items,
        "recipient": first.user,
        "mailbox": first.mailbox,
        "site_url": settings.SITE_URL,
        "preferences_link": settings.SITE_URL + reverse("notifications:preferences"),
    }
    subject = (
        f"[PNSR] Résumé quotidien : {_plural(len(items), 'notification')} "
        f"sur {_plural(cases, 'dossier')}"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[first.address],
        headers=_headers(message_id, [n.pk for n in items]),
    )
    message.attach_alternative(
        render_to_string("notifications/email/digest.html", context), "text/html"
    )
    return message, message_id


def _mark_sent(items: list[Notification], now: datetime.datetime, message_id: str) -> None:
    for item in items:
        item.state = DeliveryState.SENT
        item.sent_at = now
        item.attempts += 1
        item.message_id = message_id
        item.last_error = ""
        item.next_attempt_at = None
    Notification.objects.bulk_update(
        items, ["state", "sent_at", "attempts", "message_id", "last_error", "next_attempt_at"]
    )


def _mark_failed(
    items: list[Notification], now: datetime.datetime, error: BaseException, *, refused: bool
) -> int:
    """Record a failed attempt; return how many were set aside."""
    set_aside = 0
    text = f"{type(error).__name__}: {error}"[:2000]
    for item in items:
        item.attempts += 1
        item.last_error = text
        if refused and item.attempts >= MAX_ATTEMPTS:
            item.state = DeliveryState.SET_ASIDE
            item.next_attempt_at = None
            set_aside += 1
        else:
            item.state = DeliveryState.RETRYING
            item.next_attempt_at = now + retry_delay(item.attempts)
    Notification.objects.bulk_update(items, ["attempts", "last_error", "state", "next_attempt_at"])
    return set_aside


def _drop_unaddressable(items: list[Notification]) -> list[Notification]:
    """Notifications whose user can no longer receive email stay in the application."""
    keep = []
    for item in items:
        reason = _no_address(item)
        if reason:
            item.state, item.last_error, item.next_attempt_at = DeliveryState.NONE, reason, None
            item.save(update_fields=["state", "last_error", "next_attempt_at"])
        else:
            keep.append(item)
    return keep


def _attempt(
    items: list[Notification],
    build,
    sender: _Sender,
    now: datetime.datetime,
    report: Report,
) -> None:
    """Send one email carrying `items` (already locked) and record the outcome."""
    items = _drop_unaddressable(items)
    if not items:
        return
    try:
        message, message_id = build(items)
    except DatabaseError:
        raise
    except Exception as error:  # noqa: BLE001 - building it is this message's own problem
        report.failed += len(items)
        report.set_aside += _mark_failed(items, now, error, refused=True)
        return
    try:
        sender.send(message)
    except DatabaseError:
        raise
    except MESSAGE_ERRORS as error:
        report.failed += len(items)
        report.set_aside += _mark_failed(items, now, error, refused=True)
    except (OSError, smtplib.SMTPException) as error:
        sender.unreachable = error
        sender.close()
        report.failed += len(items)
        _mark_failed(items, now, error, refused=False)
    except Exception as error:  # anything else is this message's problem
        report.failed += len(items)
        report.set_aside += _mark_failed(items, now, error, refused=True)
    else:
        _mark_sent(items, now, message_id)
        report.emails_sent += 1
        report.notifications_sent += len(items)


def _single(items: list[Notification]) -> tuple[EmailMultiAlternatives, str]:
    message = _message_for(items[0])
    attachments.attach(message, items[0])
    return message, items[0].email_message_id


def _postpone(item: Notification, now: datetime.datetime) -> None:
    """Its document is still being produced: look again soon (not an attempt)."""
    item.next_attempt_at = now + attachments.LOOK_AGAIN
    item.save(update_fields=["next_attempt_at"])


def deliver_due(
    now: datetime.datetime | None = None, *, retry_now: bool = False, digest_now: bool = False
) -> Report:
    """Send every email that is due once, and return what happened.

    `retry_now`: also the notifications waiting for their next attempt. `digest_now`: also
    the digests of the current day (normally sent once the day is over)."""
    now = now or timezone.now()
    report = Report()
    sender = _Sender()
    due = _due(now, retry_now, digest_now)
    try:
        immediate = due.filter(channel=Channel.IMMEDIATE).order_by("next_attempt_at", "pk")
        for pk in list(immediate.values_list("pk", flat=True)):
            if sender.unreachable is not None:
                break
            with transaction.atomic():
                items = list(_locked(_due(now, retry_now, digest_now).filter(pk=pk)))
                if items and attachments.still_waiting(items[0], now):
                    _postpone(items[0], now)
                elif items:
                    _attempt(items, _single, sender, now, report)

        digests = due.filter(channel=Channel.DIGEST).order_by("user_id", "mailbox")
        for user_id, mailbox in list(digests.values_list("user_id", "mailbox").distinct()):
            if sender.unreachable is not None:
                break
            with transaction.atomic():
                mine = _due(now, retry_now, digest_now).filter(
                    channel=Channel.DIGEST, user_id=user_id, mailbox=mailbox
                )
                items = list(_locked(mine).order_by("pk"))
                if items:
                    _attempt(items, _digest_for, sender, now, report)

        if sender.unreachable is not None:
            # The server is gone: everything else that was due waits, without trying.
            with transaction.atomic():
                items = list(_locked(_due(now, retry_now, digest_now)))
                report.failed += len(items)
                _mark_failed(items, now, sender.unreachable, refused=False)
    finally:
        sender.close()

    waiting = Notification.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.RETRYING])
    report.waiting = waiting.count()
    report.next_due = (
        waiting.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    )
    report.set_aside_total = Notification.objects.filter(state=DeliveryState.SET_ASIDE).count()
    return report
