"""Signing in with ProConnect, the State's agents' identity federation (OpenID Connect).

mozilla-django-oidc does the protocol's common part: the authorization request (state and
nonce of 32 characters, PKCE S256, kept in the session under `oidc_states`), the token
request, the provider's keys (JWKS). What this module adds, because ProConnect or the pôle
asks for it:

- the ID token checked in full: RS256 only, the issuer, the audience (our client id), the
  expiry and the nonce (the library leaves the audience unchecked);
- the userinfo read as a signed JWT (ProConnect answers `application/jwt`: signature, issuer
  and audience checked) or as JSON, and for the same `sub` as the ID token;
- who may enter: the account of that `sub`, or else the one account of that email (its
  `sub` is then kept). Signing in never creates an account nor gives a role: an unknown
  email is refused and the pôle's administrators are told; a disabled account is refused;
  a role that needs a second factor (`cases.access.needs_multi_factor`) is refused without
  one (`amr` containing "mfa", or an `acr` of eidas2 or eidas3);
- every failure (state, nonce, forged or expired token, replayed code, provider down or
  slow past PROCONNECT_TIMEOUT) ends on a French page, logged, with nothing written;
- the logout at the provider with `id_token_hint`, `state` and `post_logout_redirect_uri`.
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.mail import mail_admins, send_mail
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify
from mozilla_django_oidc.views import OIDCAuthenticationRequestView, OIDCLogoutView

from cases import access
from cases.enums import Role
from cases.models import User

from .client_ip import client_ip

logger = logging.getLogger("pnsr.proconnect")

BACKEND = "pnsr.proconnect.ProConnectBackend"
MULTI_FACTOR_ACR = frozenset({"eidas2", "eidas3"})
# Seconds of clock difference tolerated with the provider on `exp` and `iat`.
LEEWAY = 30
# An unknown email signing in again within this time does not tell the administrators again.
UNKNOWN_TOLD_EVERY = 3600

# Each refusal: its HTTP status; the page (templates/registration/proconnect_refused.html)
# says it in French.
REFUSALS = {
    "state": 400,  # no sign-in of ours under way with this state, or too old
    "provider_error": 400,  # the provider sent the agent back with an error (cancelled…)
    "invalid": 400,  # a token or an answer that does not hold (signature, nonce, code…)
    "unreachable": 502,  # the provider does not answer, or too slowly
    "unknown": 403,  # no account for this email
    "ambiguous": 403,  # several accounts, or an account bound to another identity
    "disabled": 403,
    "multi_factor": 403,
}


class Refused(Exception):
    def __init__(self, reason: str, detail: str = ""):
        assert reason in REFUSALS, reason
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def is_multi_factor(claims: dict) -> bool:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    return "mfa" in amr or claims.get("acr") in MULTI_FACTOR_ACR


class ProConnectBackend(OIDCAuthenticationBackend):
    """The ProConnect half of the sign-in, called by `callback` only: `authenticate`
    answers None, so that no password login (nor a stray `?code=` on one) reaches the
    provider. Once signed in, the session's user is loaded as ModelBackend does (an
    account disabled since is signed out)."""

    # The multi-factor sign-in is checked here, from the `amr`/`acr` (cases.access.
    # needs_multi_factor): pnsr.mfa asks no TOTP code of a session opened by ProConnect.
    verifies_second_factor = True

    def authenticate(self, request, **kwargs):
        return None

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)

    # Permissions are ModelBackend's, already in AUTHENTICATION_BACKENDS: none twice.
    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def sign_in(self, request, code: str, nonce: str, code_verifier: str | None):
        """The account this code signs in, with the ID token and its claims; raises
        Refused, requests' errors, SuspiciousOperation or jwt's errors."""
        self.request = request
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": absolutify(request, reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)),
        }
        if code_verifier:
            payload["code_verifier"] = code_verifier
        tokens = self.get_token(payload)
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not id_token or not access_token:
            raise SuspiciousOperation("token response without id_token or access_token")
        claims = self.verify_id_token(id_token, nonce)
        userinfo = self.get_userinfo(access_token, id_token, claims)
        if str(userinfo.get("sub", "")) != str(claims["sub"]):
            raise SuspiciousOperation("userinfo for another sub than the ID token's")
        self.userinfo = userinfo
        user = self.account_for(str(claims["sub"]), userinfo, claims)
        return user, claims, id_token

    def _decode(self, token: str, **options) -> dict:
        if jwt.get_unverified_header(token).get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("token not signed with RS256")
        return jwt.decode(
            token,
            self.retrieve_matching_jwk(token),
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.PROCONNECT_ISSUER,
            leeway=LEEWAY,
            **options,
        )

    def verify_id_token(self, id_token: str, nonce: str) -> dict:
        claims = self._decode(
            id_token, options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]}
        )
        if not constant_time_compare(str(claims["nonce"]), nonce):
            raise SuspiciousOperation("ID token nonce differs from the session's")
        return claims

    def get_userinfo(self, access_token, id_token, payload) -> dict:
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            return self._decode(response.text.strip(), options={"require": ["sub"]})
        data = response.json()
        if not isinstance(data, dict):
            raise SuspiciousOperation("userinfo is not an object")
        return data

    def account_for(self, sub: str, userinfo: dict, claims: dict) -> User:
        """The account that may enter, its `sub` kept on the first sign-in; nothing is
        written when it is refused."""
        email = str(userinfo.get("email") or "").strip()
        with transaction.atomic():
            user = User.objects.select_for_update().filter(proconnect_sub=sub).first()
            if user is None:
                if not email:
                    raise Refused("invalid", "userinfo without email")
                matches = list(User.objects.select_for_update().filter(email__iexact=email))
                if not matches:
                    raise Refused("unknown", email)
                if len(matches) > 1:
                    raise Refused("ambiguous", f"{len(matches)} accounts for {email}")
                user = matches[0]
                if user.proconnect_sub:
                    raise Refused("ambiguous", f"{user.username} bound to another sub")
            if not user.is_active:
                raise Refused("disabled", user.username)
            if access.needs_multi_factor(user) and not is_multi_factor(claims):
                raise Refused("multi_factor", f"{user.username} amr={claims.get('amr')}")
            if user.proconnect_sub is None:
                user.proconnect_sub = sub
                user.save(update_fields=["proconnect_sub"])
        return user


def tell_unknown(request, userinfo: dict) -> None:
    """Tell the pôle's administrators (Django's ADMINS, the administrator accounts and
    the heads of the pôle, who open the accounts) that an agent without an account signed
    in; once per email within UNKNOWN_TOLD_EVERY. Never raises."""
    email = str(userinfo.get("email") or "").strip().lower()
    if not cache.add(f"proconnect-unknown:{email}", 1, UNKNOWN_TOLD_EVERY):
        return
    context = {
        "email": email,
        "given_name": userinfo.get("given_name", ""),
        "usual_name": userinfo.get("usual_name", ""),
        "siret": userinfo.get("siret", ""),
        "site_url": settings.SITE_URL,
    }
    subject = f"PNSR — compte à ouvrir pour {email}"
    message = render_to_string("registration/proconnect_unknown_email.txt", context)
    try:
        mail_admins(subject, message, fail_silently=True)
        recipients = list(
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(role__in=[Role.ADMIN, Role.HEAD]))
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            send_mail(subject, message, None, recipients, fail_silently=True)
    except Exception:
        logger.exception("ProConnect: administrators not told of %s", email)


def refuse(request, reason: str, detail: str = ""):
    logger.warning(
        "ProConnect sign-in refused (%s) from %s: %s", reason, client_ip(request), detail
    )
    return render(
        request,
        "registration/proconnect_refused.html",
        {"reason": reason, "login_url": reverse("login")},
        status=REFUSALS[reason],
    )


def _enabled() -> None:
    if not settings.PROCONNECT_ENABLED:
        raise Http404


@method_decorator(login_not_required, name="dispatch")
class Start(OIDCAuthenticationRequestView):
    """The « S'identifier avec ProConnect » button: off to the provider."""

    def get(self, request):
        _enabled()
        return super().get(request)

    def get_extra_params(self, request):
        return {
            "acr_values": settings.PROCONNECT_ACR_VALUES,
            # ProConnect gives `amr` only when asked for it.
            "claims": json.dumps({"id_token": {"amr": {"essential": True}}}),
        }


