"""The keyboard alone (RGAA 12.13, WCAG 2.1.1), in Chromium: a referrer writes and sends a
referral (a row of claims added), and one step of each kind of step
form is completed, pressing only Tab (and Shift+Tab), the arrows, Space and Enter, and
typing. The kinds, by what their forms ask:

- fields to fill, a list and a date (the lawyer's mandate), reached through the error
  summary of a first refused sending;
- a choice between endings and the fields it shows: boxes to check, a text (the
  receivability's return, the step taken from the queue first);
- a person chosen in a list (the assignment);
- a text written, then a review that sends it back with its observations (the opinion);
- side actions before the completion: a date and time, a list (the hearings);
- a file joined, amounts, a choice and dates (the decision and its judgment);
- one box to check beside a choice (the direction's follow-up asking for the takeover),
  then a refusal whose reasons are required (the head's), first sent without them;
- a text alone that ends the case (the synthesis closing a technical support, by the
  referrer from the case page);
- an amount recovered with the claims it pays (boxes of rows) as a side action, then the
  closing of the case (a list, a text).

Every step form of `workflows.steps` is made of these widgets; none is a formset of rows
(the referral's claims are: a row added in the first test), none is a confirmation alone.
A step's file is chosen in the chooser its field opens with Space (Playwright stands in
for the system's dialog); the referral's pieces are added beside its page. One Chromium
serves the whole module (`browser`), each test its own context (`page`)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import risk_grid, services
from cases.enums import CaseStatus, PieceKind
from cases.models import Case
from tests.factories import actor_for, case_at_step, sample_pdf
from tests.pnsr.browsing import launch, needs_chromium, sign_in, sign_out
from workflows import services as workflow
from workflows.process import PROCESS

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module's tests (launching it is the slow part). Playwright's
    loop waits in this thread between two of its calls, so Django would take the tests'
    own database work for code run inside an event loop and refuse it: it is synchronous
    code, said so for the module's duration."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser):
    """A page of its own context: no cookie, no session left by the previous test."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


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


def press_button(page, selector: str) -> None:
    """A button of the page itself (no page loaded after it), activated with Enter."""
    tab_to(page, selector)
    page.keyboard.press("Enter")


def join_file(page, selector: str, name: str, content: bytes) -> None:
    """A file field reached by Tab and opened with Space; the file is then chosen in the
    chooser it opens (the system's dialog, which Playwright stands in for)."""
    tab_to(page, selector)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files({"name": name, "mimeType": "application/pdf", "buffer": content})
    assert page.evaluate("() => document.activeElement.files[0].name") == name, selector


def _add_the_pieces(case: Case) -> None:
    """The pieces, joined beside the page (the referral form's file rows do not always
    open their chooser under Playwright's keyboard: the decision's judgment is joined
    with the keyboard below)."""
    for code in case.action_type.required_pieces:
        services.add_piece_bytes(
            case.created_by, case, code, f"{code}.pdf", sample_pdf(PieceKind(code).label)
        )


def test_a_referrer_writes_and_sends_a_referral_with_the_keyboard(
    page, reference_data, users, live_server
):
    from cases.models import ActionType

    referrer = users["poste_agent"]
    action = ActionType.objects.get(code="saisie_immobiliere")
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
    # A second claim: its row added by the button, the focus put in it.
    press_button(page, "[data-add-form='claims']")
    assert page.evaluate("() => document.activeElement.id") == "id_claims-1-tax"
    choose(page, "#id_claims-1-tax", "IS")
    choose(page, "#id_claims-1-nature", "impot_amr")
    type_into(page, "#id_claims-1-period", "2022")
    type_date(page, "#id_claims-1-assessment_date", datetime.date(2023, 5, 10))
    type_into(page, "#id_claims-1-principal", "20000")
    type_into(page, "#id_claims-1-penalties", "0")
    type_into(page, "#id_claims-1-remaining", "20000")
    press(page, "button[value='save']")

    case = Case.objects.get(created_by=referrer)
    assert case.status == CaseStatus.DRAFT and case.claims.count() == 2
    _add_the_pieces(case)
    page.goto(live_server.url + case.get_absolute_url())
    press(page, f"a[href='{reverse('cases:edit', args=[case.reference])}']")
    press(page, "button[value='submit']")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_jurist_completes_a_step_with_the_keyboard(page, reference_data, live_server):
    """Sent empty first: the error summary takes the focus, its first link leads to the
    field; then the step is filled in and completed."""
    case = case_at_step("mandate_lawyer")
    jurist = actor_for(case, PROCESS["mandate_lawyer"].actor)
    (task,) = workflow.active_tasks(case)
    step = reverse("workflows:task", args=[task.pk])
    sign_in(page, live_server.url, jurist.username)
    page.goto(live_server.url + reverse("workflows:inbox"))
    press(page, f"a[href='{step}']")

    press(page, "button[value='complete']")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_lawyer"

    lawyer = page.evaluate("() => document.querySelector('#id_lawyer option:nth-child(2)').value")
    choose(page, "#id_lawyer", lawyer)
    type_date(page, "#id_mandated_on", timezone.localdate() - datetime.timedelta(days=3))
    press(page, "button[value='complete']")
    page.screenshot(path="/tmp/a11y-keyboard-step.png", full_page=True)
    assert case.mandates.filter(lawyer_id=int(lawyer)).exists()
    assert not [t for t in workflow.active_tasks(case) if t.flow_task.name == "mandate_lawyer"]


