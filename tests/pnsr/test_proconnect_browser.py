"""ProConnect in Chromium, end to end: the login page's button, the test provider's login
(tests/oidc_provider, standing for ProConnect), back to the application; the refusals an
agent meets (no second factor for a role that needs one, no account); the logout that ends
the session at the provider too. No Content-Security-Policy violation on the way (the
button and the logout are forms redirected to the provider)."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.enums import Role
from cases.models import User
from tests.factories import UserFactory
from tests.pnsr.browsing import axe_violations, beside_the_browser, describe, launch, needs_chromium

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


def at_provider(page, email: str, *, mfa: bool) -> None:
    """From the application's login page, through the provider's, back to the application."""
    page.click("button.fr-connect")
    page.wait_for_selector("#email")
    page.fill("#email", email)
    page.set_checked("#mfa", mfa)
    page.click("#sign-in")
    page.wait_for_load_state("networkidle")


def browse(live_server, run):
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.on(
            "console",
            lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.goto(live_server.url + reverse("login"))
        try:
            run(page)
        finally:
            browser.close()
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_the_head_signs_in_with_proconnect_then_logs_out_at_the_provider(
    reference_data, live_server, proconnect
):
    head = UserFactory(
        username="chef",
        role=Role.HEAD,
        email="chef@dgfip.test",
        first_name="Claire",
        last_name="Chef",
    )

    def run(page):
        at_provider(page, "chef@dgfip.test", mfa=True)
        assert page.url.startswith(live_server.url), page.url
        assert reverse("login") not in page.url
        assert "Claire Chef" in page.inner_text("header")
        assert beside_the_browser(lambda: User.objects.get(pk=head.pk).proconnect_sub is not None)
        page.click("header button:has-text('Se déconnecter')")
        page.wait_for_load_state("networkidle")
        assert page.url.startswith(live_server.url + reverse("login")), page.url
        page.goto(proconnect.url + "/whoami/")
        assert page.inner_text("body").strip() == "anonyme"  # the provider's session ended too
        page.goto(live_server.url + reverse("home"))
        assert reverse("login") in page.url  # and the application's

    browse(live_server, run)


def test_a_jurist_without_a_second_factor_reads_why_they_are_refused(
    reference_data, live_server, proconnect
):
    UserFactory(username="juriste.a", role=Role.JURIST, email="juriste.a@dgfip.test")

    def run(page):
        at_provider(page, "juriste.a@dgfip.test", mfa=False)
        assert page.inner_text("h1") == "Double authentification requise"
        assert "second facteur" in page.inner_text("main")
        page.goto(live_server.url + reverse("home"))
        assert reverse("login") in page.url

    browse(live_server, run)


def test_an_unknown_agent_reads_that_their_account_is_not_open_and_nothing_is_created(
    reference_data, live_server, proconnect
):
    UserFactory(username="admin.site", role=Role.ADMIN, email="admin@dgfip.test")
    problems = []

    def run(page):
        problems.extend(describe("connexion", axe_violations(page)))
        at_provider(page, "nouvel.agent@dgfip.test", mfa=True)
        assert page.inner_text("h1") == "Votre compte n'est pas encore ouvert"
        problems.extend(describe("compte non ouvert", axe_violations(page)))

    browse(live_server, run)
    assert not problems, "\n".join(problems)
    assert not beside_the_browser(
        lambda: User.objects.filter(email__iexact="nouvel.agent@dgfip.test").exists()
    )
    assert [m.to for m in mail.outbox if "nouvel.agent@dgfip.test" in m.subject] == [
        ["admin@dgfip.test"]
    ]
