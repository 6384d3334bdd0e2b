"""Every case view tried by every role: who sees, who may change, who gets 403 or 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseStatus
from cases.models import Case, CaseEvent, Piece
from cases.pieces import sample_pdf
from cases.services import submit_referral
from tests.factories import ROLE_KEYS, CaseFactory
from workflows.services import ACTIVE

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


# The case's lifecycle moves through the pôle's process: each step is a task page.


@pytest.fixture
def referred(users):
    """A complete referral submitted by its poste agent: its process waits for the
    receivability step."""
    agent = users["poste_agent"]
    case = CaseFactory(complete=True, created_by=agent, poste_comptable=agent.poste_comptable)
    submit_referral(agent, case, confirm_duplicate=True)
    case.refresh_from_db()
    return case


def _open_step(case):
    """The case's one open step (receivability, right after the submission)."""
    return case.process.task_set.get(flow_task_type="HUMAN", status__in=ACTIVE)


def _state(case) -> tuple:
    """The case's status, its open steps (and holders) and its history length."""
    return (
        Case.objects.get(pk=case.pk).status,
        sorted(
            (task.flow_task.name, task.owner_id)
            for task in case.process.task_set.filter(flow_task_type="HUMAN", status__in=ACTIVE)
        ),
        CaseEvent.objects.filter(case=case).count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_accept_through_the_receivability_step_by_role(client, users, referred, role):
    before = _state(referred)
    url = reverse("workflows:task", args=[_open_step(referred).pk])
    response = _client(client, users, role).post(url, {"action": "complete", "decision": "accept"})
    if role == "head":
        assert response.status_code == 302
        assert Case.objects.get(pk=referred.pk).status == CaseStatus.UNDER_EXAMINATION
        assert _state(referred)[1] == [("assignment", None)]
        return
    assert _state(referred) == before
    if role == "anonymous":
        assert response.status_code == LOGIN
        assert response["Location"].startswith(reverse("login"))
        return
    # Jurists need the intake permission (tests/workflows/test_permissions.py).
    visible = EXPECTED["detail_submitted"][role] == 200
    assert response.status_code == (403 if visible else 404)


@pytest.mark.django_db
def test_case_page_offers_only_what_the_user_may_do(client, users, referred):
    task = _open_step(referred)
    step_url = reverse("workflows:task", args=[task.pk])
    take_url = reverse("workflows:take", args=[task.pk])
    close = "Clore le dossier hors du circuit"

    client.force_login(users["head"])
    page = client.get(referred.get_absolute_url()).content.decode()
    assert "Examiner la recevabilité" in page
    assert "Traiter l'étape" in page and step_url in page
    assert close not in page  # only from later statuses
    assert "Retirer la demande" not in page
    assert "Déclarer recevable" not in page  # no generic lifecycle buttons any more

    for role in ("poste_agent", "direction_agent"):
        client.force_login(users[role])
        page = client.get(referred.get_absolute_url()).content.decode()
        assert "Examiner la recevabilité" in page, role  # they follow the process
        assert "Retirer la demande" in page, role
        assert step_url not in page and take_url not in page, role
        assert close not in page, role

    for role in ("jurist", "management", "management_d02"):
        client.force_login(users[role])
        page = client.get(referred.get_absolute_url()).content.decode()
        assert step_url not in page and take_url not in page, role
        assert "Retirer la demande" not in page and close not in page, role

    # Once the case is taken over, the head may close it out of its course; the referring
    # side may no longer withdraw it, and the assigned jurist holds the next step.
    client.force_login(users["head"])
    client.post(step_url, {"action": "complete", "decision": "accept"})
    assignment = _open_step(referred)  # the step that followed
    client.post(
        reverse("workflows:task", args=[assignment.pk]),
        {"action": "complete", "jurist": users["jurist"].pk},
    )
    assert Case.objects.get(pk=referred.pk).status == CaseStatus.TAKEN_OVER
    page = client.get(referred.get_absolute_url()).content.decode()
    assert close in page and "Traiter l'étape" not in page
    client.force_login(users["jurist"])
    page = client.get(referred.get_absolute_url()).content.decode()
    assert "Traiter l'étape" in page and close not in page
    client.force_login(users["poste_agent"])
    page = client.get(referred.get_absolute_url()).content.decode()
    assert "Retirer la demande" not in page and "Traiter l'étape" not in page


@pytest.mark.django_db
def test_refusal_without_reason_says_so_and_changes_nothing(client, users, referred):
    client.force_login(users["head"])
    before = _state(referred)
    response = client.post(
        reverse("workflows:task", args=[_open_step(referred).pk]),
        {"action": "complete", "decision": "decline", "reason": "  "},
    )
    assert response.status_code == 422
    assert "Indiquez les motifs du refus." in response.content.decode()
    assert _state(referred) == before


@pytest.mark.django_db
def test_unknown_actions_are_refused(client, users, referred):
    client.force_login(users["head"])
    before = _state(referred)
    task = _open_step(referred)
    response = client.post(reverse("workflows:side_action", args=[task.pk, "delete"]))
    assert response.status_code == 404
    response = client.post(
        reverse("workflows:out_of_course", args=[referred.reference, "delete"]),
        {"reason": "Essai", "closure_reason": "recovered_full"},
    )
    assert response.status_code == 403
    # Closing out of course is not open on a submitted case either.
    response = client.post(
        reverse("workflows:out_of_course", args=[referred.reference, "close"]),
        {"reason": "Essai", "closure_reason": "recovered_full"},
    )
    assert response.status_code == 403
    assert _state(referred) == before


@pytest.mark.django_db
def test_get_on_a_post_only_view_is_refused(client, users, referred):
    client.force_login(users["head"])
    before = _state(referred)
    task = _open_step(referred)
    assert client.get(reverse("workflows:take", args=[task.pk])).status_code == 405
    assert client.get(reverse("workflows:release", args=[task.pk])).status_code == 405
    assert client.get(reverse("workflows:undo", args=[referred.reference])).status_code == 405
    assert _state(referred) == before