def type_datetime(page, selector: str, moment: datetime.datetime) -> None:
    """A date and time field: the date's parts, then the hour and the minutes (and the
    half-day where the browser's language counts hours in twelve)."""
    tab_to(page, selector)
    order = page.evaluate(
        """() => new Intl.DateTimeFormat(undefined, {year: "numeric", month: "2-digit",
              day: "2-digit", hour: "2-digit", minute: "2-digit"})
              .formatToParts(new Date(2024, 2, 15, 14, 30)).map(p => p.type)
              .filter(t => ["day", "month", "year", "hour", "minute", "dayPeriod"].includes(t))"""
    )
    twelve = "dayPeriod" in order
    hour = (moment.hour % 12 or 12) if twelve else moment.hour
    parts = {
        "day": f"{moment.day:02d}",
        "month": f"{moment.month:02d}",
        "year": f"{moment.year}",
        "hour": f"{hour:02d}",
        "minute": f"{moment.minute:02d}",
        "dayPeriod": "P" if moment.hour >= 12 else "A",
    }
    for position, name in enumerate(order):
        page.keyboard.type(parts[name])
        if name == "year" and position < len(order) - 1:
            page.keyboard.press("ArrowRight")  # a year may have more digits: no leap
    assert page.evaluate("() => document.activeElement.value") == moment.strftime(
        "%Y-%m-%dT%H:%M"
    ), selector


def check_box(page, selector: str) -> None:
    """A checkbox reached by Tab, checked with Space."""
    tab_to(page, selector)
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), selector


def open_step(page, base_url: str, task) -> None:
    """The step's page reached from the inbox, or taken from the queue with « Prendre »
    when no one holds it yet."""
    if task.owner_id is None:
        page.goto(base_url + reverse("workflows:queue"))
        press(page, f"form[action='{reverse('workflows:take', args=[task.pk])}'] button")
    else:
        page.goto(base_url + reverse("workflows:inbox"))
        press(page, f"a[href='{reverse('workflows:task', args=[task.pk])}']")
    assert page.url.endswith(reverse("workflows:task", args=[task.pk])), page.url


def _open_steps(case: Case) -> list[str]:
    return [t.flow_task.name for t in workflow.active_tasks(case)]


def test_the_head_takes_a_referral_from_the_queue_and_returns_it_with_the_keyboard(
    page, reference_data, live_server
):
    """A step that ends several ways (the radios of its choice, the boxes of the grounds
    shown with it), taken from the queue first."""
    case = case_at_step("receivability")
    head = actor_for(case, PROCESS["receivability"].actor)
    (task,) = workflow.active_tasks(case)
    assert task.owner_id is None  # in the intake queue
    sign_in(page, live_server.url, head.username)
    open_step(page, live_server.url, task)
    check_radio(page, "decision", "return")
    check_box(page, "input[name='grounds'][value='pieces']")
    type_into(page, "#id_missing", "Le relevé de compte du débiteur.")
    press(page, "button[value='complete']")
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    assert _open_steps(case) == ["completion"]


