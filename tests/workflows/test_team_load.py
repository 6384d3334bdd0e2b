"""The head's « Charge de l'équipe »: each person's open steps and followed cases."""

import re

import pytest
from django.urls import reverse

from cases.enums import CaseStatus
from cases.models import Lawyer, User
from tests.factories import CaseFactory
from workflows.flows import CaseFlow
from workflows.selectors import team_load
from workflows.services import ACTIVE

pytestmark = pytest.mark.django_db


def test_team_load_counts_each_step_and_case_once(users, client):
    cases = [CaseFactory(to=CaseStatus.TAKEN_OVER) for _ in range(3)]
    jurist = User.objects.get(username="factory.jurist")
    held = CaseFlow.task_class.objects.filter(
        owner=jurist, flow_task_type="HUMAN", status__in=ACTIVE
    ).count()
    assert held >= 3
    assert all(c.assigned_jurist == jurist for c in cases)

    people, _ = team_load()
    row = next(p for p in people if p == jurist)
    assert (row.open_steps, row.cases) == (held, 3)

    client.force_login(User.objects.get(username="factory.head"))
    page = client.get(reverse("workflows:team")).content.decode()
    assert f"<td>{held}</td><td>3</td>" in page


def test_the_lawyer_option_names_its_bar_once(users, client):
    case = CaseFactory(to=CaseStatus.TAKEN_OVER)
    task = CaseFlow.task_class.objects.get(
        process__caseprocess__case=case, flow_task_type="HUMAN", status__in=ACTIVE
    )
    client.force_login(case.assigned_jurist)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    lawyer = Lawyer.objects.filter(active=True).first()
    (option,) = re.findall(rf'<option value="{lawyer.pk}"[^>]*>([^<]*)</option>', page)
    assert option.count(lawyer.bar) == 1, option
