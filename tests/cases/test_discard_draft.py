"""A draft never sent can be deleted by the referring side: it leaves their lists and
pages, its pieces are erased, and the append-only history keeps the deletion."""

import pytest
from django.urls import reverse

from cases.enums import CaseStatus, EventKind
from cases.models import Case, CaseEvent, Piece
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _draft(users):
    poste = users["poste_agent"].poste_comptable
    return CaseFactory(
        direction=poste.direction,
        poste_comptable=poste,
        complete=True,
        created_by=users["poste_agent"],
    )


def test_the_referrer_deletes_a_draft_after_confirming(
    client, users, django_capture_on_commit_callbacks
):
    case = _draft(users)
    stored = [piece.file.name for piece in case.pieces.all()]
    storage = case.pieces.first().file.storage
    client.force_login(users["poste_agent"])

    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert reverse("cases:discard", args=[case.reference]) in page.content.decode()
    confirm = client.get(reverse("cases:discard", args=[case.reference]))
    assert "Cette suppression est définitive" in confirm.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT  # a GET deletes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:discard", args=[case.reference]), follow=True)
    assert f"Le brouillon {case.reference} est supprimé." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DISCARDED
    assert not Piece.objects.filter(case=case).exists()
    assert not any(storage.exists(name) for name in stored)
    last = CaseEvent.objects.filter(case=case).order_by("-pk").first()
    assert last.kind == EventKind.TRANSITION and last.target_status == CaseStatus.DISCARDED

    assert case.reference not in client.get(reverse("cases:list")).content.decode()
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    client.force_login(users["direction_agent"])
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_a_sent_case_cannot_be_deleted(client, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    client.force_login(case.created_by)
    assert client.get(reverse("cases:discard", args=[case.reference])).status_code == 403
    assert client.post(reverse("cases:discard", args=[case.reference])).status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_another_direction_cannot_delete_the_draft(client, users):
    case = _draft(users)
    client.force_login(users["other_direction_agent"])
    assert client.post(reverse("cases:discard", args=[case.reference])).status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT
