"""Forms of the referral (saisine): the case, its debtor, claims, targets and pieces."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import inlineformset_factory
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

from . import access, debtors, listing
from .enums import (
    CaseStatus,
    ClaimNature,
    ClosureReason,
    CoObligorKind,
    DebtorKind,
    Mode,
    PieceKind,
    Residence,
    Role,
)
from .formatting import person_name
from .models import (
    ActionType,
    Case,
    Claim,
    Debtor,
    Direction,
    Label,
    ManagerTarget,
    Piece,
    PosteComptable,
    PropertyTarget,
    ThirdPartyHolderTarget,
    User,
)
from .pieces import ALLOWED_LABEL, check_upload
from .referral import (
    Problems,
    action_warnings,
    claim_warnings,
    land_register_problems,
    missing_piece_kinds,
    next_piece_kinds,
)
from .validators import (
    is_ascii_number,
    normalize_siren,
    validate_act_date,
    validate_birth_date,
    validate_piece_date,
    validate_siren,
)

# What a select shows while nothing is chosen (not Django's « --------- »).
EMPTY_LABEL = "Choisir…"
DJANGO_EMPTY_LABEL = "---------"


def _name_the_empty_choice(field) -> None:
    if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
        field.empty_label = EMPTY_LABEL  # a model choice: its iterator reads it each time
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)
        if choices and choices[0] == ("", DJANGO_EMPTY_LABEL):
            field.choices = [("", EMPTY_LABEL), *choices[1:]]


class DsfrFormMixin:
    """DSFR markup for Django forms (django-dsfr only ships it for plain Forms)."""

    bound_field_class = DsfrBoundField
    template_name = "dsfr/form_snippet.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)
        for field in self.fields.values():
            _name_the_empty_choice(field)

    def get_context(self):
        context = super().get_context()
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", True)
        return context


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActDateField(forms.DateField):
    """A date of the proceedings (an act, a hearing, a deadline, a period): from 1990 to
    ten years ahead (cases.validators), for the forms that no model field builds."""

    default_validators = [validate_act_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)


class ActDateTimeField(forms.DateTimeField):
    default_validators = [validate_act_date]


class WholeNumberField(forms.IntegerField):
    """A whole number written with the digits 0-9 (int() reads other scripts' digits)."""

    def to_python(self, value):
        if value not in self.empty_values and not is_ascii_number(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class MoneyField(forms.DecimalField):
    """Euros as a French agent types them: '12 345,67', '12345.67', '12 345,67 €'."""

    default_error_messages = {
        "invalid": "Saisissez un montant en euros, par exemple 12 345,67.",
        "max_decimal_places": "Un montant a au plus deux chiffres après la virgule.",
        "min_value": "Le montant ne peut pas être négatif.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = re.sub(r"[\s\u00a0\u202f€]", "", str(value)).replace(",", ".")
        if not is_ascii_number(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class CaseForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Case
        fields = ["mode", "action_type", "poste_comptable", "facts", "request"]
        widgets = {
            "mode": forms.RadioSelect,
            "facts": forms.Textarea(attrs={"rows": 6}),
            "request": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = Mode.choices
        # An inactive poste is offered for no new referral; a draft keeps its own.
        kept = self.instance.poste_comptable_id if self.instance.pk else None
        self.fields["poste_comptable"].queryset = access.referral_postes(user, keep=kept)
        self.fields["poste_comptable"].empty_label = "Choisir le poste comptable"
        self.fields["action_type"].queryset = ActionType.objects.all()
        self.fields["action_type"].empty_label = "Choisir l'action"
        # Every field may stay empty in a draft; completeness is checked on submit.
        for field in self.fields.values():
            field.required = False
        self.fields["action_type"].widget.attrs["data-targets"] = "1"


def siren_field(help_text: str = "") -> forms.CharField:
    # Wider than 9 characters: agents paste "552 100 554"; clean_siren normalizes it.
    return forms.CharField(label="SIREN", max_length=14, required=False, help_text=help_text)


class ResidenceMixin:
    """A party's residence (délais de distance, CPC 643-644): France métropolitaine unless
    said otherwise, so that a form or an API client that does not send it stays valid."""

    def clean_residence(self) -> str:
        return self.cleaned_data.get("residence") or Residence.METROPOLE


class ResidenceField(forms.ChoiceField):
    def has_changed(self, initial, data) -> bool:
        # Not sent (an empty extra row, an older client): not a change.
        return bool(data) and super().has_changed(initial, data)


def residence_field() -> forms.ChoiceField:
    field = Debtor._meta.get_field("residence")
    return ResidenceField(
        label="Résidence",
        choices=Residence.choices,
        required=False,
        initial=Residence.METROPOLE,
        help_text=field.help_text,
    )


class DebtorForm(ResidenceMixin, DsfrFormMixin, forms.ModelForm):
    siren = siren_field("9 chiffres ; obligatoire pour une personne morale.")
    residence = residence_field()

    class Meta:
        model = Debtor
        fields = [
            "kind",
            "name",
            "first_name",
            "birth_date",
            "siren",
            "address",
            "residence",
            "marital_situation",
            "legal_form",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "birth_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DebtorKind.choices

    def clean_siren(self) -> str:
        return normalize_siren(self.cleaned_data.get("siren", ""))


class ClaimForm(DsfrFormMixin, forms.ModelForm):
    # Required of every claim entered (no default regime): Claim.clean says so, the model
    # keeps it blank only on the rows older than it (migration 0009).
    nature = forms.ChoiceField(
        label="Nature (régime de prescription)",
        choices=[("", "Choisir")] + list(ClaimNature.choices),
        required=False,
    )
    principal = MoneyField(label="Droits")
    penalties = MoneyField(label="Pénalités", required=False)
    remaining = MoneyField(label="Reste à recouvrer")

    class Meta:
        model = Claim
        fields = (
            "tax",
            "nature",
            "period",
            "assessment_date",
            "amr_sent_on",
            "conviction_final_on",
            "principal",
            "penalties",
            "remaining",
            "last_interruptive_act",
        )
        widgets = {
            "assessment_date": DateInput(),
            "amr_sent_on": DateInput(),
            "conviction_final_on": DateInput(),
            "last_interruptive_act": DateInput(),
        }

    def clean_penalties(self) -> Decimal:
        return self.cleaned_data.get("penalties") or Decimal("0")


LAND_REGISTER_FIELDS = ("land_register_commune", "land_register_section", "land_register_sheet")


class PropertyForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = PropertyTarget
        fields = (
            "address",
            "postal_code",
            "commune",
            "departement",
            "cadastral_section",
            "cadastral_number",
            "land_register_commune",
            "land_register_section",
            "land_register_sheet",
            "lot",
            "description",
            "family_home",
            "occupation",
            "reserve_price",
        )

    def clean_departement(self) -> str:
        return self.cleaned_data["departement"].upper()

    def clean(self):
        data = super().clean()
        probe = PropertyTarget(**{f: data.get(f) or "" for f in LAND_REGISTER_FIELDS})
        probe.departement = data.get("departement") or ""
        for field, message in land_register_problems(probe).items():
            self.add_error(field, message)
        return data


class ManagerForm(ResidenceMixin, DsfrFormMixin, forms.ModelForm):
    residence = residence_field()

    class Meta:
        model = ManagerTarget
        fields = (
            "last_name",
            "first_name",
            "birth_date",
            "address",
            "residence",
            "function",
            "grounds",
            "mandate_from",
            "mandate_to",
            "de_facto",
            "de_facto_evidence",
            "already_liable",
        )
        widgets = {
            "birth_date": DateInput(),
            "grounds": forms.Textarea(attrs={"rows": 3}),
            "mandate_from": DateInput(),
            "mandate_to": DateInput(),
            "de_facto_evidence": forms.Textarea(attrs={"rows": 2}),
        }


class HolderForm(ResidenceMixin, DsfrFormMixin, forms.ModelForm):
    siren = siren_field()
    residence = residence_field()
    satd_amount = MoneyField(label="Montant de la SATD")
    obligation = MoneyField(
        label="Sommes dues au redevable à la date de la SATD",
        required=False,
        help_text=ThirdPartyHolderTarget._meta.get_field("obligation").help_text,
    )

    class Meta:
        model = ThirdPartyHolderTarget
        fields = (
            "name",
            "siren",
            "address",
            "residence",
            "satd_date",
            "satd_amount",
            "notified_on",
            "denounced_on",
            "declaration",
            "declared_on",
            "declaration_content",
            "obligation",
        )
        widgets = {
            "satd_date": DateInput(),
            "notified_on": DateInput(),
            "denounced_on": DateInput(),
            "declared_on": DateInput(),
            "declaration_content": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_siren(self) -> str:
        return normalize_siren(self.cleaned_data.get("siren", ""))

    def clean_satd_amount(self) -> Decimal:
        amount = self.cleaned_data["satd_amount"]
        if amount <= 0:
            raise forms.ValidationError("Le montant de la SATD doit être positif.")
        return amount


# The target and claim forms' fields are tuples: an inline formset appends its foreign key
# to a form's `Meta.fields` in place when it is a list, which would change these forms for
# every other user of them (the API builds its serializers from them).
def _formset(model, form, extra=1):
    return inlineformset_factory(Case, model, form=form, extra=extra, can_delete=True)


ClaimFormSet = _formset(Claim, ClaimForm)
PropertyFormSet = _formset(PropertyTarget, PropertyForm)
ManagerFormSet = _formset(ManagerTarget, ManagerForm)
HolderFormSet = _formset(ThirdPartyHolderTarget, HolderForm)

TARGET_SECTIONS = (
    ("properties", "property", "Bien immobilier à saisir", PropertyFormSet),
    ("managers", "manager", "Dirigeant mis en cause", ManagerFormSet),
    ("holders", "third_party", "Tiers détenteur", HolderFormSet),
)


class PieceDetailsForm(DsfrFormMixin, forms.Form):
    """What the bordereau says of a piece, entered with its file: its kind, its own date
    and its description (the model's fields and checks)."""

    kind = forms.ChoiceField(label="Type de pièce", choices=PieceKind.choices)
    dated_on = Piece._meta.get_field("dated_on").formfield(
        label="Date de la pièce",
        help_text="La date du document lui-même (acte, avis, courrier), telle qu'elle "
        "figurera au bordereau.",
        widget=DateInput(),
        validators=[validate_piece_date],
    )
    description = Piece._meta.get_field("description").formfield(label="Description")
    field_order = ["kind", "dated_on", "description", "file"]

    def piece_row(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "file": data["file"],
            "checked": self.checked,
            "dated_on": data.get("dated_on"),
            "description": data.get("description", ""),
        }


class ReferralPieceForm(PieceDetailsForm):
    """One piece joined from the referral form: its kind (the next missing one by
    default), its date and description, and, if chosen, its file, checked like any
    piece."""

    file = forms.FileField(
        label="Fichier",
        required=False,
        help_text=f"20 Mo au plus. Formats : {ALLOWED_LABEL}.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.checked = check_upload(upload) if upload else None
        return upload


ReferralPieceFormSet = forms.formset_factory(ReferralPieceForm, extra=0, max_num=20)
# Rows offered: the missing required pieces, and two more (at least three, at most ten).
PIECE_ROWS_SPARE, PIECE_ROWS_MIN, PIECE_ROWS_MAX = 2, 3, 10


def piece_rows(case: Case | None) -> list[dict]:
    """The rows of a page: before an action is chosen, as many as the most demanding
    action needs (the page's script then sets their kinds when the action is chosen)."""
    if case is None or not case.action_type_id:
        missing = max((len(a.required_pieces) for a in ActionType.objects.all()), default=0)
    else:
        missing = len(missing_piece_kinds(case))
    count = min(PIECE_ROWS_MAX, max(PIECE_ROWS_MIN, missing + PIECE_ROWS_SPARE))
    return [{"kind": kind} for kind in next_piece_kinds(case, count)]


class ReferralForms:
    """Every form of one referral page, validated and saved together."""

    def __init__(self, user: User, data=None, case: Case | None = None, files=None):
        self.user = user
        self.case = case
        instance = case or Case()
        self.case_form = CaseForm(data, instance=case, user=user, prefix="case")
        self.debtor_form = DebtorForm(
            data,
            instance=case.debtor if case else None,
            prefix="debtor",
            initial=None if case else {"kind": DebtorKind.LEGAL},
        )
        self.claims = ClaimFormSet(data, instance=instance, prefix="claims")
        self.targets = [
            (key, kind, title, formset_class(data, instance=instance, prefix=key))
            for key, kind, title, formset_class in TARGET_SECTIONS
        ]
        # The pieces joined with this save (the page's; the API and scripts send theirs
        # apart): only when the page sent its rows.
        self.pieces = (
            ReferralPieceFormSet(data, files, prefix="pieces", initial=piece_rows(case))
            if data is None or "pieces-TOTAL_FORMS" in data
            else None
        )
        self.section_errors: dict[str, list[str]] = {}
        # The prescribed claims: excluded from an L.267 action, a warning for the others.
        self.claim_warnings = claim_warnings(case) if case and case.pk else []
        # What the action's law asks and the file may lack (pieces, L.267's conditions).
        self.action_warnings = action_warnings(case) if case and case.pk else []

    @property
    def formsets(self):
        return [self.claims] + [formset for *_, formset in self.targets]

    def is_valid(self) -> bool:
        results = [self.case_form.is_valid(), self.debtor_form.is_valid()]
        results += [formset.is_valid() for formset in self.formsets]
        if self.pieces is not None:
            results.append(self.pieces.is_valid())
        return all(results)

    def new_pieces(self) -> list[dict]:
        """Each piece row given a file (forms valid): its kind, file, checked file, date
        and description."""
        if self.pieces is None:
            return []
        return [form.piece_row() for form in self.pieces if form.cleaned_data.get("file")]

    def files_chosen(self) -> bool:
        """Whether the page sent files (lost if the page comes back with errors: a
        browser never keeps a chosen file)."""
        return self.pieces is not None and any(
            self.pieces.files.get(f"{form.prefix}-file") for form in self.pieces
        )

    def has_changed(self) -> bool:
        return (
            self.case_form.has_changed()
            or self.debtor_form.has_changed()
            or any(formset.has_changed() for formset in self.formsets)
        )

    def changed_sections(self) -> list[str]:
        sections = []
        if self.case_form.has_changed():
            sections.append("saisine")
        if self.debtor_form.has_changed():
            sections.append("redevable")
        if self.claims.has_changed():
            sections.append("créances")
        sections += [title.lower() for _, _, title, fs in self.targets if fs.has_changed()]
        return sections

    def save(self, direction: Direction) -> Case:
        """Save every part (the caller holds the transaction and records the event)."""
        debtor = self.debtor_form.save(commit=False)
        changed = debtor.pk is None or self.debtor_form.has_changed()
        if changed:  # never the shared entity's row itself (cases/debtors.py)
            debtor = debtors.editable_copy(debtor)
            debtor.save()
        case = self.case_form.save(commit=False)
        case.debtor = debtor
        if case.pk is None:
            case.direction = direction
            case.created_by = self.user
        if self.user.poste_comptable_id and case.poste_comptable_id is None:
            case.poste_comptable_id = self.user.poste_comptable_id
        case.save()
        for formset in self.formsets:
            formset.instance = case
            formset.save()
        if changed and case.status != CaseStatus.DRAFT:  # sent once: on its entity again
            debtors.join(self.user, case)
        self.case = case
        return case

    def add_problems(self, problems: Problems) -> None:
        """Show the submit check's problems next to the fields and sections concerned."""
        for key, messages in problems.items():
            section, _, field = key.partition(".")
            for message in messages:
                if section == "debtor" and field in self.debtor_form.fields:
                    self.debtor_form.add_error(field, message)
                elif section in self.case_form.fields:
                    self.case_form.add_error(section, message)
                else:
                    self.section_errors.setdefault(section, []).append(message)


class SubmitForm(forms.Form):
    confirm_duplicate = forms.BooleanField(
        required=False,
        label="Je confirme la transmission malgré le dossier déjà ouvert pour ce redevable.",
    )


class PieceForm(PieceDetailsForm):
    file = forms.FileField(
        label="Fichier",
        help_text=f"20 Mo au plus. Formats : {ALLOWED_LABEL}.",
        error_messages={"required": "Choisissez le fichier à joindre."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked like a piece."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "fr-upload"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class MessageForm(DsfrFormMixin, forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Écrivez votre message."},
    )
    attachments = MultipleFileField(
        label="Pièces jointes",
        required=False,
        help_text=f"Facultatif ; 20 Mo au plus chacune. Formats : {ALLOWED_LABEL}.",
    )

    def clean_attachments(self) -> list:
        uploads = self.cleaned_data.get("attachments") or []
        self.checked = [(upload, check_upload(upload)) for upload in uploads]
        return uploads


class LabelForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Label
        fields = ["name", "colour"]
        labels = {"name": "Nom de l'étiquette", "colour": "Couleur"}
        error_messages = {"name": {"required": "Indiquez le nom de l'étiquette."}}

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class CaseLabelForm(DsfrFormMixin, forms.Form):
    """Put one of the pôle's labels on a case (those it does not carry yet)."""

    label = forms.ModelChoiceField(
        label="Ajouter une étiquette",
        queryset=Label.objects.none(),
        error_messages={"required": "Choisissez une étiquette."},
    )

    def __init__(self, *args, case: Case, offered: list[Label] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["label"]
        field.queryset = Label.objects.exclude(cases=case).order_by("name")
        if offered is not None:  # already read (the case page): no second query
            field.choices = [
                ("", field.empty_label),
                *((label.pk, label.name) for label in offered),
            ]


class NoteForm(DsfrFormMixin, forms.Form):
    note = forms.CharField(
        label="Note",
        help_text="Visible du pôle et de l'expert du dossier seulement, jamais de la direction "
        "ni du poste comptable.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Écrivez la note."},
    )


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input"}),
        max_length=5000,
    )
    closure_reason = forms.ChoiceField(
        label="Motif de clôture",
        required=False,
        choices=[("", "Choisir")] + list(ClosureReason.choices),
        widget=forms.Select(attrs={"class": "fr-select"}),
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Statut",
        required=False,
        # A deleted draft is in no one's list (cases.access).
        choices=[("", "Tous")] + [c for c in CaseStatus.choices if c[0] != CaseStatus.DISCARDED],
    )
    direction = forms.ModelChoiceField(
        label="Direction", required=False, queryset=Direction.objects.none(), empty_label="Toutes"
    )
    action_type = forms.ModelChoiceField(
        label="Action", required=False, queryset=ActionType.objects.all(), empty_label="Toutes"
    )
    mode = forms.ChoiceField(
        label="Demande", required=False, choices=[("", "Toutes")] + list(Mode.choices)
    )
    label = forms.ModelChoiceField(
        label="Étiquette", required=False, queryset=Label.objects.none(), empty_label="Toutes"
    )
    unread = forms.BooleanField(label="Messages non lus", required=False, widget=forms.HiddenInput)
    jurist = forms.TypedChoiceField(label="Juriste", required=False, coerce=int, empty_value=None)
    expert = forms.TypedChoiceField(label="Expert", required=False, coerce=int, empty_value=None)
    deadline_within = forms.TypedChoiceField(
        label="Prochaine échéance",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Toutes")] + [(n, f"Sous {n} jours") for n in (7, 15, 30, 60, 90)],
    )
    prescription_within = forms.TypedChoiceField(
        label="Prescription",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Toutes")]
        + [(n, f"Sous {label}") for n, label in ((90, "3 mois"), (183, "6 mois"), (365, "1 an"))],
    )
    amount_min = forms.DecimalField(
        label="Montant restant minimal (€)",
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        error_messages={"invalid": "Indiquez un montant en euros, par exemple 15000."},
    )
    amount_max = forms.DecimalField(
        label="Montant restant maximal (€)",
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        error_messages={"invalid": "Indiquez un montant en euros, par exemple 150000."},
    )
    sort = forms.ChoiceField(label="Trier par", required=False)
    columns = forms.MultipleChoiceField(
        label="Colonnes affichées", required=False, widget=forms.CheckboxSelectMultiple
    )

    # Shown in the « Plus de filtres » part of the page.
    MORE = (
        "jurist",
        "expert",
        "deadline_within",
        "prescription_within",
        "amount_min",
        "amount_max",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = access.filterable_directions(user)
        labels = access.may_see_labels(user)
        if labels:
            self.fields["label"].queryset = Label.objects.order_by("name")
        else:  # the pôle's labels are its own (cases.access.may_see_labels)
            del self.fields["label"]
        # The pôle's jurists and the experts: one query for both lists, run only when the
        # lists are drawn or a value is checked (the API's list asks none).
        self.fields["jurist"].choices = lambda: self._people()["jurist"]
        self.fields["expert"].choices = lambda: self._people()["expert"]
        if not listing.available("next_deadline"):
            del self.fields["deadline_within"]
        self.fields["sort"].choices = [("", "Les plus récents d'abord")] + listing.sort_choices(
            labels
        )
        self.fields["columns"].choices = [(c.key, c.label) for c in listing.columns_for(labels)]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                continue
            css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            field.widget.attrs["class"] = css

    def _people(self) -> dict[str, list]:
        if not hasattr(self, "_people_choices"):
            people = User.objects.filter(role__in=[Role.JURIST, Role.HEAD, Role.EXPERT]).order_by(
                "last_name", "first_name", "pk"
            )
            self._people_choices = {"jurist": [("", "Tous")], "expert": [("", "Tous")]}
            for person in people:
                key = "expert" if person.role == Role.EXPERT else "jurist"
                self._people_choices[key].append((person.pk, person_name(person)))
        return self._people_choices

    def clean(self):
        data = super().clean()
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "amount_max", "Le montant maximal doit être supérieur ou égal au montant minimal."
            )
        return data

    def more_fields(self):
        return [self[name] for name in self.MORE if name in self.fields]

    def main_fields(self):
        skip = {"q", "sort", "columns", *self.MORE}
        return [field for field in self.visible_fields() if field.name not in skip]

    def shown_columns(self) -> list[str]:
        """The columns chosen, in the list's order (the default ones when none is)."""
        chosen = (
            self.cleaned_data.get("columns") if self.is_bound and self.is_valid() else None
        ) or []
        offered = [key for key, _ in self.fields["columns"].choices]
        picked = [key for key in offered if key in chosen]
        return picked or [key for key in listing.DEFAULT_COLUMNS if key in offered]

    def sort_key(self) -> str:
        value = self.cleaned_data.get("sort") if self.is_bound and self.is_valid() else ""
        return value or listing.DEFAULT_SORT


class AccessLogFilterForm(forms.Form):
    """The consultation journal's filters: a user, a case, a period."""

    user = forms.ModelChoiceField(
        label="Utilisateur", required=False, queryset=User.objects.none(), empty_label="Tous"
    )
    reference = forms.CharField(label="Dossier (référence)", required=False, max_length=20)
    start = ActDateField(label="Du", required=False)
    end = ActDateField(label="Au", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.order_by("last_name", "first_name", "pk")
        for field in self.fields.values():
            css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        return data


def referral_form_data(
    case: dict | None = None,
    debtor: dict | None = None,
    claims: list[dict] = (),
    properties: list[dict] = (),
    managers: list[dict] = (),
    holders: list[dict] = (),
) -> dict:
    """The POST data of the referral page for the given values, as a browser would send
    it for a new referral: lets scripts, demo data and tests go through the same forms."""
    data = {}
    for prefix, values in (("case", case or {}), ("debtor", debtor or {})):
        for key, value in values.items():
            data[f"{prefix}-{key}"] = "" if value is None else str(value)
    for prefix, rows in (
        ("claims", claims),
        ("properties", properties),
        ("managers", managers),
        ("holders", holders),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = "" if value is None else str(value)
    return data


class AccountForm(DsfrFormMixin, forms.Form):
    """An account as a manager opens or changes it (/comptes/): the roles, directions and
    postes offered are those `cases.access` gives the manager."""

    username = forms.CharField(
        label="Identifiant",
        max_length=150,
        help_text="Lettres, chiffres et @ . + - _ ; par exemple prenom.nom",
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Celle de ProConnect et du mot de passe oublié. Format : nom@domaine.fr",
    )
    role = forms.ChoiceField(label="Rôle")
    direction = forms.ModelChoiceField(
        label="Direction",
        queryset=Direction.objects.none(),
        required=False,
        help_text="Pour un expert, sa direction aidante ; pour un agent, sa direction.",
    )
    poste_comptable = forms.ModelChoiceField(
        label="Poste comptable",
        queryset=PosteComptable.objects.none(),
        required=False,
        help_text="Pour un agent de poste comptable seulement.",
    )
    is_active = forms.BooleanField(
        label="Compte actif",
        required=False,
        initial=True,
        help_text="Un compte désactivé ne peut plus se connecter ; son historique reste.",
    )
    intake_duty = forms.BooleanField(
        label="De permanence d'accueil",
        required=False,
        help_text="Un juriste de permanence examine la recevabilité des nouvelles saisines.",
    )

    def __init__(self, *args, manager, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        roles = access.managed_roles(manager)
        self.fields["role"].choices = [("", "Choisir…")] + [
            (value, label) for value, label in Role.choices if value in roles
        ]
        self.fields["direction"].queryset = access.account_directions(manager)
        kept = account.poste_comptable_id if account is not None else None
        postes = access.account_postes(manager, keep=kept)
        self.fields["poste_comptable"].queryset = postes.select_related("direction")
        if not postes.exists():
            del self.fields["poste_comptable"]
        if Role.JURIST not in roles:
            del self.fields["intake_duty"]
        if account is not None:
            del self.fields["username"]
        else:
            del self.fields["is_active"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Cet identifiant est déjà pris : choisissez-en un autre.")
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = User.objects.filter(email__iexact=email)
        if self.account is not None:
            others = others.exclude(pk=self.account.pk)
        if others.exists():
            raise forms.ValidationError("Un autre compte a déjà cette adresse électronique.")
        return email

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (Role.EXPERT, Role.DIRECTION_AGENT, Role.DIRECTION_ADMIN) and not data.get(
            "direction"
        ):
            self.add_error("direction", "Choisissez la direction de ce compte.")
        if role == Role.POSTE_AGENT and not data.get("poste_comptable"):
            self.add_error(
                "poste_comptable" if "poste_comptable" in self.fields else "role",
                "Choisissez le poste comptable de cet agent.",
            )
        return data


class AbsenceForm(DsfrFormMixin, forms.Form):
    """An absence of a jurist, the head or an expert, and its replacement
    (/comptes/<id>/absences/)."""

    starts_on = ActDateField(
        label="Premier jour d'absence",
        help_text="Format : jj/mm/aaaa",
        error_messages={
            "required": "Indiquez le premier jour d'absence.",
            "invalid": "Indiquez une date valide, par exemple 14/12/2026.",
        },
    )
    ends_on = ActDateField(
        label="Dernier jour d'absence (inclus)",
        help_text="La personne absente reprend le lendemain. Format : jj/mm/aaaa",
        error_messages={
            "required": "Indiquez le dernier jour d'absence.",
            "invalid": "Indiquez une date valide, par exemple 24/12/2026.",
        },
    )
    replacement = forms.ModelChoiceField(
        label="Remplaçant",
        queryset=User.objects.none(),
        empty_label="Choisir…",
        help_text="Il voit et prend les tâches de la personne absente et reçoit ses notifications.",
        error_messages={
            "required": "Choisissez le remplaçant.",
            "invalid_choice": "Choisissez comme remplaçant un autre membre actif du pôle.",
        },
    )

    def __init__(self, *args, account: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = access.replacement_candidates(account)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error(
                "ends_on", "Le dernier jour d'absence doit être le premier jour ou après."
            )
        return data


class PosteForm(DsfrFormMixin, forms.ModelForm):
    """A new poste comptable (/comptes/postes/), in a direction `cases.access` gives the
    manager."""

    class Meta:
        model = PosteComptable
        fields = ["direction", "name", "kind", "codique", "mailbox"]
        help_texts = {
            "name": "Par exemple : SIE de Laon",
            "codique": "Le codique DGFiP du poste, 7 caractères au plus. Format : 002010",
            "mailbox": (
                "Tenue informée des dossiers du poste. Format : sie.laon@dgfip.finances.gouv.fr"
            ),
        }
        error_messages = {
            "codique": {"unique": "Un poste comptable a déjà ce codique."},
            "direction": {"required": "Choisissez la direction du poste."},
            "name": {"required": "Indiquez le nom du poste."},
            "kind": {"required": "Choisissez le type de poste."},
            "mailbox": {
                "required": "Indiquez la boîte fonctionnelle du poste.",
                "invalid": "Indiquez une adresse électronique valide, par exemple "
                "sie.laon@dgfip.finances.gouv.fr.",
            },
        }

    def __init__(self, *args, manager: User, **kwargs):
        super().__init__(*args, **kwargs)
        directions = access.poste_directions(manager)
        self.fields["direction"].queryset = directions
        self.fields["direction"].empty_label = "Choisir…"
        if directions.count() == 1:
            self.fields["direction"].initial = directions.first().pk
        self.fields["codique"].error_messages["required"] = "Indiquez le codique du poste."

    def clean_codique(self):
        return self.cleaned_data["codique"].strip()


class CoObligorForm(DsfrFormMixin, forms.Form):
    """Link a co-obligé to a debtor (cases.debtors.add_co_obligor): the other debtor named by
    its SIREN, or a natural person's name, first name and birth date, among the debtors of
    the pôle's cases."""

    kind = forms.ChoiceField(
        label="Lien",
        choices=CoObligorKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le lien entre les deux redevables."},
    )
    direction = forms.ChoiceField(
        label="Sens du lien",
        choices=[
            ("co_obligor", "L'autre redevable est co-obligé de celui-ci"),
            ("debtor", "Ce redevable est co-obligé de l'autre"),
        ],
        initial="co_obligor",
        required=False,
        widget=forms.RadioSelect,
    )
    siren = siren_field("Personne morale : son SIREN (9 chiffres).")
    name = forms.CharField(label="Nom", max_length=200, required=False)
    first_name = forms.CharField(label="Prénom", max_length=100, required=False)
    birth_date = forms.DateField(
        label="Date de naissance",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_birth_date],
        error_messages={"invalid": "Indiquez une date de naissance valide (jj/mm/aaaa)."},
    )
    basis = forms.CharField(
        label="Précision",
        max_length=300,
        required=False,
        help_text="Facultatif : qualité, parts détenues, régime matrimonial…",
    )

    def clean_siren(self) -> str:
        value = normalize_siren(self.cleaned_data.get("siren", ""))
        if value:
            validate_siren(value)
        return value

    def clean_direction(self) -> str:
        return self.cleaned_data.get("direction") or "co_obligor"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("siren") and not (
            data.get("name") and data.get("first_name") and data.get("birth_date")
        ):
            raise forms.ValidationError(
                "Indiquez le SIREN de l'autre redevable, ou son nom, son prénom et sa date "
                "de naissance."
            )
        data["other"] = debtors.find_entity(
            siren=data.get("siren", ""),
            name=data.get("name", ""),
            first_name=data.get("first_name", ""),
            birth_date=data.get("birth_date"),
        )
        if data["other"] is None:
            raise forms.ValidationError(
                "Aucun dossier transmis au pôle ne concerne ce redevable : vérifiez le SIREN "
                "ou l'identité saisie."
            )
        return data
