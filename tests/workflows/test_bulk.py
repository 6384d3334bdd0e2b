"""Bulk actions on the case list (issue 22, « Work »): reassign a jurist's open cases and
steps to another, add or remove a label, one message to the referring sides. A
confirmation page says what will happen to each case; each case then changes in its own
transaction, and the result page says what was done, and what was refused and why."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import absences, access
from cases.enums import CaseStatus, EventKind, LabelColour, Mode
from cases.models import Case, CaseLabel, Label, Message
from notifications.models import Notification
from tests.factories import ROLE_KEYS, CaseFactory
from workflows import bulk, services

from .conftest import open_task

pytestmark = pytest.mark.django_db

URL = reverse("workflows:bulk")


@pytest.fixture
def two_cases(users, submitted_case, journey):
    """Two cases taken over, given to the jurist; their open step is the lawyer's mandate."""
    cases = []
    for _ in range(2):
        j = journey(submitted_case(Mode.PRISE_EN_CHARGE))
        j.step(users["head"], "receivability", {"decision": "accept"})
        j.step(users["head"], "assignment", {"jurist": users["jurist"].pk})
        cases.append(j.case)
    return cases


@pytest.fixture
def sensitive():
    return Label.objects.create(name="Dossier sensible", colour=LabelColour.PINK_TUILE)


def text(response) -> str:
    return html.unescape(response.content.decode())


def confirm(client, data):
    """The confirmation page's own form, sent back as it is."""
    page = client.post(URL, data)
    assert page.status_code == 200, text(page)[:2000]
    return page


@pytest.mark.parametrize("key", ROLE_KEYS)
def test_who_is_offered_which_bulk_action(users, key):
    offered = access.bulk_actions(users[key])
    if key == "head":
        assert offered == ["reassign", "label_add", "label_remove", "message"]
    elif key in ("jurist", "other_jurist"):
        assert offered == ["label_add", "label_remove", "message"]
    else:
        assert offered == []


@pytest.mark.parametrize("key", ["poste_agent", "direction_agent", "expert", "management", "admin"])
def test_outside_the_pole_no_checkboxes_and_the_action_is_refused(
    client, users, two_cases, sensitive, key
):
    client.force_login(users[key])
    listed = text(client.get(reverse("cases:list")))
    assert 'form="bulk-form"' not in listed
    response = client.post(
        URL, {"action": "label_add", "label": sensitive.pk, "cases": [two_cases[0].pk]}
    )
    assert response.status_code == 403
    assert not CaseLabel.objects.exists()


def test_a_jurist_may_not_reassign(client, users, two_cases):
    client.force_login(users["jurist"])
    listed = text(client.get(reverse("cases:list")))
    assert 'form="bulk-form"' in listed and 'name="jurist"' not in listed.split("bulk-form")[-1]
    response = client.post(
        URL,
        {"action": "reassign", "jurist": users["other_jurist"].pk, "cases": [two_cases[0].pk]},
    )
    assert response.status_code == 422
    two_cases[0].refresh_from_db()
    assert two_cases[0].assigned_jurist == users["jurist"]


def test_the_confirmation_page_lists_each_case_and_changes_nothing(
    client, users, two_cases, sensitive
):
    first, second = two_cases
    CaseLabel.objects.create(case=second, label=sensitive, added_by=users["head"])
    client.force_login(users["jurist"])
    data = {"action": "label_add", "label": sensitive.pk, "cases": [first.pk, second.pk]}
    page = text(confirm(client, data))
    assert "Vérifier avant d'appliquer" in page
    assert first.reference in page and second.reference in page
    assert "Sera fait" in page and "Étiquette « Dossier sensible » ajoutée." in page
    assert "L'étiquette « Dossier sensible » y est déjà." in page
    assert "Appliquer à 1 dossier" in page
    assert CaseLabel.objects.filter(case=first).count() == 0  # nothing written yet


