"""The pôle's process, described once.

For each step: its title, who takes it, and the ways it can end. An ending (`Outcome`)
names the case lifecycle transition it fires (none: the status stays), the step that
follows, the mode of case it is for (the assignment routes by mode), whether it is for a
saisie immobilière under the local law of Alsace-Moselle or for any other case (the
starting act routes by the property's law) and what it records besides its history entry
(rows, and documents requested).

Who reads it:
- `workflows.flows` builds the flow from it: one human node per step, and after a step
  that can end several ways, a switch on the status it left the case in (so two endings
  leaving the same status lead to the same step; checked here at import);
- `workflows.steps` pairs each step with its form and operation (`STEPS`, same keys);
- the tests (parametrised from `PROCESS`, `open_at`, `course`) and walkers that bring a
  case to a status (the test factories; the demo generators): `course(status, mode)` is
  the shortest sequence of (step, ending) from the submission to that status.

The statuses are not written here: an ending leaves the case in its transition's target
(read from the lifecycle, `cases.lifecycle.transitions_table`), or where it was.

Adding a step: an entry below (and the endings that lead to it), its form and operation
in `workflows.steps`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from viewflow.workflow.status import PROCESS as PROCESS_STATUS

from cases.enums import CaseStatus, Mode
from cases.lifecycle import transitions_table
from cases.models import (
    Appeal,
    ClaimDeclaration,
    Decision,
    Hearing,
    LawyerMandate,
    Opinion,
    PropertySale,
    ReturnGroundRecord,
    StartingAct,
)
from deadlines.models import Deadline, ProcedureAct
from documents.enums import DocumentKind

S = CaseStatus
END = "end"  # the name of the flow's End node


class Actor(models.TextChoices):
    """Who takes a step. The flow turns each into a queue permission and, for the case's
    own people, a holder (`workflows.flows`)."""

    INTAKE = "intake", "Chef du pôle ou juriste de permanence"
    HEAD = "head", "Chef du pôle"
    REFERRER = "referrer", "Direction / poste comptable"
    OPINION_AUTHOR = "opinion_author", "Rédacteur de l'avis"
    JURIST = "jurist", "Pôle (juriste chargé du dossier)"


# Actors the flow gives the step to (the case's expert or jurist); the others take it
# from their queue.
ASSIGNED = frozenset({Actor.OPINION_AUTHOR, Actor.JURIST})


@dataclass(frozen=True)
class Outcome:
    """One way a step ends."""

    then: str  # the next step, or END
    transition: str | None = None  # the lifecycle transition fired; None: status unchanged
    mode: Mode | None = None  # only for a case of this mode
    # True: only for a saisie immobilière in Alsace-Moselle (`Case.is_alsace_moselle`, loi
    # du 1er juin 1924); False: only for any other case; None: for both.
    local_law: bool | None = None
    records: tuple[type[models.Model], ...] = ()  # rows written (with complete data)
    documents: tuple[str, ...] = ()  # documents requested (DocumentKind)


@dataclass(frozen=True)
class ProcessStep:
    name: str
    title: str
    actor: Actor
    outcomes: dict[str, Outcome]
    question: str = ""  # the gateway's title, when the step can end several ways
    also_by: Actor | None = None  # someone else who may also finish it
    # Side actions (`workflows.steps`) a walker must run before finishing the step.
    needs: tuple[str, ...] = ()
    # Finished outside its form (the completion, by resubmitting the referral).
    ended_elsewhere: bool = False
    # The pôle's internal work (the opinion before its validation): the history entry of
    # its cancellation or undoing is marked so, and `cases.access` keeps it from the
    # referring side (its reason is the reviewer's comment to the author).
    internal: bool = False

    @property
    def routes(self) -> dict[str, str]:
        """status -> next step: what the flow's gateway after this step reads."""
        return {outcome_status(self.name, name): o.then for name, o in self.outcomes.items()}


def _steps(*steps: ProcessStep) -> dict[str, ProcessStep]:
    return {step.name: step for step in steps}


# The submission (`cases.services.submit_referral`) opens the first step.
SUBMISSION = Outcome(then="receivability", transition="submit")

