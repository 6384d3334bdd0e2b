"""The bordereau de communication de pièces in the form the courts use (issue 21,
« Bordereau de pièces »; CPC art. 132 and 815: the pieces are communicated by a bordereau
listing them, each under its number): the court and its RG number, the parties for whom
and against whom, their counsel, the pieces by their stable number with their own date
and description, the lawyer's signature; never a file size nor an upload date."""

import datetime
import hashlib
import io
import os
from decimal import Decimal

import pypdf
import pytest

from cases.enums import PartyRole
from cases.models import Party, Piece
from cases.pieces import sample_pdf
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.render import html_to_pdf, render_html
from tests.documents import decided, meta
from tests.documents.test_templates import flat

K = DocumentKind
D = datetime.date
pytestmark = pytest.mark.django_db


def produced(case) -> str:
    pdf = html_to_pdf(
        render_html(K.BORDEREAU, build_snapshot(case, K.BORDEREAU), meta(case, K.BORDEREAU))
    )
    if os.environ.get("PNSR_KEEP_PDF"):  # to look at it: pdftoppm -png -r 60
        with open(os.path.join(os.environ["PNSR_KEEP_PDF"], "bordereau.pdf"), "wb") as out:
            out.write(pdf)
    return flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def piece(case, user, kind, name, **details) -> Piece:
    """A piece filed by the pôle (the referral is closed to the referring side now)."""
    content = sample_pdf(name)
    return Piece.objects.create(
        case=case,
        kind=kind,
        uploaded_by=user,
        file=f"pieces/{name}",
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        **details,
    )


def court_case(users):
    """Decided before the JEX of Laon under RG 26/00417; an AMR and a letter added with
    their dates and descriptions, one piece removed; a registered creditor and a manager
    with his own counsel."""
    case = decided(users)
    case.hearings.update(rg_number="26/00417")
    agent = users["jurist"]
    amr = piece(
        case, agent, "titre_executoire", "amr.pdf",
        dated_on=D(2023, 6, 30), description="Avis de mise en recouvrement n° 2023-0612",
    )  # fmt: skip
    letter = piece(case, agent, "autre", "courrier.pdf", description="Courrier de relance")
    last = piece(
        case, agent, "autre", "mise-en-demeure.pdf",
        dated_on=D(2025, 2, 3), description="Mise en demeure de payer",
    )  # fmt: skip
    Party.objects.create(
        case=case,
        role=PartyRole.REGISTERED_CREDITOR,
        name="Banque Populaire du Nord",
        address="12 rue Nationale, 59000 Lille",
        created_by=agent,
    )
    Party.objects.create(
        case=case,
        role=PartyRole.OTHER,
        name="M. Pierre Tanneur",
        address="9 place de l'Hôtel de Ville, 02000 Laon",
        counsel_name="Maître Claire Morel",
        counsel_bar="Barreau de Soissons",
        created_by=agent,
    )
    return case, amr, letter, last


def test_the_bordereau_names_the_court_the_rg_number_and_the_parties(users):
    case, *_ = court_case(users)
    text = produced(case)
    assert "JUGE DE L'EXÉCUTION DE LAON" in text.upper()
    assert "RG n° 26/00417" in text
    assert "Bordereau de pièces communiquées" in text
    pour, contre = text.index("POUR :"), text.index("CONTRE :")
    assert pour < contre
    state = text[pour:contre]
    assert "À la requête du comptable public compétent" in state
    assert "Ayant pour avocat Maître Anne Lefèvre-Dambrine, avocat au barreau de Laon" in state
    against = text[contre : text.index("EN PRÉSENCE DE :")]
    assert "SARL LES TANNEURS DE LAON" in against
    assert "SIREN 552 100 554" in against
    assert "M. Pierre Tanneur" in against
    assert "Ayant pour avocat Maître Claire Morel (Barreau de Soissons)" in against
    assert "Banque Populaire du Nord" not in against  # summoned « en présence »
    assert "Banque Populaire du Nord" in text[text.index("EN PRÉSENCE DE :") :]


def test_the_pieces_keep_their_numbers_dates_and_descriptions(users):
    case, amr, letter, last = court_case(users)
    letter.delete()
    text = produced(case)
    listed = text[text.index("Pièces communiquées") : text.index("Bordereau arrêté")]
    assert f"{amr.number} Avis de mise en recouvrement n° 2023-0612 30 juin 2023" in listed
    assert f"{last.number} Mise en demeure de payer 3 février 2025" in listed
    assert last.number == letter.number + 1  # the removed one's number stays unused
    assert "Courrier de relance" not in listed
    assert "Jugement non datée" not in listed and "20 octobre 2026" in listed  # its date
    count = case.pieces.count()
    assert f"Bordereau arrêté à {count} pièces." in text
    # What the court has no use for: the storage's size and upload date.
    for absent in ("Taille", "Ko", "déposée", ".pdf"):
        assert absent not in listed, absent


