"""Cases for the documents' tests, walked through the real lifecycle and proceedings
services so that each document has something to say."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import proceedings
from cases.enums import (
    CaseStatus,
    DebtorKind,
    DecisionOutcome,
    HearingKind,
    Instance,
    Mode,
    OpinionConclusion,
    RiskLevel,
    StartingActKind,
    TaxKind,
)
from cases.formatting import long_date
from cases.lifecycle import CaseLifecycle
from cases.models import ActionType, Claim, Debtor, Lawyer, ManagerTarget
from cases.pieces import sample_pdf
from tests.factories import RISK_GRID, CaseFactory

D = datetime.date
S = CaseStatus
DEBTOR = "SARL LES TANNEURS DE LAON"
IS_PRINCIPAL = Decimal("100000.00")
IS_REMAINING = Decimal("110000.00")  # the amount the documents' tests look for


def at(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def name_users(users: dict) -> None:
    """Stable names for the people the documents name."""
    for key, (first, last) in {
        "head": ("Hélène", "Marchand"),
        "jurist": ("Julien", "Roussel"),
        "expert": ("Sophie", "Delorme"),
    }.items():
        user = users[key]
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])


def meta(case, kind: str, version: int = 1) -> dict:
    from documents.enums import DocumentKind

    return {
        "reference": case.reference,
        "kind_label": DocumentKind(kind).label,
        "version": version,
        "generated_on": long_date(D(2026, 11, 23)),
    }


def new_case(users, code: str = "saisie_immobiliere", **kwargs):
    """A complete referral by the SIE de Laon (with a second claim, IS 2022, 110 000 €
    remaining), not submitted."""
    name_users(users)
    agent = users["poste_agent"]
    debtor = Debtor.objects.create(
        kind=DebtorKind.LEGAL,
        name=DEBTOR,
        siren="552100554",
        address="4 rue du Bourg\n02000 Laon",
    )
    case = CaseFactory(
        complete=True,
        debtor=debtor,
        created_by=agent,
        poste_comptable=agent.poste_comptable,
        action_type=ActionType.objects.get(code=code),
        facts=(
            "Société de négoce de cuirs en sommeil depuis 2024. Les SATD sur les comptes "
            "bancaires sont restées infructueuses.\nLa société est propriétaire d'un local "
            "commercial à Laon, libre d'hypothèque conventionnelle."
        ),
        request="Engager l'action et en assurer le suivi jusqu'à la décision.",
        **kwargs,
    )
    Claim.objects.create(
        case=case,
        tax=TaxKind.IS,
        nature="impot_amr",
        period="2022",
        assessment_date=D(2023, 6, 30),
        principal=IS_PRINCIPAL,
        penalties=Decimal("10000.00"),
        remaining=IS_REMAINING,
        last_interruptive_act=D(2025, 2, 3),
    )
    if code == "solidarite_dirigeant":
        ManagerTarget.objects.filter(case=case).update(
            function="Gérant de droit",
            address="9 place de l'Hôtel de Ville, 02000 Laon",
            grounds="Défaut de dépôt des déclarations de TVA de 2022 à 2024 ; "
            "vente du fonds sans déclaration de cessation.",
        )
    return case


def submit(case, users) -> None:
    CaseLifecycle(case, case.created_by).submit()


def step(case, users, *names: str, **kwargs) -> None:
    for name in names:
        getattr(CaseLifecycle(case, users["head"]), name)(**kwargs)


def taken_over(users, code: str = "saisie_immobiliere", **kwargs):
    case = new_case(users, code, **kwargs)
    submit(case, users)
    step(case, users, "accept")
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    step(case, users, "take_over")
    return case


def mandated(users, code: str = "saisie_immobiliere", **kwargs):
    case = taken_over(users, code, **kwargs)
    proceedings.mandate_lawyer(
        case,
        users["jurist"],
        lawyer=Lawyer.objects.get(bar="Barreau de Laon"),
        mandated_on=D(2026, 6, 1),
        instructions="Publier le commandement dans le délai de deux mois (CPCE R.321-6).",
    )
    return case


def decided(users, code: str = "saisie_immobiliere", *, execution: bool = True, **kwargs):
    """Taken over, lawyer mandated, commandement served, hearing held, decision notified
    and, with `execution`, a first recovery."""
    case = mandated(users, code, **kwargs)
    jurist = users["jurist"]
    proceedings.record_starting_act(
        case,
        jurist,
        kind=StartingActKind.COMMANDEMENT,
        court="Tribunal judiciaire de Laon",
        signed_on=D(2026, 6, 10),
        served_on=D(2026, 6, 12),
    )
    step(case, users, "engage_action")
    hearing = proceedings.schedule_hearing(
        case,
        jurist,
        instance=Instance.FIRST,
        court="Juge de l'exécution de Laon",
        scheduled_at=at(2026, 9, 15, 9, 30),
        kind=HearingKind.ORIENTATION,
        purpose="Audience d'orientation",
    )
    proceedings.mark_hearing_held(hearing, jurist)
    step(case, users, "await_decision")
    proceedings.record_decision(
        case,
        jurist,
        instance=Instance.FIRST,
        decided_on=D(2026, 10, 20),
        court="Juge de l'exécution de Laon",
        outcome=DecisionOutcome.GRANTED,
        amount_awarded=Decimal("118000.00"),
        notified_on=D(2026, 10, 27),
        judgment_file=SimpleUploadedFile("jugement-orientation.pdf", sample_pdf("Jugement")),
        summary="Le juge ordonne la vente forcée du local, sur une mise à prix de 60 000 €.",
    )
    step(case, users, "record_decision")
    if execution:
        step(case, users, "start_execution")
        proceedings.record_recovery(
            case, jurist, received_on=D(2026, 11, 10), amount=Decimal("25000.00"),
            comment="Versement partiel du redevable",
        )  # fmt: skip
    return case


def with_opinion(users, *, validate: bool = True):
    """An opinion case: an expert's opinion, validated by the head."""
    case = new_case(users, mode=Mode.AVIS)
    submit(case, users)
    step(case, users, "accept")
    case.assigned_expert = users["expert"]
    case.save(update_fields=["assigned_expert"])
    opinion = proceedings.submit_opinion(
        case,
        users["expert"],
        conclusion=OpinionConclusion.FAVOURABLE,
        reasons="Le redevable est propriétaire d'un bien libre de sûretés dont la valeur "
        "couvre la créance.\nLes voies d'exécution mobilières sont épuisées.",
        risk_level=RiskLevel.MEDIUM,
        risk_assessment="Valeur vénale estimée à 150 000 € ; aléa sur le délai de vente.",
        **RISK_GRID,
    )
    if validate:
        proceedings.review_opinion(opinion, users["head"], validate=True)
        step(case, users, "give_opinion")
    return case
