"""What axe does not see on the pages (RGAA 4.1), read in their HTML: every id once on a
page (a label's `for` names one field), navigation links that are not announced as tabs,
no paragraph within a paragraph, and a refused form's error summary that links to each
field to correct."""

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import money
from cases.enums import DistributionKind
from tests.factories import CaseFactory, actor_for, case_at_step
from workflows import services as workflow
from workflows.process import PROCESS

pytestmark = pytest.mark.django_db

IDS = re.compile(r'\sid="([^"]+)"')
FORS = re.compile(r'\sfor="([^"]+)"')


def _task(case):
    (task,) = workflow.active_tasks(case)
    return task


def _ids(page: str) -> Counter:
    return Counter(IDS.findall(page))


@pytest.mark.parametrize("step", ["receivability", "hearings", "execution"])
def test_every_form_of_a_step_page_has_ids_of_its_own(client, step):
    """The step's form, its side actions (a hearing, an adjournment, a recovery, an act)
    and the head's cancellation each have a `reason`, `note`, `hearing` or `comment` of
    their own: each label names its own field."""
    case = case_at_step(step)
    task = _task(case)
    user = actor_for(case, PROCESS[step].actor)
    if step == "receivability":  # the head holds it: the cancellation form is shown too
        workflow.take(task.pk, user)
    client.force_login(user)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    twice = [name for name, count in _ids(page).items() if count > 1]
    assert not twice, twice
    assert set(FORS.findall(page)) <= set(_ids(page))
    if step == "receivability":
        assert 'id="id_reason"' in page and 'id="id_cancel_reason"' in page


@pytest.mark.parametrize(
    ("step", "lists"),
    [
        ("mandate_lawyer", ["parties"]),
        ("hearings", ["parties", "hearings"]),
        ("execution", ["recoveries"]),
        ("forced_sale", ["hearings", "sales"]),
        ("distribution", ["hearings", "sales", "recoveries", "distribution"]),
    ],
)
def test_a_step_page_reads_what_the_step_works_on_before_its_forms(client, step, lists):
    """The reading order (RGAA 9.1 and 10.3, WCAG 1.3.2), as on the screen: the case in
    brief, the lists the step works on (its parties, hearings, sales, recoveries, the
    distribution), then the step's form and the side actions that add to them."""
    case = case_at_step(step)
    task = _task(case)
    jurist = actor_for(case, PROCESS[step].actor)
    if step == "distribution":  # its list: the creditors of the distribution asked
        money.open_distribution(
            case,
            jurist,
            kind=DistributionKind.AMICABLE,
            price=Decimal("172000"),
            opened_on=timezone.localdate(),
        )
    client.force_login(jurist)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    side_actions = reverse("workflows:side_action", args=[task.pk, "x"]).removesuffix("x/")
    forms = min(page.index('name="draft_version"'), page.index(f'action="{side_actions}'))
    summary = page.index("Le dossier en bref")
    assert "{#" not in page  # a template's comment on two lines is printed
    for name in lists:
        assert summary < page.index(f'<section class="fr-mb-3w" id="{name}">') < forms, name


def test_the_task_lists_are_links_between_pages_not_tabs(client, users):
    client.force_login(users["head"])
    page = client.get(reverse("workflows:queue")).content.decode()
    assert 'role="tab' not in page and "aria-selected" not in page
    current = re.search(
        r'<a [^>]*aria-current="page"[^>]*>([^<]*)<', page.split("Listes de tâches")[1]
    )
    assert current and current.group(1).startswith("À prendre")


def test_the_status_badge_is_no_paragraph_within_a_paragraph(client, users):
    case = CaseFactory(created_by=users["poste_agent"])
    client.force_login(users["poste_agent"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert re.search(r'<p class="fr-mb-0"><span class="fr-badge', page)
    assert not re.search(r"<p[^>]*>(?:(?!</p>).)*<p", page.split("<main")[1], re.S)


def test_a_refused_step_shows_an_error_summary_linking_to_each_field(client):
    case = case_at_step("mandate_lawyer")
    task = _task(case)
    client.force_login(actor_for(case, PROCESS["mandate_lawyer"].actor))
    url = reverse("workflows:task", args=[task.pk])
    assert "data-error-summary" not in client.get(url).content.decode()
    response = client.post(url, {"action": "complete", "draft_version": "0"})
    assert response.status_code == 422
    page = response.content.decode()
    summary = page.split("data-error-summary")[1].split("</div>")[0]
    assert "2 erreurs à corriger" in summary
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == ["id_lawyer", "id_mandated_on"]
    assert all(f'id="{anchor}"' in page for anchor in links)
    # Its place: before the step's form, which follows the case in brief.
    assert (
        page.index("data-error-summary")
        < page.index("Le dossier en bref")
        < page.index('name="action" value="complete"')
    )


def test_a_refused_referral_shows_an_error_summary(client, users):
    client.force_login(users["poste_agent"])
    response = client.post(
        reverse("cases:create"),
        {
            "action": "save",
            "case-mode": "prise_en_charge",
            "debtor-kind": "legal",
            "debtor-siren": "12",
            **{f"{p}-TOTAL_FORMS": "0" for p in ("claims", "properties", "managers", "holders")},
            **{f"{p}-INITIAL_FORMS": "0" for p in ("claims", "properties", "managers", "holders")},
        },
    )
    page = response.content.decode()
    assert response.status_code == 422, page
    summary = page.split("data-error-summary")[1].split("</div>")[0]
    assert 'href="#id_debtor-siren"' in summary and 'id="id_debtor-siren"' in page


def test_a_refused_token_shows_an_error_summary(client, users):
    client.force_login(users["jurist"])
    response = client.post(reverse("account:token_create"), {"name": ""})
    assert response.status_code == 422
    page = response.content.decode()
    summary = page.split("data-error-summary")[1].split("</div>")[0]
    assert 'href="#id_name"' in summary and 'id="id_name"' in page


def test_a_refused_account_shows_an_error_summary(client, users):
    client.force_login(users["head"])
    response = client.post(reverse("accounts:create"), {"username": "x", "role": "jurist"})
    assert response.status_code == 422
    page = response.content.decode()
    summary = page.split("data-error-summary")[1].split("</div>")[0]
    assert 'href="#id_email"' in summary and 'id="id_email"' in page
