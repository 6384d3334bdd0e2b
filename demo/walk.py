"""The walker of the demo scenarios: each case made through the application's own paths
(the referral forms, the referral services, then the workflow's steps, each completed by
the user who holds it), so that its history is the one the application writes.

The course each scenario takes is the process's own (`workflows.process`); here is how
each step's form is filled, and when. The walk happens in the past: the demo's clock
(`demo.clock`) is set to the moment of each act before it is recorded, so every row,
history entry and notification is dated as if the pôle had done it then, in order, on
working days of the court's département at office hours. The dates follow the law's
chronology (`tests/demo/test_chronology.py` checks each rule on every case).

Adding a step to the walk (a new step of `workflows.process`): a method of `DemoWalk`
named like the step, `def my_step(self, outcome, reason)`, which fills its form with
`self.step({...})` (and its side actions with `self.side(name, {...})`), taking its dates
from `self.today` and moving the clock with `self.at(day)` / `self.after(days)`; and its
pace, how many days after the previous step it is taken, in `PACE`.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone

from cases import services
from cases.collective import competent_court
from cases.decisions import awards_money
from cases.enums import (
    ActParty,
    CaseStatus,
    HearingKind,
    Mode,
    PieceKind,
    Residence,
    StartingActCheck,
    StartingActKind,
)
from cases.formatting import long_date
from cases.forms import ReferralForms, referral_form_data
from cases.models import ALSACE_MOSELLE, ActionType, Case, PosteComptable, User
from cases.parties import NEEDED
from cases.pieces import check_upload, sample_pdf
from deadlines.calendar import appeal_deadline, calendar_departement
from deadlines.engine import compute_deadline, is_working_day
from deadlines.enums import ProcedureActKind
from deadlines.prescription import refresh_pending_instances
from deadlines.rules import RECOURSE_TEMPLATES
from deadlines.services import local_law_applies, mark_done
from notifications.models import Notification
from workflows import services as workflow
from workflows.flows import CaseFlow
from workflows.process import PROCESS, Actor, Course, Move, course, course_to_step, course_via
from workflows.steps import STEPS, ProcedureActForm

from . import risk_grid
from .clock import DemoClock
from .courts import lawyer_for, rg_number
from .scenarios import Scenario, scenarios
from .workspace import set_up_workspace

# Issue 17: the party an action needs, when a scenario names none.
DEMO_PARTY_NAMES = {
    "action_paulienne": "Bénéficiaires de l'acte contesté par {debtor}",
    "action_oblique": "Débiteur de {debtor}",
    "partage_indivision": "Co-indivisaires de {debtor}",
}

ONE_DAY = datetime.timedelta(days=1)

# How many days after the step before it (the submission for the first) each step is
# taken: the demo's pace. A step not named here takes DEFAULT_PACE; a step's method may
# move the clock further (the hearings go from one hearing day to the next).
PACE: dict[str, int] = {
    "receivability": 4,
    "completion": 9,
    "assignment": 2,
    "write_opinion": 16,
    "validate_opinion": 4,
    "follow_up": 12,
    "takeover_decision": 5,
    "support": 30,
    "mandate_lawyer": 7,
    "starting_act": 0,  # signed and served some days after the mandate (its method)
    "hearings": 1,  # the acts that follow the service, then each hearing day
    "decision": 0,  # on the deliberation day, recorded once notified
    "appeal_decision": 0,  # once appealed, or once the appeal period is over
    "declare_claim": 0,  # once the opening is published in the BODACC (its method)
    "execution": 0,  # the recoveries, then the closure
    # Saisie immobilière after the orientation judgment: each on its hearing or its act
    "forced_sale": 0,  # at the adjudication hearing, then the price paid (R.322-56)
    "amicable_sale": 0,  # at the recall hearing (R.322-21, R.322-25)
    "distribution": 0,  # once the price is distributed (R.331-1 s.)
    # Alsace-Moselle: each once its act is done (their methods)
    "local_ordonnance": 0,
    "local_inscription": 0,
    "local_adjudication": 0,
}
DEFAULT_PACE = 10

# The hours a court sits (a hearing's time) and an office's (any other act).
HEARING_TIMES = ((9, 0), (9, 30), (10, 0), (11, 0), (14, 0), (14, 30), (16, 0), (16, 30))
OFFICE_HOURS = (9, 17)

# What met an open deadline the walk leaves behind once it is over, by template.
EXPIRED = {
    "appel": "Délai expiré sans appel : décision définitive",
    # Issue 17: after an appeal's decision, the pourvoi (CPC 612); after a default
    # judgment, the opposition (CPC 538, 571-572) (deadlines.rules.RECOURSE_TEMPLATES)
    "pourvoi": "Délai expiré sans pourvoi : décision définitive",
    "opposition": "Délai expiré sans opposition : jugement définitif",
    # CPC 1034: the juridiction de renvoi not seized, the first judgment is final.
    "renvoi": "Délai expiré sans saisine de la juridiction de renvoi : jugement définitif",
    # Alsace-Moselle: the ordonnance d'exécution forcée not challenged in its period
    # (deadlines.rules.LOCAL_RULES["lf_pourvoi"] gives the text)
    "lf_pourvoi": "Délai expiré sans pourvoi immédiat : ordonnance définitive",
    # The adjudication: no surenchère within its ten days (CPCE R.322-50)
    "si_surenchere": "Délai expiré sans surenchère",
}


def create_cases(users: dict[str, User]) -> list[Case]:
    """Every scenario walked (in the order they were created, so that the references
    follow the dates), then a few messages on the cases the pôle holds."""
    today = timezone.localdate()
    specs = scenarios(today)
    made: dict[int, Case] = {}
    with DemoClock() as clock:
        for index in sorted(range(len(specs)), key=lambda i: typed_day(specs[i])):
            made[index] = create_case(specs[index], users, clock)
            clock.real()
        cases = [made[index] for index in range(len(specs))]
        # The daily task's morning run (deadlines.tasks): the decisions whose appeal
        # period ran out since they were recorded are final, their claims' terms move.
        clock.set(office_moment(last_working_days(2)[0], 7))
        refresh_pending_instances()
        clock.real()
        create_messages(cases, users, clock)
    set_up_workspace(cases, users)
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


def last_working_days(count: int, departement: str | None = None) -> list[datetime.date]:
    """The `count` working days before today, oldest first."""
    days, day = [], timezone.localdate()
    while len(days) < count:
        day -= ONE_DAY
        if is_working_day(day, departement):
            days.append(day)
    return days[::-1]


def create_messages(cases: list[Case], users: dict[str, User], clock: DemoClock) -> None:
    """A few exchanges on cases the pôle holds, some left unread, through the service:
    the jurist asks on the last working day but one, the referrer answers on the last."""
    held = [
        case
        for case in cases
        if case.assigned_jurist_id and case.status not in (CaseStatus.CLOSED, CaseStatus.DECLINED)
    ]
    asked, answered = last_working_days(2)
    for index, case in enumerate(held[:4]):
        referrer = case.created_by
        jurist = case.assigned_jurist
        clock.set(office_moment(asked, 10 + index))
        services.post_message(
            jurist,
            case,
            "Bonjour, pouvez-vous nous transmettre le dernier état des paiements "
            "et la copie de la dernière mise en demeure ?",
        )
        title = f"Relevé des paiements - {case.debtor}"
        upload = ContentFile(sample_pdf(title), name="releve_paiements.pdf")
        clock.set(office_moment(answered, 9 + index, 15))
        services.post_message(
            referrer,
            case,
            "Bonjour, voici le relevé à jour. Aucun paiement depuis la mise en demeure.",
            [(upload, check_upload(upload))],
        )
    clock.real()


def office_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def create_case(spec: Scenario, users: dict[str, User], clock: DemoClock) -> Case:
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
    rng = random.Random(spec.debtor["name"] + spec.action)
    departement = _departement(spec, referrer)
    referred = _working_day_before(spec_referred(spec), departement)
    clock.set(_at_office(_working_day_before(typed_day(spec), departement), rng))
    forms = ReferralForms(referrer, data)
    if not forms.is_valid():
        raise CommandError(
            f"Dossier de démonstration « {spec.debtor['name']} » refusé par le formulaire "
            f"de saisine : {_form_errors(forms)}"
        )
    case = services.save_referral(referrer, forms)

    # The case's own list: in Alsace-Moselle the livre foncier's extract (cases.models).
    kinds = list(case.required_pieces() if spec.pieces is None else spec.pieces)
    for index, kind in enumerate(kinds + list(spec.extra_pieces)):
        label = PieceKind(kind).label
        title = f"{label} - {spec.debtor['name']}"
        services.add_piece_bytes(
            referrer,
            case,
            kind,
            f"{kind}_{case.reference}.pdf",
            sample_pdf(title),
            # The documents themselves predate the referral: a few weeks, one per piece.
            dated_on=spec_referred(spec) - (30 - index) * ONE_DAY,
        )
    if not spec.submit:
        return case

    walk = DemoWalk(case, spec, users, clock, rng)
    walk.at(referred)
    services.submit_referral(referrer, case, confirm_duplicate=True)
    walk.run()
    return case


def spec_referred(spec: Scenario) -> datetime.date:
    return spec.referred or timezone.localdate() - 7 * ONE_DAY


def typed_day(spec: Scenario) -> datetime.date:
    """The referral is typed a few days before it is sent (a draft: on the day given)."""
    typing = random.Random(spec.debtor["name"] + spec.action + "typed").randint(1, 4)
    return spec_referred(spec) - datetime.timedelta(days=typing if spec.submit else 0)


def _departement(spec: Scenario, referrer: User) -> str | None:
    """The calendar the referral is typed on (before the case exists): the property's
    département, else the referring direction's (`deadlines.calendar`)."""
    for prop in spec.properties:
        if prop.get("departement"):
            return prop["departement"]
    direction = referrer.direction or (
        referrer.poste_comptable.direction if referrer.poste_comptable_id else None
    )
    return direction.departement if direction else None


