"""Issue 17: the Trésor's share of the price of a saisie (CPCE R.331-1 s.) counts as
recovered on the claims it pays once, when it is paid: not again when the distribution and
the case are closed, not before its payment."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import money
from cases.enums import CaseStatus, DistributionStatus
from cases.models import Distribution
from tests.factories import case_at_step, side_action, take_step
from workflows.steps import DistributionCloseForm

pytestmark = pytest.mark.django_db
E = Decimal


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def case():
    return case_at_step("distribution")


def distribute(case, *, treasury_rank="2", bank="30 000", paid=True):
    """An amicable distribution of 100 000: a bank and the Trésor (declared 95 000)."""
    side_action(
        case,
        "distribution",
        "distribution_open",
        {"kind": "amicable", "price": "100 000", "opened_on": day(-40).isoformat()},
    )
    for name, security, declared, rank in [
        ("Banque du Nord", "conventional_mortgage", bank, "1" if treasury_rank == "2" else "2"),
        ("SIE de Laon", "tresor_privilege", "95 000", treasury_rank),
    ]:
        side_action(
            case,
            "distribution",
            "distribution_creditor",
            {"name": name, "security": security, "declared": declared, "rank": rank},
        )
    side_action(case, "distribution", "distribution_project", {"project_on": day(-20).isoformat()})
    if paid:
        side_action(case, "distribution", "distribution_paid", {"paid_on": day(-1).isoformat()})


def recovered(case) -> Decimal:
    return sum((r.amount for r in case.recoveries.all()), E("0"))


def close_form(case, amount):
    data = {
        "received_on": day(0).isoformat(),
        "amount": amount,
        "closure_reason": "recovered_partial",
        "comment": "Prix distribué.",
    }
    return DistributionCloseForm(data, case=case, user=case.assigned_jurist)


def test_r331_1_the_share_paid_is_not_counted_again_at_the_closure(case):
    """CPCE R.331-1 s., C. civ. 1342-10: the Trésor, second after the bank, is paid 70 000:
    counted once, on its payment. The closure of the distribution does not count it
    again, neither from the form nor by the operation (the distributions locked)."""
    distribute(case)
    assert recovered(case) == E("70000.00")
    form = close_form(case, "70 000")
    assert not form.is_valid()
    assert "n'est comptée qu'une fois" in form.errors["amount"][0]
    with pytest.raises(ValidationError, match="qu'une fois"):
        money.record_price_received(
            case, case.assigned_jurist, received_on=day(0), amount=E("70000")
        )
    take_step(case, "distribution", "close", {"amount": "", "received_on": ""})
    assert case.status == CaseStatus.CLOSED
    assert recovered(case) == E("70000.00")
    assert case.claims.get().remaining == E("18000.00")  # 88 000 - 70 000


def test_r331_1_a_share_not_yet_paid_is_not_counted_at_the_closure(case):
    """The projet gives the Trésor its share; it counts when the séquestre pays it (the
    « Part du Trésor reçue »), not when the case is closed meanwhile."""
    distribute(case, paid=False)
    assert recovered(case) == E("0")
    form = close_form(case, "70 000")
    assert not form.is_valid()
    assert "comptée à son paiement" in form.errors["amount"][0]
    with pytest.raises(ValidationError, match="comptée à son paiement"):
        money.record_price_received(
            case, case.assigned_jurist, received_on=day(0), amount=E("70000")
        )
    assert recovered(case) == E("0")


def test_r331_1_nothing_left_to_the_tresor_is_not_counted_at_the_closure(case):
    """The bank's first rank takes the whole price: the Trésor's share is nil, its
    distribution paid with no recovery; the closure cannot count a sum received on it."""
    distribute(case, bank="100 000")
    distribution = Distribution.objects.get(case=case)
    assert distribution.status == DistributionStatus.PAID and distribution.recovery is None
    form = close_form(case, "5 000")
    assert not form.is_valid()
    assert "rien ne lui revenait" in form.errors["amount"][0]


def test_without_a_recorded_distribution_the_sum_received_counts_once(case):
    """No distribution recorded on the case: the sum the closure tells is the recovery."""
    take_step(case, "distribution", "close")
    assert recovered(case) == E("95000.00")


def test_the_database_counts_the_share_only_once_paid(case):
    """The recovery of the share belongs to a paid distribution (its date set): the
    database refuses a distribution taken back before its payment that keeps it."""
    distribute(case)
    distribution = Distribution.objects.get(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.filter(pk=distribution.pk).update(
            status=DistributionStatus.PROJECT, paid_on=None
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.filter(pk=distribution.pk).update(paid_on=None)
