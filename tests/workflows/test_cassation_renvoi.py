"""Issue 17: after a cassation, the juridiction de renvoi.

A cassation avec renvoi (CPC 626) sends the case to a juridiction de renvoi, seized by a
déclaration within two months of the notification of the arrêt (CPC 1032, 1034); failing
that, the judgment the quashed decision had ruled on appeal becomes final (CPC 1034 al. 2).
A cassation sans renvoi (CPC 627) leaves nothing to judge. The renvoi court judges as the
court whose decision was quashed, anew in fact and law (CPC 638), its decision may take
a pourvoi.
Every date is counted by hand from the texts."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import decisions
from cases.enums import CaseStatus, DecisionOutcome, Instance
from deadlines.calendar import appeal_deadline, decision_recourse
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.render import render_html
from tests.documents import meta
from tests.factories import case_at_step, take_step
from tests.workflows.conftest import open_step_names, open_task
from tests.workflows.test_parties_decisions import action, decide, decided_case
from workflows.services import deadline_note
from workflows.steps import AppealForm, DecisionForm, HearingForm

pytestmark = pytest.mark.django_db
D = datetime.date
Out = DecisionOutcome
RENVOI_COURT = "Cour d'appel de Douai (renvoi après cassation)"


def choices(form) -> dict[str, str]:
    return dict(form.fields["choice"].choices)


def test_cpc_1034_the_renvoi_court_is_seized_within_two_months_of_the_arret(users):
    """An arrêt de cassation avec renvoi notified Monday 13 April 2026: two months (CPC
    1034) end Saturday 13 June, carried to Monday 15 June 2026 (CPC 642). The deadline is
    critical; the appeal step offers the saisine by the pôle or by the other side, or its
    absence, the first judgment then final; the pôle's saisine on 16 June is refused."""
    case = decided_case("solidarite_dirigeant")
    jurist = users["jurist"]
    decision = decide(
        case, jurist, D(2026, 4, 13), instance=Instance.CASSATION, outcome=Out.CASSATION_GRANTED
    )
    assert decision_recourse(decision) == Instance.RENVOI
    assert appeal_deadline(decision, Instance.RENVOI) == D(2026, 6, 15)
    row = case.deadlines.get(template="renvoi")
    assert row.due_date == D(2026, 6, 15) and row.critical
    assert "CPC art. 1034" in row.basis
    assert deadline_note(case).startswith(
        "Délai de saisine de la juridiction de renvoi expiré le 15 juin 2026"
    )

    form = AppealForm(case=case, user=jurist)
    offered = choices(form)
    assert list(offered) == ["pole_renvoi", "opponent_renvoi", "none"]
    assert "CPC 1034" in offered["none"] and "première instance est en force" in offered["none"]
    data = {"choice": "pole_renvoi", "court": RENVOI_COURT, "grounds": "Confirmation."}
    assert AppealForm({**data, "lodged_on": "2026-06-15"}, case=case, user=jurist).is_valid()
    late = AppealForm({**data, "lodged_on": "2026-06-16"}, case=case, user=jurist)
    assert not late.is_valid()
    assert late.errors["lodged_on"] == [
        "Le délai de saisine expirait le 15 juin 2026 : la saisine de la juridiction de renvoi "
        "du pôle serait irrecevable."
    ]
    missing = AppealForm({"choice": "pole_renvoi"}, case=case, user=jurist)
    assert not missing.is_valid()
    assert missing.errors["court"] == [
        "Indiquez la juridiction de renvoi désignée par l'arrêt de cassation."
    ]


@pytest.mark.parametrize("outcome", [Out.CASSATION_NO_RENVOI, Out.CASSATION_REJECTED])
def test_cpc_627_no_renvoi_and_a_pourvoi_rejected_open_nothing(users, outcome):
    """CPC 627: cassation sans renvoi, nothing left to judge; a pourvoi rejected: the
    appeal's decision stands. No deadline, no recourse offered: on to the execution."""
    case = decided_case("solidarite_dirigeant")
    decide(case, users["jurist"], D(2026, 4, 13), instance=Instance.CASSATION, outcome=outcome)
    assert not case.deadlines.filter(template__in=["renvoi", "pourvoi", "appel"]).exists()
    assert choices(AppealForm(case=case, user=users["jurist"])) == {
        "none": "Pas de recours : passer à l'exécution"
    }


def test_the_cassation_outcomes_are_offered_at_the_cassation_instance_only():
    at_cassation = decisions.outcomes("solidarite_dirigeant", Instance.CASSATION)
    assert {Out.CASSATION_GRANTED, Out.CASSATION_NO_RENVOI} <= set(at_cassation)
    at_renvoi = set(decisions.outcomes("solidarite_dirigeant", Instance.RENVOI))
    assert {Out.CONFIRMED, Out.REVERSED, Out.RADIATION, Out.CADUCITE} <= at_renvoi
    assert not {Out.CASSATION_GRANTED, Out.CASSATION_NO_RENVOI} & at_renvoi
    assert Out.CASSATION_GRANTED.label == "Cassation avec renvoi"


