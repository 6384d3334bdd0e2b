"""The case lifecycle: which action leads from which status to which, who may fire it, what
it writes in the history, and what it refuses (and then leaves untouched)."""

import contextlib

import pytest
from django.db import DatabaseError

from cases import lifecycle, services
from cases.enums import CaseStatus, ClosureReason, EventKind, Mode
from cases.lifecycle import (
    CaseLifecycle,
    IllegalTransition,
    ReasonRequired,
    TransitionForbidden,
    transitions_table,
)
from cases.models import Case, CaseEvent
from tests.factories import ROLE_KEYS, CaseFactory, DebtorFactory
from workflows.process import course

S = CaseStatus
REFERRER, POLE, HEAD = "referrer", "pole", "head"
REFERRER_OR_POLE = "referrer or pole"

# The lifecycle as the domain describes it, written out so that any change to the code's
# table shows up here: name -> (source statuses, target, who may fire it, reason required,
# mode the case must have).
EXPECTED = {
    "submit": ({S.DRAFT}, S.SUBMITTED, REFERRER, False, None),
    # The referring side deletes a draft it never sent.
    "discard": ({S.DRAFT}, S.DISCARDED, REFERRER, False, None),
    "resubmit": ({S.RETURNED}, S.SUBMITTED, REFERRER, False, None),
    "return_for_completion": ({S.SUBMITTED}, S.RETURNED, POLE, True, None),
    "accept": ({S.SUBMITTED}, S.UNDER_EXAMINATION, POLE, False, None),
    "decline": ({S.SUBMITTED, S.UNDER_EXAMINATION}, S.DECLINED, POLE, True, None),
    "give_opinion": ({S.UNDER_EXAMINATION}, S.OPINION_GIVEN, HEAD, False, Mode.AVIS),
    "start_support": (
        {S.UNDER_EXAMINATION}, S.SUPPORT_IN_PROGRESS, POLE, False, Mode.SOUTIEN,
    ),
    "take_over": ({S.UNDER_EXAMINATION}, S.TAKEN_OVER, POLE, False, Mode.PRISE_EN_CHARGE),
    "take_over_after_opinion": ({S.OPINION_GIVEN}, S.TAKEN_OVER, POLE, False, None),
    "engage_action": ({S.TAKEN_OVER}, S.ACTION_ENGAGED, POLE, False, None),
    "await_decision": (
        {S.ACTION_ENGAGED, S.UNDER_APPEAL}, S.AWAITING_DECISION, POLE, False, None,
    ),
    "reopen_hearings": ({S.AWAITING_DECISION}, S.ACTION_ENGAGED, POLE, True, None),
    "record_decision": ({S.AWAITING_DECISION}, S.DECIDED, POLE, False, None),
    "appeal": ({S.DECIDED}, S.UNDER_APPEAL, POLE, True, None),
    "start_execution": ({S.DECIDED}, S.EXECUTION, POLE, False, None),
    "close": (
        {
            S.OPINION_GIVEN, S.SUPPORT_IN_PROGRESS, S.TAKEN_OVER, S.ACTION_ENGAGED,
            S.AWAITING_DECISION, S.DECIDED, S.UNDER_APPEAL, S.EXECUTION,
            S.AMICABLE_SALE, S.FORCED_SALE, S.PRICE_DISTRIBUTION,
            S.LOCAL_REQUESTED, S.LOCAL_ORDERED,
        },
        S.CLOSED, POLE, True, None,
    ),
    # Saisie immobilière, after the orientation judgment (CPCE R.322-15 s.)
    "authorise_amicable_sale": ({S.DECIDED}, S.AMICABLE_SALE, POLE, False, None),
    "order_forced_sale": ({S.DECIDED, S.AMICABLE_SALE}, S.FORCED_SALE, POLE, False, None),
    "suspend_saisie": ({S.DECIDED}, S.ACTION_ENGAGED, POLE, True, None),
    "distribute_price": (
        {S.FORCED_SALE, S.AMICABLE_SALE, S.LOCAL_ORDERED}, S.PRICE_DISTRIBUTION, POLE, False,
        None,
    ),
    # Saisie immobilière in Alsace-Moselle (loi du 1er juin 1924, art. 141 s.)
    "request_local_enforcement": ({S.TAKEN_OVER}, S.LOCAL_REQUESTED, POLE, False, None),
    "order_local_enforcement": ({S.LOCAL_REQUESTED}, S.LOCAL_ORDERED, POLE, False, None),
    "reject_local_request": ({S.LOCAL_REQUESTED}, S.TAKEN_OVER, POLE, True, None),
    # The direction closes the case when it asks for no takeover after the opinion.
    "close_after_opinion": ({S.OPINION_GIVEN}, S.CLOSED, REFERRER, False, None),
    # Either side closes a technical support, with a summary.
    "end_support": ({S.SUPPORT_IN_PROGRESS}, S.CLOSED, REFERRER_OR_POLE, True, None),
    # Issue 17: a radiation suspends the instance (CPC 381): back to the hearings.
    "suspend_instance": ({S.AWAITING_DECISION}, S.ACTION_ENGAGED, POLE, True, None),
    "lapse_instance": ({S.AWAITING_DECISION}, S.TAKEN_OVER, POLE, True, None),
    "withdraw": (
        {S.SUBMITTED, S.RETURNED, S.UNDER_EXAMINATION}, S.CLOSED, REFERRER, True, None,
    ),
}  # fmt: skip

