"""A saisie immobilière of a property in Alsace-Moselle conducted through the step pages as
the jurist takes them: the local law's exécution forcée (loi du 1er juin 1924, art. 141 s.)
— the requête to the tribunal de l'exécution, the ordonnance committing a notaire and its
notification (the pourvoi immédiat, fifteen days), the inscription at the livre foncier,
the notaire's cahier des charges (art. 147) and adjudication — then the distribution of
the price; never the CPCE's hearings nor acts, refused with the reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import proceedings
from cases.enums import CaseStatus, ClosureReason, EventKind, HearingKind, SaleKind
from cases.lifecycle import CaseLifecycle, IllegalTransition
from cases.models import Lawyer
from deadlines.engine import compute_deadline
from deadlines.enums import ProcedureActKind
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.render import render_html
from notifications.models import Notification
from workflows import services as workflow

from .conftest import open_step_names, open_task

S = CaseStatus
PAK = ProcedureActKind
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
COURT = "Tribunal judiciaire de Strasbourg (exécution forcée immobilière)"
NOTAIRE = "Me Anne Muller, notaire à Strasbourg"
REFUSAL = "En Alsace-Moselle la saisie immobilière suit la loi du 1er juin 1924 : "


def shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def requested(users, submitted_case, journey):
    """A saisie of a flat in Strasbourg taken over, its requête filed: the ordonnance is
    awaited."""

    def make():
        case = submitted_case(local_law=True)
        j = journey(case)
        head, jurist = users["head"], users["jurist"]
        j.step(head, "receivability", {"decision": "accept"})
        j.step(head, "assignment", {"jurist": jurist.pk})
        lawyer = Lawyer.objects.filter(active=True).first()
        j.step(jurist, "mandate_lawyer", {"lawyer": lawyer.pk, "mandated_on": day(-60)})
        j.step(
            jurist,
            "starting_act",
            {"kind": "requete", "court": COURT, "signed_on": day(-50), "served_on": ""},
        )
        return case, j, jurist

    return make


def order(j, jurist, **extra):
    data = {
        "result": "ordered",
        "ordonnance_on": day(-40),
        "court": COURT,
        "notaire": NOTAIRE,
        "notified_on": day(-36),
        **extra,
    }
    return j.step(jurist, "local_ordonnance", data)


def adjudicate(j, jurist, expect=302, **extra):
    data = {
        "cahier_on": day(-25),
        "adjudicated_on": day(-8),
        "notaire": NOTAIRE,
        "price": "172 000,00",
        "buyer": "SCI Petite France",
        "paid_on": day(-3),
        **extra,
    }
    return j.step(jurist, "local_adjudication", data, expect=expect)


def test_the_local_steps_lead_from_the_requete_to_the_distribution(users, requested):
    case, j, jurist = requested()
    # The requête: no hearings, the ordonnance awaited.
    assert case.status == S.LOCAL_REQUESTED
    assert open_step_names(case) == ["local_ordonnance"]
    assert case.get_status_display() == "Requête en exécution forcée déposée (droit local)"

    # The ordonnance: the notaire commis, the pourvoi immédiat counted from its notification.
    order(j, jurist)
    assert case.status == S.LOCAL_ORDERED and open_step_names(case) == ["local_inscription"]
    acts = {a.kind: a for a in case.procedure_acts.all()}
    assert acts[PAK.LF_ORDONNANCE].date == day(-40)
    assert acts[PAK.LF_NOTAIRE].note == NOTAIRE
    pourvoi = case.deadlines.get(template="lf_pourvoi")
    assert pourvoi.due_date == compute_deadline(day(-36), days=15, departement="67")
    assert "Loi du 1er juin 1924" in pourvoi.basis
    # The direction and the poste comptable are told, the poste's mailbox at once.
    event = case.events.get(transition="order_local_enforcement")
    told = Notification.objects.filter(event=event)
    assert told.filter(user=None, mailbox=case.poste_comptable.mailbox).exists()
    assert told.filter(user__direction=case.direction).exists()

    # The inscription at the livre foncier: its references offered.
    page = j.client.get(reverse("workflows:task", args=[open_task(case, "local_inscription").pk]))
    assert shows(page, "livre foncier de Strasbourg, section NE, feuillet 12345")
    j.step(jurist, "local_inscription", {"inscribed_on": day(-30)})
    assert case.status == S.LOCAL_ORDERED and open_step_names(case) == ["local_adjudication"]
    assert case.procedure_acts.filter(kind=PAK.LF_INSCRIPTION, date=day(-30)).exists()

    # The adjudication by the notaire, the price paid to him: its distribution.
    adjudicate(j, jurist)
    assert case.status == S.PRICE_DISTRIBUTION and open_step_names(case) == ["distribution"]
    sale = case.sales.get()
    assert (sale.kind, sale.price, sale.buyer) == (SaleKind.NOTAIRE, 172000, "SCI Petite France")
    assert sale.paid_on == day(-3) and sale.hearing is None
    assert {PAK.LF_CAHIER, PAK.LF_ADJUDICATION} <= set(
        case.procedure_acts.values_list("kind", flat=True)
    )
    assert case.events.filter(kind=EventKind.SALE_RECORDED).exists()
    # Its report, for the direction: the sale and the local acts that led to it.
    kind = DocumentKind.COMPTE_RENDU_ADJUDICATION
    assert case.documents.filter(kind=kind).exists()
    meta = {
        "reference": case.reference,
        "kind_label": kind.label,
        "version": 1,
        "generated_on": "aujourd'hui",
    }
    html = render_html(kind, build_snapshot(case, kind), meta)
    assert "172" in html and "SCI Petite France" in html
    assert escape("Ordonnance d'exécution forcée immobilière (droit local)") in html
    assert "loi du 1er juin 1924" in html

    j.step(
        jurist,
        "distribution",
        {
            "received_on": day(0),
            "amount": "97 020,00",
            "closure_reason": ClosureReason.RECOVERED_FULL,
            "comment": "Prix distribué par le notaire : le Trésor est payé à son rang.",
        },
    )
    assert case.status == S.CLOSED and case.recoveries.get().amount == 97020
    # Never the CPCE's hearings.
    assert not case.hearings.exists()
    assert not case.process.task_set.filter(flow_task__in=["hearings", "decision"]).exists()


def test_a_rejected_requete_goes_back_to_the_starting_act(users, requested):
    case, j, jurist = requested()
    data = {"result": "rejected", "ordonnance_on": day(-40), "court": COURT}
    response = j.step(jurist, "local_ordonnance", data, expect=422)
    assert shows(response, "Indiquez les motifs du rejet de la requête.")
    j.step(jurist, "local_ordonnance", {**data, "reason": "Copie du livre foncier ancienne."})
    assert case.status == S.TAKEN_OVER and open_step_names(case) == ["starting_act"]
    event = case.events.get(transition="reject_local_request")
    assert "Copie du livre foncier ancienne." in event.reason
    assert not case.procedure_acts.exists()


def test_the_ordonnance_names_its_notaire_and_keeps_the_order_of_the_dates(users, requested):
    case, j, jurist = requested()
    data = {"result": "ordered", "ordonnance_on": day(-40), "court": COURT, "notaire": ""}
    response = j.step(jurist, "local_ordonnance", data, expect=422)
    assert shows(response, "Indiquez le notaire que l'ordonnance commet.")
    # An ordonnance before the requête it answers: refused, nothing recorded.
    response = j.step(
        jurist,
        "local_ordonnance",
        {**data, "notaire": NOTAIRE, "ordonnance_on": day(-55)},
        expect=409,
    )
    assert shows(response, "Dates incohérentes")
    assert case.status == S.LOCAL_REQUESTED and not case.procedure_acts.exists()


def test_the_adjudication_follows_the_inscription(users, requested):
    case, j, jurist = requested()
    order(j, jurist)
    j.step(jurist, "local_inscription", {"inscribed_on": day(-30)})
    # Held before the cahier des charges: refused (the local procedure's order).
    response = adjudicate(j, jurist, expect=409, adjudicated_on=day(-28))
    assert shows(response, "Dates incohérentes")
    response = adjudicate(j, jurist, expect=422, paid_on=day(-10))
    assert shows(response, "Le prix ne peut être versé avant l'adjudication.")
    assert case.status == S.LOCAL_ORDERED and not case.sales.exists()
    assert not case.procedure_acts.filter(kind=PAK.LF_ADJUDICATION).exists()


@pytest.mark.parametrize(
    "kind", [PAK.PUBLICATION, PAK.ASSIGNATION, PAK.CAHIER, PAK.PUBLICITE_VENTE, PAK.ADJUDICATION]
)
def test_the_cpce_acts_are_refused_on_the_local_steps(users, requested, kind):
    case, j, jurist = requested()
    task = open_task(case, "local_ordonnance")
    data = {"kind": kind, "date": day(-45), "party": "debtor", "note": ""}
    with pytest.raises(ValidationError) as refused:
        workflow.run_side_action(task.pk, jurist, "procedure_act", data)
    message = refused.value.message_dict["kind"][0]
    assert message.startswith(REFUSAL) and PAK(kind).label in message
    assert not case.procedure_acts.exists()


def test_the_cpce_engagement_and_hearings_are_refused(users, requested):
    case, j, jurist = requested()
    # No audience d'orientation nor d'adjudication: the notaire adjudicates.
    with pytest.raises(ValidationError, match="loi du 1er juin 1924"):
        proceedings.schedule_hearing(
            case,
            jurist,
            instance="first",
            court=COURT,
            scheduled_at=timezone.now() + datetime.timedelta(days=30),
            kind=HearingKind.ORIENTATION,
        )
    # The lifecycle itself refuses the CPCE's engagement of a local saisie.
    lapsed = CaseLifecycle(case, jurist)
    lapsed.reject_local_request(reason="Requête rejetée.")
    with pytest.raises(IllegalTransition, match="loi du 1er juin 1924"):
        CaseLifecycle(case, jurist).engage_action()
    assert case.status == S.TAKEN_OVER


def test_the_local_steps_are_refused_to_a_saisie_elsewhere(users, submitted_case):
    """A saisie in the Aisne: the CPCE's hearings, never the local law's steps."""
    case = submitted_case()
    head = users["head"]
    CaseLifecycle(case, head).accept()
    CaseLifecycle(case, head).take_over()
    with pytest.raises(IllegalTransition, match="droit local"):
        CaseLifecycle(case, head).request_local_enforcement()
    assert case.status == S.TAKEN_OVER
