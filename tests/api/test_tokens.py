"""Personal tokens: made, listed and revoked on the profile page or by `api_token`; only
their digest is kept; a revoked token or a disabled account gets a French 401."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.urls import reverse
from rest_framework.test import APIClient

from api.management.commands.api_token import Command
from api.models import ApiToken

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def bearer(secret: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
    return client


def test_profile_page_shows_the_user_and_their_settings(client, users):
    client.force_login(users["poste_agent"])
    home = client.get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("account:home")}" title="Mon compte' in home  # the header's name
    page = client.get(reverse("account:home")).content.decode()
    assert "Mon compte" in page
    assert "Agent de poste comptable" in page
    assert "SIE de Laon" in page
    assert reverse("notifications:preferences") in page
    assert reverse("api:docs") in page
    assert "Vous n'avez encore aucun jeton." in page


def test_created_token_is_shown_once_and_only_its_digest_is_kept(client, users):
    client.force_login(users["direction_agent"])
    response = client.post(reverse("account:token_create"), {"name": "Outil de la DDFIP"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'<code id="new-token"[^>]*>([^<]+)</code>', response.content.decode())[1]
    token = ApiToken.objects.get()
    assert token.user == users["direction_agent"]
    assert token.name == "Outil de la DDFIP"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(secret) > len(token.prefix) + 20
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(secret in value for value in stored)

    # Listed afterwards by its prefix, never again in full.
    page = client.get(reverse("account:home")).content.decode()
    assert secret not in page
    assert token.prefix in page and "Outil de la DDFIP" in page and "jamais" in page

    assert bearer(secret).get(CASES).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert bearer(secret, "Token").get(CASES).status_code == 200


def test_label_is_required(client, users):
    client.force_login(users["poste_agent"])
    response = client.post(reverse("account:token_create"), {"name": "  "})
    assert response.status_code == 422
    assert "Donnez un libellé au jeton" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_for_confirmation_then_the_token_gets_401(client, users):
    token, secret = ApiToken.issue(users["poste_agent"], "Script")
    client.force_login(users["poste_agent"])
    url = reverse("account:token_revoke", args=[token.pk])
    confirm = client.get(url)
    assert "Révoquer le jeton « Script » ?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.is_active  # a GET changes nothing

    assert client.post(url).url == reverse("account:home")
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get(reverse("account:home")).content.decode()
    assert "Révoqué le" in page

    response = bearer(secret).get(CASES)
    assert response.status_code == 401
    assert response.json() == {"detail": "Ce jeton d'accès a été révoqué."}


def test_nobody_revokes_someone_elses_token(client, users):
    token, _ = ApiToken.issue(users["poste_agent"], "Script")
    client.force_login(users["other_poste_agent"])
    url = reverse("account:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_disabled_account_and_unknown_tokens_get_401(users):
    user = users["direction_agent"]
    _, secret = ApiToken.issue(user, "Script")
    user.is_active = False
    user.save()
    response = bearer(secret).get(CASES)
    assert response.status_code == 401
    assert response.json()["detail"] == "Le compte de ce jeton est désactivé."

    for header in ["Bearer pnsr_inconnu", "Bearer", "Bearer a b", "Token é"]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get(CASES)
        assert response.status_code == 401, header
        assert response.json()["detail"].startswith(("Jeton d'accès invalide", "En-tête")), header


def test_without_a_token_401_in_french(client):
    response = APIClient().get(CASES)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_command_prints_a_usable_token(users):
    out = io.StringIO()
    call_command("api_token", "agent.d02", "--name", "Synchronisation", stdout=out)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (users["direction_agent"], "Synchronisation")
    assert bearer(secret).get(CASES).status_code == 200


def test_command_refuses_an_unknown_user_with_exit_status_2(users, capsys, monkeypatch):
    with pytest.raises(CommandError, match="Utilisateur inconnu : « personne »") as error:
        call_command("api_token", "personne")
    assert error.value.returncode == 2
    # From the command line: the French message alone, and exit status 2 (run_from_argv
    # would close the test's database connection on its way out).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "api_token", "personne"])
    assert exit_.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith("Erreur : Utilisateur inconnu : « personne ».")
    assert "Traceback" not in stderr
    assert not ApiToken.objects.exists()


def test_an_administrator_revokes_a_token(client, users):
    token, secret = ApiToken.issue(users["poste_agent"], "Script")
    client.force_login(users["admin"])
    changelist = reverse("admin:api_apitoken_changelist")
    assert "Script" in client.get(changelist).content.decode()
    client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert not token.is_active
    assert bearer(secret).get(CASES).status_code == 401
