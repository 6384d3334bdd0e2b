"""In the application: the bell and its unread count, the list, marking read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from notifications.models import Notification

from .walk import walk


def _unread_badge(page: str) -> str | None:
    marker = 'id="notifications-unread">'
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split("<", 1)[0]


@pytest.fixture
def case(mail_users, make_case):
    return walk(make_case(), mail_users, ["submit", "accept", "take_over"])


@pytest.mark.django_db
def test_bell_counts_unread_and_mark_as_read(client, mail_users, case):
    user = mail_users["poste_agent"]
    mine = Notification.objects.filter(user=user)
    assert mine.count() == 3  # assigned, accepted, taken over
    client.force_login(user)
    home = client.get(reverse("cases:list")).content.decode()
    assert _unread_badge(home) == "3"

    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("pris en charge") < page.index("recevable")  # newest first
    assert page.count("Marquer comme lue") == 3
    assert mine.filter(read_at__isnull=True).count() == 3  # GET writes nothing

    first = mine.order_by("pk").first()
    response = client.post(reverse("notifications:mark_read", args=[first.pk]), {"page": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?page=1")
    first.refresh_from_db()
    assert first.read_at is not None
    assert _unread_badge(client.get(reverse("cases:list")).content.decode()) == "2"

    client.post(reverse("notifications:mark_all_read"))
    assert not mine.filter(read_at__isnull=True).exists()
    assert _unread_badge(client.get(reverse("cases:list")).content.decode()) is None


@pytest.mark.django_db
def test_one_cannot_read_or_see_another_users_notifications(client, mail_users, case):
    theirs = Notification.objects.filter(user=mail_users["poste_agent"]).first()
    client.force_login(mail_users["other_direction_agent"])
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = client.get(reverse("notifications:list")).content.decode()
    assert case.reference not in page and "Aucune notification" in page
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


@pytest.mark.django_db
def test_header_counts_messages_and_notifications_in_one_query(client, mail_users, case):
    services.post_message(mail_users["jurist"], case, "Une question sur les paiements.")
    user = mail_users["poste_agent"]
    client.force_login(user)
    url = reverse("notifications:preferences")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    counting = [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]
    assert len(counting) == 1
    assert "1 message non lu" in page
    assert _unread_badge(page) == "4"


@pytest.mark.django_db
def test_list_is_paginated(client, mail_users, case):
    for index in range(30):
        services.post_message(mail_users["jurist"], case, f"Message {index}")
    user = mail_users["poste_agent"]
    client.force_login(user)
    first = client.get(reverse("notifications:list")).content.decode()
    assert "Page 1 / 2" in first and "33 notifications" in first
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.count("Marquer comme lue") == 33 - 25


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client):
    for name in ["notifications:list", "notifications:preferences"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_its_case(client, mail_users, case):
    user = mail_users["poste_agent"]
    mine = Notification.objects.filter(user=user)
    first = mine.order_by("pk").first()
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    opened = reverse("notifications:open", args=[first.pk])
    assert f'action="{opened}"' in page  # the link to the case opens the notification

    response = client.post(opened)
    assert response.status_code == 302 and response["Location"] == first.url
    first.refresh_from_db()
    assert first.read_at is not None
    assert _unread_badge(client.get(reverse("cases:list")).content.decode()) == "2"

    # Someone else's notification is neither opened nor read.
    client.force_login(mail_users["other_direction_agent"])
    other = mine.exclude(pk=first.pk).first()
    assert client.post(reverse("notifications:open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
