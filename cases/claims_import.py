"""Claims imported from an extract of the recovery application (RAR, AMD, ROCSP) instead
of retyped (issue 24): a CSV or XLSX file, one line per claim, in the format the README
describes (`docs/import-creances.csv` is an example).

Every line is read through the referral form's own claim form (`ClaimForm`: the same
French messages, the same rules) and the claim's model checks; one refused line refuses
the file: nothing is imported. The claims that look like those already on the case (same
source reference, or same tax, period, mise en recouvrement and amount) are shown before
confirmation. Confirmed, the claims are written in one transaction, with one history entry,
and `claims_importing` lets the layers above fill what they derive before the insert (the
prescription of every claim, computed once for the whole case, not per line).

Memory stays bounded by the file's lines as small dicts: a CSV is decoded line by line, an
XLSX read in openpyxl's read-only mode.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import events, search
from .enums import ClaimNature, EventKind, SourceApplication, TaxKind
from .formatting import euros
from .forms import ClaimForm
from .models import Case, CaseEvent, Claim, ClaimImport, User

MAX_BYTES = 20 * 1024 * 1024
MAX_LINES = 50_000
MAX_ERRORS = 200  # shown; the count says how many more

# The file's columns: its header (accents, case and spaces ignored) -> the claim's field.
COLUMNS = {
    "impot": "tax",
    "nature": "nature",
    "periode": "period",
    "date_mise_en_recouvrement": "assessment_date",
    "date_envoi_amr": "amr_sent_on",
    "droits": "principal",
    "penalites": "penalties",
    "reste_a_recouvrer": "remaining",
    "dernier_acte_interruptif": "last_interruptive_act",
    "reference_source": "source_reference",
    "application": "source_application",
}
REQUIRED = (
    "impot",
    "nature",
    "periode",
    "date_mise_en_recouvrement",
    "droits",
    "reste_a_recouvrer",
    "reference_source",
)
DATE_FIELDS = ("assessment_date", "amr_sent_on", "last_interruptive_act")

UNREADABLE = (
    "Le fichier déposé n'a pas pu être relu sur le serveur : rien n'est importé. "
    "Déposez-le de nouveau."
)
INTERRUPTED = (
    "Une erreur inattendue a interrompu le traitement du fichier : rien n'est importé. "
    "Déposez-le de nouveau ; si l'erreur revient, signalez-la à l'assistance en citant "
    "l'import n° {pk}."
)

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file cannot be imported: `errors`, each a French sentence saying what to fix."""

    def __init__(self, errors: list[str], more: int = 0):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.more = more


@dataclass
class Checked:
    claims: list[Claim]
    duplicates: list[tuple[int, Claim, Claim]] = field(default_factory=list)  # line, new, old

    @property
    def total_remaining(self) -> Decimal:
        return sum((claim.remaining for claim in self.claims), Decimal("0"))


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return "_".join(folded.lower().replace("'", " ").replace("-", " ").split())


def _by_label(choices) -> dict[str, str]:
    """A choice by its code or its label, folded."""
    found = {}
    for code, label in choices:
        found[_key(code)] = code
        found[_key(label)] = code
    return found


TAXES = _by_label(TaxKind.choices)
NATURES = _by_label(ClaimNature.choices)
APPLICATIONS = _by_label(SourceApplication.choices)


# --- Reading the file --------------------------------------------------------------------------


def rows(name: str, data: bytes) -> Iterator[list[str]]:
    """The file's rows as lists of text, header included."""
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        yield from _xlsx_rows(data)
    else:
        yield from _csv_rows(data)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # an export of a French Windows
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportRefused(
            [
                "Le fichier n'est pas un classeur XLSX lisible : enregistrez-le de nouveau au "
                "format XLSX ou CSV."
            ]
        ) from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in values]
    finally:
        book.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value).strip()


def _date(text: str) -> str:
    """JJ/MM/AAAA (or AAAA-MM-JJ) as the form's ISO date; anything else left for the form to
    refuse in French."""
    text = text.strip()
    parts = text.split("/")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        day, month, year = parts
        return f"{year.zfill(4)}-{month.zfill(2)}-{day.zfill(2)}"
    return text


# --- Checking --------------------------------------------------------------------------------


PROGRESS_EVERY = 500  # lines between two updates of the progress the page shows