PROCESS: dict[str, ProcessStep] = _steps(
    ProcessStep(
        "receivability",
        "Examiner la recevabilité",
        Actor.INTAKE,
        {
            "accept": Outcome("assignment", "accept", documents=(DocumentKind.ACCUSE,)),
            "return": Outcome(
                "completion",
                "return_for_completion",
                records=(ReturnGroundRecord,),
                documents=(DocumentKind.ACCUSE,),
            ),
            "decline": Outcome(END, "decline", documents=(DocumentKind.ACCUSE,)),
        },
        question="Recevable ?",
    ),
    ProcessStep(
        "completion",
        "Compléter et retransmettre le dossier",
        Actor.REFERRER,
        {"resubmit": Outcome("receivability", "resubmit")},
        ended_elsewhere=True,
    ),
    ProcessStep(
        "assignment",
        "Attribuer le dossier",
        Actor.HEAD,
        {
            "opinion": Outcome("write_opinion", mode=Mode.AVIS),
            "support": Outcome("support", "start_support", mode=Mode.SOUTIEN),
            "takeover": Outcome("mandate_lawyer", "take_over", mode=Mode.PRISE_EN_CHARGE),
        },
        question="Demande",
    ),
    # Avis d'opportunité
    ProcessStep(
        "write_opinion",
        "Rédiger l'avis d'opportunité",
        Actor.OPINION_AUTHOR,
        {"submit": Outcome("validate_opinion", records=(Opinion,))},
        internal=True,
    ),
    ProcessStep(
        "validate_opinion",
        "Valider l'avis",
        Actor.HEAD,
        {
            "validate": Outcome("follow_up", "give_opinion", documents=(DocumentKind.AVIS,)),
            "return": Outcome("write_opinion"),
        },
        question="Avis validé ?",
        internal=True,
    ),
    ProcessStep(
        "follow_up",
        "Indiquer la suite donnée à l'avis",
        Actor.REFERRER,
        {
            "takeover_requested": Outcome("takeover_decision"),
            "no_takeover": Outcome(END, "close_after_opinion"),
        },
        question="Prise en charge demandée ?",
    ),
    ProcessStep(
        "takeover_decision",
        "Décider de la prise en charge",
        Actor.HEAD,
        {
            "accept": Outcome("mandate_lawyer", "take_over_after_opinion"),
            "refuse": Outcome(END, "close"),
        },
        question="Prise en charge ?",
    ),
    # Soutien technique
    ProcessStep(
        "support",
        "Conduire le soutien technique",
        Actor.JURIST,
        {"close": Outcome(END, "end_support")},
        also_by=Actor.REFERRER,
    ),
    # Prise en charge
    ProcessStep(
        "mandate_lawyer",
        "Mandater un avocat",
        Actor.JURIST,
        {
            "mandate": Outcome(
                "starting_act",
                records=(LawyerMandate,),
                documents=(DocumentKind.SAISINE_AVOCAT, DocumentKind.BORDEREAU),
            )
        },
    ),
    ProcessStep(
        "starting_act",
        "Enregistrer l'acte introductif",
        Actor.JURIST,
        {
            "engage": Outcome(
                "hearings", "engage_action", records=(StartingAct, Deadline), local_law=False
            ),
            # Alsace-Moselle: the requête to the tribunal de l'exécution (loi du 1er juin
            # 1924, art. 141), not the CPCE's hearings.
            "engage_local": Outcome(
                "local_ordonnance",
                "request_local_enforcement",
                records=(StartingAct,),
                local_law=True,
            ),
        },
        question="Procédure engagée",
    ),
    ProcessStep(
        "hearings",
        "Suivre les audiences",
        Actor.JURIST,
        {"deliberation": Outcome("decision", "await_decision")},
        needs=("hearing", "held"),  # the deliberation follows a hearing held
    ),
    ProcessStep(
        "decision",
        "Enregistrer la décision",
        Actor.JURIST,
        {
            "decided": Outcome(
                "appeal_decision",
                "record_decision",
                records=(Decision, Deadline),  # the appeal deadline, once notified
                documents=(DocumentKind.COMPTE_RENDU,),
            ),
            "reopened": Outcome("hearings", "reopen_hearings"),
            # Issue 17: a radiation suspends the instance: back to the hearings, where it
            # is reinstated (rétablissement, CPC 383).
            "radiation": Outcome("hearings", "suspend_instance", records=(Decision,)),
            # A caducité extinguishes it: a new starting act, or the case is closed.
            "caducite": Outcome("starting_act", "lapse_instance", records=(Decision,)),
        },
        question="Décision rendue ?",
    ),
    ProcessStep(
        "appeal_decision",
        "Décider d'un appel",
        Actor.JURIST,
        {
            "pole_appeal": Outcome("hearings", "appeal", records=(Appeal,)),
            "opponent_appeal": Outcome("hearings", "appeal", records=(Appeal,)),
            "no_appeal": Outcome("execution", "start_execution"),
            # Collective proceedings: the opening not appealed, the claim is declared
            # (the status stays « décision rendue » until then).
            "no_appeal_opening": Outcome("declare_claim"),
            # Saisie immobilière: where the orientation judgment sends the case (CPCE
            # R.322-15): the forced sale, the amicable sale, or back to the hearings while
            # the procedure is suspended (délais de grâce, C. civ. 1343-5). Caducité and
            # nullité: no appeal leads to « no_appeal » (the closure after execution).
            "forced_sale": Outcome("forced_sale", "order_forced_sale"),
            "amicable_sale": Outcome("amicable_sale", "authorise_amicable_sale"),
            "suspended": Outcome("hearings", "suspend_saisie"),
            # Issue 17: the pourvoi en cassation (CPC 612) and the opposition to a default
            # judgment (CPC 538, 571-572), where the decision opens them.
            "pole_pourvoi": Outcome("hearings", "appeal", records=(Appeal,)),
            "opponent_pourvoi": Outcome("hearings", "appeal", records=(Appeal,)),
            "opposition": Outcome("hearings", "appeal", records=(Appeal,)),
            # After a cassation avec renvoi, the juridiction de renvoi seized (CPC 1032-1034).
            "pole_renvoi": Outcome("hearings", "appeal", records=(Appeal,)),
            "opponent_renvoi": Outcome("hearings", "appeal", records=(Appeal,)),
        },
        question="Appel ?",
    ),
    # Collective proceedings: after the opening judgment (C. com. L.622-24, R.622-24).
    ProcessStep(
        "declare_claim",
        "Déclarer la créance",
        Actor.JURIST,
        {"declared": Outcome("execution", "start_execution", records=(ClaimDeclaration, Deadline))},
    ),
    ProcessStep(
        "execution",
        "Suivre l'exécution et clore",
        Actor.JURIST,
        {"close": Outcome(END, "close")},
    ),
    # Saisie immobilière, after the orientation judgment (CPCE R.322-15 s.) ------------
    ProcessStep(
        "amicable_sale",
        "Suivre la vente amiable",
        Actor.JURIST,
        {
            # R.322-25: the judge records the sale (the price consigned).
            "sale_recorded": Outcome(
                "distribution", "distribute_price", records=(Decision, PropertySale)
            ),
            # R.322-25 al. 4, R.322-22 al. 3: failing that, the forced sale, its
            # adjudication hearing fixed two to four months on.
            "forced_sale": Outcome(
                "forced_sale", "order_forced_sale", records=(Decision, Hearing, Deadline)
            ),
        },
        question="Vente amiable constatée ?",
    ),
    ProcessStep(
        "forced_sale",
        "Conduire la vente forcée",
        Actor.JURIST,
        # R.322-56: the price consigned, the price is distributed.
        {
            "price_paid": Outcome(
                "distribution",
                "distribute_price",
                documents=(DocumentKind.COMPTE_RENDU_ADJUDICATION,),
            )
        },
        needs=("adjudication",),  # the price follows an adjudication
    ),
    # Saisie immobilière in Alsace-Moselle (loi du 1er juin 1924, art. 141 s.) ------------
    ProcessStep(
        "local_ordonnance",
        "Enregistrer l'ordonnance d'exécution forcée",
        Actor.JURIST,
        {
            # The tribunal orders the exécution forcée and commits the notaire; notified,
            # the ordonnance opens the debtor's pourvoi immédiat.
            "ordered": Outcome(
                "local_inscription",
                "order_local_enforcement",
                records=(ProcedureAct, Deadline),
                local_law=True,
            ),
            # The requête rejected: a new requête (the starting act), or the case closed.
            "rejected": Outcome("starting_act", "reject_local_request", local_law=True),
        },
        question="Exécution forcée ordonnée ?",
    ),
    ProcessStep(
        "local_inscription",
        "Faire inscrire l'exécution forcée au livre foncier",
        Actor.JURIST,
        {"inscribed": Outcome("local_adjudication", records=(ProcedureAct,), local_law=True)},
    ),
    ProcessStep(
        "local_adjudication",
        "Suivre l'adjudication par le notaire",
        Actor.JURIST,
        {
            # The price paid to the notaire: it is distributed.
            "adjudicated": Outcome(
                "distribution",
                "distribute_price",
                records=(ProcedureAct, PropertySale),
                documents=(DocumentKind.COMPTE_RENDU_ADJUDICATION,),
                local_law=True,
            )
        },
    ),
    ProcessStep(
        "distribution",
        "Distribuer le prix",
        Actor.JURIST,
        {"close": Outcome(END, "close")},
    ),
)

