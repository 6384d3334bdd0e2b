import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from cases.enums import Mode
from cases.services import submit_referral
from tests.factories import CaseFactory
from workflows.services import ACTIVE


def open_task(case, name=None):
    """The case's open human step (the one named `name`, if given)."""
    tasks = case.process.task_set.filter(status__in=ACTIVE, flow_task_type="HUMAN")
    tasks = [t for t in tasks if name is None or t.flow_task.name == name]
    assert len(tasks) == 1, f"open steps: {[t.flow_task.name for t in tasks]}"
    return tasks[0]


def open_step_names(case) -> list[str]:
    return sorted(
        t.flow_task.name
        for t in case.process.task_set.filter(status__in=ACTIVE, flow_task_type="HUMAN")
    )


class Journey:
    """Drive a case through the pôle's steps with the pages, as its users would."""

    def __init__(self, client, case):
        self.client = client
        self.case = case

    def step(self, user, name, data=None, *, expect=302, files=None):
        task = open_task(self.case, name)
        self.client.force_login(user)
        payload = {"action": "complete", **(data or {})}
        if files:
            payload.update(files)
        response = self.client.post(reverse("workflows:task", args=[task.pk]), payload)
        assert response.status_code == expect, (
            response.status_code,
            response.content.decode()[:3000] if response.status_code != 302 else "",
        )
        self.case.refresh_from_db()
        return response

    def side(self, user, name, action, data):
        task = open_task(self.case, name)
        self.client.force_login(user)
        response = self.client.post(reverse("workflows:side_action", args=[task.pk, action]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response


@pytest.fixture
def submitted_case(users):
    """Make a complete referral and submit it like its poste agent does."""

    def make(mode=Mode.PRISE_EN_CHARGE, **kwargs):
        agent = users["poste_agent"]
        case = CaseFactory(
            complete=True,
            mode=mode,
            created_by=agent,
            poste_comptable=agent.poste_comptable,
            **kwargs,
        )
        submit_referral(users["poste_agent"], case, confirm_duplicate=True)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def journey(client):
    return lambda case: Journey(client, case)


__all__ = ["STATUS", "open_task", "open_step_names"]
