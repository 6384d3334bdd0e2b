"""Task pages: the lists (inbox, queue, archive, team), a step's page, and the head's
actions on a case's process. Thin: fetch through cases.access, validate, call a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from viewflow.workflow import chart

from cases import (
    access,
    collective,
    comparables,
    formatting,
    journal,
    parties,
    proceedings,
    submissions,
    workspace,
)
from cases import views as case_views
from cases.enums import CLOSED_STATUSES, AccessKind, BulkAction, Mode
from cases.forms import TransitionForm
from cases.lifecycle import LifecycleError
from cases.models import Case, Lawyer
from cases.pagination import IdsFirstPaginator
from deadlines import rules
from deadlines.engine import OutOfCalendar

from . import bulk, selectors, services, targets
from .flows import CaseFlow
from .forms import BulkForm, ReasonForm, ReassignForm, StepTargetsForm
from .steps import STEPS, jurists


def ids(form: str) -> dict:
    """A page's second form gets ids of its own (`id_<form>_<field>`; the names posted do
    not change): two forms with a `reason` field on one page would otherwise both have
    `id_reason`, and the second one's label would point to the first one's field."""
    return {"auto_id": f"id_{form}_%s"}


def _errors(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


TASKS_PER_PAGE = 50


def _task_list(request, tasks, *, tab: str, title: str, empty: str):
    """A list of tasks a page at a time (the pôle's queue holds thousands at national
    scale), the oldest first."""
    page = IdsFirstPaginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"tasks": page.object_list, "page": page, "tab": tab, "title": title, "empty": empty}
    if tab != "archive":
        context["tasks"] = targets.annotate(page.object_list)  # each open step's age and target
        context.update(case_views.bulk_choices(request.user))  # their cases' bulk form
    return render(request, "workflows/task_list.html", context)


def inbox(request):
    return _task_list(
        request,
        selectors.inbox(request.user),
        tab="inbox",
        title="Mes tâches",
        empty="Aucune tâche ne vous est confiée.",
    )


def queue(request):
    return _task_list(
        request,
        selectors.queue(request.user),
        tab="queue",
        title="Tâches à prendre",
        empty="Aucune tâche en attente dans vos files.",
    )


def archive(request):
    return _task_list(
        request,
        selectors.archive(request.user),
        tab="archive",
        title="Tâches terminées",
        empty="Vous n'avez encore terminé aucune tâche.",
    )


def team(request):
    if not access.is_head(request.user):
        raise PermissionDenied("Réservé au chef du pôle.")
    people, unheld = selectors.team_load()
    people = list(people)
    away = access.replacements_for(person.pk for person in people)
    for person in people:
        person.replaced_by = away.get(person.pk)
    pole = [person for person in people if person.role in access.POLE_ROLES]
    return render(
        request,
        "workflows/team.html",
        {
            "people": people,
            "unheld": unheld,
            "tab": "team",
            "leaving": [person for person in pole if person.open_steps or person.cases],
            "jurists": jurists(),
            "late": targets.late_steps(),
        },
    )


# A step's page -----------------------------------------------------------------------


def _task_and_case(request, task_id: int):
    task = get_object_or_404(
        CaseFlow.task_class.objects.select_related("owner", "process"),
        pk=task_id,
        process__flow_class=CaseFlow,
        flow_task_type="HUMAN",
    )
    case = selectors.case_of(task)
    if not access.can_view(request.user, case):
        raise Http404("Tâche introuvable.")
    return task, case


def _step_context(user, task, case) -> dict:
    """What a step's page shows beside its form (the opinion as the user may read it:
    outside the pôle, only once validated)."""
    name = task.flow_task.name
    context = {}
    if name in ("write_opinion", "validate_opinion", "follow_up"):
        context["opinion"] = opinion = access.visible_opinion(user, case)
        if opinion is not None:
            context["opinion_comparables"] = comparables.for_display(opinion.comparables)
    # Issue 24: beside the opinion being written, what the pôle's history says now.
    if (
        name == "write_opinion"
        and task.status in services.ACTIVE
        and access.may_see_comparables(user, case)
    ):
        context["comparables"] = comparables.for_display(comparables.comparables(case))
    if name in ("hearings", "decision"):
        context["hearings"] = case.hearings.order_by("scheduled_at", "pk")
    if name == "appeal_decision":
        context["decision"] = case.decisions.order_by("-decided_on", "-pk").first()
        context["deadline_note"] = services.deadline_note(case)
    if name == "execution":
        context["recoveries"] = case.recoveries.order_by("received_on", "pk")
        context["recovered_total"] = proceedings.recovered_total(case)
        context["decisions"] = case.decisions.order_by("decided_on", "pk")
    if name in ("execution", "distribution"):
        # The distribution of the price (workflows.distribution), the latest one.
        context["distribution"] = (
            case.distributions.prefetch_related("creditors").order_by("-pk").first()
        )
    if name == "declare_claim":
        context.update(collective_panel(user, case) or {})
    if name in ("starting_act", "hearings", "decision", "appeal_decision", "execution"):
        context["mandate"] = case.mandates.filter(revoked_on__isnull=True).first()
    # Saisie immobilière: the sale's hearings, the sales and what became of them.
    if name in ("amicable_sale", "forced_sale", "distribution"):
        context["hearings"] = case.hearings.order_by("scheduled_at", "pk")
        context["sales"] = case.sales.order_by("sold_on", "pk")
        context["mandate"] = case.mandates.filter(revoked_on__isnull=True).first()
    if name == "distribution":
        context["recoveries"] = case.recoveries.order_by("received_on", "pk")
        context["recovered_total"] = proceedings.recovered_total(case)
        context["decisions"] = case.decisions.order_by("decided_on", "pk")
    # Issue 17: the parties on the takeover steps; what the action still needs of them;
    # whether the mandated lawyer pleads before the courts the case has named.
    if name in TAKEOVER_STEPS:
        context["case_parties"] = parties.case_parties(case)
        context["bar_warnings"] = parties.case_court_warnings(case)
    if name == "starting_act":
        context["missing_parties"] = parties.missing_parties(case)
    return context


TAKEOVER_STEPS = ("mandate_lawyer", "starting_act", "hearings", "decision", "appeal_decision")


def _render_task(request, task, case, *, form=None, side_forms=None, status=200):
    step = STEPS[task.flow_task.name]
    user = request.user
    can_act = services.may_complete(user, task, case)
    if form is None and step.form_class is not None:
        draft = task.data.get("draft") if task.status in services.ACTIVE else None
        initial = None if draft else step.initial_for(case)
        form = step.form_class(draft or None, case=case, user=user, initial=initial)
        if draft:
            form.is_valid()  # show what is still wrong in the saved draft
    side_forms = side_forms or {}
    sides = [
        {
            "name": name,
            "label": action.label,
            "form": side_forms.get(name) or action.form_class(case=case, user=user, **ids(name)),
        }
        for name, action in step.side_actions.items()
    ]
    context = {
        "task": task,
        "timing": (
            targets.timing(task, targets.targets().get(task.flow_task.name))
            if task.status in services.ACTIVE
            else None
        ),
        "case": case,
        "step": step,
        "form": form,
        "sides": sides,
        "error_forms": [form, *side_forms.values()],
        "can_act": can_act,
        "can_take": services.may_take(user, task),
        "can_release": services.may_release(user, task),
        "is_manager": services.is_manager(user),
        "reason_form": ReasonForm(**ids("cancel")),
        "draft_version": services.draft_version(task),
        "summary_open": task.flow_task.name in ("receivability", "assignment"),
        **_step_context(user, task, case),
    }
    # Technical support is an exchange of messages: its page shows the case's thread.
    context["thread"] = task.flow_task.name == "support"
    if context["thread"]:
        context.update(case_views.thread_context(request, case))
    return render(request, "workflows/task.html", context, status=status)


# Not the step's values: the page's own fields.
NOT_VALUES = ("csrfmiddlewaretoken", "action", "draft_version", submissions.FORM_TOKEN)


def _posted_draft_version(request) -> int | None:
    """The draft's version the step's page was loaded with (its hidden field), if sent."""
    value = request.POST.get("draft_version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def task_page(request, task_id: int):
    task, case = _task_and_case(request, task_id)
    step = STEPS[task.flow_task.name]
    if request.method != "POST":
        if step.form_class is None and services.may_complete(request.user, task, case):
            return redirect("cases:edit", reference=case.reference)
        journal.record(request, AccessKind.STEP_VIEWED, case=case, target=services.step_title(task))
        return _render_task(request, task, case)
    try:
        services.check_may_complete(request.user, task, case)
    except LifecycleError as error:
        if task.status in services.ACTIVE:
            raise PermissionDenied(str(error)) from None
        messages.error(request, str(error))  # done or cancelled meanwhile
        return redirect(case)
    if step.form_class is None:  # ends by resubmitting the referral
        return redirect("cases:edit", reference=case.reference)
    form = step.form_class(request.POST, request.FILES, case=case, user=request.user)
    values = form.draft_values()
    try:
        if request.POST.get("action") == "draft":
            if not form.is_valid_draft():
                messages.error(
                    request, "Le brouillon n'est pas enregistré : corrigez le formulaire."
                )
                return _render_task(request, task, case, form=form, status=422)
            services.save_draft(
                task.pk, request.user, values, expected_version=_posted_draft_version(request)
            )
            messages.success(request, "Brouillon enregistré : vous pourrez reprendre plus tard.")
            return redirect("workflows:task", task_id=task.pk)
        if not form.is_valid():
            messages.error(request, "L'étape n'est pas validée : corrigez le formulaire.")
            return _render_task(request, task, case, form=form, status=422)
        services.complete_task(task.pk, request.user, form.cleaned_data, values)
    except services.StaleDraft as stale:
        messages.warning(
            request,
            f"Le brouillon de cette étape a été modifié entre-temps par {stale.by} le "
            f"{formatting.long_datetime(stale.at)} (dans un autre onglet ?). Rien n'a été "
            "enregistré ; vos saisies sont conservées ci-dessous. Rouvrez l'étape dans un "
            "autre onglet pour voir ce brouillon, reportez ici ce qu'il faut en garder, puis "
            "enregistrez à nouveau : votre brouillon remplacera alors le sien.",
        )
        task.refresh_from_db()
        return _render_task(request, task, case, form=form, status=409)
    except (LifecycleError, ValidationError, OutOfCalendar) as error:
        messages.error(request, _errors(error))
        task.refresh_from_db()
        return _render_task(request, task, case, form=form, status=409)
    messages.success(request, f"Étape « {services.step_title(task)} » terminée ({case.reference}).")
    _warn(request, form)
    return redirect(case)


def _warn(request, form) -> None:
    """What the form warned of without refusing it (issue 17: the lawyer's bar)."""
    for warning in getattr(form, "warnings", ()):
        messages.warning(request, warning)


@require_POST
def side_action(request, task_id: int, name: str):
    task, case = _task_and_case(request, task_id)
    action = STEPS[task.flow_task.name].side_actions.get(name)
    if action is None:
        raise Http404("Action inconnue.")
    return submissions.once(request, lambda: _side_action(request, task, case, name, action))


def _side_action(request, task, case, name: str, action):
    form = action.form_class(
        request.POST, request.FILES or None, case=case, user=request.user, **ids(name)
    )
    if not form.is_valid():
        messages.error(request, f"« {action.label} » : corrigez le formulaire.")
        return _render_task(request, task, case, side_forms={name: form}, status=422)
    try:
        services.run_side_action(task.pk, request.user, name, form.cleaned_data)
    except (LifecycleError, ValidationError, OutOfCalendar) as error:
        messages.error(request, _errors(error))
        return _render_task(request, task, case, side_forms={name: form}, status=409)
    messages.success(request, f"« {action.label} » enregistré.")
    _warn(request, form)
    return redirect("workflows:task", task_id=task.pk)


@require_POST
def take(request, task_id: int):
    task, case = _task_and_case(request, task_id)
    try:
        services.take(task.pk, request.user)
    except LifecycleError as error:
        messages.error(request, str(error))
        return redirect("workflows:queue")
    messages.success(request, f"Vous avez pris l'étape « {services.step_title(task)} ».")
    return redirect("workflows:task", task_id=task.pk)


@require_POST
def release(request, task_id: int):
    task, case = _task_and_case(request, task_id)
    try:
        services.release(task.pk, request.user)
    except LifecycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "L'étape est remise dans la file.")
    return redirect("workflows:inbox")


