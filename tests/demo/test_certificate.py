"""The demo's signing certificate (issue 21, « Signature »): seed_demo writes a self-signed
certificate of the pôle as var/signing/pole-demo.p12 (password « demo »), kept when it runs
again; `make demo` gives it to the application, which then signs the documents that are
not drafts with it."""

import datetime
import re
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.management import call_command

from demo.certificate import COMMON_NAME, PASSWORD, demo_path, write_demo_certificate
from documents import signing
from documents.render import html_to_pdf


@pytest.mark.django_db
def test_seed_demo_writes_the_poles_demo_certificate_once(capsys):
    call_command("seed_demo")
    path = demo_path()
    assert path == Path(settings.VAR_DIR) / "signing" / "pole-demo.p12"
    assert f"{path} (mot de passe « demo »)" in capsys.readouterr().out
    content = path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a private key
    key, certificate, others = pkcs12.load_key_and_certificates(content, PASSWORD.encode())
    assert key is not None and not others
    assert certificate.subject == certificate.issuer  # self-signed
    assert certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == (
        COMMON_NAME
    )
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    now = datetime.datetime.now(datetime.UTC)
    assert certificate.not_valid_before_utc < now < certificate.not_valid_after_utc
    assert certificate.not_valid_after_utc - now > datetime.timedelta(days=365 * 9)

    call_command("seed_demo")  # again: the same certificate, the documents signed stay its
    assert path.read_bytes() == content
    assert "déjà présent" in capsys.readouterr().out


def test_the_demo_certificate_signs_documents_that_verify(settings, tmp_path):
    path, written = write_demo_certificate(tmp_path / "signing" / "pole-demo.p12")
    assert written and write_demo_certificate(path) == (path, False)
    settings.PNSR_SIGNING_P12 = str(path)
    settings.PNSR_SIGNING_PASSWORD = PASSWORD
    settings.PNSR_TSA_URL = ""
    pdf = html_to_pdf('<html lang="fr"><head><title>Essai</title></head><body><p>Texte</p>')
    check = signing.verify(signing.sign(pdf))
    assert check.valid and check.signer == COMMON_NAME and not check.timestamped


def test_make_demo_gives_the_demo_certificate_to_the_application():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    exported = dict(re.findall(r"^demo: export (PNSR_SIGNING_\w+) := (.+)$", makefile, re.M))
    assert exported == {
        "PNSR_SIGNING_P12": "$(or $(PNSR_VAR_DIR),var)/signing/pole-demo.p12",
        "PNSR_SIGNING_PASSWORD": PASSWORD,
    }
    # var/ is the default PNSR_VAR_DIR (relative paths are the project's).
    assert signing.project_path("var/signing/pole-demo.p12") == (
        Path(settings.BASE_DIR) / "var" / "signing" / "pole-demo.p12"
    )
