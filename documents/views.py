"""A case's documents: the list with their versions, producing, retrying, validating,
editing the draft pleadings, downloading, and the case file as a ZIP. Downloads follow
case access exactly (cases.access: 404 for a case one may not see)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases import access, integrity, journal
from cases.enums import AccessKind, CaseStatus
from cases.files import open_stored
from cases.forms import DsfrFormMixin
from cases.views import tampered_file

from . import context, formats, pleadings, services, signing
from .enums import DocumentKind, DocumentStatus, EditableFormat
from .kinds import bordereau


def _errors(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def case_panel(user, case) -> dict | None:
    """The documents part of the case page (a `cases.panels` panel): the latest version of
    each, once the case is submitted."""
    if case.status == CaseStatus.DRAFT:
        return None
    return {"documents": services.latest_versions(case, user)}


def overview(user, case) -> list[dict]:
    """Per kind: whether it applies now, its versions, what the user may do."""
    versions = {}
    documents = case.documents.select_related("requested_by", "validated_by").prefetch_related(
        "editable_copies"
    )
    for document in services.shown_to(user, case, documents):
        versions.setdefault(document.kind, []).append(document)
    rows = []
    for kind in DocumentKind:
        rows.append(
            {
                "kind": kind,
                "versions": versions.get(kind.value, []),
                "not_yet": context.applicability(case, kind.value),
                "may_request": services.may_request(user, case, kind.value),
            }
        )
    return rows


def _documents_page(request, case, template: str):
    rows = overview(request.user, case)
    latest = [d for row in rows for d in row["versions"][:1]]
    return render(
        request,
        template,
        {
            "case": case,
            "rows": rows,
            "pending": any(d.status == DocumentStatus.PENDING for d in latest),
            "copies_pending": any(d.copies_pending for d in latest),
            "is_head": access.is_head(request.user),
        },
    )


def case_documents(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    journal.record(request, AccessKind.CASE_VIEWED, case=case, target="Documents du dossier")
    return _documents_page(request, case, "documents/pages/case_documents.html")


def case_documents_status(request, reference: str):
    """The documents' list alone, asked for every few seconds by the documents page while
    a version is being produced (pnsr/static/documents.js puts it in place and says what
    changed in a polite live region, instead of reloading the page). The page's opening
    is in the consultation journal; its refreshes are not."""
    case = access.get_case_for_user(request.user, reference)
    return _documents_page(request, case, "documents/pages/_documents.html")


@require_POST
def produce(request, reference: str, kind: str):
    case = access.get_case_for_user(request.user, reference)
    try:
        document = services.request_document(case, kind, request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            f"{document.get_kind_display()} : version {document.version} "
            + (
                "en cours de production."
                if document.status == DocumentStatus.PENDING
                else "à jour."
            ),
        )
    return redirect("documents:case", reference=case.reference)


def _document(request, reference: str, document_id: int):
    case = access.get_case_for_user(request.user, reference)
    document = get_object_or_404(case.documents, pk=document_id)
    if not services.may_see(request.user, case, document):
        raise Http404("Document introuvable.")
    return case, document


def pdf_response(document) -> FileResponse:
    """The PDF of a produced version (404 while it is not, or if its file is gone); the
    caller has checked access to its case. Pages and the API serve it alike. Its bytes are
    checked against its SHA-256 first: integrity.TamperedFile if they no longer match."""
    if document.status != DocumentStatus.READY:
        raise Http404("Ce document n'est pas encore produit.")
    handle = open_stored(document)  # FileMissing (404) or integrity.TamperedFile
    return FileResponse(handle, filename=document.filename, content_type="application/pdf")


def editable_response(document, file_format: str) -> FileResponse:
    """The ODT or DOCX copy of a produced version (404 while it is not produced, for a
    version made before the copies existed, or if its file is gone), checked against its
    SHA-256 as the PDF is; the caller has checked access to its case."""
    if document.status != DocumentStatus.READY:
        raise Http404("Ce document n'est pas encore produit.")
    copy = document.editable_copies.filter(format=file_format).first()
    if copy is None:
        raise Http404("Cette version n'a pas de copie dans ce format.")
    copy.document = document
    handle = open_stored(copy)  # FileMissing (404) or integrity.TamperedFile
    return FileResponse(
        handle, filename=copy.filename, content_type=formats.FORMATS[file_format].content_type
    )


def download(request, reference: str, document_id: int, file_format: str = formats.PDF):
    """A version's PDF, or its ODT or DOCX copy: the same access, the same journal."""
    if file_format != formats.PDF and file_format not in EditableFormat.values:
        raise Http404("Format inconnu.")
    case, document = _document(request, reference, document_id)
    try:
        if file_format == formats.PDF:
            response = pdf_response(document)
        else:
            response = editable_response(document, file_format)
    except integrity.TamperedFile as error:
        return tampered_file(request, error)
    target = document if file_format == formats.PDF else f"{document} ({file_format.upper()})"
    journal.record(request, AccessKind.DOCUMENT_DOWNLOADED, case=case, target=target)
    return response


def signature(request, reference: str, document_id: int):
    """A version's electronic signature, checked on its stored file: signed or not, by
    whom, when, timestamped or not, intact or modified (documents/signing.py)."""
    case, document = _document(request, reference, document_id)
    if document.status != DocumentStatus.READY:
        raise Http404("Ce document n'est pas encore produit.")
    check, tampered = signing.check_stored(document)  # FileMissing: 404, said so
    journal.record(request, AccessKind.CASE_VIEWED, case=case, target=f"Signature — {document}")
    return render(
        request,
        "documents/pages/signature.html",
        {
            "case": case,
            "document": document,
            "check": check,
            "tampered": tampered,
            "signing_configured": signing.configured(),
        },
    )


