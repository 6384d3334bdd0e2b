"""The 400 and 500 pages are the site's own (DSFR, French), not viewflow's defaults."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from pnsr.urls import urlpatterns as site_urls


def _suspicious(request):
    raise SuspiciousOperation("bad")


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("suspect/", _suspicious), path("panne/", _broken), *site_urls]
handler400 = "pnsr.views.bad_request"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_bad_request_gets_the_site_s_400_page(users):
    client = Client()
    client.force_login(users["jurist"])
    response = client.get("/suspect/")
    assert response.status_code == 400
    text = response.content.decode()
    assert "<h1>Requête invalide</h1>" in text and "fr-header" in text
    assert "Bad Request" not in text and "mdc-" not in text  # viewflow's page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_gets_the_site_s_500_page(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["jurist"])
    response = client.get("/panne/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Une erreur est survenue" in text and "fr-header" in text and 'lang="fr"' in text
    assert "Server Error" not in text and "mdc-" not in text


@pytest.mark.django_db
def test_a_nul_byte_in_the_address_is_a_400(client, users):
    client.force_login(users["jurist"])
    response = client.get("/echeances/calendrier/%00.ics")
    assert response.status_code == 400
    assert "<h1>Requête invalide</h1>" in response.content.decode()