@require_POST
def cancel(request, task_id: int):
    task, case = _task_and_case(request, task_id)
    return submissions.once(request, lambda: _cancel(request, task, case))


def _cancel(request, task, case):
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Indiquez le motif de l'annulation.")
        services.cancel_step(task.pk, request.user, form.cleaned_data["reason"])
    except (LifecycleError, ValidationError) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"Étape « {services.step_title(task)} » annulée et relancée.")
    return redirect(case)


# The case's process ------------------------------------------------------------------


def chart_page(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    process = selectors.process_for(case)
    open_tasks = services.active_tasks(process) if process else []
    journal.record(request, AccessKind.CASE_VIEWED, case=case, target="Schéma du circuit")
    return render(
        request,
        "workflows/chart.html",
        {"case": case, "open_tasks": open_tasks, "focus": _chart_focus(open_tasks)},
    )


def _chart_focus(open_tasks) -> str:
    """Where the chart's current step is, across its width (0 to 1): the page scrolls
    the chart there (the chart is wider than a screen; the step was off to the right)."""
    if not open_tasks:
        return ""
    grid = chart.calc_layout_data(CaseFlow)
    cells = [grid[task.flow_task] for task in open_tasks]
    if not grid.width:
        return ""
    middle = sum(cell.shape.x + cell.shape.width / 2 for cell in cells) / len(cells)
    return f"{middle / grid.width:.4f}"


def chart_svg(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    grid = chart.calc_layout_data(CaseFlow)
    process = selectors.process_for(case)
    if process is not None:
        chart.calc_cell_status(CaseFlow, grid, process.pk)
    for edge in grid.edges:  # viewflow labels If gateways' edges in English
        edge.label = {"yes": "oui", "no": "non"}.get(edge.label, edge.label)
    for cell in grid.cells:
        # viewflow's template title-cases a node's first text line ("Attribuer Le
        # Dossier"); an empty first line keeps our French titles as written.
        if cell.shape.text:
            cell.shape.text.insert(0, ("", "align-middle", 1, 0, 0))
    response = HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response


@require_POST
def undo(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    return submissions.once(request, lambda: _undo(request, case))


def _undo(request, case):
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Indiquez le motif.")
        task = services.undo_step(case, request.user, form.cleaned_data["reason"])
    except (LifecycleError, ValidationError) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"Étape « {services.step_title(task)} » rouverte.")
    return redirect(case)


@require_POST
def reassign(request, reference: str):
    case = access.get_case_for_user(request.user, reference)
    if not access.is_head(request.user):
        raise PermissionDenied("Seul le chef du pôle attribue les dossiers.")
    return submissions.once(request, lambda: _reassign(request, case))


def _reassign(request, case):
    form = ReassignForm(request.POST, case=case)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(e for errs in form.errors.values() for e in errs))
        services.reassign(
            case,
            request.user,
            jurist=form.cleaned_data["jurist"],
            expert=form.cleaned_data.get("expert"),
        )
    except (LifecycleError, ValidationError) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "Dossier réattribué ; ses étapes en cours suivent.")
    return redirect(case)


