"""The read replica's routing (cases/replica.py), on any database: which reads the router
sends to the replica, spied on (the reads themselves still run on the test database), the
pin to the primary after a write, and the dashboards' lag notice. The real streaming
replica is tests/dashboards/test_replica_streaming.py."""

import time

import pytest
from django.urls import reverse

from cases import replica
from cases.enums import CaseStatus
from cases.models import Case, SavedView
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboards:show", args=["activite"])


@pytest.fixture
def routed(monkeypatch):
    """A replica configured; every routing decision recorded: 'replica' or None (the
    primary), then the read made on the test database."""
    decisions = []
    route = replica.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        decisions.append(route(self, model, **hints))
        return None

    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "lag_seconds", lambda: None)  # no replica to ask
    monkeypatch.setattr(replica.ReplicaRouter, "db_for_read", spy)
    return decisions


def read_by(decisions) -> set:
    found = set(decisions)
    decisions.clear()
    return found


def test_without_a_replica_every_read_goes_to_the_primary(client, users, monkeypatch):
    decisions = []
    route = replica.ReplicaRouter.db_for_read
    monkeypatch.setattr(
        replica.ReplicaRouter,
        "db_for_read",
        lambda self, model, **hints: decisions.append(route(self, model, **hints)),
    )
    client.force_login(users["head"])
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert decisions and set(decisions) == {None}
    assert replica.PIN_COOKIE not in response.cookies
    assert 'id="replica-lag"' not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        DASHBOARD,
        reverse("dashboards:export", args=["activite", "referrals_per_period", "csv"]),
        reverse("cases:export", args=["csv"]),
        reverse("cases:export", args=["xlsx"]),
        reverse("search") + "?q=Laon",
    ],
)
def test_the_pages_that_only_read_read_from_the_replica(client, users, routed, url):
    CaseFactory(to=CaseStatus.SUBMITTED)
    client.force_login(users["head"])
    response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)  # the CSV's rows are read as it streams
    assert read_by(routed) >= {"replica"}
    # The page's own consultation journal and session are no write the user reads back.
    assert replica.PIN_COOKIE not in response.cookies


def test_the_csv_export_streams_its_rows_from_the_replica(client, users, routed):
    CaseFactory(to=CaseStatus.SUBMITTED)
    client.force_login(users["head"])
    response = client.get(reverse("cases:export", args=["csv"]))
    read_by(routed)  # the view's own reads
    b"".join(response.streaming_content)
    assert read_by(routed) == {"replica"}


def test_the_other_pages_read_from_the_primary(client, users, routed):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    client.force_login(users["head"])
    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.reference])):
        assert client.get(url).status_code == 200
        assert read_by(routed) == {None}


def test_after_a_write_the_browser_reads_from_the_primary_for_a_while(
    client, users, routed, settings
):
    client.force_login(users["head"])
    response = client.post(reverse("cases:view_create"), {"name": "Mes dossiers", "query": ""})
    assert response.status_code == 302
    pinned_until = int(response.cookies[replica.PIN_COOKIE].value)
    assert pinned_until > time.time()
    assert pinned_until <= time.time() + settings.REPLICA_PIN_SECONDS
    read_by(routed)
    assert client.get(DASHBOARD).status_code == 200
    assert read_by(routed) == {None}
    # The pin over (its end moved into the past), the dashboards read the replica again.
    client.cookies[replica.PIN_COOKIE] = str(int(time.time()) - 1)
    assert client.get(DASHBOARD).status_code == 200
    assert "replica" in read_by(routed)


def test_a_page_of_the_replica_that_writes_reads_the_primary_from_then_on(rf, users, routed):

    @replica.reads_from_replica
    def view(request):
        before = replica.from_replica()
        SavedView.objects.create(user=users["head"], name="Écrite", query="")
        return before, replica.from_replica()

    request = rf.get("/")
    request.user = users["head"]
    assert view(request) == (True, False)


def test_writes_always_go_to_the_primary(rf, users, routed):
    router = replica.ReplicaRouter()

    @replica.reads_from_replica
    def view(request):
        return router.db_for_write(Case)

    assert view(rf.get("/")) == "default"


@pytest.mark.parametrize(
    "lag, notice",
    [
        (None, ""),
        (0, ""),
        (60, ""),
        (61, "Données du tableau de bord en retard de 1 minute sur la base principale."),
        (125, "Données du tableau de bord en retard de 2 minutes sur la base principale."),
    ],
)
def test_the_dashboards_say_when_the_replica_is_more_than_a_minute_late(
    client, users, routed, monkeypatch, lag, notice
):
    monkeypatch.setattr(replica, "lag_seconds", lambda: lag)
    client.force_login(users["management"])
    page = client.get(DASHBOARD).content.decode()
    assert (notice in page) if notice else ('id="replica-lag"' not in page)


def test_a_dashboard_read_from_the_primary_says_nothing_of_the_replica(
    client, users, routed, monkeypatch
):
    monkeypatch.setattr(replica, "lag_seconds", lambda: 600)
    client.force_login(users["management"])
    client.cookies[replica.PIN_COOKIE] = str(int(time.time()) + 30)
    page = client.get(DASHBOARD).content.decode()
    assert 'id="replica-lag"' not in page
