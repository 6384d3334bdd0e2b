"""The settings refuse what they do not understand and an unsafe start: `HTTPS=ture`
stops the start (it used to mean « no HTTPS »); outside DEBUG, plain HTTP only when told
(ALLOW_PLAIN_HTTP=1); and `check --deploy` is clean with the production settings the
README documents. Each start is a real process with its own environment."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pnsr.settings import envbool

# The README's production section: HTTPS=1, SECRET_KEY, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS.
PRODUCTION = {
    "HTTPS": "1",
    "SECRET_KEY": "k9!vQz2#pL7@wX4$nR8%tY1^uB6&mE3*cH5(jF0)dS9-aG2+oI7=eK4_lN1~",
    "ALLOWED_HOSTS": "pnsr.exemple.fr",
    "CSRF_TRUSTED_ORIGINS": "https://pnsr.exemple.fr",
}


def manage(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    """`manage.py` with pnsr's real settings, under exactly the given environment."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "pnsr.settings",
            "PNSR_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "value, expected",
    [("1", True), ("on", True), ("Yes", True), ("0", False), ("off", False), ("", False)],
)
def test_envbool_reads_the_words_it_knows(monkeypatch, value, expected):
    monkeypatch.setenv("PNSR_TEST_FLAG", value)
    assert envbool("PNSR_TEST_FLAG") is expected


def test_envbool_refuses_a_misspelt_value(monkeypatch):
    monkeypatch.setenv("HTTPS", "ture")
    with pytest.raises(ImproperlyConfigured, match="HTTPS='ture' n'est pas comprise"):
        envbool("HTTPS")


def test_a_misspelt_https_stops_the_start(tmp_path):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "HTTPS": "ture"})
    assert result.returncode != 0
    assert "HTTPS='ture' n'est pas comprise" in result.stderr


def test_outside_debug_plain_http_must_be_asked_for(tmp_path):
    plain = {k: v for k, v in PRODUCTION.items() if k != "HTTPS"}
    refused = manage("check", tmp_path=tmp_path, **plain)
    assert refused.returncode != 0
    assert "HTTPS=1" in refused.stderr and "ALLOW_PLAIN_HTTP=1" in refused.stderr
    assert manage("check", tmp_path=tmp_path, **plain, ALLOW_PLAIN_HTTP="1").returncode == 0
    assert manage("check", tmp_path=tmp_path, **plain, DEBUG="1").returncode == 0


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRINT_PROCONNECT = (
    "from django.conf import settings as s; "
    "print(s.PROCONNECT_ENABLED, s.OIDC_OP_TOKEN_ENDPOINT, s.OIDC_OP_LOGOUT_ENDPOINT, "
    "s.OIDC_RP_SCOPES, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
)


def test_proconnect_is_off_without_its_settings_and_needs_its_secret(tmp_path):
    off = manage("shell", "-v", "0", "-c", PRINT_PROCONNECT, tmp_path=tmp_path, DEBUG="1")
    assert off.returncode == 0, off.stderr
    assert off.stdout.startswith("False  ")
    proconnect = {"PROCONNECT_ISSUER": "https://proconnect.gouv.fr/api/v2/"}
    proconnect["PROCONNECT_CLIENT_ID"] = "pnsr"
    refused = manage("check", tmp_path=tmp_path, DEBUG="1", **proconnect)
    assert refused.returncode != 0 and "PROCONNECT_CLIENT_SECRET" in refused.stderr
    on = manage(
        "shell",
        "-v",
        "0",
        "-c",
        PRINT_PROCONNECT,
        tmp_path=tmp_path,
        DEBUG="1",
        PROCONNECT_CLIENT_SECRET="secret",
        **proconnect,
    )
    assert on.returncode == 0, on.stderr
    assert on.stdout.split(" ", 3)[:3] == [
        "True",
        "https://proconnect.gouv.fr/api/v2/token",
        "https://proconnect.gouv.fr/api/v2/session/end",
    ]
    assert "openid email given_name usual_name uid siret" in on.stdout
    assert "'https://proconnect.gouv.fr'" in on.stdout  # the forms may go there


SHOW_DATABASES = (
    "from django.conf import settings; "
    "print(sorted((alias, d.get('DISABLE_SERVER_SIDE_CURSORS', False)) "
    "for alias, d in settings.DATABASES.items()))"
)


def test_a_replica_and_a_transaction_pooler_are_read_from_the_environment(tmp_path):
    plain = manage("shell", "-v", "0", "-c", SHOW_DATABASES, tmp_path=tmp_path, DEBUG="1")
    assert plain.stdout.strip() == "[('default', False)]", plain.stderr
    pooled = manage(
        "shell",
        "-v",
        "0",
        "-c",
        SHOW_DATABASES,
        tmp_path=tmp_path,
        DEBUG="1",
        DATABASE_URL="postgres://pnsr@127.0.0.1:6432/pnsr",
        DATABASE_REPLICA_URL="postgres://pnsr@127.0.0.1:6433/pnsr",
        DATABASE_POOLER="transaction",
    )
    assert pooled.stdout.strip() == "[('default', True), ('replica', True)]", pooled.stderr


def test_an_unknown_pooler_mode_stops_the_start(tmp_path):
    done = manage("check", tmp_path=tmp_path, DEBUG="1", DATABASE_POOLER="transactions")
    assert done.returncode != 0
    assert "DATABASE_POOLER='transactions' n'est pas comprise" in done.stderr


def test_log_format_json_writes_one_json_object_per_line_and_text_stays_plain(tmp_path):
    code = "import logging; logging.getLogger('pnsr.essai').warning('échéance')"
    as_json = manage(
        "shell", "-v", "0", "-c", code, tmp_path=tmp_path, **PRODUCTION, LOG_FORMAT="json"
    )
    assert as_json.returncode == 0, as_json.stderr
    [line] = [json.loads(line) for line in as_json.stderr.splitlines() if "échéance" in line]
    assert line["message"] == "échéance" and line["level"] == "WARNING"
    assert line["logger"] == "pnsr.essai" and line["request_id"] is None
    plain = manage("shell", "-v", "0", "-c", code, tmp_path=tmp_path, **PRODUCTION)
    assert "échéance" in plain.stderr.splitlines()


def test_a_misspelt_log_format_stops_the_start(tmp_path):
    result = manage("check", tmp_path=tmp_path, **PRODUCTION, LOG_FORMAT="jsno")
    assert result.returncode != 0
    assert "LOG_FORMAT='jsno' n'est pas compris" in result.stderr
