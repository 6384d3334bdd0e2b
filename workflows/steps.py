"""What each human step of the flow asks and does (the steps themselves, who takes them
and how they end are described once in `workflows.process`).

A step has a form (what the user fills, savable as a draft) and an operation that runs
under the process lock once the form is valid: the domain change (`cases.proceedings`,
`cases.services`) and the case lifecycle transition that goes with it. Some steps also
have side actions that record something without finishing the step (a hearing, an
adjournment, an amount recovered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone

from cases import access, history, proceedings
from cases.enums import (
    ActParty,
    AppealParty,
    ClosureReason,
    DecisionOutcome,
    HearingKind,
    HearingStatus,
    Instance,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    ReturnGround,
    RiskLevel,
    Role,
    SaleKind,
    SaleReport,
    StartingActKind,
)
from cases.formatting import long_date
from cases.forms import ActDateField, ActDateTimeField, DateInput, DsfrFormMixin, MoneyField
from cases.lifecycle import CaseLifecycle
from cases.models import ActionType, Case, Hearing, Lawyer, Opinion, ReturnGroundRecord, User
from cases.pieces import check_upload
from cases.services import assign_case
from deadlines import services as deadlines
from deadlines.calendar import appeal_deadline, calendar_departement
from deadlines.enums import ProcedureActKind
from deadlines.rules import SAISIE_IMMOBILIERE as SAISIE
from deadlines.saisie_calendar import WINDOWS, non_sitting_day
from documents.enums import DocumentKind
from documents.services import request_document

from .process import PROCESS, Actor, ProcessStep

TEXTAREA = {"rows": 4}


def _textarea(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=10000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


def _radio(label: str, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return ActDateField(label=label, required=required, widget=DateInput())


class StepForm(DsfrFormMixin, forms.Form):
    """A step's form knows its case and user (for choices and cross-field rules)."""

    def __init__(self, *args, case: Case, user: User, **kwargs):
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)

    def is_valid_draft(self) -> bool:
        """A draft may be unfinished, not wrong: the fields are cleaned as on completion
        and every error they raise is kept but a missing value (so a NUL byte, a
        million characters or year 1 are refused, in French, as the step would refuse
        them); the cross-field rules wait for completion."""
        self.full_clean()
        kept = ErrorDict()
        for name, errors in self.errors.as_data().items():
            wrong = [e for e in errors if e.code not in (None, "required")]
            if name in self.fields and wrong:
                kept[name] = self.error_class(wrong, renderer=self.renderer)
        self._errors = kept  # what the page shows: only what a draft may not keep
        return not kept

    def draft_values(self) -> dict:
        """The values typed in the form's own fields, as kept on the task (JSON)."""
        values = {}
        for name in self.fields:
            key = self.add_prefix(name)
            typed = self.data.getlist(key) if hasattr(self.data, "getlist") else []
            if typed:
                values[key] = typed if len(typed) > 1 else typed[0]
        return values

    def require(self, name: str, message: str) -> None:
        if not self.cleaned_data.get(name):
            self.add_error(name, message)

    def not_future(self, *names: str) -> None:
        today = timezone.localdate()
        for name in names:
            value = self.cleaned_data.get(name)
            if value and value > today:
                self.add_error(name, "Cette date ne peut pas être dans le futur.")


@dataclass
class Context:
    """What an operation works on: the task, the case (fresh, under lock) and the user."""

    task: object
    case: Case
    user: User

    @property
    def lifecycle(self) -> CaseLifecycle:
        return CaseLifecycle(self.case, self.user)

    def produce(self, kind: str) -> None:
        """Ask for the document this step produces (rendered in the background)."""
        request_document(self.case, kind, self.user, check=False)


@dataclass
class SideAction:
    label: str
    form_class: type[StepForm]
    perform: Callable[[Context, dict], None]


@dataclass
class StepSpec:
    """The code of a step of `workflows.process.PROCESS` (same name): its form, its
    operation and its side actions. Who takes it is in the process description."""

    name: str
    form_class: type[StepForm] | None
    perform: Callable[[Context, dict], None] | None
    submit_label: str = "Valider l'étape"
    side_actions: dict[str, SideAction] = field(default_factory=dict)
    # Undoing the step (the head reopens it): False when what it recorded cannot be taken
    # back; `undo` takes back what it recorded besides the status (which an undoable step
    # never changes).
    undoable: bool = True
    undo: Callable[[Context, str], None] | None = None
    # What the step's form starts from when nothing was drafted yet (the case -> values).
    initial: Callable[[Case], dict] | None = None

    def initial_for(self, case: Case) -> dict:
        return self.initial(case) if self.initial else {}

    @property
    def process_step(self) -> ProcessStep:
        return PROCESS[self.name]

    @property
    def who(self) -> str:
        return self.process_step.actor.label

    @property
    def also_by(self) -> Callable[[User, Case], bool] | None:
        """Someone other than the task's holder who may also finish it (support: the
        referring side closes the thread as well as the jurist)."""
        other = self.process_step.also_by
        return None if other is None else MAY_ACT[other]

    @property
    def has_form(self) -> bool:
        return self.form_class is not None


# The actors a step may name in `also_by`, as a check on a user and a case.
MAY_ACT = {Actor.REFERRER: access.is_referrer}


# 1. Receivability ---------------------------------------------------------------------


