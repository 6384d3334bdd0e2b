"""Reminders: each sent once, through the notifications outbox; overdue → the head."""

import datetime

import pytest
from django.core.management import call_command

from deadlines import events, services
from deadlines.models import OVERDUE, DeadlineReminder
from deadlines.reminders import send_due_reminders
from notifications.enums import NotificationKind
from notifications.models import Notification

pytestmark = pytest.mark.django_db
D = datetime.date
DUE = D(2027, 3, 1)


def reminders_to(user):
    return Notification.objects.filter(user=user, kind=NotificationKind.DEADLINE_REMINDER)


@pytest.fixture
def deadline(users, engaged_case):
    case = engaged_case()
    return services.add_manual_deadline(
        case, users["jurist"], label="Conclusions", due_date=DUE, basis="Calendrier du juge"
    )


def test_each_reminder_is_sent_once_across_runs(users, deadline):
    jurist, head = users["jurist"], users["head"]
    assert send_due_reminders(DUE - datetime.timedelta(days=31)).sent == 0
    for days in (30, 7, 1):
        today = DUE - datetime.timedelta(days=days)
        assert send_due_reminders(today).sent == 1
        assert send_due_reminders(today).sent == 0  # a second run sends nothing
    assert send_due_reminders(DUE).sent == 0  # the last day: the 1-day reminder was sent
    assert sorted(deadline.reminders.values_list("days_before", flat=True)) == [1, 7, 30]
    sent = reminders_to(jurist)
    assert sent.count() == 3
    assert "Échéance dans 30 jours, le 01/03/2027 : Conclusions" in sent.order_by("pk")[0].subject
    assert not reminders_to(head).exists()


def test_overdue_deadline_reminds_the_head_once(users, deadline):
    jurist, head = users["jurist"], users["head"]
    after = DUE + datetime.timedelta(days=1)
    assert send_due_reminders(after).sent == 1
    assert send_due_reminders(after + datetime.timedelta(days=3)).sent == 0
    assert DeadlineReminder.objects.get(deadline=deadline).days_before == OVERDUE
    assert reminders_to(head).count() == 1
    assert reminders_to(jurist).count() == 1
    assert "dépassée" in reminders_to(head).get().subject


def test_a_late_deadline_gets_only_the_nearest_reminder(users, deadline):
    assert send_due_reminders(DUE - datetime.timedelta(days=5)).sent == 1
    assert list(deadline.reminders.values_list("days_before", flat=True)) == [7]


def test_critical_deadlines_are_reminded_earlier(users, engaged_case):
    from deadlines.enums import ProcedureActKind

    case = engaged_case()
    services.record_procedure_act(
        case, users["jurist"], kind=ProcedureActKind.PUBLICATION, date=D(2026, 2, 20)
    )
    assignation = case.deadlines.get(template="si_assignation")  # 20/04/2026, critical
    report = send_due_reminders(assignation.due_date - datetime.timedelta(days=60))
    assert report.sent == 1
    assert assignation.reminders.get().days_before == 60


def test_done_deadlines_are_not_reminded(users, deadline):
    services.mark_done(
        deadline, users["jurist"], act="Conclusions signifiées", done_on=D(2026, 11, 1)
    )
    assert send_due_reminders(DUE - datetime.timedelta(days=1)).sent == 0


def test_the_command_sends_the_same_reminders(users, deadline, capsys):
    call_command("send_deadline_reminders", "--date", "2027-02-22")
    call_command("send_deadline_reminders", "--date", "2027-02-22")
    out = capsys.readouterr().out
    assert "1 rappel(s)" in out and "0 rappel(s)" in out
    assert deadline.reminders.get().days_before == 7


def test_the_daily_task_queues_itself_again(users, deadline, settings):
    from django_tasks_db.models import DBTaskResult

    from deadlines.tasks import next_run, schedule_daily, send_deadline_reminders

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = DBTaskResult.objects.filter(task_path=send_deadline_reminders.module_path)
    send_deadline_reminders.call()  # what db_worker runs: today's reminders, then tomorrow
    assert queued.count() == 1
    assert queued.get().run_after == next_run()
    assert schedule_daily(next_run())  # already queued: nothing more
    assert queued.count() == 1


def test_a_moved_deadline_is_reminded_again_on_its_new_schedule(users, engaged_case):
    from django.utils import timezone

    from cases.enums import HearingKind
    from cases.models import Hearing
    from cases.proceedings import adjourn_hearing

    case = engaged_case()
    jurist = users["jurist"]
    hearing = Hearing.objects.create(
        case=case,
        court="TJ de Laon",
        scheduled_at=timezone.make_aware(datetime.datetime(2027, 3, 10, 9, 30)),
        kind=HearingKind.ADJUDICATION,
        created_by=jurist,
    )
    services.on_hearing(case, jurist, hearing)
    publicity = case.deadlines.get(template="si_publicite_max")  # 10/02/2027
    today = D(2027, 2, 4)
    assert send_due_reminders(today).sent == 1
    assert publicity.reminders.get().days_before == 7
    new = adjourn_hearing(
        hearing,
        jurist,
        new_date=timezone.make_aware(datetime.datetime(2027, 4, 14, 9, 30)),
        reason="Renvoi",
    )
    real = timezone.localdate
    with pytest.MonkeyPatch.context() as patch:  # "today" is 04/02/2027 for the renvoi
        patch.setattr(
            timezone, "localdate", lambda value=None: today if value is None else real(value)
        )
        services.on_hearing_adjourned(case, jurist, hearing, new)
    publicity.refresh_from_db()
    assert publicity.due_date == D(2027, 3, 12)
    assert not publicity.reminders.exists()  # the 7-day reminder is now due on 05/03
    assert send_due_reminders(D(2027, 3, 5)).sent == 1
    assert send_due_reminders(D(2027, 3, 5)).sent == 0


def test_a_failing_listener_keeps_no_reminder_row_so_the_next_run_sends_it(users, deadline):
    """deadlines.events.reminder_due is sent in the reminder's transaction: when writing its
    notifications fails, the DeadlineReminder row goes too, and the reminder is not lost."""

    def breakdown(sender, **kwargs):
        raise RuntimeError("outbox unavailable")

    events.reminder_due.connect(breakdown, weak=False)
    today = DUE - datetime.timedelta(days=7)
    try:
        with pytest.raises(RuntimeError):
            send_due_reminders(today)
    finally:
        events.reminder_due.disconnect(breakdown)
    assert not DeadlineReminder.objects.filter(deadline=deadline).exists()
    assert not reminders_to(users["jurist"]).exists()
    assert send_due_reminders(today).sent == 1
    assert reminders_to(users["jurist"]).count() == 1
