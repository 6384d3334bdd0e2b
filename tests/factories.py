"""factory_boy factories. Cases are created as drafts and moved on the way production
moves them: `CaseFactory(to=<status>)` submits the referral and takes the pôle's steps
through `workflows.services` (the course `workflows.process.course` gives), so the case
has its process and open step, and what those steps recorded (mandate, starting act,
hearing, decision, appeal deadline, documents requested…).

`CaseFactory(to=<status>, lifecycle_only=True)` is the fast path for tests of the
lifecycle alone: the same course's transitions fired directly, with the history they
write, but no process and none of the steps' records."""

import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases import services
from cases.decisions import awards_money
from cases.enums import (
    CaseStatus,
    ClaimNature,
    ClosureReason,
    DebtorKind,
    DecisionOutcome,
    HearingKind,
    HearingStatus,
    Mode,
    PieceKind,
    Role,
    StartingActCheck,
    TaxKind,
)
from cases.forms import referral_form_data
from cases.lifecycle import CaseLifecycle
from cases.models import (
    ActionType,
    Case,
    Claim,
    Debtor,
    Direction,
    Lawyer,
    ManagerTarget,
    PosteComptable,
    PropertyTarget,
    ThirdPartyHolderTarget,
    User,
)
from cases.parties import NEEDED, missing_parties
from cases.pieces import sample_pdf
from deadlines.saisie_calendar import non_sitting_day
from deadlines.services import sitting_day_on_or_before
from workflows import services as workflow
from workflows.process import PROCESS, Actor, Course, course, course_to_step
from workflows.steps import STEPS

S = CaseStatus

TRANSITION_KWARGS = {
    "return_for_completion": {"reason": "Il manque l'état hypothécaire à jour."},
    "decline": {"reason": "Enjeu trop faible au regard du coût de la procédure."},
    "appeal": {"reason": "Appel interjeté par le redevable."},
    "close": {"reason": "Créance soldée.", "closure_reason": ClosureReason.RECOVERED_FULL},
    "end_support": {"reason": "Commandement puis saisie conseillés."},
}


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.JURIST
    password = factory.django.Password("demo")

    class Params:
        poste_agent = factory.Trait(
            role=Role.POSTE_AGENT,
            poste_comptable=factory.LazyFunction(lambda: PosteComptable.objects.get(pk=1)),
            direction=factory.SelfAttribute("poste_comptable.direction"),
        )
        direction_agent = factory.Trait(
            role=Role.DIRECTION_AGENT,
            direction=factory.LazyFunction(lambda: Direction.objects.get(code="DDFIP 02")),
        )
        head = factory.Trait(role=Role.HEAD)


class DebtorFactory(DjangoModelFactory):
    class Meta:
        model = Debtor

    kind = DebtorKind.LEGAL
    name = factory.Sequence(lambda n: f"SARL BÂTIMENT {n}")
    siren = "552100554"


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    tax = TaxKind.TVA
    nature = ClaimNature.IMPOT_AMR
    period = "2023"
    assessment_date = datetime.date(2024, 3, 15)
    principal = Decimal("80000.00")
    penalties = Decimal("8000.00")
    remaining = Decimal("88000.00")


def _head() -> User:
    return UserFactory(username="factory.head", role=Role.HEAD)


def _jurist() -> User:
    return UserFactory(username="factory.jurist", role=Role.JURIST)


def course_to(status: str, mode: str) -> Course:
    found = course(status, mode)
    if found is None:
        raise ValueError(f"A case of mode {mode} never reaches {status}.")
    return found


