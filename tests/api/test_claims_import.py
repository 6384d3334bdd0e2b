"""The claims import through the API (issue 24): checked without `confirm` (nothing
written, the duplicates named), imported whole with it, refused whole with every line's
error, only by the case's referring side while it edits."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseStatus
from cases.models import Claim, ClaimImport
from tests.api.conftest import client_for
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

EXAMPLE = (settings.BASE_DIR / "docs" / "import-creances.csv").read_bytes()


@pytest.fixture
def draft(users):
    agent = users["poste_agent"]
    return CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)


def _post(api, role, case, content: bytes, **data):
    return api(role).post(
        reverse("api:claims_import", args=[case.reference]),
        {"file": SimpleUploadedFile("extrait.csv", content, "text/csv"), **data},
        format="multipart",
    )


def _lines() -> int:
    return len([line for line in EXAMPLE.decode("utf-8-sig").splitlines()[1:] if line.strip()])


def test_checked_without_confirm_then_imported_with_it(api, draft):
    before = draft.claims.count()
    response = _post(api, "poste_agent", draft, EXAMPLE)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["imported"] is False
    assert body["lines"] == _lines()
    assert draft.claims.count() == before

    response = _post(api, "poste_agent", draft, EXAMPLE, confirm="true")
    assert response.status_code == 201, response.json()
    assert response.json()["imported"] is True
    assert draft.claims.count() == before + _lines()
    assert ClaimImport.objects.filter(case=draft, status=ClaimImport.Status.IMPORTED).count() == 1
    imported = draft.claims.exclude(source_reference="")
    assert imported.count() == _lines()
    assert all(claim.prescription_date for claim in imported)

    # The same file again: every line named as a duplicate of the claims now on the case.
    response = _post(api, "poste_agent", draft, EXAMPLE)
    duplicates = response.json()["duplicates"]
    assert [row["line"] for row in duplicates] == list(range(2, _lines() + 2))


def test_a_refused_line_refuses_the_file_with_its_line_named(api, draft):
    text = EXAMPLE.decode("utf-8-sig").splitlines()
    header, first, *rest = text
    broken = ";".join(["Impôt inconnu", *first.split(";")[1:]])
    content = "\n".join([header, first, broken, *rest]).encode()
    response = _post(api, "poste_agent", draft, content, confirm="true")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Le fichier n'a pas été importé : corrigez-le."
    assert any(message.startswith("Ligne 3,") for message in body["errors"]["file"])
    assert not Claim.objects.filter(case=draft).exclude(source_reference="").exists()


def test_only_the_referring_side_while_it_edits(api, draft):
    assert _post(api, "jurist", draft, EXAMPLE).status_code in (403, 404)
    submitted = CaseFactory(to=CaseStatus.SUBMITTED)
    client = client_for(submitted.created_by)
    response = client.post(
        reverse("api:claims_import", args=[submitted.reference]),
        {"file": SimpleUploadedFile("extrait.csv", EXAMPLE, "text/csv"), "confirm": "true"},
        format="multipart",
    )
    assert response.status_code == 403
    assert not ClaimImport.objects.exists()
