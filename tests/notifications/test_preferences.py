"""Each user chooses, per kind, immediate email, a daily digest or the application only;
decisions and opinions reach the poste comptable's mailbox at once whatever is chosen."""

import pytest
from django.urls import reverse

from cases.enums import Mode, Role
from notifications.enums import Channel, DeliveryState, NotificationKind
from notifications.models import Notification, NotificationPreference
from notifications.rules import role_default
from notifications.services import set_preferences

from .walk import channels, fire, walk

K = NotificationKind


@pytest.mark.django_db
def test_choices_are_respected_and_decisions_still_reach_the_mailbox(mail_users, make_case):
    set_preferences(
        mail_users["poste_agent"],
        {K.DECISION_RECORDED: Channel.IN_APP, K.TAKEN_OVER: Channel.IMMEDIATE},
    )
    set_preferences(mail_users["direction_agent"], {K.DECISION_RECORDED: Channel.DIGEST})
    set_preferences(mail_users["jurist"], {K.TAKEN_OVER: Channel.IN_APP})
    case = walk(make_case(), mail_users, ["submit", "accept"])
    taken = fire(case, mail_users, "take_over")
    assert channels(taken, mail_users) == {
        "mailbox": Channel.DIGEST,
        "poste_agent": Channel.IMMEDIATE,
        "direction_agent": Channel.DIGEST,
        "jurist": Channel.IN_APP,
    }
    walk(case, mail_users, ["engage_action", "await_decision"])
    decided = fire(case, mail_users, "record_decision")
    assert channels(decided, mail_users) == {
        "mailbox": Channel.IMMEDIATE,
        "poste_agent": Channel.IN_APP,
        "direction_agent": Channel.DIGEST,
        "jurist": Channel.IMMEDIATE,
    }
    in_app = Notification.objects.get(event=decided, user=mail_users["poste_agent"])
    assert in_app.state == DeliveryState.NONE and in_app.next_attempt_at is None


@pytest.mark.django_db
def test_opinion_reaches_the_mailbox_even_if_every_agent_wants_the_app_only(mail_users, make_case):
    for key in ("poste_agent", "direction_agent", "jurist", "expert"):
        set_preferences(mail_users[key], {K.OPINION_GIVEN: Channel.IN_APP})
    case = walk(make_case(Mode.AVIS), mail_users, ["submit", "accept"])
    given = fire(case, mail_users, "give_opinion")
    assert channels(given, mail_users) == {
        "mailbox": Channel.IMMEDIATE,
        "poste_agent": Channel.IN_APP,
        "direction_agent": Channel.IN_APP,
        "jurist": Channel.IN_APP,
        "expert": Channel.IN_APP,
    }


@pytest.mark.django_db
def test_a_later_choice_does_not_change_what_was_already_written(mail_users, make_case):
    case = walk(make_case(), mail_users, ["submit"])
    accepted = fire(case, mail_users, "accept")
    set_preferences(mail_users["poste_agent"], {K.ACCEPTED: Channel.IN_APP})
    assert channels(accepted, mail_users)["poste_agent"] == Channel.IMMEDIATE


def test_role_defaults():
    assert role_default(K.ASSIGNED, Role.JURIST) == Channel.IMMEDIATE
    assert role_default(K.ASSIGNED, Role.POSTE_AGENT) == Channel.DIGEST
    assert role_default(K.REFERRAL_RECEIVED, Role.HEAD) == Channel.IMMEDIATE
    assert role_default(K.REFERRAL_RECEIVED, Role.DIRECTION_AGENT) == Channel.DIGEST
    assert role_default(K.DECISION_RECORDED, Role.POSTE_AGENT) == Channel.IMMEDIATE
    assert role_default(K.MESSAGE_RECEIVED, Role.JURIST) == Channel.DIGEST


@pytest.mark.django_db
def test_preferences_page_shows_defaults_and_saves_choices(client, mail_users):
    user = mail_users["poste_agent"]
    client.force_login(user)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "Préférences de notification" in page
    assert 'name="decision_recorded" value="immediate" checked' in page
    assert 'id="pref-accepted-immediate" name="accepted" value="immediate" checked' in page
    assert 'id="pref-taken_over-digest" name="taken_over" value="digest" checked' in page
    assert not NotificationPreference.objects.exists()  # GET writes nothing

    data = {kind.value: role_default(kind, user.role) for kind in NotificationKind}
    data[K.DECLINED] = Channel.DIGEST
    data[K.MESSAGE_RECEIVED] = Channel.IN_APP
    response = client.post(url, data)
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    assert chosen[K.DECLINED] == Channel.DIGEST and chosen[K.MESSAGE_RECEIVED] == Channel.IN_APP
    page = client.get(url).content.decode()
    assert 'name="declined" value="digest" checked' in page


@pytest.mark.django_db
def test_preferences_page_refuses_an_unknown_channel(client, mail_users):
    client.force_login(mail_users["jurist"])
    data = {kind.value: Channel.DIGEST for kind in NotificationKind}
    data[K.APPEAL] = "pigeon"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 422
    assert not NotificationPreference.objects.exists()
