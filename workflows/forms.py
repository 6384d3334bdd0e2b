from django import forms
from dsfr.utils import dsfr_input_class_attr

from cases import access
from cases.enums import Mode
from cases.forms import DsfrFormMixin
from cases.models import Label, User

from .models import TARGETED_STEPS
from .process import PROCESS
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


class BulkForm(DsfrFormMixin, forms.Form):
    """A bulk action on the cases ticked on the case list (`cases`), or on all the work of
    one jurist (`from_jurist`, from the team page)."""

    action = forms.ChoiceField(label="Action sur les dossiers cochés", choices=())
    from_jurist = forms.ModelChoiceField(
        label="Tout le travail en cours de", queryset=None, required=False
    )
    jurist = forms.ModelChoiceField(label="Nouveau juriste", queryset=None, required=False)
    label = forms.ModelChoiceField(label="Étiquette", queryset=None, required=False)
    body = forms.CharField(
        label="Message",
        max_length=5000,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a.value, a.label) for a in access.bulk_actions(user)]
        self.fields["from_jurist"].queryset = User.objects.filter(
            role__in=access.POLE_ROLES
        ).order_by("last_name", "first_name", "username")
        self.fields["jurist"].queryset = jurists()
        self.fields["label"].queryset = Label.objects.order_by("name", "pk")

    def clean(self):
        data = super().clean()
        getlist = getattr(self.data, "getlist", lambda key: [])
        data["cases"] = [int(pk) for pk in getlist("cases") if str(pk).isdigit()]
        action = data.get("action")
        if not data.get("cases") and not data.get("from_jurist"):
            self.add_error(None, "Cochez au moins un dossier dans la liste.")
        if data.get("from_jurist") and action != access.BULK_REASSIGN:
            self.add_error(None, "Seule la réattribution porte sur le travail d'un juriste.")
        if action == access.BULK_REASSIGN:
            if not data.get("jurist"):
                self.add_error("jurist", "Choisissez le juriste à qui confier ces dossiers.")
            elif data.get("from_jurist") == data.get("jurist"):
                self.add_error("jurist", "Choisissez un autre juriste que celui qui part.")
        if action in (access.BULK_LABEL_ADD, access.BULK_LABEL_REMOVE) and not data.get("label"):
            self.add_error("label", "Choisissez l'étiquette.")
        if action == access.BULK_MESSAGE and not data.get("body"):
            self.add_error("body", "Écrivez le message.")
        return data


class StepTargetsForm(DsfrFormMixin, forms.Form):
    """One line per targeted step: the target in days (empty: none) and how many days
    before it the holder is reminded."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for step in TARGETED_STEPS:
            title = PROCESS[step].title
            target = current.get(step)
            self.fields[f"{step}_days"] = forms.IntegerField(
                label=f"« {title} » : délai cible (jours)",
                required=False,
                min_value=1,
                max_value=365,
                initial=target.days if target else None,
            )
            self.fields[f"{step}_remind"] = forms.IntegerField(
                label=f"« {title} » : rappel au détenteur (jours avant)",
                required=False,
                min_value=0,
                max_value=364,
                initial=target.remind_before if target else 1,
            )
            self.lines.append((title, self[f"{step}_days"], self[f"{step}_remind"]))
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def clean(self):
        data = super().clean()
        for step in TARGETED_STEPS:
            days, remind = data.get(f"{step}_days"), data.get(f"{step}_remind")
            if days is not None and remind is not None and remind >= days:
                self.add_error(
                    f"{step}_remind",
                    f"Le rappel part avant la fin du délai cible : moins de {days} jours avant.",
                )
        return data

    def rows(self) -> dict[str, tuple[int | None, int]]:
        data = self.cleaned_data
        return {
            step: (data.get(f"{step}_days"), data.get(f"{step}_remind") or 0)
            for step in TARGETED_STEPS
        }