@require_POST
def out_of_course(request, reference: str, name: str):
    """Close (head) or withdraw (referring side) a case outside its normal course."""
    case = access.get_case_for_user(request.user, reference)
    if name not in services.out_of_course_actions(request.user, case):
        raise PermissionDenied("Action impossible sur ce dossier.")
    return submissions.once(request, lambda: _out_of_course(request, case, name))


def _out_of_course(request, case, name: str):
    form = TransitionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if name == "close":
            services.close_case(
                case,
                request.user,
                reason=reason,
                closure_reason=form.cleaned_data.get("closure_reason", ""),
            )
        else:
            services.withdraw(case, request.user, reason=reason)
    except (LifecycleError, ValidationError) as error:
        messages.error(request, _errors(error))
    else:
        label = "Dossier clos" if name == "close" else "Demande retirée"
        messages.success(request, f"{label} ({case.reference}).")
    return redirect(case)


def case_panel(user, case: Case) -> dict:
    """The process part of the case page: current steps, who holds them, what the user
    may do (and only that)."""
    process = selectors.process_for(case)
    if process is None:
        return {"process": None}
    return {
        "process": process,
        "open_tasks": selectors.open_steps(user, case, process),
        "is_manager": services.is_manager(user),
        "out_of_course": services.out_of_course_actions(user, case),
        "reassign_form": ReassignForm(case=case, **ids("reassign"))
        if access.is_head(user)
        else None,
        "reason_form": ReasonForm(**ids("undo")),
        "transition_form": TransitionForm(),
    }


