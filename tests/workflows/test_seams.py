"""Where the procedures of issue 17 meet (found by an independent review of the merged
work): each rule below held in its own branch and failed once they were put together."""

from decimal import Decimal

import pytest

from cases.enums import DecisionOutcome
from cases.models import ThirdPartyHolderTarget
from tests.workflows.test_issue17_holder_steps import at_step, decision_form
from workflows.steps import STEPS, DecisionForm, clean_orientation_choice

pytestmark = pytest.mark.django_db


def test_a_holder_granted_on_the_merits_is_still_held_to_its_obligation():
    """LPF L.262, CPCE L.211-2: whatever the label of the judgment (« demande accueillie »,
    in whole or part), the holder pays within what it owed the debtor at the SATD."""
    case = at_step("decision", "tiers_detenteur")
    ThirdPartyHolderTarget.objects.filter(case=case).update(obligation=Decimal("8000"))
    for outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY):
        form = decision_form(case, "10 000,00", outcome)
        assert not form.is_valid()
        assert "dans la limite de son obligation" in form.errors["amount_awarded"][0]
        assert decision_form(case, "8 000,00", outcome).is_valid()


def test_the_orientation_judgment_does_not_offer_the_amicable_sale_recorded():
    """CPCE R.322-25: the judgment recording the amicable sale closes the amicable sale's
    own step; as an orientation judgment it would lead nowhere."""
    case = at_step("decision", "saisie_immobiliere")
    offered = dict(DecisionForm(case=case, user=case.assigned_jurist).fields["outcome"].choices)
    assert DecisionOutcome.VENTE_FORCEE in offered
    assert DecisionOutcome.VENTE_CONSTATEE not in offered


class _Form:
    case = None  # a recourse is never checked against the orientation judgment

    def add_error(self, field, message):
        raise AssertionError(message)


@pytest.mark.parametrize(
    "choice", ["pole", "opponent", "pole_pourvoi", "opponent_pourvoi", "opposition"]
)
def test_a_saisie_may_take_every_recourse_its_decision_opens(choice):
    """A pourvoi (CPC 612) after an appeal's decision, an opposition (CPC 571) after a
    default judgment: the saisie's « no appeal » routes never refuse them."""
    clean_orientation_choice(_Form(), {"choice": choice})


def test_a_saisie_in_its_sale_records_the_debtors_collective_proceeding():
    """C. com. L.622-21 stops a pending saisie, L.642-18 lets the liquidator be subrogated
    in it: both are recorded where a saisie waits during its sale."""
    for step in ("amicable_sale", "forced_sale", "distribution"):
        actions = STEPS[step].side_actions
        assert {"collective_opening", "collective_closing", "subrogation"} <= set(actions), step