# Taken from the lifecycle's own table: each transition's single target.
_TARGETS = {name: {t.target for t in ts} for name, ts in transitions_table().items()}


def _target(transition: str) -> str:
    (target,) = _TARGETS[transition]
    return target


@cache
def open_at() -> dict[str, frozenset[str]]:
    """step -> the statuses the case may have while that step is open."""
    statuses: dict[str, set[str]] = {name: set() for name in PROCESS}
    statuses[SUBMISSION.then].add(_target(SUBMISSION.transition))
    changed = True
    while changed:
        changed = False
        for name, step in PROCESS.items():
            for outcome in step.outcomes.values():
                if outcome.then == END:
                    continue
                left = {_target(outcome.transition)} if outcome.transition else statuses[name]
                if not left <= statuses[outcome.then]:
                    statuses[outcome.then] |= left
                    changed = True
    return {name: frozenset(found) for name, found in statuses.items()}


def outcome_status(step: str, outcome: str) -> str:
    """The status the case is left in when `step` ends with `outcome`."""
    transition = PROCESS[step].outcomes[outcome].transition
    if transition:
        return _target(transition)
    (status,) = open_at()[step]  # a step that leaves the status as it is opens at one
    return status


def steps_open_at(status: str) -> set[str]:
    """The steps that may be open while the case has `status`."""
    return {name for name, statuses in open_at().items() if status in statuses}