# Who may fire, on a DDFIP 02 case referred through the SIE de Laon with no jurist assigned.
ALLOWED = {
    REFERRER: {"poste_agent", "direction_agent"},
    POLE: {"jurist", "other_jurist", "head"},
    HEAD: {"head"},
    REFERRER_OR_POLE: {"poste_agent", "direction_agent", "jurist", "other_jurist", "head"},
}
ACTOR = {REFERRER: "poste_agent", POLE: "jurist", HEAD: "head", REFERRER_OR_POLE: "jurist"}
USER_KEYS = ROLE_KEYS
REASON = "Motif saisi pour le test."
REASON_REQUIRED = sorted(name for name, spec in EXPECTED.items() if spec[3])


def _kwargs(name: str, reason: str | None = REASON) -> dict:
    kwargs = {} if reason is None else {"reason": reason}
    if name == "close":
        kwargs["closure_reason"] = ClosureReason.RECOVERED_FULL
    return kwargs


# The transitions of Alsace-Moselle's local procedure: on a saisie of a property there.
LOCAL_LAW = {"request_local_enforcement", "order_local_enforcement", "reject_local_request"}


def _case_for(name: str, status: str) -> Case:
    """A case in `status` (through the lifecycle alone: these tests are about it), of the
    mode `name` needs when a case of that mode reaches the status (the process's course),
    its property in Alsace-Moselle for a transition of the local procedure from one of its
    sources (elsewhere the status alone refuses it)."""
    mode = EXPECTED[name][4]
    local_law = name in LOCAL_LAW and status in EXPECTED[name][0]
    if mode and course(status, mode) is not None:
        return CaseFactory(to=status, mode=mode, lifecycle_only=True, local_law=local_law)
    return CaseFactory(to=status, lifecycle_only=True, local_law=local_law)


def _fire(case: Case, user, name: str, **kwargs) -> None:
    getattr(CaseLifecycle(case, user), name)(**kwargs)


