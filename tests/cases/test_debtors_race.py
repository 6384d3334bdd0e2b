"""Two directions sending a referral for the same new debtor at the same moment, with two
real database connections (PostgreSQL only; tests/workflows/test_concurrency.py says how):
both are sent, and the debtor is one row (the unique identity decides, cases/debtors.py)."""

import time

import pytest
from django.db import connection

from cases import debtors, services
from cases.enums import DebtorKind
from cases.models import Case, Debtor, DebtorMerge, Direction
from tests.factories import CaseFactory, DebtorFactory
from tests.workflows.test_concurrency import SLOW, race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two real connections racing for a unique index need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_referrals_for_one_new_debtor_sent_at_once_make_one_debtor(
    monkeypatch, reference_data, users
):
    d67 = Direction.objects.get(code="DRFIP 67")
    cases = [
        CaseFactory(complete=True, debtor=DebtorFactory(kind=DebtorKind.LEGAL, siren="552100554")),
        CaseFactory(
            complete=True,
            direction=d67,
            debtor=DebtorFactory(kind=DebtorKind.LEGAL, siren="552100554"),
        ),
    ]
    real_join = debtors.join

    def slow_join(user, case):
        entity = real_join(user, case)
        time.sleep(SLOW)  # the first keeps the entity's row uncommitted a moment
        return entity

    monkeypatch.setattr(debtors, "join", slow_join)

    def send(case):
        def call():
            fresh = Case.objects.get(pk=case.pk)
            services.submit_referral(fresh.created_by, fresh, confirm_duplicate=True)

        return call

    outcomes = race(*(send(case) for case in cases))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert Debtor.objects.filter(siren="552100554").count() == 1
    assert len({Case.objects.get(pk=case.pk).debtor_id for case in cases}) == 1
    assert DebtorMerge.objects.count() == 1
