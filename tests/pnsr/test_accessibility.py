"""Accessibility in a real browser (RGAA 4.1, which follows WCAG 2.1 AA; a legal obligation
for this software, loi n° 2005-102 art. 47 and décret n° 2019-768): axe-core run in
Debian's Chromium on every kind of page, as each role that sees it, finds no critical and
no serious violation."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import absences, claims_import, workspace
from cases.enums import CaseStatus, LabelColour
from cases.models import Label, PosteComptable
from tests.factories import CaseFactory, actor_for, case_at_step
from tests.pnsr.browsing import (
    axe_violations,
    beside_the_browser,
    describe,
    duplicate_ids,
    horizontal_overflow,
    launch,
    needs_chromium,
    sign_in,
)
from workflows import services as workflow
from workflows.process import PROCESS
from workflows.steps import STEPS

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

# The steps that have a page of their own (the completion step is the referral's form).
STEP_PAGES = [name for name, spec in STEPS.items() if spec.has_form]

# Every signed-in role's pages (each opens what the role may see; the others answer 403 or
# 404 and are not audited for that role).
COMMON = [
    reverse("home"),
    reverse("cases:list"),
    reverse("workflows:inbox"),
    reverse("workflows:queue"),
    reverse("workflows:archive"),
    reverse("deadlines:mine"),
    reverse("deadlines:calculator"),
    reverse("notifications:list"),
    reverse("notifications:preferences"),
    reverse("account:home"),
    reverse("dashboards:index"),
    reverse("dashboards:cases") + "?figure=saisines",
    reverse("site_map"),
]
PUBLIC = [
    reverse("login"),
    reverse("password_reset"),
    reverse("accessibility"),
    reverse("legal_notice"),
    reverse("personal_data"),
    reverse("site_map"),
]


def _task_url(case) -> str:
    (task,) = workflow.active_tasks(case)
    return reverse("workflows:task", args=[task.pk])


def _case_pages(case) -> list[str]:
    return [
        case.get_absolute_url(),
        reverse("deadlines:case", args=[case.reference]),
        reverse("documents:case", args=[case.reference]),
        reverse("workflows:chart_page", args=[case.reference]),
    ]


def test_every_page_has_no_serious_accessibility_violation(reference_data, users, live_server):
    from playwright.sync_api import sync_playwright

    from dashboards.panels import DASHBOARDS

    draft = CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )
    running = CaseFactory(to=CaseStatus.UNDER_EXAMINATION)
    label = Label.objects.create(name="Dossier sensible", colour=LabelColour.PINK_TUILE)
    workspace.add_label(users["head"], running, label)
    workspace.add_note(users["head"], running, "Voir le notaire avant l'audience.")
    visits: dict[str, list[str]] = {}

    def add(user, *paths):
        visits.setdefault(user.username, []).extend(paths)

    for step in STEP_PAGES:
        case = case_at_step(step)
        add(actor_for(case, PROCESS[step].actor), _task_url(case))
    add(users["head"], *_case_pages(running), _task_url(running))
    add(users["head"], reverse("workflows:team"), reverse("workflows:lawyers"))
    add(
        users["head"],
        reverse("cases:labels"),
        reverse("cases:label_create"),
        reverse("cases:label_edit", args=[label.pk]),
        reverse("cases:label_delete", args=[label.pk]),
    )
    add(users["head"], *(reverse("dashboards:show", args=[slug]) for slug in DASHBOARDS))
    add(
        users["head"],
        reverse("document_templates:index"),
        reverse("document_templates:edit", args=["avis"]),
        reverse("document_templates:history", args=["avis"]),
    )
    add(users["admin"], reverse("cases:access_log"))
    add(users["head"], reverse("accounts:list"), reverse("accounts:create"))
    add(users["head"], reverse("accounts:detail", args=[users["jurist"].pk]))
    absences.record_absence(
        users["head"],
        users["jurist"],
        starts_on=timezone.localdate() + datetime.timedelta(days=14),
        ends_on=timezone.localdate() + datetime.timedelta(days=20),
        replacement=users["other_jurist"],
    )
    add(users["head"], reverse("accounts:absences", args=[users["jurist"].pk]))
    add(users["admin"], reverse("accounts:second_factor", args=[users["head"].pk]))
    laon = PosteComptable.objects.get(name="SIE de Laon")
    add(users["admin"], reverse("accounts:postes"))
    add(users["admin"], reverse("accounts:poste_active", args=[laon.pk]))
    referrer = running.created_by
    add(referrer, *_case_pages(running), reverse("cases:create"))
    add(users["poste_agent"], reverse("cases:edit", args=[draft.reference]))
    # The claims import: the upload, a file being read (its progress), a file to confirm.
    example = (settings.BASE_DIR / "docs" / "import-creances.csv").read_bytes()
    reading, checked = (
        claims_import.keep(users["poste_agent"], draft, "extrait.csv", example, lines_total=4)
        for _ in range(2)
    )
    claims_import.process(checked.pk)
    add(
        users["poste_agent"],
        reverse("cases:claims_import", args=[draft.reference]),
        reverse("cases:claims_import_status", args=[draft.reference, reading.pk]),
        reverse("cases:claims_import_status", args=[draft.reference, checked.pk]),
    )
    for key in ("poste_agent", "direction_agent", "jurist", "head", "expert", "management"):
        add(users[key], *COMMON)
    add(users["jurist"], reverse("api:docs"))

    problems, audited = [], set()
    with sync_playwright() as playwright:
        browser = launch(playwright)

        def audit(page, path, who):
            response = page.goto(live_server.url + path)
            if response.status >= 400:
                return
            page.wait_for_load_state("networkidle")
            if path == reverse("api:docs"):
                page.wait_for_selector(".opblock", timeout=15_000)
            audited.add(path)
            problems.extend(describe(f"{path} ({who})", axe_violations(page)))
            if twice := duplicate_ids(page):
                problems.append(f"{path} ({who}) : identifiants en double {twice}")
            if path == reverse("api:docs"):  # an operation opened, « Try it out »
                page.click(".opblock-summary-control")
                page.click(".try-out__btn")
                page.wait_for_selector(".parameters select")
                problems.extend(describe(f"{path}, essai ({who})", axe_violations(page)))

        page = browser.new_page()
        for path in PUBLIC:
            audit(page, path, "sans connexion")
        page.close()
        for username, paths in visits.items():
            page = browser.new_page()
            sign_in(page, live_server.url, username)
            for path in dict.fromkeys(paths):
                audit(page, path, username)
            page.close()
        browser.close()
    never = {p for paths in visits.values() for p in paths} - audited
    problems.extend(f"{path} : ouverte par aucun de ses rôles" for path in sorted(never))
    assert not problems, "\n".join(problems)


WIDTHS = {"ordinateur": 1280, "téléphone ou zoom à 200 %": 390}


def test_pages_fit_the_window_at_1280_and_390_pixels(reference_data, users, live_server):
    """At 390 px (a phone, or 200 % zoom on a small laptop: RGAA 10.11, WCAG 1.4.10) as at
    1280, nothing makes the page scroll sideways: long tables scroll within their own
    region, references do not break one letter per line."""
    from playwright.sync_api import sync_playwright

    case = case_at_step("hearings")
    referrer = case.created_by
    jurist = actor_for(case, PROCESS["hearings"].actor)
    label = Label.objects.create(name="Enjeu très important", colour=LabelColour.BROWN_CARAMEL)
    workspace.add_label(jurist, case, label)
    workspace.add_note(jurist, case, "Une note du pôle assez longue pour passer à la ligne. " * 3)
    draft = CaseFactory(created_by=referrer)
    pages = {
        referrer.username: [
            reverse("cases:list"),
            case.get_absolute_url(),
            reverse("cases:edit", args=[draft.reference]),
            reverse("documents:case", args=[case.reference]),
            reverse("account:home"),
            reverse("notifications:list"),
        ],
        jurist.username: [
            reverse("workflows:inbox"),
            _task_url(case),
            reverse("deadlines:mine"),
            reverse("deadlines:case", args=[case.reference]),
            reverse("workflows:chart_page", args=[case.reference]),
            reverse("deadlines:calculator"),
            reverse("cases:list"),
            case.get_absolute_url(),
        ],
        users["head"].username: [
            reverse("dashboards:index"),
            reverse("workflows:team"),
            reverse("cases:labels"),
            reverse("cases:label_edit", args=[label.pk]),
            reverse("accounts:list"),
            reverse("accounts:absences", args=[users["jurist"].pk]),
            reverse("document_templates:index"),  # its links' hidden text inside the table
            reverse("document_templates:edit", args=["avis"]),
        ],
        users["admin"].username: [reverse("accounts:postes")],
    }
    problems = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for name, width in WIDTHS.items():
            for username, paths in pages.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                sign_in(page, live_server.url, username)
                for path in paths:
                    page.goto(live_server.url + path)
                    page.wait_for_load_state("networkidle")
                    shot = path.strip("/").replace("/", "_") or "accueil"
                    page.screenshot(path=f"/tmp/a11y-{width}-{shot}.png", full_page=True)
                    if overflow := horizontal_overflow(page):
                        problems.append(f"{path} à {width} px ({name}) : {overflow}")
                    references = page.locator("td.pnsr-nowrap a")
                    for i in range(references.count()):
                        box = references.nth(i).bounding_box()
                        if box and box["height"] > 40:  # more than one line
                            problems.append(f"{path} à {width} px : référence sur plusieurs lignes")
                page.close()
        browser.close()
    assert not problems, "\n".join(problems)


def test_the_documents_page_tells_of_a_finished_production_without_reloading(
    reference_data, users, live_server
):
    """No reload every 5 seconds (RGAA 13.1: the page changed under the reader, the focus
    lost): the list is refreshed in place and a polite live region says the production is
    over."""
    from playwright.sync_api import sync_playwright

    from documents import copies, generation
    from documents.enums import DocumentStatus

    case = CaseFactory(to=CaseStatus.UNDER_EXAMINATION)
    pending = case.documents.get(status=DocumentStatus.PENDING)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        sign_in(page, live_server.url, users["head"].username)
        page.goto(live_server.url + reverse("documents:case", args=[case.reference]))
        status = page.locator("#documents-status")
        assert status.get_attribute("aria-live") == "polite"
        assert "Production en cours" in status.inner_text()
        page.evaluate("() => { window.notReloaded = true; }")
        beside_the_browser(generation.generate, pending.pk)
        page.wait_for_function(
            "() => document.getElementById('documents-status').textContent"
            ".includes('Production terminée')",
            timeout=20_000,
        )
        assert page.evaluate("() => window.notReloaded === true")
        assert page.locator(f"#{pending.kind} a", has_text="PDF").count() == 1
        # Its editable copies follow in their own task: the list keeps refreshing, and
        # says when they are there.
        assert page.locator(f"#{pending.kind} .copies-pending").count() == 1
        beside_the_browser(copies.generate_copies, pending.pk)
        page.wait_for_function(
            "() => document.getElementById('documents-status').textContent"
            ".includes('Version modifiable (ODT, DOCX) prête')",
            timeout=20_000,
        )
        assert page.evaluate("() => window.notReloaded === true")
        assert page.locator(f"#{pending.kind} a", has_text="ODT (modifiable)").count() == 1
        assert page.locator(f"#{pending.kind} .copies-pending").count() == 0
        browser.close()