def _db_status(case: Case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def _assert_untouched(case: Case, status: str, events: int) -> None:
    assert case.status == status
    assert _db_status(case) == status
    assert CaseEvent.objects.filter(case=case).count() == events


# --- The table -------------------------------------------------------------------------


def test_code_table_is_the_expected_table():
    permissions = {
        lifecycle._may_refer: REFERRER,
        lifecycle._may_act_for_pole: POLE,
        lifecycle._is_head: HEAD,
        lifecycle._may_refer_or_act_for_pole: REFERRER_OR_POLE,
    }
    actual = {}
    for name, transitions in transitions_table().items():
        targets = {t.target for t in transitions}
        perms = {permissions[t.permission] for t in transitions}
        reasons = {t.custom["reason_required"] for t in transitions}
        modes = {
            c.__name__.removeprefix("mode_is_")
            for t in transitions
            for c in t.conditions
            if c.__name__.startswith("mode_is_")
        }
        assert len(targets) == len(perms) == len(reasons) == 1, name
        assert len(modes) <= 1, name
        actual[name] = (
            {t.source for t in transitions},
            targets.pop(),
            perms.pop(),
            reasons.pop(),
            modes.pop() if modes else None,
        )
    assert actual == EXPECTED


def test_every_status_but_closed_and_declined_has_a_way_out():
    sources = set().union(*(spec[0] for spec in EXPECTED.values()))
    assert set(S) - sources == {S.CLOSED, S.DECLINED, S.DISCARDED}
    targets = {spec[1] for spec in EXPECTED.values()}
    assert set(S) - targets == {S.DRAFT}


# --- Every transition from every status --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("name", list(EXPECTED))
def test_transition_from_status(users, name, status):
    sources, target, who, _, _ = EXPECTED[name]
    case = _case_for(name, status)
    actor = users[ACTOR[who]]
    events = CaseEvent.objects.filter(case=case).count()
    last_event = CaseEvent.objects.filter(case=case).order_by("pk").last()

    if status not in sources:
        with pytest.raises(IllegalTransition) as refused:
            _fire(case, actor, name, **_kwargs(name))
        message = str(refused.value)
        assert "impossible" in message
        assert f"est au statut « {S(status).label} »" in message
        assert case.reference in message
        _assert_untouched(case, status, events)
        return

    _fire(case, actor, name, **_kwargs(name))
    assert case.status == target
    assert _db_status(case) == target
    new = CaseEvent.objects.filter(case=case)
    if last_event is not None:
        new = new.filter(pk__gt=last_event.pk)
    event = new.get()  # exactly one
    assert event.kind == EventKind.TRANSITION
    assert event.transition == name
    assert (event.source_status, event.target_status) == (status, target)
    assert event.actor == actor
    assert event.actor_label.endswith(f"({actor.get_role_display()})")
    assert event.reason == REASON
    assert event.summary
    if name == "close":
        assert Case.objects.get(pk=case.pk).closure_reason == ClosureReason.RECOVERED_FULL
        assert event.data == {"closure_reason": ClosureReason.RECOVERED_FULL}
    if name == "withdraw":
        assert Case.objects.get(pk=case.pk).closure_reason == ClosureReason.WITHDRAWN
    if name == "close_after_opinion":
        assert Case.objects.get(pk=case.pk).closure_reason == ClosureReason.OPINION_GIVEN
    if name == "end_support":
        assert Case.objects.get(pk=case.pk).closure_reason == ClosureReason.SUPPORT_COMPLETED
    if name == "submit":
        assert Case.objects.get(pk=case.pk).submitted_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "mode"),
    [
        (name, mode)
        for name in ("give_opinion", "start_support", "take_over")
        for mode in Mode
        if mode != EXPECTED[name][4]
    ],
)
def test_mode_specific_step_refused_on_a_case_of_another_mode(users, name, mode):
    case = CaseFactory(to=S.UNDER_EXAMINATION, mode=mode, lifecycle_only=True)
    events = case.events.count()
    with pytest.raises(IllegalTransition) as refused:
        _fire(case, users["head"], name, **_kwargs(name))
    assert f"ce dossier est une demande de « {mode.label} »" in str(refused.value)
    _assert_untouched(case, S.UNDER_EXAMINATION, events)