def test_the_head_assigns_a_case_with_the_keyboard(page, reference_data, live_server):
    """A step whose answer is a person chosen in a list."""
    case = case_at_step("assignment", mode="prise_en_charge")
    head = actor_for(case, PROCESS["assignment"].actor)
    (task,) = workflow.active_tasks(case)
    sign_in(page, live_server.url, head.username)
    open_step(page, live_server.url, task)
    jurist = page.evaluate(
        "() => [...document.querySelectorAll('#id_jurist option')]"
        ".map(o => o.value).filter(v => v).pop()"
    )
    choose(page, "#id_jurist", jurist)
    press(page, "button[value='complete']")
    case.refresh_from_db()
    assert case.assigned_jurist_id == int(jurist)
    assert _open_steps(case) == ["mandate_lawyer"]


def test_an_opinion_is_written_and_sent_back_with_the_keyboard(page, reference_data, live_server):
    """A step of writing (radios, a list, long texts), then a step of review that sends the
    text back to its author with the reviewer's observations."""
    case = case_at_step("write_opinion", mode="avis")
    author = actor_for(case, PROCESS["write_opinion"].actor)
    head = actor_for(case, PROCESS["validate_opinion"].actor)
    (task,) = workflow.active_tasks(case)
    sign_in(page, live_server.url, author.username)
    open_step(page, live_server.url, task)
    check_radio(page, "conclusion", "favourable")
    type_into(page, "#id_reasons", "Patrimoine immobilier libre de sûretés.")
    for name in risk_grid.LEVEL_FIELDS:  # the risk grid: a group of radios per row
        check_radio(page, name, "low")
    check_radio(page, "risk_level", "low")
    type_into(page, "#id_risk_assessment", "Bien estimé à deux fois la créance.")
    press(page, "button[value='complete']")
    (review,) = workflow.active_tasks(case)
    assert review.flow_task.name == "validate_opinion"

    sign_out(page, live_server.url)
    sign_in(page, live_server.url, head.username)
    open_step(page, live_server.url, review)
    check_radio(page, "decision", "return")
    type_into(page, "#id_comments", "Chiffrer le coût de la procédure.")
    press(page, "button[value='complete']")
    assert _open_steps(case) == ["write_opinion"]
    opinion = case.opinions.get()
    assert opinion.reasons == "Patrimoine immobilier libre de sûretés."
    assert opinion.review_comments == "Chiffrer le coût de la procédure."


def test_a_hearing_is_entered_held_and_put_in_deliberation_with_the_keyboard(
    page, reference_data, live_server
):
    """A step of side actions (each its own form on the page) before its completion."""
    from cases.enums import HearingStatus

    case = case_at_step("hearings")
    jurist = actor_for(case, PROCESS["hearings"].actor)
    (task,) = workflow.active_tasks(case)
    past = timezone.localtime() - datetime.timedelta(days=7)
    sitting = past.replace(hour=9, minute=30, second=0, microsecond=0)
    while sitting.weekday() >= 5:
        sitting -= datetime.timedelta(days=1)
    sign_in(page, live_server.url, jurist.username)
    open_step(page, live_server.url, task)
    hearing_form = f"form[action='{reverse('workflows:side_action', args=[task.pk, 'hearing'])}']"
    type_datetime(page, f"{hearing_form} [name='scheduled_at']", sitting)
    kind = page.evaluate(
        "(f) => document.querySelector(f + \" [name='kind'] option:nth-child(2)\").value",
        hearing_form,
    )
    choose(page, f"{hearing_form} [name='kind']", kind)
    press(page, f"{hearing_form} button[type='submit']")
    hearing = case.hearings.get()

    held_form = f"form[action='{reverse('workflows:side_action', args=[task.pk, 'held'])}']"
    choose(page, f"{held_form} [name='hearing']", str(hearing.pk))
    press(page, f"{held_form} button[type='submit']")

    type_date(page, "#id_deliberation_on", timezone.localdate() + datetime.timedelta(days=20))
    press(page, "button[value='complete']")
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert _open_steps(case) == ["decision"]


def open_from_the_case_page(page, base_url: str, case: Case, task) -> None:
    """The referring side reaches its step from the case's page (« Traiter l'étape »)."""
    page.goto(base_url + case.get_absolute_url())
    press(page, f"a[href='{reverse('workflows:task', args=[task.pk])}']")


