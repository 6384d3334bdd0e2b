"""A jurist's absence on the task pages (issue 23): their replacement sees the steps they
hold among the tasks to take, takes and finishes them, and receives their notifications
marked « en remplacement de … »; the absent jurist is off intake duty (the receivability
steps leave their queue, the intake notifications leave them) and is given no new case.
Before the absence starts, and once it is ended, nothing of this."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import absences, access
from cases.enums import Mode
from cases.services import assign_case, post_message
from notifications.models import Notification
from workflows import selectors, services
from workflows.forms import ReassignForm

from .conftest import STATUS, open_task

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def away(users, *, start=0, days=5, person="jurist", replacement="other_jurist"):
    """An absence of the case's jurist recorded by the head, starting `start` days from
    today (the head records it while it is in the future, then the clock moves on)."""
    first = timezone.localdate() + datetime.timedelta(days=start)
    if first < timezone.localdate():  # recorded earlier: created directly in the past
        from cases.models import Absence

        return Absence.objects.create(
            person=users[person],
            replacement=users[replacement],
            starts_on=first,
            ends_on=first + datetime.timedelta(days=days),
            created_by=users["head"],
        )
    return absences.record_absence(
        users["head"],
        users[person],
        starts_on=first,
        ends_on=first + datetime.timedelta(days=days),
        replacement=users[replacement],
    )


@pytest.fixture
def taken_over(users, submitted_case, journey):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    j = journey(case)
    j.step(users["head"], "receivability", {"decision": "accept"})
    j.step(users["head"], "assignment", {"jurist": users["jurist"].pk})
    return j


@pytest.fixture
def third_jurist(users):
    from tests.factories import UserFactory

    return UserFactory(username="juriste.c", role="jurist")


def test_the_replacement_sees_takes_and_finishes_the_absent_jurists_step(
    users, taken_over, client, third_jurist
):
    case = taken_over.case
    task = open_task(case, "mandate_lawyer")
    assert task.owner == users["jurist"]
    replacement = users["other_jurist"]
    assert task not in selectors.queue(replacement)  # not absent yet

    away(users, start=0)

    assert task in selectors.queue(replacement)
    assert task not in selectors.queue(third_jurist)  # only the named replacement
    client.force_login(replacement)
    page = client.get(reverse("workflows:queue")).content.decode()
    assert case.reference in page
    assert f"En remplacement de {users['jurist']}" in page
    client.force_login(third_jurist)
    assert case.reference not in client.get(reverse("workflows:queue")).content.decode()
    with pytest.raises(services.TaskError):
        services.take(task.pk, third_jurist)

    client.force_login(replacement)
    response = client.post(reverse("workflows:take", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == replacement
    assert task.status == STATUS.ASSIGNED
    assert task in selectors.inbox(replacement)
    # The replacement acts on the absent jurist's case as on their own (its lifecycle).
    assert access.may_act_for_pole(replacement, case)
    assert not access.may_act_for_pole(third_jurist, case)


def test_the_replacement_may_finish_a_held_step_directly(users, taken_over):
    case = taken_over.case
    task = open_task(case, "mandate_lawyer")
    replacement = users["other_jurist"]
    assert not services.may_complete(replacement, task, case)
    away(users, start=0)
    assert services.may_complete(replacement, task, case)


def test_nothing_is_handed_over_before_the_absence_nor_after_it_ends(users, taken_over):
    case = taken_over.case
    task = open_task(case, "mandate_lawyer")
    replacement = users["other_jurist"]
    future = away(users, start=14)  # the demo's: in a fortnight
    assert task not in selectors.queue(replacement)
    assert not services.may_take(replacement, task)
    absences.end_absence(users["head"], future)  # cancelled
    current = away(users, start=0)
    assert task in selectors.queue(replacement)
    absences.end_absence(users["head"], current)  # back today
    assert task not in selectors.queue(replacement)
    assert not access.may_act_for_pole(replacement, case)


def test_an_absence_in_the_past_hands_nothing_over(users, taken_over):
    task = open_task(taken_over.case, "mandate_lawyer")
    away(users, start=-10, days=3)
    assert task not in selectors.queue(users["other_jurist"])


def test_the_replacement_receives_the_absent_jurists_notifications_marked(
    users, taken_over, client
):
    case = taken_over.case
    away(users, start=0)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    post_message(users["poste_agent"], case, "Le débiteur a déménagé.")
    new = Notification.objects.filter(pk__gt=before)
    by_user = {n.user_id: n for n in new if n.user_id}
    assert users["jurist"].pk in by_user  # the absent jurist still finds it on return
    marked = by_user[users["other_jurist"].pk]
    name = users["jurist"].get_full_name() or users["jurist"].username
    assert marked.on_behalf_of == users["jurist"]
    assert marked.summary.startswith(f"En remplacement de {name} : ")
    assert f"[En remplacement de {name}]" in marked.subject
    assert f"En remplacement de {name}" in marked.body_text
    assert by_user[users["jurist"].pk].on_behalf_of is None
    client.force_login(users["other_jurist"])
    listing = client.get(reverse("notifications:list")).content.decode()
    assert f"En remplacement de {name}" in listing


def test_no_replacement_notification_outside_the_absence(users, taken_over):
    case = taken_over.case
    away(users, start=14)
    post_message(users["poste_agent"], case, "Bonjour.")
    assert not Notification.objects.filter(on_behalf_of__isnull=False).exists()
    assert not Notification.objects.filter(user=users["other_jurist"]).exists()


@pytest.fixture
def on_duty(users):
    jurist = users["jurist"]
    jurist.user_permissions.add(
        Permission.objects.get(content_type__app_label="workflows", codename="intake")
    )
    return jurist


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache


def test_the_absent_jurist_gets_no_new_intake(users, on_duty, submitted_case):
    submitted_case()
    receivability = selectors.queue(_fresh(on_duty)).count()
    assert receivability == 1
    assert on_duty in access.on_intake_duty()

    away(users, start=0)

    jurist = _fresh(on_duty)
    assert on_duty not in access.on_intake_duty()
    assert not selectors.queue(jurist).exists()
    case = submitted_case()  # a new referral while away
    assert not Notification.objects.filter(case=case, user=on_duty).exists()
    assert Notification.objects.filter(case=case, user=users["head"]).exists()
    task = open_task(case, "receivability")
    assert not services.may_take(jurist, task)
    with pytest.raises(services.TaskError):
        services.take(task.pk, jurist)


def test_intake_duty_resumes_when_the_absence_ends(users, on_duty, submitted_case):
    absence = away(users, start=0)
    absences.end_absence(users["head"], absence)
    submitted_case()
    assert on_duty in access.on_intake_duty()
    assert selectors.queue(_fresh(on_duty)).count() == 1


def test_the_absent_jurist_is_given_no_new_case(users, submitted_case, journey):
    away(users, start=0)
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    j = journey(case)
    j.step(users["head"], "receivability", {"decision": "accept"})
    response = j.step(users["head"], "assignment", {"jurist": users["jurist"].pk}, expect=422)
    assert "Sélectionnez un choix valide" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_jurist is None
    with pytest.raises(ValidationError, match="absent aujourd'hui"):
        assign_case(users["head"], case, jurist=users["jurist"])
    form = ReassignForm(case=case)
    assert users["jurist"] not in form.fields["jurist"].queryset
    assert users["other_jurist"] in form.fields["jurist"].queryset
    j.step(users["head"], "assignment", {"jurist": users["other_jurist"].pk})
    assert case.assigned_jurist == users["other_jurist"]


def test_the_team_page_tells_the_head_who_is_away_and_who_replaces_them(users, client):
    client.force_login(users["head"])
    assert "remplacé par" not in client.get(reverse("workflows:team")).content.decode()
    away(users, start=0)
    page = client.get(reverse("workflows:team")).content.decode()
    assert f"remplacé par {users['other_jurist']}" in page


# --- An expert of a helping direction away (issue 23: « absences and their replacement » of
# the pôle's users, the experts included) ------------------------------------------------------


@pytest.fixture
def second_expert(users):
    from tests.factories import UserFactory

    return UserFactory(username="expert.d30.b", role="expert", direction=users["expert"].direction)


def test_an_absent_experts_replacement_sees_and_writes_the_opinion(
    users, submitted_case, journey, second_expert
):
    from .test_journeys import OPINION

    case = submitted_case(Mode.AVIS)
    j = journey(case)
    j.step(users["head"], "receivability", {"decision": "accept"})
    j.step(users["head"], "assignment", {"expert": users["expert"].pk})
    task = open_task(case, "write_opinion")
    assert task.owner == users["expert"]
    # Not theirs: the other expert neither sees the case nor the step.
    assert not access.can_view(second_expert, case)
    assert case not in access.visible_cases(second_expert)

    absences.record_absence(
        users["head"],
        users["expert"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=4),
        replacement=second_expert,
    )
    assert access.can_view(second_expert, case)
    assert case in access.visible_cases(second_expert)
    assert task in selectors.queue(second_expert)
    j.step(second_expert, "write_opinion", OPINION)
    assert open_task(case, "validate_opinion")


def test_an_absent_expert_is_offered_for_no_new_opinion(users, submitted_case, client):
    from workflows.steps import experts

    assert users["expert"] in experts()
    absences.record_absence(
        users["head"],
        users["expert"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=2),
        replacement=users["jurist"],
    )
    assert users["expert"] not in experts()
