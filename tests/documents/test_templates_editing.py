"""The head of the pôle edits the text of the documents' templates in the application:
each change is a new version, the next documents come from it and say so, a text that
would not render is refused before it is saved, the preview renders a PDF of a case
without keeping anything, and two tabs do not overwrite each other."""

import io

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from cases.enums import Mode
from cases.models import ActionType, AppendOnlyError
from documents import render, services, templating
from documents.enums import DocumentKind
from documents.models import Document, TemplateVersion
from tests.documents.test_services import pdf_text, run_worker
from tests.workflows.conftest import Journey

K = DocumentKind
pytestmark = pytest.mark.django_db

NEW_TEXT = "Texte ajouté par le chef du pôle."


def edited(kind: str = K.ACCUSE, sentence: str = NEW_TEXT) -> str:
    source = render.file_source(kind)
    assert "{% block content %}" in source
    return source.replace("{% block content %}", f"{{% block content %}}<p>{sentence}</p>", 1)


def edit_url(kind: str = K.ACCUSE) -> str:
    return reverse("document_templates:edit", args=[kind])


def post(client, body: str, *, base: int = 0, kind: str = K.ACCUSE, **extra):
    return client.post(edit_url(kind), {"body": body, "base": base, "comment": "", **extra})


@pytest.fixture
def accepted(users, submitted_case, client):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    Journey(client, case).step(users["head"], "receivability", {"decision": "accept"})
    return case


def test_a_change_makes_version_n_plus_1_and_the_next_document_comes_from_it(
    accepted, users, client
):
    run_worker()
    before = accepted.documents.get(kind=K.ACCUSE)
    assert before.template_version is None  # the file template: version 0
    client.force_login(users["head"])
    response = post(client, edited(sentence="Première rédaction."), comment="Essai")
    assert response.status_code == 302
    first = TemplateVersion.objects.get(kind=K.ACCUSE)
    assert (first.number, first.author, first.comment) == (1, users["head"], "Essai")
    page = client.get(edit_url()).content.decode()
    assert "Première rédaction." in page and 'name="base" value="1"' in page
    assert post(client, edited(), base=1).status_code == 302
    second = TemplateVersion.objects.get(kind=K.ACCUSE, number=2)

    # Same data, new template: a new version of the document, which records it.
    document = services.request_document(accepted, K.ACCUSE, users["head"])
    assert document.version == before.version + 1 and document.template_version == second
    run_worker()
    document.refresh_from_db()
    assert NEW_TEXT in pdf_text(document) and accepted.reference in pdf_text(document)
    assert NEW_TEXT not in pdf_text(before)
    # Asked again, nothing changed: the same version.
    assert services.request_document(accepted, K.ACCUSE, users["head"]).pk == document.pk
    # The history shows who changed what.
    history = client.get(reverse("document_templates:history", args=[K.ACCUSE])).content.decode()
    assert f"+{{% block content %}}<p>{NEW_TEXT}</p>" in history.replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&quot;", '"')
    assert "Version 2" in history and str(users["head"]) in history


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            edited().replace("{% endblock %}", "{% endif %}", 1),
            "Erreur de syntaxe à la ligne",
        ),
        (
            edited().replace(NEW_TEXT, "{{ dossier.debiteur }}"),
            "la variable « dossier.debiteur » est inconnue de ce document",
        ),
        (edited().replace(NEW_TEXT, "{{ meta.signataire }}"), "« meta.signataire »"),
        ("{% load static %}" + edited(), "la bibliothèque de balises « static »"),
        (
            edited().replace(NEW_TEXT, '{% include "cases/case_detail.html" %}'),
            "n'est pas un modèle de document",
        ),
    ],
    ids=["syntax", "unknown-variable", "unknown-meta", "load", "include-outside"],
)
def test_a_template_that_would_not_render_is_refused_in_french_and_not_saved(
    users, client, body, message
):
    client.force_login(users["head"])
    response = post(client, body)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert message in page.replace("&laquo;", "«").replace("&raquo;", "»")
    assert not TemplateVersion.objects.exists()


