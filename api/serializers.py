"""What the API reads and writes. The referral's input is only a shape: every value goes,
as typed, to the web page's forms (cases.forms.ReferralForms), which validate it."""

from __future__ import annotations

from django import forms as django_forms
from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from viewflow.workflow.status import PROCESS

from cases import forms as case_forms
from cases.enums import (
    CaseStatus,
    ClosureReason,
    CoObligorKind,
    Mode,
    PieceKind,
    RiskDimension,
    RiskLevel,
)
from cases.formatting import person_name
from cases.models import (
    Case,
    CaseEvent,
    Claim,
    CollectiveProceeding,
    Debtor,
    Decision,
    ManagerTarget,
    Opinion,
    Piece,
    PropertyTarget,
    ThirdPartyHolderTarget,
)
from deadlines.models import Deadline
from documents.models import Document

# Input --------------------------------------------------------------------------------


class FormValue(serializers.CharField):
    """A value handed to the referral forms as typed (a string, or a number for amounts
    and identifiers); `schema` documents what the forms accept."""

    def __init__(self, *, schema: dict, **kwargs):
        self.schema = schema
        kwargs.update(required=False, allow_blank=True, allow_null=True, trim_whitespace=False)
        super().__init__(**kwargs)


class FormValueSchema(OpenApiSerializerFieldExtension):
    target_class = FormValue

    def map_serializer_field(self, auto_schema, direction):
        return {**self.target.schema, "nullable": True}


# Django's text fields refuse the NUL character.
NO_NUL = "^[^\\u0000]*$"


def _schema_of(field: django_forms.Field) -> dict:
    if isinstance(field, django_forms.DecimalField):
        return {"anyOf": [{"type": "string", "example": "12345.67"}, {"type": "number"}]}
    if isinstance(field, django_forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, django_forms.ModelChoiceField):
        return {"type": "string"}
    if isinstance(field, django_forms.TypedChoiceField | django_forms.ChoiceField):
        values = [str(value) for value, _ in field.choices if value]
        # Empty: not given yet (a draft); refused by the form where the field is required.
        return {"type": "string", "enum": values if field.required else [*values, ""]}
    schema = {"type": "string", "pattern": NO_NUL}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    if isinstance(field, django_forms.NullBooleanField):
        return schema
    # A number is a text as typed (a SIREN, a period, a postal code).
    return {"anyOf": [schema, {"type": "number"}]}


def _help(field: django_forms.Field, extra: str = "") -> str:
    return " ".join(part for part in (str(field.help_text or ""), extra) if part)


CODES = {
    "action_type": "Code de l'action envisagée (catalogue), par ex. « saisie_immobiliere ».",
    "poste_comptable": "Codique du poste comptable qui détient la créance.",
    "mode": "avis (avis d'opportunité), soutien (soutien technique) ou prise_en_charge.",
}


def unknown_keys(data, known) -> dict[str, list[str]]:
    """The errors of the keys of `data` that are not in `known`."""
    return {key: ["Champ inconnu."] for key in sorted(set(data) - set(known))}


class RejectUnknownKeys:
    # Unknown keys are refused rather than ignored: a misspelt field would otherwise be
    # lost without a word (the schema says so: additionalProperties false, api.schema).
    # A comment, not a docstring: the schema would show it.

    def to_internal_value(self, data):
        if isinstance(data, dict) and (unknown := unknown_keys(data, self.fields)):
            raise serializers.ValidationError(unknown)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class RowId(serializers.Field):
    """The id of one of the case's rows: an integer, as the case's detail gives it."""

    default_error_messages = {"invalid": "Donnez l'id (nombre entier) d'une ligne du dossier."}

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


