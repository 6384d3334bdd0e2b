"""The results dashboard counts only real condemnations (a decision that condemns to pay
an amount), and shows the costs and the net recovery by action (recovered − costs, as
`cases.money.Sums.net`; CPC 700 awards recovered are part of what is recovered)."""

import datetime
from decimal import Decimal

import pytest

from cases.enums import CostKind, DecisionOutcome
from cases.models import Cost

from .conftest import Builder
from .test_figures import table

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(client, users, crafted):
    b = Builder(users)
    t1, t2 = crafted["T1"], crafted["T2"]
    # Decisions in the period condemning no one: not condemnations (and they carry no
    # amount: the database refuses one, `decision_amount_only_when_awarded`).
    for outcome in (DecisionOutcome.RADIATION, DecisionOutcome.CADUCITE, DecisionOutcome.WITHDRAWN,
                    DecisionOutcome.REJECTED):  # fmt: skip
        b.decision(t2, "2025-03-01", outcome, None)
    b.decision(t2, "2025-03-02", DecisionOutcome.PARTLY, None)  # no amount: nothing awarded
    b.decision(t2, "2025-03-03", DecisionOutcome.CONDEMNED, "20000.00")  # LPF L.267: real
    Cost.objects.create(
        case=t1, kind=CostKind.LAWYER_FEES, amount=Decimal("2500.00"),
        incurred_on=datetime.date(2025, 4, 1), created_by=users["head"],
    )  # fmt: skip
    Cost.objects.create(  # after the period: not counted
        case=t1, kind=CostKind.BAILIFF, amount=Decimal("900.00"),
        incurred_on=datetime.date(2025, 8, 1), created_by=users["head"],
    )  # fmt: skip
    client.force_login(users["head"])
    return client


def test_only_real_condemnations_are_counted_with_costs_and_net_recovery(head):
    a = table(head, "resultats", "amounts_by_action")
    assert a["__header__"] == [
        "Action", "Condamnations", "Montant en jeu", "Montant alloué", "Montant recouvré",
        "Frais engagés", "Recouvrement net",
    ]  # fmt: skip
    # T1 granted 90 000, T3 partly 120 000; 40 000 recovered, 2 500 of costs.
    assert a["Saisie immobilière"] == [
        "2", "300000,00", "210000,00", "40000,00", "2500,00", "37500,00"
    ]  # fmt: skip
    # T2: only the condemnation of the manager counts, not the radiation, the caducité,
    # the désistement, the rejection nor a partial success without an amount.
    assert a["Mise en cause du dirigeant (LPF L.267)"] == [
        "1", "75000,00", "20000,00", "", "", "0,00"
    ]  # fmt: skip
    assert a["Total"] == ["4", "405000,00", "260000,00", "50000,00", "2500,00", "47500,00"]


def test_every_decision_is_still_listed_by_outcome(head):
    d = table(head, "resultats", "decisions_by_outcome")
    # The total after the five instances (first, appeal, cassation, opposition, renvoi).
    assert d["Radiation (l'instance est suspendue)"][5] == "1"
    assert d["Caducité (l'instance est éteinte)"][5] == "1"
    assert d["Total"][5] == "9"  # the 3 of the crafted set and the 6 above
