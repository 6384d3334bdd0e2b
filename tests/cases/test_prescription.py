"""Prescription of the debt (LPF L.274): four years from the mise en recouvrement, restarted
by each interruptive act; the earliest date of a case; the L.267 action that needs a debt
not yet prescribed and a company as debtor."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases import services
from cases.enums import CaseStatus, DebtorKind
from cases.lifecycle import CaseLifecycle, IllegalTransition
from cases.models import ActionType, Case, Claim, ManagerTarget, prescription_horizon
from cases.validators import add_months, add_years
from tests.factories import CaseFactory, ClaimFactory, DebtorFactory

D = datetime.date
TODAY = timezone.localdate()


# --- Computing the date --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),  # no 29 February: the last day of the month
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2020, 2, 29), 4, D(2024, 2, 29)),
        (D(2023, 2, 28), 1, D(2024, 2, 28)),
        (D(2023, 12, 31), 4, D(2027, 12, 31)),
        (D(2024, 3, 15), -4, D(2020, 3, 15)),
    ],
)
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
    ],
)
def test_add_months_ends_on_the_last_day_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_prescription_horizon_is_six_months_ahead():
    assert prescription_horizon() == add_months(TODAY, 6)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("assessment", "interruption", "expected"),
    [
        (D(2023, 6, 12), None, D(2027, 6, 12)),
        (D(2020, 2, 29), None, D(2024, 2, 29)),
        (D(2021, 3, 1), D(2024, 2, 29), D(2028, 2, 29)),
        (D(2024, 2, 29), D(2024, 2, 29), D(2028, 2, 29)),
        (D(2019, 3, 1), D(2023, 2, 28), D(2027, 2, 28)),
    ],
)
def test_claim_prescription_date(assessment, interruption, expected):
    claim = ClaimFactory(
        case=CaseFactory(), assessment_date=assessment, last_interruptive_act=interruption
    )
    assert Claim.objects.get(pk=claim.pk).prescription_date == expected


@pytest.mark.django_db
def test_recording_a_later_interruptive_act_moves_the_date():
    claim = ClaimFactory(case=CaseFactory(), assessment_date=D(2021, 5, 10))
    assert claim.prescription_date == D(2025, 5, 10)
    claim.last_interruptive_act = D(2024, 11, 4)  # an SATD
    claim.save()
    assert Claim.objects.get(pk=claim.pk).prescription_date == D(2028, 11, 4)
    claim.last_interruptive_act = D(2025, 1, 20)  # then a mise en demeure
    claim.save()
    assert Claim.objects.get(pk=claim.pk).prescription_date == D(2029, 1, 20)


# --- Per case ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_earliest_prescription_is_the_minimum_over_its_claims():
    case = CaseFactory()
    assert case.earliest_prescription_date is None
    ClaimFactory(case=case, assessment_date=D(2023, 1, 10))  # 2027-01-10
    ClaimFactory(case=case, assessment_date=D(2022, 6, 1), last_interruptive_act=D(2022, 9, 1))
    ClaimFactory(case=case, assessment_date=D(2021, 4, 2), last_interruptive_act=D(2024, 1, 5))
    assert Case.objects.get(pk=case.pk).earliest_prescription_date == D(2026, 9, 1)


@pytest.mark.django_db
def test_with_amounts_annotates_the_same_values():
    first, second, empty = CaseFactory(), CaseFactory(), CaseFactory()
    ClaimFactory(case=first, assessment_date=D(2023, 1, 10), remaining=Decimal("1000.50"))
    ClaimFactory(case=first, assessment_date=D(2022, 3, 4), remaining=Decimal("250.25"))
    ClaimFactory(
        case=second,
        assessment_date=D(2020, 2, 29),
        last_interruptive_act=D(2024, 2, 29),
        principal=Decimal("10"),
        penalties=Decimal("0"),
        remaining=Decimal("10"),
    )
    annotated = {c.pk: c for c in Case.objects.with_amounts()}
    for case in (first, second):
        row = annotated[case.pk]
        assert row.earliest_prescription == case.earliest_prescription_date
        assert row.total_remaining == case.amounts["remaining"]
    assert annotated[first.pk].earliest_prescription == D(2026, 3, 4)
    assert annotated[first.pk].total_remaining == Decimal("1250.75")
    assert annotated[second.pk].earliest_prescription == D(2028, 2, 29)
    assert annotated[empty.pk].earliest_prescription is None
    assert annotated[empty.pk].total_remaining is None


# --- The action against the manager (LPF L.267) --------------------------------------------


def _age_claim(case: Case, prescription: datetime.date) -> None:
    """Move the case's claim so that it is prescribed on `prescription`."""
    claim = case.claims.get()
    claim.assessment_date = add_years(prescription, -4)
    claim.save()
    assert Claim.objects.get(pk=claim.pk).prescription_date == prescription