def input_serializer(name: str, form_class, *, with_id: bool = False, extra=None):
    """A serializer with one optional FormValue per field of `form_class`."""
    fields = {}
    if with_id:
        fields["id"] = RowId(
            required=False,
            allow_null=True,
            help_text="Identifiant d'une ligne existante à modifier ; absent pour en ajouter une.",
        )
    base = form_class.base_fields
    for field_name in form_class._meta.fields:
        field = base[field_name]
        fields[field_name] = FormValue(
            schema=_schema_of(field),
            label=str(field.label or field_name),
            help_text=_help(field, CODES.get(field_name, "")),
        )
    fields.update(extra or {})
    return type(name, (RejectUnknownKeys, serializers.Serializer), fields)


DebtorInput = input_serializer("DebtorInput", case_forms.DebtorForm)
ClaimInput = input_serializer("ClaimInput", case_forms.ClaimForm, with_id=True)
PropertyInput = input_serializer("PropertyInput", case_forms.PropertyForm, with_id=True)
ManagerInput = input_serializer("ManagerInput", case_forms.ManagerForm, with_id=True)
HolderInput = input_serializer("HolderInput", case_forms.HolderForm, with_id=True)

SECTION_HELP = (
    "Liste complète : une ligne avec `id` modifie la ligne existante, une ligne sans `id` "
    "est ajoutée, une ligne existante absente de la liste est supprimée ; un `id` qui "
    "n'est pas celui d'une ligne de cette section du dossier est refusé (400). Omise, la "
    "section reste inchangée."
)
ReferralInput = input_serializer(
    "ReferralInput",
    case_forms.CaseForm,
    extra={
        "debtor": DebtorInput(required=False, help_text="Le redevable."),
        "claims": ClaimInput(many=True, required=False, help_text="Les créances. " + SECTION_HELP),
        "properties": PropertyInput(
            many=True, required=False, help_text="Biens immobiliers à saisir. " + SECTION_HELP
        ),
        "managers": ManagerInput(
            many=True, required=False, help_text="Dirigeants mis en cause. " + SECTION_HELP
        ),
        "holders": HolderInput(
            many=True, required=False, help_text="Tiers détenteurs. " + SECTION_HELP
        ),
    },
)
SECTIONS = ("claims", "properties", "managers", "holders")


class StrictBoolean(serializers.BooleanField):
    """true or false: not DRF's "yes", "1" or 0, which the schema's boolean excludes."""

    def to_internal_value(self, data):
        if type(data) is not bool:
            self.fail("invalid", input=data)
        return data


class SubmitInput(RejectUnknownKeys, serializers.Serializer):
    confirm_duplicate = StrictBoolean(
        required=False,
        default=False,
        help_text="Transmettre malgré un autre dossier ouvert pour le même redevable.",
    )


class PieceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PieceKind.choices, help_text="Type de pièce.")
    file = serializers.FileField(help_text="Le fichier : 20 Mo au plus, PDF, image ou bureautique.")
    dated_on = serializers.DateField(
        required=False, help_text="Date de la pièce elle-même (AAAA-MM-JJ), pour le bordereau."
    )
    description = serializers.CharField(
        required=False, max_length=300, help_text="Description de la pièce, telle qu'au bordereau."
    )


class ClaimsImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="L'extrait de l'application de recouvrement (CSV ou XLSX, 20 Mo au plus), "
        "au format décrit dans le README."
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Faux (par défaut) : le fichier est seulement vérifié et les doublons "
        "signalés, rien n'est enregistré. Vrai : les créances sont importées, toutes ou aucune.",
    )


# Output -------------------------------------------------------------------------------


