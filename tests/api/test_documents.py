"""A case's documents through the API: the latest versions with their state, and the PDF
once it is ready, for those who see the case."""

import pytest
from django.urls import reverse

from cases.enums import CaseStatus
from documents import services
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_documents_list_and_download(api, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    document = services.request_document(case, "bordereau", users["poste_agent"])
    client = api("poste_agent")
    listed = client.get(reverse("api:documents", args=[case.reference])).json()
    assert [(d["kind"], d["status"], d["download_url"]) for d in listed] == [
        ("bordereau", "pending", None)
    ]
    url = reverse("api:document_download", args=[case.reference, document.pk])
    pending = client.get(url)
    assert pending.status_code == 404
    assert pending.json() == {"detail": "Ce document n'est pas encore produit."}

    services.generate(document.pk)
    listed = client.get(reverse("api:documents", args=[case.reference])).json()
    assert listed[0]["status"] == "ready"
    assert listed[0]["download_url"].endswith(url)
    response = client.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    # Not visible: 404, as on the site; another case's document: 404.
    assert api("other_poste_agent").get(url).status_code == 404
    other = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    wrong = reverse("api:document_download", args=[other.reference, document.pk])
    assert client.get(wrong).json() == {"detail": "Document introuvable."}
