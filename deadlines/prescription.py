"""The prescription of the claims, on the database side: gather each claim's chain of acts
and suspensions from the case, hand it to the pure engine (prescription_engine), store the
result on the claim (`prescription_date`, `prescription_state`, for the lists, dashboards
and « near prescription » alerts) and say in the case's history what moved it and why.

The chain of a claim, in the engine's terms:
- its starting point: the mise en recouvrement (for an AMR, its sending; for a fine, the
  day the conviction became final);
- the last interruptive act the poste declared on referral (« dernier acte interruptif »),
  an act against the debtor (the poste justifies it: ReturnGround.PRESCRIPTION);
- the served starting acts: a commandement is an act of forced execution (C. civ. 2244),
  an assignation or a requête a demande en justice (2241), each against the party it
  names (a manager becomes a co-débiteur solidaire from the decision condemning him under
  LPF L.267); the declaration of appeal continues the instance and adds nothing;
- the commandement served and the acknowledgements recorded as acts of the procedure;
- the payments (recoveries), by whom they were made (2240);
- the suspensions of the case, or of this claim (2230).

What became of a demande en justice (2242-2243) is what the pôle recorded on the act (a
désistement, a péremption, a caducité) or else what the decisions of the case say: the
last one withdrawn (désistement) or struck out (radiation / caducité) wipes the
interruption out; one granted or rejected ends the instance when it became final — an
appeal decision at once, a first-instance one the day after its appeal period ran out with
no appeal (until then the instance is pending).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from cases import decisions as decision_rules
from cases import history
from cases.enums import (
    FINE_NATURES,
    ActOutcome,
    ActParty,
    ClaimNature,
    DecisionOutcome,
    EventKind,
    Instance,
    PrescriptionState,
    StartingActKind,
)
from cases.formatting import euros, short_date
from cases.models import Case, CaseEvent, Claim, Decision, User

from . import prescription_engine as engine
from .calendar import appeal_deadline
from .enums import ProcedureActKind
from .models import PrescriptionSuspension, ProcedureAct

ONE_DAY = datetime.timedelta(days=1)
L267 = "solidarite_dirigeant"

STARTING_ACT_KINDS = {
    StartingActKind.COMMANDEMENT: engine.ActKind.EXECUTION,
    StartingActKind.ASSIGNATION: engine.ActKind.DEMANDE_EN_JUSTICE,
    StartingActKind.REQUETE: engine.ActKind.DEMANDE_EN_JUSTICE,
}
PROCEDURE_ACT_KINDS = {
    ProcedureActKind.COMMANDEMENT_SERVED: engine.ActKind.EXECUTION,
    ProcedureActKind.RECONNAISSANCE: engine.ActKind.RECONNAISSANCE,
    # Alsace-Moselle: the commandement de payer that precedes the requête en exécution
    # forcée, an act of forced execution (C. civ. 2244) like the CPCE's commandement.
    ProcedureActKind.LF_COMMANDEMENT: engine.ActKind.EXECUTION,
}
# What a decision of the case makes of the pending demande en justice.
WIPING_DECISIONS = {
    DecisionOutcome.WITHDRAWN: engine.Outcome.WITHDRAWN,
    DecisionOutcome.STRUCK_OUT: engine.Outcome.CADUC,
    # Issue 17: the caducité told apart from the radiation (which only suspends).
    DecisionOutcome.CADUCITE: engine.Outcome.CADUC,
}


@dataclass(frozen=True)
class CaseChain:
    """The acts and suspensions of a case, in the engine's terms, gathered once for all
    its claims."""

    acts: tuple[engine.Act, ...]
    suspensions: tuple[tuple[int | None, engine.Suspension], ...]  # (claim pk or None, …)


def instance_outcome(
    case: Case, today: datetime.date
) -> tuple[engine.Outcome, datetime.date | None]:
    """What the decisions of `case` say of its demande en justice on `today`."""
    decisions = sorted(case.decisions.all(), key=lambda d: (d.decided_on, d.pk))
    decision: Decision | None = decisions[-1] if decisions else None
    if decision is None:
        return engine.Outcome.PENDING, None
    # Issue 17: a recourse given up or lapsed (CPC 403, 911-1, 978, 1024) does not wipe the
    # interruption (C. civ. 2243 is the demande's own désistement or caducité): the judgment
    # attacked is in force, final from that day.
    if decision_rules.abandons_recourse(decision.instance, decision.outcome):
        standing = decision_rules.in_force(reversed(decisions))
        if standing is not None and standing.outcome in WIPING_DECISIONS:
            return WIPING_DECISIONS[standing.outcome], standing.decided_on
        if standing is not None:
            rejected = standing.outcome == DecisionOutcome.REJECTED
            final = engine.Outcome.REJECTED if rejected else engine.Outcome.FINAL_DECISION
            return final, decision.decided_on
    if decision.outcome in WIPING_DECISIONS:
        return WIPING_DECISIONS[decision.outcome], decision.decided_on
    # Issue 17: a radiation only suspends the instance (CPC 381-383): the interruption
    # lasts while the instance does (C. civ. 2242).
    if decision.outcome == DecisionOutcome.RADIATION:
        return engine.Outcome.PENDING, None
    rejected = decision.outcome == DecisionOutcome.REJECTED
    final = engine.Outcome.REJECTED if rejected else engine.Outcome.FINAL_DECISION
    if decision.instance in (Instance.APPEAL, Instance.RENVOI):
        return final, decision.decided_on  # a pourvoi does not suspend (CPC 579)
    if decision.appeals.all():
        return engine.Outcome.PENDING, None
    # A cassation avec renvoi: the instance goes on before the juridiction de renvoi, if
    # it is seized in its two months (CPC 1034).
    renvoi = decision.outcome == DecisionOutcome.CASSATION_GRANTED
    last_day = appeal_deadline(decision, Instance.RENVOI if renvoi else None)
    if last_day is None or last_day >= today:
        return engine.Outcome.PENDING, None
    return final, last_day + ONE_DAY


def _condemned_manager_from(case: Case) -> datetime.date | None:
    """LPF L.267: the day a decision made the manager jointly liable for the company's
    taxes; from then on he is a co-débiteur solidaire (C. civ. 2245)."""
    if case.action_type_id is None or case.action_type.code != L267:
        return None
    condemned = [
        d.decided_on
        for d in case.decisions.all()
        if d.outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY, DecisionOutcome.CONDEMNED)
    ]
    return min(condemned, default=None)


def _party(party: str, on: datetime.date, condemned_from: datetime.date | None) -> engine.Party:
    if party == ActParty.MANAGER and condemned_from is not None and on >= condemned_from:
        return engine.Party.CO_DEBTOR
    return engine.Party(party)


def forget_acts(case: Case) -> None:
    """Drop what an earlier read of `case` prefetched: an act just recorded must count."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    for name in ("starting_acts", "recoveries", "decisions", "claims"):
        cache.pop(name, None)