class LabelledChoice(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


def _choice(value: str, choices) -> dict | None:
    if not value:
        return None
    return {"value": value, "label": str(dict(choices).get(value, value))}


class DebtorOutput(serializers.ModelSerializer):
    class Meta:
        model = Debtor
        fields = ["id", *case_forms.DebtorForm._meta.fields]
        extra_kwargs = {
            "id": {"help_text": "La fiche du redevable, commune à ses dossiers (v1/debtors/{id}/)."}
        }


class DebtorCaseOutput(serializers.ModelSerializer):
    direction = serializers.CharField(source="direction.code")
    action_type = serializers.CharField(source="action_type.code", allow_null=True, default=None)

    class Meta:
        model = Case
        fields = ["reference", "direction", "status", "action_type", "submitted_at"]


class CoObligorOutput(serializers.Serializer):
    id = serializers.IntegerField(source="link.pk")
    kind = serializers.CharField(source="link.kind")
    role = serializers.CharField(help_text="Ce que l'autre redevable est à celui-ci.")
    basis = serializers.CharField()
    other = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "description": "L'autre redevable ; null quand vous ne voyez aucun de ses dossiers "
            "(le pôle en suit un : contactez-le).",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "siren": {"type": "string"},
            },
        }
    )
    def get_other(self, line) -> dict | None:
        if line.other is None:
            return None
        return {"id": line.other.pk, "name": str(line.other), "siren": line.other.siren}


class DebtorClaimOutput(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference")

    class Meta:
        model = Claim
        fields = ["case", "tax", "period", "assessment_date", "remaining", "prescription_date"]


class DebtorDecisionOutput(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference")

    class Meta:
        model = Decision
        fields = ["case", "instance", "decided_on", "outcome", "amount_awarded"]


class DebtorProceedingOutput(serializers.ModelSerializer):
    class Meta:
        model = CollectiveProceeding
        fields = ["kind", "opened_on", "bodacc_on", "mandataire", "closed_on"]


class DebtorDetail(serializers.Serializer):
    debtor = DebtorOutput()
    claims = DebtorClaimOutput(many=True, help_text="Les créances de ses dossiers que vous voyez.")
    decisions = DebtorDecisionOutput(many=True)
    proceedings = DebtorProceedingOutput(many=True, help_text="Ses procédures collectives.")
    cases = DebtorCaseOutput(many=True, help_text="Ses dossiers que vous voyez.")
    other_cases = serializers.IntegerField(
        source="others",
        help_text="Combien d'autres dossiers le pôle suit pour d'autres directions.",
    )
    contact = serializers.CharField(help_text="Qui contacter à leur sujet.")
    co_obligors = CoObligorOutput(many=True)


class CoObligorInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CoObligorKind.choices)
    direction = serializers.ChoiceField(
        choices=["co_obligor", "debtor"],
        default="co_obligor",
        help_text="co_obligor : l'autre est co-obligé de ce redevable ; debtor : l'inverse.",
    )
    siren = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    basis = serializers.CharField(required=False, allow_blank=True)


class ClaimOutput(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = [
            "id",
            *case_forms.ClaimForm._meta.fields,
            "prescription_date",
            "prescription_state",
        ]


class PropertyOutput(serializers.ModelSerializer):
    class Meta:
        model = PropertyTarget
        fields = ["id", *case_forms.PropertyForm._meta.fields]


class ManagerOutput(serializers.ModelSerializer):
    class Meta:
        model = ManagerTarget
        fields = ["id", *case_forms.ManagerForm._meta.fields]


class HolderOutput(serializers.ModelSerializer):
    claimed_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="Montant réclamé au tiers : celui de la SATD, dans la limite des sommes "
        "qu'il devait au redevable à sa date quand elles sont connues (LPF art. L.262, CPCE "
        "art. L.211-2).",
    )

    class Meta:
        model = ThirdPartyHolderTarget
        fields = ["id", *case_forms.HolderForm._meta.fields, "claimed_amount"]


class PieceOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Piece
        fields = [
            "id",
            "number",
            "kind",
            "kind_label",
            "dated_on",
            "description",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "uploaded_at",
        ]


class CaseSummary(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    mode_label = serializers.CharField(source="get_mode_display")
    action_type = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    action_type_label = serializers.CharField(
        source="action_type.label", default=None, allow_null=True
    )
    direction = serializers.CharField(source="direction.code")
    poste_comptable = serializers.SlugRelatedField(
        slug_field="codique", read_only=True, allow_null=True
    )
    poste_comptable_name = serializers.CharField(
        source="poste_comptable.name", default=None, allow_null=True
    )
    debtor_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "status",
            "status_label",
            "mode",
            "mode_label",
            "action_type",
            "action_type_label",
            "direction",
            "poste_comptable",
            "poste_comptable_name",
            "debtor_name",
            "created_at",
            "submitted_at",
            "url",
        ]
        extra_kwargs = {
            "status": {"help_text": "Statut : " + ", ".join(CaseStatus.values)},
            "mode": {"help_text": "Demande : " + ", ".join(Mode.values) + " (vide en brouillon)"},
        }

    def get_debtor_name(self, case: Case) -> str:
        return str(case.debtor)

    def get_url(self, case: Case) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:case", args=[case.reference])
        )


