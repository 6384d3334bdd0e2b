"""The pôle's own workspace on its cases (issue 22, « Work »): private notes. Each
operation checks its rule in `cases.access` and runs in one transaction.

Nothing here writes the case's history: the history is read by the referring side, and
this work is the pôle's alone."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from . import access
from .formatting import actor_label
from .models import Case, CaseNote, User


def case_notes(user: User, case: Case) -> QuerySet[CaseNote] | None:
    """The case's notes the user may read, the latest first; None if they may not."""
    if not access.may_read_notes(user, case):
        return None
    return case.notes.order_by("-created_at", "-pk")


@transaction.atomic
def add_note(user: User, case: Case, text: str) -> CaseNote:
    if not access.may_write_note(user, case):
        raise PermissionDenied("Les notes de ce dossier sont réservées au pôle et à son expert.")
    text = (text or "").strip()
    if not text:
        raise ValidationError("Écrivez la note.")
    return CaseNote.objects.create(
        case=case, author=user, author_label=actor_label(user), text=text
    )
