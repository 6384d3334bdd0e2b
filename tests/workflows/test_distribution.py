"""The money of a case from the execution step's page: the distribution of the price
(CPCE R.331-1 s.), the recoveries imputed to the claims (C. civ. 1342-10), the costs, and
the « Sommes » panel of the case page (net recovery)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.enums import ActParty, CaseStatus, CostKind, DistributionStatus
from cases.models import Cost, Distribution, Recovery
from cases.pieces import sample_pdf
from tests.factories import CaseFactory, side_action
from workflows import services as workflow

pytestmark = pytest.mark.django_db
E = Decimal


def day(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def case():
    return CaseFactory(to=CaseStatus.EXECUTION)


def distribute(case, price="100 000", treasury_declared="95 000", paid_on=-1):
    """An amicable distribution: a bank first, the Trésor second (CPCE R.331-1 s.)."""
    side_action(
        case,
        "execution",
        "distribution_open",
        {"kind": "amicable", "price": price, "opened_on": day(-40)},
    )
    for name, security, declared, rank in [
        ("Banque du Nord", "conventional_mortgage", "30 000", "1"),
        ("SIE de Laon", "tresor_privilege", treasury_declared, "2"),
    ]:
        side_action(
            case,
            "execution",
            "distribution_creditor",
            {"name": name, "security": security, "declared": declared, "rank": rank},
        )
    side_action(case, "execution", "distribution_project", {"project_on": day(-20)})
    side_action(case, "execution", "distribution_paid", {"paid_on": day(paid_on)})


def test_the_treasurys_share_of_the_price_is_a_recovery_imputed_to_the_claims(client, case):
    """CPCE R.331-1 s.: the Trésor, second after the bank, receives 70 000 of 100 000; the
    share is a recovery imputed to the claim (C. civ. 1342-10), paid by the séquestre: it
    does not interrupt the prescription (C. civ. 2240)."""
    claim = case.claims.get()
    prescribed_on = claim.prescription_date
    distribute(case)
    (task,) = workflow.active_tasks(case)
    client.force_login(case.assigned_jurist)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "Rang 2 : SIE de Laon" in page and "attribué 70\u202f000,00\u00a0€" in page
    distribution = Distribution.objects.get(case=case)
    assert distribution.status == DistributionStatus.PAID
    recovery = distribution.recovery
    assert (recovery.amount, recovery.party) == (E("70000.00"), ActParty.OTHER)
    claim.refresh_from_db()
    assert claim.remaining == E("18000.00")  # 88 000 - 70 000
    assert claim.prescription_date == prescribed_on
    # The debtor pays the rest himself: imputed, and it interrupts (C. civ. 2240).
    side_action(case, "execution", "recovery", {"received_on": day(0), "amount": "18 000"})
    claim.refresh_from_db()
    assert claim.remaining == E("0.00")
    assert claim.prescription_date != prescribed_on


def test_the_price_is_not_paid_while_the_projet_can_be_contested(case):
    """CPCE R.332-5: fifteen days to contest the notified projet."""
    with pytest.raises(ValidationError, match="reste contestable"):
        distribute(case, paid_on=-10)
    assert not Recovery.objects.filter(case=case).exists()


def test_a_cost_with_its_invoice_from_the_step_page(client, case):
    (task,) = workflow.active_tasks(case)
    client.force_login(case.assigned_jurist)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page  # the costs' form sends its invoice
    assert "Ouvrir la distribution du prix" in page
    token = page.split('name="form_token" value="')[1].split('"')[0]
    response = client.post(
        reverse("workflows:side_action", args=[task.pk, "cost"]),
        {
            "kind": CostKind.LAWYER_FEES,
            "amount": "1 500,00",
            "incurred_on": day(-2),
            "label": "Facture n° 18",
            "invoice": SimpleUploadedFile("facture.pdf", sample_pdf("Facture"), "application/pdf"),
            "form_token": token,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cost = Cost.objects.get(case=case)
    assert cost.invoice.original_name == "facture.pdf"
    assert cost.mandate == case.mandates.get()  # the current mandate by default


def test_the_sums_panel_shows_recovered_remaining_costs_and_net_recovery(client, case, users):
    """Net recovery = recovered on the claims + awarded costs recovered − costs (CPC 700)."""
    distribute(case)
    side_action(
        case,
        "execution",
        "cost",
        {"kind": CostKind.BAILIFF, "amount": "2 000", "incurred_on": day(-3)},
    )
    client.force_login(case.created_by)  # the referring poste sees it too
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<h2 class="fr-h4">Sommes</h2>' in html
    assert "Recouvrement net" in html
    assert "68\u202f000,00\u00a0€" in html  # 70 000 recovered - 2 000 costs
    assert "18\u202f000,00\u00a0€" in html  # what remains of the claim


def test_no_sums_panel_before_the_pole_conducts_the_action(client, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    client.force_login(users["head"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Recouvrement net" not in html
