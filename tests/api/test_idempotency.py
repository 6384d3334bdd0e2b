"""A creation sent twice with the same Idempotency-Key (a client retrying after a timeout)
is made once: the second answer is the first one, replayed."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import IdempotencyKey
from cases.models import Case, Piece
from cases.pieces import sample_pdf
from tests.api.test_journey import _file, draft_body
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_same_creation_sent_twice_with_a_key_creates_one_case(api):
    client = api("poste_agent")
    url = reverse("api:cases")
    first = client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="essai-1")
    second = client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="essai-1")
    assert first.status_code == second.status_code == 201
    assert Case.objects.count() == 1
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")


def test_without_a_key_or_with_another_key_each_post_creates(api):
    client = api("poste_agent")
    url = reverse("api:cases")
    client.post(url, draft_body(), format="json")
    client.post(url, draft_body(), format="json")
    client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="a")
    client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert Case.objects.count() == 4


def test_the_same_key_with_another_body_is_refused_in_french(api):
    client = api("poste_agent")
    url = reverse("api:cases")
    client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = {**draft_body(), "facts": "Autre chose."}
    refused = client.post(url, other, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert refused.status_code == 422
    assert "déjà servi" in refused.json()["detail"]
    assert Case.objects.count() == 1


def test_a_key_is_the_user_s_own(api):
    url = reverse("api:cases")
    for role in ("poste_agent", "direction_agent"):
        response = api(role).post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 201
    assert Case.objects.count() == 2


def test_a_failed_creation_keeps_no_key(api):
    client = api("poste_agent")
    url = reverse("api:cases")
    bad = {**draft_body(), "action_type": "inconnue"}
    assert client.post(url, bad, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    fixed = client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert fixed.status_code == 201 and Case.objects.count() == 1


def test_a_piece_uploaded_twice_with_a_key_is_added_once(api, users):
    case = CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )
    url = reverse("api:pieces", args=[case.reference])
    client = api("poste_agent")
    answers = [
        client.post(
            url,
            {"kind": "kbis", "file": _file("kbis.pdf", sample_pdf("Kbis"))},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="piece-1",
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Piece.objects.filter(case=case).count() == 1
    # Another file with the same key: refused.
    other = client.post(
        url,
        {"kind": "kbis", "file": _file("kbis.pdf", sample_pdf("Autre Kbis"))},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="piece-1",
    )
    assert other.status_code == 422


def test_a_key_expires_after_a_day_and_is_purged(api):
    client = api("poste_agent")
    url = reverse("api:cases")
    client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = client.post(url, draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert again.status_code == 201 and Case.objects.count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    out = io.StringIO()
    call_command("purge_sent_forms", stdout=out)
    assert not IdempotencyKey.objects.exists()
    assert "1 clé(s) d'idempotence oubliés" in out.getvalue()


def test_an_unusable_key_is_refused_in_french(api):
    response = api("poste_agent").post(
        reverse("api:cases"), draft_body(), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Case.objects.exists()


def test_the_schema_documents_the_header(api):
    schema = api("poste_agent").get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/cases/", "/api/v1/cases/{reference}/pieces/"):
        post = schema["paths"][path]["post"]
        assert "Idempotency-Key" in [p["name"] for p in post["parameters"]]
        assert "422" in post["responses"]
