import pytest
from django.urls import reverse
from tests.pnsr.browsing import axe_violations, describe, launch, reference_data, sign_in  # noqa

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_tmp(reference_data, users, live_server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = launch(p)
        page = b.new_page()
        sign_in(page, live_server.url, "juriste.a")
        page.goto(live_server.url + reverse("api:docs"))
        page.wait_for_selector(".opblock", timeout=15000)
        print("\n".join(describe("docs", axe_violations(page))))
        page.screenshot(path="/tmp/a11y-apidocs-1280.png")
        page.click(".opblock-summary-control")
        page.wait_for_selector(".opblock-body", timeout=5000)
        page.click(".try-out__btn")
        print("\n".join(describe("docs expanded", axe_violations(page))))
        page.screenshot(path="/tmp/a11y-apidocs-open.png", full_page=True)
        b.close()
