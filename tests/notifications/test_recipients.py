"""Who is notified of what: the poste comptable (its mailbox and its agents), the
direction's agents, the assigned jurist and expert, the head of the pôle where it concerns
them; never the actor, never another direction or poste, never management."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction

from cases import services
from cases.enums import EventKind, Mode
from cases.lifecycle import CaseLifecycle
from notifications.enums import Channel, DeliveryState, NotificationKind
from notifications.models import Notification
from notifications.rules import RULES, SILENT_TRANSITIONS, TRANSITION_KINDS
from notifications.services import notify_case_event

from .walk import LOCAL_LAW, SCENARIOS, channels, fire, names_of, notified, walk

REFERRING = {"mailbox", "poste_agent", "direction_agent"}

# transition -> who is notified (the pôle's transitions are fired by the head, the
# referrer's by the SIE de Laon's agent; the jurist and the expert are assigned after
# the submission).
EXPECTED = {
    "submit": {"mailbox", "direction_agent", "head"},
    "resubmit": {"mailbox", "direction_agent", "head", "jurist"},
    "return_for_completion": REFERRING | {"jurist"},
    "accept": REFERRING | {"jurist"},
    "decline": REFERRING | {"jurist"},
    "give_opinion": REFERRING | {"jurist", "expert"},
    "start_support": REFERRING | {"jurist"},
    "take_over": REFERRING | {"jurist"},
    "take_over_after_opinion": REFERRING | {"jurist"},
    "engage_action": REFERRING | {"jurist"},
    "await_decision": REFERRING | {"jurist"},
    "reopen_hearings": REFERRING | {"jurist"},
    # Issue 17: a radiation, a caducité: told as a decision
    "suspend_instance": REFERRING | {"jurist"},
    "lapse_instance": REFERRING | {"jurist"},
    "record_decision": REFERRING | {"jurist"},
    "appeal": REFERRING | {"jurist"},
    "start_execution": REFERRING | {"jurist"},
    "close": REFERRING | {"jurist", "expert"},
    "withdraw": {"mailbox", "direction_agent", "jurist", "head", "expert"},
    "close_after_opinion": {"mailbox", "direction_agent", "jurist", "expert"},
    "end_support": REFERRING | {"jurist", "expert"},
    # Saisie immobilière: the sale of the property (the poste's mailbox at once)
    "authorise_amicable_sale": REFERRING | {"jurist"},
    "order_forced_sale": REFERRING | {"jurist"},
    "suspend_saisie": REFERRING | {"jurist"},
    "distribute_price": REFERRING | {"jurist"},
    # Alsace-Moselle: the requête, the ordonnance (the poste's mailbox at once), its rejection
    "request_local_enforcement": REFERRING | {"jurist"},
    "order_local_enforcement": REFERRING | {"jurist"},
    "reject_local_request": REFERRING | {"jurist"},
}
NEVER = {
    "other_poste_agent",
    "other_direction_agent",
    "other_jurist",
    "management",
    "management_d02",
    "management_d67",
    "admin",
}


def test_every_transition_has_a_kind_and_a_scenario():
    from cases.lifecycle import transitions_table

    told = set(transitions_table()) - SILENT_TRANSITIONS
    assert told == set(TRANSITION_KINDS) == set(SCENARIOS) == set(EXPECTED)
    assert not SILENT_TRANSITIONS & set(TRANSITION_KINDS)
    assert set(RULES) == set(NotificationKind)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recipients_of_each_transition(mail_users, make_case, name):
    before, mode = SCENARIOS[name]
    case = make_case(mode, local_law=name in LOCAL_LAW)
    case = walk(case, mail_users, before, assign=name != "submit")
    event = fire(case, mail_users, name)
    assert notified(event, mail_users) == EXPECTED[name]
    assert {n.kind for n in Notification.objects.filter(event=event)} == {TRANSITION_KINDS[name]}
    # Nobody outside the case, at any step of the way.
    assert not names_of(Notification.objects.all(), mail_users) & NEVER
    mailbox = Notification.objects.filter(event=event, user=None).get()
    assert mailbox.mailbox == case.poste_comptable.mailbox


@pytest.mark.django_db
def test_the_actor_is_never_notified(mail_users, make_case):
    """The assigned jurist acts: the jurist is not told; the head is not told either
    (these steps do not concern the head)."""
    case = walk(make_case(), mail_users, ["submit", "accept", "take_over"])
    event = fire(case, mail_users, "engage_action", actor=mail_users["jurist"])
    assert notified(event, mail_users) == REFERRING
    walk(case, mail_users, ["await_decision", "record_decision"])
    closed = fire(case, mail_users, "close", actor=mail_users["jurist"])
    assert notified(closed, mail_users) == REFERRING | {"expert"}


@pytest.mark.django_db
def test_assignment_tells_the_new_assignees_at_once_and_the_referrer_in_the_digest(
    mail_users, make_case
):
    case = walk(make_case(), mail_users, ["submit"], assign=False)
    services.assign_case(
        mail_users["head"], case, jurist=mail_users["jurist"], expert=mail_users["expert"]
    )
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert channels(event, mail_users) == {
        "jurist": Channel.IMMEDIATE,
        "expert": Channel.IMMEDIATE,
        "mailbox": Channel.DIGEST,
        "poste_agent": Channel.DIGEST,
        "direction_agent": Channel.DIGEST,
    }
    # Giving the case to another jurist: the new one is told at once, the expert (already
    # on the case) in the digest, the former jurist not at all.
    services.assign_case(mail_users["head"], case, jurist=mail_users["other_jurist"])
    again = case.events.filter(kind=EventKind.ASSIGNED).order_by("-pk").first()
    assert channels(again, mail_users) == {
        "other_jurist": Channel.IMMEDIATE,
        "expert": Channel.DIGEST,
        "mailbox": Channel.DIGEST,
        "poste_agent": Channel.DIGEST,
        "direction_agent": Channel.DIGEST,
    }


@pytest.mark.django_db
def test_default_channels(mail_users, make_case):
    case = walk(make_case(), mail_users, ["submit"], assign=False)
    submitted = case.events.order_by("-pk").first()
    # The pôle must act at once; the referring side gets an acknowledgement in the digest.
    assert channels(submitted, mail_users) == {
        "head": Channel.IMMEDIATE,
        "mailbox": Channel.DIGEST,
        "direction_agent": Channel.DIGEST,
    }
    services.assign_case(mail_users["head"], case, jurist=mail_users["jurist"])
    returned = fire(case, mail_users, "return_for_completion")
    assert set(channels(returned, mail_users).values()) == {Channel.IMMEDIATE}
    fire(case, mail_users, "resubmit")
    accepted = fire(case, mail_users, "accept")
    # The acknowledgement of receipt of an accepted referral goes at once (with its PDF).
    assert set(channels(accepted, mail_users).values()) == {Channel.IMMEDIATE}


@pytest.mark.django_db
def test_a_new_referral_tells_the_jurists_on_intake_duty_at_once(mail_users, make_case):
    intake = Permission.objects.get(codename="intake", content_type__app_label="workflows")
    mail_users["other_jurist"].user_permissions.add(intake)
    case = walk(make_case(), mail_users, ["submit"], assign=False)
    submitted = case.events.order_by("-pk").first()
    told = channels(submitted, mail_users)
    assert told["other_jurist"] == Channel.IMMEDIATE and told["head"] == Channel.IMMEDIATE
    assert "jurist" not in told  # a jurist off duty is not told


@pytest.mark.django_db
def test_message_recipients(mail_users, make_case):
    """A thread's message goes to its people, not to the mailbox: while no jurist holds
    the case, the pôle side is the head; then the assigned jurist (and expert)."""
    case = walk(make_case(), mail_users, ["submit"], assign=False)
    message = services.post_message(mail_users["poste_agent"], case, "Une question.")
    mine = Notification.objects.filter(source=f"message:{message.pk}")
    assert names_of(mine, mail_users) == {"direction_agent", "head"}
    assert {n.kind for n in mine} == {NotificationKind.MESSAGE_RECEIVED}
    assert all(n.url == case.get_absolute_url() + "#echanges" for n in mine)

    services.assign_case(
        mail_users["head"], case, jurist=mail_users["jurist"], expert=mail_users["expert"]
    )
    answer = services.post_message(mail_users["jurist"], case, "Voici la réponse.")
    theirs = Notification.objects.filter(source=f"message:{answer.pk}")
    assert names_of(theirs, mail_users) == {"poste_agent", "direction_agent", "expert"}
    thanks = services.post_message(mail_users["direction_agent"], case, "Merci.")
    to_them = Notification.objects.filter(source=f"message:{thanks.pk}")
    assert names_of(to_them, mail_users) == {"poste_agent", "jurist", "expert"}


@pytest.mark.django_db
def test_a_direction_agent_referral_concerns_the_poste_too(mail_users, make_case):
    """When the direction submits, the poste's agents and mailbox hear of it."""
    case = make_case()
    event = fire(case, mail_users, "submit", actor=mail_users["direction_agent"])
    assert notified(event, mail_users) == {"mailbox", "poste_agent", "head"}


