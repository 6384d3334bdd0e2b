"""The electronic signature of the documents (issue 21, « Signature »): a version that is not
a draft is signed (PAdES, pyHanko) with the pôle's certificate when it is rendered, and
timestamped when a timestamping server is configured; the PDF stays PDF/A-3 (its XMP and
document information agree, the signature field is one PDF/A accepts); the document's
signature page says whether it is signed, by whom, when, timestamped or not, intact or not;
one changed byte fails the check.

The timestamping server is a real HTTP server on the loopback (RFC 3161 over HTTP, as a
TSA answers), whose tokens are made by pyHanko's own testing timestamper
(`DummyTimeStamper`) with a certificate made here for the purpose."""

from __future__ import annotations

import datetime
import functools
import http.server
import io
import threading
from pathlib import Path

import pikepdf
import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.urls import reverse
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.timestamps import DummyTimeStamper

from cases.enums import AccessKind
from cases.models import AccessLog
from demo.certificate import COMMON_NAME, make_p12
from documents import generation, services, signing
from documents.enums import DocumentKind, DocumentStatus
from documents.render import AUTHOR
from tests.documents.test_templates import CASES

K = DocumentKind
pytestmark = pytest.mark.django_db

PRINT, HIDDEN = 4, 2  # annotation flags


@functools.cache
def pole_p12(common_name: str = COMMON_NAME) -> bytes:
    return make_p12(common_name)


@pytest.fixture
def pole(settings, tmp_path):
    """The pôle's certificate configured, as `make demo` does (password « demo »)."""
    path = tmp_path / "pole.p12"
    path.write_bytes(pole_p12())
    settings.PNSR_SIGNING_P12 = str(path)
    settings.PNSR_SIGNING_PASSWORD = "demo"
    settings.PNSR_TSA_URL = ""
    settings.PNSR_TSA_CA = ""
    return path


@pytest.fixture
def no_certificate(settings):
    settings.PNSR_SIGNING_P12 = ""
    settings.PNSR_TSA_URL = ""


class Authority:
    """A timestamping authority on the loopback: RFC 3161 requests over HTTP, answered
    with pyHanko's DummyTimeStamper and a time-stamping certificate of its own."""

    def __init__(self, tmp_path: Path):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Horodatage de test")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
            .sign(key, hashes.SHA256())
        )
        der = certificate.public_bytes(serialization.Encoding.DER)
        self.ca_file = tmp_path / "tsa.pem"
        self.ca_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(der),
            tsa_key=keys.PrivateKeyInfo.load(
                key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )
        self.requests = 0
        authority = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = tsp.TimeStampReq.load(body)
                authority.requests += 1
                answer = authority.stamper.request_tsa_response(request).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def authority(tmp_path):
    running = Authority(tmp_path)
    yield running
    running.stop()


def produced(users, kind, **kwargs):
    case = CASES[kind](users, **kwargs)
    document = services.request_document(case, kind, users["head"], check=False)
    document = generation.generate(document.pk)
    return case, document


