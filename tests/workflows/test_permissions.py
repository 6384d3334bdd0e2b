"""Who may finish which step of the pôle's process: every step tried by every role.

Each test brings one case to a step with its legitimate users (through the pages), then
lets every role (and an anonymous visitor) post a valid completion of that step, each in
a savepoint rolled back afterwards, so that every role meets the same case. Those who may
act finish the step (the case moves on, the next step opens); the others get 403 when they
see the case, 404 when they do not, the login page when anonymous, and change nothing.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from cases.enums import CaseStatus, ClosureReason, HearingStatus
from cases.models import ActionType, Case, CaseEvent, Lawyer
from cases.pieces import sample_pdf
from tests.factories import RISK_GRID, ROLE_KEYS, edit_page_data, sitting_moment
from workflows.process import END, PROCESS, Actor, course_to_step, outcome_status

from .conftest import open_step_names, open_task

S = CaseStatus
ROLES = ["anonymous", *ROLE_KEYS]
REFERRERS = {"poste_agent", "direction_agent"}
# Who never sees a case referred by DDFIP 02 through the SIE de Laon (the expert sees only
# the cases given to them).
OUT_OF_SCOPE = {"other_poste_agent", "other_direction_agent", "management_d67"}
pytestmark = pytest.mark.django_db


# Days the walk's dates are set back by on the way to the sale of a saisie immobilière:
# its adjudication hearing, two to four months after the orientation judgment (CPCE
# R.322-26), must have been held by today.
SALE_SET_BACK = 150
_set_back = [0]


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n + _set_back[0])).isoformat()


def at_day(days: int, hour: int = 9) -> str:
    # a court does not sit on week-ends and holidays
    return sitting_moment(days - _set_back[0], hour)


def _after_days(start: str, days: int) -> str:
    """A sitting day's moment `days` after the ISO date `start` (moved back if needed)."""
    day = datetime.date.fromisoformat(start) + datetime.timedelta(days=days)
    return sitting_moment((day - timezone.localdate()).days, 9)


def judgment() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


OPINION = {
    "conclusion": "favourable",
    "reasons": "Patrimoine immobilier libre d'hypothèque ; créances non prescrites.",
    "risk_level": "low",
    "risk_assessment": "Bien estimé à 180 000 € pour 95 000 € de créances.",
    **RISK_GRID,
}


# How `completion` ends each step (an ending of the process description).
ENDING = {
    "receivability": "accept",
    "assignment": "takeover",
    "write_opinion": "submit",
    "validate_opinion": "validate",
    "follow_up": "takeover_requested",
    "takeover_decision": "accept",
    "support": "close",
    "mandate_lawyer": "mandate",
    "starting_act": "engage",
    "hearings": "deliberation",
    "decision": "decided",
    "appeal_decision": "no_appeal",
    "declare_claim": "declared",
    "execution": "close",
    # Saisie immobilière, after the orientation judgment
    "amicable_sale": "sale_recorded",
    "forced_sale": "price_paid",
    "distribution": "close",
    # Saisie immobilière in Alsace-Moselle (loi du 1er juin 1924)
    "local_ordonnance": "ordered",
    "local_inscription": "inscribed",
    "local_adjudication": "adjudicated",
}
# The course of a saisie in Alsace-Moselle: its starting act, the requête, ends so.
LOCAL_ENDING = {"starting_act": "engage_local"}
LOCAL_STARTING_ACT = {
    "kind": "requete",
    "court": "Tribunal judiciaire de Strasbourg (exécution forcée immobilière)",
    "signed_on": "",  # days_ago(25), at the call
    "served_on": "",
}
NOTAIRE = "Me Anne Muller, notaire à Strasbourg"
# The other endings a walk takes on its way (the saisie's sale steps) -> the appeal step's
# choice, and what the orientation judgment then says.
APPEAL_CHOICE = {
    "no_appeal": "none",
    "forced_sale": "forced_sale",
    "amicable_sale": "amicable_sale",
}
ORIENTATION = {
    "forced_sale": lambda decided: {
        "outcome": "vente_forcee",
        "amount_awarded": "",
        "adjudication_at": _after_days(decided, 70),
    },
    "amicable_sale": lambda decided: {
        "outcome": "vente_amiable",
        "amount_awarded": "",
        "recall_at": _after_days(decided, 60),
    },
}
# The course on to the declaration of a claim: an assignation to open collective
# proceedings before the tribunal de commerce, which opens a liquidation.
OPENING = ("appeal_decision", "no_appeal_opening")
COLLECTIVE = {
    "starting_act": {
        "kind": "assignation",
        "court": "",
        "debtor_activity": "commercial",
        "court_seat": "Laon",
        "co_plaintiff": "URSSAF de Picardie",
    },
    "decision": {"outcome": "opening_lj", "amount_awarded": "", "court": "TC de Laon"},
}


