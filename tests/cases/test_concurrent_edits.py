"""Two saves of the same draft (two tabs, two agents): the second one, made on the version
the first has replaced, is refused with the user's input kept, instead of silently undoing
the first."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.enums import EventKind
from cases.models import Case, CaseEvent
from tests.factories import CaseFactory, edit_page_data


@pytest.fixture
def draft(users):
    return CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )


def _tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_second_tab_saving_an_older_version_is_refused_with_its_input_kept(draft, users):
    edit = reverse("cases:edit", args=[draft.reference])
    first, second = _tab(users["poste_agent"]), _tab(users["direction_agent"])
    first_data, second_data = edit_page_data(first, edit), edit_page_data(second, edit)
    assert first_data["version"] == second_data["version"] == 1

    response = first.post(edit, {**first_data, "case-facts": "Faits complétés par le poste."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2

    response = second.post(edit, {**second_data, "case-request": "Demande réécrite ailleurs."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "modifié entre-temps par" in page
    assert str(CaseEvent.objects.filter(kind=EventKind.UPDATED).get().actor_label) in page
    assert "Demande réécrite ailleurs." in page  # what the second agent typed is still there
    draft.refresh_from_db()
    assert draft.facts == "Faits complétés par le poste."  # the first save stands
    assert draft.request != "Demande réécrite ailleurs."
    assert draft.version == 2
    # The page now carries the current version: saving again, knowingly, goes through.
    assert response.context["version"] == 2
    again = {**second_data, "version": 2, "case-request": "Demande réécrite ailleurs."}
    assert second.post(edit, again).status_code == 302
    draft.refresh_from_db()
    assert draft.request == "Demande réécrite ailleurs." and draft.version == 3


@pytest.mark.django_db
def test_saving_the_version_loaded_goes_through_and_raises_it(draft, users):
    edit = reverse("cases:edit", args=[draft.reference])
    tab = _tab(users["poste_agent"])
    for version in (2, 3):
        data = edit_page_data(tab, edit)
        assert tab.post(edit, {**data, "case-facts": f"Version {version}"}).status_code == 302
        draft.refresh_from_db()
        assert draft.version == version


@pytest.mark.django_db
def test_saving_nothing_new_keeps_the_version(draft, users):
    edit = reverse("cases:edit", args=[draft.reference])
    tab = _tab(users["poste_agent"])
    assert tab.post(edit, edit_page_data(tab, edit)).status_code == 302
    draft.refresh_from_db()
    assert draft.version == 1


@pytest.mark.django_db
def test_service_refuses_a_stale_version_and_says_who_saved_last(draft, users):
    forms = SimpleNamespace(case=Case.objects.get(pk=draft.pk))
    Case.objects.filter(pk=draft.pk).update(version=5)
    with pytest.raises(services.StaleReferral) as refused:
        services.save_referral(users["poste_agent"], forms, expected_version=4)
    assert refused.value.version == 5
    assert refused.value.by  # the creation entry's author at least
