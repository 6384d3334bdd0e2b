"""seed_demo --cases N: bulk-generated cases consistent with the lifecycle and the workflow."""

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import access, collective, history, integrity, search, workspace
from cases.enums import TAKEN_OVER_STATUSES, CaseStatus, EventKind, Mode, OpinionStatus, Role
from cases.formatting import actor_label
from cases.lifecycle import transitions_table
from cases.models import (
    Appeal,
    Case,
    CaseEvent,
    CaseNote,
    ClaimDeclaration,
    CollectiveProceeding,
    Decision,
    Message,
    MessageRead,
    Opinion,
    Recovery,
    ReferenceCounter,
    ReturnGroundRecord,
    StoppedAction,
    User,
)
from deadlines import prescription, rules
from deadlines.calendar import appeal_deadline, late_appeal
from deadlines.enums import SuspensionCause
from deadlines.models import Deadline
from deadlines.services import deadline_basis, declaration_due
from demo import bulk as bulk_demo
from demo.bulk import thread
from demo.scenarios import scenarios
from workflows import selectors as task_selectors
from workflows.process import steps_open_at
from workflows.services import ACTIVE, complete_task
from workflows.steps import STEPS

S = CaseStatus
N = 300
SEED = 5

# The steps the workflow may have open at each status (several when the status alone
# does not say), from the process description.
OPEN_STEPS = {status: steps_open_at(status) for status in S}
# name -> (source, target) pairs: the lifecycle's own table.
TRANSITIONS = {name: {(t.source, t.target) for t in ts} for name, ts in transitions_table().items()}


@pytest.fixture
def bulk(db):
    totals = bulk_demo.generate(N, seed=SEED)
    return totals


@pytest.mark.django_db
def test_generated_histories_are_valid_hash_chains(bulk):
    assert CaseEvent.objects.filter(case__in=Case.objects.all()).exists()
    assert not list(integrity.history_problems())


def _open_tasks(case):
    return [
        t
        for t in case.process.task_set.filter(status__in=ACTIVE, flow_task_type="HUMAN")
        if t.flow_task is not None
    ]


@pytest.mark.django_db
def test_generated_cases_follow_the_lifecycle(bulk):
    assert Case.objects.count() == N
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {S.CLOSED, S.SUBMITTED, S.UNDER_EXAMINATION, S.ACTION_ENGAGED} <= statuses
    assert set(Case.objects.values_list("mode", flat=True)) == set(Mode.values)

    events = defaultdict(list)
    for event in CaseEvent.objects.order_by("case_id", "pk"):
        events[event.case_id].append(event)
    for case in Case.objects.all():
        history = events[case.pk]
        assert history[0].kind == EventKind.CREATED
        assert case.created_at <= history[0].at
        assert all(a.at <= b.at for a, b in pairwise(history)), case.reference
        moves = [e for e in history if e.kind == EventKind.TRANSITION]
        status = S.DRAFT
        for move in moves:
            assert move.source_status == status, (case.reference, move.transition)
            transitions = TRANSITIONS[move.transition]
            assert (move.source_status, move.target_status) in transitions
            assert move.actor_id and move.actor_label
            status = move.target_status
        assert status == case.status, case.reference
        assert all(a.at < b.at for a, b in pairwise(moves))
        if moves:
            assert case.submitted_at == moves[0].at and moves[0].transition == "submit"
        if case.status == S.CLOSED:
            assert case.closure_reason
        else:
            assert not case.closure_reason
        assert re.fullmatch(r"PNSR-\d{4}-\d{6}", case.reference)
        assert int(case.reference[5:9]) == timezone.localtime(case.created_at).year

    # Every return names its grounds.
    returns = CaseEvent.objects.filter(transition="return_for_completion").annotate(
        grounds=Count("return_grounds")
    )
    assert returns.exists()
    assert all(1 <= event.grounds <= 3 and event.reason for event in returns)
    assert ReturnGroundRecord.objects.count() == sum(e.grounds for e in returns)