def completion(users, name: str, collective: bool = False) -> tuple[str, dict]:
    """Who finishes the step in the normal course, and a valid completion of it ending as
    ENDING says (files made afresh at each call: an upload is read once); `collective`:
    on the course of an assignation to open collective proceedings."""
    who, data = _completion(users, name)
    return who, {**data, **COLLECTIVE.get(name, {})} if collective else data


def _completion(users, name: str) -> tuple[str, dict]:
    jurist = users["jurist"].pk
    return {
        "receivability": ("head", {"decision": "accept"}),
        "assignment": ("head", {"jurist": jurist}),
        "write_opinion": ("expert", OPINION),
        "validate_opinion": ("head", {"decision": "validate"}),
        "follow_up": ("direction_agent", {"follow": "followed", "takeover_requested": "on"}),
        "takeover_decision": ("head", {"decision": "accept", "jurist": jurist}),
        "support": ("jurist", {"summary": "Commandement puis saisie."}),
        "mandate_lawyer": (
            "jurist",
            {"lawyer": Lawyer.objects.filter(active=True).first().pk, "mandated_on": days_ago(30)},
        ),
        "starting_act": (
            "jurist",
            {
                "kind": "commandement",
                "court": "Tribunal judiciaire de Laon",
                "signed_on": days_ago(25),
                "served_on": days_ago(20),
            },
        ),
        "hearings": ("jurist", {"deliberation_on": days_ago(1)}),
        "decision": (
            "jurist",
            {
                "result": "decided",
                "decided_on": days_ago(1),
                "court": "TJ de Laon",
                "outcome": "granted",
                "amount_awarded": "12 000,00",
                "notified_on": days_ago(1),
                "judgment": judgment(),
            },
        ),
        "appeal_decision": ("jurist", {"choice": "none"}),
        "declare_claim": (
            "jurist",
            {
                "bodacc_on": days_ago(1),
                "mandataire": "SELARL Mandataires de l'Aisne",
                "declared_on": days_ago(0),
                "amount": "88 000,00",
            },
        ),
        "execution": (
            "jurist",
            {"closure_reason": ClosureReason.RECOVERED_FULL, "comment": "Tout est recouvré."},
        ),
        "amicable_sale": (
            "jurist",
            {
                "result": "recorded",
                "decided_on": days_ago(0),
                "court": "TJ de Laon",
                "price": "150 000,00",
                "buyer": "M. et Mme Acquéreur",
                "judgment": judgment(),
            },
        ),
        # The price consigned today, after the adjudication (the walk's dates set back).
        "forced_sale": ("jurist", {"paid_on": timezone.localdate().isoformat()}),
        "local_ordonnance": (
            "jurist",
            {
                "result": "ordered",
                "ordonnance_on": days_ago(20),
                "court": "Tribunal judiciaire de Strasbourg",
                "notaire": NOTAIRE,
                "notified_on": days_ago(18),
            },
        ),
        "local_inscription": ("jurist", {"inscribed_on": days_ago(15)}),
        "local_adjudication": (
            "jurist",
            {
                "cahier_on": days_ago(12),
                "adjudicated_on": days_ago(6),
                "notaire": NOTAIRE,
                "price": "172 000,00",
                "buyer": "SCI Petite France",
                "paid_on": days_ago(2),
            },
        ),
        "distribution": (
            "jurist",
            {
                "received_on": days_ago(0),
                "amount": "1 000,00",
                "closure_reason": ClosureReason.RECOVERED_PARTIAL,
                "comment": "Prix distribué.",
            },
        ),
    }[name]


def _adjudicate(j, users, case) -> None:
    """The adjudication at its hearing, which the price paid follows."""
    hearing = case.hearings.get(kind="adjudication", status=HearingStatus.SCHEDULED)
    data = {"hearing": hearing.pk, "price": "120 000,00", "buyer": "SCI Les Remparts"}
    j.side(users["jurist"], "forced_sale", "adjudication", data)


def _hold_a_hearing(j, users, case) -> None:
    jurist = users["jurist"]
    scheduled = {
        "court": "TJ de Laon",
        "scheduled_at": at_day(-3),
        "kind": "other",
        "purpose": "Plaidoiries",
    }
    j.side(jurist, "hearings", "hearing", scheduled)
    hearing = case.hearings.get(status=HearingStatus.SCHEDULED)
    j.side(jurist, "hearings", "held", {"hearing": hearing.pk})


@pytest.fixture
def case_at(users, submitted_case, journey):
    """A case whose only open step is `step`, reached with the legitimate users (the
    opinion written by `opinion_by`, the expert or the jurist)."""

    def make(step: str, *, opinion_by: str = "expert"):
        path = course_to_step(step)  # the shortest course of the process description
        collective = any((m.step, m.outcome) == OPENING for m in path.moves)
        extra = {"action_type": ActionType.objects.get(code="procedure_collective")}
        local = {"local_law": True} if path.local_law else {}
        case = submitted_case(path.mode, **(extra if collective else {}), **local)
        j = journey(case)
        moves = list(path.moves)
        sale = any(m.step == "appeal_decision" and m.outcome in ORIENTATION for m in moves)
        _set_back[0] = SALE_SET_BACK if sale else 0
        try:
            _walk(j, users, case, moves, opinion_by, collective, path.local_law)
        finally:
            _set_back[0] = 0
        if step == "hearings":
            _hold_a_hearing(j, users, case)  # what the deliberation needs
        if step == "forced_sale":
            _adjudicate(j, users, case)  # what the price paid needs
        assert open_step_names(case) == [step]
        return case

    def _walk(j, users, case, moves, opinion_by, collective, local_law) -> None:
        for index, move in enumerate(moves):
            done = move.step
            after = moves[index + 1] if index + 1 < len(moves) else None
            if (done, move.outcome) == OPENING:
                j.step(users["jurist"], done, {"choice": "none"})
                continue
            if (done, move.outcome) == ("receivability", "return"):
                j.step(
                    users["head"],
                    "receivability",
                    {"decision": "return", "grounds": ["pieces"], "missing": "Kbis"},
                )
                continue
            if (done, move.outcome) == ("assignment", "opinion"):
                given = "expert" if opinion_by == "expert" else "jurist"
                j.step(users["head"], "assignment", {given: users[opinion_by].pk})
                continue
            if PROCESS[done].outcomes[move.outcome].mode is None:  # else the mode decides
                ending = (LOCAL_ENDING if local_law else {}).get(done, ENDING[done])
                walked = APPEAL_CHOICE if done == "appeal_decision" else {ending: 0}
                assert move.outcome in walked, (move, ending)
            if done == "hearings":
                _hold_a_hearing(j, users, case)
            if done == "forced_sale":
                _adjudicate(j, users, case)
            who, data = completion(users, done, collective)
            if done == "decision" and after and after.outcome in ORIENTATION:
                data = {**data, **ORIENTATION[after.outcome](data["decided_on"])}
            if done == "appeal_decision":
                data = {"choice": APPEAL_CHOICE[move.outcome]}
            if local_law and done == "starting_act":
                data = {**LOCAL_STARTING_ACT, "signed_on": days_ago(25)}
            j.step(users[opinion_by if done == "write_opinion" else who], done, data)

    return make


# Trying a step as each role -------------------------------------------------------------


def snapshot(case: Case):
    """What a refused attempt must leave as it was."""
    return (
        Case.objects.values_list("status", "assigned_jurist_id", "assigned_expert_id").get(
            pk=case.pk
        ),
        list(
            Task.objects.filter(process__caseprocess__case=case)
            .order_by("pk")
            .values_list("pk", "status", "owner_id", "data")
        ),
        CaseEvent.objects.filter(case=case).count(),
    )


class Expectations:
    """Checks each role's outcome (the administrator, a superuser to whom Django grants
    every permission, included: it takes no step)."""

    def check(self, role: str, ok: bool, detail) -> None:
        assert ok, detail

    def finish(self) -> None:
        pass


def try_every_role(client, users, case, url, data, *, allowed, sees, then, expect):
    """Post the step's completion as every role, each in a savepoint rolled back after;
    `then` = (status, open steps) expected after a permitted completion."""
    before = snapshot(case)
    page = case.get_absolute_url()
    responses = {}
    for role in ROLES:
        payload = data() if callable(data) else data
        with transaction.atomic():
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            response = client.post(url, payload)
            fresh = Case.objects.get(pk=case.pk)
            moved = (fresh.status, open_step_names(fresh))
            changed = snapshot(case) != before
            transaction.set_rollback(True)
        responses[role] = response
        code = response.status_code
        if role == "anonymous":
            assert code == 302 and response["Location"].startswith(reverse("login"))
        elif role in allowed:
            assert (code, response.get("Location"), moved) == (302, page, then), role
        else:
            expected = 403 if role in sees else 404
            expect.check(role, (code, changed) == (expected, False), (role, code, changed))
    assert snapshot(case) == before
    return responses


def visible_to(case) -> set[str]:
    """The roles that see the case (every other one gets 404)."""
    hidden = OUT_OF_SCOPE | ({"expert"} if case.assigned_expert_id is None else set())
    return set(ROLE_KEYS) - hidden


def _after(step: str) -> tuple[str, list[str]]:
    """The status and open steps after `completion` of `step`, as the description says."""
    then = PROCESS[step].outcomes[ENDING[step]].then
    return outcome_status(step, ENDING[step]), [] if then == END else [then]


AFTER = {step: _after(step) for step in ENDING}
# Who each actor of the process description is, on this case (nobody on intake duty, the
# opinion given to the expert): the specification the pages are tried against.
ACTORS = {
    Actor.INTAKE: {"head"},
    Actor.HEAD: {"head"},
    Actor.REFERRER: REFERRERS,
    Actor.OPINION_AUTHOR: {"expert"},
    Actor.JURIST: {"jurist"},
}
ALLOWED = {
    step: ACTORS[PROCESS[step].actor] | ACTORS.get(PROCESS[step].also_by, set()) for step in ENDING
}


def test_the_steps_tried_are_those_of_the_process():
    """Every step ended from its page is tried (the completion ends elsewhere: below)."""
    assert set(ENDING) == {name for name, step in PROCESS.items() if not step.ended_elsewhere}


def check_step_page(client, users, url, *, allowed, sees, expect) -> None:
    """The step's page: those who see the case see the step; only those who may act are
    offered its form (or to take it), the others are told they cannot."""
    for role in ROLE_KEYS:
        client.force_login(users[role])
        response = client.get(url)
        if role not in sees:
            assert response.status_code == 404, role
            continue
        page = response.content.decode()
        offered = 'value="complete"' in page or "Prendre cette étape" in page
        refused = "Vous ne pouvez pas traiter cette étape." in page
        ok = response.status_code == 200 and offered == (role in allowed) and refused != offered
        expect.check(role, ok, (role, response.status_code, "offered" if offered else ""))


@pytest.mark.parametrize("step", list(ALLOWED))
def test_who_may_complete_each_step(client, users, case_at, step):
    case = case_at(step)
    url = reverse("workflows:task", args=[open_task(case, step).pk])
    expect = Expectations()
    common = {"allowed": ALLOWED[step], "sees": visible_to(case), "expect": expect}
    data = lambda: {"action": "complete", **completion(users, step)[1]}  # noqa: E731
    try_every_role(client, users, case, url, data, then=AFTER[step], **common)
    check_step_page(client, users, url, **common)
    expect.finish()


def test_an_opinion_given_to_a_jurist_is_written_by_that_jurist_only(client, users, case_at):
    case = case_at("write_opinion", opinion_by="jurist")
    task = open_task(case, "write_opinion")
    assert task.owner == users["jurist"] and case.assigned_expert is None
    url = reverse("workflows:task", args=[task.pk])
    expect = Expectations()
    common = {"allowed": {"jurist"}, "sees": visible_to(case), "expect": expect}
    data = {"action": "complete", **OPINION}
    try_every_role(client, users, case, url, data, then=AFTER["write_opinion"], **common)
    check_step_page(client, users, url, **common)
    expect.finish()


def _edit_page_data(client, user, case) -> dict:
    """The referral page's forms as the browser posts them back unchanged, to resubmit."""
    client.force_login(user)
    data = edit_page_data(client, reverse("cases:edit", args=[case.reference]))
    return {**data, "action": "submit", "confirm_duplicate": "1"}


def test_completion_is_finished_by_the_referring_side_resubmitting(client, users, case_at):
    case = case_at("completion")
    assert case.status == S.RETURNED
    task = open_task(case, "completion")
    data = _edit_page_data(client, users["poste_agent"], case)
    expect = Expectations()
    responses = try_every_role(
        client,
        users,
        case,
        reverse("cases:edit", args=[case.reference]),
        data,
        allowed=REFERRERS,
        sees=visible_to(case),
        then=(S.SUBMITTED, ["receivability"]),
        expect=expect,
    )
    assert "ne peut plus être modifié par vous" in responses["jurist"].content.decode()
    # The step's page sends the referring side to the referral page; the others see the
    # step and that they cannot do it.
    url = reverse("workflows:task", args=[task.pk])
    for role in ROLE_KEYS:
        client.force_login(users[role])
        response = client.get(url)
        if role in REFERRERS:
            assert response.status_code == 302, role
            assert response["Location"] == reverse("cases:edit", args=[case.reference])
        elif role in visible_to(case):
            refused = "Vous ne pouvez pas traiter cette étape." in response.content.decode()
            expect.check(role, response.status_code == 200 and refused, (role, response))
        else:
            assert response.status_code == 404, role
    expect.finish()


def test_completion_step_cannot_be_posted_to(client, users, case_at):
    """The completion step has no form (it ends by resubmitting the referral): posting to
    it does not crash, nor finish it."""
    case = case_at("completion")
    task = open_task(case, "completion")
    before = snapshot(case)
    client.force_login(users["poste_agent"])
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "complete"})
    assert response.status_code < 500
    assert snapshot(case) == before


# Receivability: the head, and jurists on intake duty -------------------------------------


def _grant_intake(user) -> None:
    user.user_permissions.add(
        Permission.objects.get(codename="intake", content_type__app_label="workflows")
    )


