"""The saisie immobilière conducted to the end, through the step pages as the jurist
takes them: the orientation judgment's outcomes (CPCE R.322-15), the forced sale (the
adjudication hearing R.322-26, its publicity R.322-31, its report R.322-28, the
adjudication, the surenchère R.322-50 s., the réitération des enchères R.322-66 s., the
price paid R.322-56), the amicable sale (R.322-21, R.322-25) and the distribution of the
price."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.enums import (
    CaseStatus,
    ClosureReason,
    DecisionOutcome,
    EventKind,
    HearingKind,
    HearingStatus,
    SaleKind,
)
from cases.formatting import euros
from cases.models import Lawyer
from cases.pieces import sample_pdf
from deadlines.engine import compute_deadline, compute_deadline_before
from deadlines.enums import DeadlineStatus
from deadlines.services import sitting_day_on_or_before
from documents.enums import DocumentKind
from notifications.enums import Channel
from notifications.models import Notification

from .conftest import open_step_names, open_task

S = CaseStatus
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def moment(case, d: datetime.date) -> str:
    """A hearing's moment on `d`, moved back to a day the court sits."""
    return f"{sitting_day_on_or_before(case, d).isoformat()}T09:30"


def judgment():
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def hearing_day(hearing) -> datetime.date:
    return timezone.localdate(hearing.scheduled_at)


def page_errors(response) -> str:
    return response.content.decode()


@pytest.fixture
def at_orientation(users, submitted_case, journey):
    """A saisie immobilière taken over, its commandement served `start` days ago, the
    orientation hearing held and deliberated: the decision step is open."""

    def make(start: int = -480):
        case = submitted_case()
        j = journey(case)
        head, jurist = users["head"], users["jurist"]
        j.step(head, "receivability", {"decision": "accept"})
        j.step(head, "assignment", {"jurist": jurist.pk})
        j.step(
            jurist,
            "mandate_lawyer",
            {"lawyer": Lawyer.objects.first().pk, "mandated_on": day(start - 10)},
        )
        j.step(
            jurist,
            "starting_act",
            {
                "kind": "commandement",
                "court": "Tribunal judiciaire de Laon",
                "signed_on": day(start - 5),
                "served_on": day(start),
            },
        )
        j.side(
            jurist,
            "hearings",
            "hearing",
            {
                "court": "Tribunal judiciaire de Laon",
                "scheduled_at": moment(case, day(start + 60)),
                "kind": HearingKind.ORIENTATION,
            },
        )
        j.side(jurist, "hearings", "held", {"hearing": case.hearings.get().pk})
        j.step(jurist, "hearings", {"deliberation_on": day(start + 70)})
        return case, j, jurist

    return make


def decide(j, jurist, decided: datetime.date, outcome: str, expect=302, **extra):
    data = {
        "result": "decided",
        "decided_on": decided,
        "court": "Tribunal judiciaire de Laon",
        "outcome": outcome,
        "notified_on": decided,
        **extra,
    }
    return j.step(jurist, "decision", data, files={"judgment": judgment()}, expect=expect)


def forced_sale_case(at_orientation, decided_offset=-400, hearing_after=70):
    """The orientation judgment orders the forced sale, no appeal: the forced-sale step."""
    case, j, jurist = at_orientation()
    decided = day(decided_offset)
    decide(
        j,
        jurist,
        decided,
        DecisionOutcome.VENTE_FORCEE,
        adjudication_at=moment(case, decided + datetime.timedelta(days=hearing_after)),
    )
    j.step(jurist, "appeal_decision", {"choice": "forced_sale"})
    return case, j, jurist


# --- The orientation judgment -----------------------------------------------------------


