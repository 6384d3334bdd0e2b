"""The second factor of a local sign-in (django-otp's TOTP): after the password, the roles
that need one (`cases.access.needs_second_factor`: the head, administrators) give the
6-digit code of their authenticator application; the first time, they enrol one (a QR code
and its secret). Until then the session reaches only these pages and the logout.

A session opened by another backend is asked nothing here when that backend says it checked
a second factor itself (`verifies_second_factor = True`: ProConnect's, from the `amr` of the
sign-in); every other backend, the password's included, is asked."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, load_backend
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import access
from cases.forms import DsfrFormMixin

DEVICE_NAME = "Application d'authentification"
WRONG_CODE = (
    "Ce code n'est pas le bon, ou il a expiré : saisissez le code à 6 chiffres affiché "
    "maintenant par votre application."
)
TOO_MANY = (
    "Trop de codes erronés : attendez quelques secondes avant d'en saisir un nouveau, affiché "
    "maintenant par votre application."
)


def second_factor_exempt(view):
    """A page an unverified session may open (these pages, the logout, the idle warning)."""
    view.second_factor_exempt = True
    return view


def _checked_by_backend(request) -> bool:
    path = request.session.get(BACKEND_SESSION_KEY)
    if not path:
        return False
    try:
        return bool(getattr(load_backend(path), "verifies_second_factor", False))
    except ImportError:
        return False


def pending(request) -> bool:
    """Whether the signed-in user still owes their second factor."""
    user = request.user
    return (
        settings.LOCAL_MFA
        and user.is_authenticated
        and access.needs_second_factor(user)
        and not user.is_verified()
        and not _checked_by_backend(request)
    )


class SecondFactorMiddleware:
    """Sends a session that owes its second factor to the code page (or, without an
    enrolled application, to the enrolment page) from any page but those exempted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "second_factor_exempt", False) or not pending(request):
            return None
        target = reverse("mfa_verify" if _device(request.user) else "mfa_enrol")
        return redirect(f"{target}?next={request.get_full_path()}")


def _device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class CodeForm(DsfrFormMixin, forms.Form):
    code = forms.RegexField(
        label="Code à 6 chiffres",
        help_text="Affiché par votre application d'authentification. Format : 123456",
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={
            "required": "Saisissez le code à 6 chiffres de votre application.",
            "invalid": "Le code compte 6 chiffres, sans lettre ni espace.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        # The device's row locked while its code is checked: two tries at once count as two
        # (the throttle) and a code serves once (its time step kept). The failure is counted
        # before the refusal leaves the transaction, not rolled back with it.
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            allowed, _ = device.verify_is_allowed()
            verified = allowed and device.verify_token(code)
        if not allowed:
            raise forms.ValidationError(TOO_MANY)
        if not verified:
            raise forms.ValidationError(WRONG_CODE)
        self.device = device
        return code


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code asked after the password."""
    if not pending(request):
        return redirect(_next(request))
    device = _device(request.user)
    if device is None:
        return redirect(f"{reverse('mfa_enrol')}?next={_next(request)}")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next(request))
    status = 422 if form.is_bound else 200
    return render(
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def enrol(request):
    """The first sign-in of a role that needs a second factor: its application is enrolled
    (a QR code and the secret to type), confirmed by a first code."""
    if not pending(request):
        return redirect(_next(request))
    if _device(request.user):
        return redirect(f"{reverse('mfa_verify')}?next={_next(request)}")
    with transaction.atomic():
        device = (
            TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
        ) or TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.device.confirmed = True
            form.device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        otp_login(request, form.device)
        return redirect(_next(request))
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, light="#fff", svgclass="pnsr-qr", title="QR code à scanner"
    )
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": _next(request),
        "qr": qr,
        # In groups of four, as authenticator applications show it.
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    response = render(
        request, "registration/mfa_enrol.html", context, status=422 if form.is_bound else 200
    )
    response["Cache-Control"] = "no-store"
    return response