def test_the_lawyer_signs_it(users):
    case, *_ = court_case(users)
    text = produced(case)
    signature = text[text.index("Le 23 novembre 2026,") :]
    assert "Maître Anne Lefèvre-Dambrine" in signature
    assert "Avocat au barreau de Laon" in signature
    assert "Pôle national de soutien au réseau" not in signature


def test_the_invoices_of_the_costs_are_not_communicated(users):
    """A lawyer's or bailiff's invoice joined to a cost is the pôle's accounting, not a
    piece the court or the opponent receives; the other pieces keep their numbers."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases import money
    from cases.enums import CostKind

    case, amr, letter, last = court_case(users)
    money.record_cost(
        case,
        users["jurist"],
        kind=CostKind.LAWYER_FEES,
        amount=Decimal("1500.00"),
        incurred_on=D(2026, 11, 2),
        invoice_file=SimpleUploadedFile("facture-honoraires.pdf", sample_pdf("Facture")),
    )
    text = produced(case)
    listed = text[text.index("Pièces communiquées") : text.index("Bordereau arrêté")]
    invoice = case.pieces.order_by("-number").first()
    assert invoice.number == last.number + 1
    assert f"{last.number} Mise en demeure de payer" in listed
    assert f"{invoice.number} {invoice.label}" not in listed
    assert f"Bordereau arrêté à {case.pieces.count() - 1} pièces." in text


def test_an_l267_action_is_against_the_manager_not_the_company(users):
    """LPF L.267: the président of the tribunal judiciaire condemns the manager; the
    company, whose debt it is, is not the defendant."""
    from tests.documents import mandated

    case = mandated(users, "solidarite_dirigeant")
    piece(case, users["jurist"], "kbis", "kbis.pdf", dated_on=D(2026, 5, 2))
    text = produced(case)
    against = text[text.index("CONTRE :") : text.index("Pièces communiquées")]
    manager = case.managers.get()
    assert str(manager) in against and "(dirigeant)" in against
    assert "SARL LES TANNEURS DE LAON" not in against
    assert "Mise en cause du dirigeant (LPF L.267) — Réf." in text


def test_a_bordereau_is_made_for_one_hearing_with_the_pieces_chosen_for_it(users, client):
    """Issue 21: the jurist chooses the hearing (its court, RG number and date head the
    bordereau) and the pieces communicated for it, each keeping its number; the next time
    the page proposes the same choice; no piece chosen is refused in French."""
    from django.test import TestCase
    from django.urls import reverse
    from django.utils import timezone

    from cases.enums import HearingKind, Instance
    from cases.models import Hearing
    from documents.models import Document

    case, amr, letter, last = court_case(users)
    appeal = Hearing.objects.create(
        case=case,
        instance=Instance.APPEAL,
        court="Cour d'appel d'Amiens",
        scheduled_at=timezone.make_aware(datetime.datetime(2027, 3, 2, 14, 0)),
        kind=HearingKind.OTHER,
        purpose="Audience de plaidoiries",
        rg_number="27/00088",
        created_by=users["jurist"],
    )
    client.force_login(users["jurist"])
    url = reverse("documents:bordereau", args=[case.reference])
    page = client.get(url).content.decode()
    assert "Cour d&#x27;appel d&#x27;Amiens" in page or "Cour d'appel d'Amiens" in page
    assert f"Pièce n° {letter.number} : Courrier de relance" in page
    # Nothing ticked: refused, nothing produced.
    refused = client.post(url, {"hearing": appeal.pk})
    assert refused.status_code == 422
    assert "Cochez au moins une pièce à communiquer." in refused.content.decode()
    assert not Document.objects.filter(case=case, kind=K.BORDEREAU).exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(url, {"hearing": appeal.pk, "pieces": [amr.number, last.number]})
    assert done.status_code == 302
    document = Document.objects.get(case=case, kind=K.BORDEREAU)
    assert [p["number"] for p in document.snapshot["pieces"]] == [amr.number, last.number]
    text = flat(
        "\n".join(
            p.extract_text()
            for p in pypdf.PdfReader(
                io.BytesIO(
                    html_to_pdf(
                        render_html(K.BORDEREAU, document.snapshot, meta(case, K.BORDEREAU))
                    )
                )
            ).pages
        )
    )
    assert "RG n° 27/00088" in text and "COUR D'APPEL D'AMIENS" in text.upper()
    assert "2 mars 2027" in text
    assert "Courrier de relance" not in text and "Bordereau arrêté à 2 pièces." in text
    # The page proposes the same choice again.
    import re

    again = client.get(url).content.decode()
    boxes = {
        int(re.search(r'value="(\d+)"', tag).group(1)): " checked" in tag
        for tag in re.findall(r'<input type="checkbox" name="pieces"[^>]*>', again)
    }
    assert boxes[amr.number] and boxes[last.number] and not boxes[letter.number]
