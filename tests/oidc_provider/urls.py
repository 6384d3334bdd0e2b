import os

from django.contrib.auth import login
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import include, path
from django.utils.http import url_has_allowed_host_and_scheme

from .models import LoginChoice


def sign_in(request):
    """Any email, no password; the second factor and the userinfo's form chosen here."""
    if request.method == "POST":
        email = request.POST["email"].strip()
        user, _ = User.objects.get_or_create(username=email.lower(), defaults={"email": email})
        user.email = email
        user.first_name = request.POST.get("given_name", "").strip() or "Agent"
        user.last_name = request.POST.get("usual_name", "").strip() or email.split("@")[0]
        user.save()
        LoginChoice.objects.update_or_create(
            user=user,
            defaults={
                "multi_factor": bool(request.POST.get("mfa")),
                "userinfo_jwt": not request.POST.get("userinfo_json"),
            },
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = "/whoami/"
        return HttpResponseRedirect(next_url)
    emails = [e for e in os.environ.get("OIDC_PROVIDER_EMAILS", "").split(",") if e]
    return render(request, "login.html", {"next": request.GET.get("next", ""), "emails": emails})


def whoami(request):
    return HttpResponse(request.user.email if request.user.is_authenticated else "anonyme")


urlpatterns = [
    path("login/", sign_in),
    path("whoami/", whoami),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
