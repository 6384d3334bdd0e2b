"""Issue 17 (« holder »): the API takes the holder's declaration and obligation and the
L.267 fields through the referral's own forms, and gives the amount claimed."""

import pytest
from django.urls import reverse

from tests.api.test_journey import draft_body

pytestmark = pytest.mark.django_db


def test_the_api_takes_the_holder_obligation_and_gives_the_amount_claimed(api, users):
    """LPF L.262, CPCE L.211-2: the holder is asked what it owed the debtor, no more."""
    body = {
        **draft_body(),
        "action_type": "tiers_detenteur",
        "properties": [],
        "holders": [
            {
                "name": "Banque du Nord",
                "satd_date": "2025-05-02",
                "satd_amount": "15000.00",
                "notified_on": "2025-05-05",
                "declaration": "declared",
                "declared_on": "2025-05-20",
                "obligation": "8000.00",
            }
        ],
    }
    response = api("poste_agent").post(reverse("api:cases"), body, format="json")
    assert response.status_code == 201, response.json()
    [holder] = response.json()["holders"]
    assert holder["obligation"] == "8000.00" and holder["claimed_amount"] == "8000.00"
    assert holder["declaration"] == "declared" and holder["notified_on"] == "2025-05-05"


def test_the_api_refuses_a_declaration_date_without_a_declaration(api, users):
    body = {
        **draft_body(),
        "action_type": "tiers_detenteur",
        "properties": [],
        "holders": [
            {
                "name": "Banque du Nord",
                "satd_date": "2025-05-02",
                "satd_amount": "15000.00",
                "declaration": "not_declared",
                "declared_on": "2025-05-20",
            }
        ],
    }
    response = api("poste_agent").post(reverse("api:cases"), body, format="json")
    assert response.status_code == 400
    assert "suppose que le tiers a déclaré" in str(response.json())


def test_the_api_takes_the_l267_fields(api, users):
    body = {
        **draft_body(),
        "action_type": "solidarite_dirigeant",
        "properties": [],
        "debtor": {**draft_body()["debtor"], "legal_form": "snc"},
        "managers": [
            {
                "last_name": "Durand",
                "mandate_from": "2021-01-01",
                "de_facto": "false",
                "already_liable": "false",
            }
        ],
    }
    response = api("poste_agent").post(reverse("api:cases"), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["debtor"]["legal_form"] == "snc"
    [manager] = data["managers"]
    assert manager["mandate_from"] == "2021-01-01" and manager["already_liable"] is False