def lawyers(request):
    """The lawyers' directory, for the pôle (kept by an administrator in the admin)."""
    if not request.user.is_pole:
        raise PermissionDenied("L'annuaire des avocats est réservé au pôle.")
    directory = Lawyer.objects.filter(active=True).annotate(
        open_mandates=Count(
            "mandates",
            filter=Q(mandates__revoked_on__isnull=True)
            & ~Q(mandates__case__status__in=CLOSED_STATUSES),
        )
    )
    return render(request, "workflows/lawyers.html", {"lawyers": directory, "tab": "lawyers"})


def collective_panel(user, case: Case) -> dict | None:
    """The debtor's collective proceedings on the case page (and the declaration step's):
    each proceeding, whether it stopped this case's action (C. com. L.622-21) and the
    liquidateur's subrogation (L.642-18), the declaration of the claim and its deadline,
    and after a closure for insuffisance d'actif the way to an L.267 action. None when
    there is nothing to say."""
    proceedings_ = list(collective.proceedings_of(case).select_related("case"))
    if not proceedings_:
        return None
    return {
        "collective_proceedings": proceedings_,
        "collective_stopped": list(case.stopped_actions.select_related("proceeding")),
        "collective_declarations": list(case.claim_declarations.order_by("declared_on", "pk")),
        "collective_deadlines": list(
            case.deadlines.filter(template__in=(rules.DECLARATION, rules.RELEVE)).order_by(
                "due_date", "pk"
            )
        ),
        "collective_l267": any(p.opens_l267 for p in proceedings_),
    }