@pytest.mark.django_db
def test_generated_proceedings_are_consistent(bulk):
    head = User.objects.get(role=Role.HEAD)
    # Opinions: one validated version, reviewed after it was submitted, by the head.
    given = CaseEvent.objects.filter(transition="give_opinion").values_list("case_id", flat=True)
    assert given
    for case_id in given:
        validated = Opinion.objects.filter(case_id=case_id, status=OpinionStatus.VALIDATED)
        assert validated.count() == 1
        opinion = validated.get()
        assert opinion.reviewed_by == head != opinion.author
        assert opinion.reviewed_at > opinion.submitted_at
    assert Opinion.objects.filter(status=OpinionStatus.RETURNED).exists()
    assert Opinion.objects.filter(takeover_requested=True).exists()

    # Decisions: one per record_decision; recoveries never beyond what was awarded (or, in
    # collective proceedings, what was declared).
    recorded = CaseEvent.objects.filter(transition="record_decision")
    assert recorded.count() == Decision.objects.count() > 0
    awarded = dict(
        Decision.objects.values("case_id")
        .annotate(top=Max("amount_awarded"))
        .values_list("case_id", "top")
    )
    declared = dict(ClaimDeclaration.objects.values_list("case_id", "amount"))
    for row in Recovery.objects.values("case_id").annotate(total=Sum("amount")):
        case_id = row["case_id"]
        assert row["total"] <= (awarded.get(case_id) or declared.get(case_id) or Decimal(0))
    for decision in Decision.objects.filter(outcome="rejected"):
        assert decision.amount_awarded is None
    full = Case.objects.filter(closure_reason="recovered_full").with_amounts()
    for case in full:
        assert sum(r.amount for r in case.recoveries.all()) >= case.total_remaining

    # Appeal deadlines: the real rule's date and basis (deadlines.calendar.appeal_deadline).
    appeals = Deadline.objects.filter(template="appel")
    assert appeals.exists()
    for deadline in appeals.select_related("case__action_type", "case__direction"):
        decision = Decision.objects.get(pk=int(deadline.source.split(":")[1]))
        assert deadline.due_date == appeal_deadline(decision)
        assert deadline.basis == deadline_basis(rules.BY_CODE["appel"], deadline.case)
        # Issue 17: an appeal row only where the decision opens an appeal (a pourvoi
        # after an appeal's decision, CPC 612).
        assert decision.instance == "first", deadline.case.reference
    for deadline in Deadline.objects.filter(template="pourvoi").select_related("case"):
        decision = Decision.objects.get(pk=int(deadline.source.split(":")[1]))
        assert decision.instance == "appeal"
        assert deadline.due_date == appeal_deadline(decision, "cassation")
    # Every generated appeal is lodged in time: none flagged « appel tardif » (CPC 538/125).
    for appeal in Appeal.objects.select_related("decision__case"):
        assert late_appeal(appeal) is None, appeal.case.reference

    # Claims carry the prescription deadlines.prescription computes from their chain
    # (only acts against the debtor interrupt, C. civ. 2240-2245).
    for case in Case.objects.prefetch_related("claims")[:50]:
        for claim in case.claims.all():
            result = prescription.claim_result(claim)
            assert (claim.prescription_date, claim.prescription_state) == (
                result.date,
                str(result.state),
            )

    # References: later real referrals get the next free number.
    numbers = defaultdict(int)
    for reference in Case.objects.values_list("reference", flat=True):
        year, number = int(reference[5:9]), int(reference[10:])
        numbers[year] = max(numbers[year], number)
    for year, number in numbers.items():
        assert ReferenceCounter.objects.get(year=year).last >= number


