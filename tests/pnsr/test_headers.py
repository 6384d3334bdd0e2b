"""The headers every response carries: `Cache-Control: private, no-store` (pages,
downloads and API answers carry data under the secret fiscal, LPF L.103), the
Content-Security-Policy (django-csp) and a Permissions-Policy; and our templates keep to
what that policy allows (no inline style, no script without the page's nonce)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.api.conftest import client_for
from tests.factories import CaseFactory


def no_store(response) -> bool:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.django_db
def test_a_page_is_neither_cached_nor_framed_and_carries_the_policies(client, users):
    client.force_login(users["head"])
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    assert no_store(response)
    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "style-src 'self'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy
    # Scripts need the page's nonce, the one the page gives its own script.
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    permissions = response["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]:
        assert feature in permissions


@pytest.mark.django_db
def test_a_piece_download_is_not_cached(client, users):
    case = CaseFactory(complete=True, created_by=users["poste_agent"])
    client.force_login(users["direction_agent"])
    response = client.get(
        reverse("cases:piece_download", args=[case.reference, case.pieces.first().pk])
    )
    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.django_db
def test_an_api_answer_is_not_cached(users):
    case = CaseFactory(complete=True, created_by=users["poste_agent"])
    response = client_for(users["poste_agent"]).get(reverse("api:case", args=[case.reference]))
    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.django_db
def test_the_login_page_is_not_cached_either(client):
    assert no_store(client.get(reverse("login")))


# Emails and PDF documents are not pages: no browser policy applies to them.
NOT_PAGES = ("templates/notifications/email/", "templates/documents/")


def our_page_templates():
    root = Path(settings.BASE_DIR)
    for path in sorted((root / "templates").rglob("*.html")):
        relative = path.relative_to(root).as_posix()
        if not relative.startswith(NOT_PAGES):
            yield relative, path.read_text()


def test_our_page_templates_have_no_inline_style_nor_unnonced_script():
    found = []
    for name, text in our_page_templates():
        if re.search(r"\sstyle=|<style", text):
            found.append(f"{name}: style en ligne")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if 'nonce="{{ request.csp_nonce }}"' not in tag and "json_script" not in tag:
                found.append(f"{name}: {tag}")
        if re.search(r"javascript:|\son[a-z]+=\"", text):
            found.append(f"{name}: script dans un attribut")
    assert not found, found