# --- Permissions -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPECTED))
def test_only_permitted_roles_may_fire(users, name):
    sources, target, who, _, _ = EXPECTED[name]
    status = sorted(sources)[0]
    case = _case_for(name, status)
    events = case.events.count()
    for key in USER_KEYS:
        if key in ALLOWED[who]:
            continue
        with pytest.raises(TransitionForbidden) as refused:
            _fire(case, users[key], name, **_kwargs(name))
        assert "Vous n'avez pas le droit de faire l'action" in str(refused.value), key
        _assert_untouched(case, status, events)

    # An inactive account loses its rights.
    actor = users[ACTOR[who]]
    actor.is_active = False
    actor.save()
    with pytest.raises(TransitionForbidden):
        _fire(case, actor, name, **_kwargs(name))
    _assert_untouched(case, status, events)

    # The case was in a state the transition leaves from: a permitted user succeeds.
    actor.is_active = True
    actor.save()
    _fire(case, actor, name, **_kwargs(name))
    assert _db_status(case) == target


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, spec in EXPECTED.items() if spec[2] != REFERRER])
def test_jurist_may_not_act_on_a_case_assigned_to_another_jurist(users, name):
    sources, target, who, _, _ = EXPECTED[name]
    status = sorted(sources)[0]
    case = _case_for(name, status)
    case.assigned_jurist = users["other_jurist"]
    case.save()
    events = case.events.count()
    with pytest.raises(TransitionForbidden):
        _fire(case, users["jurist"], name, **_kwargs(name))
    _assert_untouched(case, status, events)
    # The assigned jurist (or, for the head-only step, the head) may.
    _fire(case, users["other_jurist" if who == POLE else "head"], name, **_kwargs(name))
    assert _db_status(case) == target


@pytest.mark.django_db
def test_head_acts_on_any_case_and_a_jurist_on_their_own(users):
    mine = CaseFactory(to=S.SUBMITTED, lifecycle_only=True)
    mine.assigned_jurist = users["jurist"]
    mine.save()
    _fire(mine, users["jurist"], "accept")
    theirs = CaseFactory(to=S.SUBMITTED, lifecycle_only=True)
    theirs.assigned_jurist = users["other_jurist"]
    theirs.save()
    _fire(theirs, users["head"], "accept")
    assert _db_status(mine) == _db_status(theirs) == S.UNDER_EXAMINATION


# --- Reasons -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("reason", [None, "", "   \n\t "], ids=["omitted", "empty", "blank"])
@pytest.mark.parametrize("name", REASON_REQUIRED)
def test_reason_required(users, name, reason):
    sources, _, who, _, _ = EXPECTED[name]
    status = sorted(sources)[0]
    case = _case_for(name, status)
    events = case.events.count()
    with pytest.raises(ReasonRequired) as refused:
        _fire(case, users[ACTOR[who]], name, **_kwargs(name, reason))
    assert str(refused.value).startswith("Indiquez le motif de l'action « ")
    _assert_untouched(case, status, events)


def test_reason_required_list_is_the_domain_one():
    domain = [
        "return_for_completion",
        "decline",
        "reopen_hearings",
        "appeal",
        "close",
        "end_support",
        "withdraw",
        "suspend_saisie",  # the suspension's ground (délais de grâce, surendettement…)
        "suspend_instance",  # issue 17: the radiation's decision is its reason
        "lapse_instance",  # issue 17: the caducité's decision is its reason
        "reject_local_request",  # Alsace-Moselle: the grounds of the requête's rejection
    ]
    assert sorted(domain) == REASON_REQUIRED


@pytest.mark.django_db
def test_reason_is_stored_trimmed(users):
    case = CaseFactory(to=S.SUBMITTED, lifecycle_only=True)
    _fire(case, users["head"], "decline", reason="  Hors du champ du pôle.\n")
    assert case.events.last().reason == "Hors du champ du pôle."


