"""Stored files (pieces, message attachments, documents) as the pages open them: a file
whose row exists but whose bytes are gone is said so to the user, and the administrators
are alerted (logged at ERROR, and mailed to settings.ADMINS when there are any)."""

import logging

from django.core.mail import mail_admins
from django.http import Http404

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
    """`stored.file` opened for reading; FileMissing (after the alert) if it is gone."""
    try:
        return stored.file.open("rb")
    except FileNotFoundError:
        alert_missing(stored, where)
        raise FileMissing(MISSING) from None
