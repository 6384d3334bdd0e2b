"""The demo's prescription dates are the engine's (deadlines.prescription), and demo case 6
(L.267) keeps the company's true date: the manager's assignation interrupts nothing."""

import pytest
from django.core.management import call_command

from cases.enums import ActParty, StartingActKind
from cases.formatting import long_date
from cases.models import Case, Claim
from cases.validators import add_years
from deadlines import prescription
from documents.pleadings import default_sections


@pytest.mark.django_db
def test_demo_case_6_keeps_the_company_vat_true_prescription_date():
    """C. civ. 2241, 2245; LPF L.267, L.274: the assignation of the manager, not yet
    condemned, does not interrupt the company's VAT; its date stays four years from the
    poste's last interruptive act, and the draft assignation states that date."""
    call_command("seed_demo")
    case = Case.objects.get(debtor__name="SARL Le Comptoir Laonnois")
    act = case.starting_acts.get()
    assert (act.kind, act.party) == (StartingActKind.ASSIGNATION, ActParty.MANAGER)
    claim = case.claims.get()
    true_date = add_years(claim.last_interruptive_act, 4)
    assert claim.prescription_date == true_date
    [item] = prescription.explain(case)
    assert any("acte dirigé contre le dirigeant" in step.effect for step in item.result.steps)
    text = "\n".join(section["body"] for section in default_sections(case))
    assert f"avant le {long_date(true_date)}" in text

    # Every demo claim carries the date its chain gives.
    for claim in Claim.objects.select_related("case"):
        result = prescription.claim_result(claim)
        assert (claim.prescription_date, claim.prescription_state) == (
            result.date,
            str(result.state),
        ), claim.case.reference