class CaseListItem(CaseSummary):
    total_remaining = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    earliest_prescription = serializers.DateField(allow_null=True)

    class Meta(CaseSummary.Meta):
        fields = [*CaseSummary.Meta.fields, "total_remaining", "earliest_prescription"]


class Amounts(serializers.Serializer):
    principal = serializers.DecimalField(max_digits=16, decimal_places=2)
    penalties = serializers.DecimalField(max_digits=16, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=16, decimal_places=2)


class CaseDetail(CaseSummary):
    debtor = DebtorOutput()
    claims = ClaimOutput(many=True)
    properties = PropertyOutput(many=True)
    managers = ManagerOutput(many=True)
    holders = HolderOutput(many=True)
    pieces = serializers.SerializerMethodField(
        help_text="Les premières pièces (autant qu'une page de /pieces/) ; la suite à "
        "l'adresse pieces_next."
    )
    pieces_count = serializers.SerializerMethodField(help_text="Le nombre de pièces.")
    pieces_next = serializers.SerializerMethodField(
        help_text="L'adresse des pièces suivantes, ou null si toutes sont listées."
    )
    amounts = Amounts()
    earliest_prescription_date = serializers.DateField(allow_null=True)
    assigned_jurist = serializers.StringRelatedField(allow_null=True)
    assigned_expert = serializers.StringRelatedField(allow_null=True)
    editable = serializers.SerializerMethodField(
        help_text="Le brouillon (ou le dossier renvoyé) peut être modifié par vous."
    )
    problems = serializers.SerializerMethodField(
        help_text="Ce qui manque avant la transmission, par champ (dossier modifiable "
        "seulement, sinon vide)."
    )

    class Meta(CaseSummary.Meta):
        fields = [
            *CaseSummary.Meta.fields,
            "facts",
            "request",
            "closure_reason",
            "court_departement",
            "debtor",
            "claims",
            "properties",
            "managers",
            "holders",
            "pieces",
            "pieces_count",
            "pieces_next",
            "amounts",
            "earliest_prescription_date",
            "assigned_jurist",
            "assigned_expert",
            "editable",
            "problems",
            "updated_at",
        ]

    @extend_schema_field(PieceOutput(many=True))
    def get_pieces(self, case: Case) -> list:
        return PieceOutput(self.context["pieces"], many=True).data

    def get_pieces_count(self, case: Case) -> int:
        return self.context["pieces_count"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pieces_next(self, case: Case) -> str | None:
        return self.context["pieces_next"]

    def get_editable(self, case: Case) -> bool:
        return self.context["editable"]

    def get_problems(self, case: Case) -> dict[str, list[str]]:
        return self.context.get("problems") or {}


class EventOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = CaseEvent
        fields = [
            "at",
            "actor_label",
            "kind",
            "kind_label",
            "transition",
            "source_status",
            "target_status",
            "summary",
            "reason",
        ]


class DeadlineOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Deadline
        fields = [
            "id",
            "label",
            "basis",
            "start_date",
            "due_date",
            "critical",
            "status",
            "status_label",
            "done_act",
            "done_on",
            "cancel_reason",
        ]


class StepOutput(serializers.Serializer):
    task = serializers.IntegerField(help_text="Identifiant de l'étape (tâche du circuit).")
    name = serializers.CharField()
    title = serializers.CharField()
    who = serializers.CharField(help_text="Qui traite cette étape.")
    holder = serializers.CharField(allow_null=True, help_text="Qui la détient ; null : en file.")
    since = serializers.DateTimeField()
    can_act = serializers.BooleanField(help_text="Vous pouvez la traiter (sur le site).")
    can_take = serializers.BooleanField(help_text="Vous pouvez la prendre (sur le site).")


class ProcessOutput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=PROCESS.choices, allow_null=True, help_text="null : dossier jamais transmis."
    )
    started = serializers.DateTimeField(allow_null=True)
    finished = serializers.DateTimeField(allow_null=True)
    open_steps = StepOutput(many=True)


class DocumentOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_label",
            "version",
            "status",
            "status_label",
            "requested_at",
            "generated_at",
            "size",
            "sha256",
            "validated_at",
            "download_url",
        ]

    def get_download_url(self, document: Document) -> str | None:
        if document.status != "ready":
            return None
        return self.context["request"].build_absolute_uri(
            reverse("api:document_download", args=[self.context["reference"], document.pk])
        )


# The opinion and the comparables beside it (issue 24) ---------------------------------


MONEY_TEXT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class ComparableCriterion(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["action", "collective", "debtor_kind", "amount"],
        help_text="action : même action ; collective : redevable sous procédure collective "
        "(value) ; debtor_kind : même nature du redevable (value) ; amount : même tranche du "
        "montant en jeu, de low (inclus) à high (exclu, null : sans plafond).",
    )
    label = serializers.CharField(required=False)
    value = serializers.JSONField(required=False)
    low = serializers.DecimalField(required=False, **MONEY_TEXT)
    high = serializers.DecimalField(required=False, allow_null=True, **MONEY_TEXT)


class ComparableOutcome(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ClosureReason.choices, help_text="Motif de clôture.")
    label = serializers.CharField()
    n = serializers.IntegerField()


class ComparableDelay(serializers.Serializer):
    decisions = serializers.IntegerField(help_text="Décisions de première instance comptées.")
    median = serializers.FloatField(
        allow_null=True, help_text="Jours calendaires de la saisine à la décision, médiane."
    )


class ComparablesOutput(serializers.Serializer):
    """cases.comparables: the figures are given (`enough`) from `threshold` cases on."""

    computed_at = serializers.DateTimeField()
    threshold = serializers.IntegerField(
        help_text="Nombre de dossiers à partir duquel les chiffres sont donnés."
    )
    enough = serializers.BooleanField(help_text="false : trop peu de dossiers comparables.")
    n = serializers.IntegerField(help_text="Dossiers comparables.")
    criteria = ComparableCriterion(many=True, help_text="Ce que ces dossiers ont en commun.")
    relaxed = serializers.ListField(
        child=serializers.ChoiceField(choices=["amount", "debtor_kind"]),
        help_text="Critères abandonnés, dans l'ordre, faute de dossiers assez nombreux.",
    )
    outcomes = ComparableOutcome(many=True, required=False)
    condemned = serializers.IntegerField(
        required=False, help_text="Dossiers où une condamnation a été prononcée."
    )
    delay = ComparableDelay(required=False)
    recovered = serializers.DecimalField(
        required=False, help_text="Recouvré sur les créances.", **MONEY_TEXT
    )
    claims = serializers.DecimalField(
        required=False, help_text="Droits et pénalités des créances.", **MONEY_TEXT
    )
    recovery_rate = serializers.FloatField(
        required=False, allow_null=True, help_text="recovered / claims (0 à 1)."
    )
    net_median = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text="Recouvrement net médian par dossier (encaissé moins frais).",
        **MONEY_TEXT,
    )

    def to_representation(self, instance: dict) -> dict:
        # Below the threshold no figure at all: the keys absent, not null.
        data = super().to_representation(instance)
        return {key: value for key, value in data.items() if key in instance}


