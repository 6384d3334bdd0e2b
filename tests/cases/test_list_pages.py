"""The case list and the API list read a page at a time (cases.pagination, the amounts as
subqueries, the search through its indexes): what a user sees is unchanged — the same rows
in the same order, the same amounts and prescription dates, the same counts, the last page
for a page beyond it —, whatever the page, the scope, the filter or the search."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import access
from cases.enums import CaseStatus
from cases.models import ActionType, Case, Direction
from tests.factories import CaseFactory, ClaimFactory, DebtorFactory

D = datetime.date


def _rows(page) -> list[tuple]:
    return [
        (case.reference, case.total_remaining, case.earliest_prescription)
        for case in page.object_list
    ]


def _expected(user) -> list[tuple]:
    """Every case the user sees, latest first, with what the case page says of it."""
    cases = sorted(access.visible_cases(user), key=lambda c: (c.created_at, c.pk), reverse=True)
    return [
        (
            case.reference,
            case.amounts["remaining"] if case.pursued_claims() else None,
            case.earliest_prescription_date,
        )
        for case in cases
    ]


@pytest.fixture
def many_cases(users):
    """Seven sent cases and a draft: two created at the same instant (the order then goes
    by number), one without claims, one L.267 action whose prescribed claim is left out
    (LPF L.267), one of another direction."""
    now = timezone.now()
    made = []
    for n in range(5):
        case = CaseFactory(to=CaseStatus.SUBMITTED, lifecycle_only=True)
        ClaimFactory(
            case=case, remaining=Decimal(f"{100 + n}.25"), assessment_date=D(2023, 1, n + 1)
        )
        made.append(case)
    Case.objects.filter(pk__in=[made[1].pk, made[2].pk]).update(created_at=now)
    bare = CaseFactory(to=CaseStatus.SUBMITTED, lifecycle_only=True)
    bare.claims.all().delete()
    manager = CaseFactory(
        to=CaseStatus.SUBMITTED,
        lifecycle_only=True,
        action_type=ActionType.objects.get(code="solidarite_dirigeant"),
    )
    ClaimFactory(case=manager, assessment_date=D(2018, 1, 10), remaining=Decimal("999.00"))
    CaseFactory(
        to=CaseStatus.SUBMITTED,
        lifecycle_only=True,
        direction=Direction.objects.get(code="DRFIP 67"),
    )
    CaseFactory()  # a draft: only its referrers see it
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["head", "direction_agent", "poste_agent"])
def test_every_page_shows_the_same_rows_amounts_and_count(
    client, users, settings, many_cases, role
):
    settings.CASES_PER_PAGE = 3
    user = users[role]
    expected = _expected(user)
    assert expected and any(amount is None for _, amount, _ in expected)
    client.force_login(user)
    seen = []
    pages = -(-len(expected) // 3)
    for number in range(1, pages + 1):
        page = client.get(reverse("cases:list"), {"page": number}).context["page"]
        assert page.paginator.count == len(expected)
        seen += _rows(page)
    assert seen == expected
    # A page beyond the last, or not a number: the last page, the first.
    beyond = client.get(reverse("cases:list"), {"page": pages + 5}).context["page"]
    assert beyond.number == pages and _rows(beyond) == expected[(pages - 1) * 3 :]
    assert _rows(client.get(reverse("cases:list"), {"page": "x"}).context["page"]) == expected[:3]


@pytest.mark.django_db
def test_the_l267_case_leaves_its_prescribed_claim_out_of_the_listed_amount(
    client, users, many_cases
):
    client.force_login(users["head"])
    rows = {
        ref: amount for ref, amount, _ in _rows(client.get(reverse("cases:list")).context["page"])
    }
    manager = Case.objects.get(action_type__code="solidarite_dirigeant")
    assert rows[manager.reference] == manager.amounts["remaining"]
    assert manager.amounts["remaining"] < sum(c.remaining for c in manager.claims.all())


@pytest.mark.django_db
def test_a_filtered_list_pages_the_same(client, users, settings, many_cases):
    settings.CASES_PER_PAGE = 2
    client.force_login(users["head"])
    d02 = Direction.objects.get(code="DDFIP 02")
    expected = [
        row
        for row in _expected(users["head"])
        if Case.objects.get(reference=row[0]).direction_id == d02.pk
    ]
    seen = []
    for number in (1, 2, 3, 4):
        page = client.get(reverse("cases:list"), {"direction": d02.pk, "page": number}).context[
            "page"
        ]
        assert page.paginator.count == len(expected)
        seen += _rows(page) if page.number == number else []
    assert seen == expected


@pytest.mark.django_db
def test_the_api_list_pages_the_same(client, users, many_cases):
    expected = _expected(users["head"])
    client.force_login(users["head"])
    seen = []
    for number in (1, 2, 3):
        listed = client.get("/api/v1/cases/", {"page_size": 3, "page": number}).json()
        assert listed["count"] == len(expected)
        seen += [
            (
                row["reference"],
                None if row["total_remaining"] is None else Decimal(row["total_remaining"]),
                row["earliest_prescription"] and D.fromisoformat(row["earliest_prescription"]),
            )
            for row in listed["results"]
        ]
    assert seen == expected
    assert client.get("/api/v1/cases/", {"page_size": 3, "page": 4}).status_code == 404


@pytest.mark.django_db
def test_search_finds_by_reference_name_or_siren_once_each_within_the_scope(client, users):
    martin = CaseFactory(
        to=CaseStatus.SUBMITTED,
        lifecycle_only=True,
        debtor=DebtorFactory(name="SARL Martinez", siren="732829320"),
    )
    other = CaseFactory(
        to=CaseStatus.SUBMITTED,
        lifecycle_only=True,
        direction=Direction.objects.get(code="DRFIP 67"),
        debtor=DebtorFactory(name="SAS MARTIN FRÈRES", siren="552100554"),
    )
    CaseFactory(
        to=CaseStatus.SUBMITTED, lifecycle_only=True, debtor=DebtorFactory(name="SCI DURAND")
    )
    url = reverse("cases:list")

    def found(user, q):
        client.force_login(user)
        page = client.get(url, {"q": q}).context["page"]
        return page.paginator.count, sorted(case.reference for case in page.object_list)

    head, agent = users["head"], users["direction_agent"]
    assert found(head, "martin") == (2, sorted([martin.reference, other.reference]))
    assert found(head, "TINEZ") == (1, [martin.reference])
    assert found(head, "732 829") == (1, [martin.reference])
    assert found(head, martin.reference.lower()) == (1, [martin.reference])
    # A query matching the same case by its reference and its SIREN lists it once.
    digits = martin.reference[-6:]
    Case.objects.filter(pk=martin.pk).update(reference=f"PNSR-2026-{digits}")
    assert found(head, "2026")[1].count(f"PNSR-2026-{digits}") == 1
    assert found(agent, "martin") == (1, [f"PNSR-2026-{digits}"])
    assert found(head, "nobody") == (0, [])
