"""Start the test provider: `python -m tests.oidc_provider PORT REDIRECT_BASE...`.

Each REDIRECT_BASE is a site that signs in here (`http://127.0.0.1:8000`): its callback
(`/proconnect/retour/`) and its login page (after the logout) are registered. The client
is `pnsr` with the secret OIDC_PROVIDER_CLIENT_SECRET (default `pnsr-test-secret`); the
database is OIDC_PROVIDER_DB (default: a new temporary file), the RSA key
OIDC_PROVIDER_RSA_KEY (PEM; default: one generated now). Prints « ready » once it
listens."""

import os
import sys
import tempfile

CLIENT_ID = "pnsr"
CALLBACK = "/proconnect/retour/"
AFTER_LOGOUT = "/connexion/"


def main(port: int, sites: list[str]) -> None:
    from jwcrypto import jwk

    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"
    if not os.environ.get("OIDC_PROVIDER_RSA_KEY"):  # the tests give theirs, to forge tokens
        os.environ["OIDC_PROVIDER_RSA_KEY"] = (
            jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
        ).decode()
    if not os.environ.get("OIDC_PROVIDER_DB"):
        os.environ["OIDC_PROVIDER_DB"] = tempfile.mkstemp(prefix="oidc-provider-", suffix=".db")[1]

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", run_syncdb=True, verbosity=0)
    Application.objects.filter(client_id=CLIENT_ID).delete()
    Application.objects.create(
        name="PNSR",
        client_id=CLIENT_ID,
        client_secret=os.environ.get("OIDC_PROVIDER_CLIENT_SECRET", "pnsr-test-secret"),
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(site.rstrip("/") + CALLBACK for site in sites),
        post_logout_redirect_uris=" ".join(site.rstrip("/") + AFTER_LOGOUT for site in sites),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    print("ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