def stored(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def signature_page(client, users, case, document, role="jurist"):
    client.force_login(users[role])
    response = client.get(reverse("documents:signature", args=[case.reference, document.pk]))
    return response, response.content.decode()


def test_a_document_that_is_not_a_draft_is_signed_and_verifies(users, pole):
    case, document = produced(users, K.COMPTE_RENDU)
    assert document.status == DocumentStatus.READY, document.error
    check = signing.verify(stored(document))
    assert check.valid and check.verdict == "Signature valide"
    assert check.signer == COMMON_NAME and check.trusted and not check.timestamped
    assert abs(check.signed_at - document.generated_at) < datetime.timedelta(minutes=1)
    assert check.reason == f"Compte rendu de décision v1 — dossier {case.reference}"


def test_the_signed_pdf_stays_pdf_a_3_with_a_pades_signature_dictionary(users, pole):
    _, document = produced(users, K.ACCUSE)
    content = stored(document)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        fields = pdf.Root.AcroForm.Fields
        assert len(fields) == 1
        field = fields[0]
        signature = field.V
        assert field.FT == "/Sig" and signature.Type == "/Sig"
        assert signature.Filter == "/Adobe.PPKLite"
        assert signature.SubFilter == "/ETSI.CAdES.detached"
        # The signed bytes: all of the file but the signature itself.
        start, first, second, rest = (int(n) for n in signature.ByteRange)
        assert start == 0 and second + rest == len(content)
        assert content[first : first + 1] == b"<" and content[second - 1 : second] == b">"
        # An invisible widget that PDF/A accepts: zero-sized, printed, not hidden.
        assert [float(n) for n in field.Rect] == [0, 0, 0, 0]
        assert int(field.F) & PRINT and not int(field.F) & HIDDEN
        # Still PDF/A-3a, tagged, with its metadata, the same in the XMP and the info.
        metadata = pdf.open_metadata()
        assert metadata.pdfa_status == "3A"
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        info = pdf.docinfo
        assert str(info.Author) == AUTHOR == metadata["dc:creator"][0]
        assert str(info.Title) == metadata["dc:title"]
        assert str(info.Subject) == metadata["dc:description"]
        assert str(info.Producer) == metadata["pdf:Producer"]
        assert "/ModDate" not in info or metadata.get("xmp:ModifyDate")


def bytes_changed(content: bytes, where: str) -> bytes:
    """The file with one byte changed at a place of the signed file, or with a revision
    appended."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        _, first, second, _ = (int(n) for n in pdf.Root.AcroForm.Fields[0].V.ByteRange)
    if where == "appended":  # a revision added after the signature
        writer = IncrementalPdfFileWriter(io.BytesIO(content))
        writer.root["/PageMode"] = pdf_name("/FullScreen")
        writer.update_root()
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    position = {
        "content": first // 2,  # inside the document's objects
        "signature": first + 1 + 600,  # inside the signature container (hex digits)
        "trailer": len(content) - 40,  # in the last, signed, cross-reference section
    }[where]
    changed = bytearray(content)
    if where == "signature":
        changed[position] = ord("1") if changed[position] != ord("1") else ord("2")
    else:
        changed[position] ^= 0x01
    return bytes(changed)


@pytest.mark.parametrize("where", ["content", "signature", "trailer", "appended"])
def test_one_changed_byte_fails_the_check(users, pole, where):
    _, document = produced(users, K.ACCUSE)
    content = stored(document)
    assert signing.verify(content).valid
    changed = bytes_changed(content, where)
    assert len(changed) > len(content) if where == "appended" else len(changed) == len(content)
    check = signing.verify(changed)
    assert check.signed and not check.valid
    assert check.verdict.startswith("Signature invalide"), check


def test_the_page_says_a_signed_document_is_valid_and_a_modified_one_is_not(users, pole, client):
    case, document = produced(users, K.COMPTE_RENDU)
    response, html = signature_page(client, users, case, document)
    assert response.status_code == 200
    assert "Signature valide" in html and COMMON_NAME in html
    assert "certificat du pôle" in html and "intact : le fichier est celui qui a été signé" in html
    assert "Horodatage</dt>\n  <dd>non</dd>" in html
    assert AccessLog.objects.filter(
        kind=AccessKind.CASE_VIEWED, target__startswith="Signature — "
    ).exists()
    documents_page = client.get(reverse("documents:case", args=[case.reference])).content.decode()
    assert reverse("documents:signature", args=[case.reference, document.pk]) in documents_page

    Path(document.file.path).write_bytes(bytes_changed(stored(document), "content"))
    response, html = signature_page(client, users, case, document)
    assert response.status_code == 200
    assert "son empreinte SHA-256 ne correspond plus" in html  # the administrators are told
    assert "Signature invalide : le document a été modifié après sa signature" in html
    assert "Signature valide" not in html


def test_drafts_are_not_signed(users, pole, client):
    for kind, kwargs in [(K.PROJET_ECRITURES, {}), (K.AVIS, {"validate": False})]:
        case, document = produced(users, kind, **kwargs)
        assert document.status == DocumentStatus.READY and document.is_draft
        content = stored(document)
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert "/AcroForm" not in pdf.Root
        assert not signing.verify(content).signed
        response, html = signature_page(client, users, case, document, role="head")
        assert "Document non signé" in html and "Ce document est un projet" in html
    # The opinion once validated is signed.
    case, document = produced(users, K.AVIS)
    assert not document.is_draft and signing.verify(stored(document)).valid


def test_without_a_certificate_documents_are_unsigned_and_the_page_says_so(
    users, no_certificate, client
):
    case, document = produced(users, K.COMPTE_RENDU)
    assert document.status == DocumentStatus.READY
    check = signing.verify(stored(document))
    assert not check.signed and check.verdict == "Document non signé"
    response, html = signature_page(client, users, case, document)
    assert "Document non signé" in html
    assert "Aucun certificat de signature n'est configuré" in html


def test_a_timestamp_is_added_when_a_timestamping_server_is_configured(
    users, pole, authority, settings, client
):
    settings.PNSR_TSA_URL = authority.url
    settings.PNSR_TSA_CA = str(authority.ca_file)
    case, document = produced(users, K.COMPTE_RENDU)
    assert document.status == DocumentStatus.READY, document.error
    assert authority.requests >= 1
    check = signing.verify(stored(document))
    assert check.valid and check.timestamped and check.timestamp_sound
    assert check.timestamp_trusted
    assert abs(check.signed_at - document.generated_at) < datetime.timedelta(minutes=1)
    _, html = signature_page(client, users, case, document)
    assert "oui, par une autorité d'horodatage (RFC 3161) reconnue" in html
    # Without the authority's certificate, the token is still checked against the
    # signature, but its authority is not vouched for.
    settings.PNSR_TSA_CA = ""
    check = signing.verify(stored(document))
    assert check.timestamped and check.timestamp_sound and not check.timestamp_trusted


def test_a_timestamping_server_that_does_not_answer_fails_the_version(users, pole, settings):
    settings.PNSR_TSA_URL = "http://127.0.0.1:9/tsa"  # the discard port: nobody answers
    settings.PNSR_TSA_TIMEOUT = 2
    _, document = produced(users, K.ACCUSE)
    assert document.status == DocumentStatus.FAILED and not document.file
    assert document.error.startswith("Signature électronique impossible : le serveur d'horodatage")


def test_a_wrong_password_or_a_missing_certificate_fails_the_version(users, pole, settings):
    settings.PNSR_SIGNING_PASSWORD = "pas le bon"
    _, document = produced(users, K.ACCUSE)
    assert document.status == DocumentStatus.FAILED
    assert "mot de passe incorrect" in document.error
    settings.PNSR_SIGNING_P12 = str(pole.parent / "absent.p12")
    with pytest.raises(signing.SigningError, match="introuvable"):
        signing.sign(b"%PDF-1.7")


def test_a_signature_with_another_certificate_is_not_the_poles(users, pole):
    _, document = produced(users, K.ACCUSE)
    unsigned = generation.render_pdf(document)
    forger = signing.PoleSigner(pole_p12("Pôle national de soutien au réseau"), "demo")
    check = signing.verify(forger.sign(unsigned))
    assert check.intact and not check.trusted and not check.valid
    assert check.verdict == "Signature intacte, mais le certificat n'est pas celui du pôle"


def test_a_document_signed_is_served_as_stored(users, pole, client):
    case, document = produced(users, K.ACCUSE)
    client.force_login(users["jurist"])
    response = client.get(reverse("documents:download", args=[case.reference, document.pk]))
    assert b"".join(response.streaming_content) == stored(document)
    assert document.size == len(stored(document))
