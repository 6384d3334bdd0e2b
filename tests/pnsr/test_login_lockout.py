"""Brute force on the login pages (django-axes, counted in the database): LOGIN_FAILURE_LIMIT
(5) wrong passwords on one username, or from one address whatever the usernames, and even
the right password is refused, with a French page saying what happened and how to get
unlocked; an administrator's unlock lets the user in again."""

import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases.enums import Role
from tests.factories import UserFactory

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
LOCKED = "Trop de tentatives de connexion échouées"


def attempt(client, username, password, *, url=LOGIN, ip="192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_four_wrong_passwords_then_the_right_one_still_signs_in(client, users):
    for _ in range(4):
        response = attempt(client, "chef", "faux")
        assert response.status_code == 200
        assert "mot de passe" in response.content.decode()
    assert attempt(client, "chef", "demo").status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_username_even_with_the_right_one(client, users):
    for _ in range(4):
        attempt(client, "chef", "faux")
    fifth = attempt(client, "chef", "faux")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    response = attempt(client, "chef", "demo")
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in page
    assert "30 minutes" in page and "contactez l'administrateur" in page
    assert not signed_in(client)
    # The lock is on the username: another address is refused too.
    other = Client()
    assert attempt(other, "chef", "demo", ip="198.51.100.7").status_code == 429
    assert not signed_in(other)


@pytest.mark.django_db
def test_the_admin_login_locks_too_and_an_administrator_unlocks(client, users):
    for _ in range(5):
        attempt(client, "admin.site", "faux", url=ADMIN_LOGIN)
    response = attempt(client, "admin.site", "demo", url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)

    other_admin = UserFactory(
        username="admin.secours", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    admin = Client()
    admin.force_login(other_admin)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "admin.site" in listing
    locked = AccessAttempt.objects.filter(username="admin.site")
    admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in locked], "post": "yes"},
    )

    assert attempt(client, "admin.site", "demo", url=ADMIN_LOGIN).status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_locked_for_all(client, users):
    for username in ["juriste.a", "juriste.b", "agent.d02", "expert.d30", "inconnu"]:
        attempt(client, username, "faux", ip="203.0.113.5")
    response = attempt(client, "chef", "demo", ip="203.0.113.5")
    assert response.status_code == 429
    assert not signed_in(client)
    # The same user from another address is not concerned.
    elsewhere = Client()
    assert attempt(elsewhere, "chef", "demo", ip="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_axes_reset_username_unlocks_from_the_command_line(client, users):
    for _ in range(5):
        attempt(client, "chef", "faux")
    assert attempt(client, "chef", "demo").status_code == 429
    call_command("axes_reset_username", "chef", stdout=io.StringIO())
    assert attempt(client, "chef", "demo").status_code == 302
    assert signed_in(client)


# Behind a reverse proxy every connection comes from the proxy's address: the lockout by
# address must count the client's (pnsr/client_ip.py), which only the proxy can vouch for.
PROXY = "10.0.0.1"
USERNAMES = ["juriste.a", "juriste.b", "agent.d02", "expert.d30", "inconnu"]


def through_proxy(client, username, password, forwarded):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_behind_one_proxy_two_agents_are_locked_separately(client, users, settings):
    settings.TRUSTED_PROXIES = 1
    for username in USERNAMES:
        through_proxy(client, username, "faux", "203.0.113.5")
    assert through_proxy(client, "chef", "demo", "203.0.113.5").status_code == 429
    # Another agent behind the same proxy is not locked out by the first one's failures.
    colleague = Client()
    assert through_proxy(colleague, "chef", "demo", "198.51.100.7").status_code == 302
    assert signed_in(colleague)


@pytest.mark.django_db
def test_a_forged_leftmost_forwarded_address_does_not_escape_the_count(client, users, settings):
    settings.TRUSTED_PROXIES = 1
    # The client writes whatever it likes first; the proxy appends the real address last.
    for n, username in enumerate(USERNAMES):
        through_proxy(client, username, "faux", f"192.0.2.{n + 1}, 203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    response = through_proxy(client, "chef", "demo", "192.0.2.99, 203.0.113.5")
    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, users, settings):
    settings.TRUSTED_PROXIES = 0
    for n, username in enumerate(USERNAMES):
        through_proxy(client, username, "faux", f"192.0.2.{n + 1}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
    assert through_proxy(Client(), "chef", "demo", "198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_an_unreadable_forwarded_address_counts_the_connection(client, users, settings):
    settings.TRUSTED_PROXIES = 2
    through_proxy(client, "juriste.a", "faux", "pas-une-adresse, 10.0.0.2")
    through_proxy(client, "juriste.b", "faux", "203.0.113.5")  # fewer hops than proxies
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
