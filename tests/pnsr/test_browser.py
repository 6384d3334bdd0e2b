"""The Content-Security-Policy in a real browser (headless Chromium, Playwright): signed
in through the login form, the main kinds of page open with no policy violation — none
reported by the page (`securitypolicyviolation`), none in the console — and their
scripts run (the DSFR starts, swagger-ui draws the API's operations)."""

import importlib
from pathlib import Path

import pytest
from django.urls import reverse

from cases.enums import CaseStatus
from tests.factories import CaseFactory
from workflows import services as workflow

CHROMIUM = "/usr/bin/chromium"
APPEND_ONLY = importlib.import_module("cases.migrations.0002_caseevent_append_only")

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"Chromium absent ({CHROMIUM}) : .ci/run installe le paquet Debian chromium",
    ),
    pytest.mark.django_db(transaction=True),
]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def test_main_pages_open_without_any_policy_violation(reference_data, users, live_server):
    from playwright.sync_api import sync_playwright

    case = CaseFactory(to=CaseStatus.UNDER_EXAMINATION)
    task = next(iter(workflow.active_tasks(case.process)))
    pages = {
        "accueil": reverse("home"),
        "liste des dossiers": reverse("cases:list"),
        "dossier": case.get_absolute_url(),
        "étape": reverse("workflows:task", args=[task.pk]),
        "échéances": reverse("deadlines:mine"),
        "échéances du dossier": reverse("deadlines:case", args=[case.reference]),
        "documents du dossier (production en cours)": reverse(
            "documents:case", args=[case.reference]
        ),
        "pilotage": reverse("dashboards:index"),
        "pilotage, activité": reverse("dashboards:show", args=["activite"]),
        "déclaration d'accessibilité": reverse("accessibility"),
        "mentions légales": reverse("legal_notice"),
        "données personnelles": reverse("personal_data"),
        "plan du site": reverse("site_map"),
    }
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page()
        page.add_init_script(REPORT_VIOLATIONS)
        messages = []
        page.on(
            "console",
            lambda m: messages.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda error: messages.append(str(error)))

        def visit(name, action):
            messages.clear()
            action()
            page.wait_for_load_state("networkidle")
            problems.extend(f"{name} ({page.url}) : {text}" for text in messages)

        def sign_in():
            page.goto(live_server.url + reverse("login"))
            page.fill("#id_username", "chef")
            page.fill("#id_password", "demo")
            page.click("button[type=submit]")

        visit("connexion", sign_in)
        assert page.url.endswith(reverse("cases:list")), page.url
        for name, path in pages.items():
            visit(name, lambda path=path: page.goto(live_server.url + path))
            # The DSFR's script ran (it marks the page once started).
            assert page.evaluate("() => document.documentElement.hasAttribute('data-fr-js')"), name

        def api_docs():
            page.goto(live_server.url + reverse("api:docs"))
            page.wait_for_selector(".opblock", timeout=15_000)

        visit("documentation de l'API", api_docs)
        browser.close()
    assert not problems, "\n".join(problems)


def test_the_idle_warning_offers_to_stay_signed_in(reference_data, users, live_server, settings):
    """With a 5-minute idle limit, the warning (5 minutes before) is due at once: the
    modal shows its countdown, and « Rester connecté » renews the session on the
    server."""
    from playwright.sync_api import sync_playwright

    settings.SESSION_IDLE_MINUTES = 5
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page()
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", "chef")
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        warning = page.locator("#session-warning")
        warning.get_by_text("Votre session va prendre fin").wait_for(state="visible")
        assert "min" in warning.locator("[data-countdown]").inner_text()
        with page.expect_response(
            lambda r: r.url.endswith(reverse("session")) and r.request.method == "POST"
        ) as stay:
            warning.get_by_role("button", name="Rester connecté").click()
        assert stay.value.ok and stay.value.json()["seconds_left"] == 300
        browser.close()
    assert not problems, "\n".join(problems)
