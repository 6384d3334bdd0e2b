"""One generated case, simulated from its creation to today (`CaseSim`)."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from cases import debtors, history
from cases.collective import COLLECTIVE_ACTION, NOT_AGAINST_THE_DEBTOR
from cases.decisions import awards_money
from cases.enums import (
    FINE_NATURES,
    OPENING_OUTCOMES,
    TAKEN_OVER_STATUSES,
    TAX_NATURES,
    ActParty,
    AppealParty,
    CaseStatus,
    ClosureReason,
    CollectiveKind,
    DebtorKind,
    DecisionOutcome,
    EventKind,
    HearingKind,
    HearingStatus,
    Instance,
    MaritalSituation,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    PieceKind,
    ReturnGround,
    RiskDimension,
    RiskLevel,
    SaleKind,
    StartingActKind,
    TargetKind,
    TaxKind,
)
from cases.enums import ClaimNature as N
from cases.formatting import de_name, euros, short_date
from cases.lifecycle import transitions_table
from cases.models import (
    ALSACE_MOSELLE,
    Appeal,
    Case,
    CaseEvent,
    Claim,
    ClaimDeclaration,
    CollectiveProceeding,
    Debtor,
    Decision,
    Hearing,
    LawyerMandate,
    ManagerTarget,
    Opinion,
    Piece,
    PropertySale,
    PropertyTarget,
    Recovery,
    ReturnGroundRecord,
    StartingAct,
    StoppedAction,
    ThirdPartyHolderTarget,
    User,
)
from cases.pieces import PDF
from cases.validators import add_years, fold_name, luhn_ok
from deadlines import calendar, prescription, prescription_engine, rules
from deadlines.engine import is_working_day
from deadlines.enums import DeadlineStatus, ProcedureActKind, SuspensionCause
from deadlines.models import Deadline, PrescriptionSuspension, ProcedureAct
from deadlines.services import (
    condition_applies,
    deadline_basis,
    deadline_details,
    deadline_summary,
    spouse_denunciation_for,
)
from workflows import process
from workflows.flows import CaseFlow
from workflows.process import SUBMISSION

from .. import risk_grid
from ..courts import rg_number
from .people import commercial_court
from .reference import (
    ADJOURN_REASONS,
    BANKS,
    DECLINE_REASONS,
    FACTS,
    FEMALE,
    FORMS,
    LAST,
    MALE,
    MANDATAIRES,
    MODE_WEIGHTS,
    OTHER_ACTIONS,
    PLACES,
    PROPERTY_KINDS,
    REQUESTS,
    RETURN_LINES,
    STREETS,
    SUFFIXES,
    TRADES,
)
from .rows import Batch, Ref
from .thread import Talk

if TYPE_CHECKING:
    from .generator import Generator

S = CaseStatus
PARIS = ZoneInfo(settings.TIME_ZONE)
CENT = Decimal("0.01")

# The recourse deadlines (deadlines.rules.RECOURSE_TEMPLATES) and what their running out
# without the recourse means (as demo.walk.EXPIRED).
RECOURSE_EXPIRED = {
    "appel": "Délai expiré sans appel : décision définitive",
    "pourvoi": "Délai expiré sans pourvoi : décision définitive",
    "opposition": "Délai expiré sans opposition : jugement définitif",
    # CPC 1034: the juridiction de renvoi not seized, the first judgment is final.
    "renvoi": "Délai expiré sans saisine de la juridiction de renvoi : jugement définitif",
}


# name -> source status -> Transition: the lifecycle's own table.
TRANSITIONS = {name: {t.source: t for t in ts} for name, ts in transitions_table().items()}


@dataclass
class _Lifecycle:
    """What a lifecycle transition's body reads (`CaseLifecycle`'s case and user), so that
    the generator runs the very bodies on the case in memory, without their guard, lock
    and save."""

    case: Case
    user: User


class Stop(Exception):
    """The next step would happen after today: the case stays where it is."""


@dataclass
class Opening:
    """A collective proceeding opened on a generated case (its opening judgment recorded
    `at`, by `actor`), which stops the debtor's other pending action (L.622-21)."""

    at: datetime.datetime
    proceeding: CollectiveProceeding
    debtor: Debtor
    actor: User
    direction: int
    taken: bool = False


def appeal_court(seat: str) -> str:
    """« Cour d'appel d'Amiens », « Cour d'appel de Paris »."""
    return f"Cour d'appel {de_name(seat)}"


def siren(rng: random.Random) -> str:
    while True:
        first = str(rng.randint(30_000_000, 99_999_999))
        for digit in "0123456789":
            if luhn_ok(first + digit):
                return first + digit


# The natures no tax kind decides (cases.enums.TAX_NATURES): the generated taxes annexes
# are assessed by rôle, the generated fines are délits' (C. pén. 133-3), their conviction
# final on the day they were put in recovery.
BULK_NATURES = {TaxKind.TAXE_ANNEXE: N.IMPOT_ROLE, TaxKind.AMENDE: N.AMENDE_DELIT}


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


# The outcomes the generated decisions have, by weight in record_decision.
BULK_OUTCOMES = [
    DecisionOutcome.GRANTED,
    DecisionOutcome.PARTLY,
    DecisionOutcome.REJECTED,
    DecisionOutcome.STRUCK_OUT,
    DecisionOutcome.WITHDRAWN,
]

# Issue 17: a first-instance judgment that grants the demand says what the procedure
# grants (cases.decisions.FIRST_INSTANCE): the manager or the third-party debtor condemned,
# the holder condemned within its obligation, the act inopposable, the partage ordered.
# (An assignation to open collective proceedings granted opens one: `COLLECTIVE_OPENINGS`.)
GRANTED_BY_PROCEDURE = {
    "solidarite_dirigeant": DecisionOutcome.CONDEMNED,
    "action_oblique": DecisionOutcome.CONDEMNED,
    "tiers_detenteur": DecisionOutcome.HOLDER_CONDEMNED,
    "action_paulienne": DecisionOutcome.INOPPOSABLE,
    "partage_indivision": DecisionOutcome.PARTAGE_ORDONNE,
}

GRANTING = (DecisionOutcome.GRANTED, *GRANTED_BY_PROCEDURE.values())

# The assignation of a creditor to open collective proceedings granted (C. com. L.631-5,
# L.640-5: a creditor may ask for a redressement or a liquidation, not a sauvegarde): the
# judgment opens one, by weight. Not appealed in the generated cases.
COLLECTIVE_OPENINGS = {DecisionOutcome.OPENING_RJ: 35, DecisionOutcome.OPENING_LJ: 65}
# The mandataire judiciaire (redressement) or liquidateur (liquidation) the opening names,
# and who pays the Trésor's share from the proceeding.
MANDATAIRE_ROLE = {
    CollectiveKind.REDRESSEMENT: "mandataire judiciaire",
    CollectiveKind.LIQUIDATION: "liquidateur",
}
DIVIDEND = {
    CollectiveKind.REDRESSEMENT: "Dividende du plan de redressement",
    CollectiveKind.LIQUIDATION: "Répartition du liquidateur",
}
# The individual actions of the pôle the opening of the debtor's proceedings stops
# (`cases.collective.stop_individual_actions`): a case of such an action is now and then
# referred against the debtor of an assignation to open them still pending
# (`Generator.opening_for`), and the opening stops it if it is taken over by then.
STOPPED_SHARE = 0.3

# The saisie's acts the demo marks done from the deadlines page, with what met them.
DONE_FROM_PAGE = {
    "si_denonciation_creanciers": "Dénonciation du commandement aux créanciers inscrits",
    "si_cahier": "Cahier des conditions de vente déposé au greffe",
}

# Alsace-Moselle: the notaires commis by the ordonnance, the adjudicataires.
NOTAIRES = ("Anne Muller", "Paul Schmitt", "Claire Wendling", "Marc Heitz")
LOCAL_BUYERS = ("SCI Petite France", "M. et Mme Koenig", "SARL Rhin Immobilier", "Mme Lutz")


