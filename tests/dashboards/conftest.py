"""A small crafted data set whose figures are worked out by hand (see each test).

Rows are written directly (as the bulk demo generator does), with the dates chosen, so
that every count, median and amount below can be checked on paper. The period of the
tests is the first half of 2025 (`PERIOD`), by month.
"""

import datetime
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.enums import (
    CaseStatus as S,
)
from cases.enums import (
    ClosureReason,
    DecisionOutcome,
    EventKind,
    Instance,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    ReturnGround,
    TaxKind,
)
from cases.models import (
    ActionType,
    Case,
    CaseEvent,
    Claim,
    Debtor,
    Decision,
    Direction,
    Opinion,
    Piece,
    Recovery,
    ReturnGroundRecord,
)
from deadlines.enums import DeadlineStatus
from deadlines.models import Deadline
from tests.workflows.conftest import journey, submitted_case  # noqa: F401 (fixtures used here)

PARIS = ZoneInfo("Europe/Paris")
PERIOD = {"debut": "2025-01-01", "fin": "2025-06-30", "pas": "mois"}
_numbers = count(1)


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=PARIS
    )


class Builder:
    def __init__(self, users):
        self.users = users
        self.head = users["head"]
        self.today = timezone.localdate()

    def case(
        self,
        label,
        direction,
        mode,
        action,
        status,
        submitted,
        *,
        jurist=None,
        expert=None,
        closure="",
        claims=(("100000.00", 3650),),
    ) -> Case:
        d = Direction.objects.get(code=direction)
        debtor = Debtor.objects.create(kind="legal", name=f"SAS {label}", siren="552100554")
        [case] = Case.objects.bulk_create(
            [
                Case(
                    reference=f"PNSR-2025-{next(_numbers):06d}",
                    direction=d,
                    poste_comptable=d.postes.order_by("pk").first(),
                    mode=mode,
                    action_type=ActionType.objects.get(code=action),
                    debtor=debtor,
                    facts="Faits.",
                    request="Demande.",
                    status=status,
                    closure_reason=closure,
                    assigned_jurist=jurist,
                    assigned_expert=expert,
                    created_by=self.head,
                    created_at=at(submitted, 8),
                    submitted_at=at(submitted),
                )
            ]
        )
        Claim.objects.bulk_create(
            Claim(
                case=case,
                tax=TaxKind.TVA,
                nature="impot_amr",
                period="2023",
                assessment_date=datetime.date(2024, 3, 1),
                principal=Decimal(remaining),
                penalties=Decimal("0"),
                remaining=Decimal(remaining),
                prescription_date=self.today + datetime.timedelta(days=days),
                prescription_state="running",
            )
            for remaining, days in claims
        )
        if jurist or expert:
            self.event(case, EventKind.ASSIGNED, at(submitted, 15))
        return case

    def event(self, case, kind, when, transition="", **fields) -> CaseEvent:
        [event] = CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case=case,
                    at=when,
                    actor=self.head,
                    kind=kind,
                    transition=transition,
                    summary=transition or kind,
                    **fields,
                )
            ]
        )
        return event

    def returned(self, case, day, *grounds) -> None:
        event = self.event(
            case,
            EventKind.TRANSITION,
            at(day),
            "return_for_completion",
            source_status=S.SUBMITTED,
            target_status=S.RETURNED,
        )
        ReturnGroundRecord.objects.bulk_create(
            ReturnGroundRecord(event=event, ground=g) for g in grounds
        )

    def opinion(self, case, author, reviewed, conclusion, follow="") -> Opinion:
        return Opinion.objects.create(
            case=case,
            version=1,
            author=author,
            conclusion=conclusion,
            recommended_action=(
                ActionType.objects.get(code="solidarite_dirigeant")
                if conclusion == OpinionConclusion.OTHER_ACTION
                else None
            ),
            reasons="Motifs.",
            risk_level="medium",
            risk_assessment="Analyse.",
            status=OpinionStatus.VALIDATED,
            submitted_at=at(reviewed, 9) - datetime.timedelta(days=2),
            reviewed_by=self.head,
            reviewed_at=at(reviewed, 16),
            follow=follow,
        )

    def decision(self, case, day, outcome, awarded, instance=Instance.FIRST) -> Decision:
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
        return Decision.objects.create(
            case=case,
            instance=instance,
            decided_on=datetime.date.fromisoformat(day),
            court="Tribunal judiciaire",
            outcome=outcome,
            amount_awarded=Decimal(awarded) if awarded else None,
            judgment=judgment,
            created_by=self.head,
        )

    def recovery(self, case, day, amount) -> None:
        Recovery.objects.create(
            case=case,
            received_on=datetime.date.fromisoformat(day),
            amount=Decimal(amount),
            created_by=self.head,
        )

    def deadline(self, case, days, status=DeadlineStatus.OPEN) -> None:
        Deadline.objects.create(
            case=case,
            label="Échéance",
            basis="CPC",
            due_date=self.today + datetime.timedelta(days=days),
            status=status,
            **(
                {"done_act": "Acte", "done_on": self.today + datetime.timedelta(days=days)}
                if status == DeadlineStatus.DONE
                else {}
            ),
        )


