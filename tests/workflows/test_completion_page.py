"""The agent asked to complete a referral sees, on its edit page, what the pôle asked."""

import pytest
from django.urls import reverse

from cases.enums import CaseStatus, Mode

pytestmark = pytest.mark.django_db


def test_completion_form_shows_the_grounds_and_the_list(users, submitted_case, journey):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    j = journey(case)
    edit = reverse("cases:edit", args=[case.reference])
    j.client.force_login(users["poste_agent"])
    assert "Le pôle demande un complément" not in j.client.get(edit).content.decode()
    j.step(
        users["head"],
        "receivability",
        {
            "decision": "return",
            "grounds": ["pieces"],
            "missing": "Relevé de propriété à jour\nÉtat hypothécaire récent",
        },
    )
    assert case.status == CaseStatus.RETURNED
    j.client.force_login(users["poste_agent"])
    page = j.client.get(edit).content.decode()
    assert "Le pôle demande un complément" in page
    assert "<li>Pièces manquantes ou illisibles</li>" in page
    assert "Relevé de propriété à jour" in page and "État hypothécaire récent" in page
