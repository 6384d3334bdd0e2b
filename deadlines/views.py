"""The deadline pages: mine (or my team's, or all), a case's deadlines, and the private
calendar feed. GET never writes; every change goes through deadlines.services."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import access, journal
from cases.enums import AccessKind, CaseStatus, Role
from cases.formatting import de_name
from cases.models import StartingAct

from . import calculator as sums
from . import calendar, court, ical, prescription, selectors, services
from .engine import OutOfCalendar
from .forms import (
    ActOutcomeForm,
    CancelForm,
    CorrectActForm,
    CourtDepartementForm,
    DoneForm,
    EndSuspensionForm,
    LocalLawForm,
    ManualDeadlineForm,
    SaisieForm,
    SimpleDeadlineForm,
    SuspensionForm,
)
from .local_law import LocalDates
from .models import CalendarToken, Deadline, PrescriptionSuspension, ProcedureAct
from .saisie_calendar import SaisieDates, SaisieSequenceError

BEFORE_ANY_DECISION = frozenset(
    {
        CaseStatus.DRAFT,
        CaseStatus.SUBMITTED,
        CaseStatus.RETURNED,
        CaseStatus.UNDER_EXAMINATION,
        CaseStatus.DECLINED,
        CaseStatus.OPINION_GIVEN,
        CaseStatus.SUPPORT_IN_PROGRESS,
        CaseStatus.TAKEN_OVER,
    }
)


def late_appeal_panel(user, case) -> dict | None:
    """The case page's deadlines part (a `cases.panels` panel): the opponent's appeals
    lodged late (calendar.late_appeals), when there are any. Before a takeover's action no
    decision, hence no appeal, can exist: no query."""
    if case.status in BEFORE_ANY_DECISION:
        return None
    flags = calendar.late_appeals(case)
    return {"late_appeals": flags} if flags else None


def _require_reader(user) -> None:
    if not selectors.may_see_deadlines(user):
        raise PermissionDenied("Les échéances sont réservées au pôle et au pilotage.")


def _scope_title(user) -> str:
    if user.role == Role.JURIST:
        return "Mes échéances"
    if user.role == Role.HEAD:
        return "Échéances de l'équipe"
    return "Toutes les échéances"


DEADLINES_PER_PAGE = 50
ALERTS_PER_PAGE = 20


def _mine_page(request, feed_url: str = ""):
    user = request.user
    _require_reader(user)
    today = timezone.localdate()
    # A page at a time (at national scale the pôle has thousands of open deadlines): the
    # overdue ones first, counted apart.
    open_deadlines = selectors.my_deadlines(user)
    page = Paginator(open_deadlines, DEADLINES_PER_PAGE).get_page(request.GET.get("page"))
    deadlines = list(page.object_list)
    prefetch_related_objects(
        deadlines, "case__properties", "case__managers", "case__holders", "case__parties"
    )
    calendar.prefetch_source_decisions(deadlines)
    for deadline in deadlines:
        deadline.left = deadline.days_left(today)
        deadline.late = -deadline.left
        deadline.notes = calendar.deadline_notes(deadline)
    alerts = Paginator(selectors.prescription_alerts(user), ALERTS_PER_PAGE).get_page(
        request.GET.get("alertes")
    )
    context = {
        "title": _scope_title(user),
        "deadlines": deadlines,
        "page": page,
        "overdue": open_deadlines.filter(due_date__lt=today).count(),
        "alerts": alerts,
        "late_appeals": selectors.late_opponent_appeals(user),
        "calendar_token": CalendarToken.objects.filter(user=user).first(),
        "feed_url": feed_url,
    }
    return render(request, "deadlines/mine.html", context)


def mine(request):
    return _mine_page(request)


@require_POST
def regenerate_token(request):
    """A new private calendar URL, shown in this response only; the old one stops working
    at once."""
    _require_reader(request.user)
    with transaction.atomic():
        secret = CalendarToken.issue(request.user)
    # The secret is in this page only: it is not stored, nor put in a message or a redirect.
    messages.success(request, "Nouveau lien de calendrier créé : l'ancien lien ne fonctionne plus.")
    response = _mine_page(
        request, feed_url=request.build_absolute_uri(reverse("deadlines:feed", args=[secret]))
    )
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def feed(request, token: str):
    found = CalendarToken.find(token)
    if found is None or not selectors.may_see_deadlines(found.user):
        raise Http404("Calendrier introuvable.")
    body = ical.calendar(
        selectors.my_deadlines(found.user), name=f"PNSR — échéances {de_name(found.user)}"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="echeances-pnsr.ics"'
    # References and debtors' names: an export, in the name of the link's owner.
    journal.record(
        request, AccessKind.LIST_EXPORTED, target="Calendrier des échéances", user=found.user
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _case(request, reference: str):
    _require_reader(request.user)
    return access.get_case_for_user(request.user, reference)


def prescription_context(case) -> dict:
    """The « pourquoi cette date » of each claim, for the case page and the deadlines page:
    its chain of acts and suspensions with their effect, and the resulting date."""
    excluded = {c.pk for c in case.excluded_claims()}
    return {
        "prescriptions": prescription.explain(case),
        "excluded_claim_ids": excluded,
    }


def prescription_panel(user, case) -> dict:
    """The case page's prescription panel (its page gives `excluded_claim_ids`)."""
    return {"prescriptions": prescription.explain(case)}


def _render_case(
    request,
    case,
    *,
    add_form=None,
    suspension_form=None,
    errors=None,
    act_errors=None,
    suspension_errors=None,
    court_form=None,
    status=200,
):
    today = timezone.localdate()
    deadlines = list(case.deadlines.select_related("closed_by").order_by("status", "due_date"))
    for deadline in deadlines:
        deadline.case = case
    calendar.prefetch_source_decisions(deadlines)
    for deadline in deadlines:
        deadline.left = deadline.days_left(today)
        deadline.form_errors = (errors or {}).get(deadline.pk)
        deadline.notes = calendar.deadline_notes(deadline) if deadline.is_open else []
    may_act = access.may_act_for_pole(request.user, case)
    acts = list(case.procedure_acts.all())
    for act in acts:
        act.form_errors = (act_errors or {}).get(act.pk)
    starting_acts = list(case.starting_acts.filter(served_on__isnull=False))
    for act in starting_acts:
        act.form_errors = (act_errors or {}).get(f"starting:{act.pk}")
    suspensions = list(PrescriptionSuspension.objects.filter(case=case).select_related("claim"))
    for suspension in suspensions:
        suspension.form_errors = (suspension_errors or {}).get(suspension.pk)
    context = {
        **prescription_context(case),
        "suspensions": suspensions,
        "suspension_form": suspension_form or SuspensionForm(case=case),
        "end_suspension_form": EndSuspensionForm(),
        "outcome_form": ActOutcomeForm(),
        "case": case,
        "deadlines": deadlines,
        "acts": acts,
        "starting_acts": starting_acts,
        "local_law": services.local_law_applies(case),
        "local_calendar": services.local_calendar(case),
        "may_act": may_act,
        "add_form": add_form or ManualDeadlineForm(),
        "done_form": DoneForm(),
        "cancel_form": CancelForm(),
        "correct_form": CorrectActForm(),
        "court_form": court_form or CourtDepartementForm(initial=initial_court(case)),
        "calendar_departement": calendar.calendar_departement(case),
        "default_departement": calendar.default_court_departement(case),
        "late_appeals": calendar.late_appeals(case),
    }
    return render(request, "deadlines/case.html", context, status=status)


def initial_court(case) -> dict:
    return {"departement": case.court_departement}


def case_deadlines(request, reference: str):
    case = _case(request, reference)
    journal.record(request, AccessKind.CASE_VIEWED, case=case, target="Échéances du dossier")
    return _render_case(request, case)


def _require_actor(request, case) -> None:
    if not access.may_act_for_pole(request.user, case):
        raise PermissionDenied(
            "Seuls le juriste du dossier et le chef du pôle gèrent ses échéances."
        )


