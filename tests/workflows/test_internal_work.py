"""The pôle's internal work (an opinion before its validation, the reviewer's comments) is
read by the pôle and never by the referring side, nor by management: on every step page,
the case page's history and the API's, for each role.

One course in opinion mode goes through every step but the technical support (its own
mode, where no opinion is written): the referral is returned once, the first version of the
opinion is returned to its author with comments, the second is validated, the direction
asks for a takeover and the judicial phase follows to the end."""

import html

import pytest
from django.db.models import Q
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from cases import access
from cases.enums import Mode, Role
from cases.models import PosteComptable
from cases.services import submit_referral
from documents.enums import DocumentKind
from documents.services import generate, request_document
from notifications.enums import NotificationKind
from notifications.models import Notification
from tests.factories import (
    COMPLETIONS,
    RISK_GRID,
    CaseFactory,
    actor_for,
    case_at_step,
    side_action,
)
from workflows import services as workflow
from workflows.process import PROCESS
from workflows.steps import STEPS

from .conftest import open_task

V1_REASONS = "Première rédaction : le local est grevé d'une hypothèque de premier rang."
REVIEW = "Chiffrez la valeur vénale du local avant de conclure."
V2_REASONS = "Seconde rédaction : valeur vénale de 180 000 €, supérieure aux créances."
V1_SUMMARY = "Avis (version 1, défavorable) soumis à validation"
IN_PROGRESS = "Avis en cours d'élaboration au pôle"

OPINION_V1 = {
    "conclusion": "unfavourable",
    "reasons": V1_REASONS,
    "risk_level": "high",
    "risk_assessment": "Hypothèque de premier rang.",
    **RISK_GRID,
}
OPINION_V2 = {**OPINION_V1, "conclusion": "favourable", "reasons": V2_REASONS}

COURSE = [
    ("receivability", "return", None),
    ("completion", "resubmit", None),
    ("receivability", "accept", None),
    ("assignment", "opinion", "assign"),
    ("write_opinion", "submit", OPINION_V1),
    ("validate_opinion", "return", {"decision": "return", "comments": REVIEW}),
    ("write_opinion", "submit", OPINION_V2),
    ("validate_opinion", "validate", None),
    ("follow_up", "takeover_requested", None),
    ("takeover_decision", "accept", None),
    ("mandate_lawyer", "mandate", None),
    ("starting_act", "engage", None),
    ("hearings", "deliberation", None),
    ("decision", "decided", None),
    ("appeal_decision", "no_appeal", None),
    ("execution", "close", None),
]
FIRST_SUBMISSION = 4  # COURSE's index of the first opinion written
RETURNED = 5  # … of its return with the reviewer's comments
RESUBMITTED = 6  # … of the second version written
VALIDATED = 7  # … of the second version's validation

# Who reads the pôle's internal work on the case (assigned jurist and expert).
SEES = {"head", "jurist", "other_jurist", "expert", "admin"}
REFERRING_SIDE = {"poste_agent", "direction_agent"}
ROLES = sorted(SEES | REFERRING_SIDE | {"management", "management_d02"})
STEPS_IN_COURSE = sorted({step for step, _, _ in COURSE})


def _finish(case, users, step, outcome, data):
    (task,) = workflow.active_tasks(case)
    assert task.flow_task.name == step
    if PROCESS[step].ended_elsewhere:
        submit_referral(case.created_by, case, confirm_duplicate=True)
    else:
        for action in PROCESS[step].needs:
            side_action(case, step, action)
        if data == "assign":
            data = {"jurist": users["jurist"].pk, "expert": users["expert"].pk}
        files = {}
        if data is None:
            data, files = COMPLETIONS[(step, outcome)](case)
        user = actor_for(case, PROCESS[step].actor)
        form = STEPS[step].form_class(data, files, case=case, user=user)
        assert form.is_valid(), form.errors
        workflow.complete_task(task.pk, user, form.cleaned_data, data)
    case.refresh_from_db()


