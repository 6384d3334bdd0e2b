"""Local sign-in: a username and a password, kept for the demo and for break-glass
administration. `LOCAL_LOGIN=0` turns it off entirely: the password backend refuses every
password (the login page, the admin's), the login page shows no form and refuses its POST,
the password reset answers 404.

The password reset is Django's (its token, its « same answer whether the address exists or
not »), with French templates and the links built from SITE_URL."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from cases import access
from cases.forms import DsfrFormMixin
from workflows.permissions import INTAKE

LOCAL_LOGIN_OFF = (
    "La connexion par identifiant et mot de passe est désactivée : connectez-vous avec ProConnect."
)


class LocalPasswordBackend(ModelBackend):
    """Django's password check, only while local accounts are on. The session of a user
    signed in through it asks the second factor of the roles that need one (pnsr.mfa)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        """Django's permissions, but intake duty (`workflows.intake`, given to the jurists
        on duty) is suspended during its holder's absence (cases.access.is_absent): the
        receivability steps leave their queue."""
        permissions = super().get_all_permissions(user_obj, obj)
        if INTAKE not in permissions or user_obj.is_superuser:
            return permissions
        if not hasattr(user_obj, "_absent_cache"):
            user_obj._absent_cache = access.is_absent(user_obj)
        return permissions - {INTAKE} if user_obj._absent_cache else permissions


class LoginView(auth_views.LoginView):
    """The login page: the local form (unless LOCAL_LOGIN=0), ProConnect's button when it
    is configured."""

    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            return render(
                request,
                self.template_name,
                {"local_login": False, "local_login_refused": LOCAL_LOGIN_OFF},
                status=403,
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "local_login": settings.LOCAL_LOGIN,
            "proconnect": settings.PROCONNECT_ENABLED,  # its button (pnsr.proconnect)
        }


class LocalAccountsOnly:
    """The password reset pages exist only while local accounts are on."""

    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            raise Http404(LOCAL_LOGIN_OFF)
        return super().dispatch(request, *args, **kwargs)


class ResetRequestForm(DsfrFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique"
        self.fields["email"].help_text = "L'adresse de votre compte. Format : nom@domaine.fr"


class NewPasswordForm(DsfrFormMixin, SetPasswordForm):
    pass


class PasswordResetView(LocalAccountsOnly, auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = ResetRequestForm

    def form_valid(self, form):
        # The link goes to the site's address as its users reach it, never to the Host the
        # request claimed.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(LocalAccountsOnly, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PasswordResetConfirmView(LocalAccountsOnly, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = NewPasswordForm


class PasswordResetCompleteView(LocalAccountsOnly, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
