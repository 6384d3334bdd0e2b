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
from decimal import Decimal

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone
from dsfr.utils import dsfr_input_class_attr
from dsfr.widgets import InlineRadioSelect

from cases import access, collective, history, money, proceedings, risk_grid
from cases import decisions as decision_rules
from cases import parties as case_parties
from cases.enums import (
    OPENING_OUTCOMES,
    ActParty,
    AppealParty,
    ClosingCause,
    ClosureReason,
    CollectiveKind,
    DebtorActivity,
    DecisionOutcome,
    DistributionStatus,
    HearingKind,
    HearingStatus,
    Instance,
    LighterMeasure,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    PartyRole,
    Residence,
    ReturnGround,
    RiskDimension,
    RiskLevel,
    SaleKind,
    SaleReport,
    StartingActCheck,
    StartingActKind,
)
from cases.formatting import euros, long_date, lower_first
from cases.forms import ActDateField, ActDateTimeField, DateInput, DsfrFormMixin, MoneyField
from cases.lifecycle import CaseLifecycle
from cases.models import (
    ActionType,
    Case,
    Claim,
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
from deadlines.calendar import appeal_deadline, calendar_departement
from deadlines.enums import ProcedureActKind
from deadlines.local_law import CPCE_ACTS, LOCAL_ACTS
from deadlines.prescription import refresh_case as refresh_prescription
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
    """The pôle's members a case may be given to (not those absent today: cases.access)."""
    return access.assignable_jurists().order_by("last_name", "first_name", "username")


def experts():
    """The experts an opinion may be given to (not those absent today: cases.access)."""
    return (
        access.assignable_experts()
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
        help_text="Seulement si vous recommandez une autre action lourde.",
    )
    recommended_measure = forms.ChoiceField(
        label="Ou mesure plus légère recommandée",
        choices=[("", "Choisir…")] + list(LighterMeasure.choices),
        required=False,
        help_text="Seulement si vous recommandez, au lieu d'une action lourde, une mesure du "
        "poste comptable ou une action contre les associés.",
    )
    reasons = _textarea("Motifs de l'avis")
    conditions = _textarea(
        "Examen des conditions de l'action",
        required=False,
        help_text="Chaque condition légale de l'action envisagée : remplie ou non, et les "
        "pièces qui l'établissent.",
    )
    estimated_costs = MoneyField(label="Coût estimé de l'action (€)", required=False)
    expected_recovery = MoneyField(label="Recouvrement attendu (€)", required=False)
    creditors_ranking = _textarea(
        "Rang des créanciers",
        required=False,
        help_text="Les créanciers qui primeraient le Trésor sur le prix ou les fonds "
        "(inscriptions, privilèges) et le rang du Trésor.",
    )
    risk_level = _radio("Risque de non-recouvrement", RiskLevel.choices)
    risk_assessment = _textarea(
        "Appréciation du risque",
        help_text="Solvabilité, patrimoine saisissable, aléa judiciaire, coût de la procédure.",
    )

    # The risk grid (cases.risk_grid), between the creditors' ranking and the overall risk.
    template_name = "workflows/_opinion_form.html"
    GRID_HINTS = {
        RiskDimension.SOLVENCY: "Ressources et revenus connus, diligences déjà faites (SATD, "
        "saisies), incidents de paiement.",
        RiskDimension.ASSETS: "Biens saisissables identifiés, leur valeur, et les sûretés "
        "inscrites qui primeraient le Trésor (hypothèques, nantissements).",
        RiskDimension.COLLECTIVE: "Procédure ouverte ou prévisible (cessation des paiements) : "
        "elle arrêterait l'action (C. com. L.622-21).",
        RiskDimension.PRESCRIPTION: "Date de prescription la plus proche (LPF L.274) et actes "
        "interruptifs à accomplir.",
        RiskDimension.COST: "Frais d'avocat, de commissaire de justice et de publicité au "
        "regard du recouvrement attendu.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in RiskDimension:
            level = forms.ChoiceField(
                label=dimension.label,
                choices=RiskLevel.choices,
                widget=InlineRadioSelect,
                help_text=self.GRID_HINTS[dimension],
                error_messages={"required": risk_grid.missing_level(dimension)},
            )
            comment = forms.CharField(
                label=f"Commentaire : {lower_first(dimension.label)}",
                required=False,
                max_length=risk_grid.COMMENT_MAX_LENGTH,
                help_text="Obligatoire si le risque est élevé.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[risk_grid.level_field(dimension)] = level
            self.fields[risk_grid.comment_field(dimension)] = comment
        before = list(self.fields)[: list(self.fields).index("risk_level")]
        self.order_fields([*before, *risk_grid.FIELDS])
        for name in risk_grid.FIELDS:
            dsfr_input_class_attr(self[name])

    @property
    def grid_rows(self) -> list[tuple]:
        """(level, comment) bound fields of each row, for the form's fieldset."""
        return [
            (self[risk_grid.level_field(d)], self[risk_grid.comment_field(d)])
            for d in RiskDimension
        ]

    @property
    def fields_before_grid(self) -> list:
        names = list(self.fields)
        return [self[n] for n in names[: names.index(risk_grid.FIELDS[0])]]

    @property
    def fields_after_grid(self) -> list:
        names = list(self.fields)
        return [self[n] for n in names[names.index(risk_grid.FIELDS[-1]) + 1 :]]

    def clean(self):
        data = super().clean()
        for name, message in risk_grid.problems(data, required=False).items():
            if name not in self.errors:
                self.add_error(name, message)
        if data.get("conclusion") == OpinionConclusion.OTHER_ACTION:
            if data.get("recommended_action") and data.get("recommended_measure"):
                self.add_error(
                    "recommended_measure",
                    "Recommandez une action lourde ou une mesure plus légère, pas les deux.",
                )
            elif not data.get("recommended_measure"):
                self.require(
                    "recommended_action", "Indiquez l'action ou la mesure que vous recommandez."
                )
        else:
            data["recommended_action"], data["recommended_measure"] = None, ""
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
        "recommended_measure": opinion.recommended_measure,
        "reasons": opinion.reasons,
        "conditions": opinion.conditions,
        "estimated_costs": opinion.estimated_costs,
        "expected_recovery": opinion.expected_recovery,
        "creditors_ranking": opinion.creditors_ranking,
        "risk_level": opinion.risk_level,
        "risk_assessment": opinion.risk_assessment,
        **{name: getattr(opinion, name) for name in risk_grid.FIELDS},
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


LOCAL_LAW_COURT = "Tribunal judiciaire (tribunal de l'exécution) du lieu de situation de l'immeuble"


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

    # Issue 17 (« holder »): what the action's law asks of its starting act
    # (ActionType.starting_act_checks); the fields the action does not need are removed.
    real_estate = forms.BooleanField(
        label="L'action tend à la révocation, à l'inopposabilité ou à l'annulation de droits "
        "sur un immeuble",
        required=False,
        help_text="L'assignation doit alors être publiée au service de la publicité foncière, "
        "à peine d'irrecevabilité (décret n° 55-22 du 4 janvier 1955, art. 28 4° c et 30-5).",
    )
    published_on = _date(
        "Assignation publiée au service de la publicité foncière le", required=False
    )
    checks = forms.MultipleChoiceField(
        label="Je confirme les mentions exigées à peine d'irrecevabilité (CPC art. 1360)",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Collective proceedings only (removed for the other actions): the debtor's form and
    # activity decide the court (cases.collective.competent_court); the URSSAF may join.
    debtor_activity = forms.ChoiceField(
        label="Forme et activité du débiteur",
        choices=[("", "Choisir")] + list(DebtorActivity.choices),
        required=False,
        help_text="Décide du tribunal : commerce (commerçant, artisan), judiciaire (autres), "
        "activités économiques là où il siège depuis le 1er janvier 2025 (C. com. L.621-2 ; "
        "loi n° 2023-1059, art. 26).",
    )
    court_seat = forms.CharField(
        label="Tribunal judiciaire du siège du débiteur",
        max_length=100,
        required=False,
        help_text="La ville, ex. : Laon. Le tribunal de l'assignation en est déduit si vous "
        "laissez la juridiction vide.",
    )
    co_plaintiff = forms.CharField(
        label="Co-demandeur",
        max_length=200,
        required=False,
        help_text="Ex. : URSSAF de Picardie (assignation conjointe).",
    )
    COLLECTIVE_FIELDS = ("debtor_activity", "court_seat", "co_plaintiff")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case.action_type_id:
            self.fields["court"].initial = self.case.action_type.court
            self.fields["party"].initial = self.case.action_type.starting_act_party
        setup_starting_act_checks(self)
        if self.case.is_alsace_moselle:
            # The local law's starting act (loi du 1er juin 1924, art. 141); the others are
            # refused by cases.proceedings.record_starting_act, which says why.
            self.fields["kind"].initial = StartingActKind.REQUETE
            self.fields["court"].initial = LOCAL_LAW_COURT
            self.fields["kind"].help_text = (
                "Alsace-Moselle : requête en exécution forcée au tribunal de l'exécution (loi "
                "du 1er juin 1924, art. 141) ; pour une requête, « Signifié le » est la date "
                "de son dépôt au greffe."
            )
        self.collective = self.case.action_type_id and (
            self.case.action_type.code == collective.COLLECTIVE_ACTION
        )
        if self.collective:
            self.fields["court"].required = False
            self.fields["court"].initial = ""
            self.fields["kind"].initial = StartingActKind.ASSIGNATION
        else:
            for name in self.COLLECTIVE_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        self.not_future("signed_on", "served_on")
        signed, served = data.get("signed_on"), data.get("served_on")
        if signed and served and served < signed:
            self.add_error("served_on", "La signification ne peut précéder la signature.")
        clean_starting_act_checks(self, data)
        if self.collective:
            self._clean_collective_court(data)
        # Issue 17: the parties the action needs, and the lawyer's bar before this court.
        case_parties.check_parties_for_action(self.case)
        self.warnings += case_parties.court_warnings(
            case_parties.current_lawyer(self.case), data.get("court") or "", self.case
        )
        return data

    def _clean_collective_court(self, data) -> None:
        self.require("debtor_activity", "Indiquez la forme et l'activité du débiteur.")
        self.require("court_seat", "Indiquez le tribunal judiciaire du siège du débiteur.")
        if not (data.get("debtor_activity") and data.get("court_seat")):
            return
        on = data.get("signed_on") or timezone.localdate()
        try:
            court = collective.competent_court(data["debtor_activity"], data["court_seat"], on)
            if data.get("court"):
                collective.check_court(data["court"], court)
            else:
                data["court"] = court.name
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)


def starting_act_check_codes(case: Case) -> list[str]:
    return list(case.action_type.starting_act_checks) if case.action_type_id else []


def setup_starting_act_checks(form: StartingActForm) -> None:
    """Keep the fields of the checks the case's action asks: the publication at the land
    registry (paulienne, oblique), the CPC 1360 mentions (partage)."""
    codes = starting_act_check_codes(form.case)
    if StartingActCheck.PUBLICATION in codes:
        form.fields["real_estate"].initial = form.case.properties.exists()
    else:
        del form.fields["real_estate"], form.fields["published_on"]
    others = [code for code in codes if code != StartingActCheck.PUBLICATION]
    if others:
        form.fields["checks"].choices = [(code, StartingActCheck(code).label) for code in others]
    else:
        del form.fields["checks"]


def clean_starting_act_checks(form: StartingActForm, data: dict) -> None:
    """Décret 55-22 art. 28 4° c and 30-5: a demand tending to the revocation or the
    annulment of rights on real estate is admissible only once published; CPC 1360: an
    assignation en partage without its three mentions is inadmissible."""
    if "checks" in form.fields:
        missing = [
            label
            for code, label in form.fields["checks"].choices
            if code not in (data.get("checks") or [])
        ]
        if missing:
            form.add_error(
                "checks",
                "L'assignation en partage est irrecevable sans ces mentions (CPC art. 1360) ; "
                "confirmez qu'elle les contient : " + " ; ".join(f"« {m} »" for m in missing) + ".",
            )
    if "real_estate" not in form.fields:
        return
    published, signed = data.get("published_on"), data.get("signed_on")
    if not data.get("real_estate"):
        data["published_on"] = None
        return
    if published is None:
        form.add_error(
            "published_on",
            "Une demande qui tend à la révocation, à l'inopposabilité ou à l'annulation de "
            "droits sur un immeuble n'est recevable que publiée au service de la publicité "
            "foncière (décret n° 55-22 du 4 janvier 1955, art. 28 4° c et 30-5) : indiquez "
            "la date de publication de l'assignation.",
        )
        return
    form.not_future("published_on")
    if signed and published < signed:
        form.add_error("published_on", "L'assignation ne peut être publiée avant d'être signée.")


def starting_act_check_values(data: dict) -> dict:
    """The checks' fields taken out of the step's data, as record_starting_act takes them."""
    checks = list(data.pop("checks", None) or [])
    real_estate = data.pop("real_estate", False)
    published_on = data.pop("published_on", None)
    if real_estate:
        checks.append(StartingActCheck.PUBLICATION.value)
    return {"confirmed_checks": checks, "published_on": published_on if real_estate else None}


def do_starting_act(ctx: Context, data: dict) -> None:
    case_parties.check_parties_for_action(ctx.case)  # issue 17, again under the lock
    deadlines.check_claims_before(
        ctx.case, data["signed_on"], f"L'acte introductif signé le {long_date(data['signed_on'])}"
    )
    data = dict(data)
    checked = starting_act_check_values(data)
    extra = {name: data.pop(name, "") for name in StartingActForm.COLLECTIVE_FIELDS}
    act = proceedings.record_starting_act(ctx.case, ctx.user, **data, **checked)
    if extra["debtor_activity"] or extra["co_plaintiff"]:
        act.debtor_activity, act.co_plaintiff = extra["debtor_activity"], extra["co_plaintiff"]
        act.save(update_fields=["debtor_activity", "co_plaintiff"])
    deadlines.check_saisie_sequence(ctx.case)
    deadlines.on_starting_act(ctx.case, ctx.user, act)
    if ctx.case.is_alsace_moselle:
        # Loi du 1er juin 1924, art. 141: the requête goes to the tribunal de l'exécution,
        # which orders the exécution forcée (step « local_ordonnance »), not to hearings.
        ctx.lifecycle.request_local_enforcement(reason=history.action_engaged(act))
    else:
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
    rg_number = forms.CharField(
        label="Numéro RG",
        max_length=40,
        required=False,
        help_text="Facultatif. Le numéro de répertoire général donné par le greffe "
        "(ex. : 24/01234) ; il figure au bordereau de pièces.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = self.case.hearings.order_by("-scheduled_at").first()
        appeal = self.case.appeals.order_by("-lodged_on", "-pk").first()
        if appeal and (last is None or last.instance != appeal.instance):
            self.fields["court"].initial = appeal.court
        elif last:
            self.fields["court"].initial = last.court
            self.fields["rg_number"].initial = last.rg_number  # the same instance's
        elif act := self.case.starting_acts.order_by("-signed_on", "-pk").first():
            self.fields["court"].initial = act.court  # the court the act brought the case to
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


class ActKindField(forms.ChoiceField):
    """The acts offered are those of the case's procedure; any known act is accepted, so
    that the operation refuses another procedure's act saying why (deadlines.services.
    check_act_kind)."""

    def valid_value(self, value) -> bool:
        return value in ProcedureActKind.values


class ProcedureActForm(StepForm):
    kind = ActKindField(label="Acte", choices=ProcedureActKind.choices)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Alsace-Moselle: the local law's acts instead of the CPCE's; elsewhere, no local act.
        refused = CPCE_ACTS if self.case.is_alsace_moselle else LOCAL_ACTS
        self.fields["kind"].choices = [
            (value, label) for value, label in ProcedureActKind.choices if value not in refused
        ]

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
    # The costs awarded to the State (issue 17, « distrib »): counted in the net recovery.
    article_700 = MoneyField(label="Article 700 du CPC alloué (€)", required=False)
    depens = MoneyField(label="Dépens alloués (€)", required=False)
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
        if not is_saisie(self.case):
            del self.fields["adjudication_at"], self.fields["recall_at"]
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
        if problem := holder_limit_problem(
            self.case, data.get("outcome"), data.get("amount_awarded")
        ):
            self.add_error("amount_awarded", problem)
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
        if is_saisie(self.case):
            clean_orientation(self, data)
        return data


def holder_limit_problem(case: Case, outcome: str, amount) -> str:
    """Issue 17 (« holder »): a holder is condemned only within the limit of its
    obligation towards the debtor on the SATD's date (LPF L.262, CPCE L.211-2,
    BOI-REC-FORCE-30-40). The French refusal, or "" (also when an obligation is unknown)."""
    action = case.action_type.code if case.action_type_id else ""
    if outcome == DecisionOutcome.HOLDER_CONDEMNED and amount is None:
        return "Indiquez le montant auquel le tiers détenteur est condamné."
    # Every outcome that awards the holder's money (its condemnation, a demand granted in
    # whole or part, on appeal too), not the one label alone.
    condemns = outcome == DecisionOutcome.HOLDER_CONDEMNED or (
        action == "tiers_detenteur" and decision_rules.awards_money(action, outcome)
    )
    if not condemns or amount is None:
        return ""
    holders = list(case.holders.all())
    if not holders or any(h.obligation is None for h in holders):
        return ""
    limit = sum((h.obligation for h in holders), Decimal("0"))
    if amount <= limit:
        return ""
    return (
        f"Le tiers détenteur ne peut être condamné que dans la limite de son obligation envers "
        f"le redevable à la date de la SATD, soit {euros(limit)} (LPF art. L.262, CPCE art. "
        "L.211-2) : vérifiez le montant (les dommages et intérêts éventuels ne s'y ajoutent "
        "pas ici)."
    )


def do_decision(ctx: Context, data: dict) -> None:
    if data["result"] == "reopened":
        ctx.lifecycle.reopen_hearings(reason=data["reason"])
        return
    # Issue 17: a radiation suspends the instance; the case goes back to its hearings.
    if decision_rules.suspends(data["outcome"]):
        do_radiation(ctx, data)
        return
    # The caducité of a saisie's commandement (CPCE R.311-11) is the JEX's judgment, open
    # to appeal (R.121-20): it goes on as a decision; elsewhere the instance just ends.
    # A recourse's caducité leaves the judgment attacked in force (CPC 911-1, 978): it is
    # recorded as a decision and the case goes on as that judgment says (the appeal step).
    instance = current_instance(ctx.case)
    if decision_rules.ends(data["outcome"], instance) and not is_saisie(ctx.case):
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
        article_700=data.get("article_700"),
        depens=data.get("depens"),
        by_default=bool(data.get("by_default")),
    )
    hearing = orientation_hearing(ctx, decision, data)  # saisie immobilière: R.322-21/26
    ctx.lifecycle.record_decision(reason=history.orientation(decision, hearing))
    deadlines.on_decision(ctx.case, ctx.user, decision)
    if decision.outcome in OPENING_OUTCOMES:  # the debtor's collective proceeding
        collective.record_opening(
            ctx.case,
            ctx.user,
            kind=OPENING_OUTCOMES[decision.outcome],
            opened_on=decision.decided_on,
            court=decision.court,
            decision=decision,
        )
    # Issue 17: the opening judgment reversed on recourse ends the proceeding; the actions
    # it stopped (L.622-21) go on.
    reversed_ = collective.record_reversal(ctx.case, ctx.user, decision)
    if reversed_ is not None:
        deadlines.on_opening_reversed(ctx.user, reversed_)
    if hearing is not None:
        deadlines.on_hearing(ctx.case, ctx.user, hearing)  # the publicity (R.322-31)
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
    deadlines.on_radiation(ctx.case, ctx.user, decision)


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
    "pole_renvoi": (
        Instance.RENVOI,
        AppealParty.POLE,
        "Le pôle saisit la juridiction de renvoi (deux mois, CPC 1034)",
    ),
    "opponent_renvoi": (
        Instance.RENVOI,
        AppealParty.OPPONENT,
        "La partie adverse a saisi la juridiction de renvoi",
    ),
}
RECOURSE_WORDS = {
    Instance.APPEAL: ("l'appel", "d'appel"),
    Instance.CASSATION: ("le pourvoi", "de pourvoi"),
    Instance.OPPOSITION: ("l'opposition", "d'opposition"),
    Instance.RENVOI: ("la saisine de la juridiction de renvoi", "de saisine"),
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
    Instance.RENVOI: (
        "Indiquez la date de la déclaration de saisine.",
        "Indiquez la juridiction de renvoi désignée par l'arrêt de cassation.",
        "Résumez les prétentions devant la juridiction de renvoi.",
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
    if decision and decision_rules.abandons_recourse(decision.instance, decision.outcome):
        # CPC 403, 911-1, 978, 1024: the judgment attacked is in force, as if never attacked.
        return [("none", ABANDONED_LABEL)]
    if decision and Instance.RENVOI in open_:
        return [*found, ("none", NO_RENVOI_LABEL)]
    return [*found, ("none", "Pas de recours : passer à l'exécution")]


# CPC 1034 al. 2: the juridiction de renvoi not seized in time, the first judgment is final.
NO_RENVOI_LABEL = (
    "Juridiction de renvoi non saisie dans les deux mois (CPC 1034) : le jugement de "
    "première instance est en force, passer à l'exécution"
)

ABANDONED_LABEL = (
    "Recours abandonné (désistement ou caducité) : le jugement attaqué est en force, "
    "passer à l'exécution"
)


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
        help_text="La cour d'appel, la Cour de cassation, pour une opposition la "
        "juridiction qui a rendu le jugement (CPC 572), après cassation la juridiction de "
        "renvoi que l'arrêt désigne (CPC 626).",
    )
    grounds = _textarea("Moyens / motifs", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = recourse_choices(self.case)
        if collective.awaits_declaration(self.case):
            choices = dict(self.fields["choice"].choices)
            choices["none"] = (
                "Recours abandonné : le jugement d'ouverture est en force, déclarer la "
                "créance au passif"
                if choices["none"] == ABANDONED_LABEL
                else "Pas d'appel : déclarer la créance au passif"
            )
            self.fields["choice"].choices = list(choices.items())
        if is_saisie(self.case):
            recourses = [c for c in self.fields["choice"].choices if c[0] != "none"]
            self.fields["choice"].choices = [
                *recourses,
                *SAISIE_APPEAL_CHOICES,
                ("none", "Pas d'appel : passer à l'exécution et clore (caducité, nullité…)"),
            ]

    def clean(self):
        data = super().clean()
        if is_saisie(self.case):
            clean_orientation_choice(self, data)
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
        if collective.awaits_declaration(ctx.case):  # on to « Déclarer la créance »
            collective.no_appeal_of_opening(ctx.case, ctx.user)
            return
        ctx.lifecycle.start_execution()
        return
    if data["choice"] in SAISIE_ROUTES:
        follow_orientation(ctx, data["choice"])
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
    # Imputation (issue 17, « distrib »): cases.money, C. civ. 1342-10.
    claims = forms.ModelMultipleChoiceField(
        label="Créances désignées par le payeur",
        queryset=Claim.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Facultatif. Sans indication, l'encaissement s'impute d'abord sur les "
        "créances échues, non prescrites, les plus anciennes (C. civ. 1342-10).",
    )
    awarded_costs = MoneyField(
        label="Dont frais alloués par une décision (€)",
        required=False,
        help_text="Article 700 du CPC et dépens : cette part ne s'impute pas sur les créances.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = self.case.claims.filter(remaining__gt=0)
        self.fields["claims"].label_from_instance = lambda claim: (
            f"{claim} — reste à recouvrer {euros(claim.remaining)}"
        )

    def clean(self):
        data = super().clean()
        self.not_future("received_on")
        if data.get("amount") is not None and data["amount"] <= 0:
            self.add_error("amount", "Le montant encaissé doit être positif.")
        amount, costs = data.get("amount"), data.get("awarded_costs")
        if amount and costs and costs > amount:
            self.add_error("awarded_costs", "Cette part ne peut dépasser le montant encaissé.")
        return data


def do_recovery(ctx: Context, data: dict) -> None:
    data = {**data, "claims": list(data.get("claims") or [])}
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


# 4. Collective proceedings (C. com. livre VI) --------------------------------------------
# The debtor's proceeding, recorded on any taken-over case (side actions of the steps where
# a case waits, COLLECTIVE_STEPS), and the declaration of the claim after the opening
# judgment of a `procedure_collective` case (the step « declare_claim »).


def _proceeding_or_refuse(case: Case):
    proceeding = collective.open_proceeding(case)
    if proceeding is None:
        raise ValidationError(
            "Aucune procédure collective en cours n'est enregistrée pour ce débiteur : "
            "enregistrez d'abord le jugement d'ouverture."
        )
    return proceeding


class CollectiveOpeningForm(StepForm):
    kind = forms.ChoiceField(label="Procédure ouverte", choices=CollectiveKind.choices)
    opened_on = _date("Jugement d'ouverture du")
    court = forms.CharField(label="Tribunal", max_length=200)
    bodacc_on = _date("Publié au BODACC le", required=False)
    mandataire = forms.CharField(
        label="Mandataire judiciaire ou liquidateur", max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        self.not_future("opened_on", "bodacc_on")
        opened, published = data.get("opened_on"), data.get("bodacc_on")
        if opened and published and published < opened:
            self.add_error("bodacc_on", "La publication ne peut précéder le jugement.")
        return data


def do_collective_opening(ctx: Context, data: dict) -> None:
    proceeding = collective.record_opening(ctx.case, ctx.user, **data)
    deadlines.on_collective_publication(ctx.case, ctx.user, proceeding)


class CollectivePublicationForm(StepForm):
    bodacc_on = _date("Jugement d'ouverture publié au BODACC le")
    mandataire = forms.CharField(
        label="Mandataire judiciaire ou liquidateur", max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        self.not_future("bodacc_on")
        _proceeding_or_refuse(self.case)
        return data


def do_collective_publication(ctx: Context, data: dict) -> None:
    proceeding = collective.record_publication(
        _proceeding_or_refuse(ctx.case), ctx.user, on_case=ctx.case, **data
    )
    deadlines.on_collective_publication(ctx.case, ctx.user, proceeding)


class CollectiveClosingForm(StepForm):
    closed_on = _date("Jugement de clôture du")
    cause = forms.ChoiceField(
        label="Cause de la clôture",
        # A reversal on recourse is recorded with the decision that reverses, not here.
        choices=[("", "Choisir")]
        + [(c.value, c.label) for c in ClosingCause if c != ClosingCause.REVERSED],
    )

    def clean(self):
        data = super().clean()
        self.not_future("closed_on")
        _proceeding_or_refuse(self.case)
        return data


def do_collective_closing(ctx: Context, data: dict) -> None:
    proceeding = collective.record_closing(
        _proceeding_or_refuse(ctx.case),
        ctx.user,
        closed_on=data["closed_on"],
        cause=data["cause"],
        on_case=ctx.case,
    )
    deadlines.on_collective_closed(ctx.user, proceeding)


class SubrogationForm(StepForm):
    on = _date("Liquidateur subrogé dans la saisie le")
    note = forms.CharField(label="Observations", max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        self.not_future("on")
        if not self.case.stopped_actions.exists():
            raise ValidationError(
                "Cette action n'a pas été arrêtée par une procédure collective du débiteur."
            )
        return data


def do_subrogation(ctx: Context, data: dict) -> None:
    stopped = ctx.case.stopped_actions.order_by("-stopped_at", "-pk").first()
    collective.record_subrogation(stopped, ctx.user, on=data["on"], note=data["note"])


COLLECTIVE_SIDE_ACTIONS = {
    "collective_opening": SideAction(
        "Procédure collective du débiteur : jugement d'ouverture",
        CollectiveOpeningForm,
        do_collective_opening,
    ),
    "collective_publication": SideAction(
        "Procédure collective : publication au BODACC, mandataire",
        CollectivePublicationForm,
        do_collective_publication,
    ),
    "collective_closing": SideAction(
        "Procédure collective : jugement de clôture", CollectiveClosingForm, do_collective_closing
    ),
    "subrogation": SideAction(
        "Subrogation du liquidateur dans la saisie (L.642-18)", SubrogationForm, do_subrogation
    ),
}
# What a case stopped by the debtor's collective proceeding may no longer record (C. com.
# L.622-21; `cases.collective.check_not_stopped`): the steps whose completion is a new act
# of the action, and the side actions that are acts of procedure or of execution (the
# appeal step's procedure act, the decision's notification, is the court's). Decisions,
# recoveries, costs, parties, the declaration and the closure stay open.
STOPPED_STEPS = {
    "starting_act": "l'acte introductif",
    "local_ordonnance": "l'ordonnance d'exécution forcée",
    "local_inscription": "l'inscription au livre foncier",
    "local_adjudication": "l'adjudication par le notaire",
}
STOPPED_SIDE_ACTIONS = {
    "procedure_act": "un acte de procédure",
    "adjudication": "l'adjudication",
    "report": "le report de la vente",
    "reiteration": "la réitération des enchères",
    "extension": "le délai supplémentaire de la vente amiable",
}


def check_not_stopped(case: Case, step: str, side_action: str | None = None) -> None:
    """Refuse, with its French reason, what a stopped case may no longer record."""
    if side_action is None:
        what = STOPPED_STEPS.get(step)
    elif step != "appeal_decision":
        what = STOPPED_SIDE_ACTIONS.get(side_action)
    else:
        what = None
    if what:
        collective.check_not_stopped(case, what)


# The steps where a taken-over case waits, which offer them.
# (The sale's steps too: a saisie stopped by the debtor's liquidation, L.622-21, is where
# the liquidator's subrogation is recorded, L.642-18.)
COLLECTIVE_STEPS = (
    "hearings",
    "appeal_decision",
    "declare_claim",
    "execution",
    "amicable_sale",
    "forced_sale",
    "local_ordonnance",
    "local_inscription",
    "local_adjudication",
    "distribution",
)


class DeclarationForm(StepForm):
    bodacc_on = _date("Jugement d'ouverture publié au BODACC le", required=False)
    mandataire = forms.CharField(
        label="Mandataire judiciaire ou liquidateur", max_length=200, required=False
    )
    declared_on = _date("Créance déclarée le")
    amount = MoneyField(label="Montant déclaré (€)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proceeding = collective.case_proceeding(self.case) or collective.open_proceeding(
            self.case
        )
        if self.proceeding is not None:
            self.fields["bodacc_on"].initial = self.proceeding.bodacc_on
            self.fields["mandataire"].initial = self.proceeding.mandataire
        self.fields["amount"].initial = sum(c.remaining for c in self.case.claims.all()) or None

    def clean(self):
        data = super().clean()
        self.not_future("bodacc_on", "declared_on")
        if self.proceeding is None:
            raise ValidationError(
                "Aucun jugement d'ouverture n'est enregistré pour ce débiteur : enregistrez-le "
                "(action « Procédure collective du débiteur : jugement d'ouverture »)."
            )
        if self.proceeding.bodacc_on is None:
            self.require(
                "bodacc_on",
                "Indiquez la date de publication au BODACC : le délai de déclaration en court "
                "(C. com. R.622-24).",
            )
        if not self.proceeding.mandataire:
            self.require("mandataire", "Indiquez le mandataire judiciaire ou le liquidateur.")
        if data.get("amount") is not None and data["amount"] <= 0:
            self.add_error("amount", "Le montant déclaré doit être positif.")
        return data


def do_declare_claim(ctx: Context, data: dict) -> None:
    proceeding = collective.case_proceeding(ctx.case) or _proceeding_or_refuse(ctx.case)
    proceeding = collective.record_publication(
        proceeding,
        ctx.user,
        bodacc_on=data.get("bodacc_on") or proceeding.bodacc_on,
        mandataire=data.get("mandataire") or "",
        on_case=ctx.case,
    )
    deadlines.on_collective_publication(ctx.case, ctx.user, proceeding)
    declaration = collective.record_declaration(
        ctx.case, ctx.user, proceeding, declared_on=data["declared_on"], amount=data["amount"]
    )
    deadlines.on_claim_declared(ctx.case, ctx.user, declaration)
    ctx.lifecycle.start_execution(reason=history.claim_declared(declaration))


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
    """The outcome of the orientation judgment in force (`cases.decisions.in_force`): the
    last decision's, or, when the court of appeal confirmed or the appeal was given up
    (CPC 403, 911-1), the judgment's it left in force; None when it is not one of the
    orientation's (a judgment recorded before they existed, or reversed on appeal)."""
    decision = decision_rules.in_force(case.decisions.order_by("-decided_on", "-pk"))
    return decision.outcome if decision and decision.outcome in ORIENTATION_ROUTES else None


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
    if choice in RECOURSE_CHOICES or not choice:  # an appeal, a pourvoi, an opposition
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
    # The report to the direction and the poste comptable (R.322-39 s.), as the notaire's
    # adjudication in Alsace-Moselle.
    ctx.produce(DocumentKind.COMPTE_RENDU_ADJUDICATION)


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
    _new_adjudication_hearing(ctx, sale, data, "Audience de surenchère")


def _new_adjudication_hearing(ctx: Context, sale, data: dict, purpose: str) -> None:
    """The new adjudication hearing a surenchère or a réitération leads to, if its date is
    known: at the sale's court unless another is given; its publicity (R.322-31)."""
    if not data.get("hearing_at"):
        return
    court = data.get("court") or (sale.hearing.court if sale.hearing else "")
    hearing = _schedule(
        ctx, kind=HearingKind.ADJUDICATION, when=data["hearing_at"], court=court, purpose=purpose
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
    _new_adjudication_hearing(ctx, sale, data, "Audience de réitération des enchères")


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
    ctx.produce(DocumentKind.COMPTE_RENDU_ADJUDICATION)  # now with the price paid (R.322-56)


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
        required=False,
        help_text="0 si le rang du Trésor ne lui a rien laissé ; vide si sa part est déjà "
        "enregistrée (« Part du Trésor reçue »).",
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
        received = self.case.distributions.filter(status=DistributionStatus.PAID).first()
        if received is not None and amount:
            what = (
                f"{euros(received.recovery.amount)} reçus le "
                f"{long_date(received.recovery.received_on)}"
                if received.recovery_id
                else f"rien ne lui revenait, paiement du {long_date(received.paid_on)}"
            )
            self.add_error(
                "amount",
                f"La part du Trésor est déjà enregistrée ({what}) : elle n'est comptée "
                "qu'une fois ; laissez ce champ vide.",
            )
        elif received is None and amount and self.case.distributions.exists():
            self.add_error(
                "amount",
                "Une distribution du prix est en cours : la part du Trésor est comptée à son "
                "paiement (« Part du Trésor reçue ») ; laissez ce champ vide.",
            )
        elif received is None and amount is None:
            self.add_error(
                "amount",
                "Indiquez la somme reçue par le Trésor (0 s'il n'a rien reçu), ou enregistrez "
                "sa part avec « Part du Trésor reçue ».",
            )
        if amount and amount > 0:
            self.require("received_on", "Indiquez la date à laquelle le Trésor a été payé.")
        return data


def do_close_distribution(ctx: Context, data: dict) -> None:
    # Counted once (`cases.money.record_price_received`): not again when the share was
    # received on the distribution.
    money.record_price_received(
        ctx.case, ctx.user, received_on=data["received_on"], amount=data["amount"]
    )
    ctx.lifecycle.close(reason=data["comment"], closure_reason=data["closure_reason"])


# 5. Saisie immobilière in Alsace-Moselle (loi du 1er juin 1924, art. 141 s.) -----------
#
# The requête recorded (the starting act), the tribunal de l'exécution orders the exécution
# forcée and commits the notaire (or rejects the requête); the ordonnance, notified to the
# debtor, opens the pourvoi immédiat (fifteen days, deadlines.local_law); the exécution
# forcée is inscribed at the livre foncier; the notaire draws up the cahier des charges
# (art. 147: « sans délai ») and holds the adjudication; the price paid to him is
# distributed (step « distribution »). Each date is recorded as the local procedure's act
# (`deadlines.services.record_procedure_act`: its order checked, its deadlines opened).

PAK = ProcedureActKind


def _local_act(ctx: Context, kind: str, date, note: str = "") -> None:
    deadlines.record_procedure_act(ctx.case, ctx.user, kind=kind, date=date, note=note)


def _local_act_note(case: Case, kind: str) -> str:
    act = case.procedure_acts.filter(kind=kind).order_by("-date", "-pk").first()
    return act.note if act else ""


class LocalOrdonnanceForm(StepForm):
    result = _radio(
        "Le tribunal de l'exécution",
        [
            ("ordered", "Ordonne l'exécution forcée et commet un notaire"),
            ("rejected", "Rejette la requête"),
        ],
    )
    ordonnance_on = _date("Ordonnance rendue le")
    court = forms.CharField(label="Juridiction", max_length=200)
    notaire = forms.CharField(
        label="Notaire commis pour l'adjudication",
        max_length=200,
        required=False,
        help_text="Nom et résidence, ex. : Me Anne Muller, notaire à Strasbourg.",
    )
    notified_on = _date("Notifiée au débiteur le", required=False)
    reason = _textarea("Motifs du rejet", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        act = self.case.starting_acts.order_by("-signed_on", "-pk").first()
        self.fields["court"].initial = act.court if act else LOCAL_LAW_COURT
        self.fields["notified_on"].help_text = (
            "La notification fait courir le pourvoi immédiat du débiteur (quinze jours) ; "
            "si elle n'est pas encore faite, enregistrez-la plus tard (« Enregistrer un acte "
            "de la procédure »)."
        )

    def clean(self):
        data = super().clean()
        self.not_future("ordonnance_on", "notified_on")
        ordered, notified = data.get("ordonnance_on"), data.get("notified_on")
        if ordered and notified and notified < ordered:
            self.add_error("notified_on", "La notification ne peut précéder l'ordonnance.")
        if data.get("result") == "ordered":
            self.require("notaire", "Indiquez le notaire que l'ordonnance commet.")
        if data.get("result") == "rejected":
            self.require("reason", "Indiquez les motifs du rejet de la requête.")
        return data


def do_local_ordonnance(ctx: Context, data: dict) -> None:
    on = data["ordonnance_on"]
    if data["result"] == "rejected":
        ctx.lifecycle.reject_local_request(
            reason=f"Ordonnance du {long_date(on)} ({data['court']}) : {data['reason']}"
        )
        return
    _local_act(ctx, PAK.LF_ORDONNANCE, on, data["court"])
    _local_act(ctx, PAK.LF_NOTAIRE, on, data["notaire"])
    if data.get("notified_on"):
        _local_act(ctx, PAK.LF_NOTIFICATION, data["notified_on"])  # the pourvoi immédiat
    ctx.lifecycle.order_local_enforcement(
        reason=f"Ordonnance du {long_date(on)} ({data['court']}) ; notaire commis : "
        f"{data['notaire']}"
    )


class LocalInscriptionForm(StepForm):
    inscribed_on = _date("Exécution forcée inscrite au livre foncier le")
    note = forms.CharField(
        label="Mention au livre foncier",
        max_length=1000,
        required=False,
        help_text="Le livre foncier, la section et le feuillet portant la mention.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        references = [p.land_register_reference for p in self.case.properties.all()]
        self.fields["note"].initial = " ; ".join(r for r in references if r)

    def clean(self):
        data = super().clean()
        self.not_future("inscribed_on")
        return data


def do_local_inscription(ctx: Context, data: dict) -> None:
    _local_act(ctx, PAK.LF_INSCRIPTION, data["inscribed_on"], data.get("note") or "")


class LocalAdjudicationForm(StepForm):
    cahier_on = _date("Cahier des charges dressé par le notaire le", required=False)
    adjudicated_on = _date("Adjudication prononcée par le notaire le")
    notaire = forms.CharField(label="Notaire", max_length=200)
    price = MoneyField(label="Prix d'adjudication (€)")
    buyer = forms.CharField(label="Adjudicataire", max_length=200)
    paid_on = _date("Prix versé entre les mains du notaire le")
    note = forms.CharField(label="Observations", max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notaire"].initial = _local_act_note(self.case, PAK.LF_NOTAIRE)
        if self.case.procedure_acts.filter(kind=PAK.LF_CAHIER).exists():
            del self.fields["cahier_on"]
        else:
            self.fields["cahier_on"].help_text = (
                "Le notaire le rédige sans délai après avoir entendu les parties (loi du 1er "
                "juin 1924, art. 147)."
            )

    def clean(self):
        data = super().clean()
        self.not_future("cahier_on", "adjudicated_on", "paid_on")
        if data.get("price") is not None and data["price"] <= 0:
            self.add_error("price", "Le prix d'adjudication doit être positif.")
        sold, paid = data.get("adjudicated_on"), data.get("paid_on")
        if sold and paid and paid < sold:
            self.add_error("paid_on", "Le prix ne peut être versé avant l'adjudication.")
        if not self.case.procedure_acts.filter(kind=PAK.LF_INSCRIPTION).exists():
            raise ValidationError(
                "L'exécution forcée n'est pas inscrite au livre foncier : enregistrez d'abord "
                "son inscription."
            )
        return data


def do_local_adjudication(ctx: Context, data: dict) -> None:
    if data.get("cahier_on"):
        _local_act(ctx, PAK.LF_CAHIER, data["cahier_on"])
    _local_act(
        ctx,
        PAK.LF_ADJUDICATION,
        data["adjudicated_on"],
        f"{data['notaire']} : {euros(data['price'])}, adjudicataire {data['buyer']}",
    )
    sale = proceedings.record_sale(
        ctx.case,
        ctx.user,
        kind=SaleKind.NOTAIRE,
        sold_on=data["adjudicated_on"],
        price=data["price"],
        buyer=data["buyer"],
        note=data.get("note") or "",
        paid_on=data["paid_on"],
    )
    ctx.lifecycle.distribute_price(reason=history.price_paid(sale))
    ctx.produce(DocumentKind.COMPTE_RENDU_ADJUDICATION)


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


# The money of a case (issue 17, « distrib »): `workflows.distribution` builds its side
# actions on this module's StepForm, SideAction and Context, so it is imported here, once
# they exist.
from .distribution import COST, DISTRIBUTION_SIDE_ACTIONS  # noqa: E402

# The local procedure's steps: a notification or a cahier des charges recorded apart, the
# costs (the notaire's), a party (a registered creditor).
LOCAL_SIDE_ACTIONS = {"procedure_act": PROCEDURE_ACT, "cost": COST, "party": PARTY}


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
            "cost": COST,
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
        "declare_claim",
        DeclarationForm,
        do_declare_claim,
        "Enregistrer la déclaration",
        side_actions={"procedure_act": PROCEDURE_ACT},
    ),
    StepSpec(
        "execution",
        ClosingForm,
        do_close,
        "Clore le dossier",
        side_actions={
            "recovery": SideAction("Enregistrer un encaissement", RecoveryForm, do_recovery),
            "procedure_act": PROCEDURE_ACT,
            "cost": COST,
            **DISTRIBUTION_SIDE_ACTIONS,
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
    # Saisie immobilière in Alsace-Moselle (5. above)
    StepSpec(
        "local_ordonnance",
        LocalOrdonnanceForm,
        do_local_ordonnance,
        "Enregistrer l'ordonnance",
        side_actions=dict(LOCAL_SIDE_ACTIONS),
        undoable=False,  # the ordonnance's acts and their deadline stay
    ),
    StepSpec(
        "local_inscription",
        LocalInscriptionForm,
        do_local_inscription,
        "Enregistrer l'inscription",
        side_actions=dict(LOCAL_SIDE_ACTIONS),
        undoable=False,
    ),
    StepSpec(
        "local_adjudication",
        LocalAdjudicationForm,
        do_local_adjudication,
        "Prix versé : distribuer le prix",
        side_actions=dict(LOCAL_SIDE_ACTIONS),
        undoable=False,
    ),
    StepSpec(
        "distribution",
        DistributionCloseForm,
        do_close_distribution,
        "Clore la distribution et le dossier",
        # The distribution itself (creditors, ranks, projet, contest, the Trésor's share):
        # workflows.distribution; the costs of the procedure.
        side_actions={
            **DISTRIBUTION_SIDE_ACTIONS_HERE,
            **DISTRIBUTION_SIDE_ACTIONS,
            "cost": COST,
        },
    ),
)

# Collective proceedings: their side actions on the steps where a case waits.
for _name in COLLECTIVE_STEPS:
    STEPS[_name].side_actions.update(COLLECTIVE_SIDE_ACTIONS)
