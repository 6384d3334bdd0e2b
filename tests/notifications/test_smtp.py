"""Delivery through a real SMTP server (aiosmtpd on a local port): what arrives, the
digest, an outage during which nothing is lost and after which nothing goes twice, and a
message refused until it is set aside and retried from the admin."""

import collections
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.enums import Mode
from notifications.delivery import deliver_due
from notifications.enums import Channel, DeliveryState, NotificationKind
from notifications.models import MAX_ATTEMPTS, Notification
from notifications.services import set_preferences

from .walk import fire, walk


def _subject(message) -> str:
    return str(message["Subject"]).strip()  # a folded, encoded header keeps a leading space


def _parts(message) -> tuple[str, str]:
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


@pytest.mark.django_db
def test_immediate_notifications_arrive_with_their_recipient_subject_text_and_html(
    smtp, mail_users, make_case
):
    case = walk(make_case(), mail_users, ["submit"])
    deliver_due()  # the submission to the head, the assignment to the jurist and expert
    smtp.inbox.messages.clear()
    event = fire(case, mail_users, "return_for_completion")
    expected = {n.address: n for n in Notification.objects.filter(event=event)}
    assert set(expected) == {
        case.poste_comptable.mailbox,
        "comptable.laon@dgfip.test",
        "agent.d02@dgfip.test",
        "juriste.a@dgfip.test",
    }

    report = deliver_due()
    assert report.emails_sent == report.notifications_sent == 4 and report.failed == 0
    renvoi = smtp.inbox.messages
    assert sorted(m["To"] for m in renvoi) == sorted(expected)
    link = f"http://127.0.0.1:8000/dossiers/{case.reference}/"
    for message in renvoi:
        notification = expected[message["To"]]
        assert _subject(message) == (
            f"[PNSR] {case.reference} — Dossier renvoyé à la direction pour complément"
        )
        assert message["Message-ID"] == f"<pnsr-notification-{notification.pk}@127.0.0.1>"
        assert message["Auto-Submitted"] == "auto-generated"
        text, html = _parts(message)
        assert "Il manque l'état hypothécaire à jour." in text and link in text
        assert f'href="{link}"' in html and "<strong>Motif :</strong>" in html
        notification.refresh_from_db()
        assert notification.state == DeliveryState.SENT and notification.sent_at is not None
        assert notification.message_id == message["Message-ID"]

    count = len(smtp.inbox.messages)
    assert deliver_due(retry_now=True).emails_sent == 0  # nothing goes twice
    assert len(smtp.inbox.messages) == count


@pytest.mark.django_db
def test_the_digest_gathers_a_days_items_in_one_email_per_recipient(smtp, mail_users, make_case):
    case = walk(make_case(), mail_users, ["submit", "accept", "take_over", "engage_action"])
    deliver_due()  # the immediate ones (to the head, the assignment, the acceptance's receipt)
    smtp.inbox.messages.clear()
    agent = mail_users["poste_agent"]
    digest_items = Notification.objects.filter(user=agent, channel=Channel.DIGEST)
    assert digest_items.count() == 3  # assigned, taken over, action engaged
    assert all(n.state == DeliveryState.PENDING for n in digest_items)

    assert deliver_due().emails_sent == 0  # the day is not over
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    report = deliver_due(now=tomorrow)
    assert report.notifications_sent == Notification.objects.filter(channel=Channel.DIGEST).count()
    per_recipient = collections.Counter(m["To"] for m in smtp.inbox.messages)
    assert per_recipient == {
        case.poste_comptable.mailbox: 1,
        "comptable.laon@dgfip.test": 1,
        "agent.d02@dgfip.test": 1,
        "juriste.a@dgfip.test": 1,
    }
    (mine,) = smtp.inbox.to("comptable.laon@dgfip.test")
    assert _subject(mine) == "[PNSR] Résumé quotidien : 3 notifications sur 1 dossier"
    text, html = _parts(mine)
    for summary in [
        "Dossier attribué",
        "Dossier pris en charge par le pôle",
        "Action engagée",
    ]:
        assert summary in text and summary in html
    assert "Dossier déclaré recevable" not in text  # its receipt went at once
    assert text.count(f"http://127.0.0.1:8000/dossiers/{case.reference}/") == 3
    assert {n.message_id for n in digest_items.all()} == {mine["Message-ID"]}
    assert deliver_due(now=tomorrow, retry_now=True).emails_sent == 0


@pytest.mark.django_db
def test_digest_now_sends_the_current_days_digest(smtp, mail_users, make_case):
    walk(make_case(), mail_users, ["submit", "accept"])
    out = io.StringIO()
    call_command("send_notifications", "--digest-now", stdout=out)
    assert "Courriels envoyés" in out.getvalue()
    # The day's digest, besides the acceptance's receipt (sent at once).
    subjects = [_subject(m) for m in smtp.inbox.to("agent.d02@dgfip.test")]
    assert len([s for s in subjects if "Résumé" in s]) == 1 and len(subjects) == 2
    assert not Notification.objects.filter(state=DeliveryState.PENDING).exists()


