"""A step's draft is cleaned like its form: it may be unfinished, not wrong (a NUL byte
in a draft was a 500 on PostgreSQL, and the draft would have come back on every visit)."""

import pytest
from django.urls import reverse

from tests.factories import case_at_step

from .conftest import open_task

pytestmark = pytest.mark.django_db


def _save(client, case, step, data):
    task = open_task(case, step)
    client.force_login(case.assigned_jurist)
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "draft", **data})
    task.refresh_from_db()
    return response, task


@pytest.mark.parametrize(
    "data, message",
    [
        ({"instructions": "Premier jet\x00"}, "Le caractère nul n’est pas autorisé."),
        ({"instructions": "x" * 1_000_001}, "au plus 10000 caractères"),
        ({"mandated_on": "0001-01-01"}, "Indiquez une date comprise entre le 01/01/1990"),
        ({"mandated_on": "9999-12-31"}, "Indiquez une date comprise entre le 01/01/1990"),
        ({"lawyer": "\x00"}, "Le caractère nul n’est pas autorisé."),
        ({"lawyer": "999999"}, "Sélectionnez un choix valide"),
    ],
)
def test_a_wrong_draft_is_refused_in_french_and_nothing_is_kept(client, data, message):
    case = case_at_step("mandate_lawyer")
    response, task = _save(client, case, "mandate_lawyer", data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "Le brouillon n&#x27;est pas enregistré" in text, text
    assert message in text, text
    assert "draft" not in task.data
    assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 200


def test_an_unfinished_draft_is_kept_without_what_the_form_does_not_ask(client):
    case = case_at_step("mandate_lawyer")
    response, task = _save(
        client, case, "mandate_lawyer", {"instructions": "Premier jet", "inconnu\x00": "\x00"}
    )
    assert response.status_code == 302
    assert task.data["draft"] == {"instructions": "Premier jet"}
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "Premier jet" in page
