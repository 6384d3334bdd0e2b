"""Case pages. Thin: fetch through cases.access, validate a form, call a service."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import (
    access,
    debtors,
    formatting,
    integrity,
    journal,
    listing,
    money,
    panels,
    parties,
    search,
    selectors,
    services,
    submissions,
    workspace,
)
from . import claims_import as claims_import_rules
from .enums import TAKEN_OVER_STATUSES, AccessKind
from .files import StorageFull, open_stored
from .formatting import short_datetime
from .forms import (
    AccessLogFilterForm,
    CaseFilterForm,
    CaseLabelForm,
    LabelForm,
    MessageForm,
    NoteForm,
    PieceForm,
    ReferralForms,
    SubmitForm,
)
from .models import (
    ActionType,
    Case,
    ClaimImport,
    Label,
    MessageAttachment,
    User,
    prescription_horizon,
)
from .pagination import IdsFirstPaginator
from .referral import action_warnings, claim_warnings, flatten, next_piece_kinds, referral_problems
from .replica import reads_from_replica


def case_list(request):
    form, cases = _listed(request)
    page = IdsFirstPaginator(cases, settings.CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = workspace.list_query(request.GET)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "columns": form.shown_columns(),
            "column_labels": {c.key: c.label for c in listing.COLUMNS},
            "sort": form.sort_key(),
            "sortable": {c.key for c in listing.COLUMNS if c.sort} | {"reference"},
            "query": query,
            "saved_views": request.user.saved_views.all(),
            "prescription_horizon": prescription_horizon(),
            "show_labels": access.may_see_labels(request.user),
            **bulk_choices(request.user),
        },
    )


def bulk_choices(user) -> dict:
    """What the bulk form of the case list and the task lists offers (workflows.bulk does
    the actions)."""
    actions = access.bulk_actions(user)
    if not actions:
        return {"bulk_actions": []}
    return {
        "bulk_actions": actions,
        "bulk_labels": Label.objects.order_by("name", "pk"),
        "bulk_jurists": (
            access.assignable_jurists().order_by("last_name", "first_name", "username")
            if access.BULK_REASSIGN in actions
            else []
        ),
    }


def _listed(request):
    """The list's form and its cases, as filtered, sorted and with the columns asked."""
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        request.user, filters, with_labels=True, columns=form.shown_columns()
    )
    return form, cases


@reads_from_replica
def case_list_export(request, fmt: str):
    """The filtered list, every row (not a page), in the columns shown; streamed."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, cases = _listed(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "L'export n'a pas été fait : corrigez les filtres de la liste.")
        return redirect(f"{reverse('cases:list')}?{workspace.list_query(request.GET)}")
    keys = ["reference", *form.shown_columns()]
    journal.record(request, AccessKind.LIST_EXPORTED, target=f"Liste des dossiers ({fmt.upper()})")
    name = f"dossiers-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            listing.csv_rows(cases, keys), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        listing.xlsx_file(cases, keys),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
def saved_view_create(request):
    query = workspace.list_query(QueryDict(request.POST.get("query", "")))
    try:
        view = workspace.save_view(request.user, request.POST.get("name", ""), query)
    except ValidationError as error:
        messages.error(request, f"La vue n'a pas été enregistrée : {' '.join(error.messages)}")
    else:
        messages.success(request, f"La vue « {view.name} » est enregistrée.")
    return redirect(f"{reverse('cases:list')}?{query}")


@require_POST
def saved_view_delete(request, view_id: int):
    name = workspace.delete_view(request.user, view_id)
    if name is None:
        raise Http404
    messages.success(request, f"La vue « {name} » est supprimée.")
    return redirect("cases:list")


@reads_from_replica
def search_page(request):
    """`/recherche/`: the full-text search across what the user may see (cases/search.py)."""
    query = request.GET.get("q", "")[:200]
    hits = search.search(request.user, query) if query.strip() else []
    if query.strip():
        journal.record(request, AccessKind.LIST_VIEWED, target=f"Recherche « {query} »")
    return render(
        request,
        "cases/search.html",
        {
            "query": query,
            "searched": bool(query.strip()),
            "hits": hits,
            "limit": search.RESULTS_MAX,
        },
    )


def _referral_page(
    request, forms: ReferralForms, *, duplicates=None, submit_form=None, version=None, status=None
):
    actions = list(ActionType.objects.all())
    targets = {str(a.pk): a.target_kind for a in actions}
    if version is None and forms.case is not None:
        version = _posted_version(request) or forms.case.version
    if status is None:
        status = 200 if request.method == "GET" or not _has_errors(forms, duplicates) else 422
    if request.method == "POST" and forms.files_chosen():
        # Nothing was saved (the page comes back to be corrected): nor were the files.
        forms.section_errors.setdefault("pieces", []).append(
            "Les fichiers choisis n'ont pas été joints, puisque rien n'a été enregistré : "
            "choisissez-les de nouveau avant d'enregistrer."
        )
    return render(
        request,
        "cases/referral_form.html",
        {
            "forms": forms,
            "case": forms.case,
            "version": version,
            "targets_by_action": targets,
            "pieces_by_action": {str(a.pk): a.required_pieces for a in actions},
            "present_pieces": sorted(
                {p.kind for p in forms.case.pieces.all()} if forms.case and forms.case.pk else set()
            ),
            "duplicates": duplicates,
            "submit_form": submit_form or SubmitForm(),
            "pending_return": selectors.pending_return(forms.case),
        },
        status=status,
    )


def _posted_version(request) -> int | None:
    """The case's version the page was loaded with (its hidden field), if sent."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _has_errors(forms: ReferralForms, duplicates) -> bool:
    return bool(duplicates) or bool(forms.section_errors) or not forms.is_valid()


