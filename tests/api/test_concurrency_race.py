"""Two API clients PATCHing the same draft at the same moment with the same If-Match, on
two real database connections (PostgreSQL only): the version is compared under the case's
row lock, so the second waits for the first and is then refused (412), rather than both
reading version 1 and both writing.

Transactional (the requests commit in their threads): see tests/workflows/test_concurrency.py
for why the reference data is loaded again before the test."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from cases.forms import ReferralForms
from cases.models import Case
from tests.api.conftest import client_for
from tests.factories import CaseFactory

SLOW = 0.3

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two real connections racing for a row lock need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_patches_with_the_same_if_match_at_once(monkeypatch, reference_data, users):
    agent = users["poste_agent"]
    case = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    url = reverse("api:case", args=[case.reference])
    clients = [client_for(agent), client_for(users["direction_agent"])]
    real_save = ReferralForms.save

    def slow_save(self, *args, **kwargs):  # the first keeps the row lock a moment
        saved = real_save(self, *args, **kwargs)
        time.sleep(SLOW)
        return saved

    monkeypatch.setattr(ReferralForms, "save", slow_save)
    barrier = threading.Barrier(2)
    statuses = [None, None]

    def patch(index):
        try:
            barrier.wait(timeout=10)
            time.sleep(0.05 * index)  # the second starts while the first holds the lock
            body = {"facts": f"Client {index}"}
            response = clients[index].patch(url, body, format="json", HTTP_IF_MATCH='"v1"')
            statuses[index] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200, 412]
    saved = Case.objects.get(pk=case.pk)
    assert saved.facts == "Client 0" and saved.version == 2