def _working_day(day: datetime.date, departement: str | None) -> datetime.date:
    while not is_working_day(day, departement):
        day += ONE_DAY
    return day


def _working_day_before(day: datetime.date, departement: str | None) -> datetime.date:
    while not is_working_day(day, departement):
        day -= ONE_DAY
    return day


def _at_office(day: datetime.date, rng: random.Random) -> datetime.datetime:
    hour = rng.randint(OFFICE_HOURS[0], OFFICE_HOURS[1] - 1)
    return office_moment(day, hour, rng.randint(0, 59))


def scenario_course(spec: Scenario) -> Course:
    """The course a scenario takes: the process's shortest to its status (or to the step
    it is left at), with the endings it names where two lead the same way."""
    # A saisie of a property in Alsace-Moselle follows the local law's steps.
    local_law = spec.action == "saisie_immobiliere" and any(
        p.get("departement") in ALSACE_MOSELLE for p in spec.properties
    )
    if spec.at_step:
        found = course_to_step(spec.at_step, spec.mode, local_law)
        where = f"l'étape « {spec.at_step} »"
    elif spec.via:
        found = course_via(spec.to, spec.mode, *spec.via, local_law)
        where = f"le statut « {CaseStatus(spec.to).label} » par « {' / '.join(spec.via)} »"
    else:
        found = course(spec.to, spec.mode, local_law)
        where = f"le statut « {CaseStatus(spec.to).label} »"
    if found is None:
        raise CommandError(
            f"Dossier de démonstration « {spec.debtor['name']} » : une demande "
            f"« {Mode(spec.mode).label} » n'atteint jamais {where} ; changez son mode ou "
            "son point d'arrivée."
        )
    return Course(found.mode, tuple(_ending(move, spec) for move in found.moves), found.local_law)


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
    # Collective proceedings: the opening not appealed, on to the declaration of the claim
    "no_appeal_opening": "none",
    # Saisie immobilière: where the orientation judgment sends the case
    "forced_sale": "forced_sale",
    "amicable_sale": "amicable_sale",
    "suspended": "suspended",
}