def opinion_panel(user, case: Case) -> dict | None:
    """The opinion on the case page (issue 24), for its reviewer and whoever may read it:
    the version the user may read (`access.visible_opinion`: outside the pôle, only once
    validated), its risk grid and the comparables it froze. None on a case that asks for no
    opinion, or before there is one to read."""
    if case.mode != Mode.AVIS:
        return None
    opinion = access.visible_opinion(user, case)
    if opinion is None:
        return None
    return {
        "panel_opinion": opinion,
        "panel_opinion_comparables": comparables.for_display(opinion.comparables),
    }


# Bulk actions on the case list (workflows.bulk) ---------------------------------------

BULK_RESULT = "bulk_result"


BULK_FROM_TASKS = ("inbox", "queue")


def _back(request) -> str:
    """The task list the action came from, or the case list as it was (its filters, sort,
    columns and page)."""
    if request.POST.get("back_list") in BULK_FROM_TASKS:
        return reverse(f"workflows:{request.POST['back_list']}")
    query = QueryDict(request.POST.get("back", ""))
    kept = workspace.list_query(query)
    if query.get("page"):
        kept = f"{kept}&page={query['page']}" if kept else f"page={query['page']}"
    return f"{reverse('cases:list')}?{kept}" if kept else reverse("cases:list")