@pytest.mark.django_db
def test_inactive_users_and_users_without_address(mail_users, make_case):
    mail_users["direction_agent"].is_active = False
    mail_users["direction_agent"].save()
    mail_users["poste_agent"].email = ""
    mail_users["poste_agent"].save()
    case = walk(make_case(), mail_users, ["submit"])
    event = fire(case, mail_users, "accept")
    assert notified(event, mail_users) == {"mailbox", "poste_agent", "jurist"}
    no_address = Notification.objects.get(event=event, user=mail_users["poste_agent"])
    assert no_address.channel == Channel.IN_APP and no_address.state == DeliveryState.NONE


@pytest.mark.django_db
def test_written_in_the_event_transaction_and_only_once(mail_users, make_case):
    case = walk(make_case(), mail_users, ["submit"])
    with pytest.raises(RuntimeError), transaction.atomic():
        CaseLifecycle(case, mail_users["head"]).accept()
        assert Notification.objects.filter(kind=NotificationKind.ACCEPTED).exists()
        raise RuntimeError("rollback")
    assert not Notification.objects.filter(kind=NotificationKind.ACCEPTED).exists()

    case.refresh_from_db()
    event = fire(case, mail_users, "accept")
    count = Notification.objects.filter(event=event).count()
    assert count == 4
    assert notify_case_event(event) == []  # idempotent
    assert Notification.objects.filter(event=event).count() == count


