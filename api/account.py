"""The user's own page (/compte/): who they are, links to their settings, and their
personal API tokens (create, list, revoke)."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.forms import DsfrFormMixin

from .models import ApiToken


class TokenForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(
        label="Libellé du jeton",
        max_length=100,
        help_text="Ce qui utilisera le jeton, par exemple « Application de suivi du SIE ».",
        error_messages={"required": "Donnez un libellé au jeton pour le reconnaître."},
    )


def _page(request, *, form=None, created=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    context = {
        "form": form or TokenForm(),
        "tokens": tokens,
        "created": created,
    }
    return render(request, "api/account.html", context, status=status)


def account(request):
    return _page(request)


@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Le jeton n'a pas été créé : corrigez le formulaire.")
        return _page(request, form=form, status=422)
    with transaction.atomic():
        token, secret = ApiToken.issue(request.user, form.cleaned_data["name"].strip())
    # The secret is in this page only: it is not stored, nor put in a message or a redirect.
    response = _page(request, created={"token": token, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if request.method == "POST":
        if token.is_active:
            token.revoke()
            messages.success(request, f"Le jeton « {token.name} » est révoqué.")
        return redirect("account:home")
    return render(request, "api/token_revoke.html", {"token": token})