def test_a_forced_sale_fixes_the_adjudication_hearing_and_its_publicity_deadline(
    at_orientation,
):
    """CPCE R.322-26: the judgment ordering the forced sale fixes the adjudication hearing;
    R.322-31: the sale is advertised at the latest one month before it, à peine de
    caducité du commandement (R.311-11): a critical deadline, created with the judgment."""
    case, j, jurist = at_orientation(start=-100)
    decided = day(-20)
    adjudication = moment(case, decided + datetime.timedelta(days=75))
    decide(j, jurist, decided, DecisionOutcome.VENTE_FORCEE, adjudication_at=adjudication)

    hearing = case.hearings.get(kind=HearingKind.ADJUDICATION)
    assert hearing.status == HearingStatus.SCHEDULED
    assert hearing_day(hearing).isoformat() == adjudication[:10]
    publicity = case.deadlines.get(template="si_publicite_max")
    assert publicity.critical and publicity.status == DeadlineStatus.OPEN
    assert publicity.due_date == compute_deadline_before(
        hearing_day(hearing), months=1, departement="02"
    )
    assert "R.322-31" in publicity.basis

    j.step(jurist, "appeal_decision", {"choice": "forced_sale"})
    assert case.status == S.FORCED_SALE
    assert open_step_names(case) == ["forced_sale"]


@pytest.mark.parametrize(
    ("after", "why"),
    [(30, "moins de deux mois"), (150, "plus de quatre mois"), (None, "pas de date")],
)
def test_an_adjudication_hearing_outside_two_to_four_months_is_refused(at_orientation, after, why):
    """CPCE R.322-26: the adjudication hearing is held two to four months after the
    judgment; the form says so in French and records nothing."""
    case, j, jurist = at_orientation(start=-100)
    decided = day(-20)
    extra = {}
    if after is not None:
        extra["adjudication_at"] = moment(case, decided + datetime.timedelta(days=after))
    response = decide(j, jurist, decided, DecisionOutcome.VENTE_FORCEE, expect=422, **extra)
    text = page_errors(response)
    if after is None:
        assert "Indiquez la date de l&#x27;audience d&#x27;adjudication" in text, why
    else:
        assert "entre deux et quatre mois après le jugement" in text, why
        assert "R.322-26" in text
    assert not case.decisions.exists() and case.status == S.AWAITING_DECISION
    assert not case.hearings.filter(kind=HearingKind.ADJUDICATION).exists()


def test_a_vente_amiable_fixes_the_recall_hearing_within_four_months(at_orientation):
    """CPCE R.322-21: the judge authorising the amicable sale fixes the recall hearing
    within four months."""
    case, j, jurist = at_orientation(start=-100)
    decided = day(-20)
    late = moment(case, decided + datetime.timedelta(days=135))
    response = decide(j, jurist, decided, DecisionOutcome.VENTE_AMIABLE, expect=422, recall_at=late)
    assert "dans les quatre mois après le jugement qui autorise la vente amiable" in page_errors(
        response
    )
    recall = moment(case, decided + datetime.timedelta(days=90))
    decide(j, jurist, decided, DecisionOutcome.VENTE_AMIABLE, recall_at=recall)
    assert case.hearings.get(kind=HearingKind.VENTE_AMIABLE).status == HearingStatus.SCHEDULED
    j.step(jurist, "appeal_decision", {"choice": "amicable_sale"})
    assert case.status == S.AMICABLE_SALE and open_step_names(case) == ["amicable_sale"]


def test_a_suspension_sends_the_saisie_back_to_the_hearings(at_orientation):
    """Délais de grâce or a suspension at the orientation (CPCE R.322-15, C. civ. 1343-5):
    the procedure waits; it resumes at a new hearing, where the judge orients it again."""
    case, j, jurist = at_orientation(start=-100)
    decide(j, jurist, day(-20), DecisionOutcome.SUSPENSION)
    # The judgment said suspension: the forced sale is not where it leads.
    response = j.step(jurist, "appeal_decision", {"choice": "forced_sale"}, expect=422)
    assert "Choisissez « Pas d&#x27;appel : la saisie est suspendue" in page_errors(response)
    j.step(jurist, "appeal_decision", {"choice": "suspended"})
    assert case.status == S.ACTION_ENGAGED and open_step_names(case) == ["hearings"]
    assert case.events.filter(transition="suspend_saisie").exists()


