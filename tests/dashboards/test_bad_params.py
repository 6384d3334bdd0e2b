"""Every dashboard page and export, given absurd or malformed parameters, answers a 200
or a 400 with a French message, never a 500 (`fin=9999-12-31` was one)."""

import pytest
from django.urls import reverse

from dashboards.figures import FIGURES
from dashboards.panels import DASHBOARDS

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _urls():
    urls = [pytest.param(reverse("dashboards:index"), {}, id="index")]
    for slug, dashboard in DASHBOARDS.items():
        urls.append(pytest.param(reverse("dashboards:show", args=[slug]), {}, id=slug))
        for fmt in ("csv", "xlsx"):
            table = dashboard.tables[0].__name__
            url = reverse("dashboards:export", args=[slug, table, fmt])
            urls.append(pytest.param(url, {}, id=f"{slug}.{fmt}"))
    for key in FIGURES:
        extra = {"figure": key}
        urls.append(pytest.param(reverse("dashboards:cases"), extra, id=f"cases.{key}"))
    return urls


URLS = _urls()

BAD = [
    {"fin": "9999-12-31"},
    {"debut": "0001-01-01"},
    {"debut": "0001-01-01", "fin": "9999-12-31"},
    {"debut": "", "fin": "9999-12-31"},
    {"fin": "0001-01-01", "debut": ""},
    {"debut": "2025-02-30"},
    {"debut": "2025-06-30", "fin": "2025-01-01"},
    {"debut": "1990-01-01", "fin": "2025-01-01"},
    {"debut": "\x00"},
    {"fin": "2025-01-01\x00"},
    {"pas": "siecle"},
    {"pas": "\x00"},
    {"direction": "abc"},
    {"direction": "99999999999999999999999"},
    {"direction": "-1"},
    {"action": "\x00"},
    {"juriste": "1e9"},
    {"demande": "‮avis"},
    {"page": "99999999999999999999"},
    {"page": "-1"},
    {"periode": "9999-12"},
    {"periode": "0000-T9"},
    {"periode": "\x00"},
    {"statut": "\x00"},
    {"attribution": "99999999999999999999999"},
    {"attribution": "abc"},
    {"auteur": "99999999999999999999999"},
    {"echeance": "\x00"},
    {"prescription": "x" * 10_000},
    {"inconnu": "1"},
]


@pytest.mark.parametrize("url, extra", URLS)
@pytest.mark.parametrize("bad", BAD, ids=[repr(b)[:40] for b in BAD])
def test_absurd_parameters_never_make_a_500(client, users, url, extra, bad):
    client.force_login(users["head"])
    response = client.get(url, {**PERIOD, **extra, **bad})
    assert response.status_code in (200, 302, 400), response.content[:2000]
    if response.status_code == 400:
        text = response.content.decode()
        assert any(
            word in text for word in ("Indiquez", "Sélectionnez", "Saisissez", "invalide", "lien")
        ), text[:3000]


@pytest.mark.parametrize("url, extra", URLS)
def test_a_year_9999_end_is_refused_in_french(client, users, url, extra):
    client.force_login(users["head"])
    response = client.get(url, {**PERIOD, **extra, "fin": "9999-12-31"})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "Indiquez une date comprise entre le 01/01/1990" in response.content.decode()