def test_labels_added_then_removed_with_per_case_results(client, users, two_cases, sensitive):
    first, second = two_cases
    client.force_login(users["jurist"])
    data = {"action": "label_add", "label": sensitive.pk, "cases": [first.pk, second.pk]}
    result = text(client.post(URL, {**data, "confirm": "1"}, follow=True))
    assert "2 dossiers traités" in result
    assert set(CaseLabel.objects.values_list("case", flat=True)) == {first.pk, second.pk}
    removal = {**data, "action": "label_remove", "cases": [first.pk], "confirm": "1"}
    result = text(client.post(URL, removal, follow=True))
    assert "Étiquette « Dossier sensible » retirée." in result
    assert list(CaseLabel.objects.values_list("case", flat=True)) == [second.pk]


def test_a_missing_choice_says_what_to_fix(client, users, two_cases):
    client.force_login(users["jurist"])
    page = client.post(URL, {"action": "label_add", "cases": [two_cases[0].pk]})
    assert page.status_code == 422
    assert "Choisissez l'étiquette." in text(page)
    page = client.post(URL, {"action": "message", "body": "  "})
    shown = text(page)
    assert "Cochez au moins un dossier dans la liste." in shown
    assert "Écrivez le message." in shown


def test_one_message_to_each_referring_side_and_a_refusal_for_a_draft(client, users, two_cases):
    draft = CaseFactory(poste_comptable=users["poste_agent"].poste_comptable)
    assert draft.status == CaseStatus.DRAFT
    client.force_login(users["head"])
    data = {
        "action": "message",
        "body": "Le pôle sera fermé le 24 décembre.",
        "cases": [two_cases[0].pk, two_cases[1].pk, draft.pk],
    }
    page = text(confirm(client, data))
    # The head sees no drafts: the draft is not even listed.
    assert draft.reference not in page
    result = text(client.post(URL, {**data, "confirm": "1"}, follow=True))
    assert "2 dossiers traités" in result
    for case in two_cases:
        (message,) = Message.objects.filter(case=case)
        assert message.body == "Le pôle sera fermé le 24 décembre."
        # The referring side is told (the poste comptable's agent is on the case).
        assert Notification.objects.filter(
            user=users["poste_agent"], case=case, source=f"message:{message.pk}"
        ).exists()


def test_sent_twice_the_confirmed_form_posts_the_message_once(client, users, two_cases):
    client.force_login(users["head"])
    data = {"action": "message", "body": "Une seule fois.", "cases": [two_cases[0].pk]}
    page = text(confirm(client, data))
    token = page.split('name="form_token" value="')[1].split('"')[0]
    for _ in range(2):
        response = client.post(URL, {**data, "confirm": "1", "form_token": token})
        assert response.status_code == 302
    assert Message.objects.filter(case=two_cases[0]).count() == 1


def test_reassigning_a_jurists_work_moves_cases_and_steps(client, users, two_cases):
    client.force_login(users["head"])
    team = text(client.get(reverse("workflows:team")))
    assert "Réattribuer tout le travail d'un juriste" in team
    data = {"action": "reassign", "from_jurist": users["jurist"].pk}
    data["jurist"] = users["other_jurist"].pk
    page = text(confirm(client, data))
    name = users["other_jurist"].get_full_name()
    assert all(case.reference in page for case in two_cases)
    assert f"à {name} ; l'étape « " in page
    assert Case.objects.filter(assigned_jurist=users["jurist"]).count() == 2  # not yet
    ids = [case.pk for case in two_cases]
    result = client.post(URL, {**data, "cases": ids, "confirm": "1"}, follow=True)
    assert "2 dossiers traités" in text(result)
    for case in two_cases:
        case.refresh_from_db()
        assert case.assigned_jurist == users["other_jurist"]
        assert open_task(case, "mandate_lawyer").owner == users["other_jurist"]
        assert case.events.filter(kind=EventKind.ASSIGNED).count() == 2


def test_reassignment_refused_on_one_case_leaves_it_whole_and_the_others_done(
    client, users, two_cases, submitted_case
):
    first, second = two_cases
    services.close_case(
        second, users["head"], reason="Créance soldée.", closure_reason="recovered_full"
    )
    unassigned = submitted_case(Mode.PRISE_EN_CHARGE)  # still at receivability
    client.force_login(users["head"])
    data = {
        "action": "reassign",
        "jurist": users["other_jurist"].pk,
        "cases": [first.pk, second.pk, unassigned.pk],
        "confirm": "1",
    }
    result = text(client.post(URL, data, follow=True))
    assert "1 dossier traité" in result and "2 refusés" in result
    assert "Ce dossier est clos : il ne se réattribue plus." in result
    assert "n'est encore attribué à aucun juriste" in result
    first.refresh_from_db(), second.refresh_from_db(), unassigned.refresh_from_db()
    assert first.assigned_jurist == users["other_jurist"]
    assert second.assigned_jurist == users["jurist"]
    assert unassigned.assigned_jurist is None


