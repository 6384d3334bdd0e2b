"""The judicial phase (lawyer, starting act, hearings, decision, appeal, recoveries) and the
opinion (versions, validation, follow-up): what is kept, what is refused, what the history
and the notifications say."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import proceedings
from cases.enums import (
    AppealParty,
    CaseStatus,
    DecisionOutcome,
    EventKind,
    HearingKind,
    HearingStatus,
    Instance,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    PieceKind,
    RiskLevel,
    StartingActKind,
)
from cases.models import (
    ActionType,
    CaseEvent,
    Lawyer,
    LawyerMandate,
    Opinion,
    Piece,
    Recovery,
    StartingAct,
)
from cases.pieces import sample_pdf
from notifications.enums import NotificationKind
from notifications.models import Notification
from tests.factories import RISK_GRID, CaseFactory

D = datetime.date
LAON = "Tribunal judiciaire de Laon"


def at(*args) -> datetime.datetime:
    """An aware datetime in Paris time."""
    return timezone.make_aware(datetime.datetime(*args))


def events(case, kind) -> list[CaseEvent]:
    return list(case.events.filter(kind=kind).order_by("pk"))


@pytest.fixture
def case(users):
    case = CaseFactory(to=CaseStatus.TAKEN_OVER)
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    return case


@pytest.fixture
def opinion_case(users):
    case = CaseFactory(to=CaseStatus.UNDER_EXAMINATION, mode=Mode.AVIS)
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    return case


def lawyer(bar: str) -> Lawyer:
    return Lawyer.objects.get(bar=bar)


# --- Lawyers ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_directory_ships_six_lawyers():
    assert Lawyer.objects.filter(active=True).count() == 6
    laon = lawyer("Barreau de Laon")
    assert laon.court_list == [LAON, "Cour d'appel d'Amiens"]
    assert laon.email.endswith("@avocats.example")


@pytest.mark.django_db
def test_a_new_mandate_replaces_the_current_one(case, users):
    first = proceedings.mandate_lawyer(
        case, users["jurist"], lawyer=lawyer("Barreau de Laon"), mandated_on=D(2026, 3, 2)
    )
    assert first.fee_agreement == lawyer("Barreau de Laon").fee_agreement  # copied by default
    second = proceedings.mandate_lawyer(
        case,
        users["jurist"],
        lawyer=lawyer("Barreau de Saint-Quentin"),
        mandated_on=D(2026, 5, 4),
        fee_agreement="Forfait négocié : 1 000 € HT",
        instructions="Plaider la nullité de la vente.",
    )
    first.refresh_from_db()
    assert first.revoked_on == D(2026, 5, 4)
    assert (
        first.revocation_reason
        == "Remplacé par Maître Julien Carpentier (Barreau de Saint-Quentin)"
    )
    assert second.fee_agreement == "Forfait négocié : 1 000 € HT"
    assert list(case.mandates.filter(revoked_on__isnull=True)) == [second]
    summaries = [e.summary for e in events(case, EventKind.LAWYER_MANDATED)]
    assert summaries == [
        "Avocat mandaté le 02/03/2026 : Maître Anne Lefèvre-Dambrine (Barreau de Laon)",
        "Avocat mandaté le 04/05/2026 : Maître Julien Carpentier (Barreau de Saint-Quentin), "
        "en remplacement de Maître Anne Lefèvre-Dambrine (Barreau de Laon)",
    ]


@pytest.mark.django_db
def test_the_database_keeps_one_current_mandate_per_case(case, users):
    proceedings.mandate_lawyer(
        case, users["jurist"], lawyer=lawyer("Barreau de Laon"), mandated_on=D(2026, 3, 2)
    )
    other = LawyerMandate(
        case=case,
        lawyer=lawyer("Barreau de Paris"),
        mandated_on=D(2026, 3, 3),
        created_by=users["jurist"],
    )
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "Ce dossier a déjà un avocat mandaté : révoquez son mandat d'abord." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


@pytest.mark.django_db
def test_revoking_a_mandate_needs_a_reason_and_is_recorded(case, users):
    mandate = proceedings.mandate_lawyer(
        case, users["jurist"], lawyer=lawyer("Barreau de Laon"), mandated_on=D(2026, 3, 2)
    )
    with pytest.raises(ValidationError):
        proceedings.revoke_mandate(mandate, users["jurist"], reason="  ")
    proceedings.revoke_mandate(
        mandate, users["jurist"], reason="Conflit d'intérêts", revoked_on=D(2026, 4, 1)
    )
    mandate.refresh_from_db()
    assert (mandate.revoked_on, mandate.revocation_reason) == (D(2026, 4, 1), "Conflit d'intérêts")
    (event,) = events(case, EventKind.MANDATE_REVOKED)
    assert event.summary == (
        "Mandat de Maître Anne Lefèvre-Dambrine (Barreau de Laon) révoqué le 01/04/2026"
    )
    assert event.reason == "Conflit d'intérêts"
    with pytest.raises(ValidationError, match="déjà pris fin"):
        proceedings.revoke_mandate(mandate, users["jurist"], reason="Encore")


# --- Starting act -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_starting_act_is_kept_without_a_history_entry(case, users):
    before = case.events.count()
    act = proceedings.record_starting_act(
        case,
        users["jurist"],
        kind=StartingActKind.COMMANDEMENT,
        court=LAON,
        signed_on=D(2026, 2, 2),
        served_on=D(2026, 2, 5),
    )
    assert act.get_kind_display() == "Commandement de payer valant saisie"
    assert case.events.count() == before


@pytest.mark.django_db
def test_an_act_served_before_it_was_signed_is_refused(case, users):
    message = "L'acte ne peut pas être signifié avant d'être signé."
    with pytest.raises(ValidationError, match=message):
        proceedings.record_starting_act(
            case,
            users["jurist"],
            kind=StartingActKind.ASSIGNATION,
            court=LAON,
            signed_on=D(2026, 2, 5),
            served_on=D(2026, 2, 2),
        )
    act = StartingAct(
        case=case,
        kind=StartingActKind.ASSIGNATION,
        court=LAON,
        signed_on=D(2026, 2, 5),
        served_on=D(2026, 2, 2),
        created_by=users["jurist"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        act.save()
    assert not StartingAct.objects.exists()


# --- Hearings -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheduling_a_hearing_is_recorded(case, users):
    hearing = proceedings.schedule_hearing(
        case,
        users["jurist"],
        instance=Instance.FIRST,
        court=LAON,
        scheduled_at=at(2027, 1, 12, 9, 30),
        kind=HearingKind.ORIENTATION,
        purpose="Audience d'orientation",
    )
    assert hearing.status == HearingStatus.SCHEDULED
    (event,) = events(case, EventKind.HEARING_SET)
    assert event.summary == (
        "Audience fixée le 12/01/2027 à 09 h 30 devant le tribunal judiciaire de Laon "
        "(audience d'orientation)"
    )


@pytest.mark.django_db
def test_a_hearing_can_be_adjourned_again_and_again(case, users):
    """Past dates: a hearing marked held cannot lie in the future."""
    first = proceedings.schedule_hearing(
        case,
        users["jurist"],
        instance=Instance.FIRST,
        court=LAON,
        scheduled_at=at(2025, 1, 12, 9, 30),
        kind=HearingKind.ORIENTATION,
        purpose="Audience d'orientation",
    )
    second = proceedings.adjourn_hearing(
        first,
        users["jurist"],
        new_date=at(2025, 3, 9, 14, 0),
        reason="Renvoi à la demande du débiteur",
    )
    third = proceedings.adjourn_hearing(
        second, users["jurist"], new_date=at(2025, 5, 4, 9, 0), reason="Encombrement du rôle"
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, third.status) == (
        HearingStatus.ADJOURNED,
        HearingStatus.ADJOURNED,
        HearingStatus.SCHEDULED,
    )
    assert first.adjournment_reason == "Renvoi à la demande du débiteur"
    assert third.adjourned_from == second and second.adjourned_from == first
    assert list(first.adjourned_to.all()) == [second]
    assert (third.court, third.purpose, third.instance) == (LAON, "Audience d'orientation", "first")
    assert [e.summary for e in events(case, EventKind.HEARING_ADJOURNED)] == [
        "Audience du 12/01/2025 à 09 h 30 renvoyée au 09/03/2025 à 14 h 00 : "
        "Renvoi à la demande du débiteur",
        "Audience du 09/03/2025 à 14 h 00 renvoyée au 04/05/2025 à 09 h 00 : Encombrement du rôle",
    ]

    proceedings.mark_hearing_held(third, users["jurist"])
    third.refresh_from_db()
    assert third.status == HearingStatus.HELD
    (held,) = events(case, EventKind.HEARING_HELD)
    assert held.summary == (
        "Audience du 04/05/2025 à 09 h 00 tenue devant le tribunal judiciaire de Laon "
        "(audience d'orientation)"
    )


@pytest.mark.django_db
def test_only_a_scheduled_hearing_moves_and_only_later(case, users):
    hearing = proceedings.schedule_hearing(
        case,
        users["jurist"],
        instance=Instance.FIRST,
        court=LAON,
        scheduled_at=at(2025, 1, 12, 9, 30),
        kind=HearingKind.ORIENTATION,
        purpose="Audience d'orientation",
    )
    with pytest.raises(ValidationError, match="postérieure"):
        proceedings.adjourn_hearing(
            hearing, users["jurist"], new_date=at(2025, 1, 12, 9, 0), reason="Erreur"
        )
    with pytest.raises(ValidationError, match="motif du renvoi"):
        proceedings.adjourn_hearing(
            hearing, users["jurist"], new_date=at(2025, 2, 12, 9, 0), reason=""
        )
    new = proceedings.adjourn_hearing(
        hearing, users["jurist"], new_date=at(2025, 2, 12, 9, 0), reason="Grève des greffes"
    )
    with pytest.raises(ValidationError, match="Seule une audience prévue peut être renvoyée"):
        proceedings.adjourn_hearing(
            hearing, users["jurist"], new_date=at(2025, 4, 12, 9, 0), reason="Encore"
        )
    proceedings.mark_hearing_held(new, users["jurist"])
    with pytest.raises(ValidationError, match="Seule une audience prévue peut être tenue"):
        proceedings.mark_hearing_held(new, users["jurist"])
    assert case.hearings.count() == 2
    assert len(events(case, EventKind.HEARING_ADJOURNED)) == 1


# --- Decision and appeal ------------------------------------------------------------------


def judgment(name="jugement.pdf", content=None):
    return SimpleUploadedFile(name, content or sample_pdf("Jugement du 15 mai 2026"))


def decide(case, user, **overrides):
    values = {
        "instance": Instance.FIRST,
        "decided_on": D(2026, 5, 15),
        "court": LAON,
        "outcome": DecisionOutcome.GRANTED,
        "amount_awarded": Decimal("88000.00"),
        "notified_on": D(2026, 5, 22),
        "judgment_file": judgment(),
        "summary": "Orientation en vente forcée.",
        **overrides,
    }
    return proceedings.record_decision(case, user, **values)


@pytest.mark.django_db
def test_a_decision_keeps_its_judgment_as_a_piece(case, users):
    before = case.events.count()
    decision = decide(case, users["jurist"])
    piece = decision.judgment
    assert (piece.kind, piece.case, piece.original_name) == (
        PieceKind.JUGEMENT,
        case,
        "jugement.pdf",
    )
    assert piece.get_kind_display() == "Jugement / décision"
    assert default_storage.exists(piece.file.name)
    assert case.events.count() == before  # the lifecycle's record_decision announces it


@pytest.mark.django_db
def test_a_decision_with_a_bad_judgment_or_bad_dates_keeps_nothing(case, users):
    with pytest.raises(ValidationError, match="ne correspond pas à son extension"):
        decide(case, users["jurist"], judgment_file=judgment(content=b"not a pdf at all"))
    with pytest.raises(ValidationError, match="signifiée avant"):
        decide(case, users["jurist"], notified_on=D(2026, 5, 1))
    with pytest.raises(ValidationError, match="négatif"):
        decide(case, users["jurist"], amount_awarded=Decimal("-1"))
    assert not case.decisions.exists()
    assert not Piece.objects.filter(kind=PieceKind.JUGEMENT).exists()


@pytest.mark.django_db
def test_an_appeal_cannot_precede_its_decision(case, users):
    decision = decide(case, users["jurist"])
    with pytest.raises(ValidationError, match="avant la décision"):
        proceedings.record_appeal(
            case,
            users["jurist"],
            decision=decision,
            lodged_by=AppealParty.OPPONENT,
            lodged_on=D(2026, 5, 14),
            court="Cour d'appel d'Amiens",
            grounds="Contestation de la créance",
        )
    appeal = proceedings.record_appeal(
        case,
        users["jurist"],
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=D(2026, 6, 10),
        court="Cour d'appel d'Amiens",
        grounds="Contestation de la créance",
    )
    assert list(decision.appeals.all()) == [appeal]


# --- Recoveries ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_recoveries_add_up_and_are_recorded(case, users):
    proceedings.record_recovery(
        case, users["jurist"], received_on=D(2026, 6, 1), amount=Decimal("12500.50")
    )
    proceedings.record_recovery(
        case,
        users["jurist"],
        received_on=D(2026, 7, 1),
        amount=Decimal("0.25"),
        comment="Solde",
    )
    assert proceedings.recovered_total(case) == Decimal("12500.75")
    first = events(case, EventKind.RECOVERY_RECORDED)[0]
    assert first.summary == "Encaissement de 12\u202f500,50\u00a0€ enregistré (reçu le 01/06/2026)"


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_a_recovery_must_be_positive(case, users, amount):
    with pytest.raises(ValidationError, match="positif"):
        proceedings.record_recovery(case, users["jurist"], received_on=D(2026, 6, 1), amount=amount)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recovery.objects.create(
            case=case, received_on=D(2026, 6, 1), amount=amount, created_by=users["jurist"]
        )
    assert proceedings.recovered_total(case) == Decimal("0.00")


# --- Opinions -------------------------------------------------------------------------------


def submit(case, user, **overrides):
    values = {
        "conclusion": OpinionConclusion.FAVOURABLE,
        "reasons": "Bien libre d'hypothèque, valeur vénale supérieure à la créance.",
        "risk_level": RiskLevel.HIGH,
        "risk_assessment": "Aucun autre actif saisissable connu.",
        **RISK_GRID,
        **overrides,
    }
    return proceedings.submit_opinion(case, user, **values)


@pytest.mark.django_db
def test_opinion_versions_increment_after_each_return(opinion_case, users):
    first = submit(opinion_case, users["jurist"])
    assert (first.version, first.status) == (1, OpinionStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="attend encore sa validation"):
        submit(opinion_case, users["jurist"])
    proceedings.review_opinion(first, users["head"], validate=False, comments="Chiffrer le bien.")
    assert first.status == OpinionStatus.RETURNED
    second = submit(opinion_case, users["jurist"], risk_level=RiskLevel.MEDIUM)
    assert second.version == 2
    assert Opinion.objects.current(opinion_case) == second
    assert [e.summary for e in events(opinion_case, EventKind.OPINION_SUBMITTED)] == [
        "Avis (version 1, favorable) soumis à validation",
        "Avis (version 2, favorable) soumis à validation",
    ]
    (returned,) = events(opinion_case, EventKind.OPINION_RETURNED)
    assert returned.reason == "Chiffrer le bien."
    assert returned.summary.startswith("Avis (version 1) renvoyé à ")


@pytest.mark.django_db
def test_nobody_validates_their_own_opinion(opinion_case, users):
    opinion = submit(opinion_case, users["head"])
    with pytest.raises(ValidationError, match="Personne ne valide son propre avis"):
        proceedings.review_opinion(opinion, users["head"], validate=True)
    opinion.reviewed_by = users["head"]
    opinion.reviewed_at = timezone.now()
    opinion.status = OpinionStatus.VALIDATED
    with pytest.raises(IntegrityError), transaction.atomic():
        opinion.save()


@pytest.mark.django_db
def test_returning_an_opinion_needs_comments(opinion_case, users):
    opinion = submit(opinion_case, users["jurist"])
    with pytest.raises(ValidationError, match="Indiquez ce que l'auteur doit revoir"):
        proceedings.review_opinion(opinion, users["head"], validate=False, comments=" ")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SUBMITTED
    before = opinion_case.events.count()
    proceedings.review_opinion(opinion, users["head"], validate=True)
    opinion.refresh_from_db()
    assert (opinion.status, opinion.reviewed_by) == (OpinionStatus.VALIDATED, users["head"])
    assert opinion_case.events.count() == before  # give_opinion announces it
    with pytest.raises(ValidationError, match="n'attend pas de validation"):
        proceedings.review_opinion(opinion, users["head"], validate=True)


@pytest.mark.django_db
def test_another_action_must_be_named(opinion_case, users):
    with pytest.raises(ValidationError, match="Indiquez l'action"):
        submit(opinion_case, users["jurist"], conclusion=OpinionConclusion.OTHER_ACTION)
    paulienne = ActionType.objects.exclude(code="saisie_immobiliere").first()
    opinion = submit(
        opinion_case,
        users["jurist"],
        conclusion=OpinionConclusion.OTHER_ACTION,
        recommended_action=paulienne,
    )
    assert opinion.recommended_action == paulienne
    opinion.recommended_action = None
    with pytest.raises(ValidationError, match="si, et seulement si"):
        opinion.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        opinion.save()


@pytest.mark.django_db
def test_the_direction_says_whether_it_follows_the_opinion(opinion_case, users):
    opinion = submit(opinion_case, users["jurist"])
    with pytest.raises(ValidationError, match="avis validé"):
        proceedings.record_opinion_follow_up(
            opinion, users["direction_agent"], follow=OpinionFollow.FOLLOWED
        )
    proceedings.review_opinion(opinion, users["head"], validate=True)
    proceedings.record_opinion_follow_up(
        opinion,
        users["direction_agent"],
        follow=OpinionFollow.FOLLOWED,
        comment="Nous demandons la prise en charge.",
        takeover_requested=True,
    )
    opinion.refresh_from_db()
    assert (opinion.follow, opinion.takeover_requested, opinion.follow_up_by) == (
        OpinionFollow.FOLLOWED,
        True,
        users["direction_agent"],
    )
    (event,) = events(opinion_case, EventKind.OPINION_FOLLOW_UP)
    assert event.summary == "La direction a indiqué : avis suivi ; prise en charge demandée"
    assert event.reason == "Nous demandons la prise en charge."


# --- Steps cancelled or undone, notifications -------------------------------------------------


@pytest.mark.django_db
def test_a_step_change_is_recorded_with_its_reason(case, users):
    with pytest.raises(ValidationError):
        proceedings.record_step_change(
            case, users["jurist"], kind=EventKind.STEP_UNDONE, step_label="Audience", reason=""
        )
    event = proceedings.record_step_change(
        case,
        users["jurist"],
        kind=EventKind.STEP_CANCELLED,
        step_label="Engager l'action",
        reason="Le redevable a payé.",
    )
    assert (event.summary, event.reason) == (
        "Étape annulée : Engager l'action",
        "Le redevable a payé.",
    )


def notified(event) -> dict[str, str]:
    return {
        n.user.username if n.user else n.mailbox: n.kind
        for n in Notification.objects.filter(event=event)
    }


@pytest.mark.django_db
def test_the_referring_side_follows_the_proceedings(case, users):
    proceedings.schedule_hearing(
        case,
        users["head"],
        instance=Instance.FIRST,
        court=LAON,
        scheduled_at=at(2027, 1, 12, 9, 30),
        kind=HearingKind.ORIENTATION,
        purpose="Audience d'orientation",
    )
    (event,) = events(case, EventKind.HEARING_SET)
    found = notified(event)
    assert found[users["jurist"].username] == NotificationKind.PROCEEDINGS
    assert found[case.poste_comptable.mailbox] == NotificationKind.PROCEEDINGS
    assert users["direction_agent"].username in found
    assert users["head"].username not in found  # the actor


@pytest.mark.django_db
def test_the_heads_are_told_of_an_opinion_to_validate(opinion_case, users):
    opinion = submit(opinion_case, users["jurist"])
    (event,) = events(opinion_case, EventKind.OPINION_SUBMITTED)
    found = notified(event)
    assert found[users["head"].username] == NotificationKind.OPINION_REVIEW
    assert set(found) == {"chef", "factory.head"}  # the heads only: not the referring side
    proceedings.review_opinion(opinion, users["head"], validate=False, comments="À revoir.")
    (event,) = events(opinion_case, EventKind.OPINION_RETURNED)
    assert users["jurist"].username in notified(event)
