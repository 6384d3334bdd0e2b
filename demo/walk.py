"""The walker of the demo scenarios: each case made through the application's own paths
(the referral forms, the referral services, then the workflow's steps, each completed by
the user who holds it), so that its history is the one the application writes.

The course each scenario takes is the process's own (`workflows.process`); here is how
each step's form is filled.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone

from cases import services
from cases.decisions import awards_money
from cases.enums import CaseStatus, HearingKind, Mode, PieceKind, Residence, StartingActCheck
from cases.forms import ReferralForms, referral_form_data
from cases.models import ActionType, Case, Lawyer, PosteComptable, User
from cases.parties import NEEDED
from cases.pieces import check_upload, sample_pdf
from deadlines.services import mark_done, sitting_day_on_or_before
from notifications.models import Notification
from workflows import services as workflow
from workflows.flows import CaseFlow
from workflows.process import PROCESS, Actor, Course, Move, course, course_to_step
from workflows.steps import LOCAL_LAW_COURT, STEPS, ProcedureActForm

from .scenarios import Scenario, scenarios

# Issue 17: the party an action needs, when a scenario names none.
DEMO_PARTY_NAMES = {
    "action_paulienne": "Bénéficiaires de l'acte contesté par {debtor}",
    "action_oblique": "Débiteur de {debtor}",
    "partage_indivision": "Co-indivisaires de {debtor}",
}


def create_cases(users: dict[str, User]) -> list[Case]:
    """Every scenario walked, then a few messages on the cases the pôle holds."""
    cases = [create_case(scenario, users) for scenario in scenarios(timezone.localdate())]
    create_messages(cases, users)
    read_past_notifications(users)
    return cases


# A demo account opens on this many unread notifications (its latest: mostly the
# messages just exchanged), the notifications of the cases' past having been read.
DEMO_UNREAD = 3


def read_past_notifications(users: dict[str, User]) -> None:
    now = timezone.now()
    for user in users.values():
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        recent = list(
            unread.order_by("-created_at", "-pk").values_list("pk", flat=True)[:DEMO_UNREAD]
        )
        unread.exclude(pk__in=recent).update(read_at=now)


def create_messages(cases: list[Case], users: dict[str, User]) -> None:
    """A few exchanges on cases the pôle holds, some left unread, through the service."""
    held = [case for case in cases if case.assigned_jurist_id and case.submitted_at]
    for case in held[:4]:
        referrer = case.created_by
        jurist = case.assigned_jurist
        services.post_message(
            jurist,
            case,
            "Bonjour, pouvez-vous nous transmettre le dernier état des paiements "
            "et la copie de la dernière mise en demeure ?",
        )
        title = f"Relevé des paiements - {case.debtor}"
        upload = ContentFile(sample_pdf(title), name="releve_paiements.pdf")
        services.post_message(
            referrer,
            case,
            "Bonjour, voici le relevé à jour. Aucun paiement depuis la mise en demeure.",
            [(upload, check_upload(upload))],
        )


def create_case(spec: Scenario, users: dict[str, User]) -> Case:
    referrer = users[spec.referrer]
    action = ActionType.objects.get(code=spec.action)
    case_values = {
        "mode": spec.mode,
        "action_type": action.pk,
        "facts": spec.facts,
        "request": spec.request,
    }
    if spec.poste:
        case_values["poste_comptable"] = PosteComptable.objects.get(name=spec.poste).pk
    data = referral_form_data(
        case=case_values,
        debtor=spec.debtor,
        claims=spec.claims,
        properties=spec.properties,
        managers=spec.managers,
        holders=spec.holders,
    )
    forms = ReferralForms(referrer, data)
    if not forms.is_valid():
        raise CommandError(
            f"Dossier de démonstration « {spec.debtor['name']} » refusé par le formulaire "
            f"de saisine : {_form_errors(forms)}"
        )
    case = services.save_referral(referrer, forms)

    # The case's own list: in Alsace-Moselle the livre foncier's extract (cases.models).
    kinds = list(case.required_pieces() if spec.pieces is None else spec.pieces)
    for kind in kinds + list(spec.extra_pieces):
        label = PieceKind(kind).label
        title = f"{label} - {spec.debtor['name']}"
        services.add_piece_bytes(
            referrer, case, kind, f"{kind}_{case.reference}.pdf", sample_pdf(title)
        )
    if not spec.submit:
        return case

    walk = DemoWalk(case, spec, users)
    if walk.dates:
        # Sent a few days before the pôle's first step, so that no delay the dashboards
        # measure from the submission is negative (the lifecycle keeps a submission date
        # already set).
        sent = walk.dates[0] - datetime.timedelta(days=3)
        at = timezone.make_aware(datetime.datetime.combine(sent, datetime.time(9)))
        Case.objects.filter(pk=case.pk).update(submitted_at=at)
        case.submitted_at = at
    services.submit_referral(referrer, case, confirm_duplicate=True)
    walk.run()
    return case


def scenario_course(spec: Scenario) -> Course:
    """The course a scenario takes: the process's shortest to its status (or to the step
    it is left at), with the endings it names where two lead the same way."""
    if spec.at_step:
        found = course_to_step(spec.at_step, spec.mode)
        where = f"l'étape « {spec.at_step} »"
    else:
        found = course(spec.to, spec.mode)
        where = f"le statut « {CaseStatus(spec.to).label} »"
    if found is None:
        raise CommandError(
            f"Dossier de démonstration « {spec.debtor['name']} » : une demande "
            f"« {Mode(spec.mode).label} » n'atteint jamais {where} ; changez son mode ou "
            "son point d'arrivée."
        )
    return Course(found.mode, tuple(_ending(move, spec) for move in found.moves))


def _ending(move: Move, spec: Scenario) -> Move:
    """The move, ended as the scenario says when it names another ending of that step that
    fires the same transition and leads to the same step."""
    chosen = spec.endings.get(move.step, move.outcome)
    if chosen == move.outcome:
        return move
    endings = PROCESS[move.step].outcomes
    if chosen not in endings or (endings[chosen].transition, endings[chosen].then) != (
        move.transition,
        endings[move.outcome].then,
    ):
        raise CommandError(
            f"Dossier de démonstration « {spec.debtor['name']} » : l'issue « {chosen} » de "
            f"l'étape « {move.step} » ne mène pas où va le dossier ; choisissez parmi "
            f"« {move.outcome} » et les issues équivalentes."
        )
    return Move(move.step, chosen, move.status)


# The choice of the appeal step's form for each of its endings.
APPEAL_CHOICE = {
    "pole_appeal": "pole",
    "opponent_appeal": "opponent",
    "no_appeal": "none",
    # Saisie immobilière: where the orientation judgment sends the case
    "forced_sale": "forced_sale",
    "amicable_sale": "amicable_sale",
    "suspended": "suspended",
}


class DemoWalk:
    """Take a submitted demo case along its scenario's course through the pôle's workflow
    (`workflows.process`): each move is its step's form, filled by the user who holds it,
    so the flow opens the next step itself. Domain dates are spread over the months before
    today: one date per transition of the course (a step that fires none shares the date
    of the next one that does), the last a week ago, the earlier ones 40 days apart."""

    def __init__(self, case: Case, spec: Scenario, users: dict[str, User]):
        self.case = case
        self.spec = spec
        self.users = users
        self.head = users["chef.pole"]
        self.jurist = users[spec.jurist] if spec.jurist else None
        self.expert = users[spec.expert] if spec.expert else None
        self.referrer = users[spec.referrer]
        self.course = scenario_course(spec)
        moves = self.course.moves
        self.slots = [sum(1 for m in moves[:i] if m.transition) for i in range(len(moves))]
        last = self.slots[-1] if moves else 0
        today = timezone.localdate()
        self.dates = [today - datetime.timedelta(days=7 + 40 * (last - i)) for i in range(last + 1)]
        self.index = 0
        self.move: Move | None = None
        self.after: Move | None = None

    def run(self) -> None:
        for index, move in enumerate(self.course.moves):
            self.index, self.move = self.slots[index], move
            self.after = (
                self.course.moves[index + 1] if index + 1 < len(self.course.moves) else None
            )
            if PROCESS[move.step].ended_elsewhere:  # the completion: resubmitted
                services.submit_referral(self.referrer, self.case, confirm_duplicate=True)
                self.case.refresh_from_db()
            else:
                getattr(self, move.step)(move.outcome, self.spec.reasons.get(move.step, ""))
            if self.case.status != move.status:
                raise CommandError(
                    f"Démonstration : après l'étape « {move.step} », le dossier "
                    f"{self.case.reference} est au statut « {self.case.get_status_display()} » "
                    f"et non « {CaseStatus(move.status).label} »."
                )
        self.keep_past_deadlines()

    def keep_past_deadlines(self) -> None:
        """The jurist met the deadlines that fell before the case's last step (the demo
        does not invent every act); those still running are left open."""
        if not self.course.moves or self.jurist is None:
            return
        last = self.dates[-1]
        for deadline in self.case.deadlines.filter(status="open", due_date__lt=last):
            mark_done(
                deadline,
                self.jurist,
                act="Acte accompli dans le délai",
                done_on=deadline.due_date - datetime.timedelta(days=1),
            )

    def day(self, offset: int = 0) -> str:
        return (self.dates[self.index] + datetime.timedelta(days=offset)).isoformat()

    def moment(self, offset: int = 0) -> str:
        return f"{self.day(offset)}T09:30"

    def sitting_moment(self, offset: int = 0) -> str:
        """A hearing's moment: moved back to a day the court sits."""
        day = datetime.date.fromisoformat(self.day(offset))
        return f"{sitting_day_on_or_before(self.case, day).isoformat()}T09:30"

    def holder(self) -> User:
        """Who takes the current step (`workflows.process.Actor`): the head accepts the
        referrals, juriste1, on intake duty, returns and refuses them."""
        actor, outcome = PROCESS[self.move.step].actor, self.move.outcome
        if actor == Actor.INTAKE:
            return self.head if outcome == "accept" else self.users["juriste1"]
        if actor == Actor.HEAD:
            return self.head
        if actor == Actor.REFERRER:
            return self.referrer
        if actor == Actor.OPINION_AUTHOR:
            return self.expert or self.jurist
        return self.jurist

    def step(self, data: dict, files: dict | None = None) -> None:
        """Complete the current step with `data`, as its holder."""
        name, user = self.move.step, self.holder()
        task = self._open(name)
        form = STEPS[name].form_class(data, files, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(
                f"Démonstration : étape « {name} » refusée pour {self.case.reference} : "
                f"{form.errors.get_json_data()}"
            )
        workflow.complete_task(task.pk, user, form.cleaned_data, data)
        self.case.refresh_from_db()

    def side(self, action: str, data: dict) -> None:
        """Run a side action of the current step, as its holder."""
        name, user = self.move.step, self.holder()
        form = STEPS[name].side_actions[action].form_class(data, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(f"Démonstration : {action} refusé : {form.errors.get_json_data()}")
        workflow.run_side_action(self._open(name).pk, user, action, form.cleaned_data)

    def _open(self, name: str):
        return workflow.active_tasks(self.case).get(flow_task=getattr(CaseFlow, name))

    # One method per workflow step: how its holder fills its form for the ending the
    # course takes (`outcome`), with the text the scenario gives that step (`reason`).

    def receivability(self, outcome: str, reason: str) -> None:
        if outcome == "accept":
            self.step({"decision": "accept"})
        elif outcome == "return":
            self.step({"decision": "return", "grounds": ["pieces", "facts"], "missing": reason})
        else:
            self.step({"decision": "decline", "reason": reason})

    def assignment(self, outcome: str, reason: str) -> None:
        data = {"jurist": self.jurist.pk if self.jurist else ""}
        if self.expert:
            data["expert"] = self.expert.pk
        self.step(data)

    def write_opinion(self, outcome: str, reason: str) -> None:
        """The opinion the scenario gives, or a draft awaiting the head's validation."""
        if not reason:
            data = {
                "conclusion": "favourable",
                "reasons": "Valeur du bien très supérieure aux créances ; aucun créancier "
                "inscrit avant l'administration.",
                "risk_level": "medium",
                "risk_assessment": "Risque d'une procédure collective qui suspendrait la "
                "saisie ; à surveiller au greffe.",
            }
        else:
            favourable = not reason.lower().startswith("avis défavorable")
            data = {
                "conclusion": "favourable" if favourable else "unfavourable",
                "reasons": reason,
                "risk_level": "low" if favourable else "high",
                "risk_assessment": "Patrimoine identifié et saisissable ; coût de la procédure "
                "mesuré au regard des créances.",
            }
        self.step(data)

    def validate_opinion(self, outcome: str, reason: str) -> None:
        data = {"decision": outcome}  # validate / return
        if outcome == "return":
            data["comments"] = reason
        self.step(data)

    def follow_up(self, outcome: str, reason: str) -> None:
        data = {"follow": "followed", "comment": reason}
        if outcome == "takeover_requested":
            data["takeover_requested"] = "on"
        self.step(data)

    def takeover_decision(self, outcome: str, reason: str) -> None:
        if outcome == "accept":
            self.step({"decision": "accept", "jurist": self.jurist.pk})
        else:
            self.step({"decision": "refuse", "reason": reason})

    def support(self, outcome: str, reason: str) -> None:
        self.step({"summary": reason})

    def mandate_lawyer(self, outcome: str, reason: str) -> None:
        lawyer = Lawyer.objects.filter(active=True).order_by("pk").first()
        self.step({"lawyer": lawyer.pk, "mandated_on": self.day(-20), "instructions": reason})

    def starting_act(self, outcome: str, reason: str) -> None:
        action = self.case.action_type
        self.add_parties()
        kind = "commandement" if action.code == "saisie_immobiliere" else "assignation"
        court = action.court
        if self.case.is_alsace_moselle:  # the local law's requête (loi du 1er juin 1924)
            kind, court = "requete", LOCAL_LAW_COURT
        data = {
            "kind": kind,
            "court": court,
            "signed_on": self.day(-10),
            "served_on": self.day(),
        }
        # What the action's law asks of its assignation (ActionType.starting_act_checks):
        # the land registry's publication where real estate is at stake, the CPC 1360 mentions.
        checks = [c for c in action.starting_act_checks if c != StartingActCheck.PUBLICATION]
        if checks:
            data["checks"] = checks
        if StartingActCheck.PUBLICATION in action.starting_act_checks and self.spec.real_estate:
            data.update(real_estate="on", published_on=self.day(-5))
        if action.code == "procedure_collective":  # the court follows the debtor (L.621-2)
            seat = COLLECTIVE_SEATS.get(self.case.direction.code, "Laon")
            data |= {"court": "", "debtor_activity": "commercial", "court_seat": seat}
            if "URSSAF" in self.case.request:
                data["co_plaintiff"] = "URSSAF"
        self.step(data)
        if self.case.is_alsace_moselle:
            self.local_acts()

    def local_acts(self) -> None:
        """The local procedure's first acts after the requête (loi du 1er juin 1924, art.
        141 s.): the commandement that preceded it, the ordonnance and its notification,
        recorded on the next step as its holder records them."""
        for kind, offset in (
            ("lf_commandement", -40),
            ("lf_ordonnance", 2),
            ("lf_notification", 4),
        ):
            form = ProcedureActForm(
                {"kind": kind, "date": self.day(offset)}, case=self.case, user=self.jurist
            )
            if not form.is_valid():
                raise CommandError(f"Démonstration : {kind} refusé : {form.errors.get_json_data()}")
            task = self._open("hearings")
            workflow.run_side_action(task.pk, self.jurist, "procedure_act", form.cleaned_data)

    def add_parties(self) -> None:
        """Issue 17: the scenario's parties, and the party the action needs (C. civ.
        1341-1, 1341-2, 815-17) when the scenario names none."""
        for party in self.spec.parties:
            self.side("party", {"residence": Residence.METROPOLE, **party})
        needed = NEEDED.get(self.case.action_type.code)
        if needed and not self.case.parties.filter(role=needed.role).exists():
            name = DEMO_PARTY_NAMES[self.case.action_type.code].format(debtor=self.case.debtor)
            self.side(
                "party", {"role": needed.role, "name": name, "residence": Residence.METROPOLE}
            )

    def hearings(self, outcome: str, reason: str) -> None:
        """Two hearings, the first adjourned, all held, then the deliberation."""
        court = self.case.action_type.court
        # The orientation hearing belongs to the saisie immobilière (R.322-15); elsewhere
        # the first hearing is the mise en état.
        first = (
            HearingKind.ORIENTATION
            if self.case.action_type.code == "saisie_immobiliere"
            else HearingKind.MISE_EN_ETAT
        )
        for offset, kind in ((-30, first), (-10, HearingKind.PLAIDOIRIE)):
            self.side(
                "hearing",
                {"court": court, "scheduled_at": self.sitting_moment(offset), "kind": kind},
            )
        first, second = self.case.hearings.order_by("scheduled_at")
        self.side(
            "adjourn",
            {
                "hearing": first.pk,
                "new_date": self.sitting_moment(-20),
                "reason": "Renvoi à la demande de la défense.",
            },
        )
        for hearing in self.case.hearings.filter(status="scheduled").order_by("scheduled_at"):
            self.side("held", {"hearing": hearing.pk})
        self.step({"deliberation_on": self.day(), "note": reason})

    def decision(self, outcome: str, reason: str) -> None:
        if outcome == "reopened":
            self.step({"result": "reopened", "reason": reason})
            return
        title = f"Jugement - {self.case.debtor}"
        upload = ContentFile(sample_pdf(title), name="jugement.pdf")
        money = awards_money(self.case.action_type.code, "granted")
        data = {
            "result": "decided",
            "decided_on": self.day(),
            "court": self.case.action_type.court,
            "outcome": "granted",
            # Issue 17: an amount only where the procedure awards money (cases.decisions).
            "amount_awarded": str(self.case.amounts["remaining"]) if money else "",
            "notified_on": self.day(3),
            "summary": reason,
        }
        # A saisie immobilière going on to its sale: the orientation judgment says which,
        # with the hearing it fixes (R.322-26: adjudication; R.322-21: recall).
        then = self.after.outcome if self.after and self.after.step == "appeal_decision" else ""
        if then == "forced_sale":
            data |= {"outcome": "vente_forcee", "amount_awarded": ""}
            data["adjudication_at"] = self.sitting_moment(70)
        elif then == "amicable_sale":
            data |= {"outcome": "vente_amiable", "amount_awarded": ""}
            data["recall_at"] = self.sitting_moment(60)
        self.step(data, files={"judgment": upload})

    def appeal_decision(self, outcome: str, reason: str) -> None:
        data = {"choice": APPEAL_CHOICE[outcome]}
        if outcome in ("pole_appeal", "opponent_appeal"):
            # Lodged ten days after the notification: within the appeal period (CPC 538,
            # R.121-20), whenever the walk takes the step.
            decision = self.case.decisions.order_by("-decided_on", "-pk").first()
            lodged = decision.notified_on + datetime.timedelta(days=10)
            data |= {
                "lodged_on": lodged.isoformat(),
                "court": "Cour d'appel d'Amiens",
                "grounds": reason or "Appel du redevable.",
            }
        self.step(data)

    def forced_sale(self, outcome: str, reason: str) -> None:
        """The adjudication at its hearing, then the price consigned (R.322-56)."""
        hearing = self.case.hearings.filter(
            kind=HearingKind.ADJUDICATION, status="scheduled"
        ).first()
        self.side(
            "adjudication",
            {"hearing": hearing.pk, "price": "118 500,00", "buyer": "SCI Les Remparts"},
        )
        self.step({"paid_on": self.day(), "note": reason})

    def amicable_sale(self, outcome: str, reason: str) -> None:
        """The judgment recording the amicable sale (R.322-25)."""
        upload = ContentFile(sample_pdf(f"Jugement - {self.case.debtor}"), name="jugement.pdf")
        self.step(
            {
                "result": "recorded",
                "decided_on": self.day(),
                "court": self.case.action_type.court,
                "price": "146 000,00",
                "buyer": "M. et Mme Lambert",
                "summary": reason,
            },
            files={"judgment": upload},
        )

    def distribution(self, outcome: str, reason: str) -> None:
        self.step(
            {
                "received_on": self.day(),
                "amount": "96 000,00",
                "closure_reason": self.spec.closure_reason or "recovered_partial",
                "comment": reason or "Prix distribué ; le Trésor est payé à son rang.",
            }
        )

    def execution(self, outcome: str, reason: str) -> None:
        """One recovery, then the closure."""
        self.side("recovery", {"received_on": self.day(), "amount": "41 230,00"})
        self.step({"closure_reason": self.spec.closure_reason, "comment": reason})


# The tribunal judiciaire of the demo debtors' seats, for an assignation to open collective
# proceedings (cases.collective.competent_court).
COLLECTIVE_SEATS = {"DDFIP 02": "Saint-Quentin", "DRFIP 67": "Strasbourg"}


def _form_errors(forms: ReferralForms) -> str:
    errors = {
        "saisine": forms.case_form.errors.get_json_data(),
        "redevable": forms.debtor_form.errors.get_json_data(),
    }
    for formset in forms.formsets:
        errors[formset.prefix] = [form.errors.get_json_data() for form in formset.forms]
        errors[formset.prefix + " (ensemble)"] = formset.non_form_errors()
    return str({key: value for key, value in errors.items() if value and any(value)})