class RiskGridRow(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=RiskDimension.choices)
    label = serializers.CharField()
    level = serializers.ChoiceField(
        choices=[("", "Non renseigné"), *RiskLevel.choices],
        help_text="Vide : avis rédigé avant la grille.",
    )
    level_label = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)


class OpinionOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    conclusion_label = serializers.CharField(source="get_conclusion_display")
    author = serializers.SerializerMethodField()
    recommended_action = serializers.CharField(
        source="recommended_action.label", allow_null=True, default=None
    )
    risk_level_label = serializers.CharField(source="get_risk_level_display")
    risk_grid = RiskGridRow(many=True, source="risk_grid_rows")
    comparables = serializers.SerializerMethodField(
        help_text="Les chiffres des dossiers comparables figés à la soumission de cette "
        "version, ceux que l'avis imprime ; null pour un avis qui les précède."
    )

    class Meta:
        model = Opinion
        fields = [
            "version",
            "status",
            "status_label",
            "author",
            "submitted_at",
            "reviewed_at",
            "conclusion",
            "conclusion_label",
            "recommended_action",
            "recommended_measure",
            "reasons",
            "conditions",
            "estimated_costs",
            "expected_recovery",
            "creditors_ranking",
            "risk_level",
            "risk_level_label",
            "risk_assessment",
            "risk_grid",
            "comparables",
        ]

    def get_author(self, opinion: Opinion) -> str:
        return person_name(opinion.author)

    @extend_schema_field(ComparablesOutput(allow_null=True))
    def get_comparables(self, opinion: Opinion) -> dict | None:
        return ComparablesOutput(opinion.comparables).data if opinion.comparables else None


# Errors -------------------------------------------------------------------------------


class Error(serializers.Serializer):
    detail = serializers.CharField(help_text="Le message, en français.")


@extend_schema_field({"$ref": "#/components/schemas/FieldErrors"})
class FieldErrors(serializers.DictField):
    pass


class InvalidInput(Error):
    errors = FieldErrors(
        required=False,
        help_text="Les messages par champ, imbriqués comme la requête : "
        '{"debtor": {"siren": ["…"]}, "claims": [{}, {"principal": ["…"]}]} ; absent '
        "quand le corps est illisible.",
    )


class IncompleteReferral(InvalidInput):
    problems = serializers.DictField(
        required=False,
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Ce qui manque, par champ ou section (mode, debtor.siren, claims, "
        "target, pieces…).",
    )


class DuplicateCase(serializers.Serializer):
    reference = serializers.CharField()
    direction = serializers.CharField()
    status = serializers.CharField()


class DuplicatesToConfirm(Error):
    duplicates = DuplicateCase(
        many=True,
        required=False,
        help_text="Les dossiers ouverts de votre direction pour ce redevable "
        "(absent quand le 409 vient d'une autre cause).",
    )
    other_direction = serializers.BooleanField(
        required=False,
        help_text="Un dossier ouvert d'une autre direction concerne aussi ce redevable "
        "(il n'est pas désigné).",
    )
    contact = serializers.CharField(
        required=False,
        help_text="Qui contacter au pôle à son sujet (vide sans dossier d'une autre direction).",
    )


class ClaimDuplicate(serializers.Serializer):
    line = serializers.IntegerField(
        help_text="La ligne du fichier (la première est celle des colonnes)."
    )
    source_reference = serializers.CharField()
    like = serializers.CharField(
        help_text="La créance du dossier, ou la ligne plus haut du même fichier, qu'elle semble "
        "répéter."
    )


class ClaimsImportOutput(serializers.Serializer):
    imported = serializers.BooleanField(help_text="Vrai si les créances ont été enregistrées.")
    lines = serializers.IntegerField(help_text="Le nombre de créances du fichier.")
    total_remaining = serializers.DecimalField(max_digits=16, decimal_places=2)
    duplicates = ClaimDuplicate(many=True)
