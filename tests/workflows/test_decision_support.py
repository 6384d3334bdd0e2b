"""Decision support beside the opinion (issue 24): the risk grid the author fills on the
step's page, required and explained in French; the pôle's figures on comparable cases shown
live beside the form, frozen in the version submitted, shown with it to its reviewer on the
validation step and the case page, and to the referring side only once validated."""

import html

import pytest
from django.urls import reverse

from cases.enums import DebtorKind
from cases.models import ActionType, Debtor, Opinion
from tests.comparables import crafted_history
from tests.factories import OPINION, RISK_GRID, actor_for, case_at_step
from workflows import services as workflow
from workflows.process import PROCESS
from workflows.steps import OpinionForm

from .conftest import open_task

pytestmark = pytest.mark.django_db

LIVE = "Ce que dit l'historique du pôle"
FROZEN = "Dossiers comparables retenus par l'avis"


@pytest.fixture
def opinion_case(users):
    """A saisie immobilière of a company with 88 000 € at stake, its opinion to write, and
    the crafted history of tests/comparables.py: twelve comparable cases."""
    crafted_history(users)
    case = case_at_step(
        "write_opinion", mode="avis", action_type=ActionType.objects.get(code="saisie_immobiliere")
    )
    Debtor.objects.filter(pk=case.debtor_id).update(kind=DebtorKind.LEGAL)
    return case


def page_of(client, user, task) -> str:
    client.force_login(user)
    return html.unescape(client.get(reverse("workflows:task", args=[task.pk])).content.decode())


def test_each_row_of_the_grid_is_required_with_its_french_message(opinion_case, users):
    without = {k: v for k, v in OPINION.items() if k not in RISK_GRID}
    form = OpinionForm(without, case=opinion_case, user=users["jurist"])
    assert not form.is_valid()
    assert form.errors["solvency_risk"] == [
        "Indiquez le risque lié à « Solvabilité du redevable » : faible, moyen ou élevé."
    ]
    assert form.errors["cost_risk"] == [
        "Indiquez le risque lié à « Coût de l'action » : faible, moyen ou élevé."
    ]
    assert {f"{d}_risk" for d in ("solvency", "assets", "collective", "prescription", "cost")} <= (
        form.errors.keys()
    )
    # A comment is optional, but not for a high risk.
    high = {**OPINION, "cost_risk": "high", "cost_comment": "  "}
    form = OpinionForm(high, case=opinion_case, user=users["jurist"])
    assert not form.is_valid()
    assert form.errors == {
        "cost_comment": [
            "Expliquez en quelques mots pourquoi le risque lié à « Coût de l'action » est élevé."
        ]
    }
    form = OpinionForm({**OPINION, "cost_risk": "élevé"}, case=opinion_case, user=users["jurist"])
    assert not form.is_valid() and "cost_risk" in form.errors
    assert OpinionForm(OPINION, case=opinion_case, user=users["jurist"]).is_valid()


def test_an_opinion_without_its_grid_is_refused_by_the_page_and_nothing_is_saved(
    client, opinion_case, users
):
    task = open_task(opinion_case, "write_opinion")
    author = actor_for(opinion_case, PROCESS["write_opinion"].actor)
    client.force_login(author)
    data = {**OPINION, "assets_risk": "", "action": "complete"}
    response = client.post(reverse("workflows:task", args=[task.pk]), data)
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "Indiquez le risque lié à « Patrimoine et sûretés qui le grèvent »" in page
    assert not Opinion.objects.filter(case=opinion_case).exists()


def test_the_author_sees_the_live_figures_and_the_version_keeps_them(client, opinion_case, users):
    task = open_task(opinion_case, "write_opinion")
    author = actor_for(opinion_case, PROCESS["write_opinion"].actor)
    page = page_of(client, author, task)
    assert LIVE in page
    assert "même action (saisie immobilière), redevable sans procédure collective" in page
    assert "58,3\u00a0%" in page and "190 jours" in page and "65\u202f000,00\u00a0€" in page

    client.post(reverse("workflows:task", args=[task.pk]), {**OPINION, "action": "complete"})
    opinion = Opinion.objects.get(case=opinion_case)
    assert opinion.comparables["n"] == 12 and opinion.has_risk_grid

    # The reviewer reads the grid and the figures the version relied on.
    review = open_task(opinion_case, "validate_opinion")
    head = actor_for(opinion_case, PROCESS["validate_opinion"].actor)
    page = page_of(client, head, review)
    assert FROZEN in page and LIVE not in page
    assert "Immeuble libre de toute inscription." in page  # a comment of the grid
    assert "58,3\u00a0%" in page


def test_the_case_page_shows_the_opinion_to_the_referring_side_once_validated(
    client, opinion_case, users
):
    task = open_task(opinion_case, "write_opinion")
    author = actor_for(opinion_case, PROCESS["write_opinion"].actor)
    form = OpinionForm(OPINION, case=opinion_case, user=author)
    assert form.is_valid()
    workflow.complete_task(task.pk, author, form.cleaned_data, OPINION)
    url = opinion_case.get_absolute_url()

    def case_page(role):
        client.force_login(users[role])
        return html.unescape(client.get(url).content.decode())

    assert FROZEN in case_page("head")  # the reviewer, before validating
    before = case_page("poste_agent")
    assert FROZEN not in before and "Immeuble libre de toute inscription." not in before

    review = open_task(opinion_case, "validate_opinion")
    head = actor_for(opinion_case, PROCESS["validate_opinion"].actor)
    data = {"decision": "validate", "comments": ""}
    workflow.complete_task(review.pk, head, data, data)
    after = case_page("poste_agent")
    assert FROZEN in after and "Immeuble libre de toute inscription." in after
    assert "Dossiers comparables" in after and "58,3\u00a0%" in after
