"""Writing notifications (in the transaction of the event that causes them) and the
operations users trigger on their own notifications and preferences."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases import access
from cases.enums import Role
from cases.formatting import de_name, person_name
from cases.models import Case, CaseEvent, Message, User

from .enums import Channel, DeliveryState, NotificationKind
from .models import Notification, NotificationPreference, next_digest_time
from .rules import (
    AUDIENCE_PRIORITY,
    DEADLINE_REMINDER_AUDIENCES,
    RULES,
    STEP_TARGET_AUDIENCES,
    Audience,
    audiences_for,
    kind_for_event,
    with_followers,
)
from .tasks import request_delivery


@dataclass
class Recipient:
    audience: Audience
    user: User | None = None
    mailbox: str = ""
    on_behalf_of: User | None = None  # the absent jurist `user` replaces


def _with_replacements(result: list[Recipient], actor: User | None) -> list[Recipient]:
    """Each absent jurist's notification goes to their replacement as well, marked so
    (cases.access.replacements_for), unless the replacement is told anyway or acted."""
    absent = access.replacements_for([r.user.pk for r in result if r.user is not None])
    told = {r.user.pk for r in result if r.user is not None}
    for recipient in list(result):
        replacement = absent.get(recipient.user.pk) if recipient.user else None
        if replacement is None or replacement.pk in told:
            continue
        if actor is not None and replacement.pk == actor.pk:
            continue
        told.add(replacement.pk)
        result.append(Recipient(recipient.audience, user=replacement, on_behalf_of=recipient.user))
    return result


def recipients(
    case: Case, kind: NotificationKind, actor: User | None, assignees=(), audiences=None
) -> list[Recipient]:
    """The people the rule of `kind` names for this case (or only its `audiences`), each
    once (with their first audience in AUDIENCE_PRIORITY), active, never the actor; the
    case's followers whenever its jurist is told (rules.with_followers)."""
    audiences = with_followers(RULES[kind].audiences if audiences is None else tuple(audiences))
    found: dict[int, set[Audience]] = {}

    def add(user_id: int | None, audience: Audience) -> None:
        if user_id is not None:
            found.setdefault(user_id, set()).add(audience)

    wanted = Q(pk__in=[])
    if Audience.ASSIGNEES in audiences:
        for user_id in assignees:
            add(user_id, Audience.ASSIGNEES)
    if Audience.JURIST in audiences:
        add(case.assigned_jurist_id, Audience.JURIST)
    if Audience.POLE_CONTACT in audiences:
        if case.assigned_jurist_id:
            add(case.assigned_jurist_id, Audience.POLE_CONTACT)
        else:
            wanted |= Q(role=Role.HEAD)
    if Audience.EXPERT in audiences:
        add(case.assigned_expert_id, Audience.EXPERT)
    if Audience.HEAD in audiences:
        wanted |= Q(role=Role.HEAD)
    if Audience.FOLLOWERS in audiences:
        for user_id in access.followers(case).values_list("pk", flat=True):
            add(user_id, Audience.FOLLOWERS)
    if Audience.INTAKE in audiences:
        for user_id in access.on_intake_duty().values_list("pk", flat=True):
            add(user_id, Audience.INTAKE)
    if Audience.POSTE_AGENTS in audiences and case.poste_comptable_id:
        wanted |= Q(role=Role.POSTE_AGENT, poste_comptable_id=case.poste_comptable_id)
    if Audience.DIRECTION_AGENTS in audiences:
        wanted |= Q(role=Role.DIRECTION_AGENT, direction_id=case.direction_id)
    users = User.objects.filter(wanted | Q(pk__in=list(found)), is_active=True)
    if actor is not None:
        users = users.exclude(pk=actor.pk)

    result = []
    for user in users.order_by("pk"):
        mine = set(found.get(user.pk, ()))
        if user.role == Role.HEAD:
            if Audience.HEAD in audiences:
                mine.add(Audience.HEAD)
            if Audience.POLE_CONTACT in audiences and not case.assigned_jurist_id:
                mine.add(Audience.POLE_CONTACT)
        if user.role == Role.POSTE_AGENT and user.poste_comptable_id == case.poste_comptable_id:
            mine.add(Audience.POSTE_AGENTS)
        if user.role == Role.DIRECTION_AGENT and user.direction_id == case.direction_id:
            mine.add(Audience.DIRECTION_AGENTS)
        mine &= set(audiences)
        if mine:
            first = next(a for a in AUDIENCE_PRIORITY if a in mine)
            result.append(Recipient(first, user=user))
    result = _with_replacements(result, actor)
    if Audience.POSTE_MAILBOX in audiences and case.poste_comptable_id:
        mailbox = case.poste_comptable.mailbox.strip()
        if mailbox:
            result.append(Recipient(Audience.POSTE_MAILBOX, mailbox=mailbox))
    return result