def _known(rows, known_at: datetime.datetime | None) -> list:
    """The rows recorded by `known_at` (all of them without it)."""
    return [row for row in rows if known_at is None or row.created_at <= known_at]


def case_chain(
    case: Case,
    today: datetime.date | None = None,
    *,
    known_at: datetime.datetime | None = None,
) -> CaseChain:
    """The case's chain; with `known_at`, only what had been recorded by then (a document
    dated then shows the prescription as the pôle knew it that day)."""
    today = today or timezone.localdate()
    # One query per kind of act, whatever their number (the case page counts them).
    prefetch_related_objects([case], "starting_acts", "recoveries", "decisions__appeals")
    condemned_from = _condemned_manager_from(case)
    acts: list[engine.Act] = []
    derived: tuple[engine.Outcome, datetime.date | None] | None = None
    served = [a for a in _known(case.starting_acts.all(), known_at) if a.served_on is not None]
    for act in sorted(served, key=lambda a: (a.served_on, a.pk)):
        kind = STARTING_ACT_KINDS.get(act.kind)
        if kind is None:
            continue
        outcome, outcome_on = None, None
        if act.outcome and act.outcome != ActOutcome.PENDING:
            outcome, outcome_on = engine.Outcome(act.outcome), act.outcome_on
        elif kind is engine.ActKind.DEMANDE_EN_JUSTICE:
            derived = derived or instance_outcome(case, today)
            outcome, outcome_on = derived
        acts.append(
            engine.Act(
                kind=kind,
                on=act.served_on,
                party=_party(act.party, act.served_on, condemned_from),
                label=f"{act.get_kind_display()} signifié(e)",
                outcome=outcome,
                outcome_on=outcome_on,
            )
        )
    for act in _known(
        ProcedureAct.objects.filter(case=case, kind__in=PROCEDURE_ACT_KINDS), known_at
    ):
        acts.append(
            engine.Act(
                kind=PROCEDURE_ACT_KINDS[act.kind],
                on=act.date,
                party=_party(act.party, act.date, condemned_from),
                label=act.get_kind_display(),
            )
        )
    for recovery in _known(case.recoveries.all(), known_at):
        acts.append(
            engine.Act(
                kind=engine.ActKind.PAIEMENT,
                on=recovery.received_on,
                party=_party(recovery.party, recovery.received_on, condemned_from),
                label=f"Paiement de {euros(recovery.amount)}",
            )
        )
    suspensions = tuple(
        (
            s.claim_id,
            engine.Suspension(
                cause=engine.SuspensionCause(s.cause), start=s.start, end=s.end, label=""
            ),
        )
        for s in _known(PrescriptionSuspension.objects.filter(case=case), known_at)
    )
    return CaseChain(acts=tuple(acts), suspensions=suspensions)