@pytest.mark.django_db
@pytest.mark.parametrize("closure_reason", ["", "bogus", None])
def test_close_needs_a_closure_reason_from_the_list(users, closure_reason):
    case = CaseFactory(to=S.TAKEN_OVER, lifecycle_only=True)
    events = case.events.count()
    with pytest.raises(IllegalTransition) as refused:
        _fire(case, users["head"], "close", reason=REASON, closure_reason=closure_reason)
    assert str(refused.value) == "Choisissez le motif de clôture dans la liste."
    _assert_untouched(case, S.TAKEN_OVER, events)
    assert Case.objects.get(pk=case.pk).closure_reason == ""


# --- Completeness on submit ---------------------------------------------------------------


@pytest.mark.django_db
def test_submit_of_an_incomplete_referral_lists_the_problems(users):
    case = CaseFactory()  # a draft with no claim, no property, no piece
    with pytest.raises(IllegalTransition) as refused:
        _fire(case, users["poste_agent"], "submit")
    message = str(refused.value)
    assert message.startswith("Le dossier ne peut pas être transmis : ")
    assert "Ajoutez au moins une créance." in message
    assert "Pièce manquante : Titre exécutoire (AMR, rôle)." in message
    assert "Pièce manquante : État hypothécaire (fiche d'immeuble)." in message
    _assert_untouched(case, S.DRAFT, 0)
    assert Case.objects.get(pk=case.pk).submitted_at is None


@pytest.mark.django_db
def test_resubmit_after_removing_a_required_piece_is_refused(
    users, django_capture_on_commit_callbacks
):
    case = CaseFactory(to=S.RETURNED, lifecycle_only=True)
    piece = case.pieces.get(kind="fiche_immeuble")
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_piece(users["poste_agent"], case, piece)
    events = case.events.count()
    with pytest.raises(IllegalTransition) as refused:
        _fire(case, users["poste_agent"], "resubmit")
    assert "Pièce manquante : État hypothécaire (fiche d'immeuble)." in str(refused.value)
    _assert_untouched(case, S.RETURNED, events)


# --- Writes that bypass the lifecycle ----------------------------------------------------


@pytest.mark.django_db
def test_direct_status_write_is_refused(users):
    case = CaseFactory(to=S.TAKEN_OVER, lifecycle_only=True)
    events = case.events.count()
    case.status = S.CLOSED
    case.closure_reason = ClosureReason.RECOVERED_FULL
    with pytest.raises(IllegalTransition) as refused:
        case.save()
    assert "ne change que par une action de son cycle de vie" in str(refused.value)
    assert _db_status(case) == S.TAKEN_OVER
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.django_db
def test_saving_other_fields_keeps_working(users):
    case = CaseFactory(to=S.TAKEN_OVER, lifecycle_only=True)
    case.facts = "Nouveaux éléments sur le patrimoine."
    case.save()
    reloaded = Case.objects.get(pk=case.pk)
    assert reloaded.facts == "Nouveaux éléments sur le patrimoine."
    assert reloaded.status == S.TAKEN_OVER


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.SUBMITTED, S.CLOSED, S.UNDER_EXAMINATION])
def test_a_case_cannot_be_created_past_the_draft(users, status):
    poste_agent = users["poste_agent"]
    with pytest.raises(IllegalTransition) as refused:
        Case.objects.create(
            status=status,
            closure_reason=ClosureReason.RECOVERED_FULL,
            direction=poste_agent.direction,
            poste_comptable=poste_agent.poste_comptable,
            debtor=DebtorFactory(),
            created_by=poste_agent,
        )
    assert str(refused.value) == "Un dossier est toujours créé à l'état de brouillon."
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_stale_copy_of_the_case_is_refused(users):
    case = CaseFactory(to=S.SUBMITTED, lifecycle_only=True)
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    events = case.events.count()
    _fire(first, users["head"], "accept")
    with pytest.raises(IllegalTransition) as refused:
        _fire(second, users["jurist"], "decline", reason=REASON)
    assert str(refused.value) == (
        f"Le dossier {case.reference} vient d'être modifié par quelqu'un d'autre : "
        "rechargez la page avant de recommencer."
    )
    assert second.status == S.SUBMITTED  # unchanged in memory
    assert _db_status(case) == S.UNDER_EXAMINATION
    assert CaseEvent.objects.filter(case=case).count() == events + 1
    # Reloaded, the same user may go on.
    second.refresh_from_db()
    _fire(second, users["jurist"], "decline", reason=REASON)
    assert _db_status(case) == S.DECLINED