def _channels(kind: NotificationKind, found: list[Recipient]) -> list[Channel]:
    rule = RULES[kind]
    users = [r.user.pk for r in found if r.user is not None]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=users, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    channels = []
    for recipient in found:
        preference = chosen.get(recipient.user.pk) if recipient.user else None
        channel = Channel(rule.channel_for(recipient.audience, preference))
        if recipient.user is None and channel == Channel.IN_APP:
            channel = Channel.DIGEST  # a mailbox only reads email
        if recipient.user is not None and not recipient.user.email:
            channel = Channel.IN_APP  # no address: the application only
        channels.append(channel)
    return channels


def _create(
    *,
    case: Case,
    kind: NotificationKind,
    source: str,
    found: list[Recipient],
    context: dict,
    url: str,
    event: CaseEvent | None = None,
) -> list[Notification]:
    """Render and write one notification per recipient not yet notified for `source`,
    then ask for a delivery once the transaction commits."""
    done_users = set()
    done_mailboxes = set()
    for user_id, mailbox in Notification.objects.filter(source=source).values_list(
        "user_id", "mailbox"
    ):
        done_users.add(user_id)
        done_mailboxes.add(mailbox)
    now = timezone.now()
    rows = []
    for recipient, channel in zip(found, _channels(kind, found), strict=True):
        if (recipient.user and recipient.user.pk in done_users) or (
            recipient.mailbox and recipient.mailbox in done_mailboxes
        ):
            continue
        subject, summary = context["subject"], context["summary"]
        if recipient.on_behalf_of is not None:
            replacing = f"En remplacement de {person_name(recipient.on_behalf_of)}"
            subject = f"[{replacing}] {subject}"
            summary = f"{replacing} : {summary}"
        values = {
            **context,
            "subject": subject,
            "summary": summary,
            "on_behalf_of": recipient.on_behalf_of,
            "case": case,
            "kind": kind,
            "kind_label": NotificationKind(kind).label,
            "recipient": recipient.user,
            "mailbox": recipient.mailbox,
            "link": _absolute(url),
            "preferences_link": _absolute(reverse("notifications:preferences")),
        }
        if channel == Channel.IN_APP:
            state, due = DeliveryState.NONE, None
        else:
            state = DeliveryState.PENDING
            due = now if channel == Channel.IMMEDIATE else next_digest_time(now)
        rows.append(
            Notification(
                user=recipient.user,
                mailbox=recipient.mailbox,
                case=case,
                event=event,
                source=source,
                kind=kind,
                subject=subject[:300],
                summary=summary[:300],
                on_behalf_of=recipient.on_behalf_of,
                body_text=render_to_string("notifications/email/notification.txt", values),
                body_html=render_to_string("notifications/email/notification.html", values),
                url=url,
                created_at=now,
                channel=channel,
                state=state,
                next_attempt_at=due,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if any(n.state == DeliveryState.PENDING for n in created):
        transaction.on_commit(request_delivery, robust=True)
    return created


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def notify_case_event(event: CaseEvent) -> list[Notification]:
    """On `cases.events.case_event_recorded` (sent by CaseEvent.record), in the event's
    transaction."""
    kind = kind_for_event(event)
    if kind is None:
        return []
    case = event.case
    assignees = [event.data.get(key) for key in ("jurist", "expert")] if event.data else []
    found = recipients(
        case, kind, event.actor, [a for a in assignees if a], audiences_for(kind, event)
    )
    if not found:
        return []
    context = {
        "subject": f"[PNSR] {case.reference} — {event.summary}",
        "summary": event.summary,
        "actor_label": event.actor_label,
        "reason": event.reason,
        "at": event.at,
    }
    return _create(
        case=case,
        kind=kind,
        source=f"event:{event.pk}",
        found=found,
        context=context,
        url=case.get_absolute_url(),
        event=event,
    )


def notify_message(message: Message) -> list[Notification]:
    """On `cases.events.message_posted` (sent by cases.services.post_message), in the
    message's transaction. The message itself is not copied into the email: it is read in
    the application."""
    case = message.case
    kind = NotificationKind.MESSAGE_RECEIVED
    found = recipients(case, kind, message.author)
    if not found:
        return []
    attachments = message.attachments.count()
    summary = f"Nouveau message {de_name(message.author_label)}"
    context = {
        "subject": f"[PNSR] {case.reference} — {summary}",
        "summary": summary,
        "actor_label": message.author_label,
        "reason": "",
        "at": message.sent_at,
        "attachments": attachments,
        "is_message": True,
    }
    return _create(
        case=case,
        kind=kind,
        source=f"message:{message.pk}",
        found=found,
        context=context,
        url=case.get_absolute_url() + "#echanges",
    )


def on_case_event_recorded(sender, event: CaseEvent, **kwargs) -> None:
    notify_case_event(event)


def on_message_posted(sender, message: Message, **kwargs) -> None:
    notify_message(message)


def on_reminder_due(sender, deadline, reminder, summary: str, overdue: bool, **kwargs) -> None:
    notify_deadline_reminder(
        deadline.case, source=f"reminder:{reminder.pk}", summary=summary, overdue=overdue
    )


def notify_deadline_reminder(
    case: Case, *, source: str, summary: str, overdue: bool, reason: str = ""
) -> list[Notification]:
    """A deadline reminder (deadlines.reminders), in the reminder's transaction: to the
    assigned jurist, and to the heads of the pôle too once the deadline is over.
    `source` ("reminder:<pk>") makes it unique per recipient."""
    kind = NotificationKind.DEADLINE_REMINDER
    audiences = DEADLINE_REMINDER_AUDIENCES["overdue" if overdue else "upcoming"]
    found = recipients(case, kind, None, audiences=audiences)
    if not found:
        return []
    context = {
        "subject": f"[PNSR] {case.reference} — {summary}",
        "summary": summary,
        "actor_label": "",
        "reason": reason,
        "at": timezone.now(),
    }
    return _create(
        case=case,
        kind=kind,
        source=source,
        found=found,
        context=context,
        url=reverse("deadlines:case", args=[case.reference]),
    )


def notify_step_target(
    case: Case, *, source: str, summary: str, moment: str, holder_id: int | None, url: str
) -> list[Notification]:
    """A step of the pôle near or past its time target (workflows.targets), in the
    transaction of its reminder's row: `moment` "upcoming" to the step's holder (`unheld`:
    the heads, who share out the queue), "late" to the heads. `source` ("step_target:<pk>")
    makes it unique per recipient."""
    kind = NotificationKind.STEP_TARGET
    audiences = STEP_TARGET_AUDIENCES[moment]
    assignees = [holder_id] if holder_id else []
    found = recipients(case, kind, None, assignees=assignees, audiences=audiences)
    if not found:
        return []
    context = {
        "subject": f"[PNSR] {case.reference} — {summary}",
        "summary": summary,
        "actor_label": "",
        "reason": "",
        "at": timezone.now(),
    }
    return _create(case=case, kind=kind, source=source, found=found, context=context, url=url)


# --- What users do with their notifications ------------------------------------------


@transaction.atomic
def retry(queryset: QuerySet[Notification], now: datetime.datetime | None = None) -> int:
    """Put set-aside (or waiting) notifications back in line for an attempt at once, with
    a fresh count of attempts; the delivery is asked for after commit."""
    count = queryset.filter(
        state__in=[DeliveryState.SET_ASIDE, DeliveryState.RETRYING, DeliveryState.PENDING]
    ).update(
        state=DeliveryState.PENDING,
        attempts=0,
        next_attempt_at=now or timezone.now(),
    )
    if count:
        transaction.on_commit(request_delivery, robust=True)
    return count


def mark_read(user: User, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False if it is not theirs."""
    mine = Notification.objects.filter(pk=notification_id, user=user)
    if not mine.exists():
        return False
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def open_notification(user: User, notification_id: int) -> str | None:
    """The user opens one of their notifications: it is read; its page's path (None if
    it is not theirs)."""
    url = (
        Notification.objects.filter(pk=notification_id, user=user)
        .values_list("url", flat=True)
        .first()
    )
    if url is None:
        return None
    mark_read(user, notification_id)
    return url


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_preferences(user: User, choices: dict[str, str]) -> None:
    """Store the user's channel for each kind given."""
    for kind, channel in choices.items():
        NotificationKind(kind)
        Channel(channel)
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )
