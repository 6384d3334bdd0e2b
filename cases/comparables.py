"""What the pôle's own history says beside an opinion (issue 24): for the case's action and
situation, how many comparable cases, what they came to, the median time to the judge's
first decision, the recovery rate and the median net recovery, each with the number of
cases or decisions it rests on; below `COMPARABLES_MIN_CASES` cases, only that there are
too few (no rate is given on three cases).

**Comparable**: another case of the same action, closed, whose action the pôle engaged (a
starting act recorded: the acte introductif, in Alsace-Moselle the requête): the cases whose
outcome is known. The situation narrows them, strictest first:

1. the debtor under collective proceedings or not: for this case, one open now
   (`collective.open_proceeding`, on any case of the debtor); for a comparable, one that
   weighed on it (recorded on it and not opened by its own judgment, or its action stopped
   by one, C. com. L.622-21);
2. the debtor's kind (personne morale, personne physique);
3. the band of the amount at stake (the claims' principal and penalties, `AMOUNT_BANDS`).

Below the threshold the amount's band is dropped, then the debtor's kind. The action and the
collective proceedings never are: a proceeding stops the action, so cases without one say
nothing of a case with one, and another action's figures nothing of this one's. The result
names the criteria kept and those dropped.

**The measures are the dashboards'**, not a second definition: the outcomes are the closure
reasons the dashboards count; a condemnation is `models.condemnation`; the delay is
`decision_delay`, the results dashboard's « Délai de la saisine à la décision de première
instance » (which reads it from here), over the comparable cases' first-instance decisions;
the net recovery is `money.Sums.net` (`money.net_recovery_sql`), its median over the cases;
the recovery rate is what the cases recovered on their claims over the claims' principal
and penalties (`Sums.on_claims` / `Sums.claims_total`, summed over the cases).

Every case of the pôle counts, whoever looks: the figures are aggregates (no case named),
and the same for the jurist, the reviewer and the PDF. Four aggregate queries after the
case's own situation (two), whatever the number of cases: no row per case reaches Python.

The result is a plain dict (JSON): shown live beside the opinion's form, frozen in each
version at its submission (`Opinion.comparables`, `proceedings.submit_opinion`) and printed
from there by the PDF, so that a validated opinion shows the figures it relied on.
`for_display` phrases its numbers; the sentences are the templates'.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Sum
from django.utils import timezone

from . import collective, money
from .enums import CaseStatus, ClosureReason, DebtorKind, Instance
from .formatting import count, euros, long_date, lower_first, percent
from .models import (
    Case,
    Claim,
    CollectiveProceeding,
    Decision,
    StartingAct,
    StoppedAction,
    condemnation,
)
from .sql import Percentile, days

# The bands of the amount at stake, by their lower bounds: under 50 000 €, up to 250 000 €,
# beyond (three orders of the stake against an action's costs of a few thousand euros).
AMOUNT_BANDS = (Decimal("0"), Decimal("50000"), Decimal("250000"))

FIRST_INSTANCE = Q(instance=Instance.FIRST)


def decision_delay():
    """Calendar days from the case's referral to a decision (on `Decision` rows): the
    results dashboard's delay to judgment, and the comparables' (first instance)."""
    return days("decided_on", "case__submitted_at", end_is_date=True)


@dataclass(frozen=True)
class Criterion:
    """What comparable cases share with the case: its filter on the pool and how it is
    described (JSON)."""

    key: str
    condition: Q
    described: dict


def _weighed_on_by_proceedings() -> ExpressionWrapper:
    own = CollectiveProceeding.objects.filter(case=OuterRef("pk"), decision__isnull=True)
    stopped = StoppedAction.objects.filter(case=OuterRef("pk"))
    return ExpressionWrapper(Q(Exists(own)) | Q(Exists(stopped)), output_field=BooleanField())


def _band(amount: Decimal) -> tuple[Decimal, Decimal | None]:
    lows = [low for low in AMOUNT_BANDS if amount >= low] or [AMOUNT_BANDS[0]]
    low = lows[-1]
    higher = [b for b in AMOUNT_BANDS if b > low]
    return low, higher[0] if higher else None


def _situation(case: Case) -> list[Criterion]:
    """The criteria after the action, strictest last: each level of relaxation drops the
    last one."""
    under = collective.open_proceeding(case) is not None
    kind = case.debtor.kind
    amount = Claim.objects.filter(case=case).aggregate(total=Sum(money.claim_amount()))[
        "total"
    ] or Decimal("0")
    low, high = _band(Decimal(amount))
    in_band = Q(claims_total__gte=low) & (Q(claims_total__lt=high) if high else Q())
    return [
        Criterion("collective", Q(collective=under), {"key": "collective", "value": under}),
        Criterion(
            "debtor_kind",
            Q(debtor__kind=kind),
            {"key": "debtor_kind", "value": kind, "label": DebtorKind(kind).label},
        ),
        Criterion(
            "amount",
            in_band,
            {"key": "amount", "low": str(low), "high": str(high) if high else None},
        ),
    ]


def _pool(case: Case):
    """Every closed case of the same action whose action was engaged, but this one."""
    engaged = StartingAct.objects.filter(case=OuterRef("pk"))
    return (
        Case.objects.filter(Exists(engaged), action_type_id=case.action_type_id)
        .filter(status=CaseStatus.CLOSED)
        .exclude(pk=case.pk)
        .annotate(claims_total=money.claims_total_sql(), collective=_weighed_on_by_proceedings())
        .order_by()
    )


def comparables(case: Case) -> dict:
    """The figures of the cases comparable to this one (module docstring), as JSON."""
    threshold = settings.COMPARABLES_MIN_CASES
    found: dict = {
        "computed_at": timezone.now().isoformat(),
        "threshold": threshold,
        "criteria": [],
        "relaxed": [],
        "n": 0,
        "enough": False,
    }
    if case.action_type_id is None:
        return found
    situation = _situation(case)
    pool = _pool(case)
    levels = [situation[:kept] for kept in range(len(situation), 0, -1)]
    counts = pool.aggregate(
        **{
            f"level{i}": Count("pk", filter=Q(*(c.condition for c in level)))
            for i, level in enumerate(levels)
        }
    )
    chosen = next(
        (i for i in range(len(levels)) if counts[f"level{i}"] >= threshold), len(levels) - 1
    )
    kept = levels[chosen]
    found["criteria"] = [
        {"key": "action", "label": case.action_type.label},
        *(c.described for c in kept),
    ]
    found["relaxed"] = [c.key for c in reversed(situation[len(kept) :])]  # as dropped
    found["n"] = n = counts[f"level{chosen}"]
    found["enough"] = n >= threshold
    if not found["enough"]:
        return found
    rows = pool.filter(*(c.condition for c in kept))
    cases = rows.values("pk")
    sums = rows.annotate(
        on_claims=money.recovered_on_claims_sql(),
        net=money.net_recovery_sql(),
        has_condemnation=Exists(Decision.objects.filter(condemnation(), case=OuterRef("pk"))),
    ).aggregate(
        recovered=Sum("on_claims"),
        claims=Sum("claims_total"),
        net_median=Percentile("net", 0.5),
        condemned=Count("pk", filter=Q(has_condemnation=True)),
    )
    by_reason = dict(
        Case.objects.filter(pk__in=cases)
        .order_by()
        .values("closure_reason")
        .annotate(n=Count("pk"))
        .values_list("closure_reason", "n")
    )
    delay = Decision.objects.filter(FIRST_INSTANCE, case__in=cases).aggregate(
        n=Count("pk"), median=Percentile(decision_delay(), 0.5)
    )
    recovered = Decimal(sums["recovered"] or 0).quantize(money.CENT)
    claims = Decimal(sums["claims"] or 0).quantize(money.CENT)
    found.update(
        outcomes=[
            {"reason": reason.value, "label": reason.label, "n": by_reason[reason]}
            for reason in ClosureReason
            if by_reason.get(reason)
        ],
        condemned=sums["condemned"],
        delay={
            "decisions": delay["n"],
            "median": None if delay["median"] is None else round(delay["median"], 1),
        },
        recovered=str(recovered),
        claims=str(claims),
        recovery_rate=round(float(recovered / claims), 4) if claims else None,
        net_median=None
        if sums["net_median"] is None
        else str(Decimal(str(sums["net_median"])).quantize(money.CENT)),
    )
    return found


def _days(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def for_display(figures: dict) -> dict | None:
    """The figures (live or frozen) with their numbers phrased for a page or a PDF; None for
    an opinion written before they were frozen."""
    if not figures:
        return None
    shown = dict(figures)
    computed = datetime.datetime.fromisoformat(figures["computed_at"])
    shown["computed_on"] = long_date(timezone.localtime(computed).date())
    shown["n_text"] = count(figures["n"])
    criteria = []
    for criterion in figures["criteria"]:
        criterion = dict(criterion)
        if criterion["key"] == "action":
            criterion["label_in_sentence"] = lower_first(criterion["label"])
        if criterion["key"] == "amount":
            criterion["low_text"] = euros(Decimal(criterion["low"]))
            criterion["high_text"] = euros(Decimal(criterion["high"])) if criterion["high"] else ""
        criteria.append(criterion)
    shown["criteria"] = criteria
    if figures["enough"]:
        shown["rate_text"] = percent(figures["recovery_rate"])
        shown["recovered_text"] = euros(Decimal(figures["recovered"]))
        shown["claims_text"] = euros(Decimal(figures["claims"]))
        net = figures["net_median"]
        shown["net_median_text"] = euros(Decimal(net)) if net is not None else ""
        shown["delay_text"] = _days(figures["delay"]["median"])
    return shown