class CaseSim:
    """One case from its creation to today. `self.t` is the time of the last thing done;
    `self.node` the flow step open now, since `self.node_since`."""

    def __init__(
        self,
        gen: Generator,
        batch: Batch,
        created_at: datetime.datetime,
        ref: str,
        rng: random.Random,
        talk: random.Random,
    ):
        self.g, self.b, self.rng = gen, batch, rng
        # The thread and the notes (thread.py), from a stream of their own: they move
        # nothing else of the case.
        self.talk = Talk(self, talk)
        self.now = gen.now
        self.t = created_at
        rng = self.rng
        self.pace = math.exp(rng.gauss(0, 0.35))
        self.poste = gen.pick_poste(rng)
        self.direction = gen.directions[self.poste.direction_id]
        self.action = rng.choices(gen.actions, gen.action_weights)[0]
        self.mode = rng.choices(list(MODE_WEIGHTS), list(MODE_WEIGHTS.values()))[0]
        # The opening of the debtor's collective proceedings to come, which stops this
        # case if it is then taken over (`stop_by_opening`).
        self.stopper: Opening | None = None
        if (
            self.action.code != COLLECTIVE_ACTION
            and self.action.target_kind not in NOT_AGAINST_THE_DEBTOR
        ):
            self.stopper = gen.opening_for(self.direction.pk, created_at, rng)
        self.referrer = rng.choice(gen.people.referrers[self.poste.pk])
        self.places, self.tj, self.ca = PLACES.get(
            self.direction.code, ([("Paris", "75001")], "Paris", "Paris")
        )
        self.status = S.DRAFT
        self.node: str | None = None
        self.node_since = created_at
        self.closed_at: datetime.datetime | None = None
        self.process_status = PROCESS.NEW
        self.claims: list[Claim] = []
        self.deadlines: list[Deadline] = []
        self.jurist: User | None = None
        self.expert: User | None = None
        self.decision: Decision | None = None
        self.appealed = False
        self.prescription_acts: list[prescription_engine.Act] = []
        self.hearing_court = ""
        self.orientation_at: datetime.datetime | None = None  # fixed by the assignation
        self.family_homes: list[bool | None] = []
        self.suspensions: list[prescription_engine.Suspension] = []
        self.proceeding: CollectiveProceeding | None = None
        self.declaration: ClaimDeclaration | None = None
        # The debtor of the opening's case again (one entity: cases/debtors.py), or a new one.
        self.debtor = self.stopper.debtor if self.stopper else batch.add(self.unique_debtor())
        self.shares_debtor = self.stopper is not None
        self.case = batch.add(
            Case(
                reference=ref,
                direction=self.direction,
                poste_comptable=self.poste,
                mode=self.mode,
                action_type=self.action,
                debtor=self.debtor,
                facts=FACTS.get(self.action.code, "Redevable défaillant."),
                request=REQUESTS[self.mode],
                created_by=self.referrer,
                created_at=created_at,
            )
        )
        self.local_law = False
        self.holder_limit: Decimal | None = None  # a holder's: what it may be condemned to
        self.departement = calendar.departement_for([], self.direction.departement)

    # Time ---------------------------------------------------------------------------------

    def at(self, days: float, *, office: bool = True) -> datetime.datetime:
        """The moment `days` after the last one (during office hours on a working day of
        the case's calendar), or Stop if that is after now."""
        rng = self.rng
        moment = self.t + datetime.timedelta(days=max(days, 0))
        if office:
            local = moment.astimezone(PARIS)
            while not is_working_day(local.date(), self.departement):
                local += datetime.timedelta(days=1)
            local = local.replace(
                hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59)
            )
            moment = local
        if moment <= self.t:
            moment = self.t + datetime.timedelta(minutes=rng.randint(1, 30))
        if self.stopper is not None and moment > self.stopper.at:
            self.stop_by_opening()
        if moment > self.now:
            raise Stop
        self.t = moment
        return moment

    def until(self, moment: datetime.datetime) -> None:
        """Wait for `moment` (a hearing day, a deadline), or Stop if it is after now."""
        if self.stopper is not None and moment > self.stopper.at:
            self.stop_by_opening()
        if moment > self.now:
            raise Stop
        self.t = max(self.t, moment)

    def soon(self) -> datetime.datetime:
        """A few seconds after the last moment (the next entry of the same operation)."""
        self.t = self.t + datetime.timedelta(seconds=1)
        return self.t

    def days(self, median: float, sigma: float = 0.6, low: float = 0.0) -> float:
        return max(low, median * self.pace * math.exp(self.rng.gauss(0, sigma)))

    def date(self, moment: datetime.datetime | None = None) -> datetime.date:
        return (moment or self.t).astimezone(PARIS).date()

    # Rows ---------------------------------------------------------------------------------

    def recovery(self, jurist, amount, comment: str, **fields) -> Recovery:
        """A sum received on the case, with its history entry (as the app records it)."""
        recovery = self.b.add(
            Recovery(
                case=self.case,
                received_on=self.date(),
                amount=amount,
                comment=comment,
                created_by=jurist,
                created_at=self.t,
                **fields,
            )
        )
        self.event(
            self.t,
            jurist,
            EventKind.RECOVERY_RECORDED,
            history.recovery_recorded(amount, recovery.received_on),
            reason=comment,
            data={"recovery": recovery, "amount": str(amount)},
        )
        self.talk.received(self.t, amount, comment)
        return recovery

    def event(self, at, actor, kind, summary, **fields) -> CaseEvent:
        return self.b.add(
            CaseEvent(
                case=self.case,
                at=at,
                actor=actor,
                actor_label=self.g.people.labels.get(actor.pk, "") if actor else "",
                kind=kind,
                summary=summary[:300],
                **fields,
            )
        )

    def refer(self) -> None:
        """The referral submitted (`cases.services.submit_referral`): the process starts."""
        self.case.submitted_at = self.t
        self.fire(SUBMISSION.transition, self.referrer)
        self.open(SUBMISSION.then)
        self.talk.submitted(self.t)

    def take(
        self, step: str, ending: str, actor: User, at=None, reason: str = "", **kwargs
    ) -> CaseEvent | None:
        """End the open `step` the way `ending` does in the process description: its
        lifecycle transition if it has one, then the step that follows is open (or the
        process is over)."""
        assert self.node == step, (self.case.reference, self.node, step)
        outcome = process.PROCESS[step].outcomes[ending]
        event = None
        if outcome.transition:
            event = self.fire(outcome.transition, actor, at, reason, **kwargs)
        if outcome.then == process.END:
            self.end(PROCESS.DONE)
        else:
            self.open(outcome.then)
        return event

    def out_of_course(self, name: str, actor: User, at=None, reason: str = "", **kwargs):
        """The case leaves its course (the head closes it, the referrer withdraws): the
        open step is cancelled and the process ends as `workflows.process` says."""
        event = self.fire(name, actor, at, reason, **kwargs)
        self.end(process.OUT_OF_COURSE[name])
        if name == "withdraw":
            self.talk.withdrawn(self.t, reason)
        return event

    def fire(self, name: str, actor: User, at=None, reason: str = "", **kwargs) -> CaseEvent:
        """A lifecycle transition: its history entry as the lifecycle writes it, and what
        its body sets on the case (the closure reason…), run on the case in memory."""
        transition = TRANSITIONS[name].get(self.status)
        assert transition is not None, (self.case.reference, name, self.status)
        event = self.event(
            at or self.t,
            actor,
            EventKind.TRANSITION,
            transition.custom["done"],
            transition=name,
            source_status=self.status,
            target_status=transition.target,
            reason=reason,
            data={k: str(v) for k, v in kwargs.items() if v not in (None, "")},
        )
        self.status = transition.target
        transition.func(_Lifecycle(self.case, actor), reason=reason, **kwargs)
        return event

    def open(self, node: str) -> None:
        """The flow step open from now on. Who holds it is the flow's business
        (`finish`)."""
        self.node, self.node_since = node, self.t

    def end(self, status: str) -> None:
        """The process ends now, `status` (done, cancelled), no step left open."""
        self.node, self.closed_at, self.process_status = None, self.t, status

    def piece(self, kind: str, who: User, at, *, event: bool = True) -> Piece:
        name, size, sha = self.g.sample
        self.case.last_piece_number += 1  # the case's counter, as Piece.save keeps it
        piece = self.b.add(
            Piece(
                case=self.case,
                number=self.case.last_piece_number,
                kind=kind,
                dated_on=timezone.localdate(at),
                uploaded_by=who,
                uploaded_at=at,
                file=name,
                original_name=f"{kind}_{self.case.reference}.pdf",
                size=size,
                content_type=PDF,
                sha256=sha,
            )
        )
        if event:
            self.event(
                at,
                who,
                EventKind.PIECE_ADDED,
                history.piece_added(PieceKind(kind).label, piece.original_name),
                data={"piece": piece, "sha256": sha, "size": size},
            )
        return piece

    # The referral ---------------------------------------------------------------------------

    def unique_debtor(self) -> Debtor:
        """A new debtor, none of whose identity another generated case already has (a
        debtor is one row, whose identity is unique once referred: `Debtor.identity_key`)."""
        while True:
            debtor = self.make_debtor()
            key = debtors.key_of(debtor)
            if key not in self.g.identities:
                self.g.identities.add(key)
                return debtor

    def make_debtor(self) -> Debtor:
        rng = self.rng
        natural = self.action.code in ("action_paulienne", "partage_indivision", "action_oblique")
        natural = not self.action.requires_legal_person and rng.random() < (
            0.55 if natural else 0.15
        )
        commune, postal = rng.choice(self.places)
        address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {postal} {commune}"
        if natural:
            female = rng.random() < 0.45
            name = rng.choice(LAST)
            return Debtor(
                kind=DebtorKind.NATURAL,
                name=name,
                first_name=rng.choice(FEMALE if female else MALE),
                birth_date=datetime.date(rng.randint(1945, 1990), rng.randint(1, 12), 1)
                + datetime.timedelta(days=rng.randint(0, 27)),
                address=address,
                marital_situation=rng.choice(list(MaritalSituation)),
                name_key=fold_name(name),
            )
        suffix = rng.choice(SUFFIXES + [commune, rng.choice(LAST)])
        name = f"{rng.choice(FORMS)} {rng.choice(TRADES)} {suffix}"
        return Debtor(
            kind=DebtorKind.LEGAL,
            name=name,
            siren=siren(rng),
            address=address,
            name_key=fold_name(name),
        )

    def make_claims(self, submitted: datetime.date) -> None:
        rng = self.rng
        total = min(5_000_000, max(5_000, math.exp(rng.gauss(math.log(60_000), 1.25))))
        count = rng.choices([1, 2, 3, 4], [40, 32, 18, 10])[0]
        shares = [rng.random() + 0.3 for _ in range(count)]
        taxes = (
            [TaxKind.IR, TaxKind.IR, TaxKind.TF, TaxKind.TH, TaxKind.AMENDE]
            if self.debtor.kind == DebtorKind.NATURAL
            else [
                TaxKind.TVA,
                TaxKind.TVA,
                TaxKind.IS,
                TaxKind.CFE,
                TaxKind.CVAE,
                TaxKind.PAS,
                TaxKind.TAXE_ANNEXE,
                TaxKind.AMENDE,
            ]
        )
        near = rng.random() < 0.12  # a claim close to its prescription when referred
        for index, share in enumerate(shares):
            amount = total * share / sum(shares)
            rate = rng.choice([0.05, 0.1, 0.1, 0.1, 0.4, 0.8]) if rng.random() < 0.9 else 0
            principal = money(amount / (1 + rate))
            penalties = money(float(principal) * rate)
            whole = principal + penalties
            remaining = whole if rng.random() < 0.75 else money(float(whole) * rng.uniform(0.4, 1))
            assessed = submitted - datetime.timedelta(days=rng.randint(120, 1300))
            if near and index == 0:
                # prescription 1 to 9 months after the referral
                last = add_years(submitted, -4) + datetime.timedelta(days=rng.randint(30, 270))
                assessed = min(assessed, last - datetime.timedelta(days=rng.randint(0, 200)))
            elif rng.random() < 0.75:
                last = assessed + datetime.timedelta(
                    days=rng.randint(0, max(0, (submitted - assessed).days - 10))
                )
            else:
                last = None
            start = last or assessed
            if add_years(start, 4) < submitted + datetime.timedelta(days=30):
                last = submitted - datetime.timedelta(days=rng.randint(10, 200))
                last = max(last, assessed)
            year = assessed.year - rng.choice([0, 1, 1, 2])
            period = str(year) if rng.random() < 0.6 else f"T{rng.randint(1, 4)} {year}"
            tax = taxes[rng.randrange(len(taxes))]
            nature = BULK_NATURES.get(tax) or TAX_NATURES[tax]
            self.claims.append(
                self.b.add(
                    Claim(
                        case=self.case,
                        tax=tax,
                        nature=nature,
                        conviction_final_on=assessed if nature in FINE_NATURES else None,
                        period=period,
                        assessment_date=assessed,
                        principal=principal,
                        penalties=penalties,
                        remaining=remaining,
                        last_interruptive_act=last,
                    )
                )
            )

    @property
    def at_stake(self) -> Decimal:
        return sum((c.remaining for c in self.claims), Decimal("0"))

    def make_target(self, submitted: datetime.date) -> None:
        rng = self.rng
        kind = self.action.target_kind
        commune, postal = rng.choice(self.places)
        if kind == TargetKind.PROPERTY:
            prop = PropertyTarget(
                case=self.case,
                address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}",
                postal_code=postal,
                commune=commune,
                departement=self.direction.departement,
                cadastral_section=rng.choice("ABCDEHKLZ") + rng.choice("ABCDEHKLMNZ"),
                cadastral_number=str(rng.randint(1, 999)),
                description=rng.choice(PROPERTY_KINDS),
                family_home=self.debtor.kind == DebtorKind.NATURAL and rng.random() < 0.6,
            )
            if prop.departement in ALSACE_MOSELLE:  # the livre foncier (no draw: same run)
                prop.land_register_commune = commune
                prop.land_register_section = prop.cadastral_section
                prop.land_register_sheet = str(10000 + int(prop.cadastral_number))
            self.b.add(prop)
            self.family_homes = [prop.family_home]
            self.local_law = (
                self.action.alsace_moselle_local_law and prop.departement in ALSACE_MOSELLE
            )
            self.departement = calendar.departement_for(
                [prop.departement], self.direction.departement
            )
        elif kind == TargetKind.MANAGER:
            female = rng.random() < 0.3
            self.b.add(
                ManagerTarget(
                    case=self.case,
                    last_name=rng.choice(LAST),
                    first_name=rng.choice(FEMALE if female else MALE),
                    birth_date=datetime.date(rng.randint(1950, 1992), rng.randint(1, 12), 1),
                    address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}, {postal} {commune}",
                    function=rng.choice(["Gérant de droit", "Président", "Gérant de fait"]),
                    grounds="Inobservation grave et répétée des obligations déclaratives et de "
                    "paiement de la TVA (LPF L.267).",
                )
            )
        elif kind == TargetKind.THIRD_PARTY:
            first = min(c.assessment_date for c in self.claims)
            span = max(1, (submitted - first).days - 5)
            holder = self.b.add(
                ThirdPartyHolderTarget(
                    case=self.case,
                    name=rng.choice(BANKS),
                    siren=siren(rng),
                    address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}, {postal} {commune}",
                    satd_date=first + datetime.timedelta(days=rng.randint(0, span)),
                    satd_amount=money(float(self.at_stake) * rng.uniform(0.3, 1)),
                )
            )
            # What the holder may be condemned to: the SATD (its obligation not declared).
            self.holder_limit = holder.claimed_amount

    # The path -------------------------------------------------------------------------------

    def run(self) -> None:
        rng = self.rng
        created = self.t
        self.departement = calendar.departement_for([], self.direction.departement)
        self.event(created, self.referrer, EventKind.CREATED, history.created())
        draft_days = self.days(4, 0.8)
        submitted_guess = self.date(created + datetime.timedelta(days=draft_days))
        self.make_claims(min(submitted_guess, self.date(self.now)))
        self.make_target(submitted_guess)
        for kind in self.action.pieces_required(local_law=self.local_law):
            self.piece(kind, self.referrer, self.soon())
        if rng.random() < 0.35:
            self.piece(
                rng.choice(["fiche_patrimoniale", "bilans", "autre"]), self.referrer, self.soon()
            )
        try:
            if rng.random() < 0.01:  # a draft forgotten by its author
                raise Stop
            self.at(draft_days)
            self.refer()
            if self.receivability():
                self.assignment()
                if self.mode == Mode.AVIS:
                    self.opinion()
                elif self.mode == Mode.SOUTIEN:
                    self.support()
                else:
                    self.takeover()
        except Stop:
            pass

    def pole_member(self) -> User:
        people = self.g.people
        if people.intake and self.rng.random() < 0.45:
            return self.rng.choice(people.intake)
        return people.head

    def receivability(self) -> bool:
        """Accepted (True), or declined / withdrawn (False); Stop while pending."""
        rng = self.rng
        for loop in range(4):
            if rng.random() < 0.01:
                self.at(self.days(3))
                self.out_of_course(
                    "withdraw",
                    self.referrer,
                    reason="La direction retire sa demande : le redevable a proposé un échéancier.",
                )
                return False
            self.at(self.days(6, 0.7))
            actor = self.pole_member()
            draw = rng.random()
            if draw < (0.17 if loop == 0 else 0.08) and loop < 3:
                grounds = rng.sample(list(ReturnGround), rng.choices([1, 2, 3], [55, 35, 10])[0])
                reason = history.missing_items("\n".join(RETURN_LINES[g] for g in grounds))
                event = self.take("receivability", "return", actor, reason=reason)
                for ground in grounds:
                    self.b.add(ReturnGroundRecord(event=event, ground=ground))
                self.talk.returned(self.t, actor, [RETURN_LINES[g] for g in grounds])
                if rng.random() < 0.07:
                    self.at(self.days(20))
                    self.out_of_course(
                        "withdraw",
                        self.referrer,
                        reason="Dossier abandonné par la "
                        "direction : les pièces demandées ne peuvent être réunies.",
                    )
                    return False
                self.at(self.days(14, 0.8))
                kind = "autre" if ReturnGround.PIECES not in grounds else "fiche_immeuble"
                self.event(
                    self.t,
                    self.referrer,
                    EventKind.UPDATED,
                    history.updated(["saisine"]),
                    data={"sections": ["saisine"]},
                )
                self.piece(kind, self.referrer, self.soon())
                self.take("completion", "resubmit", self.referrer, self.soon())
                self.talk.completed(self.t)
                continue
            if draw > 0.96:
                reason = rng.choice(DECLINE_REASONS)
                self.take("receivability", "decline", actor, reason=reason)
                self.talk.declined(self.t, actor, reason)
                return False
            self.take("receivability", "accept", actor)
            return True
        return False

    def assignment(self) -> None:
        rng, people = self.rng, self.g.people
        self.at(self.days(3, 0.8))
        jurist = rng.choice(people.jurists)
        expert = None
        if self.mode == Mode.AVIS and rng.random() < 0.6:
            others = [e for e in people.experts if e.direction_id != self.direction.pk]
            expert = rng.choice(others or people.experts)
            if rng.random() < 0.4:
                jurist = None
        self.assign(jurist, expert)
        (ending,) = process.outcomes_for("assignment", self.mode)
        self.take("assignment", ending, people.head, self.soon())
        self.talk.examination(self.t)

    def assign(self, jurist: User | None, expert: User | None) -> None:
        if jurist is not None:
            self.jurist = jurist
        if expert is not None:
            self.expert = expert
        self.event(
            self.t,
            self.g.people.head,
            EventKind.ASSIGNED,
            history.assigned(jurist, expert),
            data={"jurist": jurist, "expert": expert},
        )

    # Avis d'opportunité ---------------------------------------------------------------------

    def opinion(self) -> None:
        rng, head = self.rng, self.g.people.head
        author = self.expert or self.jurist
        conclusion = rng.choices(list(OpinionConclusion), [55, 25, 20])[0]
        recommended = None
        if conclusion == OpinionConclusion.OTHER_ACTION:
            recommended = self.g.actions_by_code[OTHER_ACTIONS[self.action.code]]
        risk = {
            OpinionConclusion.FAVOURABLE: [45, 40, 15],
            OpinionConclusion.UNFAVOURABLE: [10, 30, 60],
            OpinionConclusion.OTHER_ACTION: [20, 55, 25],
        }[conclusion]
        returned = rng.random() < 0.2
        grid_rng = random.Random(self.case.reference)
        opinion = None
        for version in (1, 2) if returned else (1,):
            self.at(min(self.days(15 if version == 1 else 7, 0.7), 120))
            opinion = self.b.add(
                Opinion(
                    case=self.case,
                    version=version,
                    author=author,
                    conclusion=conclusion,
                    recommended_action=recommended,
                    reasons=self.opinion_reasons(conclusion, recommended),
                    risk_level=rng.choices(list(RiskLevel), risk)[0],
                    risk_assessment="Solvabilité du redevable, patrimoine saisissable identifié, "
                    "aléa judiciaire et coût de la procédure appréciés au regard des créances.",
                    # Each row of the grid drawn like the overall risk, from a generator of
                    # its own (the case's other draws stay those of its seed); no comparables
                    # frozen (the other cases' rows are not all written yet).
                    **risk_grid.grid(
                        {d: grid_rng.choices(list(RiskLevel), risk)[0] for d in RiskDimension}
                    ),
                    status=OpinionStatus.SUBMITTED,
                    submitted_at=self.t,
                )
            )
            self.event(
                self.t,
                author,
                EventKind.OPINION_SUBMITTED,
                history.opinion_submitted(opinion),
                data={"opinion": opinion, "version": version, "conclusion": conclusion.value},
            )
            self.take("write_opinion", "submit", author)
            self.talk.examined(self.t)
            self.talk.opinion_written(self.t, author)
            self.at(min(self.days(4, 0.7), 45))
            opinion.reviewed_by, opinion.reviewed_at = head, self.t
            if version == 1 and returned:
                opinion.status = OpinionStatus.RETURNED
                opinion.review_comments = rng.choice(
                    [
                        "Préciser l'analyse du patrimoine saisissable.",
                        "Chiffrer le coût de la procédure et le comparer aux créances.",
                        "Développer le risque d'une procédure collective.",
                    ]
                )
                self.event(
                    self.t,
                    head,
                    EventKind.OPINION_RETURNED,
                    history.opinion_returned(opinion),
                    reason=opinion.review_comments,
                    data={"opinion": opinion, "version": 1},
                )
                self.take("validate_opinion", "return", head)
        assert opinion is not None
        opinion.status = OpinionStatus.VALIDATED
        self.take("validate_opinion", "validate", head, self.soon())
        self.talk.opinion_given(self.t, opinion)
        self.at(self.days(20, 0.8))
        if conclusion == OpinionConclusion.FAVOURABLE:
            follow = rng.choices(list(OpinionFollow), [72, 14, 14])[0]
        elif conclusion == OpinionConclusion.UNFAVOURABLE:
            follow = rng.choices(list(OpinionFollow), [78, 8, 14])[0]
        else:
            follow = rng.choices(list(OpinionFollow), [55, 25, 20])[0]
        takeover = (
            conclusion == OpinionConclusion.FAVOURABLE
            and follow == OpinionFollow.FOLLOWED
            and rng.random() < 0.35
        )
        opinion.follow, opinion.follow_up_by, opinion.follow_up_at = follow, self.referrer, self.t
        opinion.takeover_requested = takeover
        self.talk.followed(self.t, follow, takeover)
        self.event(
            self.t,
            self.referrer,
            EventKind.OPINION_FOLLOW_UP,
            history.opinion_follow_up(follow.label, takeover),
            data={
                "opinion": opinion,
                "version": opinion.version,
                "follow": follow.value,
                "takeover_requested": takeover,
            },
        )
        if not takeover:
            self.take("follow_up", "no_takeover", self.referrer, self.soon())
            return
        self.take("follow_up", "takeover_requested", self.referrer)
        self.at(self.days(5))
        if rng.random() < 0.12:
            self.take(
                "takeover_decision",
                "refuse",
                head,
                reason="Prise en charge refusée : la direction peut conduire l'action seule.",
                closure_reason=ClosureReason.OPINION_GIVEN,
            )
            self.talk.takeover_refused(self.t, head)
            return
        if self.jurist is None:
            self.assign(rng.choice(self.g.people.jurists), None)
        self.take("takeover_decision", "accept", head, self.soon())
        self.takeover()

    def opinion_reasons(self, conclusion, recommended) -> str:
        if conclusion == OpinionConclusion.FAVOURABLE:
            return (
                f"L'action « {self.action} » est opportune : patrimoine identifié, créances "
                "exigibles et non prescrites, coût de la procédure mesuré."
            )
        if conclusion == OpinionConclusion.UNFAVOURABLE:
            return (
                f"L'action « {self.action} » n'est pas opportune : aléa judiciaire élevé et "
                "perspective de recouvrement trop faible au regard du coût."
            )
        return f"L'action « {recommended} » paraît plus pertinente que « {self.action} »."

    # Soutien technique ------------------------------------------------------------------------

    def support(self) -> None:
        self.at(self.days(45, 0.8))
        actor = self.jurist if self.rng.random() < 0.7 else self.referrer
        self.take(
            "support",
            "close",
            actor,
            reason="Projet d'acte relu et modèle transmis ; la direction poursuit seule la "
            "procédure.",
        )

    # Prise en charge ----------------------------------------------------------------------------

    def court(self) -> str:
        code = self.action.code
        if code in ("saisie_immobiliere", "tiers_detenteur"):
            return f"Juge de l'exécution du tribunal judiciaire {de_name(self.tj)}"
        if code == "procedure_collective":  # no tribunal de commerce in Alsace-Moselle
            return commercial_court(self.tj, self.direction.departement)
        if code == "solidarite_dirigeant":
            return f"Président du tribunal judiciaire {de_name(self.tj)}"
        return f"Tribunal judiciaire {de_name(self.tj)}"

    def appeal_court(self) -> str:
        return appeal_court(self.ca)

    def maybe_close_out_of_course(self) -> None:
        """The head closes a case out of its normal course now and then."""
        rng = self.rng
        if rng.random() < 0.025:
            self.at(self.days(30))
            reason, text = rng.choice(
                [
                    (
                        ClosureReason.WITHDRAWN,
                        "La direction renonce à l'action : le redevable "
                        "a souscrit un plan de règlement.",
                    ),
                    (
                        ClosureReason.IRRECOVERABLE,
                        "Redevable placé en liquidation judiciaire "
                        "sans actif : créance déclarée au passif.",
                    ),
                    (ClosureReason.PRESCRIBED, "Prescription acquise avant tout acte utile."),
                ]
            )
            self.close(self.g.people.head, reason, text, out_of_course=True)
            raise Stop

    def close(self, actor: User, reason: str, text: str, *, out_of_course=False) -> None:
        """The execution's last step, or the head's closure out of course."""
        for deadline in self.deadlines:
            if deadline.status == DeadlineStatus.OPEN:
                self.deadline_closed(deadline, actor, cancel="Dossier clos.")
        if out_of_course:
            self.out_of_course("close", actor, self.soon(), reason=text, closure_reason=reason)
        else:
            self.take("execution", "close", actor, self.soon(), reason=text, closure_reason=reason)
        self.talk.closed(self.t, actor, text)

    def takeover(self) -> None:
        rng = self.rng
        jurist = self.jurist
        self.maybe_close_out_of_course()
        self.at(self.days(12))
        lawyer = self.g.lawyer_for([self.court(), self.appeal_court()], rng)
        mandated_on = self.date()
        mandate = self.b.add(
            LawyerMandate(
                case=self.case,
                lawyer=lawyer,
                mandated_on=mandated_on,
                fee_agreement=lawyer.fee_agreement,
                instructions="Engager l'action selon la note de saisine jointe.",
                created_by=jurist,
                created_at=self.t,
            )
        )
        self.event(
            self.t,
            jurist,
            EventKind.LAWYER_MANDATED,
            history.lawyer_mandated(mandated_on, lawyer),
            data={"mandate": mandate, "lawyer": lawyer, "replaced_mandate": None},
        )
        self.take("mandate_lawyer", "mandate", jurist)
        self.talk.examined(self.t)
        self.talk.mandated(self.t, mandate, self.court())
        self.maybe_close_out_of_course()
        self.at(self.days(35))
        today = self.date()
        kind = (
            StartingActKind.REQUETE  # Alsace-Moselle: loi du 1er juin 1924, art. 141
            if self.local_law
            else StartingActKind.COMMANDEMENT
            if self.action.code == "saisie_immobiliere"
            else StartingActKind.REQUETE
            if self.action.code == "partage_indivision" and rng.random() < 0.3
            else StartingActKind.ASSIGNATION
        )
        signed = max(mandated_on, today - datetime.timedelta(days=rng.randint(5, 20)))
        served = min(today, signed + datetime.timedelta(days=rng.randint(1, 10)))
        court = self.court()
        act = self.b.add(
            StartingAct(
                case=self.case,
                kind=kind,
                court=court,
                signed_on=signed,
                served_on=served,
                party=self.action.starting_act_party,
                created_by=jurist,
                created_at=self.t,
            )
        )
        if kind in prescription.STARTING_ACT_KINDS:
            self.interrupt(
                jurist,
                served,
                history.served(act.get_kind_display()),
                kind=prescription.STARTING_ACT_KINDS[kind],
                party=act.party,
            )
        trigger = rules.STARTING_ACT_TRIGGERS.get(kind)
        if trigger:
            self.deadline_act(
                jurist,
                trigger,
                served,
                Ref("starting_act", act),
                history.served(act.get_kind_display()),
            )
        if self.local_law:  # the requête to the tribunal de l'exécution, no hearings
            self.take(
                "starting_act",
                "engage_local",
                jurist,
                self.soon(),
                reason=history.action_engaged(act),
            )
            self.local_procedure(court)
            return
        self.take(
            "starting_act",
            "engage",
            jurist,
            self.soon(),
            reason=history.action_engaged(act),
        )
        self.talk.engaged(self.t, act)
        self.hearing_court = court
        self.judicial(Instance.FIRST, served)

    def local_procedure(self, court: str) -> None:
        """Alsace-Moselle (loi du 1er juin 1924, art. 141 s.), the steps of the workflow's
        « local_* » nodes: the ordonnance d'exécution forcée committing a notaire, its
        notification (the pourvoi immédiat, fifteen days), its inscription at the livre
        foncier, the notaire's cahier des charges (art. 147) and adjudication, the price
        paid to him; then its distribution, the Trésor's share received, the closure."""
        rng, jurist = self.rng, self.jurist
        PAK = ProcedureActKind
        self.maybe_close_out_of_course()
        self.at(self.days(25, 0.4, 7))
        ordered = self.date()
        notaire = f"Me {rng.choice(NOTAIRES)}, notaire à {self.places[0][0]}"
        self.procedure_act(PAK.LF_ORDONNANCE, ordered)
        self.procedure_act(PAK.LF_NOTAIRE, ordered)
        self.at(self.days(6, 0.4, 1))
        self.procedure_act(PAK.LF_NOTIFICATION, self.date())  # opens lf_pourvoi
        self.take(
            "local_ordonnance",
            "ordered",
            jurist,
            self.soon(),
            reason=f"Ordonnance du {short_date(ordered)} ({court}) ; notaire commis : {notaire}",
        )
        self.at(self.days(20, 0.5, 3))
        self.procedure_act(PAK.LF_INSCRIPTION, self.date())
        self.take("local_inscription", "inscribed", jurist, self.soon())
        for deadline in list(self.deadlines):
            if deadline.status == DeadlineStatus.OPEN and deadline.template == "lf_pourvoi":
                self.until(datetime.datetime.combine(deadline.due_date, datetime.time(9), PARIS))
                self.at(1)
                self.deadline_closed(
                    deadline,
                    jurist,
                    act="Délai expiré sans pourvoi immédiat : ordonnance définitive",
                    done_on=deadline.due_date,
                )
        self.at(self.days(45, 0.4, 10))
        self.procedure_act(PAK.LF_CAHIER, self.date())
        self.at(self.days(80, 0.4, 30))
        sold = self.date()
        self.procedure_act(PAK.LF_ADJUDICATION, sold)
        price = money(float(self.at_stake) * rng.uniform(0.8, 2.5))
        self.at(self.days(20, 0.4, 5))
        sale = self.b.add(
            PropertySale(
                case=self.case,
                kind=SaleKind.NOTAIRE,
                sold_on=sold,
                price=price,
                buyer=rng.choice(LOCAL_BUYERS),
                paid_on=self.date(),
                created_by=jurist,
                created_at=self.t,
            )
        )
        self.event(
            self.t,
            jurist,
            EventKind.SALE_RECORDED,
            history.sale_recorded(sale),
            data={"sale": sale, "price": str(price)},
        )
        self.take(
            "local_adjudication",
            "adjudicated",
            jurist,
            self.soon(),
            reason=history.price_paid(sale),
        )
        # The distribution: the Trésor paid at its rank out of the price (by the notaire:
        # not a payment of the debtor, no interruption).
        self.at(self.days(90, 0.4, 30))
        share = min(self.at_stake, price)
        self.recovery(
            jurist,
            share,
            "Distribution du prix d'adjudication par le notaire",
            party=ActParty.OTHER,
        )
        self.at(self.days(10, 0.5))
        for deadline in self.deadlines:
            if deadline.status == DeadlineStatus.OPEN:
                self.deadline_closed(deadline, jurist, cancel="Dossier clos.")
        full = share >= self.at_stake
        reason = ClosureReason.RECOVERED_FULL if full else ClosureReason.RECOVERED_PARTIAL
        text = f"Prix distribué : {euros(share)} reçus par le Trésor."
        self.take("distribution", "close", jurist, self.soon(), reason=text, closure_reason=reason)
        self.talk.closed(self.t, jurist, text)

    def judicial(self, instance: str, start: datetime.date) -> None:
        """Hearings, deliberation, decision, then appeal or execution."""
        rng, jurist = self.rng, self.jurist
        self.maybe_close_out_of_course()
        if (
            instance == Instance.FIRST
            and self.action.code == "saisie_immobiliere"
            and not self.local_law
        ):
            self.cpce_acts(start)
        court = self.hearing_court
        saisie_first = self.action.code == "saisie_immobiliere" and instance == Instance.FIRST
        kind = (
            HearingKind.OTHER  # Alsace-Moselle: no audience d'orientation (loi 1er juin 1924)
            if saisie_first and self.local_law
            else HearingKind.ORIENTATION
            if saisie_first
            else rng.choice([HearingKind.PLAIDOIRIE, HearingKind.MISE_EN_ETAT])
        )
        purpose = kind.label
        self.at(self.days(10))
        # The orientation hearing is the one the assignation fixed (R.322-4).
        when, self.orientation_at = self.orientation_at, None
        when = when or self.hearing_time(self.days(75, 0.5, 25))
        hearing = self.schedule(instance, court, when, kind)
        depth = 0
        while True:
            # the hearing day (or the next time the jurist records it)
            self.until(hearing.scheduled_at)
            self.at(rng.uniform(0, 2))
            if rng.random() < (0.3 if depth == 0 else 0.12) and depth < 4:
                new = self.hearing_time(self.days(45, 0.5, 14))
                reason = rng.choice(ADJOURN_REASONS)
                hearing.status, hearing.adjournment_reason = HearingStatus.ADJOURNED, reason
                replacement = self.b.add(
                    Hearing(
                        case=self.case,
                        instance=instance,
                        court=court,
                        scheduled_at=new,
                        kind=kind,
                        purpose=purpose,
                        rg_number=hearing.rg_number,
                        adjourned_from=hearing,
                        created_by=jurist,
                        created_at=self.t,
                    )
                )
                depth += 1
                self.b.hearing_depth[id(replacement)] = depth
                self.event(
                    self.t,
                    jurist,
                    EventKind.HEARING_ADJOURNED,
                    history.hearing_adjourned(hearing.scheduled_at, new, reason),
                    reason=reason,
                    data={
                        "hearing": replacement,
                        "adjourned_hearing": hearing,
                        "scheduled_at": new.isoformat(),
                        "previous_date": hearing.scheduled_at.isoformat(),
                    },
                )
                self.talk.adjourned(self.t, hearing, new, reason)
                hearing = replacement
                continue
            hearing.status = HearingStatus.HELD
            self.event(
                self.t,
                jurist,
                EventKind.HEARING_HELD,
                history.hearing_held(hearing.scheduled_at, court, purpose),
                data={"hearing": hearing},
            )
            break
        deliberation = self.date() + datetime.timedelta(days=int(self.days(35, 0.4, 14)))
        while not is_working_day(deliberation, self.departement):  # a day the court sits
            deliberation += datetime.timedelta(days=1)
        reason = history.deliberation(deliberation)
        self.take("hearings", "deliberation", jurist, self.soon(), reason=reason)
        self.talk.deliberation(self.t, hearing, deliberation)
        self.until(datetime.datetime.combine(deliberation, datetime.time(9), tzinfo=PARIS))
        self.at(self.days(8, 0.7))
        self.record_decision(instance, deliberation, court)
        self.appeal_or_execution(instance)

    def hearing_time(self, days: float) -> datetime.datetime:
        day = self.date() + datetime.timedelta(days=int(days))
        while day.weekday() >= 5 or not is_working_day(day, self.departement):
            day += datetime.timedelta(days=1)
        hour, minute = self.rng.choice([(9, 0), (9, 30), (10, 0), (14, 0), (14, 30)])
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)

    def schedule(self, instance, court, when, kind) -> Hearing:
        purpose = HearingKind(kind).label
        hearing = self.b.add(
            Hearing(
                case=self.case,
                instance=instance,
                court=court,
                scheduled_at=when,
                kind=kind,
                purpose=purpose,
                rg_number=rg_number(self.case.reference) if instance == Instance.FIRST else "",
                created_by=self.jurist,
                created_at=self.t,
            )
        )
        self.event(
            self.t,
            self.jurist,
            EventKind.HEARING_SET,
            history.hearing_set(when, court, purpose),
            data={"hearing": hearing, "scheduled_at": when.isoformat()},
        )
        return hearing

    def cpce_acts(self, served: datetime.date) -> None:
        """Saisie immobilière: publication of the commandement, then the assignation to the
        orientation hearing, each a procedure act that meets and starts deadlines; the
        denunciation and the cahier des conditions de vente marked done from the page."""
        rng, jurist = self.rng, self.jurist
        self.until(datetime.datetime.combine(served, datetime.time(9), tzinfo=PARIS))
        for deadline in list(self.deadlines):
            if deadline.status == "open" and deadline.template == "si_denonciation_conjoint":
                act = "Dénonciation du commandement au conjoint du débiteur"
                self.deadline_closed(deadline, jurist, act=act, done_on=served)
        # Published within two months of the service (R.321-6), the debtor assigned within
        # two months of the publication (R.322-4): a few days' margin for a week-end.
        self.at(min(self.days(30, 0.3), self.days_until(served, "si_publication") - 4))
        self.procedure_act(ProcedureActKind.PUBLICATION, self.date())
        self.at(min(self.days(35, 0.3), self.days_until(self.date(), "si_assignation") - 4))
        # The hearing written in the assignation: between one and three months later.
        self.orientation_at = self.hearing_time(min(85.0, self.days(50, 0.3, 35)))
        self.procedure_act(
            ProcedureActKind.ASSIGNATION, self.date(), hearing_on=self.date(self.orientation_at)
        )
        for deadline in list(self.deadlines):
            if deadline.status == DeadlineStatus.OPEN and deadline.template in DONE_FROM_PAGE:
                self.at(rng.uniform(1, 3))
                act = DONE_FROM_PAGE[deadline.template]
                # done by the fifth jour ouvrable (R.322-6, R.322-10), recorded that day or
                # the next working day
                done = min(self.date(), deadline.due_date)
                self.deadline_closed(deadline, jurist, act=act, done_on=done)

    def days_until(self, start: datetime.date, template: str) -> float:
        """Days from now to the last day of the CPCE deadline `template` counted from
        `start` (deadlines.saisie_calendar.RULES)."""
        last = self.g.compute(start, rules.BY_CODE[template], self.departement)
        return (last - self.date()).days

    def procedure_act(
        self, kind: str, day: datetime.date, hearing_on: datetime.date | None = None
    ) -> ProcedureAct:
        act = self.b.add(
            ProcedureAct(
                case=self.case,
                kind=kind,
                date=day,
                hearing_on=hearing_on,
                created_by=self.jurist,
                created_at=self.t,
            )
        )
        label = ProcedureActKind(kind).label
        self.event(
            self.t,
            self.jurist,
            EventKind.PROCEDURE_ACT,
            history.procedure_act(label, day),
            data={"procedure_act": act, "kind": kind, "date": day.isoformat()},
        )
        if kind == rules.Trigger.COMMANDEMENT_SERVED:
            self.interrupt(self.jurist, day, label, kind=prescription_engine.ActKind.EXECUTION)
        self.deadline_act(
            self.jurist,
            kind,
            day,
            Ref("procedure_act", act),
            label,
            dates={"hearing_on": hearing_on},
        )
        return act

    def record_decision(self, instance: str, decided_on: datetime.date, court: str) -> None:
        rng, jurist = self.rng, self.jurist
        today = self.date()
        decided_on = min(decided_on, today)
        outcome = rng.choices(BULK_OUTCOMES, [50, 20, 20, 6, 4])[0]
        stake = self.at_stake
        awarded = None
        if outcome == DecisionOutcome.GRANTED:
            awarded = stake
        elif outcome == DecisionOutcome.PARTLY:
            awarded = (stake * Decimal(str(rng.uniform(0.3, 0.85)))).quantize(CENT, ROUND_DOWN)
        code = self.action.code
        if instance == Instance.FIRST and outcome == DecisionOutcome.GRANTED:
            outcome = GRANTED_BY_PROCEDURE.get(code, outcome)
            if code == COLLECTIVE_ACTION:
                outcome = rng.choices(list(COLLECTIVE_OPENINGS), COLLECTIVE_OPENINGS.values())[0]
        if outcome == DecisionOutcome.HOLDER_CONDEMNED:  # LPF L.262, CPCE L.211-2
            awarded = min(stake, self.holder_limit or stake)
        if not awards_money(code, outcome):
            awarded = None
        notified = None
        if rng.random() < 0.92 and (today - decided_on).days >= 1:
            notified = decided_on + datetime.timedelta(
                days=rng.randint(1, min(25, (today - decided_on).days))
            )
        judgment = self.piece(PieceKind.JUGEMENT, jurist, self.t, event=False)
        decision = self.b.add(
            Decision(
                case=self.case,
                instance=instance,
                decided_on=decided_on,
                court=court,
                outcome=outcome,
                amount_awarded=awarded,
                notified_on=notified,
                judgment=judgment,
                summary=f"{outcome.label}.",
                created_by=jurist,
                created_at=self.t,
            )
        )
        self.decision = decision
        self.take(
            "decision",
            "decided",
            jurist,
            self.soon(),
            reason=history.decision_recorded(decision),
        )
        self.talk.decided(self.t, decision)
        # The deadline of the recourse the decision opens (an appeal; a pourvoi after an
        # appeal's decision, CPC 612), as deadlines.services._on_decision_notified.
        trigger = rules.decision_trigger(instance, outcome, by_default=False)
        if notified is not None and trigger is not None:
            self.deadline_act(
                jurist,
                trigger,
                notified,
                Ref("decision", decision),
                history.DECISION_NOTIFIED,
                suffix=history.of_decision(decision),
            )
        if outcome in OPENING_OUTCOMES:
            self.open_proceeding(decision)

    # Collective proceedings (cases.collective, workflows.steps) ----------------------------

    def open_proceeding(self, decision: Decision) -> None:
        """The opening judgment recorded with the decision (`collective.record_opening`,
        from `workflows.steps.do_decision`): the debtor's proceeding, which stops its
        other pending actions of the pôle (`Opening`, `stop_by_opening`)."""
        proceeding = self.b.add(
            CollectiveProceeding(
                case=self.case,
                decision=decision,
                kind=OPENING_OUTCOMES[decision.outcome],
                opened_on=decision.decided_on,
                court=decision.court,
                created_by=self.jurist,
                created_at=self.t,
            )
        )
        self.proceeding = proceeding
        self.event(
            self.soon(),
            self.jurist,
            EventKind.PROCEDURE_ACT,
            history.collective_opened(proceeding),
            data={"collective": "opened", "proceeding": proceeding},
        )
        self.g.openings.append(
            Opening(self.t, proceeding, self.debtor, self.jurist, self.direction.pk)
        )

    def stop_by_opening(self) -> None:
        """The debtor's collective proceeding opened (`self.stopper`): the case stops there
        if it is taken over then, flagged as `collective.stop_individual_actions` does (a
        StoppedAction, its history entry by whoever recorded the opening); otherwise it
        goes on."""
        opening, self.stopper = self.stopper, None
        if self.status not in TAKEN_OVER_STATUSES:
            return
        proceeding = opening.proceeding
        self.t = max(self.t, opening.at)
        self.b.add(StoppedAction(case=self.case, proceeding=proceeding, stopped_at=self.t))
        self.talk.stopped(self.t, proceeding.opened_on)
        self.event(
            self.t,
            opening.actor,
            EventKind.PROCEDURE_ACT,
            history.action_stopped(proceeding),
            data={"collective": "stopped", "proceeding": proceeding},
        )
        raise Stop

    def awaits_declaration(self) -> bool:
        """`collective.awaits_declaration`: the decision in force opened the proceeding."""
        return self.decision is not None and self.decision.outcome in OPENING_OUTCOMES

    def declare_claim(self) -> None:
        """The step « Déclarer la créance » (`workflows.steps.do_declare_claim`): once the
        appeal period has run out, the opening judgment published in the BODACC (the
        greffe sends the notice within fifteen days, R.621-8), which starts the two months
        of R.622-24; the publication recorded on its own now and then (the side action
        `collective_publication`), then the claim declared within the two months (which
        meets the deadline and suspends the prescription, L.622-25-1), and on to the
        execution."""
        rng, jurist, proceeding = self.rng, self.jurist, self.proceeding
        self.expire_recourses()
        bodacc = proceeding.opened_on + datetime.timedelta(days=int(self.days(16, 0.3, 6)))
        while bodacc.weekday() >= 5:
            bodacc += datetime.timedelta(days=1)
        self.until(datetime.datetime.combine(bodacc, datetime.time(9), tzinfo=PARIS))
        self.at(self.days(5, 0.6))
        due = self.due(rules.BY_CODE[rules.DECLARATION], bodacc)
        if rng.random() < 0.4:  # the publication recorded as soon as seen
            self.publish(bodacc)
            self.at(min(self.days(12, 0.6), max(0, (due - self.date()).days - 4)))
        if proceeding.bodacc_on is None:
            self.publish(bodacc)
        declared_on = min(self.date(), due)
        declaration = self.b.add(
            ClaimDeclaration(
                case=self.case,
                proceeding=proceeding,
                declared_on=declared_on,
                amount=self.at_stake,
                created_by=jurist,
                created_at=self.t,
            )
        )
        self.declaration = declaration
        declared = history.claim_declared(declaration)
        self.event(
            self.soon(),
            jurist,
            EventKind.PROCEDURE_ACT,
            declared,
            data={"collective": "declared", "declaration": declaration},
        )
        self.deadline_act(
            jurist,
            rules.Trigger.CLAIM_DECLARED,
            declared_on,
            Ref("declaration", declaration),
            history.CLAIM_DECLARATION,
        )
        self.suspend(jurist, declared_on, f"{declared} (C. com. L.622-25-1).")
        self.take("declare_claim", "declared", jurist, self.soon(), reason=declared)
        self.execution()

    def publish(self, bodacc: datetime.date) -> None:
        """`collective.record_publication` with the mandataire the judgment names, then
        `deadlines.services.on_collective_publication` (the declaration's deadline)."""
        jurist, proceeding = self.jurist, self.proceeding
        proceeding.bodacc_on = bodacc
        proceeding.mandataire = (
            f"{self.rng.choice(MANDATAIRES)}, {MANDATAIRE_ROLE[proceeding.kind]}"
        )
        self.event(
            self.soon(),
            jurist,
            EventKind.PROCEDURE_ACT,
            history.collective_published(proceeding),
            data={"collective": "published", "proceeding": proceeding, "date": bodacc.isoformat()},
        )
        self.event(
            self.soon(),
            jurist,
            EventKind.PROCEDURE_ACT,
            history.collective_mandataire(proceeding),
            data={"collective": "mandataire", "proceeding": proceeding},
        )
        self.deadline_act(
            jurist,
            rules.Trigger.COLLECTIVE_PUBLICATION,
            bodacc,
            Ref("collective", proceeding),
            history.BODACC_PUBLICATION,
        )

    def collective_closure(self) -> None:
        """After the declaration: the Trésor's share of the proceeding (a dividend of the
        plan, a distribution by the liquidateur: paid by the mandataire, not the debtor, no
        interruption) now and then, then the closure."""
        rng, jurist, kind = self.rng, self.jurist, self.proceeding.kind
        self.at(self.days(150, 0.6))
        if rng.random() < 0.3:
            amount = money(float(self.declaration.amount) * rng.uniform(0.03, 0.35))
            self.recovery(jurist, amount, DIVIDEND[kind], party=ActParty.OTHER)
            self.at(self.days(30, 0.6))
            reason = ClosureReason.RECOVERED_PARTIAL
            text = f"Créance déclarée au passif : {euros(amount)} reçus ({DIVIDEND[kind].lower()})."
        else:
            reason = ClosureReason.IRRECOVERABLE
            text = "Créance déclarée au passif : aucune répartition à attendre de la procédure."
        self.close(jurist, reason, text)

    def appeal_or_execution(self, instance: str) -> None:
        rng, jurist = self.rng, self.jurist
        decision = self.decision
        self.at(self.days(10, 0.6))
        outcome = decision.outcome
        party = None
        if instance == Instance.FIRST:
            if outcome == DecisionOutcome.REJECTED and rng.random() < 0.4:
                party = AppealParty.POLE
            elif outcome in (DecisionOutcome.PARTLY, *GRANTING):
                party = AppealParty.OPPONENT if rng.random() < 0.15 else None
        appeal_deadline = next(
            (d for d in self.deadlines if d.template in RECOURSE_EXPIRED and d.status == "open"),
            None,
        )
        if party is not None:
            start = decision.notified_on or decision.decided_on
            last = self.date()
            # Both sides appeal in time: the generated debtors live in metropolitan France,
            # so the opponent's period is the pôle's (no délai de distance, CPC 643), and a
            # later appeal would be flagged late (calendar.late_appeal).
            if appeal_deadline is not None:
                last = min(last, appeal_deadline.due_date)
            lodged = start + datetime.timedelta(days=rng.randint(0, max(0, (last - start).days)))
            court = self.appeal_court()
            grounds = (
                "Le pôle conteste l'appréciation des faits et des manquements retenue."
                if party == AppealParty.POLE
                else "Le redevable conteste le bien-fondé de la condamnation."
            )
            appeal = self.b.add(
                Appeal(
                    case=self.case,
                    decision=decision,
                    lodged_by=party,
                    lodged_on=lodged,
                    court=court,
                    grounds=grounds,
                    created_by=jurist,
                    created_at=self.t,
                )
            )
            if appeal_deadline is not None:
                self.deadline_closed(
                    appeal_deadline,
                    jurist,
                    act=f"Appel interjeté ({appeal.get_lodged_by_display()})",
                    done_on=lodged,
                )
            self.take(
                "appeal_decision",
                "pole_appeal" if party == AppealParty.POLE else "opponent_appeal",
                jurist,
                self.soon(),
                reason=history.appeal_lodged(appeal),
            )
            self.talk.appealed(self.t, appeal, party == AppealParty.POLE)
            self.appealed = True
            self.hearing_court = court
            self.judicial(Instance.APPEAL, lodged)
            return
        if appeal_deadline is not None and appeal_deadline.due_date < self.date():
            self.deadline_closed(
                appeal_deadline,
                jurist,
                act=RECOURSE_EXPIRED[appeal_deadline.template],
                done_on=appeal_deadline.due_date,
            )
        if self.awaits_declaration():  # on to « Déclarer la créance »
            self.event(
                self.t,
                jurist,
                EventKind.PROCEDURE_ACT,
                history.opening_not_appealed(),
                data={"collective": "not_appealed"},
            )
            self.take("appeal_decision", "no_appeal_opening", jurist, self.soon())
            self.declare_claim()
            return
        self.take("appeal_decision", "no_appeal", jurist, self.soon())
        self.execution()

    def expire_recourses(self) -> None:
        """The recourse periods still open run out, each marked done the day after."""
        for deadline in self.deadlines:
            if deadline.status == "open" and deadline.template in RECOURSE_EXPIRED:
                self.at(max(0, (deadline.due_date - self.date()).days + 1))
                self.deadline_closed(
                    deadline,
                    self.jurist,
                    act=RECOURSE_EXPIRED[deadline.template],
                    done_on=deadline.due_date,
                )

    def execution(self) -> None:
        rng, jurist = self.rng, self.jurist
        decision = self.decision
        self.expire_recourses()
        if self.declaration is not None:
            self.collective_closure()
            return
        awarded = decision.amount_awarded or Decimal("0")
        if self.action.code == "saisie_immobiliere" and awarded > 0 and not self.local_law:
            self.at(self.days(100, 0.4))
            self.procedure_act(ProcedureActKind.ADJUDICATION, self.date())
            for deadline in list(self.deadlines):
                if deadline.status == "open" and deadline.template == "si_surenchere":
                    self.until(
                        datetime.datetime.combine(deadline.due_date, datetime.time(9), PARIS)
                    )
                    self.at(1)
                    self.deadline_closed(
                        deadline, jurist, act="Aucune surenchère formée", done_on=deadline.due_date
                    )
        recovered = Decimal("0")
        if awarded > 0:
            draw = rng.random()
            target = (
                awarded
                if draw < 0.55
                else (awarded * Decimal(str(rng.uniform(0.1, 0.9)))).quantize(CENT, ROUND_DOWN)
                if draw < 0.85
                else Decimal("0")
            )
            parts = rng.choices([1, 2, 3], [50, 30, 20])[0] if target > 0 else 0
            for index in range(parts):
                self.at(self.days(60, 0.7))
                if index == parts - 1:
                    amount = target - recovered
                else:
                    amount = (target / parts).quantize(CENT, ROUND_DOWN)
                if amount <= 0:
                    continue
                comment = rng.choice(
                    [
                        "Virement du commissaire de justice",
                        "Paiement du redevable",
                        "Prix de vente réparti",
                    ]
                )
                self.recovery(jurist, amount, comment)
                recovered += amount
                self.interrupt(
                    jurist,
                    self.date(),
                    history.payment(amount),
                    kind=prescription_engine.ActKind.PAIEMENT,
                )
        self.at(self.days(30, 0.6))
        if recovered >= self.at_stake and recovered > 0:
            reason, text = ClosureReason.RECOVERED_FULL, "Créances intégralement recouvrées."
        elif recovered > 0:
            reason = ClosureReason.RECOVERED_PARTIAL
            text = f"Recouvrement partiel : {euros(recovered)} encaissés."
        elif decision.outcome == DecisionOutcome.WITHDRAWN:
            reason, text = ClosureReason.WITHDRAWN, "Désistement : l'instance est éteinte."
        elif rng.random() < 0.1:
            reason, text = ClosureReason.PRESCRIBED, "Créances prescrites faute d'acte utile."
        else:
            reason, text = ClosureReason.IRRECOVERABLE, "Aucun recouvrement possible."
        self.close(jurist, reason, text)

    # Deadlines and prescription --------------------------------------------------------------

    def interrupt(
        self,
        actor: User,
        on: datetime.date,
        what: str,
        *,
        kind: prescription_engine.ActKind,
        party: str = ActParty.DEBTOR,
    ) -> None:
        """deadlines.services.record_interruptive_act: the act joins the chain of every
        claim; only an act against the debtor (or by him) interrupts (C. civ. 2240-2245),
        and then the history says the claims' prescription moved."""
        before = self.prescriptions()
        self.prescription_acts.append(
            prescription_engine.Act(
                kind=kind, on=on, party=prescription_engine.Party(party), label=what
            )
        )
        self.prescription_moved(actor, before, f"{what} le {short_date(on)}", what)

    def suspend(self, actor: User, on: datetime.date, note: str) -> None:
        """deadlines.services.record_suspension for the collective proceedings (the
        declaration, C. com. L.622-25-1): the claims' prescription stops running from `on`,
        and the history says which moved."""
        suspension = self.b.add(
            PrescriptionSuspension(
                case=self.case,
                cause=SuspensionCause.PROCEDURE_COLLECTIVE,
                start=on,
                note=note,
                created_by=actor,
                created_at=self.t,
            )
        )
        before = self.prescriptions()
        self.suspensions.append(
            prescription_engine.Suspension(
                cause=prescription_engine.SuspensionCause.PROCEDURE_COLLECTIVE, start=on
            )
        )
        what = f"suspension : {suspension}"
        self.prescription_moved(actor, before, what, what)

    def prescription_moved(self, actor: User, before: list, what: str, data_what: str) -> None:
        """The history entry of `deadlines.prescription.refresh_case` when a claim's
        prescription moved since `before`."""
        after = self.prescriptions()
        moved = [
            (c, before[i], after[i]) for i, c in enumerate(self.claims) if before[i] != after[i]
        ]
        if moved:
            self.event(
                self.soon(),
                actor,
                EventKind.PRESCRIPTION_MOVED,
                history.prescription_recomputed(
                    what, [f"{c} : {prescription.state_text(*a)}" for c, _, a in moved]
                ),
                data={
                    "what": data_what,
                    "claims": [
                        {"claim": c, "from": str(b[0] or b[1]), "to": str(a[0] or a[1])}
                        for c, b, a in moved
                    ],
                },
            )

    def instance_outcome(self) -> tuple[prescription_engine.Outcome, datetime.date | None]:
        """deadlines.prescription.instance_outcome on the simulated decision."""
        Outcome = prescription_engine.Outcome
        decision = self.decision
        if decision is None:
            return Outcome.PENDING, None
        if decision.outcome in prescription.WIPING_DECISIONS:
            return prescription.WIPING_DECISIONS[decision.outcome], decision.decided_on
        final = (
            Outcome.REJECTED
            if decision.outcome == DecisionOutcome.REJECTED
            else (Outcome.FINAL_DECISION)
        )
        if decision.instance == Instance.APPEAL:
            return final, decision.decided_on
        if self.appealed or decision.notified_on is None:
            return Outcome.PENDING, None
        last_day = calendar.appeal_due_in(
            self.departement, self.action.appeal_days, decision.notified_on
        )
        if last_day >= self.date(self.now):
            return Outcome.PENDING, None
        return final, last_day + datetime.timedelta(days=1)

    def prescriptions(self) -> list[tuple[datetime.date | None, str]]:
        """(date, state) of each claim from the acts so far (deadlines.prescription's
        chain: the poste's declared act, then the pôle's acts; an instance ends with the
        decision, as deadlines.prescription.instance_outcome says)."""
        acts = list(self.prescription_acts)
        outcome, outcome_on = self.instance_outcome()
        if outcome_on is not None:
            acts = [
                replace(a, outcome=outcome, outcome_on=max(outcome_on, a.on))
                if a.kind is prescription_engine.ActKind.DEMANDE_EN_JUSTICE
                else a
                for a in acts
            ]
        stored = []
        for claim in self.claims:
            origin = claim.conviction_final_on or claim.assessment_date
            chain = [a for a in acts if a.on >= origin]
            if claim.last_interruptive_act:
                chain.append(
                    prescription_engine.Act(
                        prescription_engine.ActKind.EXECUTION,
                        claim.last_interruptive_act,
                        prescription_engine.Party.DEBTOR,
                    )
                )
            result = prescription_engine.prescription(
                claim.nature, assessed_on=origin, acts=chain, suspensions=self.suspensions
            )
            stored.append((result.date, str(result.state)))
        return stored

    def due(self, template: rules.Template, start: datetime.date) -> datetime.date:
        if template.length == rules.APPEAL:
            return calendar.appeal_due_in(self.departement, self.action.appeal_days, start)
        return self.g.compute(start, template, self.departement)

    def deadline_act(
        self, actor, trigger, start, source: Ref, act_label, suffix="", dates=None
    ) -> None:
        """deadlines.services.on_act: create what the act starts, mark done what it meets."""
        created, judged = [], []
        dates = {"date": start, **(dates or {})}
        for template in rules.templates_for(trigger, self.action.code):
            if (template.cpce and self.local_law) or (template.local_law and not self.local_law):
                continue
            applies, extra = condition_applies(
                template,
                lambda: spouse_denunciation_for(
                    self.debtor.kind, self.debtor.marital_situation, self.family_homes
                ),
            )
            counted_from = dates.get(template.counted_from) if template.counted_from else start
            if not applies or counted_from is None:
                continue
            basis = deadline_basis(template, self.case)
            deadline = self.b.add(
                Deadline(
                    case=self.case,
                    template=template.code,
                    source=source,
                    label=(template.label + extra + suffix)[:300],
                    basis=basis[:300],
                    start_date=counted_from,
                    due_date=self.due(template, counted_from),
                    critical=template.critical,
                    created_by=actor,
                    created_at=self.t,
                )
            )
            self.deadlines.append(deadline)
            created.append(deadline)
            if template.judged_on and dates.get(template.judged_on) is not None:
                judged.append((deadline, template))
        if created:
            self.event(
                self.soon(),
                actor,
                EventKind.DEADLINES_CREATED,
                deadline_summary(history.deadlines_opened(act_label, start), created),
                reason=deadline_details(created),
                data={"deadlines": created, "source": source, "trigger": trigger},
            )
        for deadline, template in judged:
            on = dates[template.judged_on]
            self.deadline_closed(deadline, actor, act=template.judged_act, done_on=on)
        met = rules.met_by(trigger)
        for deadline in self.deadlines:
            if deadline.status == DeadlineStatus.OPEN and deadline.template in met:
                if deadline in created:
                    continue
                self.deadline_closed(
                    deadline, actor, act=history.act_on(act_label, start), done_on=start
                )

    def deadline_closed(self, deadline, actor, *, act="", done_on=None, cancel="") -> None:
        deadline.closed_by, deadline.closed_at = actor, self.soon()
        if cancel:
            deadline.status, deadline.cancel_reason = DeadlineStatus.CANCELLED, cancel
            summary = history.deadline_cancelled(deadline.label, deadline.due_date)
            kind = EventKind.DEADLINE_CANCELLED
        else:
            deadline.status = DeadlineStatus.DONE
            deadline.done_act, deadline.done_on = act[:300], done_on
            summary = history.deadline_done(deadline.label, act, done_on, deadline.due_date)
            kind = EventKind.DEADLINE_DONE
        self.event(self.t, actor, kind, summary, reason=cancel, data={"deadline": deadline})

    # The end of the simulation ----------------------------------------------------------------

    def finish(self) -> None:
        case = self.case
        case.status = self.status
        case.assigned_jurist = self.jurist
        case.assigned_expert = self.expert
        case.updated_at = self.t
        for claim, (date, state) in zip(self.claims, self.prescriptions(), strict=True):
            claim.prescription_date, claim.prescription_state = date, state
        if self.status == S.DRAFT:
            if self.shares_debtor:  # a draft has its own row until it is sent
                copy = Debtor(
                    **{
                        f.attname: getattr(self.debtor, f.attname)
                        for f in Debtor._meta.concrete_fields
                        if not f.primary_key
                    }
                )
                copy.identity_key = None
                case.debtor = self.debtor = self.b.add(copy)
            return
        self.talk.write()
        self.debtor.identity_key = debtors.key_of(self.debtor)  # sent: joined its entity
        flow_process = self.b.add(
            Process(
                flow_class=CaseFlow,
                status=self.process_status,
                created=case.submitted_at,
                finished=self.closed_at,
            )
        )
        self.b.links.append((flow_process, case))
        if self.node is None:
            assert self.status in (S.CLOSED, S.DECLINED), (case.reference, self.status)
            return
        owner, perm = open_task_holder(self.node, case)
        self.b.add(
            Task(
                process=flow_process,
                flow_task=getattr(CaseFlow, self.node),
                flow_task_type="HUMAN",
                status=STATUS.ASSIGNED if owner else STATUS.NEW,
                created=self.node_since,
                owner=owner,
                owner_permission=perm,
                token=Token("start"),
                data={},
            )
        )


def open_task_holder(step: str, case: Case) -> tuple[User | None, str]:
    """(owner, permission) of an open `step` of `case`, as CaseFlow's node computes them
    when it creates the task (`.Assign(...)`, `.Permission(...)`): read from the flow, so
    that generated tasks sit in the same queues and inboxes as real ones."""
    node = getattr(CaseFlow, step)
    activation = SimpleNamespace(process=SimpleNamespace(case=case))
    return node.calc_owner(activation), node.calc_owner_permission(activation)
