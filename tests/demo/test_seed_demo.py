import datetime
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import escape

from cases import access, integrity, selectors
from cases.enums import CaseStatus, EventKind, Mode
from cases.models import Absence, AccountChange, Case, Message, User
from demo.scenarios import Scenario
from demo.walk import scenario_course
from notifications.models import Notification
from workflows.process import Move, course


@pytest.mark.django_db
def test_seed_demo_creates_every_role_and_cases_in_every_status(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    usernames = [
        "agent.ddfip02", "comptable.ddfip02", "agent.drfip67", "juriste1", "juriste2",
        "chef.pole", "expert.ddfip30", "pilotage", "admin.ddfip02", "admin",
    ]  # fmt: skip
    for username in usernames:
        assert username in out
        assert User.objects.get(username=username).check_password("demo")
    # Every status a user can see (a deleted draft is seen by no one).
    shown = set(CaseStatus.values) - {CaseStatus.DISCARDED}
    assert set(Case.objects.values_list("status", flat=True)) == shown
    assert 18 <= Case.objects.count() <= 27
    for case in Case.objects.all():
        kinds = list(case.events.values_list("kind", flat=True))
        assert kinds[0] == EventKind.CREATED  # made by the application's own functions
    assert access.visible_cases(User.objects.get(username="expert.ddfip30")).exists()
    assert any(case.is_alsace_moselle for case in Case.objects.all())
    # Their exécution forcée immobilière: a requête, then, once ordered, the local acts (the
    # pourvoi immédiat counted) and none of the CPCE's hearings.
    local = [case for case in Case.objects.all() if case.is_alsace_moselle]
    assert {case.status for case in local} >= {
        CaseStatus.LOCAL_REQUESTED,
        CaseStatus.LOCAL_ORDERED,
    }
    for case in local:
        assert case.starting_acts.get().kind == "requete" and not case.hearings.exists()
    ordered = next(case for case in local if case.status == CaseStatus.LOCAL_ORDERED)
    assert ordered.deadlines.filter(template="lf_pourvoi").exists()
    assert set(ordered.procedure_acts.values_list("kind", flat=True)) >= {
        "lf_ordonnance",
        "lf_notification",
        "lf_inscription",
    }

    # Issue 17: the phases a jurist expects to find. A liquidation opened on the pôle's
    # assignation (C. com. L.641-1), its claim declared within two months of the BODACC
    # (R.622-24); a holder condemned within its obligation, not the SATD's amount (LPF
    # L.262, CPCE L.211-2); a manager condemned (LPF L.267).
    liquidation = Case.objects.get(action_type__code="procedure_collective", status="closed")
    assert liquidation.decisions.get().outcome == "opening_lj"
    declaration = liquidation.claim_declarations.get()
    deadline = liquidation.deadlines.get(template="pc_declaration")
    assert deadline.status == "done" and declaration.declared_on <= deadline.due_date
    holder_case = Case.objects.get(action_type__code="tiers_detenteur", status="execution")
    holder = holder_case.holders.get()
    condemned = holder_case.decisions.get()
    assert condemned.outcome == "holder_condemned"
    assert condemned.amount_awarded == holder.claimed_amount < holder.satd_amount
    manager = Case.objects.get(action_type__code="solidarite_dirigeant", status="decided")
    assert manager.decisions.get().outcome == "condemned"

    assert Message.objects.filter(attachments__isnull=False).exists()
    jurists = User.objects.filter(username__in=["juriste1", "juriste2"])
    assert any(selectors.unread_messages(jurist).exists() for jurist in jurists)
    # The demo cases notify like real ones: the postes' mailboxes, the agents, the pôle.
    assert {"referral_received", "decision_recorded", "message_received"} <= set(
        Notification.objects.values_list("kind", flat=True)
    ) and Notification.objects.filter(user=None).exists()
    # ... but a demo account's bell shows only a few recent ones: the past ones are read.
    for username in usernames:
        user = User.objects.get(username=username)
        assert Notification.objects.filter(user=user, read_at__isnull=True).count() <= 3
    jurist = User.objects.get(username="juriste1")
    assert Notification.objects.filter(user=jurist, read_at__isnull=False).exists()
    assert Notification.objects.filter(user=jurist, read_at__isnull=True).exists()

    # Antoine Mercier (juriste2) is away for a week in a fortnight, Camille Laurent
    # (juriste1) replacing him: recorded by the head, in the accounts' journal.
    absence = Absence.objects.get(person__username="juriste2")
    assert absence.replacement.username == "juriste1"
    assert absence.starts_on == timezone.localdate() + datetime.timedelta(days=14)
    assert absence.ends_on > absence.starts_on and not absence.is_current()
    assert AccountChange.objects.filter(account=absence.person, actor__username="chef.pole")

    # Every history is a valid hash chain, every stored file matches its hash.
    assert not list(integrity.history_problems()) and not list(integrity.file_problems())

    count = Case.objects.count()
    call_command("seed_demo")  # a second run adds nothing
    assert Case.objects.count() == count


@pytest.mark.django_db
def test_demo_shows_tasks_in_every_queue_and_every_step_page_opens(client):
    from workflows import selectors as tasks
    from workflows.services import active_tasks, may_complete

    call_command("seed_demo")
    user = {u.username: u for u in User.objects.all()}
    assert tasks.queue(user["chef.pole"]).exists()
    assert tasks.queue(user["juriste1"]).exists()  # on intake duty
    assert tasks.queue(user["agent.ddfip02"]).exists()  # completion, follow-up
    for name in ("juriste1", "juriste2", "expert.ddfip30"):
        assert tasks.inbox(user[name]).exists(), name
    open_steps = set()
    for case in Case.objects.exclude(status=CaseStatus.DRAFT):
        for task in active_tasks(case):
            open_steps.add(task.flow_task.name)
            actor = next(u for u in user.values() if may_complete(u, task, case))
            client.force_login(actor)
            response = client.get(f"/taches/{task.pk}/")
            if task.flow_task.name == "completion":
                assert response.status_code == 302  # to the referral's edit page
            else:
                assert response.status_code == 200, task.flow_task.name
                title = escape(str(task.flow_task.task_title))
                assert title in response.content.decode()
        if case.status in (CaseStatus.CLOSED, CaseStatus.DECLINED):
            assert case.process.finished is not None
    assert len(open_steps) >= 12, open_steps


def test_a_scenario_takes_the_process_course_with_the_endings_it_names():
    spec = Scenario(
        referrer="agent.ddfip02",
        mode=Mode.PRISE_EN_CHARGE,
        action="action_paulienne",
        debtor={"name": "SARL EXEMPLE"},
        facts="",
        request="",
        claims=[],
        to=CaseStatus.UNDER_APPEAL,
        endings={"appeal_decision": "opponent_appeal"},
    )
    path = scenario_course(spec)
    shortest = course(CaseStatus.UNDER_APPEAL, Mode.PRISE_EN_CHARGE)
    assert path.transitions == shortest.transitions
    assert path.moves[-1] == Move("appeal_decision", "opponent_appeal", CaseStatus.UNDER_APPEAL)
    assert path.moves[:-1] == shortest.moves[:-1]
    with pytest.raises(CommandError, match="ne mène pas où va le dossier"):
        scenario_course(replace(spec, endings={"appeal_decision": "no_appeal"}))
    with pytest.raises(CommandError, match="n'atteint jamais le statut « En appel »"):
        scenario_course(replace(spec, mode=Mode.SOUTIEN))
    left = scenario_course(replace(spec, mode=Mode.AVIS, at_step="validate_opinion"))
    assert left.next_step == "validate_opinion"


def test_a_scenario_takes_the_way_it_names_through_the_declaration_of_the_claim():
    """A liquidation opened and not appealed goes to the declaration of the claim (C. com.
    L.622-24) before the execution and the closure: not the shortest course, the one named."""
    spec = Scenario(
        referrer="agent.ddfip02",
        mode=Mode.PRISE_EN_CHARGE,
        action="procedure_collective",
        debtor={"name": "SAS EXEMPLE"},
        facts="",
        request="",
        claims=[],
        to=CaseStatus.CLOSED,
        via=("appeal_decision", "no_appeal_opening"),
    )
    steps = [move.step for move in scenario_course(spec).moves]
    assert steps.index("appeal_decision") + 1 == steps.index("declare_claim")
    assert steps[-2:] == ["declare_claim", "execution"]
    assert "declare_claim" not in [
        m.step for m in course(CaseStatus.CLOSED, Mode.PRISE_EN_CHARGE).moves
    ]
    with pytest.raises(CommandError, match="n'atteint jamais"):
        scenario_course(replace(spec, mode=Mode.SOUTIEN))
