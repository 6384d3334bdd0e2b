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
from cases import decisions as decision_rules
from cases import parties as case_parties
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
    PartyRole,
    Residence,
    ReturnGround,
    RiskLevel,
    Role,
    StartingActKind,
)
from cases.formatting import long_date
from cases.forms import ActDateField, ActDateTimeField, DateInput, DsfrFormMixin, MoneyField
from cases.lifecycle import CaseLifecycle
from cases.models import (
    ActionType,
    Case,
    Hearing,
    Lawyer,
    Opinion,
    Party,
    ReturnGroundRecord,
    User,
)
from cases.pieces import check_upload
from cases.services import assign_case
from deadlines import services as deadlines
from deadlines.calendar import appeal_deadline
from deadlines.enums import ProcedureActKind
from deadlines.prescription import refresh_case as refresh_prescription
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
        # What the user should know but may go on with (issue 17: the lawyer's bar); the
        # page shows them once the step or the side action is done.
        self.warnings: list[str] = []
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
    # Issue 17: the court the lawyer will plead before, for the bar's warning (not kept).
    court = forms.CharField(
        label="Juridiction saisie",
        max_length=200,
        required=False,
        help_text="Facultatif : la juridiction devant laquelle l'avocat plaidera. Un "
        "avertissement s'affiche si l'annuaire ne la cite pas pour cet avocat.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandated_on"].initial = timezone.localdate()
        self.fields["court"].initial = known_court(self.case)

    def clean(self):
        data = super().clean()
        self.not_future("mandated_on")
        if data.get("lawyer") and not data.get("fee_agreement"):
            data["fee_agreement"] = data["lawyer"].fee_agreement
        self.warnings += case_parties.court_warnings(
            data.get("lawyer"), data.get("court") or "", self.case
        )
        return data


def known_court(case: Case) -> str:
    """The court the case has named last (a hearing's, else a starting act's), or ""."""
    hearing = case.hearings.order_by("-scheduled_at", "-pk").first()
    if hearing:
        return hearing.court
    act = case.starting_acts.order_by("-signed_on", "-pk").first()
    return act.court if act else ""


def do_mandate_lawyer(ctx: Context, data: dict) -> None:
    data = {name: value for name, value in data.items() if name != "court"}
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
        # Issue 17: the parties the action needs, and the lawyer's bar before this court.
        case_parties.check_parties_for_action(self.case)
        self.warnings += case_parties.court_warnings(
            case_parties.current_lawyer(self.case), data.get("court") or "", self.case
        )
        return data


def do_starting_act(ctx: Context, data: dict) -> None:
    case_parties.check_parties_for_action(ctx.case)  # issue 17, again under the lock
    deadlines.check_claims_before(
        ctx.case, data["signed_on"], f"L'acte introductif signé le {long_date(data['signed_on'])}"
    )
    act = proceedings.record_starting_act(ctx.case, ctx.user, **data)
    deadlines.check_saisie_sequence(ctx.case)
    deadlines.on_starting_act(ctx.case, ctx.user, act)
    ctx.lifecycle.engage_action(reason=history.action_engaged(act))


def current_instance(case: Case) -> str:
    """The instance the case is at: the last recourse's (an appeal, a pourvoi, an
    opposition: issue 17), the first instance before any."""
    last = case.appeals.order_by("-lodged_on", "-pk").first()
    return last.instance if last else Instance.FIRST


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

    def clean(self):
        data = super().clean()
        # Issue 17: a warning when the mandated lawyer does not plead before this court.
        self.warnings += case_parties.court_warnings(
            case_parties.current_lawyer(self.case), data.get("court") or "", self.case
        )
        return data


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
    by_default = forms.BooleanField(
        label="Jugement rendu par défaut",
        required=False,
        help_text="Le défendeur n'a pas comparu et n'a pas été cité à personne, la décision "
        "n'est pas susceptible d'appel (CPC 473) : l'opposition est ouverte (CPC 571).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = self.case.hearings.order_by("-scheduled_at").first()
        if last:
            self.fields["court"].initial = last.court
        # Issue 17: only the outcomes of the case's procedure at its current instance.
        self.instance = current_instance(self.case)
        self.action_code = self.case.action_type.code if self.case.action_type_id else None
        offered = decision_rules.outcomes(self.action_code, self.instance)
        self.fields["outcome"].choices = [("", "Choisir")] + [
            (value, DecisionOutcome(value).label) for value in offered
        ]
        if not any(decision_rules.awards_money(self.action_code, o) for o in offered):
            self.fields[
                "amount_awarded"
            ].help_text = "Cette procédure ne condamne pas au paiement : laissez ce champ vide."
        else:
            self.fields["amount_awarded"].help_text = (
                "Seulement si la décision condamne au paiement ("
                + ", ".join(
                    DecisionOutcome(o).label.lower()
                    for o in offered
                    if decision_rules.awards_money(self.action_code, o)
                )
                + ")."
            )

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
        outcome = data.get("outcome")
        amount = data.get("amount_awarded")
        if (
            outcome
            and amount is not None
            and not decision_rules.awards_money(self.action_code, outcome)
        ):
            self.add_error(
                "amount_awarded",
                f"« {DecisionOutcome(outcome).label} » n'alloue aucune somme : laissez le "
                "montant vide (un montant ne s'enregistre qu'avec une condamnation au "
                "paiement).",
            )
        upload = data.get("judgment")
        if upload:
            try:
                check_upload(upload)
                upload.seek(0)
            except ValidationError as error:
                self.add_error("judgment", error)
        return data


def do_decision(ctx: Context, data: dict) -> None:
    if data["result"] == "reopened":
        ctx.lifecycle.reopen_hearings(reason=data["reason"])
        return
    # Issue 17: a radiation suspends the instance; the case goes back to its hearings.
    if decision_rules.suspends(data["outcome"]):
        do_radiation(ctx, data)
        return
    if decision_rules.ends(data["outcome"]):
        do_caducite(ctx, data)
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
        by_default=bool(data.get("by_default")),
    )
    ctx.lifecycle.record_decision(reason=history.decision_recorded(decision))
    deadlines.on_decision(ctx.case, ctx.user, decision)
    ctx.produce(DocumentKind.COMPTE_RENDU)


def do_radiation(ctx: Context, data: dict) -> None:
    """Issue 17: a radiation (CPC 381-383) is recorded as the instance's decision, but it
    only suspends the instance: no appeal, no execution; the case goes back to its
    hearings, where the instance is reinstated (rétablissement) once the ground of the
    radiation is cured, by a new hearing (CPC 383). Left two years without diligence, the
    instance lapses (péremption, CPC 386)."""
    decision = proceedings.record_decision(
        ctx.case,
        ctx.user,
        instance=current_instance(ctx.case),
        decided_on=data["decided_on"],
        court=data["court"],
        outcome=data["outcome"],
        amount_awarded=None,
        notified_on=data["notified_on"],
        judgment_file=data["judgment"],
        summary=data["summary"],
    )
    ctx.lifecycle.suspend_instance(reason=history.decision_recorded(decision))
    refresh_prescription(ctx.case, ctx.user, history.decision_recorded(decision))


def do_caducite(ctx: Context, data: dict) -> None:
    """Issue 17: a caducité (CPC 385, 406-407; CPCE R.311-11) extinguishes the instance:
    no appeal to decide, no execution; the case goes back to the starting act (a new act)
    or is closed. The claims' prescription is recomputed (an act made caduc no longer
    interrupts it, C. civ. 2243)."""
    decision = proceedings.record_decision(
        ctx.case,
        ctx.user,
        instance=current_instance(ctx.case),
        decided_on=data["decided_on"],
        court=data["court"],
        outcome=data["outcome"],
        amount_awarded=None,
        notified_on=data["notified_on"],
        judgment_file=data["judgment"],
        summary=data["summary"],
    )
    ctx.lifecycle.lapse_instance(reason=history.decision_recorded(decision))
    refresh_prescription(ctx.case, ctx.user, history.decision_recorded(decision))


# Issue 17: each choice of the appeal step -> (the recourse, who lodges it). A pourvoi
# (CPC 612) and an opposition (CPC 538, 571-572) are offered where the decision opens them
# (`cases.decisions.recourses`).
RECOURSE_CHOICES: dict[str, tuple[str, str, str]] = {
    "pole": (Instance.APPEAL, AppealParty.POLE, "Le pôle fait appel"),
    "opponent": (Instance.APPEAL, AppealParty.OPPONENT, "La partie adverse a fait appel"),
    "pole_pourvoi": (
        Instance.CASSATION,
        AppealParty.POLE,
        "Le pôle forme un pourvoi en cassation (deux mois, CPC 612)",
    ),
    "opponent_pourvoi": (
        Instance.CASSATION,
        AppealParty.OPPONENT,
        "La partie adverse a formé un pourvoi en cassation",
    ),
    "opposition": (
        Instance.OPPOSITION,
        AppealParty.OPPONENT,
        "La partie défaillante a formé opposition (un mois, CPC 538 et 571-572)",
    ),
}
RECOURSE_WORDS = {
    Instance.APPEAL: ("l'appel", "d'appel"),
    Instance.CASSATION: ("le pourvoi", "de pourvoi"),
    Instance.OPPOSITION: ("l'opposition", "d'opposition"),
}

RECOURSE_REQUIRED = {
    Instance.APPEAL: (
        "Indiquez la date de l'appel.",
        "Indiquez la cour d'appel.",
        "Résumez les moyens de l'appel.",
    ),
    Instance.CASSATION: (
        "Indiquez la date du pourvoi.",
        "Indiquez la juridiction (Cour de cassation).",
        "Résumez les moyens du pourvoi.",
    ),
    Instance.OPPOSITION: (
        "Indiquez la date de l'opposition.",
        "Indiquez la juridiction qui a rendu le jugement par défaut.",
        "Résumez les moyens de l'opposition.",
    ),
}


