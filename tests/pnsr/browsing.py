"""What the browser tests share: Debian's Chromium driven by Playwright, signing in through
the login form, axe-core (vendored: tests/pnsr/vendor/README.md) run in the page."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"Chromium absent ({CHROMIUM}) : .ci/run installe le paquet Debian chromium",
)

# The rules of WCAG 2.1 A and AA that RGAA 4.1 follows, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("critical", "serious")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True)


def sign_in(page, base_url: str, username: str, password: str = "demo") -> None:
    page.goto(base_url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert not page.url.endswith(reverse("login")), f"{username} n'a pas pu se connecter"


def sign_out(page, base_url: str) -> None:
    page.context.clear_cookies()


def axe_violations(page) -> list[dict]:
    """The critical and serious violations axe finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the DevTools protocol: the page's Content-Security-Policy does not
        # apply (a <script> tag would be refused, as it should be).
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " : " +
              (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300))}));
        }""",
        AXE_TAGS,
    )
    return [v for v in result if v["impact"] in BLOCKING]


def describe(where: str, violations: list[dict]) -> list[str]:
    return [
        f"{where} : [{v['impact']}] {v['id']} ({v['help']})\n      " + "\n      ".join(v["nodes"])
        for v in violations
    ]


def horizontal_overflow(page) -> str:
    """What makes the page wider than its window ("" when nothing scrolls sideways): the
    overflow in pixels and the outermost elements that stick out."""
    return page.evaluate(
        r"""() => {
          const over = document.documentElement.scrollWidth - window.innerWidth;
          if (over <= 0) { return ""; }
          const sticks = e => e.getBoundingClientRect().right > window.innerWidth + 1;
          const scrolls = e => e.closest(".fr-table__container, .pnsr-flow-chart");
          const out = [...document.body.querySelectorAll("*")].filter(e =>
            sticks(e) && !scrolls(e) && !(e.parentElement && sticks(e.parentElement)));
          return over + " px : " + out.slice(0, 5).map(e =>
            e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
            (e.className && typeof e.className === "string" ? "." +
              e.className.trim().split(/\s+/).join(".") : "")).join(", ");
        }"""
    )


def duplicate_ids(page) -> list[str]:
    """The ids more than one element of the page has (a label's `for` then names the
    first one: the second form's label sends to the first form's field). axe 4 no longer
    checks them."""
    return page.evaluate(
        """() => {
          const seen = {};
          document.querySelectorAll("[id]").forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
          return Object.keys(seen).filter(id => seen[id] > 1);
        }"""
    )


def beside_the_browser(function, *args):
    """Database work between two pages, while Playwright's loop runs (Django refuses the
    ORM within an event loop): in a thread of its own, its connection closed after (the
    test database can then be dropped)."""

    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
