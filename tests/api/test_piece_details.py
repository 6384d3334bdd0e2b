"""The API takes a piece's own date and description (the bordereau's) and gives its
number in the case."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.pieces import sample_pdf
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _draft(users):
    agent = users["poste_agent"]
    return CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)


def test_the_api_takes_date_and_description_and_gives_the_number(api, users):
    case = _draft(users)
    response = api("poste_agent").post(
        reverse("api:pieces", args=[case.reference]),
        {
            "kind": "statuts",
            "dated_on": "2019-05-02",
            "description": "Statuts de la société, mis à jour",
            "file": SimpleUploadedFile("statuts.pdf", sample_pdf("Statuts"), "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1
    assert body["dated_on"] == "2019-05-02"
    assert body["description"] == "Statuts de la société, mis à jour"
    response = api("poste_agent").post(
        reverse("api:pieces", args=[case.reference]),
        {
            "kind": "statuts",
            "dated_on": "1850-01-01",
            "file": SimpleUploadedFile("s.pdf", sample_pdf("Statuts"), "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "dated_on" in response.json()["errors"]
    assert case.pieces.count() == 1
