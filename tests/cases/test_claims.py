from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CaseFactory, ClaimFactory


@pytest.mark.django_db
def test_remaining_equal_to_a_decimal_sum_is_accepted_on_every_database():
    """SQLite adds decimals as floats (125432.17 + 12543.22 = 137975.38999…): the
    constraint must still accept a remaining amount equal to the exact sum."""
    case = CaseFactory()
    claim = ClaimFactory.build(
        case=case,
        principal=Decimal("125432.17"),
        penalties=Decimal("12543.22"),
        remaining=Decimal("137975.39"),
    )
    claim.full_clean()
    claim.save()
    assert case.claims.get().remaining == Decimal("137975.39")


@pytest.mark.django_db
def test_one_cent_over_the_total_is_refused():
    claim = ClaimFactory.build(
        case=CaseFactory(),
        principal=Decimal("125432.17"),
        penalties=Decimal("12543.22"),
        remaining=Decimal("137975.40"),
    )
    with pytest.raises(ValidationError, match="ne peut pas dépasser"):
        claim.full_clean()