@pytest.mark.django_db
def test_generated_collective_openings_are_the_apps(bulk, client):
    """Issue 17: the assignations to open collective proceedings granted open one, as
    `workflows.steps.do_decision` records it; its publication starts the declaration's
    deadline of R.622-24 as the deadlines engine computes it, the claim is declared within
    it, and the debtor's other pending action of the pôle is stopped (L.622-21)."""
    today = timezone.localdate()
    proceedings = list(
        CollectiveProceeding.objects.select_related(
            "decision", "case__action_type", "case__direction", "case__debtor"
        )
    )
    opened = [p for p in proceedings if p.decision.outcome in collective.OPENING_OUTCOMES]
    assert len(opened) == len(proceedings) >= 5
    assert {p.kind for p in proceedings} == {"redressement", "liquidation"}
    declared_cases = 0
    for proceeding in proceedings:
        case, decision = proceeding.case, proceeding.decision
        assert case.action_type.code == collective.COLLECTIVE_ACTION
        assert proceeding.kind == collective.OPENING_OUTCOMES[decision.outcome]
        assert (proceeding.opened_on, proceeding.court) == (decision.decided_on, decision.court)
        assert case.starting_acts.get().served_on < proceeding.opened_on <= today
        summaries = list(case.events.order_by("pk").values_list("summary", flat=True))
        assert history.collective_opened(proceeding) in summaries
        deadlines = list(case.deadlines.filter(template=rules.DECLARATION))
        declarations = list(case.claim_declarations.all())
        if proceeding.bodacc_on is None:
            assert deadlines == [] and declarations == [], case.reference
            assert case.status == S.DECIDED
            continue
        assert proceeding.opened_on < proceeding.bodacc_on <= today
        assert proceeding.mandataire
        assert history.collective_published(proceeding) in summaries
        (deadline,) = deadlines
        template = rules.BY_CODE[rules.DECLARATION]
        # The deadlines engine's rule: two months from the publication (R.622-24).
        assert deadline.due_date == declaration_due(case, proceeding), case.reference
        assert deadline.source == f"collective:{proceeding.pk}"
        assert deadline.start_date == proceeding.bodacc_on
        assert (deadline.label, deadline.critical) == (template.label, True)
        assert deadline.basis == deadline_basis(template, case)
        if not declarations:
            # Waiting for the declaration, still in time.
            assert deadline.status == "open" and deadline.due_date >= today, case.reference
            assert [t.flow_task.name for t in _open_tasks(case)] == ["declare_claim"]
            continue
        (declaration,) = declarations
        declared_cases += 1
        assert proceeding.bodacc_on <= declaration.declared_on <= deadline.due_date
        assert declaration.declared_on <= today
        assert declaration.amount == sum(c.remaining for c in case.claims.all())
        assert (deadline.status, deadline.done_on) == ("done", declaration.declared_on)
        assert history.claim_declared(declaration) in summaries
        suspension = case.suspensions.get()
        assert suspension.cause == SuspensionCause.PROCEDURE_COLLECTIVE
        assert (suspension.start, suspension.end) == (declaration.declared_on, None)
        assert case.status in (S.EXECUTION, S.CLOSED)
    # A declaration for (nearly) every proceeding published more than two months ago.
    old = [
        p
        for p in proceedings
        if p.bodacc_on and declaration_due(p.case, p) < today - datetime.timedelta(days=7)
    ]
    assert old and all(p.declarations.exists() for p in old)
    assert declared_cases >= len(old)

    # The debtor's other pending actions, stopped as collective.stop_individual_actions
    # does: the same debtor, taken over when the opening was recorded, nothing after it.
    stopped = list(StoppedAction.objects.select_related("case__debtor", "proceeding__case__debtor"))
    assert stopped
    for stop in stopped:
        case, proceeding = stop.case, stop.proceeding
        assert case.debtor.siren == proceeding.case.debtor.siren
        assert case.debtor.name == proceeding.case.debtor.name
        assert proceeding in collective.proceedings_of(case)
        assert collective.pending_stop(case) == stop
        assert case.status in TAKEN_OVER_STATUSES and case.action_type.code not in (
            collective.COLLECTIVE_ACTION,
            "solidarite_dirigeant",
            "tiers_detenteur",
        )
        opened_at = proceeding.case.events.get(summary=history.collective_opened(proceeding)).at
        assert stop.stopped_at >= opened_at > case.created_at
        last = case.events.order_by("pk").last()
        assert last.summary == history.action_stopped(proceeding)
        assert last.at == stop.stopped_at
        assert not case.events.filter(at__gt=stop.stopped_at).exists()

    # The application's pages on these cases: the case page's panel of the proceeding, the
    # stop on the stopped case, the step « Déclarer la créance » of a case waiting for it.
    client.force_login(User.objects.get(role=Role.HEAD))
    proceeding = next(p for p in proceedings if p.declarations.exists())
    page = client.get(reverse("cases:detail", args=[proceeding.case.reference]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Publié au BODACC le {proceeding.bodacc_on:%d/%m/%Y}" in text
    assert proceeding.mandataire in text.replace("&#x27;", "'")
    page = client.get(reverse("cases:detail", args=[stopped[0].case.reference]))
    assert page.status_code == 200 and 'id="action-arretee"' in page.content.decode()
    for case in {p.case for p in proceedings if not p.declarations.exists()}:
        (task,) = _open_tasks(case)
        assert task.flow_task.name == "declare_claim"
        client.force_login(case.assigned_jurist)
        assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 200


@pytest.mark.django_db
def test_every_open_case_has_the_step_its_status_calls_for(bulk):
    for case in Case.objects.exclude(status=S.DRAFT).select_related("process"):
        tasks = _open_tasks(case)
        if case.status in (S.CLOSED, S.DECLINED):
            assert tasks == [] and case.process.finished is not None
            last = case.events.filter(kind=EventKind.TRANSITION).order_by("pk").last()
            # as workflows.services ends it: a withdrawal cancels the process
            expected = "CANCELED" if last.transition == "withdraw" else "DONE"
            assert case.process.status == expected, case.reference
            assert case.process.finished == last.at, case.reference
            continue
        assert case.process.status == "NEW" and case.process.finished is None
        assert len(tasks) == 1, (case.reference, case.status)
        (task,) = tasks
        assert task.flow_task.name in OPEN_STEPS[case.status], (case.status, task.flow_task)
        if task.flow_task._owner:
            assert task.owner_id in (case.assigned_jurist_id, case.assigned_expert_id)
            assert task.status == "ASSIGNED"
        else:
            assert task.owner_id is None and task.status == "NEW"
    assert not Case.objects.filter(status=S.DRAFT, process__isnull=False).exists()


def _generated(seed, now, count=60):
    """{reference: (the case and its history, its thread and notes)}, not written."""
    people = bulk_demo.ensure_people()
    generator = bulk_demo.Generator(people, seed=seed, now=now)
    cases = defaultdict(list)
    threads = defaultdict(list)
    for batch in generator.batches(count, size=30):
        for case in batch.rows[Case]:
            cases[case.reference].append((case.status, case.mode, case.debtor.name))
        for e in batch.rows[CaseEvent]:
            cases[e.case.reference].append((e.kind, e.transition, e.at, e.summary))
        for m in batch.rows[Message]:
            threads[m.case.reference].append((m.author.pk, m.sent_at, m.body))
        for r in batch.rows[MessageRead]:
            threads[r.case.reference].append((r.user.pk, r.last_read.sent_at))
        for n in batch.rows[CaseNote]:
            threads[n.case.reference].append((n.author.pk, n.created_at, n.text))
    return {ref: (cases[ref], threads[ref]) for ref in cases}


def _fingerprint(seed, now):
    return sorted(_generated(seed, now).items())


@pytest.mark.django_db
def test_generation_is_deterministic_for_a_seed(users):
    now = timezone.now()
    assert _fingerprint(3, now) == _fingerprint(3, now)
    assert _fingerprint(3, now) != _fingerprint(4, now)
    assert any(thread for _, (_, thread) in _fingerprint(3, now))


@pytest.mark.django_db
def test_a_cases_thread_shifts_nothing_else(users, monkeypatch):
    """Each case's thread has its own random stream: drawing more from one case's moves
    neither that case (its rows, its history) nor any other case's thread."""
    now = timezone.now()
    before = _generated(3, now)
    shifted = min(ref for ref, (_, talk) in before.items() if talk)
    submitted = thread.Talk.submitted

    def more_draws(self, at):
        if self.sim.case.reference == shifted:
            for _ in range(7):
                self.rng.random()
        submitted(self, at)

    monkeypatch.setattr(thread.Talk, "submitted", more_draws)
    after = _generated(3, now)
    assert after.keys() == before.keys()
    assert after[shifted][1] != before[shifted][1]
    for ref in before:
        assert after[ref][0] == before[ref][0], ref
        if ref != shifted:
            assert after[ref][1] == before[ref][1], ref


def _life(case):
    """From the referral's sending to the case's end (its process's, or now)."""
    end = case.process.finished if case.status in (S.CLOSED, S.DECLINED) else timezone.now()
    return case.submitted_at, end


@pytest.mark.django_db
def test_generated_threads_are_written_as_the_app_writes_them(bulk):
    """The thread of a sent case, in its life, by the people `cases.access` lets post on
    it, each author having read it up to their own last message (`post_message`)."""
    assert bulk["Message"] == Message.objects.count() > N
    assert not Message.objects.filter(case__status__in=access.NEVER_SENT).exists()
    assert Case.objects.filter(status=S.DRAFT).exists()
    threads = defaultdict(list)
    for message in Message.objects.select_related("author").order_by("case_id", "pk"):
        threads[message.case_id].append(message)
    reads = defaultdict(dict)
    for read in MessageRead.objects.all():
        reads[read.case_id][read.user_id] = read.last_read_id
    roles = set()
    cases = Case.objects.filter(pk__in=threads).select_related("process", "poste_comptable")
    for case in cases:
        thread_ = threads[case.pk]
        start, end = _life(case)
        # In the order of their times (the unread counts read the pks), within the life.
        assert [m.sent_at for m in thread_] == sorted(m.sent_at for m in thread_), case.reference
        assert start <= thread_[0].sent_at and thread_[-1].sent_at <= end, case.reference
        last = {}
        for message in thread_:
            author = message.author
            assert access.can_post_message(author, case), (case.reference, author.username)
            assert message.author_label == actor_label(author)
            if author.role == Role.EXPERT:
                assert case.mode == Mode.AVIS and author.pk == case.assigned_expert_id
            roles.add(author.role)
            last[author.pk] = message.pk
        assert reads.pop(case.pk) == last, case.reference
    assert not reads  # no read mark on a case without a thread
    assert {Role.POSTE_AGENT, Role.DIRECTION_AGENT, Role.JURIST, Role.EXPERT, Role.HEAD} <= roles
    # The flow's moments, in the case's words.
    bodies = list(Message.objects.values_list("body", flat=True))
    for words in ("pour compléments", "avis d'opportunité", "mandaté", "mise en délibéré"):
        assert any(words in body for body in bodies), words


@pytest.mark.django_db
def test_generated_notes_are_the_poles_own(bulk, client):
    """Notes on opinion and taken-over cases, by their jurist or expert, in the case's
    life, never shown to the referring side nor found by its search, nor in the history."""
    notes = list(CaseNote.objects.select_related("case__process", "author"))
    assert bulk["CaseNote"] == len(notes) > 10
    for note in notes:
        case, author = note.case, note.author
        assert case.mode in (Mode.AVIS, Mode.PRISE_EN_CHARGE), case.reference
        assert author.pk in (case.assigned_jurist_id, case.assigned_expert_id)
        assert access.may_write_note(author, case)
        assert note.author_label == actor_label(author)
        start, end = _life(case)
        assert start <= note.created_at <= end, case.reference
        assert not access.may_read_notes(case.created_by, case)
        assert workspace.case_notes(case.created_by, case) is None
    assert {n.author.role for n in notes} == {Role.JURIST, Role.EXPERT}
    texts = {n.text for n in notes}
    assert not CaseEvent.objects.filter(reason__in=texts).exists()
    assert not CaseEvent.objects.filter(summary__in=[t[:300] for t in texts]).exists()

    note = next(n for n in notes if "Convention d'honoraires" in n.text)
    case, referrer = note.case, note.case.created_by
    lawyer = note.text.split(" : ")[0].removeprefix("Convention d'honoraires de ")
    found = search.search(note.author, f"honoraires {lawyer}")
    assert any(h.case == case and h.label == "Note du pôle" for h in found)
    assert not any(h.label == "Note du pôle" for h in search.search(referrer, "honoraires"))
    url = reverse("cases:detail", args=[case.reference])
    client.force_login(note.author)
    assert escape(note.text) in client.get(url).content.decode()
    client.force_login(referrer)
    page = client.get(url)
    assert page.status_code == 200 and escape(note.text) not in page.content.decode()


@pytest.mark.django_db
def test_the_app_shows_and_finds_the_generated_messages(bulk, client):
    """The case page renders the thread for its jurist; the search finds a message's words
    as the search page asks it (`cases.search.search`), for the pôle and the case's
    referring side."""
    message = (
        Message.objects.filter(
            body__contains="mise en délibéré", case__assigned_jurist__isnull=False
        )
        .select_related("case__debtor", "case__assigned_jurist", "case__created_by")
        .order_by("-sent_at")
        .first()
    )
    case = message.case
    client.force_login(case.assigned_jurist)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert page.status_code == 200
    assert escape(message.body) in page.content.decode()

    query = f"délibéré {case.debtor.name}"
    for user in (case.assigned_jurist, case.created_by):
        hits = search.search(user, query)
        assert any(h.case == case and h.label == "Message" for h in hits), user.username


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "abc", "-5"])
def test_bad_case_count_is_refused_in_french(value):
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--cases", value)
    assert error.value.returncode == 2
    assert "Le nombre de dossiers" in str(error.value) and value in str(error.value)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_seed_demo_with_cases_then_the_app_works_on_generated_cases(client, capsys):
    call_command("seed_demo", "--cases", "120", "--seed", "2")
    captured = capsys.readouterr()
    assert "120 dossiers générés" in captured.out
    assert "Dossiers" in captured.err and "100 %" in captured.err
    demo = Case.objects.filter(events__kind=EventKind.PIECE_ADDED).distinct()
    assert Case.objects.count() >= 120 + 18 and demo.exists()
    head = User.objects.get(username="chef.pole")
    # The generated cases besides the walked demo ones (both made before today).
    start_of_today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(0))
    )
    walked = [spec.debtor["name"] for spec in scenarios(timezone.localdate())]
    generated = Case.objects.exclude(debtor__name__in=walked)
    assert generated.count() == 120
    assert not Case.objects.filter(created_at__gte=start_of_today).exists()
    client.force_login(head)
    for mode in Mode.values:
        case = generated.filter(mode=mode).exclude(status=S.DRAFT).order_by("?").first()
        response = client.get(reverse("cases:detail", args=[case.reference]))
        assert response.status_code == 200, mode

    # A receivability step in the head's queue, completed through the service.
    case = generated.filter(status=S.SUBMITTED).first()
    if case is not None:
        (task,) = _open_tasks(case)
        assert task in task_selectors.queue(head)
        form = STEPS["receivability"].form_class({"decision": "accept"}, case=case, user=head)
        assert form.is_valid(), form.errors
        complete_task(task.pk, head, form.cleaned_data, {"decision": "accept"})
        case.refresh_from_db()
        assert case.status == S.UNDER_EXAMINATION
        assert [t.flow_task.name for t in _open_tasks(case)] == ["assignment"]

    # A jurist's held step (in their inbox) opens and completes.
    completed = 0
    for name, data in [
        ("appeal_decision", {"choice": "none"}),
        ("mandate_lawyer", None),
    ]:
        candidates = [
            c
            for c in generated.filter(status__in=[S.DECIDED, S.TAKEN_OVER]).select_related(
                "assigned_jurist"
            )
            if [t.flow_task.name for t in _open_tasks(c)] == [name]
        ]
        if not candidates:
            continue
        case = candidates[0]
        (task,) = _open_tasks(case)
        jurist = case.assigned_jurist
        assert task in task_selectors.inbox(jurist)
        client.force_login(jurist)
        assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 200
        if data is None:
            from cases.models import Lawyer

            data = {
                "lawyer": Lawyer.objects.filter(active=True).first().pk,
                "mandated_on": timezone.localdate().isoformat(),
            }
        form = STEPS[name].form_class(data, case=case, user=jurist)
        assert form.is_valid(), form.errors
        before = case.status
        complete_task(task.pk, jurist, form.cleaned_data, data)
        case.refresh_from_db()
        following = [t.flow_task.name for t in _open_tasks(case)]
        # The opening of collective proceedings not appealed: the claim is to be declared.
        after_appeal = "declare_claim" if collective.awaits_declaration(case) else "execution"
        assert following == ([after_appeal] if name == "appeal_decision" else ["starting_act"])
        assert before != case.status or name == "mandate_lawyer"
        completed += 1
    assert completed

    # A later real referral gets the next reference of the year.
    year = timezone.localdate().year
    last = ReferenceCounter.objects.get(year=year).last
    assert ReferenceCounter.next_reference(year) == f"PNSR-{year}-{last + 1:06d}"