@login_not_required
@require_GET
def callback(request):
    """Back from the provider: the state is used once (a second visit is refused), then
    the code is exchanged, the tokens checked and the account found (ProConnectBackend)."""
    _enabled()
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states") or {}
    entry = states.pop(state, None) if state else None
    if entry is not None:
        request.session["oidc_states"] = states
        request.session.save()
    if request.GET.get("error"):
        return refuse(request, "provider_error", request.GET.get("error", "")[:200])
    if entry is None:
        return refuse(request, "state", "unknown state")
    if time.time() - entry.get("added_on", 0) > settings.PROCONNECT_STATE_MAX_AGE:
        return refuse(request, "state", "state too old")
    code = request.GET.get("code", "")
    if not code:
        return refuse(request, "invalid", "no code")
    backend = ProConnectBackend()
    try:
        user, claims, id_token = backend.sign_in(
            request, code, entry["nonce"], entry.get("code_verifier")
        )
    except Refused as refusal:
        if refusal.reason == "unknown":
            tell_unknown(request, backend.userinfo)
        return refuse(request, refusal.reason, refusal.detail)
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 0
        # The provider refused the code (replayed, expired): ours to say, not its fault.
        reason = "invalid" if 400 <= status < 500 else "unreachable"
        return refuse(request, reason, str(error)[:300])
    except requests.JSONDecodeError as error:
        return refuse(request, "invalid", f"not JSON: {error}")
    except requests.RequestException as error:
        return refuse(request, "unreachable", repr(error)[:300])
    except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
        return refuse(request, "invalid", repr(error)[:300])
    next_url = request.session.get("oidc_login_next")
    auth.login(request, user, backend=BACKEND)
    request.session["oidc_id_token"] = id_token
    logger.info(
        "ProConnect sign-in of %s from %s (acr=%s amr=%s)",
        user.username,
        client_ip(request),
        claims.get("acr"),
        claims.get("amr"),
    )
    return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def provider_logout_url(request) -> str:
    """Where the logout sends the agent (OIDC_OP_LOGOUT_URL_METHOD): the provider's end
    of session when signed in through it, back to the login page afterwards; the login
    page directly otherwise."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (settings.PROCONNECT_ENABLED and id_token and settings.OIDC_OP_LOGOUT_ENDPOINT):
        return after
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": request.build_absolute_uri(after),
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"


class Logout(OIDCLogoutView):
    """« Se déconnecter » (POST): the session ends here, then at the provider."""

    http_method_names = ["post"]