@require_POST
def retry(request, reference: str, document_id: int):
    case, document = _document(request, reference, document_id)
    if not services.may_request(request.user, case, document.kind):
        raise PermissionDenied("Vous ne pouvez pas produire ce document.")
    try:
        services.retry(document, request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "Nouvelle tentative lancée.")
    return redirect("documents:case", reference=case.reference)


@require_POST
def validate(request, reference: str, document_id: int):
    case, document = _document(request, reference, document_id)
    try:
        services.validate(document, request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"{document} validé : il est figé.")
    return redirect("documents:case", reference=case.reference)


class SectionsForm(DsfrFormMixin, forms.Form):
    """One text area per section of the draft pleadings."""

    def __init__(self, *args, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[section["key"]] = forms.CharField(
                label=section["title"],
                initial=section["body"],
                required=False,
                max_length=50000,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    def edited(self) -> list[dict]:
        return [
            {**section, "body": self.cleaned_data[section["key"]].strip()}
            for section in self.sections
        ]


def _chosen_kind(request, reference: str, kind: str, refused: str):
    """The case, the kind's reason not to be produced yet, and its latest version, for a
    page where a document is prepared before it is produced."""
    case = access.get_case_for_user(request.user, reference)
    if not services.may_request(request.user, case, kind):
        raise PermissionDenied(refused)
    return case, context.applicability(case, kind), services.latest(case, kind)


def _produce_from(request, case, kind: str, form, template: str, not_yet, last, **inputs):
    """The preparing page's POST: a valid form makes a new version (`inputs(form)`, the
    keywords of `services.request_document`), then back to the documents; else the page
    again with its errors (422)."""
    if request.method == "POST" and not not_yet and form.is_valid():
        try:
            document = services.request_document(
                case, kind, request.user, **{key: make(form) for key, make in inputs.items()}
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, f"{document.get_kind_display()} : version {document.version}."
            )
            return redirect("documents:case", reference=case.reference)
    return render(
        request,
        template,
        {"case": case, "form": form, "not_yet": not_yet, "last": last},
        status=422 if request.method == "POST" else 200,
    )


def edit_pleadings(request, reference: str):
    kind = DocumentKind.PROJET_ECRITURES
    case, not_yet, last = _chosen_kind(
        request, reference, kind, "Seul le pôle rédige les projets d'écritures."
    )
    sections = (last.snapshot.get("sections") if last else None) or pleadings.default_sections(case)
    form = SectionsForm(request.POST or None, sections=sections)
    return _produce_from(
        request,
        case,
        kind,
        form,
        "documents/pages/pleadings_form.html",
        not_yet,
        last,
        sections=SectionsForm.edited,
    )


class BordereauForm(DsfrFormMixin, forms.Form):
    """The hearing a bordereau de pièces is made for, and the pieces communicated for it."""

    hearing = forms.TypedChoiceField(
        label="Audience",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Le tribunal, le numéro RG et la date de cette audience figurent en tête "
        "du bordereau.",
    )
    pieces = forms.TypedMultipleChoiceField(
        label="Pièces communiquées",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque pièce garde son numéro, même si d'autres ne sont pas cochées.",
        error_messages={"required": "Cochez au moins une pièce à communiquer."},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        hearings = case.hearings.order_by("-scheduled_at", "-pk")
        self.fields["hearing"].choices = [("", "La dernière audience du dossier")] + [
            (h.pk, f"{h} — {h.court} ({h.get_instance_display().lower()})") for h in hearings
        ]
        self.fields["pieces"].choices = [
            (piece["number"], f"Pièce n° {piece['number']} : {piece['label']}"
             + (f" du {piece['date']}" if piece["date"] else ""))
            for piece in bordereau.communicated(case)
        ]  # fmt: skip

    def choice(self) -> dict:
        return {"hearing": self.cleaned_data["hearing"], "pieces": self.cleaned_data["pieces"]}


def choose_bordereau(request, reference: str):
    """Produce the bordereau for one hearing with the pieces chosen for it (by default the
    last version's choice, else every piece)."""
    kind = DocumentKind.BORDEREAU
    case, not_yet, last = _chosen_kind(
        request, reference, kind, "Vous ne pouvez pas produire ce document."
    )
    numbers = [piece["number"] for piece in bordereau.communicated(case)]
    initial = {"pieces": numbers}
    if last and last.snapshot.get("choice"):
        kept = [n for n in last.snapshot["choice"].get("pieces") or numbers if n in numbers]
        initial = {"hearing": last.snapshot["choice"].get("hearing"), "pieces": kept or numbers}
    form = BordereauForm(request.POST or None, case=case, initial=initial)
    return _produce_from(
        request,
        case,
        kind,
        form,
        "documents/pages/bordereau_form.html",
        not_yet,
        last,
        choice=BordereauForm.choice,
    )


def case_file(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    if not request.user.is_pole:
        raise PermissionDenied("Le dossier complet pour l'avocat est réservé au pôle.")
    try:
        archive = services.case_file_zip(case)
    except integrity.TamperedFile as error:
        return tampered_file(request, error)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}_dossier.zip"'
    journal.record(request, AccessKind.CASE_FILE_DOWNLOADED, case=case)
    return response