def _save(request, forms: ReferralForms):
    """Save (and submit if asked) a referral; re-render the page with what to fix."""
    submit = request.POST.get("action") == "submit"
    submit_form = SubmitForm(request.POST)
    submit_form.is_valid()
    if not forms.is_valid():
        messages.error(request, "Le dossier n'a pas été enregistré : corrigez les champs signalés.")
        return _referral_page(request, forms, submit_form=submit_form)
    try:
        case = services.save_referral(
            request.user,
            forms,
            submit=submit,
            confirm_duplicate=submit_form.cleaned_data.get("confirm_duplicate", False),
            expected_version=_posted_version(request),
        )
    except services.StaleReferral as stale:
        forms.case = _unsaved_case(forms)
        messages.warning(
            request,
            f"Le dossier a été modifié entre-temps par {stale.by} le "
            f"{formatting.long_datetime(stale.at)}. Rien n'a été enregistré ; vos saisies "
            "sont conservées ci-dessous. Ouvrez le dossier dans un autre onglet pour voir "
            "ses modifications, reportez ici celles à garder, puis enregistrez à nouveau : "
            "votre version remplacera alors la sienne.",
        )
        return _referral_page(
            request, forms, submit_form=submit_form, version=stale.version, status=409
        )
    except PermissionDenied:
        stale = _unsaved_case(forms)
        if stale is not None and stale.submitted_at:  # submitted meanwhile (another tab)
            return _already_submitted(request, stale)
        raise
    except services.ReferralIncomplete as incomplete:
        forms.case = _unsaved_case(forms)
        forms.add_problems(incomplete.problems)
        messages.error(
            request,
            "Le dossier n'a pas été transmis : complétez les éléments signalés. "
            "Rien n'a été enregistré ; vos saisies sont conservées dans la page.",
        )
        return _referral_page(request, forms, submit_form=submit_form)
    except services.DuplicateNotConfirmed as duplicate:
        forms.case = _unsaved_case(forms)
        messages.warning(
            request,
            "Ce redevable a déjà un dossier ouvert. Vérifiez-le, puis confirmez la "
            "transmission si elle reste justifiée.",
        )
        return _referral_page(
            request,
            forms,
            duplicates=selectors.duplicate_warning(request.user, duplicate.duplicates),
            submit_form=submit_form,
        )
    if submit:
        messages.success(request, f"Le dossier {case.reference} a été transmis au pôle.")
    else:
        messages.success(request, f"Le brouillon {case.reference} est enregistré.")
    return redirect(case)


def _unsaved_case(forms: ReferralForms) -> Case | None:
    """After a rollback, the case is whatever existed before this request."""
    if forms.case is None or forms.case.pk is None:
        return None
    return Case.objects.filter(pk=forms.case.pk).first()


def referral_create(request):
    if not access.can_create_referral(request.user):
        raise PermissionDenied("Seuls les directions et postes comptables saisissent le pôle.")
    if request.method == "POST":
        return submissions.once(
            request,
            lambda: _save(request, ReferralForms(request.user, request.POST, files=request.FILES)),
        )
    return _referral_page(request, ReferralForms(request.user))


def _already_submitted(request, case: Case):
    """The loser of a double submission (two tabs, two agents): told what happened, not
    « accès refusé »; what it typed is not saved over the submitted referral."""
    messages.warning(
        request,
        f"Le dossier {case.reference} a déjà été transmis au pôle "
        f"(le {short_datetime(case.submitted_at)}) : vos dernières saisies n'ont pas été "
        "enregistrées. Pour compléter le dossier, écrivez au pôle depuis cette page.",
    )
    return redirect(case)


def referral_edit(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    stale = request.method == "POST" and access.is_referrer(request.user, case)
    if stale and not access.can_edit_referral(request.user, case) and case.submitted_at:
        return _already_submitted(request, case)
    case = access.get_editable_case_for_user(request.user, reference)
    if request.method == "POST":
        forms = ReferralForms(request.user, request.POST, case=case, files=request.FILES)
        with services.files_removed_on_failure():
            return _save(request, forms)
    journal.record(request, AccessKind.CASE_VIEWED, case=case, target="Modification du brouillon")
    forms = ReferralForms(request.user, case=case)
    duplicates = None
    if request.GET.get("verifier"):
        forms.add_problems(referral_problems(case))
        duplicates = selectors.duplicate_warning(request.user, selectors.possible_duplicates(case))
    return _referral_page(request, forms, duplicates=duplicates)


def draft_discard(request, reference: str):
    """Delete a draft never sent: a confirmation page, then the deletion (POST)."""
    case = access.get_case_for_user(request.user, reference)
    if not access.can_discard_draft(request.user, case):
        raise PermissionDenied(
            "Seul un brouillon jamais transmis peut être supprimé, par sa direction."
        )
    if request.method == "POST":
        return submissions.once(request, lambda: _discard(request, case))
    return render(request, "cases/discard_draft.html", {"case": case})


def _discard(request, case: Case):
    services.discard_draft(request.user, case)
    messages.success(request, f"Le brouillon {case.reference} est supprimé.")
    return redirect("cases:list")


def _case_page(
    request,
    case: Case,
    *,
    piece_form=None,
    message_form=None,
    note_form=None,
    label_form=None,
    status=200,
):
    user: User = request.user
    selectors.case_detail(case)
    editable = access.can_edit_referral(user, case)
    earliest = case.earliest_prescription_date
    per_page = settings.CASE_LIST_PER_PAGE
    context = {
        "case": case,
        # Each long list paged on its own (?messages=2, ?pieces=2, ?historique=3).
        # The pieces are loaded whole by case_detail (what is missing needs them all).
        "piece_page": _page(request, case.pieces.all(), "pieces", per_page),
        # What the user may read of the history (cases.access), the latest first.
        "event_page": _page(
            request,
            access.visible_history(user, case, selectors.case_history(case)),
            "historique",
            per_page,
        ),
        "amounts": case.amounts,
        "earliest_prescription": earliest,
        "prescription_soon": earliest is not None and earliest < prescription_horizon(),
        "excluded_claim_ids": {c.pk for c in case.excluded_claims()},
        "claim_warnings": claim_warnings(case),
        "action_warnings": action_warnings(case),
        # Issue 17: the parties, once the pôle conducts the action.
        "case_parties": (
            parties.case_parties(case)
            if case.status in TAKEN_OVER_STATUSES or case.parties.exists()
            else []
        ),
        "editable": editable,
        "piece_form": piece_form
        or (
            PieceForm(initial={"kind": next_piece_kinds(case, 1)[0]})
            if access.may_add_piece(user, case)
            else None
        ),
        **thread_context(request, case, message_form=message_form),
        **_notes_context(request, case, note_form),
        **_labels_context(request, case, label_form),
        "may_follow": access.may_follow(user, case),
        "following": access.may_follow(user, case) and workspace.is_following(user, case),
        "case_debtor": debtors.case_debtor(user, case),
    }
    if editable:
        context["missing"] = flatten(referral_problems(case))
        context["duplicates"] = selectors.duplicate_warning(
            user, selectors.possible_duplicates(case)
        )
    if access.may_see_sums(user, case):
        context["sums"] = money.case_sums(case)
    panels.add_to(context, user, case)
    return render(request, "cases/case_detail.html", context, status=status)


def thread_context(request, case: Case, *, message_form=None) -> dict:
    """What templates/cases/_thread.html shows: the paged thread (?messages=2), what the
    user has not read, and the form to write (if they may)."""
    user: User = request.user
    rows = selectors.case_messages(case)
    return {
        "message_page": _page(request, rows, "messages", settings.CASE_LIST_PER_PAGE),
        "unread_ids": set(
            selectors.unread_messages(user).filter(case=case).values_list("pk", flat=True)
        ),
        "message_form": message_form
        or (MessageForm() if access.can_post_message(user, case) else None),
    }


def _notes_context(request, case: Case, note_form) -> dict:
    """The pôle's notes panel (?notes=2), for those who may read them (cases.access)."""
    notes = workspace.case_notes(request.user, case)
    if notes is None:
        return {"note_page": None, "note_form": None}
    return {
        "note_page": _page(request, notes, "notes", settings.CASE_LIST_PER_PAGE),
        "note_form": note_form
        or (NoteForm() if access.may_write_note(request.user, case) else None),
    }


def _labels_context(request, case: Case, label_form) -> dict:
    """The case's labels as DSFR tags, and the form to add one (cases.access)."""
    labels = workspace.case_labels(request.user, case)
    if labels is None:
        return {"case_labels": None, "may_label": False, "label_form": None}
    on, off = labels
    labelling = access.may_label(request.user, case)
    if labelling and label_form is None and off:
        label_form = CaseLabelForm(case=case, offered=off)
    return {
        "case_labels": on,
        "may_label": labelling,
        "label_form": label_form if labelling else None,
    }


def _page(request, rows, param: str, per_page: int):
    return Paginator(rows, per_page).get_page(request.GET.get(param))


def case_detail(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    journal.record(request, AccessKind.CASE_VIEWED, case=case)
    return _case_page(request, case)


@require_POST
def piece_add(request, reference: str):
    case = access.get_case_to_add_a_piece(request.user, reference)
    return submissions.once(request, lambda: _add_piece(request, case))


def _add_piece(request, case: Case):
    form = PieceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "La pièce n'a pas été ajoutée : corrigez le formulaire.")
        return _case_page(request, case, piece_form=form, status=422)
    upload = form.cleaned_data["file"]
    try:
        services.add_piece_row(request.user, case, form.piece_row())
    except StorageFull as error:
        form.add_error("file", error)
        messages.error(request, "La pièce n'a pas été ajoutée : " + error.messages[0])
        return _case_page(request, case, piece_form=form, status=507)
    messages.success(request, f"La pièce « {upload.name} » a été ajoutée.")
    return redirect(case)


def claims_import(request, reference: str):
    """Upload an extract of the recovery application: a worker checks every line while the
    page shows its progress (`claims_import_status`); nothing is written until the agent
    confirms."""
    case = access.get_editable_case_for_user(request.user, reference)
    context = {"case": case, "columns": claims_import_rules.COLUMNS}
    if request.method != "POST":
        return render(request, "cases/claims_import.html", context)
    upload = request.FILES.get("file")
    try:
        pending = claims_import_rules.receive(request.user, case, upload)
    except claims_import_rules.ImportRefused as refused:
        context.update(errors=refused.errors, more=refused.more, file_name=upload and upload.name)
        return render(request, "cases/claims_import.html", context, status=422)
    return redirect("cases:claims_import_status", case.reference, pending.pk)


def claims_import_status(request, reference: str, import_id: int):
    """Where an upload stands: its progress while a worker reads it (as JSON for the page's
    script with ?format=json), then the lines to confirm, the errors, or the claims imported."""
    case = access.get_editable_case_for_user(request.user, reference)
    pending = get_object_or_404(ClaimImport, pk=import_id, case=case)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": pending.status,
                "lines_done": pending.lines_done,
                "lines_total": pending.lines_total,
                "waiting": pending.waiting,
            }
        )
    context = {"case": case, "pending": pending, "columns": claims_import_rules.COLUMNS}
    if pending.in_progress:
        return render(request, "cases/claims_import_progress.html", context)
    if pending.status == ClaimImport.Status.REFUSED:
        context.update(
            errors=pending.result.get("errors", []),
            more=pending.result.get("more", 0),
            file_name=pending.original_name,
        )
        return render(request, "cases/claims_import.html", context)
    if pending.status == ClaimImport.Status.IMPORTED:
        imported = pending.result.get("imported", pending.lines)
        messages.success(
            request,
            f"{formatting.count(imported)} créance{pluralize(imported)} "
            f"importée{pluralize(imported)} "
            f"du fichier « {pending.original_name} ».",
        )
        return redirect("cases:edit", case.reference)
    context["summary"] = pending.result
    return render(request, "cases/claims_import_confirm.html", context)


def claims_import_example(request):
    """The example extract the import page and the README describe."""
    path = settings.BASE_DIR / "docs" / "import-creances.csv"
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename="import-creances.csv",
        content_type="text/csv; charset=utf-8",
    )


@require_POST
def claims_import_confirm(request, reference: str, import_id: int):
    case = access.get_editable_case_for_user(request.user, reference)
    pending = get_object_or_404(
        ClaimImport, pk=import_id, case=case, status=ClaimImport.Status.CHECKED
    )
    claims_import_rules.request_import(request.user, pending)
    return redirect("cases:claims_import_status", case.reference, pending.pk)


def tampered_file(request, error: integrity.TamperedFile):
    """The refusal of a file whose bytes no longer match their SHA-256 (the administrators
    are already told, by cases.integrity). Documents and the case file ZIP use it too."""
    return render(request, "cases/tampered_file.html", {"error": error}, status=500)


def _download(request, stored):
    try:
        handle = open_stored(stored)  # FileMissing: « ce fichier est introuvable » (404)
    except integrity.TamperedFile as error:
        return tampered_file(request, error)
    return FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )


def piece_download(request, reference: str, piece_id: int):
    case = access.get_case_for_user(request.user, reference)
    piece = get_object_or_404(case.pieces, pk=piece_id)
    response = _download(request, piece)
    journal.record(request, AccessKind.PIECE_DOWNLOADED, case=case, target=piece)
    return response


