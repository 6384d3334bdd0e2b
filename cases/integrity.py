"""Tamper evidence: the history's hash chains (cases/chain.py) and the SHA-256 of every
stored file, checked by `manage.py verify_integrity` and, for a file, at each download.

The kernel knows its own files (pieces, message attachments); an upper layer registers
its own (`register_files`, in its AppConfig.ready(): the documents' PDFs), as the case
page's panels are registered. Files are hashed in chunks: a 20 MB piece is never read
whole into memory."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.mail import mail_admins, send_mail
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import chain
from .enums import Role
from .models import Case, CaseEvent, MessageAttachment, Piece, TamperAlert, User

logger = logging.getLogger("pnsr.integrity")

CHUNK = 1024 * 1024
PROGRESS_EVERY = 10_000
# However often an altered file's download is refused, its administrators hear of it once
# in this time (the refusal itself happens every time).
ALERT_EVERY = datetime.timedelta(hours=1)
SEEN_FILES = 10_000


class TamperedFile(Exception):
    """A stored file whose bytes no longer match the SHA-256 recorded when it was stored."""

    def __init__(self, label: str):
        self.label = label
        super().__init__(
            f"Le fichier de {label} a été modifié depuis son dépôt : son empreinte SHA-256 "
            "ne correspond plus. Il n'est pas servi ; l'administrateur a été prévenu."
        )


# --- Files -----------------------------------------------------------------------------


def digest(handle) -> str:
    """SHA-256 (hex) of an open file, read in chunks from its start."""
    sha = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(CHUNK):
        sha.update(chunk)
    return sha.hexdigest()


def open_verified(fieldfile, expected: str, label: str):
    """The stored file opened for reading, once its bytes are checked against `expected`:
    the handle that was hashed is the one served (rewound), so a file swapped after the
    check is not served in its place. A mismatch alerts the administrators and raises
    TamperedFile; a missing file raises FileNotFoundError."""
    handle = fieldfile.open("rb")
    if digest(handle) != expected:
        handle.close()
        alert_admins(label, "téléchargement refusé", fieldfile.name, expected)
        raise TamperedFile(label)
    handle.seek(0)
    return handle


def copy_verified(fieldfile, expected: str, label: str, out) -> None:
    """Copy the stored file into `out` in chunks, hashing as it goes; a mismatch (found at
    the end: the caller discards what it wrote) alerts and raises TamperedFile."""
    sha = hashlib.sha256()
    with fieldfile.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            out.write(chunk)
    if sha.hexdigest() != expected:
        alert_admins(label, "fichier refusé dans une archive", fieldfile.name, expected)
        raise TamperedFile(label)


def _alert_due(file_name: str, expected: str) -> bool:
    """Whether the administrators are to be told of this altered file now: not if they were
    within ALERT_EVERY (a TamperAlert row per file; its insert and its conditional update
    are atomic, so two processes refusing it at once send one alert). Should the row be
    out of reach, they are told all the same."""
    now = timezone.now()
    try:
        with transaction.atomic():
            _, created = TamperAlert.objects.get_or_create(
                file_name=file_name[:300], expected_sha256=expected, defaults={"alerted_at": now}
            )
            if created:
                return True
            return (
                TamperAlert.objects.filter(
                    file_name=file_name[:300],
                    expected_sha256=expected,
                    alerted_at__lte=now - ALERT_EVERY,
                ).update(alerted_at=now)
                == 1
            )
    except DatabaseError:
        logger.exception("Intégrité : alerte non dédoublonnée (%s)", file_name)
        return True


def alert_admins(label: str, what: str, file_name: str = "", expected: str = "") -> None:
    """Tell the administrators: the log (error, every time), and, once per file within
    ALERT_EVERY (`_alert_due`, when the stored file's name is given), Django's ADMINS
    (mail_admins, as for a server error) and the site's administrator accounts by email.
    Never raises: the refusal itself must reach the user."""
    subject = f"Intégrité : fichier modifié ({label})"
    message = (
        f"Le fichier de {label} ne correspond plus à l'empreinte SHA-256 enregistrée à son "
        f"dépôt ({what}). Il a été remplacé ou altéré sur le stockage. Lancez "
        "« manage.py verify_integrity » pour un bilan complet, puis restaurez le fichier "
        "depuis une sauvegarde."
    )
    logger.error("%s: %s", subject, message)
    if file_name and not _alert_due(file_name, expected):
        return
    mail_admins(subject, message, fail_silently=True)
    recipients = list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role=Role.ADMIN))
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(subject, message, None, recipients, fail_silently=True)


# Each kind of stored file: a function giving its rows, each with `file`, `sha256` and
# `integrity_label` (how a report names it).
_files: dict[str, Callable[[], QuerySet]] = {}


def register_files(name: str, queryset: Callable[[], QuerySet]) -> None:
    """Add (or, under the same name, replace: `ready()` may run twice) a kind of file."""
    _files[name] = queryset


register_files("pieces", lambda: Piece.objects.select_related("case").order_by("pk"))
register_files(
    "attachments",
    lambda: MessageAttachment.objects.select_related("message__case").order_by("pk"),
)


# --- The check of everything -------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    what: str  # « le dossier PNSR-… » or the file's label
    detail: str

    def __str__(self) -> str:
        return f"{self.what} : {self.detail}"


def _entry(row) -> str:
    return f"entrée n° {row['id']} du {chain.utc_iso(row['at'])} (« {row['summary']} »)"


def history_problems(progress: Callable[[int], None] = lambda n: None) -> Iterator[Problem]:
    """Every broken link of every case's chain, in one pass over the history (streamed,
    ordered by case then by the order of writing)."""
    fields = ("id", "case_id", "case__reference", "at", "actor_id", "data", "previous_hash",
              "entry_hash", *chain.TEXT_FIELDS)  # fmt: skip
    rows = CaseEvent.objects.order_by("case_id", "pk").values(*fields)
    last = None
    for count, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        if count % PROGRESS_EVERY == 0:
            progress(count)
        first = last is None or last["case_id"] != row["case_id"]
        where = f"le dossier {row['case__reference']}, {_entry(row)}"
        if chain.entry_hash(row) != row["entry_hash"]:
            yield Problem(where, "contenu modifié (son empreinte ne correspond plus)")
        expected_previous = "" if first else last["entry_hash"]
        if row["previous_hash"] != expected_previous:
            yield Problem(
                where,
                "chaînage rompu : une entrée a été insérée, supprimée ou déplacée avant elle"
                if not first
                else "chaînage rompu : une entrée la précède et a disparu",
            )
        elif not first and row["at"] < last["at"]:
            yield Problem(where, "antidatée : sa date précède celle de l'entrée précédente")
        last = row
    # Every case is created with its first entry: a case without any lost all of them.
    empty = Case.objects.filter(~Exists(CaseEvent.objects.filter(case=OuterRef("pk"))))
    for reference in empty.order_by("pk").values_list("reference", flat=True):
        yield Problem(f"le dossier {reference}", "historique disparu : il n'a aucune entrée")


def file_problems(progress: Callable[[int], None] = lambda n: None) -> Iterator[Problem]:
    """Every stored file that is missing or whose bytes no longer match its SHA-256. A file
    shared by several rows (content-addressed names) is hashed once while it is among the
    last SEEN_FILES names met (a bounded memory, whatever the size of the base)."""
    seen: dict[str, str | None] = {}
    count = 0
    for queryset in _files.values():
        for obj in queryset().iterator(chunk_size=500):
            count += 1
            if count % PROGRESS_EVERY == 0:
                progress(count)
            name = obj.file.name
            if name not in seen:
                if len(seen) >= SEEN_FILES:
                    seen.clear()
                try:
                    with obj.file.open("rb") as handle:
                        seen[name] = digest(handle)
                except FileNotFoundError:
                    seen[name] = None
            if seen[name] is None:
                yield Problem(obj.integrity_label, f"fichier absent du stockage ({name})")
            elif seen[name] != obj.sha256:
                yield Problem(obj.integrity_label, f"fichier modifié depuis son dépôt ({name})")