class CaseFactory(DjangoModelFactory):
    """A saisie immobilière referred by DDFIP 02's first poste comptable.

    `complete=True` adds a claim, the target and the required pieces; `to=<status>`
    (implies complete) brings it there through the real operations (`bring_to`), or with
    `lifecycle_only=True` through the lifecycle's transitions alone. A status the default
    mode (prise en charge) never reaches is reached in the first mode that does."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    direction = factory.LazyFunction(lambda: Direction.objects.get(code="DDFIP 02"))
    poste_comptable = factory.LazyAttribute(lambda o: o.direction.postes.order_by("pk").first())
    mode = Mode.PRISE_EN_CHARGE
    action_type = factory.LazyFunction(lambda: ActionType.objects.get(code="saisie_immobiliere"))
    debtor = factory.SubFactory(DebtorFactory)
    facts = "Redevable défaillant depuis 2022 ; propriétaire d'un local commercial."
    request = "Engager la saisie immobilière du local."
    created_by = factory.LazyAttribute(
        lambda o: UserFactory(
            username=f"referrer.{o.poste_comptable.codique}",
            role=Role.POSTE_AGENT,
            poste_comptable=o.poste_comptable,
            direction=o.direction,
        )
    )

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        complete=False,
        to=None,
        lifecycle_only=False,
        local_law=False,
        **kwargs,
    ):
        target = S(to) if to else None
        default = kwargs["mode"] == Mode.PRISE_EN_CHARGE
        before = (None, S.DRAFT, S.DISCARDED)  # no process yet
        if target not in before and default and course(target, kwargs["mode"]) is None:
            # the declared default cannot reach every status
            kwargs["mode"] = next(m for m in Mode if course(target, m) is not None)
        found = course(target, kwargs["mode"]) if target not in before else None
        if found is not None and found.local_law:
            local_law = True  # a status only Alsace-Moselle's local procedure reaches
        case = super()._create(model_class, *args, **kwargs)
        if complete or target:
            complete_referral(case, local_law=local_law)
        if target in (None, S.DRAFT):
            return case
        if target == S.DISCARDED:  # a draft its author deleted, before any process
            services.discard_draft(case.created_by, case)
            return case
        if lifecycle_only:
            fire_course(case, course_to(target, case.mode))
        else:
            bring_to(case, target)
        return case


# Walking the process -----------------------------------------------------------------


def fire_course(case: Case, path: Course) -> None:
    """The course's transitions alone (the fast path), each by the side that takes its
    step."""
    fired = [("submit", case.created_by)] + [
        (m.transition, case.created_by if PROCESS[m.step].actor == Actor.REFERRER else _head())
        for m in path.moves
        if m.transition
    ]
    for name, actor in fired:
        getattr(CaseLifecycle(case, actor), name)(**TRANSITION_KWARGS.get(name, {}))


def actor_for(case: Case, actor: Actor) -> User:
    """Who takes a step of `actor` on this case in the factories' walks."""
    if actor in (Actor.INTAKE, Actor.HEAD):
        return _head()
    if actor == Actor.REFERRER:
        return case.created_by
    if actor == Actor.OPINION_AUTHOR:
        return case.assigned_expert or case.assigned_jurist
    return case.assigned_jurist


def sitting_moment(days: int, hour: int = 9, departement: str = "02") -> str:
    """A hearing's moment `days` from today on a day the court sits: moved back for a
    past day, forward for a future one (a court does not sit on Saturdays, Sundays and
    public holidays)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    step = datetime.timedelta(days=-1 if days <= 0 else 1)
    while non_sitting_day(day, departement):
        day += step
    return f"{day.isoformat()}T{hour:02d}:30"


# Days every step's dates are set back by while a walk takes a case to the sale of a
# saisie immobilière: its adjudication hearing, two to four months after the orientation
# judgment (CPCE R.322-26), must have been held by today for the adjudication to be
# recorded.
SALE_SET_BACK = 150
_set_back = [0]


def _sitting_day(case: Case, offset: int) -> str:
    """`offset` days from today, moved back to a day the court sits."""
    day = timezone.localdate() + datetime.timedelta(days=offset - _set_back[0])
    return sitting_day_on_or_before(case, day).isoformat()


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset - _set_back[0])).isoformat()


def _moment_after(case: Case, start: str, days: int) -> str:
    """A hearing `days` after the date `start` (ISO), moved back to a day the court sits."""
    day = datetime.date.fromisoformat(start) + datetime.timedelta(days=days)
    return f"{sitting_day_on_or_before(case, day).isoformat()}T09:30"


def _judgment() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def _assignee(case: Case) -> int:
    return (case.assigned_jurist or _jurist()).pk


# The risk grid an opinion fills (cases.risk_grid), as the step's form posts it.
RISK_GRID = {
    "solvency_risk": "medium",
    "solvency_comment": "Revenus fonciers réguliers, comptes peu approvisionnés.",
    "assets_risk": "low",
    "assets_comment": "Immeuble libre de toute inscription.",
    "collective_risk": "low",
    "collective_comment": "Aucune procédure ouverte ni cessation des paiements connue.",
    "prescription_risk": "low",
    "prescription_comment": "Prescription la plus proche dans trois ans.",
    "cost_risk": "medium",
    "cost_comment": "Frais estimés à 8 000 € pour 95 000 € de créances.",
}
OPINION = {
    "conclusion": "favourable",
    "reasons": "Patrimoine immobilier libre d'hypothèque ; créances non prescrites.",
    "risk_level": "low",
    "risk_assessment": "Bien estimé à 180 000 € pour 95 000 € de créances.",
    **RISK_GRID,
}
APPEAL = {"lodged_on": _day(0), "court": "Cour d'appel d'Amiens", "grounds": "Erreur de droit."}
POURVOI = {"lodged_on": _day(0), "court": "Cour de cassation", "grounds": "Violation de la loi."}
RENVOI = {
    "lodged_on": _day(0),
    "court": "Cour d'appel de Douai (renvoi après cassation)",
    "grounds": "Saisine sur renvoi : confirmation du jugement.",
}
OPPOSITION = {
    "lodged_on": _day(0),
    "court": "Tribunal judiciaire de Laon",
    "grounds": "Défaut de citation à personne.",
}


def _opening(case: Case, **fields) -> dict:
    """Make the case's last decision one that opens a pourvoi (`instance="appeal"`) or an
    opposition (`by_default=True`); nothing to add to the form's data."""
    decision = case.decisions.order_by("-decided_on", "-pk").first()
    type(decision).objects.filter(pk=decision.pk).update(**fields)
    return {}


def _collective_assignation(case: Case) -> dict:
    """An assignation to open collective proceedings: a trading company of Laon, before
    the tribunal de commerce (C. com. L.621-2), jointly with the URSSAF."""
    if case.action_type.code != COLLECTIVE_ACTION:
        return {}
    return {
        "kind": "assignation",
        "court": "",
        "debtor_activity": "commercial",
        "court_seat": "Laon",
        "co_plaintiff": "URSSAF de Picardie",
    }


LOCAL_COURT = "Tribunal judiciaire de Strasbourg (exécution forcée immobilière)"
NOTAIRE = "Me Anne Muller, notaire à Strasbourg"

# A valid completion of each step for each of its endings: case -> (POST data, FILES).
COMPLETIONS = {
    ("receivability", "accept"): lambda c: ({"decision": "accept"}, {}),
    ("receivability", "return"): lambda c: (
        {
            "decision": "return",
            "grounds": ["pieces"],
            "missing": TRANSITION_KWARGS["return_for_completion"]["reason"],
        },
        {},
    ),
    ("receivability", "decline"): lambda c: (
        {"decision": "decline", "reason": TRANSITION_KWARGS["decline"]["reason"]},
        {},
    ),
    ("assignment", "opinion"): lambda c: ({"jurist": _assignee(c)}, {}),
    ("assignment", "support"): lambda c: ({"jurist": _assignee(c)}, {}),
    ("assignment", "takeover"): lambda c: ({"jurist": _assignee(c)}, {}),
    ("write_opinion", "submit"): lambda c: (OPINION, {}),
    ("validate_opinion", "validate"): lambda c: ({"decision": "validate"}, {}),
    ("validate_opinion", "return"): lambda c: (
        {"decision": "return", "comments": "Chiffrez le risque."},
        {},
    ),
    ("follow_up", "takeover_requested"): lambda c: (
        {"follow": "followed", "takeover_requested": "on"},
        {},
    ),
    ("follow_up", "no_takeover"): lambda c: ({"follow": "not_followed"}, {}),
    ("takeover_decision", "accept"): lambda c: (
        {"decision": "accept", "jurist": _assignee(c)},
        {},
    ),
    ("takeover_decision", "refuse"): lambda c: (
        {"decision": "refuse", "reason": "Enjeu trop faible."},
        {},
    ),
    ("support", "close"): lambda c: (
        {"summary": TRANSITION_KWARGS["end_support"]["reason"]},
        {},
    ),
    ("mandate_lawyer", "mandate"): lambda c: (
        {
            "lawyer": Lawyer.objects.filter(active=True).order_by("pk").first().pk,
            "mandated_on": _day(-30),
        },
        {},
    ),
    ("starting_act", "engage"): lambda c: (
        {
            "kind": "commandement",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": _day(-25),
            "served_on": _day(-20),
            # The mentions the action's law asks of its assignation (CPC 1360), confirmed.
            "checks": [
                code
                for code in (c.action_type.starting_act_checks if c.action_type_id else [])
                if code != StartingActCheck.PUBLICATION
            ],
            **_collective_assignation(c),
        },
        {},
    ),
    # Alsace-Moselle: the requête to the tribunal de l'exécution (loi du 1er juin 1924).
    ("starting_act", "engage_local"): lambda c: (
        {
            "kind": "requete",
            "court": LOCAL_COURT,
            "signed_on": _day(-25),
            "served_on": "",
        },
        {},
    ),
    ("local_ordonnance", "ordered"): lambda c: (
        {
            "result": "ordered",
            "ordonnance_on": _day(-20),
            "court": LOCAL_COURT,
            "notaire": NOTAIRE,
            "notified_on": _day(-18),
        },
        {},
    ),
    ("local_ordonnance", "rejected"): lambda c: (
        {
            "result": "rejected",
            "ordonnance_on": _day(-20),
            "court": LOCAL_COURT,
            "reason": "Copie du livre foncier trop ancienne.",
        },
        {},
    ),
    ("local_inscription", "inscribed"): lambda c: ({"inscribed_on": _day(-15)}, {}),
    ("local_adjudication", "adjudicated"): lambda c: (
        {
            "cahier_on": _day(-12),
            "adjudicated_on": _day(-6),
            "notaire": NOTAIRE,
            "price": "172 000,00",
            "buyer": "SCI Petite France",
            "paid_on": _day(-2),
        },
        {},
    ),
    ("hearings", "deliberation"): lambda c: ({"deliberation_on": _day(-2)}, {}),
    ("decision", "decided"): lambda c: (
        {
            "result": "decided",
            "decided_on": _day(-1),
            "court": "Tribunal judiciaire de Laon",
            "outcome": "granted",
            # Issue 17: an amount only where the procedure awards money.
            "amount_awarded": "80 000,00" if awards_money(c.action_type.code, "granted") else "",
            "notified_on": _day(-1),
        },
        {"judgment": _judgment()},
    ),
    ("decision", "reopened"): lambda c: ({"result": "reopened", "reason": "Pièce nouvelle."}, {}),
    # Issue 17: a caducité extinguishes the instance (CPC 385).
    ("decision", "caducite"): lambda c: (
        {
            "result": "decided",
            "decided_on": _day(-1),
            "court": "Tribunal judiciaire de Laon",
            "outcome": "caducite",
        },
        {"judgment": _judgment()},
    ),
    # Issue 17: a radiation suspends the instance (CPC 381).
    ("decision", "radiation"): lambda c: (
        {
            "result": "decided",
            "decided_on": _day(-1),
            "court": "Tribunal judiciaire de Laon",
            "outcome": "radiation",
        },
        {"judgment": _judgment()},
    ),
    ("appeal_decision", "pole_appeal"): lambda c: ({"choice": "pole", **APPEAL}, {}),
    ("appeal_decision", "opponent_appeal"): lambda c: ({"choice": "opponent", **APPEAL}, {}),
    ("appeal_decision", "no_appeal"): lambda c: ({"choice": "none"}, {}),
    ("appeal_decision", "no_appeal_opening"): lambda c: ({"choice": "none"}, {}),
    ("declare_claim", "declared"): lambda c: (
        {
            "bodacc_on": _day(-1),
            "mandataire": "SELARL Mandataires de l'Aisne",
            "declared_on": _day(0),
            "amount": "88 000,00",
        },
        {},
    ),
    # Issue 17: a pourvoi against an appeal's decision, an opposition against a default
    # judgment: the last decision is made one that opens them.
    ("appeal_decision", "pole_pourvoi"): lambda c: (
        {"choice": "pole_pourvoi", **_opening(c, instance="appeal"), **POURVOI},
        {},
    ),
    ("appeal_decision", "opponent_pourvoi"): lambda c: (
        {"choice": "opponent_pourvoi", **_opening(c, instance="appeal"), **POURVOI},
        {},
    ),
    ("appeal_decision", "opposition"): lambda c: (
        {"choice": "opposition", **_opening(c, by_default=True), **OPPOSITION},
        {},
    ),
    # After a cassation avec renvoi (CPC 626), the juridiction de renvoi seized (CPC 1032).
    ("appeal_decision", "pole_renvoi"): lambda c: (
        {
            "choice": "pole_renvoi",
            **_opening(c, instance="cassation", outcome="cassation_granted", amount_awarded=None),
            **RENVOI,
        },
        {},
    ),
    ("appeal_decision", "opponent_renvoi"): lambda c: (
        {
            "choice": "opponent_renvoi",
            **_opening(c, instance="cassation", outcome="cassation_granted", amount_awarded=None),
            **RENVOI,
        },
        {},
    ),
    ("execution", "close"): lambda c: (
        {"closure_reason": ClosureReason.RECOVERED_FULL, "comment": "Créance soldée."},
        {},
    ),
    # Saisie immobilière, after the orientation judgment
    ("appeal_decision", "forced_sale"): lambda c: ({"choice": "forced_sale"}, {}),
    ("appeal_decision", "amicable_sale"): lambda c: ({"choice": "amicable_sale"}, {}),
    ("appeal_decision", "suspended"): lambda c: ({"choice": "suspended"}, {}),
    ("amicable_sale", "sale_recorded"): lambda c: (
        {
            "result": "recorded",
            "decided_on": _recall_day(c),
            "court": "Tribunal judiciaire de Laon",
            "price": "160 000,00",
            "buyer": "M. et Mme Acquéreur",
        },
        {"judgment": _judgment()},
    ),
    ("amicable_sale", "forced_sale"): lambda c: (
        {
            "result": "forced",
            "decided_on": _recall_day(c),
            "court": "Tribunal judiciaire de Laon",
            "adjudication_at": _moment_after(c, _recall_day(c), 70),
        },
        {"judgment": _judgment()},
    ),
    ("forced_sale", "price_paid"): lambda c: ({"paid_on": _paid_day(c)}, {}),
    ("distribution", "close"): lambda c: (
        {
            "received_on": _day(0),
            "amount": "95 000,00",
            "closure_reason": ClosureReason.RECOVERED_FULL,
            "comment": "Prix distribué : le Trésor, premier rang, est payé.",
        },
        {},
    ),
}


def _recall_day(case: Case) -> str:
    """The day of the amicable sale's recall hearing (or today): its judgment's."""
    recall = case.hearings.filter(kind=HearingKind.VENTE_AMIABLE).order_by("-scheduled_at").first()
    day = timezone.localdate(recall.scheduled_at) if recall else timezone.localdate()
    return min(day, timezone.localdate()).isoformat()


def _paid_day(case: Case) -> str:
    """A month after the standing adjudication (R.322-56: within two months), by today."""
    sale = case.sales.standing().order_by("-sold_on").first()
    day = sale.sold_on + datetime.timedelta(days=30) if sale else timezone.localdate()
    return min(day, timezone.localdate()).isoformat()


# What the orientation judgment says when the walk goes on to one of its sequels: the
# ending of the appeal step that follows the decision -> the decision's fields.
ORIENTATION = {
    "forced_sale": lambda c, decided: {
        "outcome": "vente_forcee",
        "adjudication_at": _moment_after(c, decided, 70),
    },
    "amicable_sale": lambda c, decided: {
        "outcome": "vente_amiable",
        "recall_at": _moment_after(c, decided, 60),
    },
    "suspended": lambda c, decided: {"outcome": "suspension"},
}
# What a side action a step `needs` is given: case -> POST data.
SIDE_ACTIONS = {
    "hearing": lambda c: {
        "court": "Tribunal judiciaire de Laon",
        "scheduled_at": f"{_sitting_day(c, -10)}T09:30",
        "kind": HearingKind.PLAIDOIRIE,
        "purpose": "Plaidoiries",
    },
    "held": lambda c: {"hearing": c.hearings.filter(status=HearingStatus.SCHEDULED).first().pk},
    "adjudication": lambda c: {
        "hearing": c.hearings.filter(kind=HearingKind.ADJUDICATION, status=HearingStatus.SCHEDULED)
        .order_by("scheduled_at")
        .first()
        .pk,
        "price": "150 000,00",
        "buyer": "SCI Les Remparts",
    },
    # Issue 17: the party the action needs before its starting act (cases.parties.NEEDED).
    "party": lambda c: {
        "role": NEEDED[c.action_type.code].role,
        "name": "M. Jean DUPONT",
        "residence": "metropole",
    },
}


def _valid(form_class, data, files, case: Case, user: User):
    form = form_class(data, files, case=case, user=user)
    if not form.is_valid():
        raise AssertionError(f"{form_class.__name__}: {form.errors.as_data()}")
    return form.cleaned_data


def side_action(case: Case, step: str, action: str, data: dict | None = None) -> None:
    """Run a side action of the open `step` as the one who takes it."""
    user = actor_for(case, PROCESS[step].actor)
    data = SIDE_ACTIONS[action](case) if data is None else data
    cleaned = _valid(STEPS[step].side_actions[action].form_class, data, {}, case, user)
    (task,) = workflow.active_tasks(case)
    workflow.run_side_action(task.pk, user, action, cleaned)


def take_step(
    case: Case,
    step: str,
    outcome: str,
    overrides: dict | None = None,
    *,
    then: str | None = None,
) -> Case:
    """Finish the open `step` with `outcome` as the one who takes it (after the side
    actions the step needs), through `workflows.services` as the step page does
    (`overrides`: values changed in its completion). `then`: the ending the next step
    takes, when the decision must say what leads there (the orientation judgment of a
    saisie immobilière)."""
    (task,) = workflow.active_tasks(case)
    assert task.flow_task.name == step, (task.flow_task.name, step)
    if PROCESS[step].ended_elsewhere:  # the completion: the referral is resubmitted
        services.submit_referral(case.created_by, case, confirm_duplicate=True)
    else:
        for action in PROCESS[step].needs:
            side_action(case, step, action)
        if step == "starting_act" and missing_parties(case):  # issue 17
            side_action(case, step, "party")
        user = actor_for(case, PROCESS[step].actor)
        data, files = COMPLETIONS[(step, outcome)](case)
        data = {**data, **(overrides or {})}
        if step == "decision" and then in ORIENTATION:
            data = {**data, "amount_awarded": "", **ORIENTATION[then](case, data["decided_on"])}
        cleaned = _valid(STEPS[step].form_class, data, files, case, user)
        workflow.complete_task(task.pk, user, cleaned, data)
    case.refresh_from_db()
    return case


def follow(case: Case, path: Course, *, stop_before: int | None = None) -> Case:
    """Submit a complete draft and take the course's steps (the first `stop_before`)."""
    services.submit_referral(case.created_by, case, confirm_duplicate=True)
    case.refresh_from_db()
    sale = any(m.step == "appeal_decision" and m.outcome in ORIENTATION for m in path.moves)
    _set_back[0] = SALE_SET_BACK if sale else 0
    try:
        moves = path.moves[:stop_before]
        for index, move in enumerate(moves):
            after = path.moves[index + 1] if index + 1 < len(path.moves) else None
            then = after.outcome if after and after.step == "appeal_decision" else None
            take_step(case, move.step, move.outcome, _overrides(path, index), then=then)
    finally:
        _set_back[0] = 0
    return case


# Collective proceedings: a course on to the declaration of the claim is that of an
# assignation to open them (`COLLECTIVE_ACTION`), whose decision opens a liquidation.
COLLECTIVE_ACTION = "procedure_collective"
OPENING = ("appeal_decision", "no_appeal_opening")


def opens_proceedings(path: Course) -> bool:
    return any((m.step, m.outcome) == OPENING for m in path.moves)


def _overrides(path: Course, index: int) -> dict:
    following = path.moves[index + 1] if index + 1 < len(path.moves) else None
    if following and (following.step, following.outcome) == OPENING:
        return {"outcome": DecisionOutcome.OPENING_LJ}
    return {}


def bring_to(case: Case, status: str) -> Case:
    """Submit a complete draft and take the pôle's steps until the case has `status`."""
    return follow(case, course_to(status, case.mode))


def case_at_step(step: str, mode: str | None = None, **kwargs) -> Case:
    """A case (of `mode`, or the first mode that gets there) whose open step is `step`,
    reached by the shortest course."""
    path = course_to_step(step, mode)
    if path is None:
        raise ValueError(f"A case of mode {mode} never reaches the step {step}.")
    if opens_proceedings(path) and "action_type" not in kwargs:
        kwargs["action_type"] = ActionType.objects.get(code=COLLECTIVE_ACTION)
    kwargs["local_law"] = kwargs.get("local_law") or path.local_law
    return follow(CaseFactory(complete=True, mode=path.mode, **kwargs), path)


def case_for_ending(step: str, outcome: str, mode: str | None = None, **kwargs) -> Case:
    """A case at `step` that can end with `outcome`: the step's shortest course, but for an
    ending the case's records decide (no appeal of an opening judgment: the course on to
    the declaration of the claim, stopped at the step)."""
    if (step, outcome) == ("decision", "caducite"):
        # A saisie's caducité (of its commandement, CPCE R.311-11) is a judgment open to
        # appeal; the instance that lapses is another action's (CPC 385, 406-407).
        kwargs.setdefault("action_type", ActionType.objects.get(code="solidarite_dirigeant"))
    if PROCESS[step].outcomes[outcome].local_law:  # Alsace-Moselle's local procedure
        kwargs["local_law"] = True
    if (step, outcome) != OPENING:
        return case_at_step(step, mode, **kwargs)
    path = course_to_step("declare_claim", mode)
    kwargs.setdefault("action_type", ActionType.objects.get(code=COLLECTIVE_ACTION))
    case = CaseFactory(complete=True, mode=path.mode, **kwargs)
    return follow(case, path, stop_before=-1)


