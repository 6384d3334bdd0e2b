"""The second factor of a local sign-in (TOTP): the head and administrators give a code
after their password, enrol an application the first time, and reach nothing else until
then; a jurist is asked nothing."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.enums import Role
from tests.factories import UserFactory

LOGIN = reverse("login")
VERIFY = reverse("mfa_verify")
ENROL = reverse("mfa_enrol")
CASES = reverse("cases:list")


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.LOCAL_MFA = True


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the device's application shows now (or `steps_ahead` steps of 30 s later)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, step=device.step, t0=t0, digits=device.digits):06d}"


def sign_in(client, username):
    return client.post(LOGIN, {"username": username, "password": "demo"})


@pytest.fixture
def head(db):
    user = UserFactory(username="chef", role=Role.HEAD)
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    return user


@pytest.mark.django_db
def test_after_the_password_the_head_is_asked_a_code_and_reaches_nothing_else(client, head):
    response = sign_in(client, "chef")
    assert response.status_code == 302
    page = client.get(CASES)
    assert page.status_code == 302
    assert page["Location"].startswith(f"{VERIFY}?next=")
    for url in (reverse("workflows:inbox"), reverse("account:home"), reverse("admin:index")):
        assert client.get(url)["Location"].startswith(VERIFY), url
    assert "Code à 6 chiffres" in client.get(VERIFY).content.decode()


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_french(client, head):
    sign_in(client, "chef")
    device = head.totpdevice_set.get()
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong, "next": CASES})
    assert response.status_code == 422
    assert "Ce code n&#x27;est pas le bon, ou il a expiré" in response.content.decode()
    assert client.get(CASES)["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_letters_are_refused_in_french(client, head):
    sign_in(client, "chef")
    response = client.post(VERIFY, {"code": "abcdef"})
    assert "Le code compte 6 chiffres" in response.content.decode()


@pytest.mark.django_db
def test_the_right_code_lets_the_head_in(client, head):
    sign_in(client, "chef")
    device = head.totpdevice_set.get()
    response = client.post(VERIFY, {"code": code_for(device), "next": CASES})
    assert response.status_code == 302
    assert response["Location"] == CASES
    assert client.get(CASES).status_code == 200
    # The same code cannot serve twice (another session, the same time step).
    other = type(client)()
    sign_in(other, "chef")
    assert other.post(VERIFY, {"code": code_for(device)}).status_code == 422


@pytest.mark.django_db
def test_repeated_wrong_codes_are_throttled(client, head):
    sign_in(client, "chef")
    device = head.totpdevice_set.get()
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong})
    client.post(VERIFY, {"code": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    # Three failures in a row: four seconds before the next try, even with the right code.
    device.throttling_failure_count = 3
    device.save()
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 422
    assert "Trop de codes erronés" in response.content.decode()


@pytest.mark.django_db
def test_a_jurist_is_asked_nothing(client):
    UserFactory(username="juriste.a", role=Role.JURIST)
    sign_in(client, "juriste.a")
    assert client.get(CASES).status_code == 200


@pytest.mark.django_db
def test_an_administrator_without_an_application_enrols_one(client):
    admin = UserFactory(username="admin.site", role=Role.ADMIN, is_staff=True, is_superuser=True)
    sign_in(client, "admin.site")
    assert client.get(CASES)["Location"].startswith(ENROL)
    page = client.get(ENROL)
    html = page.content.decode()
    assert "<svg" in html and 'class="pnsr-qr"' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key

    response = client.post(ENROL, {"code": code_for(device, steps_ahead=1), "next": CASES})
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(CASES).status_code == 200


@pytest.mark.django_db
def test_logout_stays_open_to_an_unverified_session(client, head):
    sign_in(client, "chef")
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_switch_off_asks_nothing(client, head, settings):
    settings.LOCAL_MFA = False
    sign_in(client, "chef")
    assert client.get(CASES).status_code == 200