def recourse_choices(case: Case) -> list[tuple[str, str]]:
    """The appeal step's choices for the case's last decision: the recourses it opens,
    then « none »."""
    decision = case.decisions.order_by("-decided_on", "-pk").first()
    open_ = (
        decision_rules.recourses(
            decision.instance, decision.outcome, by_default=decision.by_default
        )
        if decision
        else (Instance.APPEAL,)
    )
    found = [(name, label) for name, (r, _, label) in RECOURSE_CHOICES.items() if r in open_]
    return [*found, ("none", "Pas de recours : passer à l'exécution")]


class AppealForm(StepForm):
    choice = _radio(
        "Recours",
        [
            ("pole", "Le pôle fait appel"),
            ("opponent", "La partie adverse a fait appel"),
            ("none", "Pas d'appel : passer à l'exécution"),
        ],
    )
    lodged_on = _date("Recours formé le", required=False)
    court = forms.CharField(
        label="Juridiction du recours",
        max_length=200,
        required=False,
        help_text="La cour d'appel, la Cour de cassation, ou pour une opposition la "
        "juridiction qui a rendu le jugement (CPC 572).",
    )
    grounds = _textarea("Moyens / motifs", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = recourse_choices(self.case)

    def clean(self):
        data = super().clean()
        choice = data.get("choice")
        recourse = RECOURSE_CHOICES[choice][0] if choice in RECOURSE_CHOICES else None
        if recourse:
            date, court, grounds = RECOURSE_REQUIRED[recourse]
            self.require("lodged_on", date)
            self.require("court", court)
            self.require("grounds", grounds)
            self.not_future("lodged_on")
        decision = self.case.decisions.order_by("-decided_on", "-pk").first()
        deadline = appeal_deadline(decision, recourse) if decision and recourse else None
        lodged = data.get("lodged_on")
        pole = choice in RECOURSE_CHOICES and RECOURSE_CHOICES[choice][1] == AppealParty.POLE
        if pole and deadline and lodged and lodged > deadline:
            what, of = RECOURSE_WORDS[recourse]
            self.add_error(
                "lodged_on",
                f"Le délai {of} expirait le {long_date(deadline)} : {what} du pôle "
                "serait irrecevable.",
            )
        return data


def do_appeal(ctx: Context, data: dict) -> None:
    if data["choice"] == "none":
        ctx.lifecycle.start_execution()
        return
    decision = ctx.case.decisions.order_by("-decided_on", "-pk").first()
    recourse, lodged_by, _ = RECOURSE_CHOICES[data["choice"]]
    appeal = proceedings.record_appeal(
        ctx.case,
        ctx.user,
        decision=decision,
        lodged_by=lodged_by,
        lodged_on=data["lodged_on"],
        court=data["court"],
        grounds=data["grounds"],
        instance=recourse,
    )
    ctx.lifecycle.appeal(reason=history.appeal_lodged(appeal))
    deadlines.on_appeal(ctx.case, ctx.user, history.appeal_lodged(appeal))


# Issue 17: the parties of the case, added or changed on the takeover steps ---------------


class PartyForm(StepForm):
    party = forms.ModelChoiceField(
        label="Partie à modifier",
        queryset=Party.objects.none(),
        required=False,
        help_text="Vide : une nouvelle partie. Le débiteur, les dirigeants et les tiers "
        "détenteurs de la saisine sont déjà parties : inutile de les ajouter.",
    )
    role = forms.ChoiceField(label="Qualité", choices=[("", "Choisir")] + PartyRole.choices)
    name = forms.CharField(label="Nom ou raison sociale", max_length=200)
    address = forms.CharField(
        label="Adresse", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    residence = forms.ChoiceField(
        label="Résidence",
        choices=Residence.choices,
        initial=Residence.METROPOLE,
        help_text="Délais de distance (CPC 643-644) : outre-mer +1 mois, étranger +2 mois "
        "sur ses délais d'appel, d'opposition et de comparution.",
    )
    counsel_name = forms.CharField(label="Son avocat", max_length=200, required=False)
    counsel_bar = forms.CharField(label="Barreau de son avocat", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = self.case.parties.order_by("created_at", "pk")
        self.fields["party"].label_from_instance = lambda p: f"{p} ({p.get_role_display()})"
        if not self.case.parties.exists():
            del self.fields["party"]


def do_party(ctx: Context, data: dict) -> None:
    proceedings.record_party(ctx.case, ctx.user, **data)


PARTY = SideAction("Ajouter une partie", PartyForm, do_party)


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
        "mandate_lawyer",
        MandateForm,
        do_mandate_lawyer,
        "Mandater",
        undo=undo_mandate_lawyer,
        side_actions={"party": PARTY},
    ),
    StepSpec(
        "starting_act",
        StartingActForm,
        do_starting_act,
        "Enregistrer et engager",
        side_actions={"party": PARTY},
    ),
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
            "party": PARTY,
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
)