class DemoWalk:
    """Take a submitted demo case along its scenario's course through the pôle's workflow
    (`workflows.process`): each move is its step's form, filled by the user who holds it,
    so the flow opens the next step itself, at the moment the demo's clock is set to.

    `self.t` is the moment of the last thing done; `self.dates` the dates the scenario's
    texts may quote (`Scenario.reasons`: « {served} », « {decision} »…)."""

    def __init__(
        self,
        case: Case,
        spec: Scenario,
        users: dict[str, User],
        clock: DemoClock,
        rng: random.Random,
    ):
        self.case = case
        self.spec = spec
        self.users = users
        self.clock = clock
        self.rng = rng
        self.head = users["chef.pole"]
        self.jurist = users[spec.jurist] if spec.jurist else None
        self.expert = users[spec.expert] if spec.expert else None
        self.referrer = users[spec.referrer]
        self.course = scenario_course(spec)
        self.departement = calendar_departement(case)
        self.court = spec.court or case.action_type.court
        if case.action_type.code == "procedure_collective":
            # The court of the debtor's seat and activity (C. com. L.621-2), the lawyer of
            # its bar (cases.collective.competent_court).
            self.seat = COLLECTIVE_SEATS.get(case.direction.code, "Laon")
            self.court = competent_court("commercial", self.seat, timezone.localdate()).name
        self.t = timezone.now()
        self.dates: dict[str, datetime.date] = {}
        self.move: Move | None = None
        self.next_move: Move | None = None

    # Time ---------------------------------------------------------------------------------

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.t)

    def working_day(self, day: datetime.date) -> datetime.date:
        """`day`, or the first working day after it on the case's calendar."""
        return _working_day(day, self.departement)

    def at(self, day: datetime.date, time: tuple[int, int] | None = None) -> datetime.datetime:
        """The clock to `day` (the next working day if it is not one), at office hours or
        at `time`; never back before the last moment."""
        day = self.working_day(max(day, self.today))
        moment = office_moment(day, *time) if time else _at_office(day, self.rng)
        if moment <= self.t:
            moment = self.t + datetime.timedelta(minutes=self.rng.randint(5, 40))
        try:
            self.t = self.clock.set(moment)
        except ValueError:
            raise CommandError(
                f"Dossier de démonstration « {self.spec.debtor['name']} » : l'étape "
                f"« {self.move.step if self.move else 'saisine'} » tomberait le "
                f"{long_date(timezone.localdate(moment))}, dans le futur ; saisissez-le plus "
                "tôt (Scenario.referred) ou arrêtez-le avant."
            ) from None
        return self.t

    def after(self, days: int, time: tuple[int, int] | None = None) -> datetime.datetime:
        return self.at(self.today + datetime.timedelta(days=days), time)

    def sitting(self, day: datetime.date) -> datetime.datetime:
        """A hearing's moment: the first day on or after `day` the court sits, at one of
        its hours."""
        hour, minute = self.rng.choice(HEARING_TIMES)
        return office_moment(self.working_day(day), hour, minute)

    def note(self, name: str, day: datetime.date) -> datetime.date:
        self.dates[name] = day
        return day

    def text(self, step: str, *, strict: bool = True) -> str:
        """The scenario's text for `step`, its « {date} » fields filled from the walk (not
        `strict`: a date not reached yet is left as it is, for the step's method to fill
        once it has it)."""
        template = self.spec.reasons.get(step, "")
        known = {k: long_date(v) for k, v in self.dates.items()}
        if not strict:
            return template.format_map(_Lenient(known))
        try:
            return template.format_map(known)
        except KeyError as missing:
            raise CommandError(
                f"Dossier de démonstration « {self.spec.debtor['name']} » : le texte de "
                f"l'étape « {step} » cite {missing}, date que la démonstration n'a pas encore "
                f"atteinte (connues : {', '.join(sorted(self.dates)) or 'aucune'})."
            ) from None

    # The walk -----------------------------------------------------------------------------

    def run(self) -> None:
        for index, move in enumerate(self.course.moves):
            self.move = move
            self.next_move = (
                self.course.moves[index + 1] if index + 1 < len(self.course.moves) else None
            )
            self.after(PACE.get(move.step, DEFAULT_PACE))
            if PROCESS[move.step].ended_elsewhere:  # the completion: resubmitted
                services.submit_referral(self.referrer, self.case, confirm_duplicate=True)
                self.case.refresh_from_db()
            elif hasattr(self, move.step):
                reason = self.text(move.step, strict=False)
                getattr(self, move.step)(move.outcome, reason)
            elif move.step in self.spec.steps:  # a step the walker has no method for
                self.step({})
            else:
                raise CommandError(
                    f"Dossier de démonstration « {self.spec.debtor['name']} » : la démonstration "
                    f"ne sait pas remplir l'étape « {move.step} » ; donnez son formulaire dans "
                    "Scenario.steps ou une méthode à DemoWalk (demo/scenarios.py explique "
                    "comment)."
                )
            if self.case.status != move.status:
                raise CommandError(
                    f"Démonstration : après l'étape « {move.step} », le dossier "
                    f"{self.case.reference} est au statut « {self.case.get_status_display()} » "
                    f"et non « {CaseStatus(move.status).label} »."
                )

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
        """Complete the current step with `data`, and what the scenario gives that step's
        form (`Scenario.steps`), as its holder."""
        name, user = self.move.step, self.holder()
        data = {**data, **self.given(name)}
        task = self._open(name)
        form = STEPS[name].form_class(data, files, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(
                f"Démonstration : étape « {name} » refusée pour {self.case.reference} : "
                f"{form.errors.get_json_data()}"
            )
        workflow.complete_task(task.pk, user, form.cleaned_data, data)
        self.case.refresh_from_db()

    def given(self, step: str) -> dict:
        """The fields the scenario gives `step`'s form, a callable one called with the walk
        (`lambda walk: walk.today.isoformat()`)."""
        return {
            key: value(self) if callable(value) else value
            for key, value in self.spec.steps.get(step, {}).items()
        }

    def side(self, action: str, data: dict) -> None:
        """Run a side action of the current step, as its holder."""
        name, user = self.move.step, self.holder()
        form = STEPS[name].side_actions[action].form_class(data, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(
                f"Démonstration : {action} refusé pour {self.case.reference} : "
                f"{form.errors.get_json_data()}"
            )
        workflow.run_side_action(self._open(name).pk, user, action, form.cleaned_data)

    def procedure_act(self, kind: str, day: datetime.date, **data) -> None:
        """An act of the procedure (publication, assignation, dénonciation…), recorded on
        the day it is done."""
        self.at(day)
        self.side("procedure_act", {"kind": kind, "date": day.isoformat(), **data})

    def _open(self, name: str):
        return workflow.active_tasks(self.case).get(flow_task=getattr(CaseFlow, name))

    def expire(self, template: str) -> None:
        """The open deadline `template` ran out without the act it waits for: recorded the
        next working day (`EXPIRED` says what that means)."""
        for deadline in self.case.deadlines.filter(status="open", template=template):
            self.at(deadline.due_date + ONE_DAY)
            mark_done(deadline, self.jurist, act=EXPIRED[template], done_on=deadline.due_date)

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
                **risk_grid.WATCHFUL,
            }
        else:
            favourable = not reason.lower().startswith("avis défavorable")
            data = {
                "conclusion": "favourable" if favourable else "unfavourable",
                "reasons": reason,
                "risk_level": "low" if favourable else "high",
                "risk_assessment": "Patrimoine identifié et saisissable ; coût de la procédure "
                "mesuré au regard des créances.",
                **(risk_grid.FAVOURABLE if favourable else risk_grid.UNFAVOURABLE),
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
        """A lawyer of the bar of the court the case goes before (`demo.courts`)."""
        lawyer = lawyer_for(self.court)
        if lawyer is None:
            raise CommandError(
                f"Dossier de démonstration « {self.spec.debtor['name']} » : aucun avocat de "
                f"l'annuaire ne plaide devant « {self.court} » (fixtures/lawyers.json)."
            )
        mandated = self.note("mandated", self.today)
        self.step(
            {"lawyer": lawyer.pk, "mandated_on": mandated.isoformat(), "instructions": reason}
        )

    def starting_act_kind(self) -> str:
        if self.case.action_type.code != "saisie_immobiliere":
            return StartingActKind.ASSIGNATION
        # Alsace-Moselle: the exécution forcée immobilière starts by a request to the court
        # (loi du 1er juin 1924).
        return StartingActKind.REQUETE if self.case.is_alsace_moselle else "commandement"

    def starting_act(self, outcome: str, reason: str) -> None:
        """Signed some days after the mandate, served (a request: filed) a few days later,
        recorded the day after; with what the action's law asks of it (the checks, the land
        registry's publication, the court of a collective proceeding)."""
        action = self.case.action_type
        self.add_parties()
        kind = self.starting_act_kind()
        signed = self.note("signed", self.working_day(self.today + 12 * ONE_DAY))
        served = signed
        if kind != StartingActKind.REQUETE:
            served = self.working_day(signed + 4 * ONE_DAY)
        self.note("served", served)
        data = {
            "kind": kind,
            "court": self.court,
            "signed_on": signed.isoformat(),
            "served_on": "" if kind == StartingActKind.REQUETE else served.isoformat(),
            "party": action.starting_act_party or ActParty.DEBTOR,
        }
        # What the action's law asks of its assignation (ActionType.starting_act_checks):
        # the land registry's publication where real estate is at stake, the CPC 1360 mentions.
        checks = [c for c in action.starting_act_checks if c != StartingActCheck.PUBLICATION]
        if checks:
            data["checks"] = checks
        recorded = served + ONE_DAY
        if StartingActCheck.PUBLICATION in action.starting_act_checks and self.spec.real_estate:
            published = self.note("published", self.working_day(served + 3 * ONE_DAY))
            data.update(real_estate="on", published_on=published.isoformat())
            recorded = published + ONE_DAY
        if action.code == "procedure_collective":  # the court follows the debtor (L.621-2)
            data |= {"court": "", "debtor_activity": "commercial", "court_seat": self.seat}
            if "URSSAF" in self.case.request:
                data["co_plaintiff"] = "URSSAF"
        self.at(recorded)
        self.step(data)
        if self.case.is_alsace_moselle:
            # The commandement that preceded the requête (ancien art. 2217 C. civ.),
            # recorded on the next step from the bailiff's act.
            day = signed - 40 * ONE_DAY
            data = {"kind": ProcedureActKind.LF_COMMANDEMENT, "date": day.isoformat()}
            form = ProcedureActForm(data, case=self.case, user=self.jurist)
            if not form.is_valid():
                raise CommandError(f"Démonstration : commandement refusé : {form.errors}")
            task = self._open("local_ordonnance")
            workflow.run_side_action(task.pk, self.jurist, "procedure_act", form.cleaned_data)

    # Alsace-Moselle: the local law's exécution forcée (loi du 1er juin 1924, art. 141 s.)

    def local_ordonnance(self, outcome: str, reason: str) -> None:
        """The tribunal de l'exécution orders the exécution forcée some weeks after the
        requête and commits a notaire; the ordonnance notified by the greffe a few days
        later, recorded then (its pourvoi immédiat: fifteen days)."""
        ordered = self.note("ordonnance", self.working_day(self.dates["signed"] + 21 * ONE_DAY))
        notified = self.note("notification", self.working_day(ordered + 5 * ONE_DAY))
        self.at(notified + ONE_DAY)
        self.step(
            {
                "result": "ordered",
                "ordonnance_on": ordered.isoformat(),
                "court": self.court,
                "notaire": self.spec.notaire or "Me Anne Muller, notaire à Strasbourg",
                "notified_on": notified.isoformat(),
            }
        )

    def local_inscription(self, outcome: str, reason: str) -> None:
        """The exécution forcée inscribed at the livre foncier some weeks later; the
        pourvoi immédiat's period over by then: the ordonnance is final."""
        self.expire("lf_pourvoi")
        inscribed = self.note("inscription", self.working_day(self.today + 10 * ONE_DAY))
        self.at(inscribed + ONE_DAY)
        references = [p.land_register_reference for p in self.case.properties.all()]
        self.step({"inscribed_on": inscribed.isoformat(), "note": " ; ".join(references)})

    def local_adjudication(self, outcome: str, reason: str) -> None:
        """The notaire's cahier des charges (art. 147), the adjudication some months on,
        the price paid to him."""
        cahier = self.note("cahier", self.working_day(self.today + 30 * ONE_DAY))
        sold = self.note("adjudication", self.working_day(cahier + 75 * ONE_DAY))
        paid = self.working_day(sold + 20 * ONE_DAY)
        self.at(paid + ONE_DAY)
        self.step(
            {
                "cahier_on": cahier.isoformat(),
                "adjudicated_on": sold.isoformat(),
                "notaire": self.spec.notaire or "Me Anne Muller, notaire à Strasbourg",
                "price": "212 000,00",
                "buyer": "SCI Rhin Tertiaire",
                "paid_on": paid.isoformat(),
                "note": self.text("local_adjudication"),
            }
        )

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

    def cpce_acts(self) -> datetime.datetime:
        """A saisie immobilière (CPCE): the commandement published within two months of
        its service (R.321-6); the debtor assigned within two months of the publication,
        one to three months before the orientation hearing written in the assignation
        (R.322-4); the commandement denounced to the registered creditors and the cahier
        des conditions de vente filed by the fifth jour ouvrable after it (R.322-6,
        R.322-10). Returns the orientation hearing's moment."""
        served = self.dates["served"]
        published = self.note("publication", self.working_day(served + 27 * ONE_DAY))
        self.procedure_act(ProcedureActKind.PUBLICATION, published)
        assigned = self.note("assignation", self.working_day(published + 30 * ONE_DAY))
        hearing = self.sitting(assigned + 45 * ONE_DAY)
        self.note("orientation", hearing.date())
        self.procedure_act(
            ProcedureActKind.ASSIGNATION, assigned, hearing_on=hearing.date().isoformat()
        )
        self.set_hearing(HearingKind.ORIENTATION, hearing)  # the one the assignation fixed
        fifth = compute_deadline(assigned, ouvrables=5, departement=self.departement)
        for kind, days in (
            (ProcedureActKind.DENONCIATION_CREANCIERS, 2),
            (ProcedureActKind.CAHIER, 3),
        ):
            self.procedure_act(kind, min(self.working_day(assigned + days * ONE_DAY), fifth))
        return hearing

    def first_hearing_kind(self) -> str:
        """A tribunal judiciaire's chamber puts the case in état first (CPC 780 s.); the
        juge de l'exécution, the président and the tribunal de commerce hear the pleadings
        at once."""
        if self.court.lower().startswith("tribunal judiciaire"):
            return HearingKind.MISE_EN_ETAT
        return HearingKind.PLAIDOIRIE

    def set_hearing(self, kind: str, moment: datetime.datetime) -> None:
        self.side(
            "hearing",
            {
                "court": self.court,
                "scheduled_at": f"{moment:%Y-%m-%dT%H:%M}",
                "kind": kind,
                # A court of appeal gives its own number: left to the lawyer's report.
                "rg_number": ""
                if self.court.lower().startswith("cour")
                else rg_number(self.case.reference),
            },
        )

    def after_hearing(self, moment: datetime.datetime) -> None:
        """The clock to a little after the hearing (the jurist back from court)."""
        local = timezone.localtime(moment)
        self.at(local.date(), (min(local.hour + 2, 17), local.minute))

    def hearings(self, outcome: str, reason: str) -> None:
        """The hearing the starting act calls to (for a saisie, after its CPCE acts: the
        orientation hearing, R.322-15), adjourned once, then held; after a mise en état,
        the pleadings; the deliberation set four weeks after the last hearing."""
        saisie = self.case.action_type.code == "saisie_immobiliere"
        if saisie and not local_law_applies(self.case):
            first, kind = self.cpce_acts(), HearingKind.ORIENTATION
        else:
            first = self.sitting(self.dates["served"] + 35 * ONE_DAY)
            kind = self.first_hearing_kind()
            self.set_hearing(kind, first)
        self.after_hearing(first)
        adjourned = self.sitting(timezone.localdate(first) + 35 * ONE_DAY)
        hearing = self.case.hearings.get(status="scheduled")
        self.side(
            "adjourn",
            {
                "hearing": hearing.pk,
                "new_date": f"{adjourned:%Y-%m-%dT%H:%M}",
                "reason": "Renvoi à la demande de la défense.",
            },
        )
        self.after_hearing(adjourned)
        self.side("held", {"hearing": self.case.hearings.get(status="scheduled").pk})
        last = adjourned
        if kind == HearingKind.MISE_EN_ETAT:
            last = self.sitting(timezone.localdate(adjourned) + 30 * ONE_DAY)
            self.set_hearing(HearingKind.PLAIDOIRIE, last)
            self.after_hearing(last)
            self.side("held", {"hearing": self.case.hearings.get(status="scheduled").pk})
        self.note("hearing", timezone.localdate(last))
        deliberation = self.note("deliberation", self.working_day(self.today + 28 * ONE_DAY))
        self.step({"deliberation_on": deliberation.isoformat(), "note": self.text("hearings")})

    def decision(self, outcome: str, reason: str) -> None:
        """Rendered on the deliberation day, served some days later, recorded then."""
        if outcome == "reopened":
            self.step({"result": "reopened", "reason": reason})
            return
        decided = self.note("decision", max(self.dates.get("deliberation", self.today), self.today))
        notified = self.note("notification", self.working_day(decided + 9 * ONE_DAY))
        self.at(notified + ONE_DAY)
        title = f"Jugement - {self.case.debtor}"
        upload = ContentFile(sample_pdf(title), name="jugement.pdf")
        money = awards_money(self.case.action_type.code, "granted")
        data = {
            "result": "decided",
            "decided_on": decided.isoformat(),
            "court": self.court,
            "outcome": "granted",
            # Issue 17: an amount only where the procedure awards money (cases.decisions).
            "amount_awarded": str(self.case.amounts["remaining"]) if money else "",
            "notified_on": notified.isoformat(),
            "summary": self.text("decision"),
        }
        # A saisie immobilière going on to its sale: the orientation judgment says which,
        # with the hearing it fixes: the adjudication two to four months after it
        # (R.322-26), the recall within four months (R.322-21).
        then = self.next_move.outcome if self.next_move else ""
        if self.next_move and self.next_move.step != "appeal_decision":
            then = ""
        if then == "forced_sale":
            hearing = self.sitting(decided + 63 * ONE_DAY)
            self.note("adjudication", hearing.date())
            data |= {"outcome": "vente_forcee", "amount_awarded": ""}
            data["adjudication_at"] = f"{hearing:%Y-%m-%dT%H:%M}"
        elif then == "amicable_sale":
            hearing = self.sitting(decided + 60 * ONE_DAY)
            self.note("recall", hearing.date())
            data |= {"outcome": "vente_amiable", "amount_awarded": ""}
            data["recall_at"] = f"{hearing:%Y-%m-%dT%H:%M}"
        self.step(data, files={"judgment": upload})

    def appeal_decision(self, outcome: str, reason: str) -> None:
        """An appeal lodged within its period (CPC 538, CPCE R.121-20, C. com. R.661-3),
        recorded two days later; or none (an orientation judgment sending the case to its
        sale, or suspending it, not appealed either): recorded once the period is over."""
        decision = self.case.decisions.order_by("-decided_on", "-pk").first()
        last_day = appeal_deadline(decision)
        if outcome not in ("pole_appeal", "opponent_appeal"):
            for template in RECOURSE_TEMPLATES.values():  # the one the decision opened
                self.expire(template)
            self.after(1)
            self.step({"choice": APPEAL_CHOICE[outcome]})
            if outcome == "forced_sale" and self.next_move is None:  # the walk stops here
                self.advertise_sale()
            return
        lodged = self.working_day(decision.notified_on + 8 * ONE_DAY)
        if last_day is not None:
            lodged = min(lodged, last_day)
        self.note("appeal", lodged)
        self.at(lodged + 2 * ONE_DAY)
        self.step(
            {
                "choice": APPEAL_CHOICE[outcome],
                "lodged_on": lodged.isoformat(),
                "court": self.spec.appeal_court,
                "grounds": self.text("appeal_decision") or "Appel du redevable.",
            }
        )
        for deadline in self.case.deadlines.filter(
            status="open", template__in=RECOURSE_TEMPLATES.values()
        ):
            mark_done(deadline, self.jurist, act="Appel interjeté", done_on=lodged)

    def advertise_sale(self) -> None:
        """The sale advertised between two months and one month before the adjudication
        hearing (R.322-31, R.322-32), on the forced sale's step, once that day is past."""
        hearing = self.case.hearings.filter(
            kind=HearingKind.ADJUDICATION, status="scheduled"
        ).first()
        if (
            hearing is None
            or self.case.procedure_acts.filter(kind=ProcedureActKind.PUBLICITE_VENTE).exists()
        ):
            return
        day = self.working_day(timezone.localdate(hearing.scheduled_at) - 35 * ONE_DAY)
        if day >= timezone.localdate(self.clock.real_now()):
            return
        self.at(day)
        data = {"kind": ProcedureActKind.PUBLICITE_VENTE, "date": day.isoformat()}
        form = ProcedureActForm(data, case=self.case, user=self.jurist)
        if not form.is_valid():
            raise CommandError(f"Démonstration : publicité refusée : {form.errors.get_json_data()}")
        task = self._open("forced_sale")
        workflow.run_side_action(task.pk, self.jurist, "procedure_act", form.cleaned_data)

    def forced_sale(self, outcome: str, reason: str) -> None:
        """The adjudication at its hearing, then the price consigned (R.322-56)."""
        hearing = self.case.hearings.filter(
            kind=HearingKind.ADJUDICATION, status="scheduled"
        ).first()
        self.advertise_sale()
        self.after_hearing(hearing.scheduled_at)
        self.side(
            "adjudication",
            {"hearing": hearing.pk, "price": "118 500,00", "buyer": "SCI Les Remparts"},
        )
        # Paid within two months of the adjudication (R.322-56), after the surenchère's
        # ten days (R.322-50).
        self.expire("si_surenchere")
        self.after(2)
        self.step({"paid_on": self.today.isoformat(), "note": self.text("forced_sale")})

    def amicable_sale(self, outcome: str, reason: str) -> None:
        """The judgment recording the amicable sale (R.322-25)."""
        hearing = self.case.hearings.filter(status="scheduled").order_by("scheduled_at").first()
        if hearing is not None:
            self.after_hearing(hearing.scheduled_at)
            self.side("held", {"hearing": hearing.pk})
        upload = ContentFile(sample_pdf(f"Jugement - {self.case.debtor}"), name="jugement.pdf")
        self.step(
            {
                "result": "recorded",
                "decided_on": self.today.isoformat(),
                "court": self.court,
                "price": "146 000,00",
                "buyer": "M. et Mme Lambert",
                "summary": self.text("amicable_sale"),
            },
            files={"judgment": upload},
        )

    def distribution(self, outcome: str, reason: str) -> None:
        """The price distributed some months after the sale (CPCE R.331-1 s.), the
        Trésor's share received."""
        self.after(60)
        self.step(
            {
                "received_on": self.today.isoformat(),
                "amount": "96 000,00",
                "closure_reason": self.spec.closure_reason or "recovered_partial",
                "comment": self.text("distribution")
                or "Prix distribué ; le Trésor est payé à son rang.",
            }
        )

    def declare_claim(self, outcome: str, reason: str) -> None:
        """The opening judgment published in the BODACC some days after it; the claim
        declared to the liquidateur a week later, well within the two months of that
        publication (C. com. R.622-24)."""
        bodacc = self.note("bodacc", self.working_day(self.dates["decision"] + 12 * ONE_DAY))
        declared = self.note("declaration", self.working_day(max(bodacc, self.today) + 7 * ONE_DAY))
        self.at(declared)
        self.step(
            {
                "bodacc_on": bodacc.isoformat(),
                "mandataire": self.spec.mandataire,
                "declared_on": declared.isoformat(),
                "amount": str(self.case.amounts["remaining"]),
            }
        )

    def execution(self, outcome: str, reason: str) -> None:
        """One recovery some weeks after the decision became final, then the closure."""
        self.after(40)
        self.note("recovery", self.today)
        self.side("recovery", {"received_on": self.today.isoformat(), "amount": "41 230,00"})
        self.after(20)
        self.step({"closure_reason": self.spec.closure_reason, "comment": self.text("execution")})


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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
