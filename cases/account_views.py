"""The accounts' pages (/comptes/): the head of the pôle, a direction's administrator and
the site's administrators open, change and disable the accounts `cases.access` gives them.
Thin: the rules are `cases.access`'s, the changes `cases.accounts`'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import absences, access, accounts, postes, submissions
from .forms import AbsenceForm, AccountForm, PosteForm
from .models import AccountChange, PosteComptable

REFUSED = "La gestion des comptes est réservée au chef du pôle et aux administrateurs."


def _manager(request):
    if not access.may_manage_accounts(request.user):
        raise PermissionDenied(REFUSED)
    return request.user


def account_list(request):
    manager = _manager(request)
    rows = (
        access.managed_accounts(manager)
        .select_related("direction", "poste_comptable")
        .order_by("-is_active", "role", "last_name", "first_name", "username")
    )
    intake = set(access.on_intake_duty().values_list("pk", flat=True))
    return render(
        request,
        "cases/accounts/list.html",
        {
            "rows": rows,
            "intake": intake,
            "absent": set(access.absent_today().values_list("pk", flat=True)),
            "may_manage_postes": access.may_manage_postes(manager),
        },
    )


def _data(form, account=None) -> accounts.AccountData:
    data = form.cleaned_data
    return accounts.AccountData(
        username=data.get("username") or account.username,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        role=data["role"],
        direction=data.get("direction"),
        poste_comptable=data.get("poste_comptable"),
        is_active=data.get("is_active", True),
        intake_duty=data.get("intake_duty", False),
    )


@require_http_methods(["GET", "POST"])
def account_create(request):
    manager = _manager(request)
    if request.method == "POST":
        return submissions.once(request, lambda: _create(request, manager))
    form = AccountForm(manager=manager)
    return render(request, "cases/accounts/form.html", {"form": form, "account": None})


def _create(request, manager):
    form = AccountForm(request.POST, manager=manager)
    if form.is_valid():
        try:
            account = accounts.open_account(manager, _data(form))
        except accounts.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Le compte « {account.username} » est ouvert.")
            return redirect("accounts:detail", account.pk)
    return render(request, "cases/accounts/form.html", {"form": form, "account": None}, status=422)


@require_http_methods(["GET", "POST"])
def account_detail(request, account_id: int):
    manager = _manager(request)
    account = access.get_account_for_manager(manager, account_id)
    if request.method == "POST":
        return submissions.once(request, lambda: _change(request, manager, account))
    form = AccountForm(
        manager=manager,
        account=account,
        initial={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": account.email,
            "role": account.role,
            "direction": account.direction_id,
            "poste_comptable": account.poste_comptable_id,
            "is_active": account.is_active,
            "intake_duty": accounts.on_intake_duty(account),
        },
    )
    return _detail_page(request, account, form)


def _detail_page(request, account, form, status=200):
    changes = account.account_changes.select_related(None)[:50]
    manager = request.user
    return render(
        request,
        "cases/accounts/form.html",
        {
            "form": form,
            "account": account,
            "changes": changes,
            "may_manage_absences": access.may_manage_absences(manager, account),
            "may_reset_second_factor": access.may_reset_second_factor(manager, account)
            and TOTPDevice.objects.filter(user=account).exists(),
        },
        status=status,
    )


def _change(request, manager, account):
    form = AccountForm(request.POST, manager=manager, account=account)
    if form.is_valid():
        try:
            accounts.change_account(manager, account, _data(form, account))
        except accounts.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Le compte « {account.username} » est enregistré.")
            return redirect("accounts:detail", account.pk)
    return _detail_page(request, account, form, status=422)


# --- Absences and their replacement (cases.absences) -----------------------------------------


def _absent_account(request, account_id: int):
    manager = _manager(request)
    account = access.get_account_for_manager(manager, account_id)
    if not access.may_manage_absences(manager, account):
        raise PermissionDenied(
            "Les absences et remplacements concernent les juristes, le chef du pôle et les experts."
        )
    return manager, account


def _absences_page(request, account, form, status=200):
    today = timezone.localdate()
    rows = account.absences.select_related("replacement", "created_by", "ended_by")
    return render(
        request,
        "cases/accounts/absences.html",
        {"account": account, "form": form, "rows": rows, "today": today},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def account_absences(request, account_id: int):
    manager, account = _absent_account(request, account_id)
    if request.method == "POST":
        return submissions.once(request, lambda: _record_absence(request, manager, account))
    return _absences_page(request, account, AbsenceForm(account=account))


def _record_absence(request, manager, account):
    form = AbsenceForm(request.POST, account=account)
    if form.is_valid():
        data = form.cleaned_data
        try:
            absences.record_absence(
                manager,
                account,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                replacement=data["replacement"],
            )
        except accounts.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "L'absence est enregistrée.")
            return redirect("accounts:absences", account.pk)
    return _absences_page(request, account, form, status=422)


@require_POST
def absence_end(request, account_id: int, absence_id: int):
    manager, account = _absent_account(request, account_id)
    absence = get_object_or_404(account.absences, pk=absence_id)
    return submissions.once(request, lambda: _end_absence(request, manager, account, absence))


def _end_absence(request, manager, account, absence):
    try:
        absences.end_absence(manager, absence)
    except accounts.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "L'absence est terminée.")
    return redirect("accounts:absences", account.pk)


# --- The second factor reset ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def second_factor_reset(request, account_id: int):
    manager = _manager(request)
    account = access.get_account_for_manager(manager, account_id)
    if not access.may_reset_second_factor(manager, account):
        raise PermissionDenied(
            "Le second facteur d'un compte est réinitialisé par le chef du pôle ou un "
            "administrateur, jamais par son titulaire."
        )
    if request.method == "POST":
        return submissions.once(request, lambda: _reset(request, manager, account))
    enrolled = TOTPDevice.objects.filter(user=account).exists()
    return render(
        request, "cases/accounts/second_factor.html", {"account": account, "enrolled": enrolled}
    )


def _reset(request, manager, account):
    accounts.reset_second_factor(manager, account)
    messages.success(
        request,
        f"Le second facteur de « {account.username} » est réinitialisé : "
        "une nouvelle application lui sera demandée à sa prochaine connexion.",
    )
    return redirect("accounts:detail", account.pk)


# --- Postes comptables (cases.postes) ------------------------------------------------------

POSTES_REFUSED = (
    "La gestion des postes comptables est réservée aux administrateurs des directions et du site."
)


def _poste_manager(request):
    if not access.may_manage_postes(request.user):
        raise PermissionDenied(POSTES_REFUSED)
    return request.user


def _postes_page(request, manager, form, status=200):
    rows = (
        access.managed_postes(manager)
        .select_related("direction")
        .order_by("-active", "direction__code", "name")
    )
    changes = AccountChange.objects.filter(
        poste_comptable__in=access.managed_postes(manager)
    ).select_related("poste_comptable")[:50]
    return render(
        request,
        "cases/accounts/postes.html",
        {"rows": rows, "form": form, "changes": changes},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def poste_list(request):
    manager = _poste_manager(request)
    if request.method == "POST":
        return submissions.once(request, lambda: _open_poste(request, manager))
    return _postes_page(request, manager, PosteForm(manager=manager))


def _open_poste(request, manager):
    form = PosteForm(request.POST, manager=manager)
    if form.is_valid():
        data = form.cleaned_data
        try:
            poste = postes.open_poste(
                manager,
                postes.PosteData(
                    direction=data["direction"],
                    name=data["name"],
                    kind=data["kind"],
                    codique=data["codique"],
                    mailbox=data["mailbox"],
                ),
            )
        except accounts.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Le poste comptable « {poste.name} » est créé.")
            return redirect("accounts:postes")
    return _postes_page(request, manager, form, status=422)


@require_http_methods(["GET", "POST"])
def poste_active(request, poste_id: int):
    """The confirmation page, then the deactivation (or reactivation) of a poste."""
    manager = _poste_manager(request)
    poste: PosteComptable = access.get_poste_for_manager(manager, poste_id)
    if request.method == "POST":
        wanted = request.POST.get("active")
        if wanted not in ("0", "1"):
            raise Http404("Action inconnue.")
        return submissions.once(request, lambda: _set_active(request, manager, poste, wanted))
    agents = poste.agents.filter(is_active=True).count()
    return render(request, "cases/accounts/poste_active.html", {"poste": poste, "agents": agents})


def _set_active(request, manager, poste, wanted):
    poste = postes.set_active(manager, poste, wanted == "1")
    state = "réactivé" if poste.active else "désactivé"
    messages.success(request, f"Le poste comptable « {poste.name} » est {state}.")
    return redirect("accounts:postes")
