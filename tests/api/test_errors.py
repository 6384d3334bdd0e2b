"""Bad input is a 400 with French messages in the shape of the request, never a 5xx; the
referral's rules are the page's (its forms, its services)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from cases.enums import CaseStatus
from cases.models import Case, CaseEvent
from tests.factories import (
    CaseFactory,
    DebtorFactory,
    complete_referral,
    referral_claim,
    referral_property,
)

from .test_journey import draft_body

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases/"
MONEY = "Saisissez un montant en euros, par exemple 12 345,67."


def test_a_bad_draft_gets_every_message_in_place_and_saves_nothing(api):
    body = draft_body()
    body["mode"] = "au_plus_vite"
    body["action_type"] = "saisie_lunaire"
    body["debtor"]["birth_date"] = "31/02/1990"
    body["claims"] = [referral_claim(), referral_claim(principal="beaucoup", remaining="-5")]
    body["properties"][0]["departement"] = "999"
    response = api("poste_agent").post(CASES, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["detail"] == "Le dossier n'a pas été enregistré : corrigez les champs signalés."
    errors = data["errors"]
    assert errors["mode"][0].startswith("Sélectionnez un choix valide")
    assert errors["action_type"][0].startswith("Sélectionnez un choix valide")
    assert list(errors["debtor"]) == ["birth_date"]
    assert errors["claims"][0] == {}
    assert errors["claims"][1]["principal"] == [MONEY]
    assert errors["claims"][1]["remaining"] == ["Le montant ne peut pas être négatif."]
    assert list(errors["properties"][0]) == ["departement"]
    assert not Case.objects.exists()


def test_shapes_and_unknown_fields_are_refused(api):
    client = api("direction_agent")
    cases = [
        ({"facts": "x", "debtr": {}}, {"debtr": ["Champ inconnu."]}),
        ({"claims": {"principal": "1"}}, "claims"),
        ({"claims": ["1000"]}, "claims"),
        ({"debtor": ["legal"]}, "debtor"),
        ({"debtor": {"kind": "legal", "nom": "X"}}, {"debtor": {"nom": ["Champ inconnu."]}}),
        ({"facts": {"a": 1}}, "facts"),
        ({"facts": True}, "facts"),
        ({"claims": None}, "claims"),
        (["mode"], "non_field_errors"),
    ]
    for body, expected in cases:
        response = client.post(CASES, body, format="json")
        assert response.status_code == 400, body
        errors = response.json()["errors"]
        if isinstance(expected, dict):
            assert errors == expected, body
        else:
            assert expected in errors, (body, errors)
    assert not Case.objects.exists()


def test_invalid_json_and_media_types(api):
    client = api("direction_agent")
    response = client.post(CASES, "{mode:", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Le corps de la requête n'est pas un JSON valide."}
    response = client.post(CASES, "mode=avis", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "detail" in response.json()
    response = client.delete(reverse("api:cases"))
    assert response.status_code == 405
    assert response.json()["detail"].startswith("Méthode")


def test_bodies_no_parser_or_form_expects_get_french_4xx(api, users, settings):
    agent = users["poste_agent"]
    draft = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    client = api("poste_agent")
    detail = reverse("api:case", args=[draft.reference])
    deep = "[" * 100_000 + "]" * 100_000
    response = client.patch(detail, deep, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Le corps de la requête est trop imbriqué."}
    for body in ("null", "[]", '"texte"', "12"):
        response = client.patch(detail, body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["errors"] == {
            "non_field_errors": ["Le corps de la requête doit être un objet JSON."]
        }
    submit = reverse("api:submit", args=[draft.reference])
    response = client.post(submit, {"confirm_duplcate": True}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"confirm_duplcate": ["Champ inconnu."]}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.patch(detail, {"facts": "x" * 5000}, format="json")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Requête trop volumineuse")
    pieces = reverse("api:pieces", args=[draft.reference])
    response = client.post(pieces, b"--", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["detail"] == "Le corps multipart/form-data de la requête est illisible."
    draft.refresh_from_db()
    assert draft.facts != "x" * 5000


def test_one_piece_per_upload(api, users):
    from cases.pieces import sample_pdf

    agent = users["poste_agent"]
    draft = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    files = [SimpleUploadedFile(f"k{i}.pdf", sample_pdf("Kbis"), "application/pdf") for i in (1, 2)]
    response = api("poste_agent").post(
        reverse("api:pieces", args=[draft.reference]),
        {"kind": "kbis", "file": files},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["Une seule pièce par envoi."]}
    assert not draft.pieces.exists()


def test_a_draft_is_updated_section_by_section(api, users):
    client = api("poste_agent")
    body = draft_body()
    body["claims"] = [referral_claim(period="2022"), referral_claim(period="2023")]
    created = client.post(CASES, body, format="json").json()
    url = reverse("api:case", args=[created["reference"]])
    first, second = created["claims"]

    # Only what the body names changes; a listed row with its id is updated, an unlisted
    # one is removed, a row without id is added.
    response = client.patch(
        url,
        {
            "facts": "Nouvel exposé.",
            "claims": [
                {"id": first["id"], "principal": 1000, "penalties": 0, "remaining": "1 000,00"},
                referral_claim(period="2024"),
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    updated = response.json()
    assert updated["facts"] == "Nouvel exposé."
    assert updated["request"] == created["request"]
    assert updated["debtor"] == created["debtor"]
    assert updated["properties"] == created["properties"]
    assert [(c["period"], c["principal"]) for c in updated["claims"]] == [
        ("2022", "1000.00"),
        ("2024", "100000.00"),
    ]
    assert updated["claims"][0]["id"] == first["id"]
    assert second["id"] not in [c["id"] for c in updated["claims"]]
    event = CaseEvent.objects.filter(case__reference=created["reference"]).last()
    assert event.summary == "Dossier modifié : saisine, créances"

    # Sending the case back unchanged records nothing.
    assert (
        client.patch(url, {"action_type": "saisie_immobiliere"}, format="json").status_code == 200
    )
    assert CaseEvent.objects.filter(case__reference=created["reference"]).count() == 2

    twice = client.patch(url, {"claims": [{"id": first["id"]}, {"id": first["id"]}]}, format="json")
    assert twice.status_code == 400
    assert twice.json()["errors"]["claims"] == [
        {},
        {"id": ["Cette ligne figure déjà plus haut dans la liste."]},
    ]


def _rows(case: Case) -> dict:
    return {
        section: list(getattr(case, section).order_by("pk").values())
        for section in ("claims", "properties")
    }


@pytest.mark.parametrize("section", ["claims", "properties"])
def test_a_row_id_that_is_not_one_of_the_cases_rows_is_refused(api, users, section):
    """Another case's row id, or an id of no row, is a 400 naming the field and the id:
    nothing changes on either case, and the other case's row is neither touched nor
    revealed (the same message as for an id of no row)."""
    client = api("poste_agent")
    mine, theirs = (
        Case.objects.get(
            reference=client.post(CASES, draft_body(), format="json").json()["reference"]
        )
        for _ in range(2)
    )
    before = {case.pk: _rows(case) for case in (mine, theirs)}
    events = CaseEvent.objects.count()
    url = reverse("api:case", args=[mine.reference])
    for foreign in (before[theirs.pk][section][0]["id"], 10**9):
        # A complete row: the formset alone would save the case without it, and delete
        # the case's own row that the list no longer names.
        complete = referral_claim(period="2020") if section == "claims" else referral_property()
        row = {"id": foreign, **complete}
        response = client.patch(url, {"facts": "Changé.", section: [row]}, format="json")
        assert response.status_code == 400, response.json()
        data = response.json()
        assert data["detail"] == "Le dossier n'a pas été enregistré : corrigez les champs signalés."
        assert data["errors"] == {
            section: [
                {
                    "id": [
                        f"L'id {foreign} ne désigne aucune ligne de cette liste dans ce "
                        "dossier : reprenez l'id d'une ligne du dossier, ou omettez « id » "
                        "pour ajouter une ligne."
                    ]
                }
            ]
        }
    for case in (mine, theirs):
        case.refresh_from_db()
        assert case.facts == "Redevable défaillant ; local commercial libre d'hypothèque."
        assert _rows(case) == before[case.pk]
    assert CaseEvent.objects.count() == events


def test_submitting_an_incomplete_draft_lists_what_is_missing(api):
    client = api("direction_agent")
    created = client.post(CASES, {"debtor": {"kind": "natural"}}, format="json")
    assert created.status_code == 201, created.json()
    response = client.post(reverse("api:submit", args=[created.json()["reference"]]))
    assert response.status_code == 400
    data = response.json()
    assert data["detail"] == "Le dossier n'a pas été transmis : complétez les éléments signalés."
    problems = data["problems"]
    assert problems["mode"] == ["Choisissez ce que vous demandez au pôle."]
    assert problems["debtor.first_name"] == ["Indiquez le prénom du redevable."]
    assert problems["claims"] == ["Ajoutez au moins une créance."]
    assert Case.objects.get().status == CaseStatus.DRAFT


def test_a_possible_duplicate_needs_confirmation(api, users):
    CaseFactory(to=CaseStatus.SUBMITTED, debtor=DebtorFactory(siren="552100554"))
    agent = users["poste_agent"]
    draft = complete_referral(
        CaseFactory(
            created_by=agent,
            poste_comptable=agent.poste_comptable,
            debtor=DebtorFactory(siren="552100554"),
        )
    )
    url = reverse("api:submit", args=[draft.reference])
    client = api("poste_agent")
    response = client.post(url, {}, format="json")
    assert response.status_code == 409
    assert response.json()["duplicates"][0]["direction"] == "DDFIP 02"
    assert client.post(url, {"confirm_duplicate": "peut-être"}, format="json").status_code == 400
    response = client.post(url, {"confirm_duplicate": True}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == CaseStatus.SUBMITTED


def test_a_refused_piece_says_why(api, users):
    agent = users["poste_agent"]
    draft = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    url = reverse("api:pieces", args=[draft.reference])
    client = api("poste_agent")
    response = client.post(url, {"kind": "photo"}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["kind"][0].startswith("Sélectionnez un choix valide")
    assert errors["file"] == ["Choisissez le fichier à joindre."]
    fake = SimpleUploadedFile("titre.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "titre_executoire", "file": fake}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"]["file"]
    assert not draft.pieces.exists()


def test_list_filters_and_pages(api, users):
    for _ in range(3):
        CaseFactory(to=CaseStatus.SUBMITTED)
    client = api("head")
    assert client.get(CASES, {"status": "submitted", "page_size": 2}).json()["count"] == 3
    page = client.get(CASES, {"page_size": 2, "page": 2}).json()
    assert len(page["results"]) == 1 and page["previous"]
    assert client.get(CASES, {"direction": "DDFIP 02"}).json()["count"] == 3
    assert client.get(CASES, {"direction": "DRFIP 67"}).json()["count"] == 0
    assert client.get(CASES, {"action_type": "saisie_immobiliere"}).json()["count"] == 3

    bad = client.get(CASES, {"status": "perdu", "direction": "DDFIP 99"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"status", "direction"}
    # A direction agent may only filter on their own direction, as on the page.
    other = api("direction_agent").get(CASES, {"direction": "DRFIP 67"})
    assert other.status_code == 400
    for page in ["99", "abc", "0", "9" * 40]:
        response = client.get(CASES, {"page": page})
        assert response.status_code == 404, page
        assert response.json()["detail"] == "Page non valide."


def test_rate_limit_per_token(api, settings):
    settings.API_RATE = "3/minute"
    client = api("head")
    for _ in range(3):
        assert client.get(CASES).status_code == 200
    response = client.get(CASES)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Trop de requêtes avec ce jeton : réessayez dans")
    assert 0 < int(response["Retry-After"]) <= 60
    # Another token has its own allowance.
    assert api("jurist").get(CASES).status_code == 200


def test_rate_limit_is_shared_by_every_web_process(api, settings):
    """The count lives in the database: a process with an empty memory (another gunicorn
    worker, simulated by clearing this one's local cache) still refuses the token."""
    from django.core.cache import caches

    settings.API_RATE = "2/minute"
    client = api("head")
    for _ in range(2):
        assert client.get(CASES).status_code == 200
    caches["default"].clear()
    assert client.get(CASES).status_code == 429


def test_unknown_references_and_ids_are_404(api):
    client = api("head")
    for reference in ["PNSR-2025-999999", "x" * 300, "%00", "é"]:
        response = client.get(reverse("api:case", args=[reference]))
        assert response.status_code == 404, reference
    url = f"/api/v1/cases/PNSR-2025-000001/documents/{'9' * 30}/download/"
    assert client.get(url).status_code == 404


def test_unknown_addresses_are_json_404_even_without_a_token(api):
    for client in [APIClient(), api("head")]:
        for method, url in [("get", "/api/v1/dossiers/"), ("post", "/api/v1/cases")]:
            response = getattr(client, method)(url)
            assert response.status_code == 404, (method, url)
            assert response.json()["detail"].startswith("Adresse inconnue dans l'API")


def test_the_api_refuses_a_claim_without_nature_in_french(api):
    """No default regime through the API either: a 400 on the claim's field, nothing
    saved."""
    body = draft_body()
    claim = referral_claim()
    del claim["nature"]
    body["claims"] = [claim]
    response = api("poste_agent").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]["claims"][0]
    [message] = errors["nature"]
    assert message.startswith("Indiquez la nature de la créance")
    assert "aucun n'est supposé par défaut" in message
    assert not Case.objects.exists()


