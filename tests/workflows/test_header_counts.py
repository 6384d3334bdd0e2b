"""The header's task counts (pnsr.context_processors.HeaderCounts: « Mes tâches / à
prendre ») are read from the task table alone (workflows.selectors.inbox_to_count,
queue_to_count): they stay the lengths of the lists the task pages show, for everyone."""

import pytest
from django.urls import reverse

from cases.models import User
from pnsr.context_processors import HeaderCounts
from tests.factories import case_at_step
from workflows import selectors


def _header_counts(page: str) -> str:
    marker = "data-task-counts>"
    start = page.index(marker) + len(marker)
    return page[start : page.index("</span>", start)]


@pytest.mark.django_db
def test_the_header_counts_the_lists_of_the_task_pages(client, users, submitted_case):
    submitted_case(), submitted_case()  # receivability: to take
    case_at_step("mandate_lawyer")  # held by the case's jurist
    case_at_step("write_opinion")
    everyone = list(User.objects.all())
    for user in everyone:
        role = user.username
        inbox, queue = len(selectors.inbox(user)), len(selectors.queue(user))
        counted = HeaderCounts(user).tasks()
        # None for who takes no step (their header shows no task counts).
        assert {k: v or 0 for k, v in counted.items()} == {"inbox": inbox, "queue": queue}, role
        if inbox or queue:
            client.force_login(user)
            page = client.get(reverse("cases:list")).content.decode()
            assert _header_counts(page) == f"{inbox} à traiter · {queue} à prendre", role
    assert len(selectors.queue(users["head"])) >= 2
    assert sum(len(selectors.inbox(user)) for user in everyone) >= 2