def complete_referral(case: Case, *, local_law: bool = False) -> Case:
    """Add what the case's action needs to be submitted; `local_law`: its property in
    Strasbourg (Bas-Rhin), with its livre foncier references and extract (a saisie
    immobilière there follows the loi du 1er juin 1924)."""
    ClaimFactory(case=case)
    kind = case.action_type.target_kind
    if kind == "property" and local_law:
        PropertyTarget.objects.create(
            case=case,
            address="4 rue des Orfèvres",
            postal_code="67000",
            commune="Strasbourg",
            departement="67",
            cadastral_section="NE",
            cadastral_number="87",
            **LAND_REGISTER,
        )
    elif kind == "property":
        PropertyTarget.objects.create(
            case=case,
            address="12 rue des Tanneurs",
            postal_code="02000",
            commune="Laon",
            departement="02",
            cadastral_section="AB",
            cadastral_number="142",
        )
    elif kind == "manager":
        ManagerTarget.objects.create(case=case, last_name="Durand", first_name="Paul")
    elif kind == "third_party":
        ThirdPartyHolderTarget.objects.create(
            case=case,
            name="Banque du Nord",
            satd_date=datetime.date(2025, 5, 2),
            satd_amount=Decimal("15000"),
        )
    for code in case.action_type.pieces_required(local_law=local_law):
        services.add_piece_bytes(
            case.created_by, case, code, f"{code}.pdf", sample_pdf(PieceKind(code).label)
        )
    return case


# The keys of the `users` fixture (tests/conftest.py): one user per role.
ROLE_KEYS = [
    "poste_agent",
    "other_poste_agent",
    "direction_agent",
    "other_direction_agent",
    "jurist",
    "other_jurist",
    "head",
    "expert",
    "management",
    "management_d02",
    "management_d67",
    "admin",
]


def referral_claim(**overrides) -> dict:
    return {
        "tax": "TVA",
        "nature": "impot_amr",
        "period": "2023",
        "assessment_date": "2024-03-15",
        "principal": "100 000,00",
        "penalties": "10 000",
        "remaining": "110 000,00",
        **overrides,
    }


# The livre foncier's references a property in Moselle, Bas-Rhin or Haut-Rhin needs.
LAND_REGISTER = {
    "land_register_commune": "Strasbourg",
    "land_register_section": "NE",
    "land_register_sheet": "12345",
}


def referral_property(**overrides) -> dict:
    return {
        "address": "12 rue des Tanneurs",
        "postal_code": "02000",
        "commune": "Laon",
        "departement": "02",
        "cadastral_section": "AB",
        "cadastral_number": "142",
        **overrides,
    }


def referral_data(debtor=None, claim=None, prop=None, holders=()) -> dict:
    """POST data of a complete saisie immobilière referral by the SIE de Laon (no pieces)."""
    return referral_form_data(
        case={
            "mode": "prise_en_charge",
            "action_type": ActionType.objects.get(code="saisie_immobiliere").pk,
            "poste_comptable": PosteComptable.objects.get(name="SIE de Laon").pk,
            "facts": "Redevable défaillant ; local commercial libre d'hypothèque.",
            "request": "Engager la saisie immobilière.",
        },
        debtor={
            "kind": "legal",
            "name": "SARL LES TANNEURS",
            "siren": "552100554",
            **(debtor or {}),
        },
        claims=[referral_claim(**(claim or {}))],
        properties=[referral_property(**(prop or {}))],
        holders=list(holders),
    )


def edit_page_data(client, url: str) -> dict:
    """The referral page's forms (at `url`) as the browser posts them back unchanged."""
    page = client.get(url)
    forms = page.context["forms"]
    data = {"version": page.context["version"]}  # the hidden field: the version loaded
    for form in [forms.case_form, forms.debtor_form]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
    for formset in forms.formsets:
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.initial_forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    data[form.add_prefix(name)] = value.pk if hasattr(value, "pk") else value
    return data
