"""ProConnect's stand-in for the tests: the OpenID Connect provider of tests/oidc_provider/
started once per run on 127.0.0.1 (its own process, SQLite file and RSA key), and the
settings that point the application at it."""

import copy
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from csp.constants import SELF
from jwcrypto import jwk

from tests.s3 import bucket, s3_server  # noqa: F401 (the S3 server: tests/s3.py)

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "pnsr"
CLIENT_SECRET = "pnsr-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    url: str
    key: jwk.JWK  # its signing key: the tests forge tokens it would have signed

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider, its clients' callbacks being the live server's and the test client's."""
    port = free_port()
    key = jwk.JWK.generate(kty="RSA", size=2048)
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc_provider") / "provider.sqlite3"),
        "OIDC_PROVIDER_RSA_KEY": key.export_to_pem(private_key=True, password=None).decode(),
        "OIDC_PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
    }
    log = tmp_path_factory.mktemp("oidc_provider_log") / "provider.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider", str(port), live_server.url]
            + ["http://testserver"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    provider = Provider(url=f"http://127.0.0.1:{port}", key=key)
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{provider.issuer}/.well-known/jwks.json", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            pytest.fail(
                "Le fournisseur OpenID Connect de test n'a pas démarré :\n" + log.read_text()
            )
        time.sleep(0.2)
    yield provider
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def proconnect(settings, oidc_provider):
    """The application signing in through the test provider, as through ProConnect."""
    o = oidc_provider.issuer
    settings.PROCONNECT_ENABLED = True
    settings.PROCONNECT_ISSUER = o
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{o}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{o}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{o}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{o}/.well-known/jwks.json"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{o}/logout/"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [SELF, oidc_provider.url]
    settings.CONTENT_SECURITY_POLICY = policy
    from django.core.cache import cache

    cache.clear()  # who was told of which unknown email
    return oidc_provider