def _lines(lines: list[bulk.Line]) -> list[dict]:
    """The lines as the pages show them (and the session keeps them for the result)."""
    return [
        {
            "pk": line.case.pk,
            "reference": line.case.reference,
            "url": line.case.get_absolute_url(),
            "debtor": str(line.case.debtor) if line.case.debtor_id else "",
            "outcome": line.outcome,
            "text": line.text,
        }
        for line in lines
    ]


def _bulk_of(data) -> bulk.Bulk:
    return bulk.Bulk(
        action=data["action"],
        label=data.get("label"),
        jurist=data.get("jurist"),
        from_jurist=data.get("from_jurist"),
        body=data.get("body") or "",
    )


@require_POST
def bulk_action(request):
    """First POST: the confirmation page (what will happen to each case); the second
    (`confirm`): done case by case, then the result page."""
    if not access.bulk_actions(request.user):
        raise PermissionDenied("Les actions sur plusieurs dossiers sont réservées au pôle.")
    form = BulkForm(request.POST, user=request.user)
    back = _back(request)
    if not form.is_valid():
        context = {"form": form, "back": back}
        return render(request, "workflows/bulk_confirm.html", context, status=422)
    data = form.cleaned_data
    action = _bulk_of(data)
    if data["from_jurist"] and not data["cases"]:
        cases = bulk.jurist_work(request.user, data["from_jurist"])
    else:
        cases = bulk.selected(request.user, data["cases"])
    if request.POST.get("confirm") != "1":
        lines = bulk.plan(request.user, action, cases)
        return render(
            request,
            "workflows/bulk_confirm.html",
            {
                "form": form,
                "bulk": action,
                "title": BulkAction(action.action).label,
                "lines": _lines(lines),
                "todo": sum(line.outcome == bulk.TODO for line in lines),
                "back": back,
                "back_query": request.POST.get("back", ""),
                "back_list": request.POST.get("back_list", "")
                if request.POST.get("back_list") in BULK_FROM_TASKS
                else "",
            },
        )
    return submissions.once(request, lambda: _bulk_run(request, action, cases, back))


def _bulk_run(request, action: bulk.Bulk, cases, back: str):
    lines = bulk.run(request.user, action, cases)
    request.session[BULK_RESULT] = {
        "title": BulkAction(action.action).label,
        "back": back,
        "lines": _lines(lines),
    }
    return redirect("workflows:bulk_result")


def bulk_result(request):
    result = request.session.get(BULK_RESULT)
    if result is None or not access.bulk_actions(request.user):
        raise Http404("Aucune action sur plusieurs dossiers à afficher.")
    lines = result["lines"]
    counts = {
        outcome: sum(line["outcome"] == outcome for line in lines)
        for outcome in (bulk.DONE, bulk.UNCHANGED, bulk.REFUSED)
    }
    return render(request, "workflows/bulk_result.html", {**result, "counts": counts})


# The head's time targets on the pôle's steps (workflows.targets) -----------------------


def step_targets(request):
    if not access.may_set_step_targets(request.user):
        raise PermissionDenied("Seul le chef du pôle fixe les délais cibles des étapes.")
    form = StepTargetsForm(request.POST or None, current=targets.targets())
    if request.method == "POST":
        if form.is_valid():
            targets.save_targets(request.user, form.rows())
            messages.success(request, "Les délais cibles sont enregistrés.")
            return redirect("workflows:targets")
        status = 422
    else:
        status = 200
    return render(request, "workflows/targets.html", {"form": form, "tab": "team"}, status=status)
