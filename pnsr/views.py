from django.shortcuts import redirect, render


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


def bad_request(request, exception=None):
    """Django's 400 (handler400), in French and in the site's look (viewflow ships a
    400.html of its own that would otherwise be found)."""
    return render(request, "400.html", status=400)
