"""Who is told what, and how by default: data, not code branches.

A case event becomes a notification kind (`TRANSITION_KINDS` by lifecycle transition name,
`EVENT_KINDS` by history entry kind); each kind has a `Rule` naming its audiences and its
default channel. The workflow (hearings, lawyer, decisions, appeals) and the documents add
their events by adding an entry to these tables and, for a new kind, a `NotificationKind`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cases import access
from cases.enums import EventKind, Role

from .enums import Channel, NotificationKind

K = NotificationKind


class Audience(StrEnum):
    """The people a case event may concern."""

    ASSIGNEES = "assignees"  # the jurist or expert the event has just given the case to
    JURIST = "jurist"  # the case's assigned jurist
    POLE_CONTACT = "pole_contact"  # the assigned jurist, or the heads while none is assigned
    EXPERT = "expert"  # the case's assigned expert (helping direction)
    HEAD = "head"  # the heads of the pôle
    INTAKE = "intake"  # the jurists on intake duty (cases.access.on_intake_duty)
    POSTE_AGENTS = "poste_agents"  # the users of the case's poste comptable
    DIRECTION_AGENTS = "direction_agents"  # the agents of the case's direction
    POSTE_MAILBOX = "poste_mailbox"  # the poste comptable's functional mailbox (email only)
    FOLLOWERS = "followers"  # the pôle's users who follow the case (cases.access.followers)


# When a user belongs to several audiences of one event, the first one here decides the
# default channel (the assigned jurist who is also a head of the pôle is told as the jurist).
AUDIENCE_PRIORITY = [
    Audience.ASSIGNEES,
    Audience.JURIST,
    Audience.POLE_CONTACT,
    Audience.EXPERT,
    Audience.INTAKE,
    Audience.HEAD,
    Audience.FOLLOWERS,
    Audience.POSTE_AGENTS,
    Audience.DIRECTION_AGENTS,
]

# The followers of a case are told what its assigned jurist is told: whenever one of these
# audiences is (the jurist, or the pôle's contact on the case), they are too.
FOLLOWED_AUDIENCES = frozenset({Audience.JURIST, Audience.POLE_CONTACT})


def with_followers(audiences: tuple[Audience, ...]) -> tuple[Audience, ...]:
    if Audience.FOLLOWERS in audiences or not FOLLOWED_AUDIENCES & set(audiences):
        return audiences
    return (*audiences, Audience.FOLLOWERS)


REFERRING_SIDE = (Audience.POSTE_MAILBOX, Audience.POSTE_AGENTS, Audience.DIRECTION_AGENTS)
IMMEDIATE, DIGEST = Channel.IMMEDIATE, Channel.DIGEST
ACKNOWLEDGEMENT = dict.fromkeys(REFERRING_SIDE, DIGEST)


@dataclass(frozen=True)
class Rule:
    audiences: tuple[Audience, ...]
    default: Channel
    # Default channel for some audiences, when it differs from `default`.
    by_audience: dict[Audience, Channel] = field(default_factory=dict)
    # Channel imposed on some audiences whatever their preferences.
    forced: dict[Audience, Channel] = field(default_factory=dict)

    def channel_for(self, audience: Audience, preference: Channel | None) -> Channel:
        if audience in self.forced:
            return self.forced[audience]
        if preference is not None:
            return preference
        return self.by_audience.get(audience, self.default)

    def default_for(self, audience: Audience) -> Channel:
        return self.forced.get(audience) or self.by_audience.get(audience, self.default)


# Decisions and opinions reach the poste comptable's mailbox at once, whatever anyone chose.
TO_THE_POSTE_AT_ONCE = {Audience.POSTE_MAILBOX: IMMEDIATE}

RULES: dict[NotificationKind, Rule] = {
    # A new referral: the heads and the jurists on intake duty examine its receivability.
    K.REFERRAL_RECEIVED: Rule(
        (*REFERRING_SIDE, Audience.HEAD, Audience.INTAKE, Audience.JURIST),
        IMMEDIATE,
        by_audience=ACKNOWLEDGEMENT,
    ),
    K.RETURNED_FOR_COMPLETION: Rule((*REFERRING_SIDE, Audience.JURIST), IMMEDIATE),
    # The acknowledgement of receipt (its PDF attached, notifications.attachments): at once.
    K.ACCEPTED: Rule((*REFERRING_SIDE, Audience.JURIST), IMMEDIATE),
    K.DECLINED: Rule((*REFERRING_SIDE, Audience.JURIST), IMMEDIATE),
    K.ASSIGNED: Rule(
        (*REFERRING_SIDE, Audience.ASSIGNEES, Audience.JURIST, Audience.EXPERT),
        DIGEST,
        by_audience={Audience.ASSIGNEES: IMMEDIATE},
    ),
    K.OPINION_GIVEN: Rule(
        (*REFERRING_SIDE, Audience.JURIST, Audience.EXPERT),
        IMMEDIATE,
        forced=TO_THE_POSTE_AT_ONCE,
    ),
    K.SUPPORT_STARTED: Rule((*REFERRING_SIDE, Audience.JURIST), DIGEST),
    K.TAKEN_OVER: Rule((*REFERRING_SIDE, Audience.JURIST), DIGEST),
    K.ACTION_ENGAGED: Rule((*REFERRING_SIDE, Audience.JURIST), DIGEST),
    K.AWAITING_DECISION: Rule((*REFERRING_SIDE, Audience.JURIST), DIGEST),
    K.DECISION_RECORDED: Rule(
        (*REFERRING_SIDE, Audience.JURIST), IMMEDIATE, forced=TO_THE_POSTE_AT_ONCE
    ),
    K.APPEAL: Rule((*REFERRING_SIDE, Audience.JURIST), IMMEDIATE),
    K.EXECUTION: Rule((*REFERRING_SIDE, Audience.JURIST), DIGEST),
    K.CLOSED: Rule((*REFERRING_SIDE, Audience.JURIST, Audience.EXPERT), DIGEST),
    K.WITHDRAWN: Rule(
        (*REFERRING_SIDE, Audience.JURIST, Audience.HEAD, Audience.EXPERT), IMMEDIATE
    ),
    # A thread's messages go to its people, not to the mailbox; the header already counts
    # unread messages, so one summary a day by default.
    K.MESSAGE_RECEIVED: Rule(
        (
            Audience.POSTE_AGENTS,
            Audience.DIRECTION_AGENTS,
            Audience.POLE_CONTACT,
            Audience.EXPERT,
        ),
        DIGEST,
    ),
    # The judicial phase: the lawyer, hearings and adjournments, sums recovered. The
    # referring side reads them in its daily summary; the assigned jurist at once.
    K.PROCEEDINGS: Rule((*REFERRING_SIDE, Audience.JURIST), IMMEDIATE, by_audience=ACKNOWLEDGEMENT),
    # An opinion submitted for validation, or returned to its author: between the author
    # (the assigned jurist or expert) and the heads of the pôle.
    K.OPINION_REVIEW: Rule((Audience.HEAD, Audience.JURIST, Audience.EXPERT), IMMEDIATE),
    # What the direction made of the opinion (a takeover may follow).
    K.OPINION_FOLLOW_UP: Rule((Audience.JURIST, Audience.EXPERT, Audience.HEAD), IMMEDIATE),
    # A step the people of the case were told about has been cancelled or undone.
    K.STEP_REVERSED: Rule((*REFERRING_SIDE, Audience.JURIST, Audience.EXPERT), IMMEDIATE),
    # A deadline of the case approaches or is over (deadlines.reminders): the assigned
    # jurist (the heads while none is assigned), and the heads too once it is over
    # (DEADLINE_REMINDER_AUDIENCES).
    K.DEADLINE_REMINDER: Rule((Audience.POLE_CONTACT, Audience.HEAD), IMMEDIATE),
    # A step of the pôle nears its time target (workflows.targets): its holder (the
    # heads while nobody holds it); once late, the heads (STEP_TARGET_AUDIENCES).
    K.STEP_TARGET: Rule((Audience.ASSIGNEES, Audience.HEAD), IMMEDIATE),
    # Saisie immobilière: the way the orientation judgment sends the case (vente amiable,
    # vente forcée, suspension), the adjudication and what undoes it (surenchère,
    # réitération des enchères), the price paid and its distribution. The direction and
    # the poste comptable follow the money: at once, and the poste's mailbox whatever it
    # chose.
    K.SALE: Rule((*REFERRING_SIDE, Audience.JURIST), IMMEDIATE, forced=TO_THE_POSTE_AT_ONCE),
    # A piece added to a case already sent, by the referring side or by the pôle: the
    # other side's people, as a thread's message (its author is never told of it).
    K.PIECE_ADDED: Rule(
        (
            Audience.POSTE_AGENTS,
            Audience.DIRECTION_AGENTS,
            Audience.POLE_CONTACT,
            Audience.EXPERT,
        ),
        DIGEST,
        by_audience={Audience.POLE_CONTACT: IMMEDIATE},
    ),
}

# The audiences of a deadline reminder, before and after the deadline.
DEADLINE_REMINDER_AUDIENCES: dict[str, tuple[Audience, ...]] = {
    "upcoming": (Audience.POLE_CONTACT,),
    "overdue": (Audience.POLE_CONTACT, Audience.HEAD),
}

# The audiences of a step's time target: its holder before, the heads once it is late.
STEP_TARGET_AUDIENCES: dict[str, tuple[Audience, ...]] = {
    "upcoming": (Audience.ASSIGNEES,),
    "unheld": (Audience.HEAD,),
    "late": (Audience.HEAD,),
}

# Lifecycle transitions (cases.lifecycle.CaseLifecycle method names) -> kind.
TRANSITION_KINDS: dict[str, NotificationKind] = {
    "submit": K.REFERRAL_RECEIVED,
    "resubmit": K.REFERRAL_RECEIVED,
    "return_for_completion": K.RETURNED_FOR_COMPLETION,
    "accept": K.ACCEPTED,
    "decline": K.DECLINED,
    "give_opinion": K.OPINION_GIVEN,
    "start_support": K.SUPPORT_STARTED,
    "take_over": K.TAKEN_OVER,
    "take_over_after_opinion": K.TAKEN_OVER,
    "engage_action": K.ACTION_ENGAGED,
    "reopen_hearings": K.ACTION_ENGAGED,
    "await_decision": K.AWAITING_DECISION,
    "record_decision": K.DECISION_RECORDED,
    "appeal": K.APPEAL,
    "start_execution": K.EXECUTION,
    "close": K.CLOSED,
    "close_after_opinion": K.CLOSED,
    "end_support": K.CLOSED,
    "withdraw": K.WITHDRAWN,
    # Saisie immobilière (after the orientation judgment)
    "authorise_amicable_sale": K.SALE,
    "order_forced_sale": K.SALE,
    "suspend_saisie": K.SALE,
    "distribute_price": K.SALE,
    # Saisie immobilière in Alsace-Moselle (loi du 1er juin 1924): the requête is the
    # action engaged; the ordonnance, told as the sale's steps (the poste at once); its
    # rejection, as a decision.
    "request_local_enforcement": K.ACTION_ENGAGED,
    "order_local_enforcement": K.SALE,
    "reject_local_request": K.DECISION_RECORDED,
    # Issue 17: a radiation, told as a decision
    "suspend_instance": K.DECISION_RECORDED,
    "lapse_instance": K.DECISION_RECORDED,
}

# Transitions that tell no one: a draft its author deleted (no one else ever saw it).
SILENT_TRANSITIONS = frozenset({"discard"})

# Other history entries -> kind. Drafts being written (created, updated, pieces added or
# removed) concern only their authors: no notification.
EVENT_KINDS: dict[str, NotificationKind] = {
    EventKind.ASSIGNED: K.ASSIGNED,
    EventKind.LAWYER_MANDATED: K.PROCEEDINGS,
    EventKind.MANDATE_REVOKED: K.PROCEEDINGS,
    EventKind.HEARING_SET: K.PROCEEDINGS,
    EventKind.HEARING_ADJOURNED: K.PROCEEDINGS,
    EventKind.HEARING_HELD: K.PROCEEDINGS,
    EventKind.RECOVERY_RECORDED: K.PROCEEDINGS,
    EventKind.OPINION_SUBMITTED: K.OPINION_REVIEW,
    EventKind.OPINION_RETURNED: K.OPINION_REVIEW,
    EventKind.OPINION_FOLLOW_UP: K.OPINION_FOLLOW_UP,
    EventKind.STEP_CANCELLED: K.STEP_REVERSED,
    EventKind.STEP_UNDONE: K.STEP_REVERSED,
    EventKind.PROCEDURE_ACT: K.PROCEEDINGS,
    EventKind.SALE_RECORDED: K.SALE,
}


def kind_for_event(event) -> NotificationKind | None:
    if event.kind == EventKind.TRANSITION:
        return TRANSITION_KINDS.get(event.transition)
    if event.kind == EventKind.PIECE_ADDED:  # told once the case is sent, not while drafted
        return K.PIECE_ADDED if (event.data or {}).get("sent") else None
    return EVENT_KINDS.get(event.kind)


def audiences_for(kind: NotificationKind, event) -> tuple[Audience, ...]:
    """The audiences told of `event`: its kind's, less the referring side when the entry
    is the pôle's internal work (`cases.access.is_internal_work`: an opinion step cancelled
    or undone, whose reason is the reviewer's comment)."""
    audiences = RULES[kind].audiences
    if access.is_internal_work(event):
        audiences = tuple(a for a in audiences if a not in REFERRING_SIDE)
    return audiences


# What each role usually is to a case, for the defaults shown on the preferences page.
ROLE_AUDIENCES: dict[str, tuple[Audience, ...]] = {
    Role.POSTE_AGENT: (Audience.POSTE_AGENTS,),
    Role.DIRECTION_AGENT: (Audience.DIRECTION_AGENTS,),
    Role.JURIST: (Audience.ASSIGNEES, Audience.JURIST, Audience.POLE_CONTACT, Audience.INTAKE),
    Role.HEAD: (Audience.ASSIGNEES, Audience.JURIST, Audience.POLE_CONTACT, Audience.HEAD),
    Role.EXPERT: (Audience.ASSIGNEES, Audience.EXPERT),
}


def role_default(kind: NotificationKind, role: str) -> Channel:
    """The channel a user of this role gets for this kind when they have chosen nothing:
    the one of their first audience that the kind concerns, else the kind's default."""
    rule = RULES[kind]
    for audience in ROLE_AUDIENCES.get(role, ()):
        if audience in rule.audiences:
            return rule.default_for(audience)
    return rule.default