def check(case: Case, name: str, data: bytes, progress=None) -> Checked:
    """Every line checked; ImportRefused with every error (line and column named) if any.
    `progress(lines_read)`, if given, is called every PROGRESS_EVERY lines."""
    reader = rows(name, data)
    header = next(reader, None)
    if header is None:
        raise ImportRefused(["Le fichier est vide : il doit commencer par la ligne des colonnes."])
    columns = [_key(title) for title in header]
    missing = [title for title in REQUIRED if title not in columns]
    if missing:
        raise ImportRefused(
            [
                "Colonnes manquantes : "
                + ", ".join(f"« {title} »" for title in missing)
                + ". La première ligne doit nommer les colonnes décrites dans le README."
            ]
        )
    unknown = [header[i] for i, key in enumerate(columns) if key and key not in COLUMNS]
    errors: list[str] = []
    if unknown:
        errors.append("Colonnes inconnues : " + ", ".join(f"« {t} »" for t in unknown) + ".")
    claims: list[Claim] = []
    checker = _ClaimChecker()
    more = 0
    number = 1
    for number, values in enumerate(reader, start=2):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
        if not any(value.strip() for value in values):
            continue  # a blank line
        if len(claims) >= MAX_LINES:
            raise ImportRefused([f"Le fichier dépasse {MAX_LINES:,} lignes : découpez-le."])
        line = dict(zip(columns, values, strict=False))
        claim, problems = _claim(case, line, checker)
        for problem in problems:
            if len(errors) < MAX_ERRORS:
                errors.append(f"Ligne {number}, {problem}")
            else:
                more += 1
        if claim is not None:
            claims.append(claim)
    if errors:
        raise ImportRefused(errors, more)
    if not claims:
        raise ImportRefused(["Le fichier ne contient aucune créance sous sa ligne de colonnes."])
    return Checked(claims=claims, duplicates=_duplicates(case, claims))


LABELS = {
    "tax": "impot",
    "nature": "nature",
    "period": "periode",
    "assessment_date": "date_mise_en_recouvrement",
    "amr_sent_on": "date_envoi_amr",
    "principal": "droits",
    "penalties": "penalites",
    "remaining": "reste_a_recouvrer",
    "last_interruptive_act": "dernier_acte_interruptif",
    "source_reference": "reference_source",
    "source_application": "application",
}


class _ClaimChecker:
    """`ClaimForm`'s checks, line after line: its fields (built once, not a form per line)
    and their `clean_<field>` methods, then the model's (`clean_fields`: the validators of
    dates; `Claim.clean`: the amounts and the order of the dates). Not the CHECK
    constraints' queries: each of them is `Claim.clean`'s own rule in Python (and
    `MoneyField`'s minimum), Django would ask the database again for each, five queries a
    line; the database still enforces them at the insert."""

    def __init__(self):
        self.form = ClaimForm()
        self.fields = self.form.fields

    def check(self, data: dict[str, str]) -> tuple[Claim | None, dict[str, list[str]]]:
        cleaned, errors = {}, {}
        for name, form_field in self.fields.items():
            try:
                value = form_field.clean(data.get(name, ""))
                if name == "penalties":
                    value = value or Decimal("0")  # ClaimForm.clean_penalties
                cleaned[name] = value
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            return None, errors
        claim = Claim(**cleaned)
        try:
            claim.clean_fields(exclude={"case", "source_application", "source_reference"})
            claim.clean()
        except ValidationError as error:
            return None, error.message_dict
        return claim, {}


