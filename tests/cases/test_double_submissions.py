"""A form sent twice (a double click, a POST resent after a slow answer) is done once: the
second POST, with the same one-time form_token, goes to the first one's result with a
notice and creates nothing."""

import uuid

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import submissions
from cases.enums import HearingStatus
from cases.models import Case, CaseEvent, Message, Piece, SubmissionToken
from cases.pieces import sample_pdf
from cases.submissions import ALREADY_SENT, purge_expired
from tests.factories import CaseFactory, case_at_step, referral_data, sitting_moment

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users):
    return CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )


def _token_in(page: str) -> str:
    marker = 'name="form_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def _notices(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_message_posted_twice_is_posted_once(client, users, draft):
    client.force_login(users["poste_agent"])
    token = _token_in(client.get(draft.get_absolute_url()).content.decode())
    url = reverse("cases:message_post", args=[draft.reference])
    data = {"body": "Le redevable a vendu un second bien.", "form_token": token}
    first = client.post(url, data)
    second = client.post(url, data)
    assert Message.objects.filter(case=draft).count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert ALREADY_SENT in _notices(second)
    # A new page is a new form: the next message goes through.
    token = _token_in(client.get(draft.get_absolute_url()).content.decode())
    client.post(url, {**data, "form_token": token})
    assert Message.objects.filter(case=draft).count() == 2


def test_a_piece_uploaded_twice_is_added_once(client, users, draft):
    client.force_login(users["poste_agent"])
    token = _token_in(client.get(draft.get_absolute_url()).content.decode())
    url = reverse("cases:piece_add", args=[draft.reference])
    before = Piece.objects.filter(case=draft).count()
    for _ in range(2):
        upload = SimpleUploadedFile("kbis.pdf", sample_pdf("Kbis"), "application/pdf")
        response = client.post(url, {"kind": "kbis", "file": upload, "form_token": token})
        assert response.status_code == 302
    assert Piece.objects.filter(case=draft).count() == before + 1
    assert CaseEvent.objects.filter(case=draft, kind="piece_added").count() == before + 1


def test_a_new_referral_sent_twice_makes_one_draft(client, users):
    client.force_login(users["direction_agent"])
    token = _token_in(client.get(reverse("cases:create")).content.decode())
    data = {**referral_data(), "action": "save", "form_token": token}
    first = client.post(reverse("cases:create"), data)
    second = client.post(reverse("cases:create"), data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"] == Case.objects.get().get_absolute_url()


def test_an_invalid_form_records_no_token(client, users, draft):
    """Nothing was done: sending the corrected form with the same token goes through."""
    client.force_login(users["poste_agent"])
    url = reverse("cases:message_post", args=[draft.reference])
    token = str(uuid.uuid4())
    assert client.post(url, {"body": "  ", "form_token": token}).status_code == 422
    assert client.post(url, {"body": "Corrigé.", "form_token": token}).status_code == 302
    assert Message.objects.filter(case=draft).count() == 1


def test_a_token_is_the_user_s_own(client, users, draft):
    token = str(uuid.uuid4())
    url = reverse("cases:message_post", args=[draft.reference])
    for role in ("poste_agent", "direction_agent"):
        client.force_login(users[role])
        client.post(url, {"body": f"Message de {role}.", "form_token": token})
    assert Message.objects.filter(case=draft).count() == 2


def test_a_step_side_action_sent_twice_is_done_once(client):
    case = case_at_step("hearings")
    task = next(t for t in case.process.task_set.all() if t.flow_task.name == "hearings")
    client.force_login(task.owner or case.assigned_jurist)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    token = _token_in(page)
    data = {
        "court": "TJ de Laon",
        "scheduled_at": sitting_moment(10),
        "kind": "other",
        "purpose": "Audience de renvoi",
        "form_token": token,
    }
    url = reverse("workflows:side_action", args=[task.pk, "hearing"])
    before = case.hearings.filter(status=HearingStatus.SCHEDULED).count()
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302 and ALREADY_SENT in _notices(second)
    assert case.hearings.filter(status=HearingStatus.SCHEDULED).count() == before + 1


def test_old_tokens_are_purged(users, draft):
    old = SubmissionToken.objects.create(
        user=users["poste_agent"], token=uuid.uuid4(), result_url="/"
    )
    SubmissionToken.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=25)
    )
    fresh = SubmissionToken.objects.create(
        user=users["poste_agent"], token=uuid.uuid4(), result_url="/"
    )
    assert purge_expired() == 1
    assert list(SubmissionToken.objects.all()) == [fresh]


def test_two_sends_racing_past_the_check_still_make_one_row(client, users, draft, monkeypatch):
    """Both POSTs arrive before either has recorded the token: the second's record breaks
    the unique constraint and rolls its message back."""
    client.force_login(users["poste_agent"])
    url = reverse("cases:message_post", args=[draft.reference])
    data = {"body": "Envoyé deux fois.", "form_token": str(uuid.uuid4())}
    first = client.post(url, data)
    real = submissions._recorded
    calls = []

    def not_yet_the_first_time(user, token):
        calls.append(token)
        return None if len(calls) == 1 else real(user, token)

    monkeypatch.setattr(submissions, "_recorded", not_yet_the_first_time)
    second = client.post(url, data)
    assert len(calls) == 2  # the second send ran its operation, then found the first
    assert Message.objects.filter(case=draft).count() == 1
    assert second["Location"] == first["Location"]
    assert ALREADY_SENT in _notices(second)
