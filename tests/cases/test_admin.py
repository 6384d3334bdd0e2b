import pytest
from django.urls import reverse

from cases.enums import CaseStatus
from tests.factories import CaseFactory


@pytest.mark.django_db
def test_admin_reads_cases_but_cannot_change_their_status(client, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    events = case.events.count()
    client.force_login(users["admin"])
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 200
    change = reverse("admin:cases_case_change", args=[case.pk])
    assert client.get(change).status_code == 200  # view only
    client.post(change, {"status": "closed", "closure_reason": "withdrawn"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    delete = reverse("admin:cases_caseevent_delete", args=[case.events.first().pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert case.events.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["poste_agent", "jurist", "head", "management"])
def test_only_staff_reach_the_administration(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
