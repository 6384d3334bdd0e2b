"""The opinion and the comparables through the API (issue 24): the opinion the user may
read with its risk grid and the figures frozen at its submission; the live figures only to
those who see the pôle's internal work."""

import pytest
from django.urls import reverse

from cases import proceedings
from cases.enums import ClosureReason
from tests.comparables import History, crafted_history
from tests.documents import step, with_opinion

pytestmark = pytest.mark.django_db


def test_the_opinion_with_its_grid_and_frozen_figures_and_the_live_ones(api, users):
    crafted_history(users)
    case = with_opinion(users, validate=False)
    opinion_url = reverse("api:opinion", args=[case.reference])
    live_url = reverse("api:comparables", args=[case.reference])

    body = api("jurist").get(opinion_url).json()
    assert (body["version"], body["status"]) == (1, "submitted")
    assert [(r["dimension"], r["level"]) for r in body["risk_grid"]] == [
        ("solvency", "medium"),
        ("assets", "low"),
        ("collective", "low"),
        ("prescription", "low"),
        ("cost", "medium"),
    ]
    assert body["risk_grid"][1]["comment"] == "Immeuble libre de toute inscription."
    frozen = body["comparables"]
    assert (frozen["enough"], frozen["n"], frozen["threshold"]) == (True, 12, 10)
    assert (frozen["recovery_rate"], frozen["net_median"]) == (0.5833, "65000.00")
    assert frozen["delay"] == {"decisions": 10, "median": 190.0}

    # The referring side reads no opinion before its validation, nor the live figures.
    agent = api("poste_agent")
    assert agent.get(opinion_url).status_code == 404
    refused = agent.get(live_url)
    assert refused.status_code == 403
    assert "la direction lit les chiffres retenus avec l'avis validé" in refused.json()["detail"]
    assert api("other_poste_agent").get(live_url).status_code == 404  # not their case
    assert api("management").get(live_url).status_code == 403

    # Three more irrecoverable saisies closed since: the live figures move, not the frozen.
    h = History(users)
    for i in range(3):
        h.cost(h.case(f"later{i}", closure=ClosureReason.IRRECOVERABLE))
    assert api("jurist").get(live_url).json()["n"] == 15
    proceedings.review_opinion(case.opinions.get(), users["head"], validate=True)
    step(case, users, "give_opinion")
    validated = agent.get(opinion_url).json()
    assert validated["status"] == "validated"
    assert validated["comparables"]["n"] == 12
    assert validated["comparables"]["recovery_rate"] == 0.5833


def test_too_few_comparables_gives_no_figure(api, users, settings):
    settings.COMPARABLES_MIN_CASES = 50
    crafted_history(users)
    case = with_opinion(users, validate=False)
    body = api("jurist").get(reverse("api:comparables", args=[case.reference])).json()
    assert (body["enough"], body["n"]) == (False, 14)
    assert "recovery_rate" not in body and "outcomes" not in body
