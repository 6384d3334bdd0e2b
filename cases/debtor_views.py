"""The debtor's page (cases/debtors.py): every case of it the user may see, and its
co-obligés, which the pôle links."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import access, debtors, submissions
from .forms import CoObligorForm
from .models import CoObligor


def debtor_detail(request, debtor_id: int, *, form=None, status=200):
    debtor = access.get_debtor_for_user(request.user, debtor_id)
    context = {
        "view": debtors.debtor_view(request.user, debtor),
        "may_link": access.may_link_co_obligors(request.user),
    }
    if context["may_link"]:
        context["form"] = form or CoObligorForm()
    return render(request, "cases/debtor_detail.html", context, status=status)


@require_POST
def co_obligor_add(request, debtor_id: int):
    debtor = access.get_debtor_for_user(request.user, debtor_id)
    if not access.may_link_co_obligors(request.user):
        raise PermissionDenied("Seul le pôle relie des co-obligés.")
    form = CoObligorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Le co-obligé n'a pas été ajouté : corrigez le formulaire.")
        return debtor_detail(request, debtor.pk, form=form, status=422)
    return submissions.once(request, lambda: _add(request, debtor, form))


def _add(request, debtor, form):
    other = form.cleaned_data["other"]
    try:
        debtors.link_from_form(request.user, debtor, form.cleaned_data)
    except ValidationError as error:
        for message in error.message_dict.get("other", error.messages):
            form.add_error(None, message)
        messages.error(request, "Le co-obligé n'a pas été ajouté : corrigez le formulaire.")
        return debtor_detail(request, debtor.pk, form=form, status=422)
    messages.success(request, f"Lien enregistré avec {other}.")
    return redirect(debtor)


@require_POST
def co_obligor_remove(request, debtor_id: int, link_id: int):
    debtor = access.get_debtor_for_user(request.user, debtor_id)
    link = get_object_or_404(
        CoObligor.objects.filter(debtor=debtor) | CoObligor.objects.filter(co_obligor=debtor),
        pk=link_id,
    )
    debtors.remove_co_obligor(request.user, link)
    messages.success(request, "Le lien est retiré.")
    return redirect(debtor)
