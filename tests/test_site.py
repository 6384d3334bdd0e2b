import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client):
    for url in ["/", reverse("cases:list"), reverse("cases:create")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_page_and_wrong_password_in_french(client, users):
    assert "Connexion" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": "chef", "password": "faux"})
    assert response.status_code == 200
    assert "mot de passe" in response.content.decode()
    response = client.post(reverse("login"), {"username": "chef", "password": "demo"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_expired_form_gets_a_french_page(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["head"])
    response = client.post(reverse("cases:create"), {})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()
