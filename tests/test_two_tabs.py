"""The loser of a two-tab submission is told what happened, not « accès refusé »: the
same referral submitted twice, the same step completed twice."""

import pytest
from django.urls import reverse

from cases.enums import CaseStatus
from cases.models import Lawyer
from tests.factories import CaseFactory, case_at_step, edit_page_data
from tests.workflows.conftest import open_task

pytestmark = pytest.mark.django_db


def test_the_second_tab_submitting_a_referral_is_told_it_was_submitted(client, users):
    agent = users["poste_agent"]
    case = CaseFactory(complete=True, created_by=agent)
    client.force_login(agent)
    edit = reverse("cases:edit", args=[case.reference])
    data = {**edit_page_data(client, edit), "action": "submit", "confirm_duplicate": "on"}
    first = client.post(edit, data)  # the first tab
    assert first.status_code == 302
    second = client.post(edit, {**data, "case-facts": "Autre version"}, follow=True)
    text = second.content.decode()
    assert second.status_code == 200
    assert f"Le dossier {case.reference} a déjà été transmis au pôle" in text
    assert "Accès refusé" not in text
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.facts != "Autre version"


def test_the_second_tab_completing_a_step_is_told_it_is_done(client):
    case = case_at_step("mandate_lawyer")
    task = open_task(case, "mandate_lawyer")
    client.force_login(case.assigned_jurist)
    data = {
        "action": "complete",
        "lawyer": Lawyer.objects.filter(active=True).order_by("pk").first().pk,
        "mandated_on": "2026-01-05",
    }
    url = reverse("workflows:task", args=[task.pk])
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    text = second.content.decode()
    assert second.status_code == 200
    assert "vient d&#x27;être traitée" in text and "Accès refusé" not in text
    assert case.mandates.count() == 1