def test_the_renvoi_walked_on_the_step_pages(users, client):
    """An L.267 case: the pourvoi, the arrêt de cassation avec renvoi, the pôle seizes the
    juridiction de renvoi on the appeal step's page; the case is back to its hearings
    before that court, whose decision is among the appeal's outcomes and opens a pourvoi."""
    case = case_at_step("appeal_decision", action_type=action("solidarite_dirigeant"))
    take_step(case, "appeal_decision", "pole_pourvoi")
    take_step(case, "hearings", "deliberation")
    today = timezone.localdate().isoformat()
    take_step(
        case,
        "decision",
        "decided",
        {
            "outcome": Out.CASSATION_GRANTED,
            "amount_awarded": "",
            "court": "Cour de cassation",
            "decided_on": today,
            "notified_on": today,
        },
    )
    assert case.decisions.order_by("-pk").first().instance == Instance.CASSATION
    assert case.deadlines.filter(template="renvoi", status="open").exists()

    jurist = case.assigned_jurist
    client.force_login(jurist)
    task = open_task(case, "appeal_decision")
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "Le pôle saisit la juridiction de renvoi (deux mois, CPC 1034)" in page
    assert "Délai de saisine de la juridiction de renvoi : jusqu&#x27;au" in page
    response = client.post(
        reverse("workflows:task", args=[task.pk]),
        {
            "action": "complete",
            "choice": "pole_renvoi",
            "lodged_on": today,
            "court": RENVOI_COURT,
            "grounds": "Saisine sur renvoi.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.UNDER_APPEAL
    assert open_step_names(case) == ["hearings"]
    renvoi = case.appeals.order_by("-pk").first()
    assert (renvoi.instance, renvoi.court) == (Instance.RENVOI, RENVOI_COURT)
    assert HearingForm(case=case, user=jurist).fields["court"].initial == RENVOI_COURT

    take_step(case, "hearings", "deliberation")
    offered = {value for value, _ in DecisionForm(case=case, user=jurist).fields["outcome"].choices}
    assert {Out.CONFIRMED, Out.REVERSED} <= offered
    assert Out.CASSATION_GRANTED not in offered
    take_step(
        case,
        "decision",
        "decided",
        {
            "outcome": Out.CONFIRMED,
            "court": RENVOI_COURT,
            "decided_on": today,
            "notified_on": today,
        },
    )
    last = case.decisions.order_by("-pk").first()
    assert last.instance == Instance.RENVOI
    assert list(choices(AppealForm(case=case, user=jurist))) == [
        "pole_pourvoi",
        "opponent_pourvoi",
        "none",
    ]


def _d(pk, instance, outcome):
    return SimpleNamespace(pk=pk, instance=instance, outcome=outcome)


def test_cpc_625_the_quashed_decision_is_not_in_force():
    """CPC 625: the cassation puts the parties back where they stood before the decision
    quashed: while the renvoi is pending, and once the renvoi court confirms, the first
    judgment is the one the case follows; a renvoi court that reverses is followed."""
    first = _d(1, Instance.FIRST, Out.CONDEMNED)
    appeal = _d(2, Instance.APPEAL, Out.REVERSED)
    cassation = _d(3, Instance.CASSATION, Out.CASSATION_GRANTED)
    assert decisions.in_force([cassation, appeal, first]) is first
    confirmed = _d(4, Instance.RENVOI, Out.CONFIRMED)
    assert decisions.in_force([confirmed, cassation, appeal, first]) is first
    reversed_ = _d(4, Instance.RENVOI, Out.REVERSED)
    assert decisions.in_force([reversed_, cassation, appeal, first]) is reversed_


def report(case) -> str:
    kind = DocumentKind.COMPTE_RENDU
    html = render_html(kind, build_snapshot(case, kind), meta(case, kind, version=1))
    return " ".join(html.replace("&#x27;", "'").replace("&#39;", "'").split())


@pytest.mark.parametrize(
    "instance, outcome, by_default, heading, line",
    [
        (
            Instance.FIRST,
            Out.CONDEMNED,
            False,
            "<h3>Appel</h3>",
            "Date limite pour interjeter appel : 13 mai 2026.",  # CPC 538: one month
        ),
        (
            Instance.APPEAL,
            Out.CONFIRMED,
            False,
            "<h3>Pourvoi en cassation</h3>",
            "Date limite pour former un pourvoi : 15 juin 2026.",  # CPC 612
        ),
        (
            Instance.FIRST,
            Out.CONDEMNED,
            True,
            "<h3>Opposition</h3>",
            "Date limite pour former opposition : 13 mai 2026.",  # CPC 538, 571
        ),
        (
            Instance.CASSATION,
            Out.CASSATION_GRANTED,
            False,
            "<h3>Saisine de la juridiction de renvoi</h3>",
            "Date limite pour saisir la juridiction de renvoi : 15 juin 2026.",  # CPC 1034
        ),
        (
            Instance.CASSATION,
            Out.CASSATION_NO_RENVOI,
            False,
            "<h2>Voies de recours et délais</h2>",
            "Aucune voie de recours n'est ouverte contre cette décision : la Cour de "
            "cassation a cassé sans renvoi (CPC 627).",
        ),
    ],
)
def test_the_decision_report_names_the_recourse_the_decision_opens(
    users, instance, outcome, by_default, heading, line
):
    """The compte rendu the direction and the poste comptable receive says which recourse
    lies and until when, from the notification on Monday 13 April 2026: one month, Wednesday
    13 May; two months, Saturday 13 June carried to Monday 15 June (CPC 642)."""
    case = decided_case("solidarite_dirigeant")
    amount = {"amount_awarded": 1000} if outcome == Out.CONDEMNED else {}
    decide(
        case,
        users["jurist"],
        D(2026, 4, 13),
        instance=instance,
        outcome=outcome,
        by_default=by_default,
        **amount,
    )
    text = report(case)
    assert heading in text
    assert line in text
    if instance != Instance.FIRST or by_default:
        assert "interjeter appel" not in text
