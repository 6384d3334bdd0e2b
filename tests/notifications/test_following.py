"""Following a case (issue 22): a user of the pôle who follows a case beyond those assigned
to them is told what its assigned jurist is told; once they stop, nothing more."""

import pytest
from django.urls import reverse

from cases import services, workspace
from cases.enums import CaseStatus, EventKind
from cases.models import CaseEvent
from notifications.enums import NotificationKind
from notifications.models import Notification
from tests.factories import ROLE_KEYS, CaseFactory

FOLLOWS = {"jurist", "other_jurist", "head"}


@pytest.fixture
def case(users):
    case = CaseFactory(
        to=CaseStatus.UNDER_EXAMINATION,
        lifecycle_only=True,
        poste_comptable=users["poste_agent"].poste_comptable,
        direction=users["poste_agent"].direction,
    )
    case.assigned_jurist = users["jurist"]
    case.save()
    return case


def _hearing_set(case, actor) -> CaseEvent:
    return CaseEvent.record(case, actor, EventKind.HEARING_SET, "Audience fixée au 3 mars 2027")


def _told(user, event) -> bool:
    return Notification.objects.filter(user=user, event=event).exists()


@pytest.mark.django_db
def test_a_follower_is_told_of_a_new_history_entry_and_an_unfollower_is_not(users, case):
    follower, head = users["other_jurist"], users["head"]
    workspace.follow(follower, case)
    first = _hearing_set(case, head)
    assert _told(users["jurist"], first)  # the assigned jurist, as before
    assert _told(follower, first)
    assert Notification.objects.get(user=follower, event=first).kind == (
        NotificationKind.PROCEEDINGS
    )

    workspace.unfollow(follower, case)
    second = _hearing_set(case, head)
    assert _told(users["jurist"], second)
    assert not _told(follower, second)


@pytest.mark.django_db
def test_a_follower_is_told_only_what_the_jurist_is_told(users, case):
    """An entry that tells only the heads (the opinion follow-up tells the jurist too; a
    piece added to a draft tells no one) does not reach a follower on its own."""
    follower = users["other_jurist"]
    workspace.follow(follower, case)
    silent = CaseEvent.record(case, users["head"], EventKind.UPDATED, "Saisine modifiée")
    assert not Notification.objects.filter(event=silent).exists()


@pytest.mark.django_db
def test_a_follower_is_told_of_the_thread_as_the_jurist(users, case):
    follower = users["head"]
    workspace.follow(follower, case)
    message = services.post_message(users["poste_agent"], case, "Le redevable a déménagé.")
    told = set(
        Notification.objects.filter(source=f"message:{message.pk}").values_list(
            "user__username", flat=True
        )
    )
    assert {users["jurist"].username, follower.username} <= told


@pytest.mark.django_db
def test_the_actor_is_never_told_of_their_own_entry(users, case):
    workspace.follow(users["other_jurist"], case)
    event = _hearing_set(case, users["other_jurist"])
    assert not _told(users["other_jurist"], event)


@pytest.mark.django_db
def test_a_follower_who_left_the_pole_is_told_nothing_more(users, case):
    follower = users["other_jurist"]
    workspace.follow(follower, case)
    follower.is_active = False
    follower.save()
    assert not _told(follower, _hearing_set(case, users["head"]))


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_the_follow_button(client, users, case, key):
    user = users[key]
    client.force_login(user)
    response = client.get(case.get_absolute_url())
    follow = reverse("cases:follow", args=[case.reference])
    unfollow = reverse("cases:unfollow", args=[case.reference])
    if response.status_code == 404:
        assert key not in FOLLOWS
        return
    assert (follow in response.content.decode()) is (key in FOLLOWS)
    response = client.post(follow)
    if key not in FOLLOWS:
        assert response.status_code == 403
        assert not workspace.is_following(user, case)
        return
    assert response.status_code == 302
    assert workspace.is_following(user, case)
    page = client.get(case.get_absolute_url()).content.decode()
    assert unfollow in page and "Ne plus suivre" in page
    assert client.post(unfollow).status_code == 302
    assert not workspace.is_following(user, case)