def _claim(
    case: Case, line: dict[str, str], checker: _ClaimChecker
) -> tuple[Claim | None, list[str]]:
    values = {COLUMNS[key]: (value or "").strip() for key, value in line.items() if key in COLUMNS}
    problems = []
    tax = TAXES.get(_key(values.get("tax", "")))
    nature = NATURES.get(_key(values.get("nature", "")))
    if values.get("tax") and tax is None:
        problems.append(f"colonne « impot » : « {values['tax']} » n'est pas un impôt connu.")
    if values.get("nature") and nature is None:
        problems.append(
            f"colonne « nature » : « {values['nature']} » n'est pas une nature connue "
            "(par exemple impot_amr, impot_role)."
        )
    application = ""
    if values.get("source_application"):
        application = APPLICATIONS.get(_key(values["source_application"]), None)
        if application is None:
            problems.append(
                f"colonne « application » : « {values['source_application']} » : "
                "indiquez RAR, AMD ou ROCSP."
            )
    reference = values.get("source_reference", "")
    if not reference:
        problems.append("colonne « reference_source » : indiquez la référence de la créance.")
    elif len(reference) > 60:
        problems.append("colonne « reference_source » : 60 caractères au plus.")
    data = {
        **{name: values.get(name, "") for name in ClaimForm.Meta.fields},
        "tax": tax or values.get("tax", ""),
        "nature": nature or "",
    }
    for name in DATE_FIELDS:
        data[name] = _date(data.get(name, ""))
    claim, failures = checker.check(data)
    if claim is None:
        for name, messages in failures.items():
            column = LABELS.get(name)
            where = f"colonne « {column} »" if column else "créance"
            if name in ("tax", "nature") and (tax is None or nature is None) and data.get(name):
                continue  # said above, in words of the file
            problems.extend(f"{where} : {message}" for message in messages)
        return None, problems
    claim.case = case
    claim.source_reference = reference[:60]
    claim.source_application = application or ""
    return (None if problems else claim), problems


def _duplicates(case: Case, claims: list[Claim]) -> list[tuple[int, Claim, Claim]]:
    """The new claims that look like one already on the case, or like an earlier line of the
    same file: same source reference, or same tax, period, mise en recouvrement and amount."""
    by_reference: dict[str, Claim] = {}
    by_content: dict[tuple, Claim] = {}

    def content(claim: Claim) -> tuple:
        return (claim.tax, claim.period.strip().lower(), claim.assessment_date, claim.principal)

    for old in case.claims.all() if case.pk else []:
        if old.source_reference:
            by_reference[old.source_reference] = old
        by_content[content(old)] = old
    found = []
    for index, claim in enumerate(claims):
        old = by_reference.get(claim.source_reference) or by_content.get(content(claim))
        if old is not None:
            found.append((index + 2, claim, old))
        by_reference.setdefault(claim.source_reference, claim)
        by_content.setdefault(content(claim), claim)
    return found


# --- Importing -------------------------------------------------------------------------------