def test_a_failure_inside_one_case_rolls_that_case_back(users, two_cases, monkeypatch):
    """Nothing half-done: the case reassigned, then its step failing to follow, is left
    as it was (its history entry too); the other case is done."""
    first, second = two_cases
    real = services._reset_owner

    def failing(task):
        if task.process.caseprocess.case_id == first.pk:
            raise services.TaskError("Panne au milieu.")
        real(task)

    monkeypatch.setattr(services, "_reset_owner", failing)
    action = bulk.Bulk(action="reassign", jurist=users["other_jurist"])
    lines = bulk.run(users["head"], action, Case.objects.filter(pk__in=[first.pk, second.pk]))
    outcome = {line.case.pk: (line.outcome, line.text) for line in lines}
    assert outcome[first.pk] == (bulk.REFUSED, "Panne au milieu.")
    assert outcome[second.pk][0] == bulk.DONE
    first.refresh_from_db()
    assert first.assigned_jurist == users["jurist"]
    assert first.events.filter(kind=EventKind.ASSIGNED).count() == 1
    assert open_task(first, "mandate_lawyer").owner == users["jurist"]


def test_an_absent_jurist_is_not_offered_as_the_new_one(client, users, two_cases):
    today = timezone.localdate()
    absences.record_absence(
        users["head"],
        users["other_jurist"],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
        replacement=users["head"],
    )
    client.force_login(users["head"])
    data = {"action": "reassign", "jurist": users["other_jurist"].pk, "cases": [two_cases[0].pk]}
    assert client.post(URL, data).status_code == 422
    two_cases[0].refresh_from_db()
    assert two_cases[0].assigned_jurist == users["jurist"]


def test_from_the_task_list_and_back_to_it(client, users, two_cases, sensitive):
    client.force_login(users["jurist"])
    inbox = text(client.get(reverse("workflows:inbox")))
    assert inbox.count('form="bulk-form"') == 2  # one per held step
    assert 'name="back_list" value="inbox"' in inbox
    data = {"action": "label_add", "label": sensitive.pk, "cases": [two_cases[0].pk]}
    page = text(confirm(client, {**data, "back_list": "inbox"}))
    assert f'href="{reverse("workflows:inbox")}">Annuler' in page
    client.post(URL, {**data, "back_list": "inbox", "confirm": "1"})
    result = text(client.get(reverse("workflows:bulk_result")))
    assert f'href="{reverse("workflows:inbox")}"' in result
    assert CaseLabel.objects.filter(case=two_cases[0], label=sensitive).exists()
    # Finished steps take no bulk action.
    assert 'form="bulk-form"' not in text(client.get(reverse("workflows:archive")))


def test_a_queue_step_the_new_jurist_may_not_hold_goes_back_to_its_queue(
    client, users, submitted_case
):
    """The receivability step taken by a jurist on intake duty: given to a jurist who is
    not, it returns to the intake queue (nobody holds a step they may not take)."""
    from django.contrib.auth.models import Permission

    on_duty = users["other_jurist"]
    on_duty.user_permissions.add(Permission.objects.get(codename="intake"))
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    services.take(open_task(case, "receivability").pk, on_duty)
    client.force_login(users["head"])
    data = {"action": "reassign", "from_jurist": on_duty.pk, "jurist": users["jurist"].pk}
    page = text(confirm(client, data))
    assert "L'étape « Examiner la recevabilité » revient dans la file" in page
    client.post(URL, {**data, "cases": [case.pk], "confirm": "1"})
    task = open_task(case, "receivability")
    assert task.owner is None and task.status == "NEW"
    case.refresh_from_db()
    assert case.assigned_jurist is None
