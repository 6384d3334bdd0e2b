"""Full journeys through the pôle's process, with the pages, for each mode."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseStatus, ClosureReason, HearingStatus, Mode
from cases.models import ActionType, Lawyer
from cases.pieces import sample_pdf
from cases.services import post_message
from tests.factories import RISK_GRID, edit_page_data, sitting_moment

from .conftest import open_step_names, open_task

S = CaseStatus
pytestmark = pytest.mark.django_db


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def at(days: int, hour: int = 9) -> str:
    return sitting_moment(days, hour)  # a court does not sit on week-ends and holidays


def judgment():
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def test_takeover_journey_with_adjournments_and_appeal(users, submitted_case, journey):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    assert case.status == S.SUBMITTED
    assert open_step_names(case) == ["receivability"]
    j = journey(case)
    head, jurist = users["head"], users["jurist"]

    j.step(head, "receivability", {"decision": "accept"})
    assert case.status == S.UNDER_EXAMINATION
    j.step(head, "assignment", {"jurist": jurist.pk})
    assert case.status == S.TAKEN_OVER and case.assigned_jurist == jurist
    assert open_step_names(case) == ["mandate_lawyer"]

    lawyer = Lawyer.objects.first()
    j.step(jurist, "mandate_lawyer", {"lawyer": lawyer.pk, "mandated_on": days_ago(30)})
    j.step(
        jurist,
        "starting_act",
        {
            "kind": "commandement",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": days_ago(25),
            "served_on": days_ago(20),
        },
    )
    assert case.status == S.ACTION_ENGAGED
    j.side(
        jurist,
        "hearings",
        "hearing",
        {
            "court": "TJ de Laon",
            "scheduled_at": at(-10),
            "kind": "other",
            "purpose": "Audience d'orientation",
        },
    )
    first = case.hearings.get()
    j.side(
        jurist,
        "hearings",
        "adjourn",
        {"hearing": first.pk, "new_date": at(-5), "reason": "Renvoi demandé par la défense"},
    )
    second = case.hearings.get(status=HearingStatus.SCHEDULED)
    j.side(
        jurist,
        "hearings",
        "adjourn",
        {"hearing": second.pk, "new_date": at(-2), "reason": "Grève des greffes"},
    )
    third = case.hearings.get(status=HearingStatus.SCHEDULED)
    j.side(jurist, "hearings", "held", {"hearing": third.pk})
    assert case.hearings.filter(status=HearingStatus.ADJOURNED).count() == 2
    j.step(jurist, "hearings", {"deliberation_on": days_ago(1)})
    assert case.status == S.AWAITING_DECISION

    j.step(
        jurist,
        "decision",
        {
            "result": "decided",
            "decided_on": days_ago(1),
            "court": "TJ de Laon",
            "outcome": "rejected",
            "notified_on": days_ago(1),
        },
        files={"judgment": judgment()},
    )
    assert case.status == S.DECIDED
    j.step(
        jurist,
        "appeal_decision",
        {
            "choice": "pole",
            "lodged_on": days_ago(0),
            "court": "Cour d'appel d'Amiens",
            "grounds": "Erreur de droit",
        },
    )
    assert case.status == S.UNDER_APPEAL
    assert open_step_names(case) == ["hearings"]
    j.side(
        jurist,
        "hearings",
        "hearing",
        {"court": "CA d'Amiens", "scheduled_at": at(-1), "kind": "other", "purpose": "Plaidoiries"},
    )
    j.side(
        jurist,
        "hearings",
        "held",
        {"hearing": case.hearings.get(status=HearingStatus.SCHEDULED).pk},
    )
    j.step(jurist, "hearings", {"deliberation_on": days_ago(0)})
    j.step(
        jurist,
        "decision",
        {
            "result": "decided",
            "decided_on": days_ago(0),
            "court": "CA d'Amiens",
            "outcome": "granted",
            "amount_awarded": "12 000,00",
        },
        files={"judgment": judgment()},
    )
    j.step(jurist, "appeal_decision", {"choice": "none"})
    assert case.status == S.EXECUTION
    j.side(jurist, "execution", "recovery", {"received_on": days_ago(0), "amount": "5 000"})
    j.step(
        jurist,
        "execution",
        {"closure_reason": ClosureReason.RECOVERED_PARTIAL, "comment": "5 000 € recouvrés."},
    )
    assert case.status == S.CLOSED
    case.process.refresh_from_db()
    assert case.process.status == "DONE"
    assert open_step_names(case) == []


OPINION = {
    "conclusion": "favourable",
    "reasons": "Patrimoine immobilier libre d'hypothèque ; créances non prescrites.",
    "risk_level": "low",
    "risk_assessment": "Bien estimé à 180 000 € pour 95 000 € de créances.",
    **RISK_GRID,
}


def test_completion_loop_happens_as_often_as_needed(users, submitted_case, journey, client):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    j = journey(case)
    head, agent = users["head"], users["poste_agent"]
    for round_ in (1, 2):
        j.step(
            head,
            "receivability",
            {"decision": "return", "grounds": ["pieces"], "missing": "État hypothécaire\n- Kbis"},
        )
        assert case.status == S.RETURNED
        assert open_step_names(case) == ["completion"]
        event = case.events.filter(transition="return_for_completion").latest("pk")
        assert event.reason == "- État hypothécaire\n- Kbis"
        assert [g.ground for g in event.return_grounds.all()] == ["pieces"]
        # The direction completes the referral and resubmits it from its page.
        client.force_login(agent)
        edit = reverse("cases:edit", args=[case.reference])
        data = {
            **edit_page_data(client, edit),
            "action": "submit",
            "confirm_duplicate": "1",
        }
        response = client.post(edit, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        case.refresh_from_db()
        assert case.status == S.SUBMITTED, round_
        assert open_step_names(case) == ["receivability"]
    j.step(head, "receivability", {"decision": "decline", "reason": "Enjeu trop faible."})
    assert case.status == S.DECLINED
    assert open_step_names(case) == []
    case.process.refresh_from_db()
    assert case.process.status == "DONE"
    assert case.events.filter(transition="resubmit").count() == 2


def test_opinion_returned_then_validated_then_taken_over(users, submitted_case, journey):
    case = submitted_case(Mode.AVIS)
    j = journey(case)
    head, expert, agent = users["head"], users["expert"], users["direction_agent"]
    j.step(head, "receivability", {"decision": "accept"})
    j.step(head, "assignment", {"expert": expert.pk})
    assert case.assigned_expert == expert and case.status == S.UNDER_EXAMINATION
    assert open_task(case, "write_opinion").owner == expert

    # A draft is kept and shown again when the expert comes back.
    task = open_task(case, "write_opinion")
    j.client.force_login(expert)
    j.client.post(
        reverse("workflows:task", args=[task.pk]), {"action": "draft", "reasons": "Premier jet"}
    )
    page = j.client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "Premier jet" in page and "brouillon enregistré" in page

    j.step(expert, "write_opinion", OPINION)
    # Nobody validates their own opinion; the head sends it back with comments.
    j.step(head, "validate_opinion", {"decision": "return"}, expect=422)
    j.step(head, "validate_opinion", {"decision": "return", "comments": "Chiffrez le risque."})
    assert case.status == S.UNDER_EXAMINATION
    assert open_task(case, "write_opinion").owner == expert
    page = j.client.get(
        reverse("workflows:task", args=[open_task(case, "write_opinion").pk])
    ).content.decode()
    assert "Chiffrez le risque." in page
    # Version 2 starts from version 1's text, not from an empty form.
    j.client.force_login(expert)
    page = j.client.get(
        reverse("workflows:task", args=[open_task(case, "write_opinion").pk])
    ).content.decode()
    assert re.search(rf">\s*{re.escape(OPINION['risk_assessment'])}</textarea>", page)
    assert re.search(r'<input[^>]*value="favourable"[^>]*checked', page)
    j.step(expert, "write_opinion", {**OPINION, "risk_level": "medium"})
    j.step(head, "validate_opinion", {"decision": "validate"})
    assert case.status == S.OPINION_GIVEN
    assert case.opinions.latest("version").version == 2

    j.step(agent, "follow_up", {"follow": "followed", "takeover_requested": "on"})
    assert case.status == S.OPINION_GIVEN
    j.step(head, "takeover_decision", {"decision": "accept"}, expect=422)  # no jurist chosen
    j.step(head, "takeover_decision", {"decision": "accept", "jurist": users["jurist"].pk})
    assert case.status == S.TAKEN_OVER and case.assigned_jurist == users["jurist"]
    assert open_task(case, "mandate_lawyer").owner == users["jurist"]


def test_opinion_followed_without_takeover_closes_the_case(users, submitted_case, journey):
    case = submitted_case(Mode.AVIS)
    j = journey(case)
    head = users["head"]
    j.step(head, "receivability", {"decision": "accept"})
    j.step(head, "assignment", {"jurist": users["jurist"].pk})
    j.step(
        users["jurist"],
        "write_opinion",
        {
            **OPINION,
            "conclusion": "other_action",
            "recommended_action": ActionType.objects.get(code="solidarite_dirigeant").pk,
        },
    )
    j.step(head, "validate_opinion", {"decision": "validate"})
    j.step(
        users["poste_agent"], "follow_up", {"follow": "not_followed", "comment": "Autre priorité."}
    )
    assert case.status == S.CLOSED and case.closure_reason == ClosureReason.OPINION_GIVEN
    assert open_step_names(case) == []


def test_support_thread_closed_by_the_direction_with_a_summary(users, submitted_case, journey):
    case = submitted_case(Mode.SOUTIEN)
    j = journey(case)
    j.step(users["head"], "receivability", {"decision": "accept"})
    j.step(users["head"], "assignment", {"jurist": users["jurist"].pk})
    assert case.status == S.SUPPORT_IN_PROGRESS
    post_message(users["direction_agent"], case, "Faut-il un commandement préalable ?")
    post_message(users["jurist"], case, "Oui, voir modèle joint.")
    # The support step's page shows the thread, and the form to write in it.
    j.client.force_login(users["jurist"])
    page = j.client.get(
        reverse("workflows:task", args=[open_task(case, "support").pk])
    ).content.decode()
    assert "Faut-il un commandement préalable ?" in page and "Oui, voir modèle joint." in page
    assert f'action="{reverse("cases:message_post", args=[case.reference])}"' in page
    j.step(users["direction_agent"], "support", {}, expect=422)  # the summary is required
    j.step(users["direction_agent"], "support", {"summary": "Commandement puis saisie."})
    assert case.status == S.CLOSED and case.closure_reason == ClosureReason.SUPPORT_COMPLETED
    assert case.events.latest("pk").reason == "Commandement puis saisie."