def test_a_decision_is_recorded_with_its_judgment_with_the_keyboard(
    page, reference_data, live_server
):
    """A file joined (the judgment), a choice, a list, an amount and dates."""
    case = case_at_step("decision")
    jurist = actor_for(case, PROCESS["decision"].actor)
    (task,) = workflow.active_tasks(case)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    sign_in(page, live_server.url, jurist.username)
    open_step(page, live_server.url, task)
    check_radio(page, "result", "decided")
    type_date(page, "#id_decided_on", yesterday)
    assert page.input_value("#id_court")  # the hearing's court, already there
    choose(page, "#id_outcome", "granted")
    type_into(page, "#id_amount_awarded", "80000")
    type_date(page, "#id_notified_on", yesterday)
    join_file(page, "#id_judgment", "jugement.pdf", sample_pdf("Jugement"))
    type_into(page, "#id_summary", "Demande accueillie.")
    press(page, "button[value='complete']")
    decision = case.decisions.get()
    assert decision.outcome == "granted" and decision.amount_awarded == 80000
    assert decision.judgment.original_name == "jugement.pdf"
    assert _open_steps(case) == ["appeal_decision"]


def test_a_takeover_asked_then_refused_with_its_reasons_with_the_keyboard(
    page, reference_data, live_server
):
    """A box to check beside a choice (the direction asks for the takeover), then a
    refusal whose reasons are required: sent without them, the error summary leads to
    the field."""
    case = case_at_step("follow_up", mode="avis")
    referrer = actor_for(case, PROCESS["follow_up"].actor)
    head = actor_for(case, PROCESS["takeover_decision"].actor)
    (task,) = workflow.active_tasks(case)
    sign_in(page, live_server.url, referrer.username)
    open_from_the_case_page(page, live_server.url, case, task)
    check_radio(page, "follow", "followed")
    type_into(page, "#id_comment", "La direction retient la saisie.")
    check_box(page, "#id_takeover_requested")
    press(page, "button[value='complete']")
    (decision,) = workflow.active_tasks(case)
    assert decision.flow_task.name == "takeover_decision"

    sign_out(page, live_server.url)
    sign_in(page, live_server.url, head.username)
    open_step(page, live_server.url, decision)
    check_radio(page, "decision", "refuse")
    press(page, "button[value='complete']")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_reason"
    page.keyboard.type("Enjeu trop faible pour une procédure.")
    press(page, "button[value='complete']")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.opinions.get().takeover_requested


def test_the_referrer_closes_a_technical_support_with_the_keyboard(
    page, reference_data, live_server
):
    """A text alone that ends the case, written by the referring side."""
    case = case_at_step("support", mode="soutien")
    (task,) = workflow.active_tasks(case)
    sign_in(page, live_server.url, case.created_by.username)
    open_from_the_case_page(page, live_server.url, case, task)
    type_into(page, "#id_summary", "Le modèle d'assignation a suffi ; la direction assigne.")
    press(page, "button[value='complete']")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_recovery_is_recorded_and_the_case_closed_with_the_keyboard(
    page, reference_data, live_server
):
    """A side action of an amount and the claims it pays (a box per claim), then the
    closing (a list, a text)."""
    from cases.enums import ClosureReason

    case = case_at_step("execution")
    jurist = actor_for(case, PROCESS["execution"].actor)
    (task,) = workflow.active_tasks(case)
    claim = case.claims.get()
    sign_in(page, live_server.url, jurist.username)
    open_step(page, live_server.url, task)
    recovery_form = f"form[action='{reverse('workflows:side_action', args=[task.pk, 'recovery'])}']"
    type_date(
        page,
        f"{recovery_form} [name='received_on']",
        timezone.localdate() - datetime.timedelta(days=2),
    )
    type_into(page, f"{recovery_form} [name='amount']", "15000")
    check_box(page, f"{recovery_form} [name='claims'][value='{claim.pk}']")
    press(page, f"{recovery_form} button[type='submit']")
    recovery = case.recoveries.get()
    assert recovery.amount == 15000
    assert [i.claim_id for i in recovery.imputations.all()] == [claim.pk]

    choose(page, "#id_closure_reason", ClosureReason.RECOVERED_PARTIAL)
    type_into(page, "#id_comment", "Quinze mille euros recouvrés ; le reste irrécouvrable.")
    press(page, "button[value='complete']")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.RECOVERED_PARTIAL
