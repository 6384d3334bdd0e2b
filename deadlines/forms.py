from django import forms
from django.utils import timezone

from cases.enums import ActOutcome, Residence
from cases.forms import ActDateField, DateInput, DsfrFormMixin, WholeNumberField
from cases.models import Claim
from cases.validators import validate_departement

from . import calculator
from .distance import PeriodKind
from .enums import SuspensionCause
from .saisie_calendar import MaritalSituation


class ManualDeadlineForm(DsfrFormMixin, forms.Form):
    label = forms.CharField(label="Échéance", max_length=300)
    due_date = ActDateField(label="Date limite", widget=DateInput())
    basis = forms.CharField(
        label="Fondement",
        max_length=300,
        help_text="Ex. : loi du 1er juin 1924, art. 144 ; calendrier fixé par le juge.",
    )


class DoneForm(DsfrFormMixin, forms.Form):
    act = forms.CharField(label="Acte accompli", max_length=300)
    done_on = ActDateField(label="Le", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()

    def clean_done_on(self):
        value = self.cleaned_data["done_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Cette date ne peut pas être dans le futur.")
        return value


class CancelForm(DsfrFormMixin, forms.Form):
    reason = forms.CharField(label="Motif de l'annulation", max_length=1000)


class CorrectActForm(DsfrFormMixin, forms.Form):
    date = ActDateField(label="Date exacte", widget=DateInput())
    reason = forms.CharField(label="Motif de la correction", max_length=1000)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Cette date ne peut pas être dans le futur.")
        return value


class CourtDepartementForm(DsfrFormMixin, forms.Form):
    departement = forms.CharField(
        label="Département du tribunal",
        max_length=3,
        required=False,
        help_text="Où siège la juridiction compétente (ex. : 57, 2A, 974). Laissez vide pour "
        "celui du bien saisi, à défaut celui de la direction.",
    )


UNIT_CHOICES = [(unit, label) for unit, label in calculator.UNITS.items()]
KIND_CHOICES = [
    (PeriodKind.APPEL.value, "Délai d'appel"),
    (PeriodKind.COMPARUTION.value, "Délai de comparution"),
    (PeriodKind.OPPOSITION.value, "Délai d'opposition"),
    (PeriodKind.OTHER.value, "Autre délai (sans délai de distance)"),
]


def _departement_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label="Département du tribunal",
        max_length=3,
        required=required,
        validators=[validate_departement],
        help_text="Ses jours fériés légaux comptent (ex. : 02, 57, 974). Vide : calendrier "
        "national.",
    )


class SimpleDeadlineForm(DsfrFormMixin, forms.Form):
    """A deadline from a start date (CPC 640-642), with the délai de distance (643-644)."""

    start = ActDateField(label="Point de départ (acte, notification)", widget=DateInput())
    length = WholeNumberField(
        label="Durée",
        min_value=0,
        max_value=1200,
        error_messages={
            "invalid": "Indiquez la durée en nombre entier, par exemple 15.",
            "min_value": "La durée ne peut pas être négative.",
            "max_value": "Indiquez une durée d'au plus 1200.",
        },
    )
    unit = forms.ChoiceField(label="Unité", choices=UNIT_CHOICES, initial="months")
    kind = forms.ChoiceField(label="Nature du délai", choices=KIND_CHOICES, initial="appel")
    departement = _departement_field()
    residence = forms.ChoiceField(
        label="Résidence de la partie",
        choices=Residence.choices,
        initial=Residence.METROPOLE,
        help_text="Outre-mer : +1 mois, étranger : +2 mois (CPC 643-644).",
    )
    registry = forms.BooleanField(label="Acte accompli au greffe (fermé le samedi)", required=False)

    def clean_departement(self):
        return self.cleaned_data["departement"].strip().upper() or None


