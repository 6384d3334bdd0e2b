"""The walker of the demo scenarios: each case made through the application's own paths
(the referral forms, the referral services, then the workflow's steps, each completed by
the user who holds it), so that its history is the one the application writes.

Which steps fire which transition of a scenario's path is `demo.process.STEPS_FOR`;
here is how each step's form is filled.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone

from cases import services
from cases.enums import HearingKind, PieceKind
from cases.forms import ReferralForms, referral_form_data
from cases.models import ActionType, Case, Lawyer, PosteComptable, User
from cases.pieces import check_upload, sample_pdf
from deadlines.services import mark_done, sitting_day_on_or_before
from workflows import services as workflow
from workflows.flows import CaseFlow
from workflows.steps import STEPS

from .process import CLOSING_STEP, STEPS_FOR
from .scenarios import Scenario, scenarios


def create_cases(users: dict[str, User]) -> list[Case]:
    """Every scenario walked, then a few messages on the cases the pôle holds."""
    cases = [create_case(scenario, users) for scenario in scenarios(timezone.localdate())]
    create_messages(cases, users)
    return cases


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

    kinds = list(action.required_pieces if spec.pieces is None else spec.pieces)
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


class DemoWalk:
    """Take a submitted demo case along its scenario's path through the pôle's workflow:
    each lifecycle transition of the path becomes the step (or steps) whose form, filled
    by the user who holds it, fires it. Domain dates are spread over the months before
    today."""

    def __init__(self, case: Case, spec: Scenario, users: dict[str, User]):
        self.case = case
        self.spec = spec
        self.users = users
        self.head = users["chef.pole"]
        self.jurist = users[spec.jurist] if spec.jurist else None
        self.referrer = users[spec.referrer]
        today = timezone.localdate()
        # The last step of the path a week ago, the earlier ones 40 days apart.
        last = len(spec.path) - 1
        self.dates = [
            today - datetime.timedelta(days=7 + 40 * (last - i)) for i in range(len(spec.path))
        ]
        self.index = 0

    def run(self) -> None:
        for index, transition in enumerate(self.spec.path):
            self.index = index
            if transition == "close":
                steps = (CLOSING_STEP[self.case.status],)
            else:
                steps = STEPS_FOR[transition]
            for step in steps:
                getattr(self, step)(transition, self.spec.reasons.get(transition, ""))
        self.keep_past_deadlines()

    def keep_past_deadlines(self) -> None:
        """The jurist met the deadlines that fell before the case's last step (the demo
        does not invent every act); those still running are left open."""
        if not self.spec.path or self.jurist is None:
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

    def step(self, name: str, user: User, data: dict, files: dict | None = None) -> None:
        task = self._open(name)
        form = STEPS[name].form_class(data, files, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(
                f"Démonstration : étape « {name} » refusée pour {self.case.reference} : "
                f"{form.errors.get_json_data()}"
            )
        workflow.complete_task(task.pk, user, form.cleaned_data, data)
        self.case.refresh_from_db()

    def side(self, step: str, action: str, user: User, data: dict) -> None:
        form = STEPS[step].side_actions[action].form_class(data, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(f"Démonstration : {action} refusé : {form.errors.get_json_data()}")
        workflow.run_side_action(self._open(step).pk, user, action, form.cleaned_data)

    def _open(self, name: str):
        return workflow.active_tasks(self.case).get(flow_task=getattr(CaseFlow, name))

    # One method per workflow step: how the user who holds it fills its form, for the
    # transition of the path it fires (`transition`) and the reason the scenario gives.

    def receivability(self, transition: str, reason: str) -> None:
        if transition == "accept":
            self.step("receivability", self.head, {"decision": "accept"})
        elif transition == "return_for_completion":
            self.step(
                "receivability",
                self.users["juriste1"],
                {"decision": "return", "grounds": ["pieces", "facts"], "missing": reason},
            )
        else:
            self.step(
                "receivability", self.users["juriste1"], {"decision": "decline", "reason": reason}
            )

    def assignment(self, transition: str, reason: str) -> None:
        """Left open when the scenario names nobody (the case waits for the head)."""
        if self.spec.jurist or self.spec.expert:
            data = {"jurist": self.jurist.pk if self.jurist else ""}
            if self.spec.expert:
                data["expert"] = self.users[self.spec.expert].pk
            self.step("assignment", self.head, data)

    def write_opinion(self, transition: str, reason: str) -> None:
        author = self.users[self.spec.expert] if self.spec.expert else self.jurist
        if transition == "submit_opinion":  # left awaiting the head's validation
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
                "reasons": reason or "Action opportune au regard du patrimoine connu.",
                "risk_level": "low" if favourable else "high",
                "risk_assessment": "Patrimoine identifié et saisissable ; coût de la procédure "
                "mesuré au regard des créances.",
            }
        self.step("write_opinion", author, data)

    def validate_opinion(self, transition: str, reason: str) -> None:
        self.step("validate_opinion", self.head, {"decision": "validate"})

    def mandate_lawyer(self, transition: str, reason: str) -> None:
        lawyer = Lawyer.objects.filter(active=True).order_by("pk").first()
        self.step(
            "mandate_lawyer",
            self.jurist,
            {"lawyer": lawyer.pk, "mandated_on": self.day(-20), "instructions": reason},
        )

    def starting_act(self, transition: str, reason: str) -> None:
        action = self.case.action_type
        kind = "commandement" if action.code == "saisie_immobiliere" else "assignation"
        self.step(
            "starting_act",
            self.jurist,
            {
                "kind": kind,
                "court": action.court,
                "signed_on": self.day(-10),
                "served_on": self.day(),
            },
        )

    def hearings(self, transition: str, reason: str) -> None:
        """Two hearings, the first adjourned, all held, then the deliberation."""
        court = self.case.action_type.court
        for offset, kind in ((-30, HearingKind.ORIENTATION), (-10, HearingKind.PLAIDOIRIE)):
            self.side(
                "hearings",
                "hearing",
                self.jurist,
                {"court": court, "scheduled_at": self.sitting_moment(offset), "kind": kind},
            )
        first, second = self.case.hearings.order_by("scheduled_at")
        self.side(
            "hearings",
            "adjourn",
            self.jurist,
            {
                "hearing": first.pk,
                "new_date": self.sitting_moment(-20),
                "reason": "Renvoi à la demande de la défense.",
            },
        )
        for hearing in self.case.hearings.filter(status="scheduled").order_by("scheduled_at"):
            self.side("hearings", "held", self.jurist, {"hearing": hearing.pk})
        self.step("hearings", self.jurist, {"deliberation_on": self.day(), "note": reason})

    def decision(self, transition: str, reason: str) -> None:
        title = f"Jugement - {self.case.debtor}"
        upload = ContentFile(sample_pdf(title), name="jugement.pdf")
        self.step(
            "decision",
            self.jurist,
            {
                "result": "decided",
                "decided_on": self.day(),
                "court": self.case.action_type.court,
                "outcome": "granted",
                "amount_awarded": str(self.case.amounts["remaining"]),
                "notified_on": self.day(3),
                "summary": reason,
            },
            files={"judgment": upload},
        )

    def appeal_decision(self, transition: str, reason: str) -> None:
        if transition == "start_execution":
            self.step("appeal_decision", self.jurist, {"choice": "none"})
            return
        self.step(
            "appeal_decision",
            self.jurist,
            {
                "choice": "opponent",
                "lodged_on": self.day(),
                "court": "Cour d'appel d'Amiens",
                "grounds": reason or "Appel du redevable.",
            },
        )

    def support(self, transition: str, reason: str) -> None:
        self.step("support", self.jurist, {"summary": reason})

    def follow_up(self, transition: str, reason: str) -> None:
        self.step("follow_up", self.referrer, {"follow": "followed", "comment": reason})

    def execution(self, transition: str, reason: str) -> None:
        """One recovery, then the closure."""
        self.side(
            "execution",
            "recovery",
            self.jurist,
            {"received_on": self.day(), "amount": "41 230,00"},
        )
        self.step(
            "execution",
            self.jurist,
            {"closure_reason": self.spec.closure_reason, "comment": reason},
        )


def _form_errors(forms: ReferralForms) -> str:
    errors = {
        "saisine": forms.case_form.errors.get_json_data(),
        "redevable": forms.debtor_form.errors.get_json_data(),
    }
    for formset in forms.formsets:
        errors[formset.prefix] = [form.errors.get_json_data() for form in formset.forms]
        errors[formset.prefix + " (ensemble)"] = formset.non_form_errors()
    return str({key: value for key, value in errors.items() if value and any(value)})