def origin_of(claim: Claim) -> tuple[datetime.date, datetime.date | None]:
    """(assessed_on, sent_on) for the engine: a fine runs from its conviction's finality."""
    if claim.nature in FINE_NATURES:
        return claim.conviction_final_on, None
    sent_on = claim.amr_sent_on if claim.nature == ClaimNature.IMPOT_AMR else None
    return claim.assessment_date, sent_on


def claim_result(claim: Claim, chain: CaseChain | None = None) -> engine.PrescriptionResult | None:
    """The prescription of `claim` through its chain; None while its nature (or, for a
    fine, the day its conviction became final) is unknown."""
    if not claim.nature:
        return None
    assessed_on, sent_on = origin_of(claim)
    if assessed_on is None:
        return None
    chain = chain or case_chain(claim.case)
    origin = sent_on or assessed_on
    acts = [a for a in chain.acts if a.on >= origin]  # earlier: another claim's story
    if claim.last_interruptive_act and claim.last_interruptive_act >= origin:
        acts.append(
            engine.Act(
                kind=engine.ActKind.EXECUTION,
                on=claim.last_interruptive_act,
                party=engine.Party.DEBTOR,
                label="Dernier acte interruptif déclaré par le poste comptable",
            )
        )
    suspensions = [s for pk, s in chain.suspensions if pk in (None, claim.pk)]
    return engine.prescription(
        claim.nature, assessed_on=assessed_on, sent_on=sent_on, acts=acts, suspensions=suspensions
    )


def _stored(result: engine.PrescriptionResult | None) -> tuple[datetime.date | None, str]:
    if result is None:
        return None, PrescriptionState.UNKNOWN
    return result.date, PrescriptionState(str(result.state))


def state_text(date: datetime.date | None, state: str) -> str:
    if state == PrescriptionState.RUNNING and date is not None:
        return short_date(date)
    return PrescriptionState(state).label.lower()


def store(claim: Claim, result: engine.PrescriptionResult | None) -> bool:
    """Write the result on the claim; True if it changed."""
    date, state = _stored(result)
    if (claim.prescription_date, claim.prescription_state) == (date, state):
        return False
    Claim.objects.filter(pk=claim.pk).update(prescription_date=date, prescription_state=state)
    claim.prescription_date, claim.prescription_state = date, state
    return True


def refresh_claim(claim: Claim) -> engine.PrescriptionResult | None:
    """Recompute one claim (created or edited): its own history says why. A chain the
    engine refuses (an AMR sent before its mise en recouvrement…) is a French
    ValidationError: the caller's transaction saves nothing."""
    forget_acts(claim.case)
    try:
        result = claim_result(claim)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    store(claim, result)
    return result


