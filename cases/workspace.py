"""The pôle's own workspace on its cases (issue 22, « Work »): private notes, labels,
following. Each
operation checks its rule in `cases.access` and runs in one transaction.

Nothing here writes the case's history: the history is read by the referring side, and
this work is the pôle's alone."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from . import access
from .formatting import actor_label
from .models import Case, CaseFollow, CaseLabel, CaseNote, Label, SavedView, User


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


# --- Labels --------------------------------------------------------------------------------


def _managing(user: User) -> None:
    if not access.may_manage_labels(user):
        raise PermissionDenied("Seul le chef du pôle gère les étiquettes.")


@transaction.atomic
def save_label(user: User, form) -> Label:
    """Create or rename (or recolour) a label from its validated form."""
    _managing(user)
    return form.save()


@transaction.atomic
def delete_label(user: User, label: Label) -> int:
    """Delete a label; it leaves every case it was on. Returns how many it was on."""
    _managing(user)
    on = CaseLabel.objects.filter(label=label).count()
    label.delete()
    return on


def _labelling(user: User, case: Case) -> None:
    if not access.may_label(user, case):
        raise PermissionDenied("Seul le pôle étiquette ses dossiers.")


@transaction.atomic
def add_label(user: User, case: Case, label: Label) -> bool:
    """Put the label on the case; False if it already was."""
    _labelling(user, case)
    _, created = CaseLabel.objects.get_or_create(
        case=case, label=label, defaults={"added_by": user}
    )
    return created


@transaction.atomic
def remove_label(user: User, case: Case, label: Label) -> bool:
    """Take the label off the case; False if it was not on it."""
    _labelling(user, case)
    removed, _ = CaseLabel.objects.filter(case=case, label=label).delete()
    return bool(removed)


def case_labels(user: User, case: Case) -> tuple[list[Label], list[Label]] | None:
    """The labels on the case and the others of the pôle's list, in one query, for those
    who may see them; None otherwise."""
    if not access.may_see_labels(user):
        return None
    on_case = CaseLabel.objects.filter(case=case, label=OuterRef("pk"))
    labels = Label.objects.annotate(on_case=Exists(on_case)).order_by("name", "pk")
    on, off = [], []
    for label in labels:
        (on if label.on_case else off).append(label)
    return on, off


# --- Following -----------------------------------------------------------------------------


def is_following(user: User, case: Case) -> bool:
    return CaseFollow.objects.filter(case=case, user=user).exists()


@transaction.atomic
def follow(user: User, case: Case) -> bool:
    """Follow the case; False if the user already did."""
    if not access.may_follow(user, case):
        raise PermissionDenied("Seul le pôle suit des dossiers.")
    _, created = CaseFollow.objects.get_or_create(case=case, user=user)
    return created


@transaction.atomic
def unfollow(user: User, case: Case) -> bool:
    """Stop following the case (always allowed: one's own subscription); False if the user
    did not follow it."""
    removed, _ = CaseFollow.objects.filter(case=case, user=user).delete()
    return bool(removed)


# --- Saved views of the case list (anyone who has the list: their own) ---------------------

SAVED_VIEWS_MAX = 30


def list_query(querydict) -> str:
    """What a saved view keeps of the list's address: its filters, sort and columns, not
    its page number nor an empty filter."""
    kept = querydict.copy()
    kept.pop("page", None)
    for key in list(kept.keys()):
        values = [value for value in kept.getlist(key) if value != ""]
        if values:
            kept.setlist(key, values)
        else:
            del kept[key]
    return kept.urlencode()


@transaction.atomic
def save_view(user: User, name: str, query: str) -> SavedView:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Indiquez le nom de la vue.")
    if len(query) > SavedView._meta.get_field("query").max_length:
        raise ValidationError("Ces filtres sont trop longs pour être enregistrés.")
    mine = list(SavedView.objects.select_for_update().filter(user=user))
    # Compared in Python: SQLite folds the case of ASCII letters only (« À » and « à »).
    if any(view.name.casefold() == name.casefold() for view in mine):
        raise ValidationError(f"Vous avez déjà une vue nommée « {name} ».")
    if len(mine) >= SAVED_VIEWS_MAX:
        raise ValidationError(
            f"Vous avez déjà {SAVED_VIEWS_MAX} vues : supprimez-en une avant d'en créer une autre."
        )
    try:
        with transaction.atomic():
            return SavedView.objects.create(user=user, name=name, query=query)
    except IntegrityError:  # the same name saved at the same moment from another page
        raise ValidationError(f"Vous avez déjà une vue nommée « {name} ».") from None


@transaction.atomic
def delete_view(user: User, view_id: int) -> str | None:
    """Delete one of the user's own views; its name, or None if it is not theirs."""
    view = SavedView.objects.filter(user=user, pk=view_id).first()
    if view is None:
        return None
    view.delete()
    return view.name
