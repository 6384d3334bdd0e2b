"""The accounts' pages (/comptes/): the head of the pôle, a direction's administrator and
the site's administrators open, change and disable the accounts `cases.access` gives them.
Thin: the rules are `cases.access`'s, the changes `cases.accounts`'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import access, accounts, submissions
from .forms import AccountForm

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
    return render(request, "cases/accounts/list.html", {"rows": rows, "intake": intake})


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
    return render(
        request,
        "cases/accounts/form.html",
        {"form": form, "account": account, "changes": changes},
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
