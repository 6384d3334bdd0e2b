"""The user's notifications in the application: the list, marking read, preferences.
GET never writes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .enums import Channel
from .forms import PreferencesForm

PER_PAGE = 25


def notification_list(request):
    page = Paginator(selectors.for_user(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


def _back_to_list(request):
    url = reverse("notifications:list")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
def mark_read(request, notification_id: int):
    if not services.mark_read(request.user, notification_id):
        raise Http404("Notification introuvable.")
    return _back_to_list(request)


@require_POST
def open_notification(request, notification_id: int):
    """Opening a notification marks it read, then goes to its case's page."""
    url = services.open_notification(request.user, notification_id)
    if url is None:
        raise Http404("Notification introuvable.")
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("notifications:list")
    return redirect(url)


@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count == 1:
        messages.success(request, "1 notification marquée comme lue.")
    elif count:
        messages.success(request, f"{count} notifications marquées comme lues.")
    return _back_to_list(request)


def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.user, request.POST)
        if form.is_valid():
            services.set_preferences(request.user, form.cleaned_data)
            messages.success(request, "Vos préférences de notification sont enregistrées.")
            return redirect("notifications:preferences")
        messages.error(request, "Vos préférences n'ont pas été enregistrées : choisissez un canal.")
        status = 422
    else:
        form = PreferencesForm(request.user)
        status = 200
    context = {"form": form, "rows": form.rows(), "channels": Channel.choices}
    return render(request, "notifications/preferences.html", context, status=status)
