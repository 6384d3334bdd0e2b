"""The money of a case: a recovery imputed to the claims (C. civ. 1342-10), the costs the
case incurred and those a decision awarded (CPC 700, dépens), the net recovery, and the
distribution of the price of a property sold in a saisie immobilière (CPCE R.331-1 s.).

The pure parts (`imputation_plan`, `allocate`) decide; the operations validate, save and
record one history entry in one transaction (no permission check, no status change: the
workflow's side actions do the first, nothing here needs the second).

Imputation when the payer says nothing (C. civ. 1342-10, al. 2): first the debts that are
due (here: assessed — mis en recouvrement — on or before the day of the payment); among
them, those the debtor had most interest to pay: we hold that he has more interest in
paying a claim still alive than a prescribed one, and presume equal interest otherwise
(the pôle designates the claims when the debtor or the file says more); at equal interest
the oldest (assessment date); all things equal, proportionally. A claim is never imputed
beyond what remains of it; what no claim can take stays unimputed (to be returned).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce

from . import history
from .enums import (
    TRESOR_SECURITIES,
    ActParty,
    CostKind,
    DistributionKind,
    DistributionStatus,
    EventKind,
    ImputationRule,
    PieceKind,
    SecurityKind,
)
from .formatting import euros, short_date
from .models import (
    Case,
    CaseEvent,
    Claim,
    ClaimImputation,
    Cost,
    Distribution,
    DistributionCreditor,
    LawyerMandate,
    Piece,
    Recovery,
    User,
)
from .pieces import check_upload
from .services import store_upload

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# CPCE R.332-5 (as the pôle's practice applies it): fifteen days from the notification of
# the projet de distribution to contest it; past them the projet is deemed accepted.
CONTEST_DAYS = 15


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


# --- Imputation (C. civ. 1342-10) --------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """What the imputation needs to know of a claim."""

    pk: int
    remaining: Decimal
    assessed_on: datetime.date
    prescribed: bool = False


def _proportional(amount: Decimal, group: Sequence[Owed]) -> list[tuple[int, Decimal]]:
    """`amount` (at most the group's total) shared in proportion to what remains of each
    claim, to the cent; the cents left by rounding down go one each from the first."""
    total = sum(c.remaining for c in group)
    shares = [(c, (amount * c.remaining / total).quantize(CENT, ROUND_DOWN)) for c in group]
    left = amount - sum(s for _, s in shares)
    result = []
    for claim, share in shares:
        if left > 0 and share < claim.remaining:
            share, left = share + CENT, left - CENT
        result.append((claim.pk, share))
    return [(pk, share) for pk, share in result if share > 0]


def imputation_plan(
    amount: Decimal,
    claims: Iterable[Owed],
    paid_on: datetime.date,
    designated: Sequence[int] = (),
) -> tuple[list[tuple[int, Decimal, str]], Decimal]:
    """[(claim pk, amount, rule)] and what is left unimputed. The designated claims (the
    payer's indication, C. civ. 1342-10 al. 1) first, in the order given; then the legal
    order (al. 2): due before not yet due, alive before prescribed, the oldest first,
    proportionally at equal date."""
    left = _cents(amount)
    owed = {c.pk: c for c in claims if c.remaining > 0}
    plan: list[tuple[int, Decimal, str]] = []
    for pk in designated:
        claim = owed.pop(pk, None)
        if claim is None or left <= 0:
            continue
        part = min(left, claim.remaining)
        plan.append((pk, part, ImputationRule.DESIGNATED))
        left -= part

    def rank(c: Owed):
        return (c.assessed_on > paid_on, c.prescribed, c.assessed_on)

    for _, group in groupby(sorted(owed.values(), key=lambda c: (rank(c), c.pk)), key=rank):
        if left <= 0:
            break
        group = list(group)
        part = min(left, sum(c.remaining for c in group))
        plan += [(pk, share, ImputationRule.LEGAL) for pk, share in _proportional(part, group)]
        left -= part
    return plan, left


def impute(recovery: Recovery, designated: Sequence[Claim] = ()) -> list[ClaimImputation]:
    """Impute what the recovery brings to the claims (less the awarded costs it pays):
    one `ClaimImputation` per claim, whose remaining amount falls by as much. Inside the
    caller's transaction, the claims locked."""
    claims = list(Claim.objects.select_for_update().filter(case_id=recovery.case_id))
    wrong = [c for c in designated if c.case_id != recovery.case_id]
    if wrong:
        raise ValidationError({"claims": "Ces créances ne sont pas celles de ce dossier."})
    today = recovery.received_on
    owed = [Owed(c.pk, c.remaining, c.assessment_date, c.is_prescribed(today)) for c in claims]
    plan, _ = imputation_plan(
        recovery.amount - recovery.awarded_costs,
        owed,
        recovery.received_on,
        [c.pk for c in designated],
    )
    rows = [
        ClaimImputation(recovery=recovery, claim_id=pk, amount=part, rule=rule)
        for pk, part, rule in plan
    ]
    ClaimImputation.objects.bulk_create(rows)
    by_pk = {c.pk: c for c in claims}
    for pk, part, _ in plan:
        # An update, not a save: the claim's prescription is not what changed. Computed
        # here in decimals on the locked row (SQLite would subtract in floats).
        Claim.objects.filter(pk=pk).update(remaining=by_pk[pk].remaining - part)
    return rows


def imputation_reason(rows: Sequence[ClaimImputation], recovery: Recovery) -> str:
    claims = {c.pk: c for c in Claim.objects.filter(pk__in=[r.claim_id for r in rows])}
    imputed = sum((r.amount for r in rows), ZERO)
    parts = [(str(claims[r.claim_id]), r.amount) for r in rows]
    if recovery.awarded_costs:
        parts.insert(0, ("les frais alloués (art. 700 CPC, dépens)", recovery.awarded_costs))
    return history.imputed(parts, recovery.amount - recovery.awarded_costs - imputed)


@transaction.atomic
def record_recovery(
    case: Case,
    user: User,
    *,
    received_on: datetime.date,
    amount: Decimal,
    comment: str = "",
    party: str = ActParty.DEBTOR,
    awarded_costs: Decimal | None = None,
    claims: Sequence[Claim] = (),
) -> Recovery:
    """A sum received: `awarded_costs` of it to the costs a decision awarded, the rest
    imputed to the claims (`claims`: those the payer designated, first)."""
    recovery = Recovery(
        case=case,
        received_on=received_on,
        amount=amount,
        party=party or ActParty.DEBTOR,
        awarded_costs=awarded_costs or ZERO,
        comment=(comment or "").strip(),
        created_by=user,
    )
    recovery.full_clean()
    check_awarded_costs(case, recovery.awarded_costs)
    recovery.save()
    rows = impute(recovery, claims)
    reason = "\n".join(filter(None, [recovery.comment, imputation_reason(rows, recovery)]))
    CaseEvent.record(
        case,
        user,
        EventKind.RECOVERY_RECORDED,
        history.recovery_recorded(recovery.amount, received_on),
        reason=reason,
        data={
            "recovery": recovery.pk,
            "amount": str(recovery.amount),
            "imputations": {str(r.claim_id): str(r.amount) for r in rows},
            "awarded_costs": str(recovery.awarded_costs),
        },
    )
    return recovery


def awarded_costs_total(case: Case) -> Decimal:
    """CPC 700 and dépens the case's decisions awarded to the State."""
    sums = case.decisions.aggregate(a=models.Sum("article_700"), d=models.Sum("depens"))
    return _cents(sums["a"]) + _cents(sums["d"])


def awarded_costs_recovered(case: Case) -> Decimal:
    return _cents(case.recoveries.aggregate(t=models.Sum("awarded_costs"))["t"])


def check_awarded_costs(case: Case, part: Decimal) -> None:
    if not part:
        return
    outstanding = awarded_costs_total(case) - awarded_costs_recovered(case)
    if part > outstanding:
        raise ValidationError(
            {
                "awarded_costs": "Les décisions du dossier n'allouent pas autant de frais "
                f"restant dus (article 700 et dépens restant dus : {euros(outstanding)})."
            }
        )


# --- Costs ---------------------------------------------------------------------------------


@transaction.atomic
def record_cost(
    case: Case,
    user: User,
    *,
    kind: str,
    amount: Decimal,
    incurred_on: datetime.date,
    label: str = "",
    mandate: LawyerMandate | None = None,
    invoice_file=None,
) -> Cost:
    """A cost of the procedure (a lawyer's fees, a bailiff's, the court's…), its invoice
    optionally joined (a piece of the case)."""
    if kind == CostKind.LAWYER_FEES and mandate is None:
        mandate = case.mandates.filter(revoked_on__isnull=True).first()
    cost = Cost(
        case=case,
        kind=kind,
        amount=amount,
        incurred_on=incurred_on,
        label=(label or "").strip(),
        mandate=mandate,
        created_by=user,
    )
    cost.full_clean(exclude=["invoice"])

    def save_rows(piece: Piece | None = None) -> None:
        if piece is not None:
            piece.save()
            cost.invoice = piece
        cost.save()

    if invoice_file is not None:
        checked = check_upload(invoice_file)
        piece = Piece(case=case, kind=PieceKind.AUTRE, uploaded_by=user, dated_on=incurred_on)
        store_upload(piece, invoice_file, checked, lambda: save_rows(piece))
    else:
        save_rows()
    CaseEvent.record(
        case,
        user,
        EventKind.PROCEDURE_ACT,
        history.cost_recorded(CostKind(kind).label, cost.amount, incurred_on),
        reason=cost.label,
        data={"cost": cost.pk, "amount": str(cost.amount), "kind": kind},
    )
    return cost


# --- The sums of a case (the « Sommes » panel) --------------------------------------------


@dataclass(frozen=True)
class ClaimSums:
    claim: Claim
    recovered: Decimal  # imputed by the pôle's recoveries

    @property
    def at_referral(self) -> Decimal:
        return self.claim.remaining + self.recovered


@dataclass(frozen=True)
class Sums:
    """What a case brought and cost. Net recovery = what was recovered on the claims +
    the awarded costs (CPC 700, dépens) actually recovered − the costs incurred; that is
    every recovery less the costs."""

    claims: list[ClaimSums]
    recovered: Decimal  # every recovery
    awarded_costs: Decimal  # awarded by the decisions
    awarded_recovered: Decimal  # of which recovered
    unimputed: Decimal  # recovered on the claims but imputed to none
    costs: list[Cost]
    costs_total: Decimal

    @property
    def on_claims(self) -> Decimal:
        return self.recovered - self.awarded_recovered

    @property
    def remaining(self) -> Decimal:
        return sum((c.claim.remaining for c in self.claims), ZERO)

    @property
    def claims_total(self) -> Decimal:
        return sum((c.claim.total for c in self.claims), ZERO)

    @property
    def net(self) -> Decimal:
        return self.on_claims + self.awarded_recovered - self.costs_total


def case_sums(case: Case) -> Sums:
    by_claim = dict(
        ClaimImputation.objects.filter(claim__case=case)
        .values("claim_id")
        .annotate(t=models.Sum("amount"))
        .values_list("claim_id", "t")
    )
    imputed = sum((_cents(v) for v in by_claim.values()), ZERO)
    recovered = _cents(case.recoveries.aggregate(t=models.Sum("amount"))["t"])
    awarded_recovered = awarded_costs_recovered(case)
    costs = list(case.costs.select_related("mandate__lawyer", "invoice"))
    return Sums(
        claims=[ClaimSums(c, _cents(by_claim.get(c.pk))) for c in case.claims.all()],
        recovered=recovered,
        awarded_costs=awarded_costs_total(case),
        awarded_recovered=awarded_recovered,
        unimputed=recovered - awarded_recovered - imputed,
        costs=costs,
        costs_total=sum((c.amount for c in costs), ZERO),
    )


# `Sums` in SQL, one value per case of a queryset (correlated subqueries on the case's
# rows): what the comparables beside an opinion aggregate over many cases (cases.comparables).


def _per_case(model: type[models.Model], total: models.Expression) -> models.Expression:
    money = models.DecimalField(max_digits=16, decimal_places=2)
    rows = model.objects.filter(case=models.OuterRef("pk")).order_by().values("case")
    return Coalesce(
        models.Subquery(rows.annotate(t=models.Sum(total)).values("t"), output_field=money),
        models.Value(ZERO),
        output_field=money,
    )


def recovered_sql() -> models.Expression:
    """`Sums.recovered`: every recovery."""
    return _per_case(Recovery, models.F("amount"))


def recovered_on_claims_sql() -> models.Expression:
    """`Sums.on_claims`: the recoveries less the part that paid the awarded costs."""
    return _per_case(Recovery, models.F("amount") - models.F("awarded_costs"))


def costs_sql() -> models.Expression:
    """`Sums.costs_total`."""
    return _per_case(Cost, models.F("amount"))


def claim_amount() -> models.Expression:
    """A claim's principal and penalties, on `Claim` rows (`Sums.claims_total`'s terms)."""
    return models.F("principal") + models.F("penalties")


def claims_total_sql() -> models.Expression:
    """`Sums.claims_total`: the claims' principal and penalties."""
    return _per_case(Claim, claim_amount())


def net_recovery_sql() -> models.Expression:
    """`Sums.net`: every recovery less the costs."""
    return recovered_sql() - costs_sql()


# --- The distribution of the price (CPCE R.331-1 s.) ------------------------------------


def allocate(price: Decimal, creditors: Sequence[tuple[int, int, Decimal]]) -> dict[int, Decimal]:
    """{creditor key: amount} for [(key, rank, declared)]: the ranks paid in order, each
    up to what it declared; creditors of equal rank share what is left in proportion to
    their declarations (pure)."""
    left = _cents(price)
    result = {key: ZERO for key, _, _ in creditors}
    ordered = sorted(creditors, key=lambda c: (c[1], c[0]))
    for _, group in groupby(ordered, key=lambda c: c[1]):
        group = [Owed(key, _cents(declared), datetime.date.min) for key, _, declared in group]
        part = min(left, sum(c.remaining for c in group))
        for key, share in _proportional(part, group) if part > 0 else []:
            result[key] = share
        left -= part
    return result


def _locked(distribution: Distribution, *statuses: str) -> Distribution:
    locked = Distribution.objects.select_for_update().select_related("case").get(pk=distribution.pk)
    if statuses and locked.status not in statuses:
        raise ValidationError(
            f"La distribution est à l'étape « {locked.get_status_display()} » : "
            "cette opération n'y est pas possible."
        )
    return locked


def pending_distribution(case: Case) -> Distribution | None:
    return case.distributions.exclude(status=DistributionStatus.PAID).first()


@transaction.atomic
def open_distribution(
    case: Case, user: User, *, kind: str, price: Decimal, opened_on: datetime.date
) -> Distribution:
    """The distribution of the price is asked (CPCE R.331-1: by the pursuing creditor —
    the pôle for the Trésor —, else the most diligent creditor or the debtor)."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if pending_distribution(case) is not None:
        raise ValidationError("Une distribution du prix est déjà en cours pour ce dossier.")
    distribution = Distribution(
        case=case, kind=kind, price=price, opened_on=opened_on, created_by=user
    )
    distribution.full_clean()
    distribution.save()
    CaseEvent.record(
        case,
        user,
        EventKind.PROCEDURE_ACT,
        history.distribution_opened(DistributionKind(kind).label, distribution.price, opened_on),
        data={"distribution": distribution.pk, "price": str(distribution.price)},
    )
    return distribution


@transaction.atomic
def declare_creditor(
    distribution: Distribution,
    user: User,
    *,
    name: str,
    security: str,
    declared: Decimal,
    rank: int,
    is_treasury: bool = False,
) -> DistributionCreditor:
    distribution = _locked(distribution, DistributionStatus.OPEN)
    creditor = DistributionCreditor(
        distribution=distribution,
        name=(name or "").strip(),
        security=security,
        declared=declared,
        rank=rank,
        is_treasury=bool(is_treasury) or security in TRESOR_SECURITIES,
        created_by=user,
    )
    creditor.full_clean()
    creditor.save()
    CaseEvent.record(
        distribution.case,
        user,
        EventKind.PROCEDURE_ACT,
        history.creditor_declared(
            creditor.name, SecurityKind(security).label, creditor.declared, rank
        ),
        data={"distribution": distribution.pk, "creditor": creditor.pk},
    )
    return creditor


@transaction.atomic
def establish_project(
    distribution: Distribution, user: User, *, project_on: datetime.date
) -> Distribution:
    """The projet de distribution (amicable: notified, CPCE R.332-5, contestable for
    fifteen days) or the judge's état de répartition (judicial, R.333-1 s.): each creditor's
    amount, rank after rank."""
    distribution = _locked(distribution, DistributionStatus.OPEN)
    creditors = list(distribution.creditors.select_for_update())
    if not creditors:
        raise ValidationError("Déclarez d'abord les créanciers inscrits et leur rang.")
    if not any(c.is_treasury for c in creditors):
        raise ValidationError("Le Trésor ne figure pas parmi les créanciers déclarés.")
    if project_on is None or project_on < distribution.opened_on:
        raise ValidationError(
            {
                "project_on": "Le projet ne peut précéder la demande de distribution "
                f"({short_date(distribution.opened_on)})."
            }
        )
    shares = allocate(distribution.price, [(c.pk, c.rank, c.declared) for c in creditors])
    for creditor in creditors:
        creditor.allocated = shares[creditor.pk]
    DistributionCreditor.objects.bulk_update(creditors, ["allocated"])
    judicial = distribution.kind == DistributionKind.JUDICIAL
    distribution.project_on = project_on
    distribution.contest_until = (
        None if judicial else project_on + datetime.timedelta(days=CONTEST_DAYS)
    )
    distribution.status = DistributionStatus.PROJECT
    distribution.full_clean()
    distribution.save(update_fields=["project_on", "contest_until", "status"])
    treasury = sum((c.allocated for c in creditors if c.is_treasury), ZERO)
    CaseEvent.record(
        distribution.case,
        user,
        EventKind.PROCEDURE_ACT,
        history.distribution_project(judicial, project_on, treasury, distribution.contest_until),
        data={"distribution": distribution.pk, "treasury_share": str(treasury)},
    )
    return distribution


@transaction.atomic
def contest_project(
    distribution: Distribution, user: User, *, contested_on: datetime.date, reason: str
) -> Distribution:
    """A creditor or the debtor contests the amicable projet in time: the distribution
    becomes judicial (CPCE R.333-1) and the allocations wait for the judge."""
    distribution = _locked(distribution, DistributionStatus.PROJECT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez qui conteste et pourquoi."})
    if distribution.kind != DistributionKind.AMICABLE:
        raise ValidationError("Seul un projet de distribution amiable se conteste ici.")
    if contested_on is None or contested_on > distribution.contest_until:
        raise ValidationError(
            {
                "contested_on": "Le délai de contestation expirait le "
                f"{short_date(distribution.contest_until)} : le projet est réputé accepté."
            }
        )
    distribution.creditors.update(allocated=None)
    distribution.kind = DistributionKind.JUDICIAL
    distribution.status = DistributionStatus.OPEN
    distribution.project_on = None
    distribution.contest_until = None
    distribution.save(update_fields=["kind", "status", "project_on", "contest_until"])
    CaseEvent.record(
        distribution.case,
        user,
        EventKind.PROCEDURE_ACT,
        history.distribution_contested(contested_on),
        reason=reason,
        data={"distribution": distribution.pk},
    )
    return distribution


@transaction.atomic
def record_price_received(
    case: Case, user: User, *, received_on: datetime.date, amount: Decimal
) -> Recovery | None:
    """What the Trésor received from the price, told when the case closes (the
    distribution step's closure): counted once. A distribution recorded on the case counts
    its share when it is paid (`receive_treasury_share`); then nothing more is counted
    here, and while one is pending its share is to be received there, not here. Without
    any, the sum is a recovery imputed to the claims, paid out of the price by the
    séquestre (a third party: no interruption of the prescription, C. civ. 2240). The
    distributions are locked: two closures cannot both count it."""
    distributions = list(case.distributions.select_for_update().order_by("pk"))
    if amount is None or amount <= 0:
        return None
    paid = next((d for d in distributions if d.status == DistributionStatus.PAID), None)
    if paid is not None:
        what = (
            f"{euros(paid.recovery.amount)} reçus le {short_date(paid.recovery.received_on)}"
            if paid.recovery_id
            else f"rien ne lui revenait, paiement du {short_date(paid.paid_on)}"
        )
        raise ValidationError(
            {
                "amount": f"La part du Trésor est déjà enregistrée ({what}) : elle n'est "
                "comptée qu'une fois ; laissez ce champ vide."
            }
        )
    if distributions:
        raise ValidationError(
            {
                "amount": "Une distribution du prix est en cours : la part du Trésor est "
                "comptée à son paiement (« Part du Trésor reçue ») ; laissez ce champ vide."
            }
        )
    return record_recovery(
        case,
        user,
        received_on=received_on,
        amount=amount,
        party=ActParty.OTHER,
        comment="Distribution du prix de vente du bien saisi",
    )


@transaction.atomic
def receive_treasury_share(
    distribution: Distribution, user: User, *, paid_on: datetime.date
) -> Recovery | None:
    """The séquestre pays the Trésor its share: a recovery (paid by a third party, so it
    does not interrupt the prescription) imputed to the claims (C. civ. 1342-10)."""
    distribution = _locked(distribution, DistributionStatus.PROJECT)
    if paid_on is None or paid_on < distribution.project_on:
        raise ValidationError(
            {"paid_on": "Le paiement ne peut précéder le projet de distribution."}
        )
    if distribution.contest_until and paid_on <= distribution.contest_until:
        raise ValidationError(
            {
                "paid_on": "Le projet reste contestable jusqu'au "
                f"{short_date(distribution.contest_until)} : le prix ne se distribue "
                "qu'ensuite."
            }
        )
    share = distribution.treasury_share
    recovery = None
    if share > 0:
        recovery = record_recovery(
            distribution.case,
            user,
            received_on=paid_on,
            amount=share,
            party=ActParty.OTHER,
            comment=history.distribution_paid(share, paid_on),
        )
    distribution.paid_on = paid_on
    distribution.recovery = recovery
    distribution.status = DistributionStatus.PAID
    distribution.full_clean()
    distribution.save(update_fields=["paid_on", "recovery", "status"])
    if recovery is None:
        CaseEvent.record(
            distribution.case,
            user,
            EventKind.PROCEDURE_ACT,
            history.distribution_paid(ZERO, paid_on),
            data={"distribution": distribution.pk},
        )
    return recovery