@transaction.atomic
def compute_imported(case: Case, user: User | None, claims: list[Claim]) -> None:
    """The prescription of claims about to be imported in bulk (`cases.events.
    claims_importing`, the claims not saved yet): the case's chain read once, each claim's
    result set on it (the bulk insert writes it), one history entry that sums them up (the
    earliest date), not one line per claim."""
    forget_acts(case)
    chain = case_chain(case)
    for claim in claims:
        try:
            result = claim_result(claim, chain)
        except ValueError as error:
            raise ValidationError(f"Créance {claim} : {error}") from None
        claim.prescription_date, claim.prescription_state = _stored(result)
    dates = [c.prescription_date for c in claims if c.prescription_date]
    earliest = f", la plus proche le {short_date(min(dates))}" if dates else ""
    CaseEvent.record(
        case,
        user,
        EventKind.PRESCRIPTION_MOVED,
        history.prescription_recomputed(
            f"import de {len(claims)} créance(s)",
            [f"{len(dates)} date(s) de prescription calculée(s){earliest}"],
        ),
        data={"what": "import", "claims": len(claims)},
    )


@transaction.atomic
def refresh_case(case: Case, user: User | None, what: str) -> list[Claim]:
    """`what` happened to the case (an act, a decision, a withdrawal, a suspension…):
    recompute every claim's prescription from its chain; one history entry saying what
    moved, from what to what, and why (the engine's last step of each claim)."""
    forget_acts(case)
    chain = case_chain(case)
    moved, changes, reasons = [], [], []
    for claim in case.claims.select_for_update().order_by("pk"):
        before = (claim.prescription_date, claim.prescription_state)
        try:
            result = claim_result(claim, chain)
        except ValueError as error:  # an act out of sequence: say which, save nothing
            raise ValidationError(f"Créance {claim} : {error}") from None
        if not store(claim, result):
            continue
        moved.append(claim)
        changes.append(
            {
                "claim": claim.pk,
                "from": before[0].isoformat() if before[0] else before[1],
                "to": (
                    claim.prescription_date.isoformat()
                    if claim.prescription_date
                    else claim.prescription_state
                ),
            }
        )
        reasons.append(
            f"- {claim} : {state_text(*before)} → "
            f"{state_text(claim.prescription_date, claim.prescription_state)}"
            + (f" ({result.steps[-1].effect})" if result and result.steps else "")
        )
    if moved:
        CaseEvent.record(
            case,
            user,
            EventKind.PRESCRIPTION_MOVED,
            history.prescription_recomputed(
                what,
                [f"{c} : {state_text(c.prescription_date, c.prescription_state)}" for c in moved],
            ),
            reason="\n".join(reasons),
            data={"what": what[:200], "claims": changes},
        )
    return moved


def refresh_pending_instances() -> int:
    """Recompute the cases whose claims wait for the end of an instance (C. civ. 2242): a
    decision not appealed becomes final the day after its appeal period, with no act to
    say so. The number of claims whose prescription moved."""
    cases = Case.objects.filter(
        claims__prescription_state=PrescriptionState.INTERRUPTED_PENDING
    ).distinct()
    return sum(
        len(refresh_case(case, None, "fin de l'instance : décision devenue définitive"))
        for case in cases
    )


@dataclass(frozen=True)
class ClaimPrescription:
    """What a page or the command shows of one claim: « pourquoi cette date »."""

    claim: Claim
    result: engine.PrescriptionResult | None
    prescribed: bool
    problem: str  # why no date can be computed, in French

    @property
    def headline(self) -> str:
        if self.result is None:
            return PrescriptionState.UNKNOWN.label
        if self.result.state is engine.State.RUNNING:
            return f"prescription le {short_date(self.result.date)}"
        return str(self.result.state.label)  # type: ignore[attr-defined]

    @property
    def reason(self) -> str:
        if self.result is None:
            return self.problem
        return self.result.steps[-1].effect if self.result.steps else ""


def explain(case: Case, today: datetime.date | None = None) -> list[ClaimPrescription]:
    """Each claim of `case` with its chain, its resulting date and whether it is
    prescribed on `today`."""
    today = today or timezone.localdate()
    chain = case_chain(case, today)
    explained = []
    for claim in sorted(case.claims.all(), key=lambda c: (c.assessment_date, c.pk)):
        problem = ""
        try:
            result = claim_result(claim, chain)
        except ValueError as error:
            result, problem = None, str(error)
        if result is None and not problem:
            problem = " ".join(claim.nature_problems().values())
        explained.append(
            ClaimPrescription(
                claim=claim,
                result=result,
                prescribed=bool(result and result.is_prescribed(today)),
                problem=problem,
            )
        )
    return explained