@pytest.mark.parametrize("outcome", [DecisionOutcome.CADUCITE, DecisionOutcome.NULLITE])
def test_caducite_or_nullite_leads_to_the_appeal_or_to_the_closure(at_orientation, outcome):
    """A caducité of the commandement (R.311-11) or the nullity of the procedure: the pôle
    appeals, or the case is closed after its execution step (no sale)."""
    case, j, jurist = at_orientation(start=-100)
    decide(j, jurist, day(-20), outcome)
    response = j.step(jurist, "appeal_decision", {"choice": "forced_sale"}, expect=422)
    assert "Pas d&#x27;appel : passer à l&#x27;exécution et clore" in page_errors(response)
    j.step(jurist, "appeal_decision", {"choice": "none"})
    assert case.status == S.EXECUTION
    j.step(
        jurist,
        "execution",
        {"closure_reason": ClosureReason.IRRECOVERABLE, "comment": "Commandement caduc."},
    )
    assert case.status == S.CLOSED


# --- The forced sale --------------------------------------------------------------------


def test_the_forced_sale_from_publicity_to_distribution(at_orientation, users):
    """R.322-31 (publicity in its window meets the deadline), the adjudication (price,
    adjudicataire) starts the ten days of surenchère (R.322-50) and the two months of the
    price (R.322-56); the price consigned, the price is distributed and the case closed."""
    case, j, jurist = forced_sale_case(at_orientation)
    hearing = case.hearings.get(kind=HearingKind.ADJUDICATION)
    sale_day = hearing_day(hearing)
    j.side(
        jurist,
        "forced_sale",
        "procedure_act",
        {"kind": "publicite_vente", "date": sale_day - datetime.timedelta(days=45)},
    )
    publicity = case.deadlines.get(template="si_publicite_max")
    assert publicity.status == DeadlineStatus.DONE and not publicity.is_late

    # The price cannot be paid before an adjudication.
    response = j.step(jurist, "forced_sale", {"paid_on": sale_day}, expect=422)
    assert "Enregistrez d&#x27;abord l&#x27;adjudication" in page_errors(response)

    j.side(
        jurist,
        "forced_sale",
        "adjudication",
        {"hearing": hearing.pk, "price": "152 000,00", "buyer": "SCI Les Remparts"},
    )
    sale = case.sales.get()
    assert (sale.kind, sale.price, sale.buyer) == (
        SaleKind.ADJUDICATION,
        Decimal("152000.00"),
        "SCI Les Remparts",
    )
    assert sale.sold_on == sale_day
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    surenchere = case.deadlines.get(template="si_surenchere")
    assert surenchere.due_date == compute_deadline(sale_day, days=10, departement="02")
    price = case.deadlines.get(template="si_paiement_prix")
    assert price.due_date == compute_deadline(sale_day, months=2, departement="02")
    assert "R.322-56" in price.basis
    page = j.client.get(reverse("workflows:task", args=[open_task(case).pk])).content.decode()
    assert "Vente du bien saisi" in page and "SCI Les Remparts" in page
    # The direction and the poste comptable are told of the adjudication, the mailbox at once.
    event = case.events.get(kind=EventKind.SALE_RECORDED)
    mailbox = Notification.objects.get(event=event, user=None)
    assert mailbox.channel == Channel.IMMEDIATE

    j.step(jurist, "forced_sale", {"paid_on": sale_day + datetime.timedelta(days=40)})
    assert case.status == S.PRICE_DISTRIBUTION and open_step_names(case) == ["distribution"]
    price.refresh_from_db()
    assert price.status == DeadlineStatus.DONE and not price.is_late
    j.step(
        jurist,
        "distribution",
        {
            "received_on": day(-10),
            "amount": "88 000,00",
            "closure_reason": ClosureReason.RECOVERED_FULL,
            "comment": "Le Trésor, créancier de premier rang, est payé sur le prix.",
        },
    )
    assert case.status == S.CLOSED
    assert case.recoveries.get().amount == Decimal("88000.00")


