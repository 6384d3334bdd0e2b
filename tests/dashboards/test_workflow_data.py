"""What the workflow's own steps record shows on the dashboards (no crafted rows)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import Mode
from tests.factories import edit_page_data
from tests.workflows.test_journeys import OPINION

from .test_figures import table

pytestmark = pytest.mark.django_db


def test_a_case_walked_through_the_steps_is_counted(users, submitted_case, journey, client):
    case = submitted_case(Mode.AVIS)
    j = journey(case)
    head, agent, expert = users["head"], users["direction_agent"], users["expert"]
    j.step(
        head,
        "receivability",
        {"decision": "return", "grounds": ["pieces", "target"], "missing": "Fiche d'immeuble"},
    )
    client.force_login(agent)
    edit = reverse("cases:edit", args=[case.reference])
    client.post(
        edit, {**edit_page_data(client, edit), "action": "submit", "confirm_duplicate": "1"}
    )
    j.step(head, "receivability", {"decision": "accept"})
    j.step(head, "assignment", {"expert": expert.pk})
    j.step(expert, "write_opinion", OPINION)
    j.step(head, "validate_opinion", {"decision": "validate"})
    j.step(agent, "follow_up", {"follow": "followed"})

    today = timezone.localdate()
    period = {"debut": today.replace(day=1).isoformat(), "fin": today.isoformat()}
    client.force_login(users["management"])
    month = table(client, "avis", "opinions_per_period", **period)
    assert month["Total"] == ["1", "1"]
    delays = table(client, "avis", "opinion_delays", **period)
    assert delays["Ensemble de la période"] == ["1", "0,0", "0,0"]  # all on the same day
    assert table(client, "avis", "opinion_follow_up", **period)["Avis suivi"] == ["1", "1,0000"]
    grounds = table(client, "activite", "return_grounds", **period)
    assert grounds["Pièces manquantes ou illisibles"] == ["1", "1,0000"]
    assert grounds["Cible de l'action insuffisamment décrite"] == ["1", "1,0000"]
    assert grounds["Renvois (tous motifs)"] == ["1", ""]
    by_author = table(client, "avis", "opinions_by_author", **period)
    assert by_author[str(expert)][:2] == ["Expert DDFIP 30", "1"]