@pytest.fixture
def crafted(users):
    """Cases of DDFIP 02 (sending direction) and DRFIP 67, referred in and around the first
    half of 2025. `jurist` is juriste.a, `other_jurist` juriste.b."""
    b = Builder(users)
    ja, jb, expert = users["jurist"], users["other_jurist"], users["expert"]
    avis, pec, soutien = Mode.AVIS, Mode.PRISE_EN_CHARGE, Mode.SOUTIEN
    c = {}
    # Opinions: referral -> validation in days: A1 35, A2 40, A3 60, A4 10, A6 20.
    c["A1"] = b.case(
        "A1", "DDFIP 02", avis, "saisie_immobiliere", S.TAKEN_OVER, "2025-01-10", jurist=ja,
        claims=(("100000.00", 60),),  # prescription within 3 months
    )  # fmt: skip
    b.opinion(c["A1"], ja, "2025-02-14", OpinionConclusion.FAVOURABLE, OpinionFollow.FOLLOWED)
    c["A2"] = b.case(
        "A2", "DDFIP 02", avis, "solidarite_dirigeant", S.CLOSED, "2025-01-20", expert=expert,
        closure=ClosureReason.OPINION_GIVEN, claims=(("40000.00", 30),),
    )  # fmt: skip
    b.opinion(
        c["A2"], expert, "2025-03-01", OpinionConclusion.UNFAVOURABLE, OpinionFollow.NOT_FOLLOWED
    )
    b.deadline(c["A2"], -3)  # a closed case: not a risk any more
    c["A3"] = b.case(
        "A3", "DRFIP 67", avis, "saisie_immobiliere", S.CLOSED, "2025-02-05", jurist=ja,
        closure=ClosureReason.OPINION_GIVEN,
    )  # fmt: skip
    b.opinion(c["A3"], ja, "2025-04-06", OpinionConclusion.OTHER_ACTION, OpinionFollow.PARTLY)
    c["A4"] = b.case(
        "A4", "DRFIP 67", avis, "tiers_detenteur", S.OPINION_GIVEN, "2025-03-01", expert=expert,
        claims=(("20000.00", -10),),  # already past its prescription date
    )  # fmt: skip
    b.opinion(c["A4"], expert, "2025-03-11", OpinionConclusion.FAVOURABLE)
    c["A5"] = b.case(
        "A5", "DDFIP 02", avis, "saisie_immobiliere", S.UNDER_EXAMINATION, "2025-05-02"
    )
    b.returned(c["A5"], "2025-05-10", ReturnGround.DEBTOR)
    c["A6"] = b.case(
        "A6", "DDFIP 02", avis, "saisie_immobiliere", S.CLOSED, "2024-12-20", jurist=ja,
        closure=ClosureReason.OPINION_GIVEN,
    )  # fmt: skip
    b.opinion(c["A6"], ja, "2025-01-09", OpinionConclusion.FAVOURABLE, OpinionFollow.FOLLOWED)
    # Support, returned once.
    c["S1"] = b.case(
        "S1", "DDFIP 02", soutien, "saisie_immobiliere", S.SUPPORT_IN_PROGRESS, "2025-04-03",
        jurist=jb,
    )  # fmt: skip
    b.returned(c["S1"], "2025-04-05", ReturnGround.PIECES, ReturnGround.CLAIMS)
    # Takeovers.
    c["T1"] = b.case(
        "T1", "DDFIP 02", pec, "saisie_immobiliere", S.EXECUTION, "2025-01-15", jurist=ja,
    )  # fmt: skip
    b.event(c["T1"], EventKind.TRANSITION, at("2025-02-20"), "engage_action")
    b.decision(c["T1"], "2025-04-10", DecisionOutcome.GRANTED, "90000.00")  # 85 days
    b.recovery(c["T1"], "2025-05-15", "40000.00")
    b.recovery(c["T1"], "2025-07-10", "5000.00")  # after the period
    b.deadline(c["T1"], -5)  # overdue
    b.deadline(c["T1"], -40, DeadlineStatus.DONE)  # met: not counted
    c["T2"] = b.case(
        "T2", "DRFIP 67", pec, "solidarite_dirigeant", S.AWAITING_DECISION, "2025-02-10", jurist=ja,
        claims=(("50000.00", 120), ("25000.00", 300)),  # earliest in 3 to 6 months
    )  # fmt: skip
    b.event(c["T2"], EventKind.TRANSITION, at("2025-03-15"), "engage_action")
    b.deadline(c["T2"], 3)  # within 7 days
    c["T3"] = b.case(
        "T3", "DDFIP 02", pec, "saisie_immobiliere", S.UNDER_APPEAL, "2024-11-01", jurist=jb,
        claims=(("200000.00", 3650),),
    )  # fmt: skip
    b.event(c["T3"], EventKind.TRANSITION, at("2024-12-01"), "engage_action")  # before
    b.decision(c["T3"], "2025-01-20", DecisionOutcome.PARTLY, "120000.00")  # 80 days
    b.deadline(c["T3"], 20)  # within 8 to 30 days
    c["T4"] = b.case(
        "T4", "DRFIP 67", pec, "tiers_detenteur", S.CLOSED, "2024-06-01", jurist=jb,
        closure=ClosureReason.RECOVERED_PARTIAL, claims=(("30000.00", 3650),),
    )  # fmt: skip
    b.decision(c["T4"], "2024-12-15", DecisionOutcome.REJECTED, None)  # before the period
    b.decision(c["T4"], "2025-05-20", DecisionOutcome.GRANTED, "30000.00", Instance.APPEAL)
    b.recovery(c["T4"], "2025-06-01", "10000.00")
    # A draft is never counted.
    b.case("D1", "DDFIP 02", avis, "saisie_immobiliere", S.DRAFT, "2025-03-03")
    return c
