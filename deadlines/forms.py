from django import forms
from django.utils import timezone

from cases.enums import ActOutcome
from cases.forms import DateInput, DsfrFormMixin
from cases.models import Claim

from .enums import SuspensionCause


class ManualDeadlineForm(DsfrFormMixin, forms.Form):
    label = forms.CharField(label="Échéance", max_length=300)
    due_date = forms.DateField(label="Date limite", widget=DateInput())
    basis = forms.CharField(
        label="Fondement",
        max_length=300,
        help_text="Ex. : loi du 1er juin 1924, art. 144 ; calendrier fixé par le juge.",
    )


class DoneForm(DsfrFormMixin, forms.Form):
    act = forms.CharField(label="Acte accompli", max_length=300)
    done_on = forms.DateField(label="Le", widget=DateInput())

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
    date = forms.DateField(label="Date exacte", widget=DateInput())
    reason = forms.CharField(label="Motif de la correction", max_length=1000)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Cette date ne peut pas être dans le futur.")
        return value


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
    start = forms.DateField(label="Du", widget=DateInput())
    end = forms.DateField(
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
    end = forms.DateField(label="Fin de la suspension le", widget=DateInput())

    def clean_end(self):
        return _not_future(self.cleaned_data["end"])


class ActOutcomeForm(DsfrFormMixin, forms.Form):
    """What became of a starting act (C. civ. 2242-2243)."""

    outcome = forms.ChoiceField(
        label="Issue",
        choices=[(v, label) for v, label in ActOutcome.choices if v != ActOutcome.PENDING],
    )
    on = forms.DateField(label="Le", widget=DateInput())
    reason = forms.CharField(
        label="Acte ou décision qui la constate",
        max_length=1000,
        help_text="Ex. : désistement d'instance constaté par ordonnance du…",
    )

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])
