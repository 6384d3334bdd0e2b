"""The documents' templates in the application (documents.templating): the list of the
kinds with their current version, the edit page with its preview on a case, the history
with the changes between versions. The head of the pôle edits; the jurists read
(cases.access)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cases import access, journal
from cases.enums import AccessKind
from cases.forms import DsfrFormMixin
from cases.models import ActionType

from . import templating
from .enums import DocumentKind
from .models import TemplateVersion


def _may_read(user) -> None:
    if not access.may_read_document_templates(user):
        raise PermissionDenied("Les modèles de document sont réservés au pôle.")


def _may_edit(user) -> None:
    if not access.may_edit_document_templates(user):
        raise PermissionDenied("Seul le chef du pôle modifie les modèles de document.")


def _scope(kind: str, action: str | None) -> tuple[DocumentKind, ActionType | None]:
    if kind not in DocumentKind.values:
        raise Http404("Document inconnu.")
    action_type = get_object_or_404(ActionType, code=action) if action else None
    return DocumentKind(kind), action_type


def index(request):
    _may_read(request.user)
    chosen = request.GET.get("kind"), request.GET.get("action")
    if all(chosen) and access.may_edit_document_templates(request.user):
        kind, action_type = _scope(*chosen)  # « Un modèle propre à une action »
        return redirect("document_templates:edit_action", kind.value, action_type.code)
    versions = TemplateVersion.objects.select_related("author", "action_type").order_by(
        "kind", "action_type__label", "-number"
    )
    newest: dict[tuple, TemplateVersion] = {}
    for version in versions:
        newest.setdefault((version.kind, version.action_type_id), version)
    rows = []
    for kind in DocumentKind:
        rows.append(
            {
                "kind": kind,
                "general": newest.get((kind.value, None)),
                "per_action": [v for (k, a), v in newest.items() if k == kind.value and a],
            }
        )
    return render(
        request,
        "documents/pages/templates_index.html",
        {
            "rows": rows,
            "action_types": ActionType.objects.order_by("label"),
            "may_edit": access.may_edit_document_templates(request.user),
        },
    )


class TemplateForm(DsfrFormMixin, forms.Form):
    body = forms.CharField(
        label="Texte du modèle",
        help_text=(
            "Gabarit Django : {{ s.… }} pour les données du dossier, {{ meta.… }} pour "
            "celles de la page ; {% if %}, {% for %} comme dans le modèle livré."
        ),
        strip=False,
        max_length=templating.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "pnsr-code"}),
    )
    comment = forms.CharField(
        label="Ce qui change",
        required=False,
        max_length=300,
        help_text="Une phrase pour l'historique (facultatif).",
    )
    reference = forms.CharField(
        label="Dossier de l'aperçu",
        required=False,
        max_length=30,
        help_text="Référence du dossier (PNSR-AAAA-NNNNNN) sur lequel prévisualiser le texte.",
    )
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def edit(request, kind: str, action: str | None = None):
    _may_edit(request.user)
    kind, action_type = _scope(kind, action)
    newest = templating.scope_latest(kind, action_type)
    started_from = newest or (
        templating.scope_latest(kind, None) if action_type is not None else None
    )
    initial = {
        "body": templating.source_of(kind, started_from),
        "base": newest.number if newest else 0,
    }
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            response = _preview(request, form, kind)
            if response is not None:
                return response
        else:
            try:
                version = templating.save_version(
                    kind,
                    action_type,
                    data["body"],
                    request.user,
                    base=data["base"],
                    comment=data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{version} enregistrée.")
                return redirect(_history_url(kind, action_type))
    return render(
        request,
        "documents/pages/template_form.html",
        {
            "kind": kind,
            "action_type": action_type,
            "form": form,
            "newest": newest,
            "started_from": started_from,
        },
    )


def _preview(request, form, kind) -> HttpResponse | None:
    """The PDF of the text for the case chosen (not stored), or None with the form's error."""
    data = form.cleaned_data
    reference = data["reference"].strip().upper()
    if not reference:
        form.add_error("reference", "Indiquez le dossier sur lequel prévisualiser le modèle.")
        return None
    try:
        case = access.get_case_for_user(request.user, reference)
    except Http404:
        form.add_error("reference", f"Dossier introuvable : « {reference} ».")
        return None
    try:
        pdf = templating.preview_pdf(kind, data["body"], case)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    journal.record(
        request,
        AccessKind.CASE_VIEWED,
        case=case,
        target=f"Aperçu du modèle « {kind.label} »",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="apercu_{kind.value}_{case.reference}.pdf"'
    return response


def _history_url(kind, action_type) -> str:
    if action_type is None:
        return reverse("document_templates:history", args=[kind.value])
    return reverse("document_templates:history_action", args=[kind.value, action_type.code])


def history(request, kind: str, action: str | None = None):
    _may_read(request.user)
    kind, action_type = _scope(kind, action)
    return render(
        request,
        "documents/pages/template_history.html",
        {
            "kind": kind,
            "action_type": action_type,
            "rows": templating.history(kind, action_type),
            "current_source": templating.source_of(
                kind, templating.current(kind, action_type.pk if action_type else None)
            ),
            "may_edit": access.may_edit_document_templates(request.user),
        },
    )