def attachment_download(request, reference: str, attachment_id: int):
    case = access.get_case_for_user(request.user, reference)
    attachment = get_object_or_404(
        MessageAttachment.objects.select_related("message__case"),
        pk=attachment_id,
        message__case=case,
    )
    response = _download(request, attachment)
    journal.record(request, AccessKind.ATTACHMENT_DOWNLOADED, case=case, target=attachment)
    return response


def access_log(request):
    """The consultation journal (head of the pôle, administrators): filtered, paginated."""
    if not access.may_see_access_log(request.user):
        raise PermissionDenied("Le journal des consultations est réservé au chef du pôle.")
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = journal.search(access.visible_access_log(request.user), filters)
    page = Paginator(rows, settings.ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/access_log.html",
        {"form": form, "page": page, "retention_days": settings.ACCESS_LOG_RETENTION_DAYS},
    )


@require_POST
def message_post(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    if not access.can_post_message(request.user, case):
        raise PermissionDenied("Vous ne pouvez pas écrire sur ce dossier.")
    return submissions.once(request, lambda: _post_message(request, case))


def _post_message(request, case: Case):
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Le message n'a pas été envoyé : corrigez le formulaire.")
        return _case_page(request, case, message_form=form, status=422)
    try:
        services.post_message(request.user, case, form.cleaned_data["body"], form.checked)
    except StorageFull as error:
        form.add_error("attachments", error)
        messages.error(request, "Le message n'a pas été envoyé : " + error.messages[0])
        return _case_page(request, case, message_form=form, status=507)
    messages.success(request, "Votre message a été envoyé.")
    return redirect(case.get_absolute_url() + "#echanges")


@require_POST
def note_add(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    if not access.may_write_note(request.user, case):
        raise PermissionDenied("Les notes de ce dossier sont réservées au pôle et à son expert.")
    return submissions.once(request, lambda: _add_note(request, case))


def _add_note(request, case: Case):
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "La note n'a pas été enregistrée : corrigez le formulaire.")
        return _case_page(request, case, note_form=form, status=422)
    workspace.add_note(request.user, case, form.cleaned_data["note"])
    messages.success(request, "Votre note est enregistrée.")
    return redirect(case.get_absolute_url() + "#notes")


@require_POST
def messages_read(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    services.mark_messages_read(request.user, case)
    return redirect(case.get_absolute_url() + "#echanges")


@require_POST
def piece_remove(request, reference: str, piece_id: int):
    case = access.get_editable_case_for_user(request.user, reference)
    piece = get_object_or_404(case.pieces, pk=piece_id)
    services.remove_piece(request.user, case, piece)
    messages.success(request, f"La pièce « {piece.original_name} » a été retirée.")
    return redirect(case)


# --- The pôle's labels (issue 22) ----------------------------------------------------------


def _refuse_unless_head(request) -> None:
    if not access.may_manage_labels(request.user):
        raise PermissionDenied("Seul le chef du pôle gère les étiquettes.")


def label_list(request):
    _refuse_unless_head(request)
    return render(request, "cases/labels.html", {"labels": selectors.labels_with_counts()})


def label_create(request):
    return _label_form(request, None)


def label_edit(request, label_id: int):
    return _label_form(request, get_object_or_404(Label, pk=label_id))


def _label_form(request, label: Label | None):
    _refuse_unless_head(request)
    form = LabelForm(request.POST or None, instance=label)
    if request.method == "POST":
        return submissions.once(request, lambda: _save_label(request, form, label))
    return render(request, "cases/label_form.html", {"form": form, "label": label})


def _save_label(request, form: LabelForm, label: Label | None):
    if not form.is_valid():
        messages.error(request, "L'étiquette n'a pas été enregistrée : corrigez le formulaire.")
        return render(request, "cases/label_form.html", {"form": form, "label": label}, status=422)
    saved = workspace.save_label(request.user, form)
    done = "renommée" if label else "créée"
    messages.success(request, f"L'étiquette « {saved.name} » est {done}.")
    return redirect("cases:labels")


def label_delete(request, label_id: int):
    _refuse_unless_head(request)
    label = get_object_or_404(Label, pk=label_id)
    if request.method == "POST":
        return submissions.once(request, lambda: _delete_label(request, label))
    return render(request, "cases/label_delete.html", {"label": label, "on": label.cases.count()})


def _delete_label(request, label: Label):
    name = label.name
    on = workspace.delete_label(request.user, label)
    messages.success(
        request,
        f"L'étiquette « {name} » est supprimée ; elle a été retirée de {on} dossier"
        + ("s." if on > 1 else "."),
    )
    return redirect("cases:labels")


@require_POST
def case_label_add(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    if not access.may_label(request.user, case):
        raise PermissionDenied("Seul le pôle étiquette ses dossiers.")
    form = CaseLabelForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, "L'étiquette n'a pas été ajoutée : choisissez-en une.")
        return _case_page(request, case, label_form=form, status=422)
    label = form.cleaned_data["label"]
    workspace.add_label(request.user, case, label)
    messages.success(request, f"Étiquette « {label.name} » ajoutée au dossier.")
    return redirect(case.get_absolute_url() + "#etiquettes")


@require_POST
def case_label_remove(request, reference: str, label_id: int):
    case = access.get_case_for_user(request.user, reference)
    if not access.may_label(request.user, case):
        raise PermissionDenied("Seul le pôle étiquette ses dossiers.")
    label = get_object_or_404(Label, pk=label_id)
    workspace.remove_label(request.user, case, label)
    messages.success(request, f"Étiquette « {label.name} » retirée du dossier.")
    return redirect(case.get_absolute_url() + "#etiquettes")


# --- Following a case (issue 22) -------------------------------------------------------


@require_POST
def case_follow(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    if not access.may_follow(request.user, case):
        raise PermissionDenied("Seul le pôle suit des dossiers.")
    workspace.follow(request.user, case)
    messages.success(
        request, f"Vous suivez le dossier {case.reference} : vous en recevrez les notifications."
    )
    return redirect(case)


@require_POST
def case_unfollow(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    workspace.unfollow(request.user, case)
    messages.success(request, f"Vous ne suivez plus le dossier {case.reference}.")
    return redirect(case)