@pytest.mark.django_db
def test_draft_work_notifies_nobody(mail_users, make_case):
    make_case()  # created, pieces added: only the author knows
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_wording_and_link(mail_users, make_case, settings):
    settings.SITE_URL = "https://pnsr.example.fr"
    case = walk(make_case(), mail_users, ["submit"])
    event = fire(case, mail_users, "decline")
    notification = Notification.objects.get(event=event, user=mail_users["poste_agent"])
    link = f"https://pnsr.example.fr/dossiers/{case.reference}/"
    assert notification.subject == f"[PNSR] {case.reference} — Demande refusée"
    assert notification.url == f"/dossiers/{case.reference}/"
    assert link in notification.body_text and f'href="{link}"' in notification.body_html
    assert "Enjeu trop faible" in notification.body_text
    assert "Bonjour" in notification.body_text and "préférences" in notification.body_text
    mailbox = Notification.objects.get(event=event, user=None)
    assert "boîte fonctionnelle" in mailbox.body_text


@pytest.mark.django_db
def test_opinion_in_avis_mode_reaches_the_mailbox_at_once(mail_users, make_case):
    case = walk(make_case(Mode.AVIS), mail_users, ["submit", "accept"])
    event = fire(case, mail_users, "give_opinion")
    assert channels(event, mail_users)["mailbox"] == Channel.IMMEDIATE
