"""The API's referral body, turned into the referral page's POST data and validated by the
page's own forms (cases.forms.ReferralForms); their errors, turned back into the body's
shape. No rule of a referral is written here."""

from __future__ import annotations

from cases.forms import ReferralForms
from cases.models import Case, User

from .serializers import SECTIONS

# The API names the action and the poste comptable by their codes, not database ids.
CODE_FIELDS = {"action_type": "code", "poste_comptable": "codique"}
NON_FIELD = "non_field_errors"
REPEATED = "Cette ligne figure déjà plus haut dans la liste."
# The same words whether the id is another case's row or no row at all: an id of this
# section that is not one of the case's own rows tells nothing of the others.
FOREIGN = (
    "L'id {id} ne désigne aucune ligne de cette liste dans ce dossier : reprenez l'id "
    "d'une ligne du dossier, ou omettez « id » pour ajouter une ligne."
)


def _text(value) -> str:
    return "" if value is None else str(value)


def _form_values(form) -> dict:
    """An unbound form's current values, as the page would post them back unchanged."""
    values = {}
    for name in form.fields:
        value = form[name].value()
        if name in CODE_FIELDS:
            related = getattr(form.instance, name, None) if form.instance.pk else None
            value = getattr(related, CODE_FIELDS[name]) if related else ""
        values[name] = _text(value)
    return values


def _formsets(forms: ReferralForms) -> dict:
    formsets = {"claims": forms.claims} | {key: fs for key, _, _, fs in forms.targets}
    assert tuple(formsets) == SECTIONS
    return formsets


class ReferralData:
    """The POST data of a referral page for `body`, on top of the case's current data (an
    update changes only what the body names). `rows[section]` remembers which request row
    each form of a formset comes from, to put its errors back in place; `refused` holds
    the id errors of request rows that reach no form (an id named twice, an id that is not
    one of the case's rows), which make the whole body invalid."""

    def __init__(self, user: User, body: dict, case: Case | None = None):
        self.user = user
        self.case = case
        self.rows: dict[str, list[int | None]] = {}
        self.refused: dict[str, dict[int, str]] = {}  # section → request row → message
        self.data: dict[str, str] = {}
        current = ReferralForms(user, case=case)
        self._single("case", current.case_form, body)
        self._single("debtor", current.debtor_form, body.get("debtor") or {})
        for section, formset in _formsets(current).items():
            self._section(section, formset, body.get(section))

    def _single(self, prefix: str, form, given: dict) -> None:
        values = _form_values(form)  # a new referral: the page's initial values
        for name in form.fields:
            if name in given:
                values[name] = _text(given[name])
        self.data.update({f"{prefix}-{name}": value for name, value in values.items()})

    def _section(self, prefix: str, formset, given: list[dict] | None) -> None:
        existing = list(formset.initial_forms)
        rows: list[dict] = []
        positions: list[int | None] = []
        if given is None:  # unchanged: post the current rows back
            rows = [_form_values(form) for form in existing]
            positions = list(range(len(rows)))
            initial = len(rows)
        else:
            by_id = {str(form.instance.pk): form for form in existing}
            listed = [(i, row) for i, row in enumerate(given) if row.get("id") not in (None, "")]
            kept = set()
            for index, row in listed:
                key = _text(row["id"])
                form = by_id.get(key)
                if form is None or key in kept:
                    # Never handed to the formset: its id field would accept any case's row.
                    message = REPEATED if key in kept else FOREIGN.format(id=key)
                    self.refused.setdefault(prefix, {})[index] = message
                    continue
                values = _form_values(form)
                kept.add(key)
                values.update({name: _text(value) for name, value in row.items()})
                rows.append(values)
                positions.append(index)
            for key, form in by_id.items():
                if key not in kept:
                    rows.append({**_form_values(form), "DELETE": "on"})
                    positions.append(None)
            initial = len(rows)
            for index, row in enumerate(given):
                if row.get("id") in (None, ""):
                    rows.append({name: _text(value) for name, value in row.items()})
                    positions.append(index)
        self.rows[prefix] = positions
        self.data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        self.data[f"{prefix}-INITIAL_FORMS"] = str(initial)
        for index, row in enumerate(rows):
            for name, value in row.items():
                self.data[f"{prefix}-{index}-{name}"] = value

    @property
    def valid(self) -> bool:
        return not self.refused

    def forms(self) -> ReferralForms:
        forms = ReferralForms(self.user, self.data, case=self.case)
        for name, code in CODE_FIELDS.items():
            forms.case_form.fields[name].to_field_name = code
            # The initial value compared with the posted code must be a code too.
            if self.case is not None:
                forms.case_form.initial[name] = getattr(self.case, name)
        return forms

    def errors(self, forms: ReferralForms) -> dict:
        """The forms' errors in the shape of the request body."""
        errors: dict = {}
        for name, messages in forms.case_form.errors.items():
            errors[NON_FIELD if name == "__all__" else name] = list(messages)
        debtor = {
            (NON_FIELD if name == "__all__" else name): list(messages)
            for name, messages in forms.debtor_form.errors.items()
        }
        if debtor:
            errors["debtor"] = debtor
        for section, formset in _formsets(forms).items():
            positions = self.rows.get(section, [])
            refused = self.refused.get(section, {})
            size = max([p for p in positions if p is not None] + list(refused), default=-1) + 1
            rows: list[dict] = [{} for _ in range(size)]
            for position, message in refused.items():
                rows[position]["id"] = [message]
            for form, position in zip(formset.forms, positions, strict=False):
                if position is None or not form.errors:
                    continue
                for name, messages in form.errors.items():
                    key = NON_FIELD if name == "__all__" else name
                    rows[position].setdefault(key, []).extend(messages)
            if any(rows):
                errors[section] = rows
            if formset.non_form_errors():
                errors.setdefault(NON_FIELD, []).extend(formset.non_form_errors())
        return errors