def _l267_case(**kwargs) -> Case:
    """A complete L.267 referral whose claim was assessed a year ago (whatever today is)."""
    case = CaseFactory(
        action_type=ActionType.objects.get(code="solidarite_dirigeant"), complete=True, **kwargs
    )
    _age_claim(case, add_years(TODAY, 3))
    return case


@pytest.mark.django_db
def test_l267_action_on_a_live_debt_is_submitted(users):
    case = _l267_case()
    assert case.managers.exists()
    CaseLifecycle(case, users["poste_agent"]).submit()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_l267_action_on_a_prescribed_debt_is_refused(users):
    case = _l267_case()
    _age_claim(case, D(2024, 1, 10))
    with pytest.raises(IllegalTransition) as refused:
        CaseLifecycle(case, users["poste_agent"]).submit()
    message = str(refused.value)
    assert "Toutes les créances sont prescrites" in message
    assert "n'est possible que sur une créance non prescrite" in message
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    assert not case.events.filter(kind="transition").exists()

    with pytest.raises(services.ReferralIncomplete) as incomplete:
        services.submit_referral(users["poste_agent"], case)
    assert any("prescrite" in m for m in incomplete.value.problems["claims"])


@pytest.mark.django_db
def test_l267_action_excludes_a_prescribed_claim_rather_than_refusing(users):
    """LPF L.267, Cass. com. 5 déc. 2000: the manager answers only for a debt not
    prescribed; a prescribed claim is left out of the action, the referral goes through."""
    case = _l267_case()
    old = ClaimFactory(case=case, assessment_date=D(2019, 5, 2))  # prescribed after 2023-05-02
    CaseLifecycle(case, users["poste_agent"]).submit()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert [c.pk for c in case.excluded_claims()] == [old.pk]


@pytest.mark.django_db
def test_l267_action_goes_through_once_an_interruptive_act_is_recorded(users):
    case = _l267_case()
    _age_claim(case, TODAY - datetime.timedelta(days=10))
    claim = case.claims.get()
    claim.last_interruptive_act = TODAY - datetime.timedelta(days=30)  # restarts 4 years
    claim.save()
    CaseLifecycle(case, users["poste_agent"]).submit()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_l267_action_the_day_after_the_prescription_date_is_refused(users):
    case = _l267_case()
    _age_claim(case, TODAY - datetime.timedelta(days=1))
    with pytest.raises(IllegalTransition, match="prescrite"):
        CaseLifecycle(case, users["poste_agent"]).submit()


@pytest.mark.django_db
def test_l267_action_on_the_last_day_of_the_term_is_accepted(users):
    case = _l267_case()
    _age_claim(case, TODAY)
    CaseLifecycle(case, users["poste_agent"]).submit()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_l267_action_needs_a_legal_person_as_debtor(users):
    debtor = DebtorFactory(
        kind=DebtorKind.NATURAL,
        name="Durand",
        first_name="Paul",
        birth_date=D(1970, 5, 4),
        siren="",
    )
    case = _l267_case(debtor=debtor)
    with pytest.raises(IllegalTransition) as refused:
        CaseLifecycle(case, users["poste_agent"]).submit()
    assert "le redevable doit être une personne morale" in str(refused.value)
    with pytest.raises(services.ReferralIncomplete) as incomplete:
        services.submit_referral(users["poste_agent"], case)
    assert list(incomplete.value.problems) == ["debtor.kind"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT


@pytest.mark.django_db
def test_l267_action_needs_the_manager(users):
    case = _l267_case()
    ManagerTarget.objects.filter(case=case).delete()
    with pytest.raises(IllegalTransition, match="Identifiez le dirigeant mis en cause"):
        CaseLifecycle(case, users["poste_agent"]).submit()
