from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import legal, sessions, sitemap


def home(request):
    return redirect("cases:list")


def csrf_failure(request, reason: str = ""):
    """Django's CSRF refusal, in French and in the site's look."""
    return render(
        request,
        "403.html",
        {
            "exception": "Le formulaire a expiré ou a été envoyé depuis une autre page. "
            "Rechargez la page, puis recommencez."
        },
        status=403,
    )


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a login attempt while the username or the address is locked
    out (AXES_LOCKOUT_CALLABLE), on the login page as on the admin's."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.LOGIN_FAILURE_LIMIT,
            "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
        },
        status=429,
    )


@require_http_methods(["GET", "POST"])
def session_status(request):
    """The idle warning's address: GET tells the seconds left without counting as
    activity (another tab may have been used meanwhile); POST (« Rester connecté ») counts
    as activity."""
    if request.method == "POST":
        sessions.record_activity(request.session, force=True)
    return JsonResponse({"seconds_left": sessions.idle_seconds_left(request.session)})


def bad_request(request, exception=None):
    """Django's 400 (handler400), in French and in the site's look (viewflow ships a
    400.html of its own that would otherwise be found); in JSON, as every API answer, on
    the API's addresses."""
    if request.path.startswith("/api/v1/"):
        return JsonResponse(
            {"detail": "Requête illisible : l'adresse ou ses paramètres sont invalides."},
            status=400,
        )
    return render(request, "400.html", status=400)


# The State's pages: open without login; their texts are templates/legal/ (an administrator's
# versions in LOCAL_TEMPLATES_DIR replace them), their variable parts pnsr/legal.py's.


def _legal_page(request, template: str, **extra):
    return render(request, f"legal/{template}.html", {**legal.context(), **extra})


@login_not_required
@require_GET
def accessibility(request):
    return _legal_page(request, "accessibilite")


@login_not_required
@require_GET
def legal_notice(request):
    return _legal_page(request, "mentions_legales")


@login_not_required
@require_GET
def personal_data(request):
    return _legal_page(request, "donnees_personnelles")


@login_not_required
@require_GET
def site_map(request):
    return _legal_page(request, "plan_du_site", sections=sitemap.sections_for(request.user))
