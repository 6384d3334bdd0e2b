"""What the head of the pôle does on a process: reassign, cancel or undo a step, close
a case out of its course; and what the referring side may do: withdraw."""

import pytest
from django.urls import reverse

from cases.enums import CaseStatus, EventKind, Mode
from cases.models import Lawyer

from .conftest import open_step_names, open_task
from .test_journeys import OPINION, days_ago

S = CaseStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def taken_over(users, submitted_case, journey):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    j = journey(case)
    j.step(users["head"], "receivability", {"decision": "accept"})
    j.step(users["head"], "assignment", {"jurist": users["jurist"].pk})
    return j


def test_reassignment_moves_the_open_step_and_is_kept_in_the_history(users, taken_over, client):
    case = taken_over.case
    client.force_login(users["head"])
    response = client.post(
        reverse("workflows:reassign", args=[case.reference]), {"jurist": users["other_jurist"].pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_jurist == users["other_jurist"]
    assert open_task(case, "mandate_lawyer").owner == users["other_jurist"]
    assignments = case.events.filter(kind=EventKind.ASSIGNED).order_by("pk")
    assert [e.summary for e in assignments] == [
        f"Dossier attribué (juriste : {users['jurist']})",
        f"Dossier attribué (juriste : {users['other_jurist']})",
    ]
    # The former jurist may no longer act on it.
    taken_over.step(users["jurist"], "mandate_lawyer", {}, expect=403)


def test_jurist_may_not_reassign(users, taken_over, client):
    client.force_login(users["jurist"])
    response = client.post(
        reverse("workflows:reassign", args=[taken_over.case.reference]),
        {"jurist": users["jurist"].pk},
    )
    assert response.status_code == 403


def test_cancel_drops_the_draft_and_recreates_the_step_with_a_reason(users, taken_over, client):
    case = taken_over.case
    task = open_task(case, "mandate_lawyer")
    client.force_login(users["jurist"])
    client.post(reverse("workflows:task", args=[task.pk]), {"action": "draft", "instructions": "x"})
    client.force_login(users["head"])
    url = reverse("workflows:cancel", args=[task.pk])
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Indiquez le motif" in page
    assert open_task(case, "mandate_lawyer").pk == task.pk
    client.post(url, {"reason": "Mauvais avocat pressenti, on recommence."})
    fresh = open_task(case, "mandate_lawyer")
    assert fresh.pk != task.pk and "draft" not in fresh.data
    assert fresh.owner == users["jurist"]
    event = case.events.latest("pk")
    assert event.kind == EventKind.STEP_CANCELLED
    assert event.reason == "Mauvais avocat pressenti, on recommence."
    # A jurist cannot cancel.
    client.force_login(users["jurist"])
    client.post(reverse("workflows:cancel", args=[fresh.pk]), {"reason": "Non"})
    assert open_task(case, "mandate_lawyer").pk == fresh.pk


def test_undo_reopens_a_step_that_left_the_status_alone(users, taken_over, client):
    case = taken_over.case
    lawyer = Lawyer.objects.first()
    taken_over.step(
        users["jurist"], "mandate_lawyer", {"lawyer": lawyer.pk, "mandated_on": days_ago(3)}
    )
    assert open_step_names(case) == ["starting_act"]
    client.force_login(users["head"])
    client.post(reverse("workflows:undo", args=[case.reference]), {"reason": "Avocat à changer."})
    assert open_step_names(case) == ["mandate_lawyer"]
    reopened = open_task(case, "mandate_lawyer")
    assert reopened.owner == users["jurist"]
    assert reopened.data["draft"]["lawyer"] == str(lawyer.pk)  # what was typed comes back
    undone, revoked = case.events.order_by("-pk")[:2][::-1]
    assert undone.kind == EventKind.STEP_UNDONE and undone.reason == "Avocat à changer."
    assert revoked.kind == EventKind.MANDATE_REVOKED  # what the step recorded is taken back
    assert not case.mandates.filter(revoked_on__isnull=True).exists()
    # Redone with another lawyer, who replaces the first.
    other = Lawyer.objects.exclude(pk=lawyer.pk).first()
    taken_over.step(
        users["jurist"], "mandate_lawyer", {"lawyer": other.pk, "mandated_on": days_ago(3)}
    )
    assert case.mandates.get(revoked_on__isnull=True).lawyer == other
    # The starting act changed the status (taken over → action engaged): no undo.
    taken_over.step(
        users["jurist"],
        "starting_act",
        {"kind": "commandement", "court": "TJ de Laon", "signed_on": days_ago(2)},
    )
    client.force_login(users["head"])
    page = client.post(
        reverse("workflows:undo", args=[case.reference]), {"reason": "Erreur"}, follow=True
    ).content.decode()
    assert "ne peut pas être défaite" in page
    assert open_step_names(case) == ["hearings"]


def test_undo_of_an_opinion_lets_its_author_rewrite_it(users, submitted_case, journey, client):
    case = submitted_case(Mode.AVIS)
    j = journey(case)
    j.step(users["head"], "receivability", {"decision": "accept"})
    j.step(users["head"], "assignment", {"expert": users["expert"].pk})
    j.step(users["expert"], "write_opinion", OPINION)
    client.force_login(users["head"])
    client.post(reverse("workflows:undo", args=[case.reference]), {"reason": "Avis incomplet."})
    assert open_task(case, "write_opinion").owner == users["expert"]


def test_head_closes_a_case_out_of_its_course(users, taken_over, client):
    case = taken_over.case
    client.force_login(users["head"])
    url = reverse("workflows:out_of_course", args=[case.reference, "close"])
    page = client.post(url, {"reason": "Paiement intégral."}, follow=True).content.decode()
    assert "Choisissez le motif de clôture" in page
    client.post(url, {"reason": "Paiement intégral.", "closure_reason": "recovered_full"})
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert open_step_names(case) == []
    assert case.process.status == "DONE"
    # The jurist cannot.
    other = taken_over.case
    client.force_login(users["jurist"])
    assert client.post(url, {"reason": "x", "closure_reason": "recovered_full"}).status_code == 403
    assert other.status == S.CLOSED


def test_referrer_withdraws_during_examination(users, submitted_case, client):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    client.force_login(users["direction_agent"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Retirer la demande" in page
    client.post(
        reverse("workflows:out_of_course", args=[case.reference, "withdraw"]),
        {"reason": "Le redevable a payé."},
    )
    case.refresh_from_db()
    assert case.status == S.CLOSED and case.closure_reason == "withdrawn"
    assert open_step_names(case) == []
    assert case.process.status == "CANCELED"


def test_chart_shows_the_flow_with_the_current_step(users, taken_over, client):
    case = taken_over.case
    client.force_login(users["direction_agent"])
    svg = client.get(reverse("workflows:chart", args=[case.reference])).content.decode()
    assert 'id="mandate_lawyer"' in svg and 'class="assigned"' in svg
    assert "Mandater un avocat" in svg and ">oui<" in svg
    page = client.get(reverse("workflows:chart_page", args=[case.reference])).content.decode()
    assert "Mandater un avocat" in page
    client.force_login(users["other_direction_agent"])
    assert client.get(reverse("workflows:chart", args=[case.reference])).status_code == 404


def test_lawyers_directory_is_for_the_pole(users, client):
    client.force_login(users["jurist"])
    page = client.get(reverse("workflows:lawyers")).content.decode()
    lawyer = Lawyer.objects.filter(active=True).first()
    assert lawyer.name in page and lawyer.bar in page
    for line in lawyer.court_list:
        assert line.replace("'", "&#x27;") in page
    client.force_login(users["direction_agent"])
    assert client.get(reverse("workflows:lawyers")).status_code == 403