def test_a_surenchere_after_ten_days_or_under_a_tenth_is_refused(at_orientation):
    """R.322-50 and R.322-51: a surenchère of a tenth at least, declared within ten days
    of the adjudication; R.322-52: denounced by the third jour ouvrable; R.322-53: its
    hearing two to four months on; R.322-55: no surenchère on the second adjudication."""
    case, j, jurist = forced_sale_case(at_orientation)
    hearing = case.hearings.get(kind=HearingKind.ADJUDICATION)
    j.side(
        jurist,
        "forced_sale",
        "adjudication",
        {"hearing": hearing.pk, "price": "100 000,00", "buyer": "SCI Les Remparts"},
    )
    sold = hearing_day(hearing)
    last_day = case.deadlines.get(template="si_surenchere").due_date
    url = reverse("workflows:side_action", args=[open_task(case).pk, "surenchere"])
    j.client.force_login(jurist)
    late = j.client.post(
        url,
        {
            "declared_on": last_day + datetime.timedelta(days=1),
            "overbidder": "M. Tardif",
            "price": "120 000,00",
        },
        follow=True,
    )
    assert "la surenchère serait irrecevable" in late.content.decode()
    low = j.client.post(
        url,
        {
            "declared_on": sold + datetime.timedelta(days=3),
            "overbidder": "M. Bas",
            "price": "105 000",
        },
        follow=True,
    )
    assert f"au moins {euros(Decimal('110000'))}" in low.content.decode()
    assert case.sales.get().overbid_on is None

    declared = sold + datetime.timedelta(days=5)
    far = moment(case, declared + datetime.timedelta(days=30))
    refused = j.client.post(
        url,
        {
            "declared_on": declared,
            "overbidder": "Mme Offrante",
            "price": "115 000,00",
            "hearing_at": far,
        },
        follow=True,
    )
    assert "L&#x27;audience de surenchère doit se tenir entre deux et quatre mois" in (
        refused.content.decode()
    )
    second = moment(case, declared + datetime.timedelta(days=75))
    j.side(
        jurist,
        "forced_sale",
        "surenchere",
        {
            "declared_on": declared,
            "overbidder": "Mme Offrante",
            "price": "115 000,00",
            "hearing_at": second,
        },
    )
    sale = case.sales.get()
    assert sale.overbid_on == declared and sale.overbid_price == Decimal("115000.00")
    # The first adjudication's price is no longer owed; the dénonciation is due.
    assert case.deadlines.get(template="si_paiement_prix").status == DeadlineStatus.CANCELLED
    denunciation = case.deadlines.get(template="si_surenchere_denonciation")
    assert denunciation.due_date == compute_deadline(declared, ouvrables=3, departement="02")
    j.side(jurist, "forced_sale", "surenchere_denonciation", {"denounced_on": declared})
    denunciation.refresh_from_db()
    assert denunciation.status == DeadlineStatus.DONE

    surenchere_hearing = case.hearings.get(
        kind=HearingKind.ADJUDICATION, status=HearingStatus.SCHEDULED
    )
    j.side(
        jurist,
        "forced_sale",
        "adjudication",
        {"hearing": surenchere_hearing.pk, "price": "118 000,00", "buyer": "Mme Offrante"},
    )
    new = case.sales.standing().get()
    assert new.kind == SaleKind.SURENCHERE
    # R.322-55: no surenchère on it; its window is not even opened.
    assert not case.deadlines.filter(template="si_surenchere", status=DeadlineStatus.OPEN)
    again = j.client.post(
        url,
        {
            "declared_on": new.sold_on,
            "overbidder": "M. Troisième",
            "price": "140 000,00",
        },
        follow=True,
    )
    assert "Aucune surenchère n&#x27;est reçue sur l&#x27;adjudication qui suit une surenchère" in (
        again.content.decode()
    )