@pytest.mark.django_db
def test_smtp_down_during_100_events_then_back_every_message_exactly_once(
    smtp, mail_users, make_case
):
    for key in ("poste_agent", "direction_agent"):
        set_preferences(mail_users[key], {NotificationKind.MESSAGE_RECEIVED: Channel.IMMEDIATE})
    case = walk(make_case(), mail_users, ["submit", "accept"])
    deliver_due(digest_now=True)
    smtp.inbox.messages.clear()

    smtp.stop()
    for index in range(100):
        services.post_message(mail_users["jurist"], case, f"Question n° {index + 1}")
        if index % 25 == 24:  # the worker keeps trying while the server is down
            report = deliver_due()
            assert report.emails_sent == 0 and report.failed == 50
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS + 2):  # a long outage: still never set aside
        later += datetime.timedelta(hours=7)  # past the longest delay (and the day's end)
        deliver_due(now=later)
    messages = Notification.objects.filter(kind=NotificationKind.MESSAGE_RECEIVED)
    immediate = messages.filter(channel=Channel.IMMEDIATE)
    assert immediate.count() == 200  # the two agents of the referring side
    assert messages.filter(channel=Channel.DIGEST, user=mail_users["expert"]).count() == 100
    assert set(messages.values_list("state", flat=True)) == {DeliveryState.RETRYING}
    assert min(immediate.values_list("attempts", flat=True)) >= MAX_ATTEMPTS
    assert "ConnectionRefusedError" in immediate.first().last_error

    smtp.start()
    out = io.StringIO()
    call_command("send_notifications", "--retry-now", stdout=out)
    assert "Courriels envoyés : 201 (300 notifications). En attente : 0." in out.getvalue()
    received = collections.Counter(m["Message-ID"] for m in smtp.inbox.messages)
    (digest,) = smtp.inbox.to("expert.d30@dgfip.test")
    assert received == {
        **{n.email_message_id: 1 for n in immediate},
        digest["Message-ID"]: 1,
    }
    assert collections.Counter(m["To"] for m in smtp.inbox.messages) == {
        "comptable.laon@dgfip.test": 100,
        "agent.d02@dgfip.test": 100,
        "expert.d30@dgfip.test": 1,
    }
    assert "Question n° 100" not in _parts(digest)[0]  # messages are read in the application
    call_command("send_notifications", "--retry-now", "--digest-now", stdout=io.StringIO())
    assert len(smtp.inbox.messages) == 201


@pytest.mark.django_db
def test_a_refused_address_is_set_aside_then_retried_from_the_admin(
    smtp, client, mail_users, make_case, django_capture_on_commit_callbacks
):
    case = walk(make_case(), mail_users, ["submit", "accept", "take_over"])
    walk(case, mail_users, ["engage_action", "await_decision"])
    deliver_due(digest_now=True)
    mailbox = case.poste_comptable.mailbox
    smtp.inbox.refuse.add(mailbox)
    smtp.inbox.messages.clear()

    decided = fire(case, mail_users, "record_decision")
    refused = Notification.objects.get(event=decided, user=None)
    now = timezone.now()
    report = deliver_due(now=now)
    assert report.emails_sent == 3 and report.failed == 1  # the others are not held up
    for attempt in range(2, MAX_ATTEMPTS + 1):
        refused.refresh_from_db()
        assert refused.state == DeliveryState.RETRYING and refused.attempts == attempt - 1
        assert deliver_due(now=now).failed == 0  # not before its next attempt
        now = refused.next_attempt_at
        report = deliver_due(now=now)
    refused.refresh_from_db()
    assert refused.state == DeliveryState.SET_ASIDE and refused.attempts == MAX_ATTEMPTS
    assert report.set_aside == 1 and report.set_aside_total == 1
    assert "550" in refused.last_error
    assert smtp.inbox.refused == [mailbox] * MAX_ATTEMPTS
    deliver_due(now=now + datetime.timedelta(days=2), retry_now=True)
    assert len(smtp.inbox.refused) == MAX_ATTEMPTS  # set aside: no more attempts

    client.force_login(mail_users["admin"])
    changelist = reverse("admin:notifications_notification_changelist")
    page = client.get(changelist, {"state__exact": DeliveryState.SET_ASIDE}).content.decode()
    assert mailbox in page and "Mis de côté" in page and "1 notification" in page

    smtp.inbox.refuse.clear()  # the address is fixed on the mail server side
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs after commit
        response = client.post(
            changelist, {"action": "retry_now", "_selected_action": [refused.pk]}, follow=True
        )
    assert "remise(s) en file" in response.content.decode()
    refused.refresh_from_db()
    assert refused.state == DeliveryState.SENT
    assert len(smtp.inbox.to(mailbox)) == 1
    assert smtp.inbox.to(mailbox)[0]["Message-ID"] == refused.email_message_id


@pytest.mark.django_db
def test_opinion_and_decision_emails_reach_the_mailbox(smtp, mail_users, make_case):
    case = walk(make_case(Mode.AVIS), mail_users, ["submit", "accept", "give_opinion"])
    deliver_due()
    mailbox = case.poste_comptable.mailbox
    subjects = [_subject(m) for m in smtp.inbox.to(mailbox)]
    assert subjects == [
        f"[PNSR] {case.reference} — Dossier déclaré recevable, mis en examen",
        f"[PNSR] {case.reference} — Avis d'opportunité validé et rendu",
    ]