def _broken_record(*args, **kwargs):
    raise DatabaseError("la base ne répond plus")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "name"),
    [(S.DRAFT, "submit"), (S.SUBMITTED, "accept"), (S.TAKEN_OVER, "close")],
)
def test_database_failure_while_recording_changes_nothing(users, monkeypatch, status, name):
    case = CaseFactory(to=status, lifecycle_only=True)
    events = case.events.count()
    who = EXPECTED[name][2]
    monkeypatch.setattr(CaseEvent, "record", _broken_record)
    with pytest.raises(DatabaseError):
        _fire(case, users[ACTOR[who]], name, **_kwargs(name))
    monkeypatch.undo()
    _assert_untouched(case, status, events)
    stored = Case.objects.get(pk=case.pk)
    assert stored.closure_reason == "" and (stored.submitted_at is None) == (status == S.DRAFT)

    # Once the database is back, the same action on the same object goes through once.
    _fire(case, users[ACTOR[who]], name, **_kwargs(name))
    assert _db_status(case) == EXPECTED[name][1]
    assert CaseEvent.objects.filter(case=case).count() == events + 1


@pytest.mark.django_db
def test_case_can_still_be_saved_after_a_failed_transition(users, monkeypatch):
    case = CaseFactory(to=S.SUBMITTED, lifecycle_only=True)
    monkeypatch.setattr(CaseEvent, "record", _broken_record)
    with pytest.raises(DatabaseError):
        _fire(case, users["head"], "accept")
    monkeypatch.undo()
    case.facts = "Complément d'information."
    case.save()
    assert Case.objects.get(pk=case.pk).facts == "Complément d'information."


@pytest.mark.django_db
def test_guard_still_refuses_a_direct_write_after_a_failed_transition(users, monkeypatch):
    case = CaseFactory(to=S.TAKEN_OVER, lifecycle_only=True)
    events = case.events.count()
    monkeypatch.setattr(CaseEvent, "record", _broken_record)
    with pytest.raises(DatabaseError):
        _fire(case, users["head"], "close", **_kwargs("close"))
    monkeypatch.undo()
    case.status = S.CLOSED
    with contextlib.suppress(IllegalTransition):
        case.save()
    assert _db_status(case) == S.TAKEN_OVER
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.django_db
def test_failed_close_leaves_no_closure_reason_behind(users, monkeypatch):
    case = CaseFactory(to=S.TAKEN_OVER, lifecycle_only=True)
    monkeypatch.setattr(CaseEvent, "record", _broken_record)
    with pytest.raises(DatabaseError):
        _fire(case, users["head"], "close", **_kwargs("close"))
    monkeypatch.undo()
    _fire(case, users["head"], "engage_action")  # the jurist goes on with the case instead
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == S.ACTION_ENGAGED
    assert stored.closure_reason == ""


# --- What the case page offers -------------------------------------------------------------


@pytest.mark.django_db
def test_available_actions_follow_status_and_role(users):
    case = CaseFactory(to=S.SUBMITTED, lifecycle_only=True)

    def names(key):
        return {t["name"] for t in CaseLifecycle(case, users[key]).available()}

    assert names("head") == {"accept", "decline", "return_for_completion"}
    assert names("jurist") == {"accept", "decline", "return_for_completion"}
    assert names("poste_agent") == {"withdraw"}
    assert names("direction_agent") == {"withdraw"}
    for key in ("other_poste_agent", "other_direction_agent", "expert", "management", "admin"):
        assert names(key) == set(), key