def test_a_report_moves_the_adjudication_and_its_publicity(at_orientation):
    """R.322-28: the forced sale is reported only for force majeure or on the request of
    the commission de surendettement; the publicity (R.322-31) then runs back from the new
    date."""
    case, j, jurist = forced_sale_case(at_orientation, decided_offset=-10)
    hearing = case.hearings.get(kind=HearingKind.ADJUDICATION)
    new = moment(case, hearing_day(hearing) + datetime.timedelta(days=30))
    j.side(
        jurist,
        "forced_sale",
        "report",
        {
            "hearing": hearing.pk,
            "ground": "surendettement",
            "new_date": new,
            "detail": "Dossier de surendettement déclaré recevable.",
        },
    )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.ADJOURNED
    assert "R.322-28" in hearing.adjournment_reason
    moved = case.hearings.get(kind=HearingKind.ADJUDICATION, status=HearingStatus.SCHEDULED)
    assert hearing_day(moved).isoformat() == new[:10]
    publicity = case.deadlines.get(template="si_publicite_max", status=DeadlineStatus.OPEN)
    assert publicity.due_date == compute_deadline_before(
        hearing_day(moved), months=1, departement="02"
    )


def test_a_defaulting_adjudicataire_brings_the_reiteration_des_encheres(at_orientation):
    """R.322-56: the price within two months, à peine de réitération des enchères;
    R.322-66 s.: the property is sold again, the new hearing two to four months after the
    certificate is served (R.322-69)."""
    case, j, jurist = forced_sale_case(at_orientation)
    hearing = case.hearings.get(kind=HearingKind.ADJUDICATION)
    j.side(
        jurist,
        "forced_sale",
        "adjudication",
        {"hearing": hearing.pk, "price": "100 000,00", "buyer": "M. Défaillant"},
    )
    served = hearing_day(hearing) + datetime.timedelta(days=70)
    new = moment(case, served + datetime.timedelta(days=70))
    j.side(
        jurist,
        "forced_sale",
        "reiteration",
        {"served_on": served, "hearing_at": new, "court": "Tribunal judiciaire de Laon"},
    )
    assert case.sales.get().defaulted_on == served
    assert case.deadlines.get(template="si_paiement_prix").status == DeadlineStatus.CANCELLED
    again = case.hearings.get(kind=HearingKind.ADJUDICATION, status=HearingStatus.SCHEDULED)
    assert again.purpose == "Audience de réitération des enchères"
    j.side(
        jurist,
        "forced_sale",
        "adjudication",
        {"hearing": again.pk, "price": "90 000,00", "buyer": "SCI Seconde"},
    )
    assert case.sales.standing().get().kind == SaleKind.REITERATION


# --- The amicable sale ------------------------------------------------------------------


def amicable_sale_case(at_orientation, decided_offset=-200):
    case, j, jurist = at_orientation()
    decided = day(decided_offset)
    recall = moment(case, decided + datetime.timedelta(days=100))
    decide(j, jurist, decided, DecisionOutcome.VENTE_AMIABLE, recall_at=recall)
    j.step(jurist, "appeal_decision", {"choice": "amicable_sale"})
    return case, j, jurist


def test_the_amicable_sale_recorded_then_its_price_distributed(at_orientation):
    """R.322-21: one extra delay of three months at most, on a written purchase commitment;
    R.322-25: the judge records the sale once the price is consigned (not open to appeal),
    and the price is distributed."""
    case, j, jurist = amicable_sale_case(at_orientation)
    recall = case.hearings.get(kind=HearingKind.VENTE_AMIABLE)
    url = reverse("workflows:side_action", args=[open_task(case).pk, "extension"])
    j.client.force_login(jurist)
    later = moment(case, hearing_day(recall) + datetime.timedelta(days=60))
    without = j.client.post(
        url, {"hearing": recall.pk, "new_date": later, "reason": "Compromis signé."}, follow=True
    )
    assert "suppose un engagement écrit d&#x27;acquisition" in without.content.decode()
    too_long = moment(case, hearing_day(recall) + datetime.timedelta(days=100))
    long_response = j.client.post(
        url,
        {"hearing": recall.pk, "new_date": too_long, "commitment": "on", "reason": "Compromis."},
        follow=True,
    )
    assert "dans les trois mois après l&#x27;audience de rappel" in long_response.content.decode()
    j.side(
        jurist,
        "amicable_sale",
        "extension",
        {"hearing": recall.pk, "new_date": later, "commitment": "on", "reason": "Compromis."},
    )
    extended = case.hearings.get(kind=HearingKind.VENTE_AMIABLE, status=HearingStatus.SCHEDULED)
    twice = j.client.post(
        url,
        {
            "hearing": extended.pk,
            "new_date": moment(case, hearing_day(extended) + datetime.timedelta(days=30)),
            "commitment": "on",
            "reason": "Encore un délai.",
        },
        follow=True,
    )
    assert "le juge n&#x27;en accorde qu&#x27;un" in twice.content.decode()

    j.step(
        jurist,
        "amicable_sale",
        {
            "result": "recorded",
            "decided_on": hearing_day(extended),
            "court": "Tribunal judiciaire de Laon",
            "price": "171 000,00",
            "buyer": "M. et Mme Martin",
        },
        files={"judgment": judgment()},
    )
    assert case.status == S.PRICE_DISTRIBUTION and open_step_names(case) == ["distribution"]
    sale = case.sales.get()
    assert (sale.kind, sale.price, sale.paid_on) == (
        SaleKind.AMIABLE,
        Decimal("171000.00"),
        hearing_day(extended),
    )
    assert case.decisions.order_by("-pk").first().outcome == DecisionOutcome.VENTE_CONSTATEE
    j.step(
        jurist,
        "distribution",
        {
            "amount": "0",
            "closure_reason": ClosureReason.RECOVERED_PARTIAL,
            "comment": "Le prix a désintéressé les créanciers de meilleur rang.",
        },
    )
    assert case.status == S.CLOSED and not case.recoveries.exists()