def test_the_syntax_error_names_its_line(users):
    body = "\n".join(
        ['{% extends "documents/base.html" %}', "{% block content %}", "{% if s.reference %}"]
        + ["{% endblock %}"]
    )
    with pytest.raises(ValidationError) as refused:
        templating.save_version(K.ACCUSE, None, body, users["head"], base=0)
    assert "à la ligne 4" in refused.value.messages[0]
    assert not TemplateVersion.objects.exists()


def test_every_file_template_passes_the_checks():
    """The names allowed come from what the renderer gives: the shipped templates use
    nothing else."""
    for kind in K.values:
        templating.check_source(kind, render.file_source(kind))


def test_only_the_head_edits_and_the_jurists_read(users, client):
    client.force_login(users["jurist"])
    assert client.get(edit_url()).status_code == 403
    assert post(client, edited()).status_code == 403
    assert client.get(reverse("document_templates:index")).status_code == 200
    history = reverse("document_templates:history", args=[K.ACCUSE])
    assert client.get(history).status_code == 200
    with pytest.raises(PermissionDenied):
        templating.save_version(K.ACCUSE, None, edited(), users["jurist"], base=0)
    for role in ("poste_agent", "direction_agent", "expert", "management"):
        client.force_login(users[role])
        assert client.get(reverse("document_templates:index")).status_code == 403, role
        assert client.get(history).status_code == 403, role
        assert post(client, edited()).status_code == 403, role
    assert not TemplateVersion.objects.exists()


def test_the_preview_renders_the_pdf_of_a_case_and_keeps_nothing(accepted, users, client):
    documents = Document.objects.count()
    client.force_login(users["head"])
    response = post(client, edited(), preview="1", reference=accepted.reference.lower())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert NEW_TEXT in text and accepted.reference in text
    assert Document.objects.count() == documents and not TemplateVersion.objects.exists()
    # A case the preview cannot be made for: said on the form, nothing rendered.
    response = post(client, edited(), preview="1", reference="PNSR-1999-000001")
    assert response.status_code == 200 and "Dossier introuvable" in response.content.decode()
    response = post(client, edited(), kind=K.COMPTE_RENDU, preview="1", reference="")
    assert "Indiquez le dossier" in response.content.decode()


def test_a_stale_base_is_refused_instead_of_overwriting(users, client):
    """Two tabs open on version 0: the second to save is told, and its text is kept out."""
    client.force_login(users["head"])
    assert post(client, edited(sentence="Onglet un."), base=0).status_code == 302
    response = post(client, edited(sentence="Onglet deux."), base=0)
    assert response.status_code == 200
    assert "modifié entre-temps" in response.content.decode()
    assert list(TemplateVersion.objects.values_list("number", flat=True)) == [1]
    assert "Onglet un." in TemplateVersion.objects.get().body
    with pytest.raises(ValidationError):
        templating.save_version(K.ACCUSE, None, edited(), users["head"], base=0)


def test_a_version_per_action_type_comes_first_then_the_one_for_all(users):
    head = users["head"]
    general = templating.save_version(K.BORDEREAU, None, edited(K.BORDEREAU), head, base=0)
    saisie = ActionType.objects.get(code="saisie_immobiliere")
    other = ActionType.objects.exclude(pk=saisie.pk).first()
    assert templating.current(K.BORDEREAU, saisie.pk) == general
    own = templating.save_version(
        K.BORDEREAU, saisie, edited(K.BORDEREAU, "Pour la saisie."), head, base=0
    )
    assert own.number == 1
    assert templating.current(K.BORDEREAU, saisie.pk) == own
    assert templating.current(K.BORDEREAU, other.pk) == general
    assert templating.current(K.BORDEREAU, None) == general
    assert templating.current(K.AVIS, saisie.pk) is None  # the file


def test_a_template_version_never_changes(users):
    version = templating.save_version(K.ACCUSE, None, edited(), users["head"], base=0)
    version.body = "falsifié"
    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        version.delete()
    for change in (
        lambda: TemplateVersion.objects.filter(pk=version.pk).update(body="falsifié"),
        lambda: TemplateVersion.objects.filter(pk=version.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert TemplateVersion.objects.get(pk=version.pk).body == edited()