class SaisieForm(DsfrFormMixin, forms.Form):
    """The dates known of a saisie immobilière (deadlines.saisie_calendar.SaisieDates)."""

    commandement_signifie = ActDateField(label="Commandement signifié le", widget=DateInput())
    commandement_signe = ActDateField(
        label="Commandement signé le", widget=DateInput(), required=False
    )
    publie = ActDateField(label="Commandement publié le", widget=DateInput(), required=False)
    assigne = ActDateField(label="Assignation délivrée le", widget=DateInput(), required=False)
    audience_orientation_assignation = ActDateField(
        label="Audience d'orientation fixée par l'assignation",
        widget=DateInput(),
        required=False,
    )
    jugement_orientation = ActDateField(
        label="Jugement d'orientation rendu le", widget=DateInput(), required=False
    )
    audience_adjudication = ActDateField(
        label="Audience d'adjudication", widget=DateInput(), required=False
    )
    adjudication = ActDateField(label="Adjudication le", widget=DateInput(), required=False)
    departement = _departement_field()
    marital_situation = forms.TypedChoiceField(
        label="Situation matrimoniale du débiteur",
        choices=[("", "Non renseignée")] + [(m.value, m.label) for m in MaritalSituation],
        coerce=MaritalSituation,
        empty_value=None,
        required=False,
        help_text="Avec le logement de la famille, décide de la dénonciation au conjoint "
        "(R.321-1 al. 3).",
    )
    family_home = forms.TypedChoiceField(
        label="Le bien est le logement de la famille",
        choices=[("", "Non renseigné"), ("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        empty_value=None,
        required=False,
    )

    def clean_departement(self):
        return self.cleaned_data["departement"].strip().upper() or None


class LocalLawForm(DsfrFormMixin, forms.Form):
    """The dates known of an exécution forcée immobilière in Alsace-Moselle (loi du 1er
    juin 1924, art. 141 s.; deadlines.local_law.LocalDates)."""

    departement = forms.ChoiceField(
        label="Département du tribunal",
        choices=[("57", "57 — Moselle"), ("67", "67 — Bas-Rhin"), ("68", "68 — Haut-Rhin")],
    )
    commandement = ActDateField(
        label="Commandement de payer préalable signifié le", widget=DateInput(), required=False
    )
    requete = ActDateField(label="Requête déposée le", widget=DateInput(), required=False)
    ordonnance = ActDateField(
        label="Ordonnance d'exécution forcée rendue le", widget=DateInput(), required=False
    )
    notification = ActDateField(
        label="Ordonnance notifiée au débiteur le", widget=DateInput(), required=False
    )
    inscription = ActDateField(
        label="Inscrite au livre foncier le", widget=DateInput(), required=False
    )
    notaire = ActDateField(label="Notaire désigné le", widget=DateInput(), required=False)
    cahier = ActDateField(label="Cahier des charges dressé le", widget=DateInput(), required=False)
    adjudication = ActDateField(label="Adjudication le", widget=DateInput(), required=False)


def _not_future(value):
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError("Cette date ne peut pas être dans le futur.")
    return value


class SuspensionForm(DsfrFormMixin, forms.Form):
    """A suspension of the prescription (C. civ. 2230) recorded by the pôle."""

    cause = forms.ChoiceField(label="Cause", choices=SuspensionCause.choices)
    claim = forms.ModelChoiceField(
        label="Créance",
        queryset=Claim.objects.none(),
        required=False,
        empty_label="Toutes les créances du dossier",
    )
    start = ActDateField(label="Du", widget=DateInput())
    end = ActDateField(
        label="Au", widget=DateInput(), required=False, help_text="Vide : suspension en cours."
    )
    note = forms.CharField(
        label="Observations",
        max_length=1000,
        required=False,
        help_text="Ex. : sursis de paiement accordé le… sur réclamation du…",
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["claim"].queryset = case.claims.all()

    def clean_start(self):
        return _not_future(self.cleaned_data["start"])

    def clean_end(self):
        return _not_future(self.cleaned_data.get("end"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La suspension ne peut pas finir avant de commencer.")
        return data


class EndSuspensionForm(DsfrFormMixin, forms.Form):
    end = ActDateField(label="Fin de la suspension le", widget=DateInput())

    def clean_end(self):
        return _not_future(self.cleaned_data["end"])


class ActOutcomeForm(DsfrFormMixin, forms.Form):
    """What became of a starting act (C. civ. 2242-2243)."""

    outcome = forms.ChoiceField(
        label="Issue",
        choices=[(v, label) for v, label in ActOutcome.choices if v != ActOutcome.PENDING],
    )
    on = ActDateField(label="Le", widget=DateInput())
    reason = forms.CharField(
        label="Acte ou décision qui la constate",
        max_length=1000,
        help_text="Ex. : désistement d'instance constaté par ordonnance du…",
    )

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])
