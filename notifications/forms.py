from django import forms

from cases.models import User

from .enums import Channel, NotificationKind
from .models import NotificationPreference
from .rules import RULES, Audience, role_default


class PreferencesForm(forms.Form):
    """One choice of channel per kind of notification."""

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
        )
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=chosen.get(kind.value) or role_default(kind, user.role),
                widget=forms.RadioSelect,
            )

    def rows(self) -> list[dict]:
        """What the page shows per kind: the label, the choices, the one selected, and
        whether the poste comptable's mailbox gets it by email whatever is chosen."""
        result = []
        for kind in NotificationKind:
            field = self[kind.value]
            value = field.value()
            result.append(
                {
                    "name": kind.value,
                    "label": kind.label,
                    "value": value,
                    "errors": field.errors,
                    "mailbox_forced": Audience.POSTE_MAILBOX in RULES[kind].forced,
                }
            )
        return result
