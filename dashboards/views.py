"""/pilotage/: the four dashboards, their exports and the cases behind each figure."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

from cases import access, journal
from cases.enums import AccessKind
from cases.models import prescription_horizon
from cases.replica import lag_notice, reads_from_replica

from .figures import FIGURES, BadParameter
from .filters import FilterForm, Filters
from .labels import describe
from .panels import DASHBOARDS

FILTER_NAMES = {"debut", "fin", "pas", "direction", "action", "demande", "juriste"}
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _refuse_outsiders(request) -> None:
    if not access.may_see_dashboards(request.user):
        raise PermissionDenied("Les tableaux de bord sont réservés au pilotage et au pôle.")


def _filters(request) -> tuple[FilterForm, Filters | None]:
    _refuse_outsiders(request)
    form = FilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    f = Filters.from_form(form)
    # Show the period and step actually used (the defaults when the fields were empty).
    form.data = form.data.copy()
    form.data.update({"debut": f.start.isoformat(), "fin": f.end.isoformat(), "pas": f.step})
    return form, f


@login_required
def index(request):
    _refuse_outsiders(request)
    url = reverse("dashboards:show", args=["avis"])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@login_required
@reads_from_replica
def show(request, slug: str):
    dashboard = DASHBOARDS.get(slug)
    if dashboard is None:
        raise Http404("Tableau de bord introuvable.")
    form, f = _filters(request)
    tables = [build(f) for build in dashboard.tables] if f else []
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "dashboard": dashboard,
            "dashboards": DASHBOARDS.values(),
            "form": form,
            "filters": f,
            "tables": tables,
            "querystring": f.querystring() if f else "",
            "replica_lag": lag_notice(),
        },
        status=200 if f else 400,
    )


@login_required
@reads_from_replica
def export(request, slug: str, table: str, fmt: str):
    dashboard = DASHBOARDS.get(slug)
    build = dashboard.table(table) if dashboard else None
    if build is None or fmt not in EXPORTS:
        raise Http404("Tableau introuvable.")
    form, f = _filters(request)
    if f is None:
        return HttpResponse(
            "Filtres invalides : " + " ".join(m for errs in form.errors.values() for m in errs),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    result = build(f)
    content = result.to_csv() if fmt == "csv" else result.to_xlsx()
    response = HttpResponse(content, content_type=EXPORTS[fmt])
    name = f"pnsr-{slugify(result.title)}-{f.start:%Y%m%d}-{f.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    journal.record(request, AccessKind.LIST_EXPORTED, target=f"{result.title} ({fmt.upper()})")
    return response


@login_required
@reads_from_replica
def cases(request):
    form, f = _filters(request)
    figure = FIGURES.get(request.GET.get("figure", ""))
    if figure is None:
        raise Http404("Indicateur introuvable.")
    params = {k: v for k, v in request.GET.items() if k not in FILTER_NAMES | {"figure", "page"}}
    if f is None:
        return render(
            request, "dashboards/cases.html", {"form": form, "figure": figure}, status=400
        )
    try:
        found = figure.cases(f, params)
        details = describe(f, params, dated=bool(figure.date))
    except (BadParameter, ValueError):
        return render(
            request,
            "dashboards/cases.html",
            {"form": form, "figure": figure, "bad_link": True},
            status=400,
        )
    found = (
        found.select_related("direction", "poste_comptable", "action_type", "debtor")
        .with_amounts()
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(found, settings.CASES_PER_PAGE).get_page(request.GET.get("page"))
    journal.record(request, AccessKind.LIST_VIEWED, target=figure.label)
    return render(
        request,
        "dashboards/cases.html",
        {
            "form": form,
            "figure": figure,
            "filters": f,
            "details": details,
            "page": page,
            "prescription_horizon": prescription_horizon(),
        },
    )