def _apply(request, case, form, operation, success, **page):
    """Validate `form` and run `operation(**cleaned_data)`: on success, `success` (a text,
    or a function of the result) and back to the case's deadlines; otherwise the page
    again with the form's errors (`page` names where they show: `add_form`, `errors`,
    `act_errors`)."""
    if form.is_valid():
        try:
            result = operation(**form.cleaned_data)
        except (ValidationError, OutOfCalendar) as error:
            form.add_error(None, str(error) if isinstance(error, OutOfCalendar) else error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect("deadlines:case", case.reference)
    page = {
        key: (form if key.endswith("_form") else {value: form.errors})
        for key, value in page.items()
    }
    return _render_case(request, case, status=422, **page)


def _recomputed(moved) -> str:
    return f"Date corrigée ; {len(moved)} échéance(s) recalculée(s)."


@require_POST
def add(request, reference: str):
    case = _case(request, reference)
    _require_actor(request, case)
    operation = partial(services.add_manual_deadline, case, request.user)
    form = ManualDeadlineForm(request.POST)
    return _apply(request, case, form, operation, "Échéance ajoutée.", add_form=None)


def _deadline(request, pk: int):
    deadline = get_object_or_404(Deadline.objects.select_related("case"), pk=pk)
    case = _case(request, deadline.case.reference)
    _require_actor(request, case)
    return deadline, case


@require_POST
def done(request, pk: int):
    deadline, case = _deadline(request, pk)
    operation = partial(services.mark_done, deadline, request.user)
    form = DoneForm(request.POST)
    message = "Échéance marquée comme respectée."
    return _apply(request, case, form, operation, message, errors=deadline.pk)


@require_POST
def cancel(request, pk: int):
    deadline, case = _deadline(request, pk)
    operation = partial(services.cancel, deadline, request.user)
    form = CancelForm(request.POST)
    return _apply(request, case, form, operation, "Échéance annulée.", errors=deadline.pk)


@require_POST
def correct_starting_act(request, pk: int):
    """Correct the date a starting act was served: its deadlines are recomputed."""
    act = get_object_or_404(StartingAct.objects.select_related("case"), pk=pk)
    case = _case(request, act.case.reference)
    _require_actor(request, case)
    operation = partial(services.correct_starting_act, act, request.user)
    form = CorrectActForm(request.POST)
    return _apply(request, case, form, operation, _recomputed, act_errors=f"starting:{act.pk}")


@require_POST
def correct_act(request, pk: int):
    """Correct the date of a procedure act: its deadlines are recomputed."""
    act = get_object_or_404(ProcedureAct.objects.select_related("case"), pk=pk)
    case = _case(request, act.case.reference)
    _require_actor(request, case)
    operation = partial(services.correct_procedure_act, act, request.user)
    form = CorrectActForm(request.POST)
    return _apply(request, case, form, operation, _recomputed, act_errors=act.pk)


@require_POST
def set_court(request, reference: str):
    """The court's département: its public holidays count for the case's deadlines, which
    are recomputed."""
    case = _case(request, reference)
    _require_actor(request, case)
    operation = partial(court.set_court_departement, case, request.user)
    form = CourtDepartementForm(request.POST)
    return _apply(
        request,
        case,
        form,
        operation,
        lambda moved: (
            f"Département du tribunal enregistré ; {len(moved)} échéance(s) recalculée(s)."
        ),
        court_form=None,
    )


def calculator(request):
    """« Calculateur de délais », for every signed-in user: a simple deadline and the
    saisie immobilière calendar, from the dates in the query string (GET: nothing is
    saved). Bad input: the form again with French messages, status 400."""
    which = request.GET.get("calcul")
    simple = SimpleDeadlineForm(request.GET if which == "simple" else None, prefix="d")
    saisie = SaisieForm(request.GET if which == "saisie" else None, prefix="s")
    local = LocalLawForm(request.GET if which == "local" else None, prefix="l")
    context = {
        "simple_form": simple,
        "saisie_form": saisie,
        "local_form": local,
        "simple": None,
        "calendar": None,
        "local_calendar": None,
    }
    status = 200
    if which == "simple":
        if simple.is_valid():
            try:
                context["simple"] = sums.simple_deadline(**simple.cleaned_data)
            except ValueError as error:
                simple.add_error(None, str(error))
        status = 200 if context["simple"] else 400
    elif which == "saisie":
        if saisie.is_valid():
            try:
                context["calendar"] = sums.saisie(SaisieDates(**saisie.cleaned_data))
            except SaisieSequenceError as error:
                for problem in error.problems:
                    saisie.add_error(None, problem)
            except ValueError as error:
                saisie.add_error(None, str(error))
        status = 200 if context["calendar"] else 400
    elif which == "local":
        if local.is_valid():
            try:
                context["local_calendar"] = sums.local(LocalDates(**local.cleaned_data))
            except SaisieSequenceError as error:
                for problem in error.problems:
                    local.add_error(None, problem)
        status = 200 if context["local_calendar"] else 400
    return render(request, "deadlines/calculator.html", context, status=status)


def _prescribed_moved(moved) -> str:
    return f"Enregistré ; prescription recalculée pour {len(moved)} créance(s)."


@require_POST
def add_suspension(request, reference: str):
    """A suspension of the prescription (sursis de paiement, procédure collective…)."""
    case = _case(request, reference)
    _require_actor(request, case)
    operation = partial(services.record_suspension, case, request.user)
    form = SuspensionForm(request.POST, case=case)
    message = "Suspension de la prescription enregistrée."
    return _apply(request, case, form, operation, message, suspension_form=None)


@require_POST
def end_suspension(request, pk: int):
    suspension = get_object_or_404(PrescriptionSuspension.objects.select_related("case"), pk=pk)
    case = _case(request, suspension.case.reference)
    _require_actor(request, case)
    operation = partial(services.end_suspension, suspension, request.user)
    form = EndSuspensionForm(request.POST)
    message = "Fin de la suspension enregistrée : la prescription court de nouveau."
    return _apply(request, case, form, operation, message, suspension_errors=suspension.pk)


@require_POST
def act_outcome(request, pk: int):
    """A désistement, a péremption, a caducité…: the interruption is wiped out (2243)."""
    act = get_object_or_404(StartingAct.objects.select_related("case"), pk=pk)
    case = _case(request, act.case.reference)
    _require_actor(request, case)
    operation = partial(services.record_act_outcome, act, request.user)
    form = ActOutcomeForm(request.POST)
    return _apply(
        request, case, form, operation, _prescribed_moved, act_errors=f"starting:{act.pk}"
    )