@dataclass(frozen=True)
class Move:
    """One step of a course: the step finished and how."""

    step: str
    outcome: str
    status: str  # what it leaves the case in

    @property
    def transition(self) -> str | None:
        return PROCESS[self.step].outcomes[self.outcome].transition


@dataclass(frozen=True)
class Course:
    mode: str
    moves: tuple[Move, ...] = field(default=())
    # The course of a saisie immobilière in Alsace-Moselle (the local law's endings).
    local_law: bool = False

    @property
    def transitions(self) -> list[str]:
        """The lifecycle transitions along the course, the submission first."""
        return [SUBMISSION.transition, *(m.transition for m in self.moves if m.transition)]

    @property
    def next_step(self) -> str | None:
        """The step open at the end of the course (None once the process is over)."""
        if not self.moves:
            return SUBMISSION.then
        last = self.moves[-1]
        then = PROCESS[last.step].outcomes[last.outcome].then
        return None if then == END else then


def _search(
    mode: str, reached, local_law: bool = False, after: tuple[Move, ...] = ()
) -> Course | None:
    """Breadth first from the submission (or from where the moves `after` leave the case):
    the first course whose last move satisfies `reached(move, next step)` (declared endings
    first on ties), for a case of `mode` under the local law of Alsace-Moselle or not."""
    if after:
        last = after[-1]
        first = (PROCESS[last.step].outcomes[last.outcome].then, last.status)
    else:
        first = (SUBMISSION.then, _target(SUBMISSION.transition))
    paths: dict[tuple[str, str], tuple[Move, ...]] = {first: after}
    queue = deque([first])
    while queue:
        step, current = queue.popleft()
        for name, outcome in PROCESS[step].outcomes.items():
            if outcome.mode not in (None, mode) or outcome.local_law not in (None, local_law):
                continue
            left = _target(outcome.transition) if outcome.transition else current
            moves = (*paths[(step, current)], Move(step, name, left))
            if reached(moves[-1], outcome.then):
                return Course(mode, moves, local_law)
            if outcome.then != END and (outcome.then, left) not in paths:
                paths[(outcome.then, left)] = moves
                queue.append((outcome.then, left))
    return None


