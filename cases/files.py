"""Stored files (pieces, message attachments, documents) as the pages open them: a file
whose row exists but whose bytes are gone is said so to the user, and the administrators
are alerted (logged at ERROR, and mailed to settings.ADMINS when there are any); an
upload that finds the disk full leaves nothing behind and says so."""

import errno
import logging

from django.core.exceptions import ValidationError
from django.core.mail import mail_admins
from django.http import Http404

from . import integrity

logger = logging.getLogger("pnsr.files")

MISSING = (
    "Ce fichier est introuvable : il n'est plus sur le serveur. Les administrateurs sont "
    "prévenus ; vous pouvez en redéposer une copie."
)


class FileMissing(Http404):
    """A 404 whose message the page shows (and the API's JSON carries)."""


def alert_missing(stored, where: str = "") -> None:
    name = getattr(stored.file, "name", "")
    text = f"Fichier introuvable sur le disque : {name} ({stored._meta.verbose_name} {stored.pk})"
    if where:
        text += f", {where}"
    logger.error(text)
    mail_admins("PNSR — fichier introuvable", text, fail_silently=True)


def open_stored(stored, where: str = ""):
    """`stored.file` opened for reading once its bytes are checked against their SHA-256
    (integrity.TamperedFile if they no longer match); FileMissing (after the alert) if it
    is gone."""
    try:
        return integrity.open_verified(stored.file, stored.sha256, stored.integrity_label)
    except FileNotFoundError:
        alert_missing(stored, where)
        raise FileMissing(MISSING) from None


class StorageFull(ValidationError):
    """The disk (or the quota) is full: nothing is stored, the user is told in French."""


FULL = (
    "Le fichier n'a pas pu être enregistré : le serveur n'a plus de place. Rien n'a été "
    "enregistré ; réessayez plus tard (les administrateurs sont prévenus)."
)


def save_file(field_file, name: str, content) -> None:
    """`field_file.save(name, content)` (the row not saved), leaving no partial file
    behind if the disk is full: the bytes written so far are removed, then StorageFull."""
    storage = field_file.storage
    target = storage.get_available_name(
        field_file.field.generate_filename(field_file.instance, name)
    )
    try:
        field_file.save(name, content, save=False)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        if storage.exists(target):  # an available name a moment ago: our partial file
            storage.delete(target)
        field_file.name = None
        logger.error("Disque plein : %s n'a pas pu être enregistré (%s)", target, error)
        mail_admins("PNSR — disque plein", f"{target} : {error}", fail_silently=True)
        raise StorageFull(FULL, code="storage_full") from None