def test_the_amicable_sale_that_fails_switches_to_the_forced_sale(at_orientation):
    """R.322-25 al. 4 and R.322-22 al. 3: the sale not recorded, the judge orders the
    forced sale and fixes the adjudication hearing two to four months on; its publicity
    deadline (R.322-31) follows."""
    case, j, jurist = amicable_sale_case(at_orientation, decided_offset=-60)
    recall = case.hearings.get(kind=HearingKind.VENTE_AMIABLE)
    decided = min(hearing_day(recall), TODAY)
    response = j.step(
        jurist,
        "amicable_sale",
        {
            "result": "forced",
            "decided_on": decided,
            "court": "Tribunal judiciaire de Laon",
            "adjudication_at": moment(case, decided + datetime.timedelta(days=20)),
        },
        files={"judgment": judgment()},
        expect=422,
    )
    assert "R.322-22 et R.322-25" in response.content.decode()
    adjudication = moment(case, decided + datetime.timedelta(days=80))
    j.step(
        jurist,
        "amicable_sale",
        {
            "result": "forced",
            "decided_on": decided,
            "court": "Tribunal judiciaire de Laon",
            "adjudication_at": adjudication,
        },
        files={"judgment": judgment()},
    )
    assert case.status == S.FORCED_SALE and open_step_names(case) == ["forced_sale"]
    hearing = case.hearings.get(kind=HearingKind.ADJUDICATION)
    assert hearing_day(hearing).isoformat() == adjudication[:10]
    assert case.deadlines.get(template="si_publicite_max").critical


def test_the_adjudication_report_goes_to_the_direction_at_the_sale_and_at_the_price(
    at_orientation,
):
    """CPCE R.322-39 s., R.322-56: the forced sale's adjudication asks for the compte rendu
    d'adjudication (price, adjudicataire), its price consigned for a new version that says
    so, as the notaire's adjudication does in Alsace-Moselle."""
    case, j, jurist = forced_sale_case(at_orientation)
    reports = case.documents.filter(kind=DocumentKind.COMPTE_RENDU_ADJUDICATION)
    assert not reports.exists()
    hearing = case.hearings.get(kind=HearingKind.ADJUDICATION)
    sale_day = hearing_day(hearing)
    j.side(
        jurist,
        "forced_sale",
        "adjudication",
        {"hearing": hearing.pk, "price": "152 000,00", "buyer": "SCI Les Remparts"},
    )
    assert reports.count() == 1
    j.step(jurist, "forced_sale", {"paid_on": sale_day + datetime.timedelta(days=40)})
    assert reports.count() == 2
    newest = reports.order_by("-pk").first()
    assert newest.snapshot["sale"]["buyer"] == "SCI Les Remparts"
    assert newest.snapshot["sale"]["paid_on"]
