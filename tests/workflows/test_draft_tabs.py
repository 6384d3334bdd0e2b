"""A step's draft saved from two tabs: the tab that saves second, on a draft the first has
replaced, is refused with its input kept instead of silently replacing the other draft."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Lawyer
from tests.factories import case_at_step
from tests.workflows.conftest import open_task

pytestmark = pytest.mark.django_db


def _tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_second_tab_saving_an_older_draft_is_refused_with_its_input_kept():
    case = case_at_step("mandate_lawyer")
    task = open_task(case, "mandate_lawyer")
    jurist = task.owner or case.assigned_jurist
    url = reverse("workflows:task", args=[task.pk])
    first, second = _tab(jurist), _tab(jurist)
    assert first.get(url).context["draft_version"] == second.get(url).context["draft_version"]
    lawyers = list(Lawyer.objects.filter(active=True)[:2])

    saved = first.post(url, {"action": "draft", "draft_version": 0, "lawyer": lawyers[0].pk})
    assert saved.status_code == 302
    task.refresh_from_db()
    assert task.data["draft"]["lawyer"] == str(lawyers[0].pk)

    refused = second.post(url, {"action": "draft", "draft_version": 0, "lawyer": lawyers[1].pk})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "modifié entre-temps par" in page
    assert f'value="{lawyers[1].pk}" selected' in page  # the second tab's choice is kept
    task.refresh_from_db()
    assert task.data["draft"]["lawyer"] == str(lawyers[0].pk)  # the first draft stands
    assert "draft_version" not in task.data["draft"]

    # Saved again from the page as shown (it carries the current version): replaced.
    version = refused.context["draft_version"]
    again = {"action": "draft", "draft_version": version, "lawyer": lawyers[1].pk}
    assert second.post(url, again).status_code == 302
    task.refresh_from_db()
    assert task.data["draft"]["lawyer"] == str(lawyers[1].pk)
