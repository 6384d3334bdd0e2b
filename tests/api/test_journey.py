"""A referral made and submitted through the API reaches the pôle's queue."""

import pytest
from django.urls import reverse

from cases.enums import CaseStatus, PieceKind
from cases.models import ActionType, Case
from cases.pieces import sample_pdf
from tests.factories import referral_claim, referral_property
from workflows import selectors as tasks

pytestmark = pytest.mark.django_db


def draft_body() -> dict:
    return {
        "mode": "prise_en_charge",
        "action_type": "saisie_immobiliere",
        "poste_comptable": "002010",
        "facts": "Redevable défaillant ; local commercial libre d'hypothèque.",
        "request": "Engager la saisie immobilière.",
        "debtor": {"kind": "legal", "name": "SARL LES TANNEURS", "siren": "552 100 554"},
        "claims": [referral_claim()],
        "properties": [referral_property()],
    }


def test_poste_agent_refers_a_case_that_reaches_the_head_queue(api, users):
    client = api("poste_agent")
    response = client.post(reverse("api:cases"), draft_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    reference = body["reference"]
    assert response["Location"].endswith(reverse("api:case", args=[reference]))
    assert body["status"] == "draft"
    assert body["editable"] is True
    assert body["debtor"]["siren"] == "552100554"
    assert body["claims"][0]["principal"] == "100000.00"
    assert body["properties"][0]["commune"] == "Laon"
    assert "pieces" in body["problems"]

    submit = reverse("api:submit", args=[reference])
    refused = client.post(submit, {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["problems"]["pieces"]

    action = ActionType.objects.get(code="saisie_immobiliere")
    for code in action.required_pieces:
        upload = sample_pdf(PieceKind(code).label)
        response = client.post(
            reverse("api:pieces", args=[reference]),
            {"kind": code, "file": _file(f"{code}.pdf", upload)},
            format="multipart",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["kind"] == code

    response = client.post(submit, {"confirm_duplicate": False}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == CaseStatus.SUBMITTED
    assert response.json()["editable"] is False

    case = Case.objects.get(reference=reference)
    queued = [tasks.case_of(task) for task in tasks.queue(users["head"])]
    assert case in queued
    step = client.get(reverse("api:step", args=[reference])).json()
    assert [s["name"] for s in step["open_steps"]] == ["receivability"]
    assert step["open_steps"][0]["holder"] is None
    head_view = api("head").get(reverse("api:step", args=[reference])).json()
    assert head_view["open_steps"][0]["can_take"] is True

    history = client.get(reverse("api:history", args=[reference])).json()
    kinds = [event["kind"] for event in history]
    assert kinds[0] == "created"
    assert kinds.count("piece_added") == len(action.required_pieces)
    assert history[-1]["target_status"] == CaseStatus.SUBMITTED
    assert history[-1]["actor_label"].endswith("(Agent de poste comptable)")

    # Transmitted: the referring side no longer changes it.
    again = client.patch(reverse("api:case", args=[reference]), {"facts": "x"}, format="json")
    assert again.status_code == 403
    assert again.json()["detail"] == "Ce dossier ne peut plus être modifié par vous."


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