@transaction.atomic
def import_claims(user: User, case: Case, checked: Checked, *, file_name: str) -> list[Claim]:
    """Write the checked claims, all or none, with one history entry; the layers above are
    told once, before the insert (`events.claims_importing`: the claims' prescription)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    for claim in checked.claims:
        claim.case = case
    events.claims_importing.send(sender=Case, case=case, user=user, claims=checked.claims)
    created = Claim.objects.bulk_create(checked.claims, batch_size=1000)
    # The referral's data changed: a page loaded before the import cannot overwrite it.
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
    search.index_many(created)
    CaseEvent.record(
        case,
        user,
        EventKind.UPDATED,
        f"{len(created)} créance{'s' if len(created) > 1 else ''} importée"
        f"{'s' if len(created) > 1 else ''} du fichier « {file_name} » "
        f"(reste à recouvrer : {euros(checked.total_remaining)}).",
    )
    return created


# --- The steps: received, checked by a worker, confirmed, imported by a worker ---------------


def read(upload) -> bytes:
    """An uploaded file's bytes (`upload`: Django's UploadedFile, or None): ImportRefused if
    it is missing or too big."""
    if upload is None:
        raise ImportRefused(["Choisissez le fichier à importer (CSV ou XLSX)."])
    if upload.size > MAX_BYTES:
        raise ImportRefused([f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le."])
    return upload.read()


def _lines_total(name: str, data: bytes) -> int | None:
    """About how many lines the file has, for the progress bar (None: unknown)."""
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            total = book.worksheets[0].max_row
            book.close()
        except Exception:
            return None
        return total or None
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def keep(user: User, case: Case, name: str, data: bytes, **fields) -> ClaimImport:
    """The uploaded file kept, with its state."""
    kept = ClaimImport(case=case, uploaded_by=user, original_name=name[:255], **fields)
    kept.file.save(f"{uuid.uuid4().hex}-{name[-80:]}", ContentFile(data), save=True)
    return kept


def receive(user: User, case: Case, upload) -> ClaimImport:
    """Keep an uploaded file and have a worker check it (`process`): ImportRefused at once if
    it is missing or too big."""
    data = read(upload)
    pending = keep(user, case, upload.name, data, lines_total=_lines_total(upload.name, data))
    _enqueue(pending)
    return pending


def request_import(user: User, pending: ClaimImport) -> bool:
    """The agent confirms a checked file: a worker imports it (`process`). False if it was
    not waiting for a confirmation (already confirmed, or refused)."""
    confirmed = ClaimImport.objects.filter(pk=pending.pk, status=ClaimImport.Status.CHECKED).update(
        status=ClaimImport.Status.IMPORTING,
        confirmed_by=user,
        lines_done=0,
        progressed_at=timezone.now(),
    )
    if confirmed:
        _enqueue(pending)
    return bool(confirmed)


def _enqueue(pending: ClaimImport) -> None:
    from .tasks import process_claim_import

    pk = pending.pk
    transaction.on_commit(lambda: process_claim_import.enqueue(pk))


def summary(checked: Checked) -> dict:
    """What the confirmation page shows of a checked file (stored as JSON)."""

    def row(claim: Claim) -> dict:
        return {
            "source_reference": claim.source_reference,
            "tax": claim.get_tax_display(),
            "period": claim.period,
            "assessment_date": f"{claim.assessment_date:%d/%m/%Y}" if claim.assessment_date else "",
            "principal": str(claim.principal),
            "remaining": str(claim.remaining),
        }

    return {
        "lines": len(checked.claims),
        "total_remaining": str(checked.total_remaining),
        "claims": [row(claim) for claim in checked.claims[:50]],
        "duplicates_count": len(checked.duplicates),
        "duplicates": [
            {"line": line, "new": row(new), "old": row(old), "on_case": bool(old.pk)}
            for line, new, old in checked.duplicates[:100]
        ],
    }


def process(import_id: int) -> str:
    """The worker's part: check a received file, or import a confirmed one (checked again:
    the case may have changed since). Run twice, it does nothing the second time."""
    from . import access

    pending = ClaimImport.objects.select_related("case", "uploaded_by", "confirmed_by").get(
        pk=import_id
    )
    if not pending.in_progress:
        return pending.status
    mine = ClaimImport.objects.filter(pk=pending.pk, status=pending.status)

    def progress(lines: int) -> None:
        mine.update(lines_done=lines, progressed_at=timezone.now())

    def refuse(errors: list[str], more: int = 0) -> str:
        mine.update(
            status=ClaimImport.Status.REFUSED,
            result={"errors": errors, "more": more},
            progressed_at=timezone.now(),
        )
        return ClaimImport.Status.REFUSED

    case = pending.case
    importer = pending.confirmed_by or pending.uploaded_by
    if not access.can_edit_referral(importer, case):
        return refuse(["Le dossier n'est plus modifiable (il a été transmis entre-temps)."])
    try:
        with pending.file.open("rb") as handle:
            data = handle.read()
    except OSError:  # the stored file gone or unreadable (the storage's errors are OSError)
        logger.exception("Import de créances %s : fichier illisible", pending.pk)
        return refuse([UNREADABLE])
    try:
        return _check_or_import(pending, mine, importer, data, progress, refuse)
    except Exception:
        # Whatever went wrong, nothing was imported (one transaction), and the agent is not
        # left before a page that waits forever: the import is refused, the error logged.
        logger.exception("Import de créances %s interrompu", pending.pk)
        refuse([INTERRUPTED.format(pk=pending.pk)])
        raise


def _check_or_import(pending, mine, importer, data, progress, refuse) -> str:
    case = pending.case
    try:
        checked = check(case, pending.original_name, data, progress=progress)
    except ImportRefused as refused:
        return refuse(refused.errors, refused.more)
    if pending.status == ClaimImport.Status.CHECKING:
        mine.update(
            status=ClaimImport.Status.CHECKED,
            lines=len(checked.claims),
            lines_done=pending.lines_total or 0,
            result=summary(checked),
            progressed_at=timezone.now(),
        )
        return ClaimImport.Status.CHECKED
    with transaction.atomic():
        if not mine.select_for_update().exists():
            return ClaimImport.objects.get(pk=pending.pk).status  # another worker did it
        created = import_claims(importer, case, checked, file_name=pending.original_name)
        mine.update(
            status=ClaimImport.Status.IMPORTED,
            imported_at=timezone.now(),
            lines_done=pending.lines_total or 0,
            result={**pending.result, "imported": len(created)},
            progressed_at=timezone.now(),
        )
    return ClaimImport.Status.IMPORTED
