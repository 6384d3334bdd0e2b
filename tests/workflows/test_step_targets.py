"""Time targets on the pôle's own steps (issue 22, « Work »): set by the head as data; the
step shows its age and its target; its holder is reminded before, the heads are told once
it is late, each exactly once (runs repeated, as the daily task and cron may do)."""

import datetime
import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.enums import Mode
from notifications.enums import NotificationKind
from notifications.models import Notification
from workflows import targets
from workflows.models import StepReminder, StepTarget

from .conftest import open_task

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def told(user):
    return list(
        Notification.objects.filter(user=user, kind=NotificationKind.STEP_TARGET).values_list(
            "summary", flat=True
        )
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def opinion_case(users, submitted_case, journey):
    """An opinion given to the expert: they hold « Rédiger l'avis d'opportunité »."""
    j = journey(submitted_case(Mode.AVIS))
    j.step(users["head"], "receivability", {"decision": "accept"})
    j.step(
        users["head"], "assignment", {"jurist": users["jurist"].pk, "expert": users["expert"].pk}
    )
    return j.case


def test_the_head_sets_targets_and_others_may_not(client, users):
    url = reverse("workflows:targets")
    client.force_login(users["jurist"])
    assert client.get(url).status_code == 403
    client.force_login(users["head"])
    page = text(client.get(url))
    assert "Rédiger l'avis d'opportunité" in page and "Conduire le soutien technique" in page
    response = client.post(url, {"write_opinion_days": "10", "write_opinion_remind": "2"})
    assert response.status_code == 302
    target = StepTarget.objects.get()
    assert (target.step, target.days, target.remind_before) == ("write_opinion", 10, 2)
    assert target.updated_by == users["head"]
    # A reminder at or after the target is refused, nothing is saved.
    response = client.post(
        url,
        {"write_opinion_days": "3", "write_opinion_remind": "3", "receivability_days": "5"},
    )
    assert response.status_code == 422
    assert "Le rappel part avant la fin du délai cible" in text(response)
    assert list(StepTarget.objects.values_list("step", "days")) == [("write_opinion", 10)]
    # An empty target removes it.
    client.post(url, {"write_opinion_days": "", "write_opinion_remind": "1"})
    assert not StepTarget.objects.exists()


def test_the_database_refuses_a_reminder_after_the_target():
    with pytest.raises(IntegrityError), transaction.atomic():
        StepTarget.objects.create(step="support", days=3, remind_before=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StepTarget.objects.create(step="hearings", days=3, remind_before=1)


def test_the_expert_is_reminded_once_then_the_head_told_once(users, opinion_case):
    StepTarget.objects.create(step="write_opinion", days=10, remind_before=2)
    task = open_task(opinion_case, "write_opinion")
    assert task.owner == users["expert"]
    start = task.created
    assert targets.send_step_reminders(start + 7 * DAY) == 0  # not yet
    assert told(users["expert"]) == []
    assert targets.send_step_reminders(start + 8 * DAY + datetime.timedelta(hours=1)) == 1
    assert targets.send_step_reminders(start + 9 * DAY) == 0  # the same run again: nothing
    (reminder,) = told(users["expert"])
    due = timezone.localdate(start + 10 * DAY)
    assert f"délai cible de 10 jours atteint le {due:%d/%m/%Y}" in reminder
    assert told(users["head"]) == []  # not late yet
    for _ in range(2):
        targets.send_step_reminders(start + 11 * DAY)
    (late,) = told(users["head"])
    assert late.startswith("Étape « Rédiger l'avis d'opportunité » en retard")
    assert len(told(users["expert"])) == 1  # the late notice goes to the heads only
    assert StepReminder.objects.filter(task=task).count() == 2


def test_a_step_first_seen_late_gets_the_late_notice_only(users, submitted_case):
    StepTarget.objects.create(step="receivability", days=3, remind_before=1)
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    task = open_task(case, "receivability")
    assert targets.send_step_reminders(task.created + 5 * DAY) == 1
    assert targets.send_step_reminders(task.created + 6 * DAY) == 0
    assert list(StepReminder.objects.values_list("moment", flat=True)) == [StepReminder.LATE]
    (late,) = told(users["head"])
    assert "personne ne l'a prise" in late


def test_an_unheld_step_reminds_the_heads_who_share_out_the_queue(users, submitted_case):
    StepTarget.objects.create(step="receivability", days=3, remind_before=1)
    task = open_task(submitted_case(Mode.PRISE_EN_CHARGE), "receivability")
    assert targets.send_step_reminders(task.created + 2 * DAY + datetime.timedelta(hours=1)) == 1
    (reminder,) = told(users["head"])
    assert "Examiner la recevabilité" in reminder


def test_the_command_run_twice_sends_once(users, submitted_case):
    StepTarget.objects.create(step="receivability", days=1, remind_before=0)
    task = open_task(submitted_case(Mode.PRISE_EN_CHARGE), "receivability")
    type(task).objects.filter(pk=task.pk).update(created=timezone.now() - 2 * DAY)
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("send_step_reminders", stdout=out)
        outputs.append(out.getvalue().strip())
    assert outputs == [
        "1 rappel(s) de délai cible envoyé(s).",
        "0 rappel(s) de délai cible envoyé(s).",
    ]
    assert len(told(users["head"])) == 1


def test_steps_show_their_age_and_target_and_the_team_page_the_late_ones(
    client, users, opinion_case
):
    StepTarget.objects.create(step="write_opinion", days=10, remind_before=2)
    task = open_task(opinion_case, "write_opinion")
    client.force_login(users["expert"])
    page = text(client.get(reverse("workflows:inbox")))
    assert "Ouverte depuis 0 jour ; délai cible 10 jours" in page
    assert "En retard" not in page
    type(task).objects.filter(pk=task.pk).update(created=timezone.now() - 12 * DAY)
    page = text(client.get(reverse("workflows:task", args=[task.pk])))
    assert "Ouverte depuis 12 jours ; délai cible 10 jours" in page and "En retard" in page
    client.force_login(users["head"])
    team = text(client.get(reverse("workflows:team")))
    late = team.split("Étapes en retard sur leur délai cible")[1].split("<h2")[0]
    assert opinion_case.reference in late and "Rédiger l'avis d'opportunité" in late
    StepTarget.objects.update(days=20, remind_before=2)
    team = text(client.get(reverse("workflows:team")))
    assert "Aucune étape en retard." in team


def test_the_activity_dashboard_counts_the_late_steps_and_opens_their_cases(
    client, users, submitted_case, opinion_case
):
    """Management sees, per targeted step, how many are open and how many are late (the
    same rule as the step's page: opened at least `days` days ago), each count opening
    the cases behind it."""
    StepTarget.objects.create(step="receivability", days=5, remind_before=1)
    StepTarget.objects.create(step="write_opinion", days=10, remind_before=2)
    fresh = submitted_case(Mode.PRISE_EN_CHARGE)
    old = submitted_case(Mode.PRISE_EN_CHARGE)
    for case, age in ((old, 6), (opinion_case, 11)):
        task = open_task(case)
        type(task).objects.filter(pk=task.pk).update(created=timezone.now() - age * DAY)
    client.force_login(users["management"])
    page = text(client.get(reverse("dashboards:show", args=["activite"])))
    table = page.split('id="step_targets"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = {
        title: [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall("<td.*?</td>", row)]
        for row in table.split("<tr")[1:]
        for title in ("Examiner la recevabilité", "Rédiger l'avis d'opportunité")
        if title in row
    }
    # Délai cible, en cours, en retard, ancienneté médiane.
    assert [value.split("\xa0")[0] for value in rows["Examiner la recevabilité"]] == [
        "5",
        "2",
        "1",
        "3",
    ]
    assert [value.split("\xa0")[0] for value in rows["Rédiger l'avis d'opportunité"]] == [
        "10",
        "1",
        "1",
        "11",
    ]
    link = html.unescape(
        table.split("Examiner la recevabilité")[1].split('href="')[3].split('"')[0]
    )
    listed = text(client.get(link))
    assert old.reference in listed and fresh.reference not in listed
    assert "Délai cible" in listed and "dépassé" in listed
