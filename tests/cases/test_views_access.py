"""Every case view tried by every role: who sees, who may change, who gets 403 or 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseStatus
from cases.models import Case, CaseEvent, Piece
from cases.pieces import sample_pdf
from tests.factories import ROLE_KEYS, CaseFactory

ROLES = ["anonymous", *ROLE_KEYS]
LOGIN = 302  # anonymous users are sent to the login page

# Expected status code per view and role. The case is referred by DDFIP 02 through the
# SIE de Laon (the `poste_agent`'s poste); "draft" views use a draft, the others a
# submitted case.
EXPECTED = {
    "list": dict.fromkeys(ROLES[1:], 200),
    "create": {
        **dict.fromkeys(ROLES[1:], 403),
        "poste_agent": 200,
        "other_poste_agent": 200,
        "direction_agent": 200,
        "other_direction_agent": 200,
    },
    "detail_submitted": {
        **dict.fromkeys(ROLES[1:], 200),
        "other_poste_agent": 404,
        "other_direction_agent": 404,
        "expert": 404,
        "management_d67": 404,
    },
    "detail_draft": {
        **dict.fromkeys(ROLES[1:], 404),
        "poste_agent": 200,
        "direction_agent": 200,
    },
    "edit_draft": {
        **dict.fromkeys(ROLES[1:], 404),
        "poste_agent": 200,
        "direction_agent": 200,
    },
    "edit_submitted": {
        **dict.fromkeys(ROLES[1:], 403),
        "other_poste_agent": 404,
        "other_direction_agent": 404,
        "expert": 404,
        "management_d67": 404,
    },
    "download_submitted": {
        **dict.fromkeys(ROLES[1:], 200),
        "other_poste_agent": 404,
        "other_direction_agent": 404,
        "expert": 404,
        "management_d67": 404,
    },
}


def _client(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _url(view, draft, submitted):
    case = draft if view.endswith("_draft") else submitted
    if view == "list":
        return reverse("cases:list")
    if view == "create":
        return reverse("cases:create")
    if view.startswith("detail"):
        return case.get_absolute_url()
    if view.startswith("edit"):
        return reverse("cases:edit", args=[case.reference])
    piece = case.pieces.first()
    return reverse("cases:piece_download", args=[case.reference, piece.pk])


@pytest.fixture
def draft(users):
    return CaseFactory(complete=True, created_by=users["poste_agent"])


@pytest.fixture
def submitted(users):
    return CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(EXPECTED))
def test_get_views_by_role(client, users, draft, submitted, view, role):
    response = _client(client, users, role).get(_url(view, draft, submitted))
    if role == "anonymous":
        assert response.status_code == LOGIN
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == EXPECTED[view][role], (view, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_add_piece_by_role(client, users, draft, role):
    before = draft.pieces.count()
    upload = SimpleUploadedFile("kbis.pdf", sample_pdf("Kbis"), content_type="application/pdf")
    response = _client(client, users, role).post(
        reverse("cases:piece_add", args=[draft.reference]), {"kind": "kbis", "file": upload}
    )
    allowed = role in ("poste_agent", "direction_agent")
    expected = 302 if allowed or role == "anonymous" else 404
    assert response.status_code == expected
    assert draft.pieces.count() == before + (1 if allowed else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_remove_piece_by_role(client, users, draft, role):
    piece = draft.pieces.first()
    response = _client(client, users, role).post(
        reverse("cases:piece_remove", args=[draft.reference, piece.pk])
    )
    allowed = role in ("poste_agent", "direction_agent")
    assert response.status_code == (302 if allowed or role == "anonymous" else 404)
    assert Piece.objects.filter(pk=piece.pk).exists() is not allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_accept_transition_by_role(client, users, submitted, role):
    response = _client(client, users, role).post(
        reverse("cases:transition", args=[submitted.reference, "accept"])
    )
    submitted.refresh_from_db()
    if role in ("jurist", "other_jurist", "head"):
        assert response.status_code == 302
        assert submitted.status == CaseStatus.UNDER_EXAMINATION
        return
    assert submitted.status == CaseStatus.SUBMITTED
    visible = EXPECTED["detail_submitted"].get(role) == 200
    assert response.status_code == (302 if visible or role == "anonymous" else 404)
    if visible:
        page = client.get(submitted.get_absolute_url())
        assert "Vous n&#x27;avez pas le droit" in page.content.decode()


@pytest.mark.django_db
def test_transition_buttons_show_only_what_the_user_may_do(client, users, submitted):
    client.force_login(users["poste_agent"])
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Déclarer recevable" not in page
    assert "Retirer la demande" in page
    client.force_login(users["head"])
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Déclarer recevable" in page
    assert "Renvoyer pour complément" in page
    assert "Retirer la demande" not in page


@pytest.mark.django_db
def test_refusal_without_reason_says_so_and_changes_nothing(client, users, submitted):
    client.force_login(users["head"])
    events = CaseEvent.objects.filter(case=submitted).count()
    response = client.post(
        reverse("cases:transition", args=[submitted.reference, "decline"]),
        {"reason": "  "},
        follow=True,
    )
    assert "Indiquez le motif" in response.content.decode()
    assert Case.objects.get(pk=submitted.pk).status == CaseStatus.SUBMITTED
    assert CaseEvent.objects.filter(case=submitted).count() == events


@pytest.mark.django_db
def test_unknown_transition_name_is_refused(client, users, submitted):
    client.force_login(users["head"])
    response = client.post(
        reverse("cases:transition", args=[submitted.reference, "delete"]), follow=True
    )
    assert "Action inconnue" in response.content.decode()


@pytest.mark.django_db
def test_get_on_a_post_only_view_is_refused(client, users, submitted):
    client.force_login(users["head"])
    url = reverse("cases:transition", args=[submitted.reference, "accept"])
    assert client.get(url).status_code == 405
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.SUBMITTED