def test_a_jurist_given_intake_duty_examines_receivability(client, users, submitted_case):
    case = submitted_case()
    task = open_task(case, "receivability")
    queue = reverse("workflows:queue")
    client.force_login(users["jurist"])
    assert case.reference not in client.get(queue).content.decode()

    _grant_intake(users["jurist"])
    page = client.get(queue).content.decode()
    assert case.reference in page and "Examiner la recevabilité" in page
    expect = Expectations()
    try_every_role(
        client,
        users,
        case,
        reverse("workflows:task", args=[task.pk]),
        {"action": "complete", "decision": "accept"},
        allowed={"head", "jurist"},
        sees=visible_to(case),
        then=AFTER["receivability"],
        expect=expect,
    )
    client.force_login(users["jurist"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Traiter l'étape" in page
    assert reverse("workflows:task", args=[task.pk]) in page
    expect.finish()


# Task lists and the header --------------------------------------------------------------


def _header_counts(page: str) -> str:
    """The header's badge: the user's steps to do, and those waiting in their queues."""
    marker = "data-task-counts>"
    start = page.index(marker) + len(marker)
    return page[start : page.index("</span>", start)]


def test_queue_lists_receivability_for_the_head_only(client, users, submitted_case):
    case = submitted_case()
    queue = reverse("workflows:queue")
    client.force_login(users["head"])
    page = client.get(queue).content.decode()
    assert case.reference in page and "Examiner la recevabilité" in page
    assert reverse("workflows:take", args=[open_task(case).pk]) in page
    assert _header_counts(page) == "0 à traiter · 1 à prendre"
    for role in ("jurist", "direction_agent", "poste_agent"):
        client.force_login(users[role])
        page = client.get(queue).content.decode()
        assert case.reference not in page, role
        assert _header_counts(page) == "0 à traiter · 0 à prendre", role


def test_the_queue_comes_a_page_at_a_time_the_oldest_first(
    client, users, submitted_case, monkeypatch
):
    from workflows import views

    monkeypatch.setattr(views, "TASKS_PER_PAGE", 2)
    cases = [submitted_case() for _ in range(3)]
    client.force_login(users["head"])
    first = client.get(reverse("workflows:queue")).content.decode()
    assert cases[0].reference in first and cases[1].reference in first
    assert cases[2].reference not in first and "Page 1 / 2" in first
    assert _header_counts(first) == "0 à traiter · 3 à prendre"  # all, not the page
    second = client.get(reverse("workflows:queue"), {"page": 2}).content.decode()
    assert cases[2].reference in second and cases[0].reference not in second


def test_inbox_of_the_assigned_jurist_lists_their_step(client, users, case_at):
    case = case_at("mandate_lawyer")
    inbox = reverse("workflows:inbox")
    client.force_login(users["jurist"])
    page = client.get(inbox).content.decode()
    assert case.reference in page and "Mandater un avocat" in page
    assert _header_counts(page) == "1 à traiter · 0 à prendre"
    assert "Mes tâches (1)" in page
    client.force_login(users["other_jurist"])
    page = client.get(inbox).content.decode()
    assert case.reference not in page
    assert _header_counts(page) == "0 à traiter · 0 à prendre"
    client.force_login(users["head"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert _header_counts(page) == "0 à traiter · 0 à prendre"


def test_no_task_counts_for_management_and_administrators(client, users, submitted_case):
    submitted_case()
    for role in ("management", "admin"):
        client.force_login(users[role])
        assert "data-task-counts" not in client.get(reverse("cases:list")).content.decode()


# What a refused jurist is told ----------------------------------------------------------


def test_another_jurist_cannot_record_a_hearing_on_a_step_given_to_a_colleague(
    client, users, case_at
):
    case = case_at("hearings")
    task = open_task(case, "hearings")
    before = snapshot(case)
    client.force_login(users["other_jurist"])
    response = client.post(
        reverse("workflows:side_action", args=[task.pk, "hearing"]),
        {"court": "TJ de Laon", "scheduled_at": at_day(3), "kind": "other", "purpose": "Renvoi"},
    )
    assert response.status_code in (403, 409)
    assert "confiée à" in response.content.decode()
    assert snapshot(case) == before


def test_another_jurist_is_told_who_holds_the_step(client, users, case_at):
    case = case_at("mandate_lawyer")
    client.force_login(users["other_jurist"])
    response = client.post(
        reverse("workflows:task", args=[open_task(case).pk]),
        {"action": "complete", **completion(users, "mandate_lawyer")[1]},
    )
    assert response.status_code == 403
    assert f"confiée à {users['jurist']}" in response.content.decode()


def test_the_administrator_takes_no_step(client, users, case_at):
    """The administrator reads every case but acts on none (as in the lifecycle)."""
    case = case_at("follow_up")
    task = open_task(case, "follow_up")
    before = snapshot(case)
    client.force_login(users["admin"])
    client.post(reverse("workflows:take", args=[task.pk]))
    client.post(
        reverse("workflows:task", args=[task.pk]),
        {"action": "complete", **completion(users, "follow_up")[1]},
    )
    assert snapshot(case) == before