def _laws(local_law: bool | None) -> tuple[bool, ...]:
    return (False, True) if local_law is None else (local_law,)


def course(status: str, mode: str, local_law: bool | None = None) -> Course | None:
    """The shortest course from the submission to `status` for a case of `mode`, or None
    when that mode never reaches it. SUBMITTED: no move. `local_law`: for a saisie under
    Alsace-Moselle's local law (True) or not (False); None: a case outside it first, the
    local course only for a status that case never reaches."""
    if status == _target(SUBMISSION.transition):
        return Course(mode, local_law=bool(local_law))
    for law in _laws(local_law):
        found = _search(mode, lambda move, then: move.status == status, law)
        if found is not None:
            return found
    return None


def course_via(
    status: str, mode: str, step: str, outcome: str, local_law: bool = False
) -> Course | None:
    """The shortest course to `status` for a case of `mode` that ends `step` with
    `outcome` on its way (the opening of collective proceedings on to the declaration of
    the claim, then the closure), or None when there is none."""
    to_step = _search(
        mode, lambda move, then: (move.step, move.outcome) == (step, outcome), local_law
    )
    if to_step is None or PROCESS[step].outcomes[outcome].then == END:
        return to_step if to_step and to_step.moves[-1].status == status else None
    return _search(mode, lambda move, then: move.status == status, local_law, to_step.moves)


def course_to_step(
    step: str, mode: str | None = None, local_law: bool | None = None
) -> Course | None:
    """The shortest course that leaves `step` open for a case of `mode` (by default the
    first mode that reaches it, the takeover first: the full course), or None when that
    mode never reaches it."""
    modes = sorted(Mode, key=lambda m: m != Mode.PRISE_EN_CHARGE)
    for candidate in [mode] if mode else modes:
        if step == SUBMISSION.then:
            return Course(candidate, local_law=bool(local_law))
        for law in _laws(local_law):
            found = _search(candidate, lambda move, then: then == step, law)
            if found is not None:
                return found
    return None


def outcomes_for(step: str, mode: str, local_law: bool | None = None) -> dict[str, Outcome]:
    """The endings of `step` open to a case of `mode` (the assignment has one per mode),
    and, when `local_law` is given, to a case under Alsace-Moselle's local law or not."""
    return {
        name: outcome
        for name, outcome in PROCESS[step].outcomes.items()
        if outcome.mode in (None, mode)
        and (local_law is None or outcome.local_law in (None, local_law))
    }


# The two ways a case leaves its course before its last step, outside the steps
# (`workflows.services.close_case` by the head, `withdraw` by the referring side): the
# lifecycle transition fired, and how the process ends (its open steps cancelled).
OUT_OF_COURSE: dict[str, str] = {
    "close": PROCESS_STATUS.DONE,
    "withdraw": PROCESS_STATUS.CANCELED,
}


# Lifecycle transitions out of a draft other than its submission, before any process: the
# referring side deletes a draft it never sent (`cases.services.discard_draft`).
BEFORE_SUBMISSION = frozenset({"discard"})


def _check() -> None:
    """What the flow relies on: every ending leads to a step (or the end), fires a known
    transition, and after one step each status leads to one place."""
    for name, step in PROCESS.items():
        routes: dict[str, str] = {}
        for label, outcome in step.outcomes.items():
            where = f"workflows.process: {name}.{label}"
            if outcome.then != END and outcome.then not in PROCESS:
                raise ImproperlyConfigured(f"{where} leads to an unknown step {outcome.then}")
            if outcome.transition is not None and outcome.transition not in _TARGETS:
                raise ImproperlyConfigured(f"{where} fires an unknown {outcome.transition}")
            status = outcome_status(name, label)
            if routes.setdefault(status, outcome.then) != outcome.then:
                raise ImproperlyConfigured(f"{where}: {status} already leads elsewhere")
        if len(step.outcomes) > 1 and not step.question:
            raise ImproperlyConfigured(f"workflows.process: {name} needs a gateway question")
        if course_to_step(name) is None:
            raise ImproperlyConfigured(f"workflows.process: no course reaches {name}")
    for transition in OUT_OF_COURSE:
        if transition not in _TARGETS:
            raise ImproperlyConfigured(f"workflows.process: unknown {transition} out of course")


_check()
