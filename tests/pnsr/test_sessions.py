"""A signed-in session ends at browser close, after 30 minutes without a request (with a
warning a few minutes before, and a way to stay signed in), and 12 hours after the login
whatever the activity. Passwords have at least 12 characters and are not common ones."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from pnsr import sessions
from tests.api.conftest import client_for

PAGE = reverse("cases:list")
MINUTE = 60


def stamp(client, **times):
    """Move the session's login time or last activity (seconds ago)."""
    session = client.session
    now = time.time()
    if "login" in times:
        session[sessions.LOGIN_AT] = now - times["login"]
    if "seen" in times:
        session[sessions.SEEN_AT] = now - times["seen"]
    session.save()


@pytest.fixture
def head(client, users):
    client.force_login(users["head"])
    assert client.get(PAGE).status_code == 200  # the first request stamps the session
    return client


def test_the_session_cookie_ends_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_the_login_sets_a_browser_session_cookie(client, users):
    response = client.post(reverse("login"), {"username": "chef", "password": "demo"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["expires"] and not cookie["max-age"]
    assert sessions.LOGIN_AT in client.session


@pytest.mark.django_db
def test_29_idle_minutes_keep_the_session_31_end_it_with_a_french_reason(head):
    stamp(head, seen=29 * MINUTE)
    assert head.get(PAGE).status_code == 200

    stamp(head, seen=31 * MINUTE)
    response = head.get(PAGE, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "après 30 minutes sans activité" in response.content.decode()
    assert "_auth_user_id" not in head.session


@pytest.mark.django_db
def test_twelve_hours_after_the_login_the_session_ends_even_when_active(head):
    stamp(head, login=11 * 3600, seen=MINUTE)
    assert head.get(PAGE).status_code == 200

    stamp(head, login=12 * 3600 + MINUTE, seen=0)
    response = head.get(PAGE, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "12 heures après votre connexion" in response.content.decode()
    assert "_auth_user_id" not in head.session


@pytest.mark.django_db
def test_the_page_carries_the_warning_and_asking_does_not_count_as_activity(head):
    page = head.get(PAGE).content.decode()
    assert 'id="session-warning"' in page and "Rester connecté" in page
    assert 'data-seconds-left="1800"' in page

    stamp(head, seen=27 * MINUTE)
    left = head.get(reverse("session")).json()["seconds_left"]
    assert 170 <= left <= 180
    left = head.get(reverse("session")).json()["seconds_left"]
    assert left <= 180  # asking again did not renew it

    assert head.post(reverse("session")).json()["seconds_left"] == 30 * MINUTE
    stamp(head, seen=29 * MINUTE)
    assert head.get(PAGE).status_code == 200  # « Rester connecté » renewed it, then 29 min


@pytest.mark.django_db
def test_the_warning_also_knows_the_twelve_hour_end(head):
    stamp(head, login=12 * 3600 - 10 * MINUTE, seen=0)
    assert 590 <= head.get(reverse("session")).json()["seconds_left"] <= 600


@pytest.mark.django_db
def test_a_short_or_common_password_is_refused_in_french(users):
    with pytest.raises(ValidationError) as short:
        validate_password("Xk7#pq2!Lm", users["head"])
    assert "au minimum 12 caractères" in " ".join(short.value.messages)
    with pytest.raises(ValidationError) as common:
        validate_password("password1234", users["head"])
    assert "trop courant" in " ".join(common.value.messages)
    validate_password("cheval-agrafe-batterie-42", users["head"])


@pytest.mark.django_db
def test_the_admin_refuses_a_short_password_in_french(client, users):
    client.force_login(users["admin"])
    url = reverse("admin:auth_user_password_change", args=[users["head"].pk])
    response = client.post(url, {"password1": "Xk7#pq2!Lm", "password2": "Xk7#pq2!Lm"})
    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()


@pytest.mark.django_db
def test_an_api_token_request_opens_no_session(users):
    response = client_for(users["head"]).get(reverse("api:cases"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
