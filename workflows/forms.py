from django import forms

from cases.enums import Mode
from cases.forms import DsfrFormMixin

from .steps import experts, jurists


class ReasonForm(DsfrFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(DsfrFormMixin, forms.Form):
    jurist = forms.ModelChoiceField(label="Juriste", queryset=None, required=False)
    expert = forms.ModelChoiceField(label="Expert", queryset=None, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurist"].queryset = jurists()
        self.fields["jurist"].initial = case.assigned_jurist_id
        if case.mode == Mode.AVIS:
            self.fields["expert"].queryset = experts()
            self.fields["expert"].initial = case.assigned_expert_id
        else:
            del self.fields["expert"]

    def clean(self):
        data = super().clean()
        if not data.get("jurist") and not data.get("expert"):
            raise forms.ValidationError("Choisissez un juriste ou un expert.")
        return data
