"""The keyboard alone (RGAA 12.13, WCAG 2.1.1), in Chromium: a referrer writes and sends a
referral, a jurist completes a step, pressing only Tab (and Shift+Tab), the arrows, Space
and Enter, and typing. What no keyboard can do in a page — choosing a file in the system's
dialog — is done by the test beside the page (the pieces)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.enums import CaseStatus, PieceKind
from cases.models import Case
from tests.factories import actor_for, case_at_step, sample_pdf
from tests.pnsr.browsing import beside_the_browser, launch, needs_chromium, sign_in
from workflows import services as workflow
from workflows.process import PROCESS

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => document.activeElement"


def tab_to(page, selector: str, *, limit: int = 300) -> None:
    """Press Tab until the focus is on `selector` (fails if the keyboard never gets there)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"La touche Tab n'atteint jamais {selector} ({page.url})")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, selector: str, value: str, *, limit: int = 200) -> None:
    """A closed <select>, focused by Tab: the down arrow moves through its options."""
    tab_to(page, selector)
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector} : l'option {value} n'est pas atteinte au clavier")


def check_radio(page, name: str, value: str) -> None:
    """A group of radios: Tab reaches it, the arrows move the choice, Space checks it."""
    tab_to(page, f"[name='{name}']")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{name} : le choix {value} n'est pas atteint au clavier")


def type_date(page, selector: str, day: datetime.date) -> None:
    """A date field: its three parts typed in turn, in the order the browser's language
    shows them (jj/mm/aaaa in French, mm/dd/yyyy in Chromium's default English)."""
    tab_to(page, selector)
    order = page.evaluate(
        """() => new Intl.DateTimeFormat().formatToParts(new Date(2024, 2, 15))
              .map(p => p.type).filter(t => ["day", "month", "year"].includes(t))"""
    )
    parts = {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": f"{day.year}"}
    page.keyboard.type("".join(parts[name] for name in order))
    assert page.evaluate("() => document.activeElement.value") == day.isoformat(), selector


def press(page, selector: str) -> None:
    """Reach a link or a button with Tab and activate it with Enter (waiting for the page
    it leads to)."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _saved_draft_with_its_pieces(referrer) -> Case:
    case = Case.objects.get(created_by=referrer)
    assert case.status == CaseStatus.DRAFT and case.claims.count() == 1
    for code in case.action_type.required_pieces:  # the system's file dialog
        services.add_piece_bytes(
            referrer, case, code, f"{code}.pdf", sample_pdf(PieceKind(code).label)
        )
    return case


def test_a_referrer_writes_and_sends_a_referral_with_the_keyboard(
    reference_data, users, live_server
):
    from playwright.sync_api import sync_playwright

    from cases.models import ActionType

    referrer = users["poste_agent"]
    action = ActionType.objects.get(code="saisie_immobiliere")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        sign_in(page, live_server.url, referrer.username)
        page.goto(live_server.url + reverse("cases:list"))
        press(page, f"a[href='{reverse('cases:create')}']")

        check_radio(page, "case-mode", "prise_en_charge")
        choose(page, "#id_case-action_type", str(action.pk))
        choose(page, "#id_case-poste_comptable", str(referrer.poste_comptable_id))
        type_into(page, "#id_case-request", "Engager la saisie immobilière.")
        type_into(page, "#id_case-facts", "Redevable défaillant ; local commercial libre.")
        check_radio(page, "debtor-kind", "legal")
        type_into(page, "#id_debtor-name", "SARL LES TANNEURS")
        type_into(page, "#id_debtor-siren", "552100554")
        choose(page, "#id_claims-0-tax", "TVA")
        choose(page, "#id_claims-0-nature", "impot_amr")
        type_into(page, "#id_claims-0-period", "2023")
        type_date(page, "#id_claims-0-assessment_date", datetime.date(2024, 3, 15))
        type_into(page, "#id_claims-0-principal", "100000")
        type_into(page, "#id_claims-0-penalties", "10000")
        type_into(page, "#id_claims-0-remaining", "110000")
        type_into(page, "#id_properties-0-address", "12 rue des Tanneurs")
        type_into(page, "#id_properties-0-postal_code", "02000")
        type_into(page, "#id_properties-0-commune", "Laon")
        type_into(page, "#id_properties-0-departement", "02")
        type_into(page, "#id_properties-0-cadastral_section", "AB")
        type_into(page, "#id_properties-0-cadastral_number", "142")
        press(page, "button[value='save']")

        case = beside_the_browser(_saved_draft_with_its_pieces, referrer)
        page.goto(live_server.url + case.get_absolute_url())
        press(page, f"a[href='{reverse('cases:edit', args=[case.reference])}']")
        press(page, "button[value='submit']")
        browser.close()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_jurist_completes_a_step_with_the_keyboard(reference_data, live_server):
    """Sent empty first: the error summary takes the focus, its first link leads to the
    field; then the step is filled in and completed."""
    from playwright.sync_api import sync_playwright

    case = case_at_step("mandate_lawyer")
    jurist = actor_for(case, PROCESS["mandate_lawyer"].actor)
    (task,) = workflow.active_tasks(case)
    step = reverse("workflows:task", args=[task.pk])
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        sign_in(page, live_server.url, jurist.username)
        page.goto(live_server.url + reverse("workflows:inbox"))
        press(page, f"a[href='{step}']")

        press(page, "button[value='complete']")
        assert page.evaluate("() => document.activeElement.id") == "error-summary"
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "id_lawyer"

        lawyer = page.evaluate(
            "() => document.querySelector('#id_lawyer option:nth-child(2)').value"
        )
        choose(page, "#id_lawyer", lawyer)
        type_date(page, "#id_mandated_on", timezone.localdate() - datetime.timedelta(days=3))
        press(page, "button[value='complete']")
        page.screenshot(path="/tmp/a11y-keyboard-step.png", full_page=True)
        browser.close()
    assert case.mandates.filter(lawyer_id=int(lawyer)).exists()
    assert not [t for t in workflow.active_tasks(case) if t.flow_task.name == "mandate_lawyer"]
