"""The compte rendu de décision says what follows for that outcome (issue 21, « Compte
rendu de décision »): the recourses open and their last days (appeal, CPCE R.121-20 /
CPC 538; pourvoi, CPC 612; opposition, CPC 538 and 571), the next hearing, the sale's
publicity window (CPCE R.322-31), the declaration of claims after an opening judgment (C.
com. L.622-24, R.622-24), an opponent's late appeal flagged (CPC 122, 125); the amounts
only where the judge awarded money."""

import datetime
import io
import os
from decimal import Decimal

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import collective, proceedings
from cases.enums import (
    AppealParty,
    CollectiveKind,
    DecisionOutcome,
    HearingKind,
    Instance,
    StartingActKind,
)
from cases.pieces import sample_pdf
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.render import html_to_pdf, render_html
from tests.documents import at, decided, mandated, meta, step
from tests.documents.test_templates import flat

K = DocumentKind
D = datetime.date
O = DecisionOutcome  # noqa: E741
pytestmark = pytest.mark.django_db


def report(case, name: str = "") -> str:
    case.refresh_from_db()
    html = render_html(
        K.COMPTE_RENDU, build_snapshot(case, K.COMPTE_RENDU), meta(case, K.COMPTE_RENDU)
    )
    pdf = html_to_pdf(html)
    if name and os.environ.get("PNSR_KEEP_PDF"):  # to look at it: pdftoppm -png -r 60
        with open(os.path.join(os.environ["PNSR_KEEP_PDF"], f"cr-{name}.pdf"), "wb") as out:
            out.write(pdf)
    return flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def suites(text: str) -> str:
    return text[text.index("Suites") : text.index("Rappel des créances")]


def decide(users, code, outcome, *, court="Tribunal judiciaire de Laon", amount=None, **kw):
    """Mandated, assignation served, hearing held, then the decision `outcome`."""
    case = mandated(users, code)
    jurist = users["jurist"]
    proceedings.record_starting_act(
        case,
        jurist,
        kind=StartingActKind.ASSIGNATION,
        court=court,
        signed_on=D(2026, 6, 10),
        served_on=D(2026, 6, 12),
    )
    step(case, users, "engage_action")
    hearing = proceedings.schedule_hearing(
        case,
        jurist,
        instance=Instance.FIRST,
        court=court,
        scheduled_at=at(2026, 9, 15, 9, 30),
        kind=HearingKind.OTHER,
        purpose="Plaidoiries",
    )
    proceedings.mark_hearing_held(hearing, jurist)
    step(case, users, "await_decision")
    proceedings.record_decision(
        case,
        jurist,
        instance=Instance.FIRST,
        decided_on=D(2026, 10, 20),
        court=court,
        outcome=outcome,
        amount_awarded=amount,
        judgment_file=SimpleUploadedFile("jugement.pdf", sample_pdf("Jugement")),
        **kw,
    )
    step(case, users, "record_decision")
    return case


def test_money_awarded_is_printed_with_the_appeal_periods(users):
    text = report(decided(users, execution=False), "vente")
    assert "Montant alloué 118 000,00 €" in text
    assert "Date limite pour interjeter appel : 12 novembre 2026." in text
    assert "La décision condamne au paiement de 118 000,00 €" in suites(text)
    assert "Délai de la partie adverse, délai de distance compris" in text


def test_no_amount_where_none_was_awarded(users):
    case = decide(users, "action_paulienne", O.INOPPOSABLE, notified_on=D(2026, 10, 27))
    text = report(case, "paulienne")
    assert "Montant alloué" not in text
    assert "Aucun montant" not in text
    assert "condamne au paiement" not in text
    assert "déclaré inopposable au Trésor (C. civ. art. 1341-2)" in suites(text)
    # Ordinary appeal: one month from the notification (CPC 538).
    assert "Date limite pour interjeter appel : 27 novembre 2026." in text


def test_a_forced_sale_gives_the_publicity_window_before_the_adjudication(users):
    case = decided(users, execution=False)
    case.decisions.update(outcome=O.VENTE_FORCEE)
    proceedings.schedule_hearing(
        case,
        users["jurist"],
        instance=Instance.FIRST,
        court="Juge de l'exécution de Laon",
        scheduled_at=at(2027, 2, 10, 14, 0),
        kind=HearingKind.ADJUDICATION,
        purpose="Audience d'adjudication",
    )
    text = suites(report(case, "forcee"))
    assert "Le juge a ordonné la vente forcée" in text
    assert (
        "retenu la créance du comptable poursuivant pour 118 000,00 € (CPCE art. R.322-18)" in text
    )
    assert "condamne au paiement" not in text
    assert "R.322-26" in text
    # R.322-31: between two months and one month before the hearing of 10 February 2027.
    assert "Publicité de la vente à faire entre le 10 décembre 2026 et le 10 janvier 2027." in text
    assert "Prochaine audience : le 10 février 2027 à 14 h 00" in text


def test_an_opening_judgment_calls_for_the_declaration_of_claims(users):
    case = decide(
        users, "procedure_collective", O.OPENING_LJ, court="Tribunal de commerce de Saint-Quentin"
    )
    collective.record_opening(
        case,
        users["jurist"],
        kind=CollectiveKind.LIQUIDATION,
        opened_on=D(2026, 10, 20),
        court="Tribunal de commerce de Saint-Quentin",
        bodacc_on=D(2026, 11, 4),
        mandataire="Maître Paul Durand",
        decision=case.decisions.get(),
    )
    text = report(case, "ouverture")
    assert "Montant alloué" not in text
    after = suites(text)
    # R.622-24: two months from the BODACC publication of 4 November 2026.
    assert "Déclaration des créances au plus tard le 4 janvier 2027." in after
    assert "à Maître Paul Durand, liquidateur" in after
    assert "L.622-24 et R.622-24" in after


def test_a_late_opponent_appeal_is_flagged(users):
    case = decided(users, execution=False)
    decision = case.decisions.get()
    proceedings.record_appeal(
        case,
        users["jurist"],
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=D(2026, 11, 25),  # notified 27 October: 15 days (R.121-20) long past
        court="Cour d'appel d'Amiens",
        grounds="Contestation du montant.",
    )
    step(case, users, "appeal", reason="Appel du redevable.")
    text = suites(report(case, "tardif"))
    assert "Appel adverse tardif." in text
    assert "fin de non-recevoir" in text and "CPC art. 122 et 125" in text


def test_a_radiation_opens_no_recourse_and_says_how_the_case_comes_back(users):
    case = decide(users, "solidarite_dirigeant", O.RADIATION)
    text = report(case, "radiation")
    assert "Aucune voie de recours n'est ouverte contre cette décision" in text
    assert "l'instance est suspendue (CPC art. 381-383)" in suites(text)
    assert "CPC art. 386" in suites(text)
    assert "Date limite pour interjeter appel" not in text


def test_a_judgment_on_appeal_opens_the_pourvoi_and_one_by_default_the_opposition(users):
    case = decide(users, "solidarite_dirigeant", O.CONDEMNED, amount=Decimal("54000.00"))
    case.decisions.update(instance=Instance.APPEAL, outcome=O.CONFIRMED, notified_on=D(2026, 11, 2))
    text = report(case, "pourvoi")
    assert "Pourvoi en cassation" in text
    assert "CPC art. 612" in text
    # Two months from the notification of 2 November 2026 (CPC 612, 641): Saturday 2
    # January 2027, extended to Monday 4 January (CPC 642).
    assert "Date limite pour former un pourvoi : 4 janvier 2027." in text
    assert "Date limite pour interjeter appel" not in text

    other = decide(
        users, "action_oblique", O.CONDEMNED, amount=Decimal("12000.00"), by_default=True,
        notified_on=D(2026, 10, 27),
    )  # fmt: skip
    text = report(other, "opposition")
    assert "Date limite pour former opposition : 27 novembre 2026." in text
    assert "CPC art. 538 et 571-572" in text
    assert "Date limite pour interjeter appel" not in text
