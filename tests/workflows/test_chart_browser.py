"""In Chromium at 1280 px: the process chart, wider than the screen, opens scrolled to the
case's current step (it opened at its start, the current step cropped off on the right)."""

from django.urls import reverse

from cases.enums import CaseStatus
from tests.factories import CaseFactory
from tests.pnsr.test_browser import (  # noqa: F401 (skip without Chromium)
    CHROMIUM,
    pytestmark,
)


def test_the_chart_opens_on_the_current_step(reference_data, users, live_server):
    from playwright.sync_api import sync_playwright

    case = CaseFactory(to=CaseStatus.EXECUTION)
    url = live_server.url + reverse("workflows:chart_page", args=[case.reference])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", users["head"].username)
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        page.goto(url)
        page.wait_for_load_state("networkidle")
        box = page.evaluate(
            """() => { const b = document.querySelector('.pnsr-flow-chart');
                return {focus: Number(b.dataset.focus), left: b.scrollLeft,
                        visible: b.clientWidth, width: b.querySelector('img').clientWidth,
                        tab: b.tabIndex}; }"""
        )
        browser.close()
    step = box["focus"] * box["width"]
    assert box["width"] > box["visible"]  # the chart is wider than its frame
    assert box["focus"] > 0.8  # « Suivre l'exécution et clore » is on the right
    assert box["left"] < step < box["left"] + box["visible"]
    assert box["tab"] == 0  # the frame scrolls with the keyboard
