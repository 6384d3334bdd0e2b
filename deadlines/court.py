"""The competent court's département of a case, recorded by the pôle: whose public
holidays count for its deadlines (deadlines.calendar.calendar_departement). Changing it
moves every open computed deadline of the case, in one transaction with its history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.enums import EventKind
from cases.models import Case, CaseEvent, User
from cases.validators import validate_departement

from . import services
from .calendar import calendar_departement
from .models import Deadline


def _label(departement: str | None) -> str:
    return departement or "calendrier national"


@transaction.atomic
def set_court_departement(case: Case, user: User, *, departement: str) -> list[Deadline]:
    """Record the court's département (blank: back to the default, the property's or the
    direction's) and recompute the open deadlines counted on the case's calendar."""
    code = (departement or "").strip().upper()
    if code:
        try:
            validate_departement(code)
        except ValidationError as error:
            raise ValidationError({"departement": error.messages}) from None
    case = Case.objects.select_for_update().get(pk=case.pk)
    if code == case.court_departement:
        raise ValidationError({"departement": "Le département du tribunal n'a pas changé."})
    before = calendar_departement(case)
    case.court_departement = code
    case.save(update_fields=["court_departement", "updated_at"])
    after = calendar_departement(case)
    CaseEvent.record(
        case,
        user,
        EventKind.UPDATED,
        f"Département du tribunal : {_label(before)} → {_label(after)}",
        data={"court_departement": code, "calendar_from": before, "calendar_to": after},
    )
    if before == after:
        return []
    # The deadlines of one act (one source) share its date: recompute them act by act.
    starts = dict(
        Deadline.objects.open()
        .filter(case=case)
        .exclude(template="")
        .order_by("source")
        .values_list("source", "start_date")
    )
    moved = []
    for source, start in starts.items():
        moved += services.recompute(
            case,
            user,
            old_source=source,
            new_source=source,
            start=start,
            reason=f"Jours fériés du département du tribunal ({_label(after)}).",
        )
    return moved
