"""In Chromium: Enter in a field of the referral form sends nothing (it used to save a
new draft each time); the form is sent only by its buttons."""

from django.urls import reverse

from cases.models import Case
from tests.pnsr.test_browser import (  # noqa: F401 (skip without Chromium)
    CHROMIUM,
    pytestmark,
)


def test_enter_in_a_field_does_not_save_a_draft(reference_data, users, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page()
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", users["poste_agent"].username)
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        page.goto(live_server.url + reverse("cases:create"))
        page.fill("[name='debtor-name']", "SARL LES TANNEURS")
        page.press("[name='debtor-name']", "Enter")
        page.wait_for_timeout(500)
        after_enter = page.url
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        page.wait_for_load_state("networkidle")
        saved = page.locator(".fr-alert--success, .fr-notice").first.inner_text()
        browser.close()
    assert after_enter.endswith(reverse("cases:create"))  # Enter went nowhere
    assert "est enregistré" in saved
    assert Case.objects.count() == 1  # the button's draft only