def test_values_outside_the_schema_are_refused_in_french(api, users):
    """What the schema excludes the server refuses, rather than reading it some other
    way: `unread` is true or false (null is not « no »), a page size is a number in its
    bounds, a row id is a number, confirm_duplicate a boolean, a piece has two fields."""
    agent = users["poste_agent"]
    draft = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    complete_referral(draft)
    client = api("poste_agent")
    assert client.get(CASES, {"unread": "true"}).json()["count"] == 0
    assert client.get(CASES, {"unread": "false"}).json()["count"] == 1
    for query, field, message in (
        ({"unread": "null"}, "unread", "Indiquez true ou false."),
        ({"unread": "on"}, "unread", "Indiquez true ou false."),
        ({"page_size": "abc"}, "page_size", "Donnez un nombre entier de 1 à 100."),
        ({"page_size": "0"}, "page_size", "Donnez un nombre entier de 1 à 100."),
        ({"page_size": "101"}, "page_size", "Donnez un nombre entier de 1 à 100."),
    ):
        response = client.get(CASES, query)
        assert response.status_code == 400, query
        assert response.json()["errors"] == {field: [message]}, query

    detail = reverse("api:case", args=[draft.reference])
    claim = draft.claims.get()
    response = client.patch(detail, {"claims": [{"id": str(claim.pk)}]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "claims": [{"id": ["Donnez l'id (nombre entier) d'une ligne du dossier."]}]
    }
    assert draft.claims.get() == claim

    submit = reverse("api:submit", args=[draft.reference])
    response = client.post(submit, {"confirm_duplicate": "oui"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["confirm_duplicate"]

    pieces = reverse("api:pieces", args=[draft.reference])
    response = client.post(pieces, {"kind": "kbis", "note": "x"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {"note": ["Champ inconnu."]}
    draft.refresh_from_db()
    assert draft.status == CaseStatus.DRAFT


def test_a_nul_byte_in_the_query_is_a_json_400(api):
    """The middleware that refuses NUL bytes answers the API in the API's own shape."""
    response = api("head").get("/api/v1/cases/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "Requête illisible" in response.json()["detail"]
