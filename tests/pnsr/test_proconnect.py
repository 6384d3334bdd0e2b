"""Signing in with ProConnect against a real OpenID Connect provider (tests/oidc_provider,
started by tests/pnsr/conftest.py): the application's side through Django's test client,
the agent's side at the provider through requests. Who may enter, and every bad input —
state, nonce, forged or expired token, replayed code, provider down or slow — ends on a
French page, logged, with nothing written."""

import contextlib
import json
import logging
import re
import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core import mail
from django.test import Client
from django.urls import reverse
from jwcrypto import jwk, jwt

from cases.enums import Role
from cases.models import User
from pnsr import proconnect
from tests.factories import UserFactory

CALLBACK = reverse("proconnect_callback")
pytestmark = pytest.mark.django_db


def at_provider(authorize_url: str, email: str, *, mfa: bool = True, userinfo_json=False):
    """The agent at the provider: logs in (any email) and is sent back with a code; the
    callback's address (path and query) the browser would then open."""
    agent = requests.Session()
    response = agent.get(authorize_url, allow_redirects=False)
    login_url = requests.compat.urljoin(authorize_url, response.headers["Location"])
    page = agent.get(login_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = {
        "csrfmiddlewaretoken": token,
        "email": email,
        "next": parse_qs(urlsplit(login_url).query)["next"][0],
    }
    if mfa:
        form["mfa"] = "1"
    if userinfo_json:
        form["userinfo_json"] = "1"
    response = agent.post(login_url, data=form, allow_redirects=False)
    while not response.headers["Location"].startswith("http://testserver/"):
        location = requests.compat.urljoin(response.url, response.headers["Location"])
        response = agent.get(location, allow_redirects=False)
        assert response.status_code == 302, response.text[:500]
    parts = urlsplit(response.headers["Location"])
    return f"{parts.path}?{parts.query}"


def start(client: Client) -> str:
    response = client.get(reverse("proconnect_start"))
    assert response.status_code == 302
    return response["Location"]


def sign_in(client: Client, email: str, **choices):
    return client.get(at_provider(start(client), email, **choices))


def signed_in_as(client: Client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refused(response, status: int, text: str) -> None:
    page = response.content.decode()
    assert response.status_code == status, page[:2000]
    assert text in page, page[:2000]
    assert "Revenir à la page de connexion" in page


# --- Configured or not --------------------------------------------------------------------


def test_without_proconnect_the_login_page_has_no_button_and_its_addresses_are_404(client):
    page = client.get(reverse("login")).content.decode()
    assert "ProConnect" not in page and "fr-connect" not in page
    assert client.get(reverse("proconnect_start")).status_code == 404
    assert client.get(CALLBACK + "?state=x&code=y").status_code == 404


def test_the_login_page_shows_the_dsfr_proconnect_button(client, proconnect):
    page = client.get(reverse("login")).content.decode()
    assert 'class="fr-connect"' in page
    assert (
        "S’identifier avec" in page and '<span class="fr-connect__brand">ProConnect</span>' in page
    )
    assert 'id="id_username"' in page  # the local accounts stay


def test_the_authorization_request_has_state_nonce_pkce_scopes_and_acr(client, proconnect):
    query = parse_qs(urlsplit(start(client)).query)
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["scope"] == ["openid email given_name usual_name uid siret"]
    assert query["acr_values"] == ["eidas1"]
    assert query["response_type"] == ["code"] and query["client_id"] == ["pnsr"]


# --- Who may enter ------------------------------------------------------------------------


def test_a_jurist_signs_in_by_email_with_a_second_factor_and_keeps_the_sub(client, proconnect):
    jurist = UserFactory(username="juriste.a", role=Role.JURIST, email="Juriste.A@dgfip.test")
    response = sign_in(client, "juriste.a@dgfip.test")  # the email's case differs
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == jurist
    jurist.refresh_from_db()
    assert jurist.proconnect_sub
    assert jurist.role == Role.JURIST  # nothing of the account comes from the provider
    assert client.session["oidc_id_token"].count(".") == 2


def test_userinfo_as_json_is_accepted_too(client, proconnect):
    agent = UserFactory(role=Role.MANAGEMENT, email="agent.json@dgfip.test")
    response = sign_in(client, "agent.json@dgfip.test", userinfo_json=True, mfa=False)
    assert response.status_code == 302
    assert signed_in_as(client) == agent


def test_once_matched_the_account_is_found_by_its_sub_even_if_its_email_changed(client, proconnect):
    agent = UserFactory(role=Role.MANAGEMENT, email="ancienne@dgfip.test")
    sign_in(client, "ancienne@dgfip.test", mfa=False)
    client.logout()
    User.objects.filter(pk=agent.pk).update(email="nouvelle@dgfip.test")
    response = sign_in(Client(), "ancienne@dgfip.test", mfa=False)
    assert response.status_code == 302


def test_a_head_without_a_second_factor_is_refused(client, proconnect, caplog):
    head = UserFactory(username="chef", role=Role.HEAD, email="chef@dgfip.test")
    with caplog.at_level(logging.WARNING, logger="pnsr.proconnect"):
        response = sign_in(client, "chef@dgfip.test", mfa=False)
    refused(response, 403, "Double authentification requise")
    assert signed_in_as(client) is None
    head.refresh_from_db()
    assert head.proconnect_sub is None
    assert "multi_factor" in caplog.text


def test_an_agent_without_a_second_factor_signs_in(client, proconnect):
    agent = UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    assert sign_in(client, "agent@dgfip.test", mfa=False).status_code == 302
    assert signed_in_as(client) == agent


def test_an_unknown_email_creates_nothing_and_tells_the_administrators(client, proconnect):
    UserFactory(role=Role.ADMIN, email="admin@dgfip.test")
    UserFactory(role=Role.HEAD, email="chef@dgfip.test")
    UserFactory(role=Role.JURIST, email="juriste@dgfip.test")
    before = User.objects.count()
    response = sign_in(client, "inconnu@dgfip.test")
    refused(response, 403, "Votre compte n'est pas encore ouvert")
    assert User.objects.count() == before and signed_in_as(client) is None
    told = [m for m in mail.outbox if "inconnu@dgfip.test" in m.subject]
    assert len(told) == 1
    assert set(told[0].to) == {"admin@dgfip.test", "chef@dgfip.test"}
    assert "Aucun compte n'a été créé" in told[0].body
    # Once is enough: a second try within the hour does not write again.
    sign_in(Client(), "inconnu@dgfip.test")
    assert len([m for m in mail.outbox if "inconnu@dgfip.test" in m.subject]) == 1


def test_a_disabled_account_is_refused(client, proconnect):
    UserFactory(role=Role.MANAGEMENT, email="parti@dgfip.test", is_active=False)
    refused(sign_in(client, "parti@dgfip.test"), 403, "Votre compte est désactivé")
    assert signed_in_as(client) is None


def test_an_account_bound_to_another_identity_is_refused(client, proconnect):
    UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test", proconnect_sub="autre")
    refused(sign_in(client, "agent@dgfip.test"), 403, "Connexion impossible")
    assert signed_in_as(client) is None


# --- Bad input ----------------------------------------------------------------------------


def test_an_unknown_state_is_refused_and_logged(client, proconnect, caplog):
    UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    callback = at_provider(start(client), "agent@dgfip.test")
    forged = re.sub(r"state=[^&]+", "state=" + "x" * 32, callback)
    with caplog.at_level(logging.WARNING, logger="pnsr.proconnect"):
        response = client.get(forged)
    refused(response, 400, "La connexion a expiré")
    assert signed_in_as(client) is None
    assert "refused (state)" in caplog.text


def test_the_callback_used_twice_is_refused_the_second_time(client, proconnect):
    UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    callback = at_provider(start(client), "agent@dgfip.test")
    assert client.get(callback).status_code == 302
    refused(client.get(callback), 400, "La connexion a expiré")
    assert signed_in_as(client) is not None  # the first sign-in stands


def test_a_replayed_code_is_refused_by_the_provider(client, proconnect, caplog):
    agent = UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    first = at_provider(start(client), "agent@dgfip.test")
    assert client.get(first).status_code == 302
    client.logout()
    # A new sign-in under way, and the old code sent with its state.
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    code = parse_qs(urlsplit(first).query)["code"][0]
    with caplog.at_level(logging.WARNING, logger="pnsr.proconnect"):
        response = client.get(f"{CALLBACK}?code={code}&state={state}")
    refused(response, 400, "Connexion refusée")
    assert signed_in_as(client) is None
    assert "refused (invalid)" in caplog.text and "400" in caplog.text
    agent.refresh_from_db()
    assert agent.proconnect_sub  # kept from the first sign-in, not rewritten


def test_a_wrong_nonce_is_refused_and_nothing_is_written(client, proconnect):
    agent = UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    callback = at_provider(start(client), "agent@dgfip.test")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["nonce"] = "n" * 32
    session.save()
    refused(client.get(callback), 400, "Connexion refusée")
    assert signed_in_as(client) is None
    agent.refresh_from_db()
    assert agent.proconnect_sub is None


def test_an_error_sent_back_by_the_provider_is_a_french_page(client, proconnect):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(f"{CALLBACK}?error=access_denied&state={state}")
    refused(response, 400, "La connexion n'a pas abouti")
    assert state not in client.session["oidc_states"]


def _replace_id_token(monkeypatch, forge):
    """The token endpoint's real answer, its ID token replaced by forge(real claims)."""
    real = proconnect.ProConnectBackend.get_token

    def get_token(self, payload):
        tokens = real(self, payload)
        claims = json.loads(jwt.JWT(jwt=tokens["id_token"]).token.objects["payload"])
        tokens["id_token"] = forge(claims)
        return tokens

    monkeypatch.setattr(proconnect.ProConnectBackend, "get_token", get_token)


def _signed(key: jwk.JWK, claims: dict, alg: str = "RS256", kid: str | None = None) -> str:
    token = jwt.JWT(header={"alg": alg, "kid": kid or key.thumbprint()}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


@pytest.mark.parametrize(
    "forgery",
    ["signed by another key", "expired", "another audience", "another issuer", "HS256"],
)
def test_a_forged_or_expired_id_token_is_refused(client, proconnect, monkeypatch, forgery):
    agent = UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    key = proconnect.key

    def forge(claims):
        if forgery == "signed by another key":
            return _signed(jwk.JWK.generate(kty="RSA", size=2048), claims, kid=key.thumbprint())
        if forgery == "expired":
            return _signed(key, {**claims, "exp": int(time.time()) - 3600})
        if forgery == "another audience":
            return _signed(key, {**claims, "aud": "une-autre-application"})
        if forgery == "another issuer":
            return _signed(key, {**claims, "iss": "https://faux.example"})
        secret = jwk.JWK(kty="oct", k="c2VjcmV0LWNvbm51LWR1LWNsaWVudC1hdS1tb2lucy0zMi1vY3RldHM")
        return _signed(secret, claims, alg="HS256", kid=key.thumbprint())

    _replace_id_token(monkeypatch, forge)
    response = sign_in(client, "agent@dgfip.test")
    refused(response, 400, "Connexion refusée")
    assert signed_in_as(client) is None
    agent.refresh_from_db()
    assert agent.proconnect_sub is None


def test_a_token_signed_by_the_provider_but_forged_here_would_pass(client, proconnect, monkeypatch):
    """The forgery test's control: the same path, the claims unchanged, signs in."""
    UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    _replace_id_token(monkeypatch, lambda claims: _signed(proconnect.key, claims))
    assert sign_in(client, "agent@dgfip.test").status_code == 302


def test_a_provider_that_is_down_is_a_french_page(client, proconnect, settings):
    UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    callback = at_provider(start(client), "agent@dgfip.test")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{port}/token/"
    refused(client.get(callback), 502, "ProConnect ne répond pas")
    assert signed_in_as(client) is None


def test_a_provider_that_is_too_slow_is_cut_off_at_the_timeout(client, proconnect, settings):
    UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    callback = at_provider(start(client), "agent@dgfip.test")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted = []
    stop = threading.Event()

    def accept():  # accepts, then never answers
        silent.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                accepted.append(silent.accept()[0])

    thread = threading.Thread(target=accept)
    thread.start()
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{silent.getsockname()[1]}/token/"
    settings.OIDC_TIMEOUT = 1
    try:
        began = time.monotonic()
        response = client.get(callback)
        elapsed = time.monotonic() - began
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        silent.close()
    refused(response, 502, "ProConnect ne répond pas")
    assert elapsed < 5
    assert signed_in_as(client) is None


# --- Logout -------------------------------------------------------------------------------


def test_the_logout_goes_to_the_provider_with_the_id_token_state_and_return(client, proconnect):
    UserFactory(role=Role.MANAGEMENT, email="agent@dgfip.test")
    sign_in(client, "agent@dgfip.test")
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    where = urlsplit(response["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{proconnect.issuer}/logout/"
    query = parse_qs(where.query)
    assert query["id_token_hint"] == [id_token]
    assert len(query["state"][0]) >= 32
    assert query["post_logout_redirect_uri"] == ["http://testserver" + reverse("login")]
    assert signed_in_as(client) is None


def test_a_local_account_logs_out_to_the_login_page(client, proconnect):
    user = UserFactory(role=Role.MANAGEMENT)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_as(client) is None