def _case_at(users, moves: int):
    laon = PosteComptable.objects.get(name="SIE de Laon")
    case = CaseFactory(
        complete=True, mode=Mode.AVIS, poste_comptable=laon, created_by=users["poste_agent"]
    )
    submit_referral(case.created_by, case, confirm_duplicate=True)
    case.refresh_from_db()
    for step, outcome, data in COURSE[:moves]:
        _finish(case, users, step, outcome, data)
    return case


def _checkpoint(step: str) -> int:
    """How many moves of COURSE to take: until `step` is open for the last time, and at
    least until a first opinion waits for its validation (so that there is internal work
    to hide; an earlier step's page is then read done)."""
    last = max(i for i, (name, _, _) in enumerate(COURSE) if name == step)
    return max(last, FIRST_SUBMISSION + 1)


def _step_page(client, case, step):
    tasks = case.process.task_set.filter(flow_task_type="HUMAN").order_by("-pk")
    task = next(t for t in tasks if t.flow_task.name == step)
    return client.get(reverse("workflows:task", args=[task.pk]))


def _api_history(user, case) -> str:
    client = APIClient()
    _, secret = ApiToken.issue(user, "Tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get(reverse("api:history", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("step", STEPS_IN_COURSE)
def test_internal_work_on_every_step_page_and_history(client, users, step):
    """Each step's page and the history (case page, API), read by each role. The roles are
    a loop rather than a parameter: one case per step, read by all (a case per role and
    step would walk the course 135 times)."""
    moves = _checkpoint(step)
    case = _case_at(users, moves)
    for role in ROLES:
        _check_reading(client, users[role], role, case, step, moves)


def _check_reading(client, user, role, case, step, moves):
    client.force_login(user)
    step_page = _step_page(client, case, step)
    assert step_page.status_code == 200, role
    case_page = client.get(case.get_absolute_url())
    assert case_page.status_code == 200, role
    step_html = html.unescape(step_page.content.decode())
    history = case_page.context["event_page"].paginator.object_list  # every page of it
    history_html = "\n".join(f"{e.summary} {e.reason}" for e in history)
    api_history = _api_history(user, case)
    returned = moves > RETURNED
    validated = moves > VALIDATED
    where = (role, step)

    if role in SEES:
        assert V1_SUMMARY in history_html and V1_SUMMARY in api_history, where
        assert IN_PROGRESS not in history_html, where
        if returned:
            assert REVIEW in history_html and REVIEW in api_history, where
        # The step pages that show the opinion show its current version to the pôle.
        if step == "write_opinion":  # reopened after the return: v1 and its comments
            assert V1_REASONS in step_html and REVIEW in step_html, where
        if step in ("validate_opinion", "follow_up"):
            assert V2_REASONS in step_html, where
        return

    for text in (V1_REASONS, REVIEW, V1_SUMMARY, "version 1", "Défavorable", "défavorable"):
        assert text not in step_html, (*where, text)
        assert text not in history_html, (*where, text)
        assert text not in api_history, (*where, text)
    assert "soumis à validation" not in history_html, where
    assert "Avis (version" not in history_html, where  # neither a submission nor a return
    if not validated:  # the second version is not theirs either before its validation
        assert V2_REASONS not in step_html, where
    if step == "follow_up":  # validated: the direction reads the opinion it follows up
        assert V2_REASONS in step_html, where
    # The history says an opinion is being written, no more.
    assert IN_PROGRESS in history_html and IN_PROGRESS in api_history, where
    submitted = 2 if moves > RESUBMITTED else 1  # one line per version submitted
    assert [e.summary for e in history].count(IN_PROGRESS) == submitted, where
    assert all(not e.reason for e in history if e.summary == IN_PROGRESS), where


def test_the_support_step_page_shows_no_opinion(client, users):
    """The technical support is a mode of its own: no opinion is written in it."""
    case = case_at_step("support")
    task = open_task(case, "support")
    for role in ROLES:
        client.force_login(users[role])
        response = client.get(reverse("workflows:task", args=[task.pk]))
        assert response.status_code == (200 if access.can_view(users[role], case) else 404)
        assert "Avis — version" not in response.content.decode(), role


def test_undoing_the_opinion_step_is_kept_from_the_referring_side(client, users):
    """The head takes back a submitted opinion (undo of its writing): the reason is the
    reviewer's comment to the author, in the history and in the emails of the pôle only."""
    case = _case_at(users, FIRST_SUBMISSION + 1)  # v1 waits for its validation
    client.force_login(users["head"])
    response = client.post(
        reverse("workflows:undo", args=[case.reference]), {"reason": REVIEW}, follow=True
    )
    assert response.status_code == 200
    assert open_task(case).flow_task.name == "write_opinion"

    told = Notification.objects.filter(case=case, body_text__contains=REVIEW)
    assert told.exists()  # the author is told
    assert not told.filter(user__in=[users["poste_agent"], users["direction_agent"]]).exists()
    assert not told.filter(user__isnull=True).exists()  # nor the poste's mailbox
    assert not told.filter(user__role__in=["poste_agent", "direction_agent"]).exists()

    for role in REFERRING_SIDE:
        client.force_login(users[role])
        page = client.get(case.get_absolute_url()).content.decode()
        assert REVIEW not in page and "Étape défaite" not in page, role
    client.force_login(users["head"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert REVIEW in page and "Étape défaite" in page


def test_an_opinion_pdf_before_validation_is_the_poles_only(client, users):
    """The pôle may print the opinion before validating it: that PDF is neither listed nor
    downloadable by the referring side (pages and API)."""
    case = _case_at(users, FIRST_SUBMISSION + 1)
    document = generate(request_document(case, DocumentKind.AVIS, users["head"]).pk)
    assert document.status == "ready" and document.internal_work
    url = reverse("documents:download", args=[case.reference, document.pk])
    api_url = reverse("api:document_download", args=[case.reference, document.pk])
    for role in ROLES:
        client.force_login(users[role])
        listed = client.get(reverse("documents:case", args=[case.reference]))
        versions = [d for row in listed.context["rows"] for d in row["versions"]]
        api = APIClient()
        _, secret = ApiToken.issue(users[role], "Tests")
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        api_list = api.get(reverse("api:documents", args=[case.reference])).json()
        if role in SEES:
            assert document in versions, role
            assert client.get(url).status_code == 200, role
            assert api.get(api_url).status_code == 200, role
            assert any(d["kind"] == "avis" for d in api_list), role
        else:
            assert document not in versions, role
            assert client.get(url).status_code == 404, role
            assert api.get(api_url).status_code == 404, role
            assert not any(d["kind"] == "avis" for d in api_list), role


def test_no_notification_to_the_referring_side_carries_the_unvalidated_opinion(users):
    """Through the writing, the return and the validation of the opinion, whatever reaches
    the direction, the poste's agents and its mailbox (email or bell) names neither a
    version, nor the sense of the first one, nor the reviewer's comments; the validated
    opinion does reach them."""
    case = _case_at(users, VALIDATED + 1)
    referring = Notification.objects.filter(case=case).filter(
        Q(user__role__in=[Role.POSTE_AGENT, Role.DIRECTION_AGENT]) | Q(user__isnull=True)
    )
    assert referring.filter(kind=NotificationKind.OPINION_GIVEN).exists()
    for notification in referring:
        text = " ".join(
            [notification.subject, notification.summary, notification.body_text,
             html.unescape(notification.body_html)]
        )  # fmt: skip
        for secret in (V1_REASONS, REVIEW, V1_SUMMARY, "version 1", "Défavorable", "soumis à"):
            assert secret not in text, (notification.kind, secret)
    pole = Notification.objects.filter(case=case, user=users["expert"]).values_list(
        "body_text", flat=True
    )
    assert any(REVIEW in body for body in pole)  # the author is told what to rework
