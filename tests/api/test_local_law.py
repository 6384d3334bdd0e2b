"""The API asks for the livre foncier's references of a property in Alsace-Moselle, as the
referral page does (loi du 1er juin 1924, art. 141 al. 2, 3°: the requête en exécution
forcée comes with a copy of the livre foncier)."""

import pytest
from django.urls import reverse

from tests.factories import LAND_REGISTER, referral_property

from .test_journey import draft_body

pytestmark = pytest.mark.django_db


def test_the_api_asks_for_the_references_in_french(api, users):
    client = api("poste_agent")
    body = draft_body()
    body["properties"] = [referral_property(departement="68", commune="Colmar")]
    refused = client.post(reverse("api:cases"), body, format="json")
    assert refused.status_code == 400
    assert "livre foncier" in str(refused.json())
    body["properties"] = [referral_property(departement="68", commune="Colmar", **LAND_REGISTER)]
    created = client.post(reverse("api:cases"), body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["properties"][0]["land_register_sheet"] == "12345"
