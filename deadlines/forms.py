from django import forms
from django.utils import timezone

from cases.forms import DateInput, DsfrFormMixin


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
