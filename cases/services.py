"""Domain operations users trigger. Each validates, changes, and records the change in the
case's history inside one transaction: on any error nothing is kept."""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from . import access, debtors, events, history
from .enums import CaseStatus, EventKind, PieceKind, Role
from .files import save_file
from .formatting import actor_label
from .lifecycle import CaseLifecycle
from .models import (
    Case,
    CaseEvent,
    Message,
    MessageAttachment,
    MessageRead,
    Piece,
    StoredFile,
    User,
)
from .pieces import CheckedFile, check_upload
from .referral import Problems, referral_problems
from .selectors import possible_duplicates


class ReferralIncomplete(Exception):
    """The referral cannot be submitted yet; `problems` says why, per field."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__("Le dossier est incomplet.")


class DuplicateNotConfirmed(Exception):
    """The debtor already has an open case and the agent has not confirmed."""

    def __init__(self, duplicates: list[Case]):
        self.duplicates = duplicates
        super().__init__("Ce redevable a déjà un dossier ouvert.")


class StaleReferral(Exception):
    """The referral was saved by someone else since the version the user started from:
    saving would silently overwrite their change. `version` is the current one, `by` and
    `at` say who saved it last and when (from the history)."""

    def __init__(self, case: Case, version: int):
        self.version = version
        last = (
            case.events.filter(kind__in=[EventKind.CREATED, EventKind.UPDATED])
            .order_by("-at", "-pk")
            .first()
        )
        self.by = (last.actor_label or "un autre utilisateur") if last else "un autre utilisateur"
        self.at = last.at if last else case.updated_at
        super().__init__("Le dossier a été modifié entre-temps.")


_stored_in_operation: ContextVar[list | None] = ContextVar("stored_in_operation", default=None)


@contextmanager
def files_removed_on_failure():
    """Around an operation whose transaction may still roll back after files were stored
    (a workflow step, a message): on failure, the files it stored are deleted too, so that
    no stored file outlives its rolled-back row."""
    outer = _stored_in_operation.get()
    stored: list = []
    token = _stored_in_operation.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    else:
        if outer is not None:  # an enclosing operation may still fail: it removes them then
            outer.extend(stored)
    finally:
        _stored_in_operation.reset(token)


def _lock_for_edit(user: User, case: Case, message: str, may=access.can_edit_referral) -> int:
    """Re-read the case's status under a row lock, in the caller's transaction: a referral
    submitted meanwhile (another tab, another agent, a script) is no longer editable, and
    the stale copy in hand must not be written back over it (`may`: what the user must
    still be allowed, by default to edit the referral). Returns the locked version."""
    status, version = (
        Case.objects.select_for_update().values_list("status", "version").get(pk=case.pk)
    )
    if status != case.status or not may(user, case):
        raise PermissionDenied(message)
    return version


@files_removed_on_failure()
@transaction.atomic
def save_referral(
    user: User,
    forms,
    *,
    submit: bool = False,
    confirm_duplicate: bool = False,
    expected_version: int | None = None,
):
    """Create or update a draft (or returned) referral from its validated forms, and
    submit it if asked. A refused submission rolls the save back too: the user's input
    stays in the page, nothing half-done stays in the database.

    `expected_version`: the case's version the user's input was made on (the page's
    hidden field, the API's If-Match); another version means someone saved since, and
    StaleReferral refuses the save. A save that changes something raises the version."""
    creating = forms.case is None
    if creating and not access.can_create_referral(user):
        raise PermissionDenied("Seuls les directions et postes comptables saisissent le pôle.")
    sections = []
    if not creating:
        version = _lock_for_edit(user, forms.case, "Ce dossier ne peut plus être modifié par vous.")
        if expected_version is not None and expected_version != version:
            raise StaleReferral(forms.case, version)
        sections = forms.changed_sections()
        # Written by forms.save(): the locked version, not the one read before the lock.
        forms.case.version = version + 1 if sections else version
    case = forms.save(direction=user.direction)
    if creating:
        CaseEvent.record(case, user, EventKind.CREATED, history.created())
    elif sections:
        CaseEvent.record(
            case,
            user,
            EventKind.UPDATED,
            history.updated(sections),
            data={"sections": sections},
        )
    for row in forms.new_pieces():  # joined from the page, before submitting
        add_piece_row(user, case, row)
    if submit:
        submit_referral(user, case, confirm_duplicate=confirm_duplicate)
    return case


@transaction.atomic
def submit_referral(user: User, case: Case, *, confirm_duplicate: bool = False) -> None:
    """Submit (or resubmit after completion) once every check passes, and announce it
    (`events.referral_submitted`): the pôle's process starts, or its "complete the
    referral" step ends, in the same transaction.

    The one entry point of a submission: no application code fires the lifecycle's
    `submit` or `resubmit` itself (tests/cases/test_events.py holds to it), since a
    submission the process does not hear of would leave the case out of every queue."""
    problems = referral_problems(case)
    if problems:
        raise ReferralIncomplete(problems)
    duplicates = possible_duplicates(case)
    if duplicates and not confirm_duplicate:
        raise DuplicateNotConfirmed(duplicates)
    debtors.join(user, case)
    lifecycle = CaseLifecycle(case, user)
    if case.status == CaseStatus.RETURNED:
        lifecycle.resubmit()
    else:
        lifecycle.submit()
    events.referral_submitted.send(sender=Case, case=case, user=user)


def store_upload(stored: StoredFile, upload, checked: CheckedFile, save_rows) -> None:
    """Write a checked upload to storage, then its rows (save_rows) in a transaction;
    if the rows fail, the stored file goes too (and if an enclosing operation fails
    later, `files_removed_on_failure` removes it)."""
    stored.original_name = upload.name[:255]
    stored.size = checked.size
    stored.content_type = checked.content_type
    stored.sha256 = checked.sha256
    save_file(stored.file, checked.sha256, upload)
    pending = _stored_in_operation.get()
    if pending is not None:
        pending.append((stored.file.storage, stored.file.name))
    try:
        with transaction.atomic():
            save_rows()
    except BaseException:
        stored.file.delete(save=False)  # no stored file without its row
        raise


def add_piece(
    user: User,
    case: Case,
    kind: str,
    upload,
    checked: CheckedFile,
    *,
    dated_on: datetime.date | None = None,
    description: str = "",
) -> Piece:
    """Store an already checked upload and attach it to the case, with the piece's own
    date and description (the bordereau's); its number is the case's next one. On a
    referral being written by its referring side, or, once sent, by either side
    (`cases.access.may_add_piece`): the history then says so (`sent`), which tells the
    other side."""
    refused = "Vous ne pouvez pas ajouter de pièce à ce dossier."
    if not access.may_add_piece(user, case):
        raise PermissionDenied(refused)
    piece = Piece(
        case=case, kind=kind, uploaded_by=user, dated_on=dated_on, description=description.strip()
    )
    piece.full_clean(exclude=["file", "number", "original_name", "size", "content_type", "sha256"])

    def save_rows():
        # Sent, closed, given to another meanwhile: refused.
        _lock_for_edit(user, case, refused, may=access.may_add_piece)
        piece.save()
        CaseEvent.record(
            case,
            user,
            EventKind.PIECE_ADDED,
            history.piece_added(PieceKind(kind).label, piece.original_name),
            data={
                "piece": piece.pk,
                "number": piece.number,
                "sha256": piece.sha256,
                "size": piece.size,
                # Added to a case already sent (not a referral being written): told.
                "sent": not access.can_edit_referral(user, case),
            },
        )

    store_upload(piece, upload, checked, save_rows)
    return piece


def add_piece_row(user: User, case: Case, row: dict) -> Piece:
    """`add_piece` of a checked piece form's row (`PieceDetailsForm.piece_row`)."""
    return add_piece(
        user,
        case,
        row["kind"],
        row["file"],
        row["checked"],
        dated_on=row["dated_on"],
        description=row["description"],
    )


def add_piece_bytes(
    user: User, case: Case, kind: str, name: str, content: bytes, **details
) -> Piece:
    """Attach generated content (demo data, scripts) through the same checks as an upload
    (`details`: the piece's `dated_on` and `description`)."""
    upload = ContentFile(content, name=name)
    return add_piece(user, case, kind, upload, check_upload(upload), **details)


@transaction.atomic
def remove_piece(user: User, case: Case, piece: Piece) -> None:
    if piece.case_id != case.pk:
        raise PermissionDenied("Cette pièce ne peut plus être retirée par vous.")
    _lock_for_edit(user, case, "Cette pièce ne peut plus être retirée par vous.")
    CaseEvent.record(
        case,
        user,
        EventKind.PIECE_REMOVED,
        f"Pièce n° {piece.number} retirée : {piece.get_kind_display()} — {piece.original_name}",
        data={"number": piece.number, "sha256": piece.sha256, "size": piece.size},
    )
    storage, name = piece.file.storage, piece.file.name
    piece.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def discard_draft(user: User, case: Case) -> None:
    """The referring side deletes a draft it never sent. The case stays (its history is
    append-only) as « Brouillon supprimé », seen only by the administrators; its pieces
    are removed, their files deleted once the deletion is committed."""
    message = "Ce dossier n'est plus un brouillon : il ne peut pas être supprimé."
    _lock_for_edit(user, case, message)
    case.refresh_from_db()
    if not access.can_discard_draft(user, case):
        raise PermissionDenied(message)
    for piece in list(case.pieces.all()):
        remove_piece(user, case, piece)
    CaseLifecycle(case, user).discard()


@transaction.atomic
def assign_case(
    user: User, case: Case, *, jurist: User | None = None, expert: User | None = None
) -> None:
    """The head of the pôle gives a submitted case to a jurist and/or a helping expert."""
    if not access.is_head(user) or not access.can_view(user, case):
        raise PermissionDenied("Seul le chef du pôle attribue les dossiers.")
    if jurist is not None and jurist.role not in (Role.JURIST, Role.HEAD):
        raise ValidationError("Choisissez un juriste du pôle.")
    if (
        jurist is not None
        and jurist.pk != case.assigned_jurist_id
        and not access.assignable_jurists().filter(pk=jurist.pk).exists()
    ):
        raise ValidationError(
            f"{jurist} est absent aujourd'hui : confiez le dossier à un autre juriste "
            "(ou à son remplaçant)."
        )
    if expert is not None and expert.role != Role.EXPERT:
        raise ValidationError("Choisissez un expert d'une direction aidante.")
    given = []
    if jurist is not None:
        case.assigned_jurist = jurist
        given.append(f"juriste : {jurist}")
    if expert is not None:
        case.assigned_expert = expert
        given.append(f"expert : {expert} ({expert.direction})")
    if not given:
        raise ValidationError("Choisissez un juriste ou un expert.")
    case.save(update_fields=["assigned_jurist", "assigned_expert", "updated_at"])
    CaseEvent.record(
        case,
        user,
        EventKind.ASSIGNED,
        history.assigned(jurist, expert),
        data={"jurist": jurist.pk if jurist else None, "expert": expert.pk if expert else None},
    )


@files_removed_on_failure()
@transaction.atomic
def post_message(user: User, case: Case, body: str, attachments: list[tuple] = ()) -> Message:
    """Add a message, with its checked attachments [(upload, CheckedFile)], to the thread."""
    if not access.can_post_message(user, case):
        raise PermissionDenied("Vous ne pouvez pas écrire sur ce dossier.")
    body = (body or "").strip()
    if not body:
        raise ValidationError("Écrivez votre message.")
    message = Message.objects.create(
        case=case, author=user, author_label=actor_label(user), body=body
    )
    for upload, checked in attachments:
        attachment = MessageAttachment(message=message)
        store_upload(attachment, upload, checked, attachment.save)
    events.message_posted.send(sender=Message, message=message)
    mark_messages_read(user, case)
    return message


def mark_messages_read(user: User, case: Case) -> None:
    """The user has read the case's thread up to its last message."""
    last = case.messages.order_by("-sent_at", "-pk").first()
    if last is not None:
        MessageRead.objects.update_or_create(user=user, case=case, defaults={"last_read": last})
