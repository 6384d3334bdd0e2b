"""The comparables beside an opinion (cases.comparables), on the crafted history of
tests/comparables.py whose figures are worked out by hand there."""

from decimal import Decimal

import pytest

from cases import money
from cases.comparables import comparables, for_display
from cases.enums import DebtorKind
from cases.models import Case
from tests.comparables import History, crafted_history, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(users):
    return crafted_history(users)


def test_the_figures_of_twelve_comparable_cases(users, history):
    found = comparables(target(users))
    assert found["enough"] is True
    assert found["n"] == 12
    assert found["relaxed"] == []
    assert found["criteria"] == [
        {"key": "action", "label": "Saisie immobilière"},
        {"key": "collective", "value": False},
        {"key": "debtor_kind", "value": DebtorKind.LEGAL, "label": "Personne morale"},
        {"key": "amount", "low": "50000", "high": "250000"},
    ]
    assert found["outcomes"] == [
        {"reason": "recovered_full", "label": "Recouvrement intégral", "n": 5},
        {"reason": "recovered_partial", "label": "Recouvrement partiel", "n": 4},
        {"reason": "irrecoverable", "label": "Créance irrécouvrable", "n": 3},
    ]
    assert found["condemned"] == 7
    assert found["delay"] == {"decisions": 10, "median": 190.0}
    assert (found["recovered"], found["claims"]) == ("700000.00", "1200000.00")
    assert found["recovery_rate"] == 0.5833
    assert found["net_median"] == "65000.00"
    shown = for_display(found)
    assert shown["rate_text"] == "58,3\u00a0%"
    assert shown["net_median_text"] == "65\u202f000,00\u00a0€"
    assert shown["delay_text"] == "190"


def test_the_case_itself_is_not_among_its_comparables(users, history):
    assert comparables(history["F1"])["n"] == 11


def test_below_the_threshold_too_few_and_no_figure(users, history, settings):
    settings.COMPARABLES_MIN_CASES = 15
    found = comparables(target(users))
    # Relaxed as far as it goes (amount, then the debtor's kind): still 14 < 15.
    assert (found["enough"], found["n"], found["relaxed"]) == (False, 14, ["amount", "debtor_kind"])
    for figure in ("outcomes", "condemned", "delay", "recovery_rate", "net_median"):
        assert figure not in found


def test_the_amount_then_the_debtors_kind_are_dropped_to_reach_the_threshold(
    users, history, settings
):
    settings.COMPARABLES_MIN_CASES = 13
    found = comparables(target(users))
    assert (found["n"], found["relaxed"]) == (13, ["amount"])  # with the 300 000 € case
    assert [c["key"] for c in found["criteria"]] == ["action", "collective", "debtor_kind"]
    settings.COMPARABLES_MIN_CASES = 14
    found = comparables(target(users))
    assert (found["n"], found["relaxed"]) == (14, ["amount", "debtor_kind"])  # and the person
    assert [c["key"] for c in found["criteria"]] == ["action", "collective"]


def test_a_debtor_under_collective_proceedings_is_compared_with_such_cases_only(users, history):
    case = target(users)
    History(users).proceeding(case)
    found = comparables(case)
    # The case with its own proceeding and the one stopped by a proceeding; never relaxed.
    assert (found["enough"], found["n"]) == (False, 2)
    assert {"key": "collective", "value": True} in found["criteria"]


def test_a_case_without_an_action_has_nothing_to_compare(users, history):
    case = target(users)
    Case.objects.filter(pk=case.pk).update(action_type=None)
    case.refresh_from_db()
    found = comparables(case)
    assert (found["enough"], found["n"], found["criteria"]) == (False, 0, [])


def test_a_few_aggregate_queries_whatever_the_number_of_cases(
    users, history, django_assert_num_queries
):
    case = target(users)
    case = Case.objects.select_related("action_type", "debtor").get(pk=case.pk)
    with django_assert_num_queries(6):
        comparables(case)
    h = History(users)
    for i in range(8):
        h.cost(h.case(f"more{i}"))
    with django_assert_num_queries(6):
        assert comparables(case)["n"] == 20


def test_the_net_recovery_in_sql_is_the_case_pages(users, history):
    """One definition: `money.net_recovery_sql` and `recovered_on_claims_sql` agree with
    `money.case_sums` (the « Sommes » panel) on a case with CPC 700 recovered."""
    f1 = history["F1"]
    row = Case.objects.annotate(
        net=money.net_recovery_sql(), on_claims=money.recovered_on_claims_sql()
    ).get(pk=f1.pk)
    sums = money.case_sums(f1)
    assert (row.net, row.on_claims) == (sums.net, sums.on_claims)
    assert (row.net, row.on_claims) == (Decimal("97000.00"), Decimal("100000.00"))
