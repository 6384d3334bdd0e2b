"""Local accounts: the password reset by email (Django's token, the same answer whether the
address is an account's or not), and LOCAL_LOGIN=0, which turns passwords off entirely."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")
RESET = reverse("password_reset")
SENT = "Si un compte actif correspond à cette adresse"


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://pnsr.example.gouv.fr"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_login_page_links_to_the_password_reset(client):
    page = client.get(LOGIN).content.decode()
    assert f'href="{RESET}"' in page
    assert "Mot de passe oublié" in page


@pytest.mark.django_db
def test_the_emailed_link_sets_a_new_password(client):
    user = UserFactory(username="juriste.a", email="juriste.a@dgfip.finances.gouv.fr")
    response = client.post(RESET, {"email": "Juriste.A@dgfip.finances.gouv.fr"}, follow=True)
    assert SENT in response.content.decode()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["juriste.a@dgfip.finances.gouv.fr"]
    assert email.subject == "Choisir un nouveau mot de passe — PNSR actions lourdes"
    assert "« juriste.a »" in email.body
    link = re.search(
        r"https://pnsr\.example\.gouv\.fr(/connexion/nouveau-mot-de-passe/\S+)", email.body
    )
    assert link, email.body

    form = client.get(link.group(1), follow=True)
    assert "Nouveau mot de passe" in form.content.decode()
    new = "Une phrase de passe assez longue 42"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Mot de passe enregistré" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)

    client.post(LOGIN, {"username": "juriste.a", "password": new})
    assert signed_in(client)
    # The link served once.
    again = client.get(link.group(1), follow=True).content.decode()
    assert "Ce lien n'est plus valable" in again


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    UserFactory(username="juriste.a", email="juriste.a@dgfip.finances.gouv.fr")
    known = client.post(RESET, {"email": "juriste.a@dgfip.finances.gouv.fr"}, follow=True)
    unknown = client.post(RESET, {"email": "personne@dgfip.finances.gouv.fr"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode().count(SENT) == unknown.content.decode().count(SENT) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_disabled_account_gets_no_link(client):
    UserFactory(username="parti", email="parti@dgfip.finances.gouv.fr", is_active=False)
    response = client.post(RESET, {"email": "parti@dgfip.finances.gouv.fr"}, follow=True)
    assert SENT in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_in_french(client):
    UserFactory(username="juriste.a", email="juriste.a@dgfip.finances.gouv.fr")
    client.post(RESET, {"email": "juriste.a@dgfip.finances.gouv.fr"})
    path = re.search(r"(/connexion/nouveau-mot-de-passe/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "court", "new_password2": "court"})
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()


# --- LOCAL_LOGIN=0 ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_local_login_off_hides_the_form_and_refuses_its_post(client, settings):
    settings.LOCAL_LOGIN = False
    UserFactory(username="juriste.a")
    page = client.get(LOGIN).content.decode()
    assert 'name="password"' not in page
    assert RESET not in page

    response = client.post(LOGIN, {"username": "juriste.a", "password": "demo"})
    assert response.status_code == 403
    assert "La connexion par identifiant et mot de passe est désactivée" in (
        response.content.decode()
    )
    assert not signed_in(client)


@pytest.mark.django_db
def test_local_login_off_refuses_passwords_on_the_admin_login_too(client, settings):
    settings.LOCAL_LOGIN = False
    UserFactory(username="admin.site", is_staff=True, is_superuser=True)
    client.post(reverse("admin:login"), {"username": "admin.site", "password": "demo"})
    assert not signed_in(client)


@pytest.mark.django_db
def test_local_login_off_turns_the_password_reset_off(client, settings):
    settings.LOCAL_LOGIN = False
    UserFactory(username="juriste.a", email="juriste.a@dgfip.finances.gouv.fr")
    assert client.get(RESET).status_code == 404
    assert client.post(RESET, {"email": "juriste.a@dgfip.finances.gouv.fr"}).status_code == 404
    assert mail.outbox == []


@pytest.mark.django_db
def test_local_login_on_still_signs_in(client):
    UserFactory(username="juriste.a")
    client.post(LOGIN, {"username": "juriste.a", "password": "demo"})
    assert signed_in(client)
