"""Issue 17 (« holder »): what the starting act and the decision steps check for the
third-party holder, the action paulienne or oblique on real estate, and the partage."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cases.enums import DecisionOutcome, StartingActCheck
from cases.formatting import euros
from cases.models import ActionType, Party, PropertyTarget, ThirdPartyHolderTarget
from cases.parties import NEEDED
from tests.factories import _day, _judgment, case_at_step
from tests.workflows.conftest import open_task
from workflows.steps import DecisionForm, StartingActForm

pytestmark = pytest.mark.django_db


def at_step(step, code):
    """A case of action `code` at `step`, with the party its action needs (cases.parties:
    acquirer, third-party debtor, co-indivisaires) already added, as the jurist does."""
    case = case_at_step(step, action_type=ActionType.objects.get(code=code))
    if needed := NEEDED.get(code):
        Party.objects.create(
            case=case, role=needed.role, name="M. Jean DUPONT", created_by=case.assigned_jurist
        )
    return case


# --- The holder condemned within the limit of its obligation ------------------------------


def decision_data(amount, outcome=DecisionOutcome.HOLDER_CONDEMNED):
    return {
        "result": "decided",
        "decided_on": _day(-1),
        "court": "Juge de l'exécution du tribunal judiciaire de Laon",
        "outcome": outcome,
        "amount_awarded": amount,
    }


def decision_form(case, amount, outcome=DecisionOutcome.HOLDER_CONDEMNED):
    return DecisionForm(
        decision_data(amount, outcome),
        {"judgment": _judgment()},
        case=case,
        user=case.assigned_jurist,
    )


def test_a_holder_is_not_condemned_beyond_its_obligation():
    """LPF L.262, CPCE L.211-2 (BOI-REC-FORCE-30-40): the holder pays within the limit of
    what it owed the debtor on the SATD's date; a decision saying more is refused."""
    case = at_step("decision", "tiers_detenteur")
    ThirdPartyHolderTarget.objects.filter(case=case).update(obligation=Decimal("8000"))
    form = decision_form(case, "10 000,00")
    assert not form.is_valid()
    [message] = form.errors["amount_awarded"]
    assert f"soit {euros(Decimal('8000'))}" in message
    assert "LPF art. L.262, CPCE art. L.211-2" in message
    assert decision_form(case, "8 000,00").is_valid()


def test_the_holder_limit_waits_for_a_known_obligation_and_its_outcome():
    case = at_step("decision", "tiers_detenteur")
    # Obligation unknown (a holder that never declared): no limit to check.
    assert decision_form(case, "15 000,00").is_valid()
    ThirdPartyHolderTarget.objects.filter(case=case).update(obligation=Decimal("8000"))
    # A demand granted is the holder condemned too: held to its obligation
    # (tests/workflows/test_seams.py); a rejection condemns no one.
    assert not decision_form(case, "15 000,00", DecisionOutcome.GRANTED).is_valid()
    assert decision_form(case, "", DecisionOutcome.REJECTED).is_valid()
    form = decision_form(case, None)
    assert not form.is_valid()
    assert "Indiquez le montant" in form.errors["amount_awarded"][0]


# --- Décret n° 55-22 du 4 janvier 1955, art. 28 4° c and 30-5: the publication ----------------


def starting_act_form(case, **data):
    base = {
        "kind": "assignation",
        "court": "Tribunal judiciaire de Laon",
        "signed_on": _day(-10),
        "served_on": _day(-8),
    }
    return StartingActForm({**base, **data}, case=case, user=case.assigned_jurist)


@pytest.mark.parametrize("code", ["action_paulienne", "action_oblique"])
def test_an_action_on_real_estate_needs_its_assignation_published(code):
    """Décret 55-22 art. 28 4° c and 30-5: a demand tending to the revocation or the
    annulment of rights on real estate is admissible only once published."""
    case = at_step("starting_act", code)
    form = starting_act_form(case, real_estate="on")
    assert not form.is_valid()
    message = form.errors["published_on"][0]
    assert "publicité foncière" in message and "art. 28 4° c et 30-5" in message
    assert not starting_act_form(case, real_estate="on", published_on=_day(-12)).is_valid()
    assert starting_act_form(case, real_estate="on", published_on=_day(-5)).is_valid()
    # Not on real estate: nothing to publish.
    assert starting_act_form(case).is_valid()


def test_the_publication_is_recorded_with_the_starting_act(journey):
    case = at_step("starting_act", "action_paulienne")
    PropertyTarget.objects.create(
        case=case,
        address="5 chemin des Vignes",
        commune="Chamouille",
        departement="02",
        cadastral_section="ZA",
        cadastral_number="12",
    )
    page = journey(case)
    page.client.force_login(case.assigned_jurist)
    task = open_task(case, "starting_act")
    html = page.client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "publicité foncière" in html and 'name="real_estate"' in html
    page.step(
        case.assigned_jurist,
        "starting_act",
        {
            "kind": "assignation",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": _day(-10),
            "real_estate": "on",
            "published_on": _day(-5),
        },
    )
    act = case.starting_acts.get()
    assert act.published_on.isoformat() == _day(-5)
    assert StartingActCheck.PUBLICATION in act.confirmed_checks
    assert (
        "publiée au service de la publicité foncière"
        in case.events.get(transition="engage_action").reason
    )


def test_other_actions_are_not_asked_for_a_publication():
    case = at_step("starting_act", "tiers_detenteur")
    form = starting_act_form(case)
    assert "real_estate" not in form.fields and "checks" not in form.fields


# --- CPC art. 1360: the assignation en partage --------------------------------------------


PARTAGE_CHECKS = [
    StartingActCheck.PARTAGE_PATRIMOINE,
    StartingActCheck.PARTAGE_INTENTIONS,
    StartingActCheck.PARTAGE_DILIGENCES,
]


def test_the_partage_assignation_has_the_three_mentions_of_cpc_1360():
    """CPC 1360: on pain of inadmissibility, the assignation describes the estate, states
    the claimant's intentions on the allotment and the steps towards an amicable partage."""
    case = at_step("starting_act", "partage_indivision")
    form = starting_act_form(case, checks=PARTAGE_CHECKS[:2])
    assert not form.is_valid()
    message = form.errors["checks"][0]
    assert "CPC art. 1360" in message and "partage amiable" in message
    assert "descriptif sommaire" not in message  # that one was confirmed
    assert "real_estate" not in form.fields  # an assignation en partage is not published
    assert starting_act_form(case, checks=PARTAGE_CHECKS).is_valid()


def test_the_confirmed_mentions_are_kept_and_told(journey):
    case = at_step("starting_act", "partage_indivision")
    journey(case).step(
        case.assigned_jurist,
        "starting_act",
        {
            "kind": "assignation",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": _day(-10),
            "checks": PARTAGE_CHECKS,
        },
    )
    act = case.starting_acts.get()
    assert act.confirmed_checks == [c.value for c in PARTAGE_CHECKS]
    assert (
        "mentions de l'article 1360 du CPC confirmées"
        in case.events.get(transition="engage_action").reason
    )
