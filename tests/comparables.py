"""A crafted history of the pôle for the comparables beside an opinion (cases.comparables),
its figures worked out by hand.

Twelve closed saisies immobilières of companies, 100 000 € of claims each, action engaged,
no collective proceeding — the cases comparable to a new saisie of a company with 50 000 to
250 000 € at stake:

- F1-F5, recouvrement intégral: 100 000 recovered each (F1 also 2 000 of CPC 700), 5 000
  of costs, net 95 000 (F1 97 000); granted 100, 120, 140, 160, 180 days after referral;
- P1-P4, recouvrement partiel: 20 000, 40 000, 60 000, 80 000 recovered, 5 000 of costs,
  net 15 000, 35 000, 55 000, 75 000; partly granted 200 and 220 days after (condemned),
  vente forcée ordered 240 and 260 days after;
- I1-I3, irrécouvrables: nothing recovered, 5 000 of costs, net -5 000; I1 rejected 300
  days after (and an appeal 500 days after: not first instance), I2 and I3 no decision.

n = 12; recovery rate 700 000 / 1 200 000 = 58,33 % (the 2 000 of CPC 700 are not
recovered on the claims); median net: the 6th and 7th of -5 000 ×3, 15 000, 35 000,
55 000, 75 000, 95 000 ×4, 97 000, i.e. (55 000 + 75 000) / 2 = 65 000; median delay of
the ten first-instance decisions (180 + 200) / 2 = 190 days; condemned: F1-F5, P1, P2 = 7.

Beside them, cases that are not comparable, each for one reason: one still open, one closed
without its action engaged, another action, one under collective proceedings (on its own
case) and one stopped by a proceeding (L.622-21), a natural person, 300 000 € at stake.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import count

from cases.enums import (
    CaseStatus,
    ClosureReason,
    CollectiveKind,
    DebtorKind,
    DecisionOutcome,
    Instance,
    Mode,
    StartingActKind,
    TaxKind,
)
from cases.models import (
    ActionType,
    Case,
    Claim,
    CollectiveProceeding,
    Cost,
    Debtor,
    Decision,
    Direction,
    Piece,
    Recovery,
    StartingAct,
    StoppedAction,
)

D = datetime.date
_numbers = count(1)
REFERRED = datetime.datetime(2024, 1, 8, 10, tzinfo=datetime.UTC)


class History:
    def __init__(self, users):
        self.head = users["head"]
        self.direction = Direction.objects.get(code="DDFIP 02")

    def case(
        self,
        label: str,
        *,
        action: str = "saisie_immobiliere",
        status: str = CaseStatus.CLOSED,
        closure: str = ClosureReason.RECOVERED_FULL,
        kind: str = DebtorKind.LEGAL,
        claims: str = "100000.00",
        engaged: bool = True,
        mode: str = Mode.PRISE_EN_CHARGE,
    ) -> Case:
        debtor = Debtor.objects.create(kind=kind, name=f"{label} SARL", siren="")
        [case] = Case.objects.bulk_create(
            [
                Case(
                    reference=f"PNSR-2024-{900000 + next(_numbers):06d}",
                    direction=self.direction,
                    mode=mode,
                    action_type=ActionType.objects.get(code=action),
                    debtor=debtor,
                    status=status,
                    closure_reason=closure if status == CaseStatus.CLOSED else "",
                    created_by=self.head,
                    created_at=REFERRED,
                    submitted_at=REFERRED,
                )
            ]
        )
        Claim.objects.create(
            case=case,
            tax=TaxKind.TVA,
            nature="impot_amr",
            period="2022",
            assessment_date=D(2023, 3, 1),
            principal=Decimal(claims),
            remaining=Decimal(claims),
        )
        if engaged:
            StartingAct.objects.create(
                case=case,
                kind=StartingActKind.COMMANDEMENT,
                court="Tribunal judiciaire de Laon",
                signed_on=D(2024, 2, 1),
                created_by=self.head,
            )
        return case

    def decision(self, case, days: int, outcome, amount=None, instance=Instance.FIRST):
        judgment = Piece.objects.create(
            case=case,
            kind="jugement",
            file="pieces/jugement.pdf",
            original_name="jugement.pdf",
            size=1,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=self.head,
        )
        Decision.objects.create(
            case=case,
            instance=instance,
            decided_on=REFERRED.date() + datetime.timedelta(days=days),
            court="Tribunal judiciaire de Laon",
            outcome=outcome,
            amount_awarded=Decimal(amount) if amount else None,
            judgment=judgment,
            created_by=self.head,
        )

    def recovery(self, case, amount: str, awarded_costs: str = "0") -> None:
        Recovery.objects.create(
            case=case,
            received_on=D(2025, 6, 2),
            amount=Decimal(amount),
            awarded_costs=Decimal(awarded_costs),
            created_by=self.head,
        )

    def cost(self, case, amount: str = "5000.00") -> None:
        Cost.objects.create(
            case=case,
            kind="lawyer_fees",
            amount=Decimal(amount),
            incurred_on=D(2024, 3, 1),
            created_by=self.head,
        )

    def proceeding(self, case) -> CollectiveProceeding:
        return CollectiveProceeding.objects.create(
            case=case,
            kind=CollectiveKind.LIQUIDATION,
            opened_on=D(2024, 6, 3),
            court="Tribunal de commerce de Saint-Quentin",
            created_by=self.head,
        )


def target(users, **fields) -> Case:
    """A new opinion case like the twelve: a saisie immobilière of a company, 100 000 € at
    stake, under examination."""
    fields = {"status": CaseStatus.UNDER_EXAMINATION, "engaged": False, "mode": Mode.AVIS, **fields}
    return History(users).case("target", **fields)


def crafted_history(users) -> dict[str, Case]:
    """The cases of the module docstring, by label."""
    h = History(users)
    c: dict[str, Case] = {}
    granted = DecisionOutcome.GRANTED
    for i, days in enumerate((100, 120, 140, 160, 180), start=1):
        c[f"F{i}"] = case = h.case(f"F{i}")
        h.decision(case, days, granted, "100000.00")
        h.recovery(case, "100000.00")
        h.cost(case)
    h.recovery(c["F1"], "2000.00", awarded_costs="2000.00")  # CPC 700, not the claims
    partial = [
        ("20000.00", 200, DecisionOutcome.PARTLY, "50000.00"),
        ("40000.00", 220, DecisionOutcome.PARTLY, "50000.00"),
        ("60000.00", 240, DecisionOutcome.VENTE_FORCEE, None),
        ("80000.00", 260, DecisionOutcome.VENTE_FORCEE, None),
    ]
    for i, (recovered, days, outcome, amount) in enumerate(partial, start=1):
        c[f"P{i}"] = case = h.case(f"P{i}", closure=ClosureReason.RECOVERED_PARTIAL)
        h.decision(case, days, outcome, amount)
        h.recovery(case, recovered)
        h.cost(case)
    for i in (1, 2, 3):
        c[f"I{i}"] = case = h.case(f"I{i}", closure=ClosureReason.IRRECOVERABLE)
        h.cost(case)
    h.decision(c["I1"], 300, DecisionOutcome.REJECTED)
    h.decision(c["I1"], 500, DecisionOutcome.REJECTED, instance=Instance.APPEAL)
    # Not comparable, each for one reason.
    c["open"] = h.case("open", status=CaseStatus.EXECUTION)
    c["unengaged"] = h.case("unengaged", engaged=False)
    c["other_action"] = h.case("other_action", action="solidarite_dirigeant")
    c["collective"] = h.case("collective")
    proceeding = h.proceeding(c["collective"])
    c["stopped"] = h.case("stopped")
    StoppedAction.objects.create(case=c["stopped"], proceeding=proceeding)
    c["natural"] = h.case("natural", kind=DebtorKind.NATURAL)
    c["big"] = h.case("big", claims="300000.00")
    for label in ("open", "unengaged", "other_action", "collective", "stopped", "natural", "big"):
        h.cost(c[label], "90000.00")  # would pull every figure down if it counted
    return c