class ReceivabilityForm(StepForm):
    decision = _radio(
        "Décision",
        [
            ("accept", "Recevable : mettre le dossier en examen"),
            ("return", "Incomplet : renvoyer à la direction pour complément"),
            ("decline", "Irrecevable : refuser la demande"),
        ],
    )
    grounds = forms.MultipleChoiceField(
        label="Motifs du renvoi",
        choices=ReturnGround.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    missing = _textarea(
        "Ce qui manque",
        required=False,
        help_text="Une ligne par élément attendu ; la direction reçoit cette liste.",
    )
    reason = _textarea("Motifs du refus", required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return":
            self.require("grounds", "Cochez au moins un motif du renvoi.")
            self.require("missing", "Indiquez ce que la direction doit compléter.")
        if data.get("decision") == "decline":
            self.require("reason", "Indiquez les motifs du refus.")
        return data


def do_receivability(ctx: Context, data: dict) -> None:
    decision = data["decision"]
    if decision == "accept":
        ctx.lifecycle.accept()
    elif decision == "return":
        lifecycle = ctx.lifecycle
        lifecycle.return_for_completion(reason=history.missing_items(data["missing"]))
        ReturnGroundRecord.objects.bulk_create(
            ReturnGroundRecord(event=lifecycle.last_event, ground=ground)
            for ground in data["grounds"]
        )
    else:
        ctx.lifecycle.decline(reason=data["reason"])
    ctx.produce(DocumentKind.ACCUSE)


# 2. Assignment ------------------------------------------------------------------------


def jurists():
    return User.objects.filter(role__in=[Role.JURIST, Role.HEAD], is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def experts():
    return (
        User.objects.filter(role=Role.EXPERT, is_active=True)
        .select_related("direction")
        .order_by("direction__code", "last_name", "username")
    )


class AssignmentForm(StepForm):
    jurist = forms.ModelChoiceField(
        label="Juriste du pôle", queryset=User.objects.none(), required=False
    )
    expert = forms.ModelChoiceField(
        label="Expert d'une direction aidante",
        queryset=User.objects.none(),
        required=False,
        help_text="Pour un avis d'opportunité seulement : l'expert rédige l'avis.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurist"].queryset = jurists()
        self.fields["jurist"].initial = self.case.assigned_jurist_id
        if self.case.mode == Mode.AVIS:
            self.fields["expert"].queryset = experts()
            self.fields["expert"].initial = self.case.assigned_expert_id
            self.fields["expert"].label_from_instance = lambda u: f"{u} ({u.direction})"
        else:
            del self.fields["expert"]

    def clean(self):
        data = super().clean()
        if self.case.mode == Mode.AVIS:
            if not data.get("jurist") and not data.get("expert"):
                raise ValidationError("Choisissez un juriste ou un expert pour rédiger l'avis.")
        else:
            self.require("jurist", "Choisissez le juriste qui suivra le dossier.")
        return data


def do_assignment(ctx: Context, data: dict) -> None:
    assign_case(ctx.user, ctx.case, jurist=data.get("jurist"), expert=data.get("expert"))
    if ctx.case.mode == Mode.SOUTIEN:
        ctx.lifecycle.start_support()
    elif ctx.case.mode == Mode.PRISE_EN_CHARGE:
        ctx.lifecycle.take_over()


# 3a. Opinion --------------------------------------------------------------------------


class OpinionForm(StepForm):
    conclusion = _radio("Conclusion", OpinionConclusion.choices)
    recommended_action = forms.ModelChoiceField(
        label="Action recommandée à la place",
        queryset=ActionType.objects.all(),
        required=False,
        help_text="Seulement si vous recommandez une autre action.",
    )
    reasons = _textarea("Motifs de l'avis")
    risk_level = _radio("Risque de non-recouvrement", RiskLevel.choices)
    risk_assessment = _textarea(
        "Appréciation du risque",
        help_text="Solvabilité, patrimoine saisissable, aléa judiciaire, coût de la procédure.",
    )

    def clean(self):
        data = super().clean()
        if data.get("conclusion") == OpinionConclusion.OTHER_ACTION:
            self.require("recommended_action", "Indiquez l'action que vous recommandez.")
        else:
            data["recommended_action"] = None
        return data


def do_write_opinion(ctx: Context, data: dict) -> None:
    proceedings.submit_opinion(ctx.case, ctx.user, **data)


def undo_write_opinion(ctx: Context, reason: str) -> None:
    """The submitted version goes back to its author, who writes the next one."""
    proceedings.review_opinion(current_opinion(ctx.case), ctx.user, validate=False, comments=reason)


def returned_opinion_values(case: Case) -> dict:
    """A returned opinion's next version starts from its text (the author amends it)."""
    opinion = Opinion.objects.current(case)
    if opinion is None or opinion.status != OpinionStatus.RETURNED:
        return {}
    return {
        "conclusion": opinion.conclusion,
        "recommended_action": opinion.recommended_action_id,
        "reasons": opinion.reasons,
        "risk_level": opinion.risk_level,
        "risk_assessment": opinion.risk_assessment,
    }


class OpinionReviewForm(StepForm):
    decision = _radio(
        "Décision",
        [("validate", "Valider l'avis et l'envoyer"), ("return", "Renvoyer à son auteur")],
    )
    comments = _textarea("Observations", required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return":
            self.require("comments", "Indiquez à l'auteur ce qu'il doit reprendre.")
        return data


def current_opinion(case: Case) -> Opinion:
    opinion = Opinion.objects.current(case)
    if opinion is None:
        raise ValidationError("Aucun avis n'a été rédigé pour ce dossier.")
    return opinion


def do_validate_opinion(ctx: Context, data: dict) -> None:
    opinion = current_opinion(ctx.case)
    validate = data["decision"] == "validate"
    proceedings.review_opinion(opinion, ctx.user, validate=validate, comments=data["comments"])
    if validate:
        ctx.lifecycle.give_opinion()
        ctx.produce(DocumentKind.AVIS)


class FollowUpForm(StepForm):
    follow = _radio("La direction", OpinionFollow.choices)
    comment = _textarea("Commentaire", required=False)
    takeover_requested = forms.BooleanField(
        label="Demander au pôle de prendre en charge la procédure",
        required=False,
        help_text="Sans cette demande, le dossier est clos avec le motif « Avis rendu ».",
    )


def do_follow_up(ctx: Context, data: dict) -> None:
    proceedings.record_opinion_follow_up(current_opinion(ctx.case), ctx.user, **data)
    if not data["takeover_requested"]:
        ctx.lifecycle.close_after_opinion()


class TakeoverDecisionForm(StepForm):
    decision = _radio(
        "Décision",
        [("accept", "Prendre en charge la procédure"), ("refuse", "Refuser et clore le dossier")],
    )
    jurist = forms.ModelChoiceField(
        label="Juriste qui suivra la procédure", queryset=User.objects.none(), required=False
    )
    reason = _textarea("Motifs du refus", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurist"].queryset = jurists()
        self.fields["jurist"].initial = self.case.assigned_jurist_id

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept":
            self.require("jurist", "Choisissez le juriste qui suivra la procédure.")
        if data.get("decision") == "refuse":
            self.require("reason", "Indiquez les motifs du refus.")
        return data


def do_takeover_decision(ctx: Context, data: dict) -> None:
    if data["decision"] == "accept":
        if data["jurist"] != ctx.case.assigned_jurist:
            assign_case(ctx.user, ctx.case, jurist=data["jurist"])
        ctx.lifecycle.take_over_after_opinion()
    else:
        ctx.lifecycle.close(reason=data["reason"], closure_reason=ClosureReason.OPINION_GIVEN)


# 3b. Technical support ----------------------------------------------------------------


class SupportCloseForm(StepForm):
    summary = _textarea(
        "Synthèse du soutien",
        help_text="Ce qui a été conseillé et décidé ; elle clôt l'échange et le dossier.",
    )


def do_support(ctx: Context, data: dict) -> None:
    ctx.lifecycle.end_support(reason=data["summary"])


# 3c. Takeover -------------------------------------------------------------------------


class MandateForm(StepForm):
    lawyer = forms.ModelChoiceField(
        label="Avocat", queryset=Lawyer.objects.filter(active=True), empty_label="Choisir…"
    )
    mandated_on = _date("Mandaté le")
    fee_agreement = _textarea(
        "Convention d'honoraires",
        required=False,
        help_text="Vide : celle de l'annuaire pour cet avocat.",
    )
    instructions = _textarea("Instructions à l'avocat", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandated_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        self.not_future("mandated_on")
        if data.get("lawyer") and not data.get("fee_agreement"):
            data["fee_agreement"] = data["lawyer"].fee_agreement
        return data


def do_mandate_lawyer(ctx: Context, data: dict) -> None:
    proceedings.mandate_lawyer(ctx.case, ctx.user, **data)
    ctx.produce(DocumentKind.SAISINE_AVOCAT)
    ctx.produce(DocumentKind.BORDEREAU)


def undo_mandate_lawyer(ctx: Context, reason: str) -> None:
    mandate = ctx.case.mandates.filter(revoked_on__isnull=True).first()
    if mandate is not None:
        proceedings.revoke_mandate(mandate, ctx.user, reason=reason)


class StartingActForm(StepForm):
    kind = forms.ChoiceField(label="Acte", choices=StartingActKind.choices)
    court = forms.CharField(label="Juridiction", max_length=200)
    signed_on = _date("Signé le")
    served_on = _date("Signifié le", required=False)
    party = forms.ChoiceField(
        label="Dirigé contre",
        choices=ActParty.choices,
        required=False,
        help_text="Seul un acte contre le débiteur ou un co-débiteur solidaire interrompt la "
        "prescription (C. civ. 2241, 2244, 2245).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case.action_type_id:
            self.fields["court"].initial = self.case.action_type.court
            self.fields["party"].initial = self.case.action_type.starting_act_party

    def clean(self):
        data = super().clean()
        self.not_future("signed_on", "served_on")
        signed, served = data.get("signed_on"), data.get("served_on")
        if signed and served and served < signed:
            self.add_error("served_on", "La signification ne peut précéder la signature.")
        return data


def do_starting_act(ctx: Context, data: dict) -> None:
    deadlines.check_claims_before(
        ctx.case, data["signed_on"], f"L'acte introductif signé le {long_date(data['signed_on'])}"
    )
    act = proceedings.record_starting_act(ctx.case, ctx.user, **data)
    deadlines.check_saisie_sequence(ctx.case)
    deadlines.on_starting_act(ctx.case, ctx.user, act)
    ctx.lifecycle.engage_action(reason=history.action_engaged(act))


def current_instance(case: Case) -> str:
    return Instance.APPEAL if case.appeals.exists() else Instance.FIRST


class HearingForm(StepForm):
    court = forms.CharField(label="Juridiction", max_length=200)
    scheduled_at = ActDateTimeField(label="Date et heure", widget=DateTimeInput())
    kind = forms.ChoiceField(
        label="Nature de l'audience",
        choices=[("", "Choisir")] + list(HearingKind.choices),
        help_text="Décide des délais que l'audience fait courir (orientation : R.322-4 ; "
        "adjudication : publicité de la vente, R.322-31).",
    )
    purpose = forms.CharField(
        label="Précisions",
        max_length=200,
        required=False,
        help_text="Facultatif. Ex. : plaidoiries sur l'exception de nullité.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = self.case.hearings.order_by("-scheduled_at").first()
        appeal = self.case.appeals.order_by("-lodged_on").first()
        if appeal and (last is None or last.instance != Instance.APPEAL):
            self.fields["court"].initial = appeal.court
        elif last:
            self.fields["court"].initial = last.court
        elif self.case.action_type_id:
            self.fields["court"].initial = self.case.action_type.court


def do_schedule_hearing(ctx: Context, data: dict) -> None:
    deadlines.check_hearing_day(ctx.case, data["scheduled_at"])
    hearing = proceedings.schedule_hearing(
        ctx.case, ctx.user, instance=current_instance(ctx.case), **data
    )
    deadlines.check_saisie_sequence(ctx.case)
    deadlines.on_hearing(ctx.case, ctx.user, hearing)


class ScheduledHearingForm(StepForm):
    hearing = forms.ModelChoiceField(label="Audience", queryset=Hearing.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = self.case.hearings.filter(
            status=HearingStatus.SCHEDULED
        ).order_by("scheduled_at")


class AdjournmentForm(ScheduledHearingForm):
    new_date = ActDateTimeField(label="Renvoyée au", widget=DateTimeInput())
    reason = forms.CharField(label="Motif du renvoi", max_length=1000)


def do_adjourn(ctx: Context, data: dict) -> None:
    old = data["hearing"]
    deadlines.check_hearing_day(ctx.case, data["new_date"])
    new = proceedings.adjourn_hearing(
        old, ctx.user, new_date=data["new_date"], reason=data["reason"]
    )
    deadlines.check_saisie_sequence(ctx.case)
    deadlines.on_hearing_adjourned(ctx.case, ctx.user, old, new)


def do_mark_held(ctx: Context, data: dict) -> None:
    proceedings.mark_hearing_held(data["hearing"], ctx.user)


class ProcedureActForm(StepForm):
    kind = forms.ChoiceField(label="Acte", choices=ProcedureActKind.choices)
    date = _date("Date de l'acte")
    party = forms.ChoiceField(
        label="Dirigé contre (ou fait par)",
        choices=ActParty.choices,
        initial=ActParty.DEBTOR,
        required=False,
        help_text="Une reconnaissance de dette n'interrompt la prescription que faite par le "
        "débiteur ou un co-débiteur solidaire (C. civ. 2240, 2245).",
    )
    hearing_on = ActDateField(
        label="Audience d'orientation fixée au (assignation)",
        required=False,
        widget=DateInput(),
        help_text="La date écrite dans l'assignation : R.322-4 se juge sur elle.",
    )
    until = ActDateField(
        label="Effets prorogés jusqu'au (prorogation)",
        required=False,
        widget=DateInput(),
        help_text="Si le jugement fixe une date ; sinon cinq ans à compter de sa mention.",
    )
    note = forms.CharField(label="Observations", max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        self.not_future("date")
        return data


def do_procedure_act(ctx: Context, data: dict) -> None:
    """Publication, assignation, adjudication…: the deadlines they start or meet."""
    deadlines.record_procedure_act(ctx.case, ctx.user, **data)


PROCEDURE_ACT = SideAction(
    "Enregistrer un acte de la procédure", ProcedureActForm, do_procedure_act
)


class DeliberationForm(StepForm):
    deliberation_on = _date("Délibéré au")
    note = _textarea("Observations", required=False)

    def clean(self):
        data = super().clean()
        instance = current_instance(self.case)
        if not self.case.hearings.filter(instance=instance, status=HearingStatus.HELD).exists():
            raise ValidationError(
                "Indiquez d'abord qu'une audience s'est tenue (bouton « Audience tenue ») "
                "avant la mise en délibéré."
            )
        return data


def do_deliberation(ctx: Context, data: dict) -> None:
    ctx.lifecycle.await_decision(
        reason=history.deliberation(data["deliberation_on"], data.get("note") or "")
    )


class DecisionForm(StepForm):
    result = _radio(
        "Issue du délibéré",
        [("decided", "La décision est rendue"), ("reopened", "Les débats sont rouverts")],
    )
    decided_on = _date("Rendue le", required=False)
    court = forms.CharField(label="Juridiction", max_length=200, required=False)
    outcome = forms.ChoiceField(
        label="Sens de la décision",
        choices=[("", "Choisir")] + list(DecisionOutcome.choices),
        required=False,
    )
    amount_awarded = MoneyField(label="Montant alloué (€)", required=False)
    notified_on = _date("Signifiée / notifiée le", required=False)
    judgment = forms.FileField(
        label="Jugement",
        required=False,
        help_text="PDF ou image du jugement. Un brouillon ne conserve pas le fichier.",
    )
    summary = _textarea("Résumé", required=False)
    reason = _textarea("Motif de la réouverture", required=False)
    # Saisie immobilière: the hearing the orientation judgment fixes (removed elsewhere).
    adjudication_at = ActDateTimeField(
        label="Audience d'adjudication fixée au (vente forcée)",
        required=False,
        widget=DateTimeInput(),
        help_text="Vente forcée : la date que fixe le jugement, deux à quatre mois après "
        "lui (CPCE R.322-26). La publicité de la vente court à rebours de cette date "
        "(R.322-31).",
    )
    recall_at = ActDateTimeField(
        label="Audience de rappel fixée au (vente amiable)",
        required=False,
        widget=DateTimeInput(),
        help_text="Vente amiable : l'audience où l'affaire sera rappelée, dans les quatre mois "
        "du jugement (CPCE R.322-21).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = self.case.hearings.order_by("-scheduled_at").first()
        if last:
            self.fields["court"].initial = last.court
        if not is_saisie(self.case):
            del self.fields["adjudication_at"], self.fields["recall_at"]

    def clean(self):
        data = super().clean()
        if data.get("result") == "reopened":
            self.require("reason", "Indiquez pourquoi les débats sont rouverts.")
            return data
        for name, message in [
            ("decided_on", "Indiquez la date de la décision."),
            ("court", "Indiquez la juridiction."),
            ("outcome", "Indiquez le sens de la décision."),
            ("judgment", "Joignez le jugement."),
        ]:
            self.require(name, message)
        self.not_future("decided_on", "notified_on")
        decided, notified = data.get("decided_on"), data.get("notified_on")
        if decided and notified and notified < decided:
            self.add_error("notified_on", "La notification ne peut précéder la décision.")
        upload = data.get("judgment")
        if upload:
            try:
                check_upload(upload)
                upload.seek(0)
            except ValidationError as error:
                self.add_error("judgment", error)
        if is_saisie(self.case):
            clean_orientation(self, data)
        return data


def do_decision(ctx: Context, data: dict) -> None:
    if data["result"] == "reopened":
        ctx.lifecycle.reopen_hearings(reason=data["reason"])
        return
    decision = proceedings.record_decision(
        ctx.case,
        ctx.user,
        instance=current_instance(ctx.case),
        decided_on=data["decided_on"],
        court=data["court"],
        outcome=data["outcome"],
        amount_awarded=data["amount_awarded"],
        notified_on=data["notified_on"],
        judgment_file=data["judgment"],
        summary=data["summary"],
    )
    hearing = orientation_hearing(ctx, decision, data)  # saisie immobilière: R.322-21/26
    ctx.lifecycle.record_decision(reason=history.orientation(decision, hearing))
    deadlines.on_decision(ctx.case, ctx.user, decision)
    if hearing is not None:
        deadlines.on_hearing(ctx.case, ctx.user, hearing)  # the publicity (R.322-31)
    ctx.produce(DocumentKind.COMPTE_RENDU)


class AppealForm(StepForm):
    choice = _radio(
        "Appel",
        [
            ("pole", "Le pôle fait appel"),
            ("opponent", "La partie adverse a fait appel"),
            ("none", "Pas d'appel : passer à l'exécution"),
        ],
    )
    lodged_on = _date("Appel interjeté le", required=False)
    court = forms.CharField(label="Cour d'appel", max_length=200, required=False)
    grounds = _textarea("Moyens / motifs", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if is_saisie(self.case):
            self.fields["choice"].choices = [
                *self.fields["choice"].choices[:2],
                *SAISIE_APPEAL_CHOICES,
                ("none", "Pas d'appel : passer à l'exécution et clore (caducité, nullité…)"),
            ]

    def clean(self):
        data = super().clean()
        if is_saisie(self.case):
            clean_orientation_choice(self, data)
        if data.get("choice") in ("pole", "opponent"):
            self.require("lodged_on", "Indiquez la date de l'appel.")
            self.require("court", "Indiquez la cour d'appel.")
            self.require("grounds", "Résumez les moyens de l'appel.")
            self.not_future("lodged_on")
        decision = self.case.decisions.order_by("-decided_on", "-pk").first()
        deadline = appeal_deadline(decision) if decision else None
        lodged = data.get("lodged_on")
        if data.get("choice") == "pole" and deadline and lodged and lodged > deadline:
            self.add_error(
                "lodged_on",
                f"Le délai d'appel expirait le {long_date(deadline)} : l'appel du pôle "
                "serait irrecevable.",
            )
        return data


def do_appeal(ctx: Context, data: dict) -> None:
    if data["choice"] == "none":
        ctx.lifecycle.start_execution()
        return
    if data["choice"] in SAISIE_ROUTES:
        follow_orientation(ctx, data["choice"])
        return
    decision = ctx.case.decisions.order_by("-decided_on", "-pk").first()
    appeal = proceedings.record_appeal(
        ctx.case,
        ctx.user,
        decision=decision,
        lodged_by=AppealParty.POLE if data["choice"] == "pole" else AppealParty.OPPONENT,
        lodged_on=data["lodged_on"],
        court=data["court"],
        grounds=data["grounds"],
    )
    ctx.lifecycle.appeal(reason=history.appeal_lodged(appeal))
    deadlines.on_appeal(ctx.case, ctx.user, history.appeal_lodged(appeal))


class RecoveryForm(StepForm):
    received_on = _date("Encaissé le")
    amount = MoneyField(label="Montant (€)")
    party = forms.ChoiceField(
        label="Payé par",
        choices=ActParty.choices,
        initial=ActParty.DEBTOR,
        required=False,
        help_text="Le paiement du débiteur interrompt la prescription (C. civ. 2240) ; celui "
        "d'un tiers détenteur, non.",
    )
    comment = forms.CharField(label="Commentaire", max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        self.not_future("received_on")
        if data.get("amount") is not None and data["amount"] <= 0:
            self.add_error("amount", "Le montant encaissé doit être positif.")
        return data


def do_recovery(ctx: Context, data: dict) -> None:
    recovery = proceedings.record_recovery(ctx.case, ctx.user, **data)
    deadlines.record_interruptive_act(
        ctx.case, ctx.user, recovery.received_on, history.payment(recovery.amount)
    )


CLOSING_REASONS = [
    ClosureReason.RECOVERED_FULL,
    ClosureReason.RECOVERED_PARTIAL,
    ClosureReason.IRRECOVERABLE,
    ClosureReason.WITHDRAWN,
    ClosureReason.PRESCRIBED,
]


class ClosingForm(StepForm):
    closure_reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=[("", "Choisir")] + [(r.value, r.label) for r in CLOSING_REASONS],
    )
    comment = _textarea("Bilan", help_text="Ce qui a été obtenu et recouvré.")


def do_close(ctx: Context, data: dict) -> None:
    ctx.lifecycle.close(reason=data["comment"], closure_reason=data["closure_reason"])


# 4. Saisie immobilière, after the orientation judgment (CPCE R.322-15 s.) -------------
#
# The orientation judgment sends the case to the amicable sale (R.322-21: its recall
# hearing within four months) or to the forced sale (R.322-26: the adjudication hearing two
# to four months on), suspends it, or ends it (caducité, nullité). The forced sale: the
# publicity (R.322-31), the adjudication (R.322-39 s.) and its report (R.322-28), the
# surenchère (R.322-50 s.), the réitération des enchères (R.322-66 s.), the price paid
# (R.322-56); then the price is distributed.

ORIENTATION_ROUTES = {
    DecisionOutcome.VENTE_FORCEE: "forced_sale",
    DecisionOutcome.VENTE_AMIABLE: "amicable_sale",
    DecisionOutcome.SUSPENSION: "suspended",
    DecisionOutcome.CADUCITE: "none",
    DecisionOutcome.NULLITE: "none",
}
SAISIE_APPEAL_CHOICES = [
    ("forced_sale", "Pas d'appel : conduire la vente forcée (R.322-26)"),
    ("amicable_sale", "Pas d'appel : suivre la vente amiable (R.322-21)"),
    ("suspended", "Pas d'appel : la saisie est suspendue, à reprendre à une nouvelle audience"),
]
SAISIE_ROUTES = {choice for choice, _ in SAISIE_APPEAL_CHOICES}


def is_saisie(case: Case) -> bool:
    return bool(case.action_type_id) and case.action_type.code in SAISIE


def _departement(case: Case) -> str | None:
    return calendar_departement(case)


def orientation_outcome(case: Case) -> str | None:
    """The outcome of the orientation judgment in force: the last decision's, or, when the
    court of appeal confirmed, the judgment's it confirmed; None when it is not one of the
    orientation's (a judgment recorded before they existed, or reversed on appeal)."""
    decisions = list(case.decisions.order_by("-decided_on", "-pk"))
    for decision in decisions:
        if decision.outcome == DecisionOutcome.CONFIRMED:
            continue
        return decision.outcome if decision.outcome in ORIENTATION_ROUTES else None
    return None


def _check_window(form: StepForm, name: str, window: str, start, when) -> None:
    """The hearing `when` (a moment) falls in the window the CPCE sets from `start`, on a
    day the court sits."""
    if not start or not when:
        return
    day = timezone.localdate(when)
    problem = WINDOWS[window].problem(start, day, _departement(form.case))
    why = non_sitting_day(day, _departement(form.case))
    if why:
        problem = f"Le {long_date(day)} tombe {why} : le tribunal ne siège pas ce jour-là."
    if problem:
        form.add_error(name, problem)


def clean_orientation(form: StepForm, data: dict) -> None:
    """What the orientation judgment fixes: the adjudication hearing of a forced sale
    (R.322-26), the recall hearing of an amicable sale (R.322-21)."""
    outcome, decided = data.get("outcome"), data.get("decided_on")
    # On appeal the court may leave the date to the juge de l'exécution: asked, not required.
    first = current_instance(form.case) == Instance.FIRST
    if outcome == DecisionOutcome.VENTE_FORCEE:
        if first:
            form.require(
                "adjudication_at",
                "Indiquez la date de l'audience d'adjudication que fixe le jugement (R.322-26).",
            )
        _check_window(form, "adjudication_at", "adjudication", decided, data.get("adjudication_at"))
    else:
        data["adjudication_at"] = None
    if outcome == DecisionOutcome.VENTE_AMIABLE:
        if first:
            form.require(
                "recall_at",
                "Indiquez la date de l'audience de rappel que fixe le jugement (R.322-21).",
            )
        _check_window(form, "recall_at", "rappel", decided, data.get("recall_at"))
    else:
        data["recall_at"] = None


def _schedule(ctx: Context, *, kind: str, when, court: str, purpose: str = "") -> Hearing:
    """A hearing the judge fixed (adjudication, recall, surenchère…), in the sequence of
    the saisie; its deadlines are the caller's (`deadlines.on_hearing`)."""
    hearing = proceedings.schedule_hearing(
        ctx.case,
        ctx.user,
        instance=Instance.FIRST,
        court=court,
        scheduled_at=when,
        kind=kind,
        purpose=purpose,
    )
    deadlines.check_saisie_sequence(ctx.case)
    return hearing


def orientation_hearing(ctx: Context, decision, data: dict) -> Hearing | None:
    """The hearing the orientation judgment fixed, scheduled with the decision."""
    if data.get("adjudication_at"):
        kind, when = HearingKind.ADJUDICATION, data["adjudication_at"]
    elif data.get("recall_at"):
        kind, when = HearingKind.VENTE_AMIABLE, data["recall_at"]
    else:
        return None
    return _schedule(ctx, kind=kind, when=when, court=decision.court)


def clean_orientation_choice(form: StepForm, data: dict) -> None:
    """No appeal: the case goes where the orientation judgment in force sends it."""
    choice = data.get("choice")
    if choice in ("pole", "opponent") or not choice:
        return
    outcome = orientation_outcome(form.case)
    expected = ORIENTATION_ROUTES.get(outcome)
    if expected and choice != expected:
        labels = dict(form.fields["choice"].choices)
        form.add_error(
            "choice",
            f"Le jugement d'orientation a retenu : {DecisionOutcome(outcome).label.lower()}. "
            f"Choisissez « {labels[expected]} ».",
        )


def follow_orientation(ctx: Context, choice: str) -> None:
    decision = ctx.case.decisions.order_by("-decided_on", "-pk").first()
    reason = history.decision_recorded(decision) if decision else ""
    if choice == "forced_sale":
        ctx.lifecycle.order_forced_sale(reason=reason)
    elif choice == "amicable_sale":
        ctx.lifecycle.authorise_amicable_sale(reason=reason)
    else:
        ctx.lifecycle.suspend_saisie(
            reason=reason or "Suspension de la procédure ou délais de grâce"
        )


def _scheduled(case: Case, kind: str):
    return case.hearings.filter(kind=kind, status=HearingStatus.SCHEDULED).order_by("scheduled_at")


class _SaleHearingForm(StepForm):
    """A form on one of the case's scheduled hearings of `hearing_kind`."""

    hearing_kind = HearingKind.ADJUDICATION
    hearing = forms.ModelChoiceField(label="Audience", queryset=Hearing.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = _scheduled(self.case, self.hearing_kind)


# 4a. The forced sale ------------------------------------------------------------------


class SaleReportForm(_SaleHearingForm):
    """R.322-28: the forced sale is reported only for force majeure or on the request of
    the commission de surendettement."""

    ground = forms.ChoiceField(label="Motif du report (R.322-28)", choices=SaleReport.choices)
    new_date = ActDateTimeField(label="Vente reportée au", widget=DateTimeInput())
    detail = forms.CharField(label="Précisions", max_length=1000)

    def clean(self):
        data = super().clean()
        hearing, new = data.get("hearing"), data.get("new_date")
        if hearing and new and new <= hearing.scheduled_at:
            self.add_error("new_date", "La nouvelle date doit suivre celle de l'audience reportée.")
        if new and (why := non_sitting_day(timezone.localdate(new), _departement(self.case))):
            self.add_error("new_date", f"Cette date tombe {why} : le tribunal ne siège pas.")
        return data


def do_report_sale(ctx: Context, data: dict) -> None:
    old = data["hearing"]
    reason = history.sale_reported(SaleReport(data["ground"]).label, data["detail"])
    new = proceedings.adjourn_hearing(old, ctx.user, new_date=data["new_date"], reason=reason)
    deadlines.check_saisie_sequence(ctx.case)
    # The publicity runs again, back from the new date (R.322-31).
    deadlines.on_hearing_adjourned(ctx.case, ctx.user, old, new)


class AdjudicationForm(_SaleHearingForm):
    price = MoneyField(label="Prix d'adjudication (prix principal, €)")
    buyer = forms.CharField(label="Adjudicataire", max_length=200)
    note = forms.CharField(label="Observations", max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        hearing = data.get("hearing")
        if hearing and hearing.scheduled_at > timezone.now():
            day = long_date(timezone.localdate(hearing.scheduled_at))
            self.add_error("hearing", f"L'audience d'adjudication du {day} n'a pas encore eu lieu.")
        if data.get("price") is not None and data["price"] <= 0:
            self.add_error("price", "Le prix d'adjudication doit être positif.")
        return data


def _next_sale_kind(case: Case) -> str:
    """The adjudication that follows a surenchère, or a réitération des enchères."""
    last = case.sales.order_by("-sold_on", "-pk").first()
    if last is not None and last.overbid_on:
        return SaleKind.SURENCHERE
    if last is not None and last.defaulted_on:
        return SaleKind.REITERATION
    return SaleKind.ADJUDICATION


def do_adjudication(ctx: Context, data: dict) -> None:
    hearing = data["hearing"]
    kind = _next_sale_kind(ctx.case)
    sale = proceedings.record_sale(
        ctx.case,
        ctx.user,
        kind=kind,
        hearing=hearing,
        sold_on=timezone.localdate(hearing.scheduled_at),
        price=data["price"],
        buyer=data["buyer"],
        note=data.get("note") or "",
    )
    deadlines.on_adjudication(ctx.case, ctx.user, sale, overbid_allowed=kind != SaleKind.SURENCHERE)


def _standing_sale(case: Case):
    sale = proceedings.current_sale(case)
    if sale is None:
        raise ValidationError("Aucune adjudication n'est enregistrée pour ce bien.")
    return sale


class _NextHearingMixin:
    """The optional next sale hearing the judge fixes (surenchère, réitération)."""

    def next_hearing(self, data: dict, start_field: str, window: str) -> None:
        _check_window(self, "hearing_at", window, data.get(start_field), data.get("hearing_at"))


class SurenchereForm(_NextHearingMixin, StepForm):
    declared_on = _date("Surenchère déclarée au greffe le")
    overbidder = forms.CharField(label="Surenchérisseur", max_length=200)
    price = MoneyField(
        label="Prix porté par la surenchère (€)",
        help_text="Un dixième au moins au-dessus du prix principal d'adjudication (R.322-50).",
    )
    hearing_at = ActDateTimeField(
        label="Audience de surenchère fixée au",
        required=False,
        widget=DateTimeInput(),
        help_text="Si le juge l'a déjà fixée : deux à quatre mois après la déclaration (R.322-53).",
    )
    court = forms.CharField(label="Juridiction", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        self.not_future("declared_on")
        self.next_hearing(data, "declared_on", "surenchere")
        return data


def do_surenchere(ctx: Context, data: dict) -> None:
    sale = _standing_sale(ctx.case)
    sale = proceedings.record_surenchere(
        sale,
        ctx.user,
        declared_on=data["declared_on"],
        overbidder=data["overbidder"],
        price=data["price"],
        last_day=deadlines.surenchere_last_day(ctx.case, sale),
    )
    deadlines.on_surenchere(ctx.case, ctx.user, sale)
    if data.get("hearing_at"):
        court = data.get("court") or (sale.hearing.court if sale.hearing else "")
        hearing = _schedule(
            ctx,
            kind=HearingKind.ADJUDICATION,
            when=data["hearing_at"],
            court=court,
            purpose="Audience de surenchère",
        )
        deadlines.on_hearing(ctx.case, ctx.user, hearing)


class SurenchereDenunciationForm(StepForm):
    denounced_on = _date("Surenchère dénoncée le")

    def clean(self):
        data = super().clean()
        self.not_future("denounced_on")
        return data


def do_surenchere_denounced(ctx: Context, data: dict) -> None:
    sale = proceedings.overbid_sale(ctx.case)
    if sale is None:
        raise ValidationError("Aucune surenchère n'est en cours sur ce bien.")
    proceedings.record_surenchere_denounced(sale, ctx.user, data["denounced_on"])
    deadlines.on_surenchere_denounced(ctx.case, ctx.user, sale, data["denounced_on"])


class ReiterationForm(_NextHearingMixin, StepForm):
    served_on = _date("Certificat de non-paiement signifié à l'adjudicataire le")
    hearing_at = ActDateTimeField(
        label="Nouvelle audience de vente fixée au",
        required=False,
        widget=DateTimeInput(),
        help_text="Si le juge l'a déjà fixée : deux à quatre mois après la signification du "
        "certificat (R.322-69).",
    )
    court = forms.CharField(label="Juridiction", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        self.not_future("served_on")
        self.next_hearing(data, "served_on", "reiteration")
        return data


def do_reiteration(ctx: Context, data: dict) -> None:
    sale = proceedings.record_reiteration(
        _standing_sale(ctx.case), ctx.user, served_on=data["served_on"]
    )
    deadlines.on_reiteration(ctx.case, ctx.user, sale)
    if data.get("hearing_at"):
        court = data.get("court") or (sale.hearing.court if sale.hearing else "")
        hearing = _schedule(
            ctx,
            kind=HearingKind.ADJUDICATION,
            when=data["hearing_at"],
            court=court,
            purpose="Audience de réitération des enchères",
        )
        deadlines.on_hearing(ctx.case, ctx.user, hearing)


class PricePaidForm(StepForm):
    paid_on = _date("Prix consigné (ou versé au séquestre) le")
    note = _textarea("Observations", required=False)

    def clean(self):
        data = super().clean()
        self.not_future("paid_on")
        sale = proceedings.current_sale(self.case)
        if sale is None:
            if proceedings.overbid_sale(self.case) is not None:
                raise ValidationError(
                    "Une surenchère a remis l'adjudication en cause : enregistrez d'abord "
                    "l'adjudication sur surenchère."
                )
            raise ValidationError(
                "Enregistrez d'abord l'adjudication (bouton « Enregistrer l'adjudication »)."
            )
        paid = data.get("paid_on")
        if paid and paid < sale.sold_on:
            self.add_error(
                "paid_on",
                f"Le prix ne peut être consigné avant l'adjudication du {long_date(sale.sold_on)}.",
            )
        return data


def do_price_paid(ctx: Context, data: dict) -> None:
    sale = proceedings.record_price_paid(
        _standing_sale(ctx.case), ctx.user, paid_on=data["paid_on"]
    )
    deadlines.on_price_paid(ctx.case, ctx.user, sale)
    ctx.lifecycle.distribute_price(reason=history.price_paid(sale))


# 4b. The amicable sale ----------------------------------------------------------------


class AmicableExtensionForm(_SaleHearingForm):
    """R.322-21: at the recall hearing the judge may grant one extra delay, three months
    at most, if a written purchase commitment is shown."""

    hearing_kind = HearingKind.VENTE_AMIABLE
    new_date = ActDateTimeField(label="Affaire rappelée au", widget=DateTimeInput())
    commitment = forms.BooleanField(
        label="Le débiteur justifie d'un engagement écrit d'acquisition",
        required=False,
        help_text="Sans lui, le juge ne peut accorder de délai supplémentaire (R.322-21).",
    )
    reason = forms.CharField(label="Précisions", max_length=1000)

    def clean(self):
        data = super().clean()
        if not data.get("commitment"):
            self.add_error(
                "commitment",
                "Le délai supplémentaire suppose un engagement écrit d'acquisition (R.322-21).",
            )
        if self.case.hearings.filter(
            kind=HearingKind.VENTE_AMIABLE, status=HearingStatus.ADJOURNED
        ).exists():
            raise ValidationError(
                "Un délai supplémentaire a déjà été accordé : le juge n'en accorde qu'un "
                "(R.322-21). À l'audience de rappel, il constate la vente ou ordonne la vente "
                "forcée."
            )
        hearing = data.get("hearing")
        if hearing:
            _check_window(
                self,
                "new_date",
                "delai_supplementaire",
                timezone.localdate(hearing.scheduled_at),
                data.get("new_date"),
            )
        return data


def do_amicable_extension(ctx: Context, data: dict) -> None:
    proceedings.adjourn_hearing(
        data["hearing"],
        ctx.user,
        new_date=data["new_date"],
        reason=history.amicable_extension(data["reason"]),
    )


class AmicableOutcomeForm(StepForm):
    result = _radio(
        "À l'audience de rappel",
        [
            ("recorded", "Le juge constate la vente amiable (R.322-25)"),
            ("forced", "Le juge ordonne la vente forcée (R.322-25 al. 4)"),
        ],
    )
    decided_on = _date("Jugement rendu le")
    court = forms.CharField(label="Juridiction", max_length=200)
    judgment = forms.FileField(
        label="Jugement",
        required=False,
        help_text="PDF ou image du jugement. Un brouillon ne conserve pas le fichier.",
    )
    price = MoneyField(label="Prix de vente consigné (€)", required=False)
    buyer = forms.CharField(label="Acquéreur", max_length=200, required=False)
    adjudication_at = ActDateTimeField(
        label="Audience d'adjudication fixée au",
        required=False,
        widget=DateTimeInput(),
        help_text="Vente forcée : deux à quatre mois après le jugement (R.322-22 al. 3).",
    )
    summary = _textarea("Résumé", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recall = _scheduled(self.case, HearingKind.VENTE_AMIABLE).last()
        if recall:
            self.fields["court"].initial = recall.court

    def clean(self):
        data = super().clean()
        self.not_future("decided_on")
        self.require("judgment", "Joignez le jugement.")
        if data.get("result") == "recorded":
            self.require("price", "Indiquez le prix de vente consigné.")
            self.require("buyer", "Indiquez l'acquéreur.")
            if data.get("price") is not None and data["price"] <= 0:
                self.add_error("price", "Le prix de vente doit être positif.")
        if data.get("result") == "forced":
            self.require(
                "adjudication_at", "Indiquez la date de l'audience d'adjudication que fixe le juge."
            )
            _check_window(
                self,
                "adjudication_at",
                "reprise",
                data.get("decided_on"),
                data.get("adjudication_at"),
            )
        upload = data.get("judgment")
        if upload:
            try:
                check_upload(upload)
                upload.seek(0)
            except ValidationError as error:
                self.add_error("judgment", error)
        return data


def do_amicable_outcome(ctx: Context, data: dict) -> None:
    recorded = data["result"] == "recorded"
    decision = proceedings.record_decision(
        ctx.case,
        ctx.user,
        instance=Instance.FIRST,
        decided_on=data["decided_on"],
        court=data["court"],
        outcome=DecisionOutcome.VENTE_CONSTATEE if recorded else DecisionOutcome.VENTE_FORCEE,
        judgment_file=data["judgment"],
        summary=data["summary"],
    )
    if recorded:
        recall = (
            _scheduled(ctx.case, HearingKind.VENTE_AMIABLE)
            .filter(scheduled_at__date__lte=data["decided_on"])
            .last()
        )
        # R.322-25: the judge records the sale once the price is consigned.
        sale = proceedings.record_sale(
            ctx.case,
            ctx.user,
            kind=SaleKind.AMIABLE,
            hearing=recall,
            sold_on=data["decided_on"],
            price=data["price"],
            buyer=data["buyer"],
            paid_on=data["decided_on"],
        )
        ctx.lifecycle.distribute_price(reason=history.sale_recorded(sale))
    else:
        hearing = _schedule(
            ctx, kind=HearingKind.ADJUDICATION, when=data["adjudication_at"], court=data["court"]
        )
        ctx.lifecycle.order_forced_sale(reason=history.orientation(decision, hearing))
        deadlines.on_hearing(ctx.case, ctx.user, hearing)  # the publicity (R.322-31)
    deadlines.on_decision(ctx.case, ctx.user, decision)
    ctx.produce(DocumentKind.COMPTE_RENDU)


# 4c. The distribution of the price ----------------------------------------------------


class DistributionCloseForm(StepForm):
    """The distribution closed (amicable or judicial, CPCE R.331-1 s.): what the Trésor
    received, and the case's closure."""

    received_on = _date("Reçu par le Trésor le", required=False)
    amount = MoneyField(
        label="Somme reçue par le Trésor sur le prix (€)",
        help_text="0 si le rang du Trésor ne lui a rien laissé.",
    )
    closure_reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=[("", "Choisir")] + [(r.value, r.label) for r in CLOSING_REASONS],
    )
    comment = _textarea("Bilan", help_text="La distribution du prix et ce qui a été recouvré.")

    def clean(self):
        data = super().clean()
        self.not_future("received_on")
        amount = data.get("amount")
        if amount is not None and amount < 0:
            self.add_error("amount", "La somme reçue ne peut pas être négative.")
        if amount and amount > 0:
            self.require("received_on", "Indiquez la date à laquelle le Trésor a été payé.")
        return data


def do_close_distribution(ctx: Context, data: dict) -> None:
    if data["amount"] and data["amount"] > 0:
        # Paid out of the price by the séquestre: not a payment of the debtor (no
        # interruption of the prescription, C. civ. 2240).
        proceedings.record_recovery(
            ctx.case,
            ctx.user,
            received_on=data["received_on"],
            amount=data["amount"],
            party=ActParty.OTHER,
            comment="Distribution du prix de vente du bien saisi",
        )
    ctx.lifecycle.close(reason=data["comment"], closure_reason=data["closure_reason"])


FORCED_SALE_SIDE_ACTIONS = {
    "hearing": SideAction("Fixer une audience", HearingForm, do_schedule_hearing),
    "report": SideAction("Reporter la vente (R.322-28)", SaleReportForm, do_report_sale),
    "procedure_act": PROCEDURE_ACT,  # the publicity of the sale (R.322-31)…
    "adjudication": SideAction("Enregistrer l'adjudication", AdjudicationForm, do_adjudication),
    "surenchere": SideAction("Enregistrer une surenchère", SurenchereForm, do_surenchere),
    "surenchere_denonciation": SideAction(
        "Dénonciation de la surenchère", SurenchereDenunciationForm, do_surenchere_denounced
    ),
    "reiteration": SideAction(
        "Réitération des enchères (adjudicataire défaillant)", ReiterationForm, do_reiteration
    ),
}
AMICABLE_SALE_SIDE_ACTIONS = {
    "extension": SideAction(
        "Délai supplémentaire (R.322-21)", AmicableExtensionForm, do_amicable_extension
    ),
    "procedure_act": PROCEDURE_ACT,
}
# The distribution's own side actions (creditors, ranks, amicable or judicial distribution)
# come from `workflows.distribution.DISTRIBUTION_SIDE_ACTIONS` (another branch): the
# integrator merges them here.
DISTRIBUTION_SIDE_ACTIONS_HERE = {
    "recovery": SideAction("Enregistrer un encaissement", RecoveryForm, do_recovery),
    "procedure_act": PROCEDURE_ACT,
}


def _specs(*specs: StepSpec) -> dict[str, StepSpec]:
    by_name = {spec.name: spec for spec in specs}
    if set(by_name) != set(PROCESS):
        raise ImproperlyConfigured(
            "workflows.steps: STEPS and workflows.process.PROCESS name different steps: "
            f"{sorted(set(by_name) ^ set(PROCESS))}"
        )
    return by_name


STEPS: dict[str, StepSpec] = _specs(
    StepSpec("receivability", ReceivabilityForm, do_receivability),
    # Completed by resubmitting the referral (cases.services.submit_referral).
    StepSpec("completion", None, None, undoable=False),
    StepSpec("assignment", AssignmentForm, do_assignment, "Attribuer"),
    StepSpec(
        "write_opinion",
        OpinionForm,
        do_write_opinion,
        "Soumettre l'avis à validation",
        undo=undo_write_opinion,
        initial=returned_opinion_values,
    ),
    # A review is final: the author rewrites a returned opinion, a validated one is sent.
    StepSpec("validate_opinion", OpinionReviewForm, do_validate_opinion, undoable=False),
    StepSpec("follow_up", FollowUpForm, do_follow_up, "Enregistrer la suite donnée"),
    StepSpec("takeover_decision", TakeoverDecisionForm, do_takeover_decision),
    StepSpec("support", SupportCloseForm, do_support, "Clore le soutien"),
    StepSpec(
        "mandate_lawyer", MandateForm, do_mandate_lawyer, "Mandater", undo=undo_mandate_lawyer
    ),
    StepSpec("starting_act", StartingActForm, do_starting_act, "Enregistrer et engager"),
    StepSpec(
        "hearings",
        DeliberationForm,
        do_deliberation,
        "Mettre en délibéré",
        side_actions={
            "hearing": SideAction("Fixer une audience", HearingForm, do_schedule_hearing),
            "adjourn": SideAction("Renvoyer une audience", AdjournmentForm, do_adjourn),
            "held": SideAction("Audience tenue", ScheduledHearingForm, do_mark_held),
            "procedure_act": PROCEDURE_ACT,
        },
    ),
    StepSpec("decision", DecisionForm, do_decision, "Enregistrer"),
    StepSpec(
        "appeal_decision",
        AppealForm,
        do_appeal,
        "Enregistrer",
        side_actions={"procedure_act": PROCEDURE_ACT},  # the decision's notification
    ),
    StepSpec(
        "execution",
        ClosingForm,
        do_close,
        "Clore le dossier",
        side_actions={
            "recovery": SideAction("Enregistrer un encaissement", RecoveryForm, do_recovery),
            "procedure_act": PROCEDURE_ACT,
        },
    ),
    # Saisie immobilière (4. above)
    StepSpec(
        "amicable_sale",
        AmicableOutcomeForm,
        do_amicable_outcome,
        "Enregistrer le jugement",
        side_actions=AMICABLE_SALE_SIDE_ACTIONS,
        undoable=False,  # a judgment recorded and a sale: not taken back by an undo
    ),
    StepSpec(
        "forced_sale",
        PricePaidForm,
        do_price_paid,
        "Prix consigné : distribuer le prix",
        side_actions=FORCED_SALE_SIDE_ACTIONS,
        undoable=False,
    ),
    StepSpec(
        "distribution",
        DistributionCloseForm,
        do_close_distribution,
        "Clore la distribution et le dossier",
        # integrator: {**DISTRIBUTION_SIDE_ACTIONS_HERE, **distribution.DISTRIBUTION_SIDE_ACTIONS}
        side_actions=DISTRIBUTION_SIDE_ACTIONS_HERE,
    ),
)
