"""The money of a case: recoveries imputed to the claims (C. civ. 1342-10), the costs and
the costs awarded (CPC 700, dépens), the net recovery, and the distribution of the price
of a saisie immobilière (CPCE R.331-1 s.)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import money, proceedings
from cases.enums import (
    ActParty,
    CaseStatus,
    CostKind,
    DistributionKind,
    DistributionStatus,
    EventKind,
    ImputationRule,
    SecurityKind,
)
from cases.models import ClaimImputation, Decision, DistributionCreditor, Recovery
from cases.pieces import sample_pdf
from tests.factories import CaseFactory, ClaimFactory

D = datetime.date
E = Decimal


def owed(pk, remaining, assessed, prescribed=False):
    return money.Owed(pk, E(remaining), D.fromisoformat(assessed), prescribed)


# --- The imputation order (pure) --------------------------------------------------------


def test_the_oldest_due_claim_is_paid_first():
    """C. civ. 1342-10 al. 2: at equal interest, the oldest debt first."""
    plan, left = money.imputation_plan(
        E("1500"),
        [owed(1, "1000", "2023-05-01"), owed(2, "1000", "2022-05-01")],
        D(2025, 1, 1),
    )
    assert plan == [(2, E("1000.00"), "legal"), (1, E("500.00"), "legal")]
    assert left == 0


def test_debts_due_come_before_those_not_yet_due():
    """C. civ. 1342-10 al. 2: « d'abord sur les dettes échues »: a claim assessed after
    the payment was not due when it was made."""
    plan, _ = money.imputation_plan(
        E("800"),
        [owed(1, "1000", "2024-02-01"), owed(2, "1000", "2025-06-01")],
        D(2025, 1, 1),
    )
    assert plan == [(1, E("800.00"), "legal")]


def test_the_debtor_has_more_interest_in_paying_a_live_claim_than_a_prescribed_one():
    """C. civ. 1342-10 al. 2: among the debts due, those the debtor had most interest to
    pay; a prescribed claim, though older, comes after a live one."""
    plan, _ = money.imputation_plan(
        E("600"),
        [owed(1, "500", "2015-01-01", prescribed=True), owed(2, "500", "2023-01-01")],
        D(2025, 1, 1),
    )
    assert plan == [(2, E("500.00"), "legal"), (1, E("100.00"), "legal")]


def test_all_things_equal_the_payment_is_shared_proportionally_to_the_cent():
    """C. civ. 1342-10 al. 2 in fine: « toutes choses égales, proportionnellement »."""
    plan, left = money.imputation_plan(
        E("100"),
        [owed(1, "200", "2023-01-01"), owed(2, "100", "2023-01-01")],
        D(2025, 1, 1),
    )
    assert plan == [(1, E("66.67"), "legal"), (2, E("33.33"), "legal")]
    assert sum(p[1] for p in plan) == E("100")
    assert left == 0


def test_the_payers_indication_comes_first_then_the_legal_order():
    """C. civ. 1342-10 al. 1: the debtor may say which debt he pays."""
    plan, left = money.imputation_plan(
        E("1200"),
        [owed(1, "1000", "2022-01-01"), owed(2, "1000", "2023-01-01")],
        D(2025, 1, 1),
        designated=[2],
    )
    assert plan == [(2, E("1000.00"), "designated"), (1, E("200.00"), "legal")]
    assert left == 0


def test_what_no_claim_can_take_stays_unimputed():
    plan, left = money.imputation_plan(E("1500"), [owed(1, "1000", "2023-01-01")], D(2025, 1, 1))
    assert plan == [(1, E("1000.00"), "legal")]
    assert left == E("500.00")


def test_the_price_goes_rank_after_rank_and_is_shared_within_a_rank():
    """CPCE R.331-1 s.: each rank is paid up to its declaration before the next; equal
    ranks share in proportion to what they declared."""
    shares = money.allocate(
        E("100000"), [(1, 1, E("40000")), (2, 2, E("60000")), (3, 2, E("30000")), (4, 3, E("1"))]
    )
    assert shares == {1: E("40000.00"), 2: E("40000.00"), 3: E("20000.00"), 4: E("0.00")}


# --- Recoveries imputed (database) --------------------------------------------------------


@pytest.fixture
def case(users):
    case = CaseFactory(to=CaseStatus.TAKEN_OVER)
    case.claims.all().delete()
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    return case


OLD_ON, NEW_ON = D(2022, 3, 1), D(2024, 3, 1)


def claims(case, old_on=OLD_ON, new_on=NEW_ON):
    old = ClaimFactory(
        case=case, period="2021", assessment_date=old_on, principal=E("9000"),
        penalties=E("1000"), remaining=E("10000"),
    )  # fmt: skip
    new = ClaimFactory(
        case=case, period="2023", assessment_date=new_on, principal=E("5000"),
        penalties=E("0"), remaining=E("5000"),
    )  # fmt: skip
    return old, new


@pytest.mark.django_db
def test_a_recovery_is_imputed_to_the_oldest_claim_and_its_remaining_amount_falls(case, users):
    """C. civ. 1342-10: the oldest due claim first; the imputations are kept (auditable)."""
    old, new = claims(case)
    recovery = proceedings.record_recovery(
        case, users["jurist"], received_on=D(2025, 6, 1), amount=E("12000")
    )
    old.refresh_from_db(), new.refresh_from_db()
    assert (old.remaining, new.remaining) == (E("0.00"), E("3000.00"))
    rows = {i.claim_id: (i.amount, i.rule) for i in recovery.imputations.all()}
    assert rows == {
        old.pk: (E("10000.00"), ImputationRule.LEGAL),
        new.pk: (E("2000.00"), ImputationRule.LEGAL),
    }
    entry = case.events.filter(kind=EventKind.RECOVERY_RECORDED).get()
    assert "10\u202f000,00\u00a0€ imputés sur TVA 2021" in entry.reason
    assert entry.data["imputations"] == {str(old.pk): "10000.00", str(new.pk): "2000.00"}


@pytest.mark.django_db
def test_a_designated_claim_is_paid_first(case, users):
    old, new = claims(case)
    proceedings.record_recovery(
        case, users["jurist"], received_on=D(2025, 6, 1), amount=E("4000"), claims=[new]
    )
    old.refresh_from_db(), new.refresh_from_db()
    assert (old.remaining, new.remaining) == (E("10000.00"), E("1000.00"))
    assert ClaimImputation.objects.get(claim=new).rule == ImputationRule.DESIGNATED


@pytest.mark.django_db
def test_awarded_costs_are_not_imputed_to_the_claims_and_cannot_exceed_the_award(case, users):
    """CPC 700 and the dépens a decision awards are recovered apart from the claims."""
    old, _ = claims(case)
    with pytest.raises(ValidationError, match="n'allouent pas autant de frais"):
        proceedings.record_recovery(
            case, users["jurist"], received_on=D(2025, 6, 1), amount=E("3000"),
            awarded_costs=E("1000"),
        )  # fmt: skip
    assert not Recovery.objects.filter(case=case).exists()
    award(case, users, article_700=E("1500"), depens=E("300"))
    proceedings.record_recovery(
        case, users["jurist"], received_on=D(2025, 6, 1), amount=E("3000"),
        awarded_costs=E("1800"),
    )  # fmt: skip
    old.refresh_from_db()
    assert old.remaining == E("8800.00")  # 3000 - 1800 on the claims
    with pytest.raises(IntegrityError), transaction.atomic():
        Recovery.objects.create(
            case=case, received_on=D(2025, 6, 1), amount=E("10"), awarded_costs=E("11"),
            created_by=users["jurist"],
        )  # fmt: skip


def award(case, users, **costs) -> Decision:
    return proceedings.record_decision(
        case,
        users["jurist"],
        instance="first",
        decided_on=D(2025, 5, 1),
        court="Tribunal judiciaire de Laon",
        outcome="condemned",
        amount_awarded=E("15000"),
        judgment_file=SimpleUploadedFile("jugement.pdf", sample_pdf("Pièce"), "application/pdf"),
        **costs,
    )


@pytest.mark.django_db
def test_the_net_recovery_is_recovered_plus_awarded_costs_recovered_less_the_costs(case, users):
    """Net recovery = recovered on the claims + awarded costs (CPC 700, dépens) actually
    recovered − the costs incurred."""
    claims(case)
    award(case, users, article_700=E("2000"))
    proceedings.record_recovery(
        case, users["jurist"], received_on=D(2025, 6, 1), amount=E("6000"),
        awarded_costs=E("500"),
    )  # fmt: skip
    money.record_cost(
        case, users["jurist"], kind=CostKind.LAWYER_FEES, amount=E("1200"),
        incurred_on=D(2025, 6, 2), label="Facture n° 18",
        invoice_file=SimpleUploadedFile("facture.pdf", sample_pdf("Pièce"), "application/pdf"),
    )  # fmt: skip
    money.record_cost(
        case, users["jurist"], kind=CostKind.BAILIFF, amount=E("300"), incurred_on=D(2025, 6, 3)
    )
    sums = money.case_sums(case)
    assert sums.on_claims == E("5500.00")
    assert sums.awarded_costs == E("2000.00")
    assert sums.awarded_recovered == E("500.00")
    assert sums.costs_total == E("1500.00")
    assert sums.net == E("4500.00")  # 5500 + 500 - 1500
    assert sums.remaining == E("9500.00")  # 15000 - 5500
    invoiced = next(c for c in sums.costs if c.kind == CostKind.LAWYER_FEES)
    assert invoiced.invoice.original_name == "facture.pdf"
    assert invoiced.invoice.case_id == case.pk


# --- The distribution of the price (CPCE R.331-1 s.) -------------------------------------


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.mark.django_db
def test_an_amicable_distribution_pays_the_treasury_its_rank_and_the_share_is_imputed(case, users):
    """CPCE R.331-1 s.: the creditors by rank; R.332-5: fifteen days to contest the projet;
    the Trésor's share is a recovery imputed to the claims (C. civ. 1342-10), paid by a
    third party (the séquestre)."""
    old, new = claims(case, D(2024, 3, 1), D(2025, 3, 1))  # neither prescribed
    jurist = users["jurist"]
    dist = money.open_distribution(
        case, jurist, kind=DistributionKind.AMICABLE, price=E("60000"), opened_on=days(-60)
    )
    money.declare_creditor(
        dist, jurist, name="Banque du Nord", security=SecurityKind.CONVENTIONAL_MORTGAGE,
        declared=E("50000"), rank=1,
    )  # fmt: skip
    treasury = money.declare_creditor(
        dist, jurist, name="SIE de Laon", security=SecurityKind.TRESOR_PRIVILEGE,
        declared=E("15000"), rank=2,
    )  # fmt: skip
    assert treasury.is_treasury
    dist = money.establish_project(dist, jurist, project_on=days(-40))
    assert dist.contest_until == days(-25)
    treasury.refresh_from_db()
    assert treasury.allocated == E("10000.00")  # 60 000 - 50 000 to the first rank
    with pytest.raises(ValidationError, match="reste contestable"):
        money.receive_treasury_share(dist, jurist, paid_on=days(-30))
    recovery = money.receive_treasury_share(dist, jurist, paid_on=days(-10))
    assert (recovery.amount, recovery.party) == (E("10000.00"), ActParty.OTHER)
    dist.refresh_from_db()
    assert (dist.status, dist.recovery) == (DistributionStatus.PAID, recovery)
    old.refresh_from_db(), new.refresh_from_db()
    assert (old.remaining, new.remaining) == (E("0.00"), E("5000.00"))
    assert money.case_sums(case).on_claims == E("10000.00")


@pytest.mark.django_db
def test_a_contested_projet_makes_the_distribution_judicial(case, users):
    """CPCE R.332-5 then R.333-1: a contest in time sends the distribution to the judge;
    past the fifteen days the projet is deemed accepted."""
    claims(case)
    jurist = users["jurist"]
    dist = money.open_distribution(
        case, jurist, kind=DistributionKind.AMICABLE, price=E("20000"), opened_on=days(-60)
    )
    money.declare_creditor(
        dist, jurist, name="Trésor", security=SecurityKind.TRESOR_MORTGAGE, declared=E("30000"),
        rank=1,
    )  # fmt: skip
    dist = money.establish_project(dist, jurist, project_on=days(-40))
    with pytest.raises(ValidationError, match="réputé accepté"):
        money.contest_project(dist, jurist, contested_on=days(-20), reason="Le débiteur")
    dist = money.contest_project(dist, jurist, contested_on=days(-30), reason="Le débiteur")
    assert (dist.kind, dist.status) == (DistributionKind.JUDICIAL, DistributionStatus.OPEN)
    dist = money.establish_project(dist, jurist, project_on=days(-5))  # the judge's état
    assert dist.contest_until is None
    assert money.receive_treasury_share(dist, jurist, paid_on=days(-1)).amount == E("20000.00")


@pytest.mark.django_db
def test_the_treasurys_securities_guarantee_only_the_treasury(case, users):
    dist = money.open_distribution(
        case, users["jurist"], kind=DistributionKind.JUDICIAL, price=E("1000"), opened_on=days(-5)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DistributionCreditor.objects.create(
            distribution=dist, name="Banque", security=SecurityKind.TRESOR_PRIVILEGE,
            declared=E("10"), rank=1, is_treasury=False, created_by=users["jurist"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="déjà en cours"):
        money.open_distribution(
            case, users["jurist"], kind=DistributionKind.JUDICIAL, price=E("1"), opened_on=days(-1)
        )
    with pytest.raises(ValidationError, match="Trésor ne figure pas"):
        money.declare_creditor(
            dist, users["jurist"], name="Banque", security=SecurityKind.OTHER, declared=E("5"),
            rank=1,
        )  # fmt: skip
        money.establish_project(dist, users["jurist"], project_on=days(-1))


@pytest.mark.django_db
def test_remaining_amounts_fall_to_the_cent(case, users):
    """Decimals, not floats: three payments of 0,10 € settle a claim of 0,30 € exactly."""
    claim = ClaimFactory(
        case=case, principal=E("0.30"), penalties=E("0"), remaining=E("0.30"),
        assessment_date=D(2024, 3, 1),
    )  # fmt: skip
    for _ in range(3):
        proceedings.record_recovery(
            case, users["jurist"], received_on=D(2025, 6, 1), amount=E("0.10")
        )
    claim.refresh_from_db()
    assert claim.remaining == E("0.00")
    assert money.case_sums(case).unimputed == E("0.00")
