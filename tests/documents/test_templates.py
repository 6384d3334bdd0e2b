"""Each document rendered to PDF/A-3a for a realistic case: what a reader finds in it (the
reference, the debtor, the amounts in French, the sections, the page numbers) and what an
archive finds (PDF/A part 3, conformance A, title, author and subject)."""

import datetime
import io
from decimal import Decimal

import pikepdf
import pypdf
import pytest

from cases import proceedings, risk_grid
from cases.enums import SaleKind
from cases.formatting import euros
from documents.context import applicability, build_snapshot
from documents.enums import DocumentKind
from documents.render import AUTHOR, html_to_pdf, render_html
from tests.documents import (
    DEBTOR,
    IS_REMAINING,
    decided,
    meta,
    new_case,
    step,
    submit,
    with_opinion,
)

K = DocumentKind
D = datetime.date
pytestmark = pytest.mark.django_db

LETTERHEAD = [
    "Direction générale des Finances publiques",
    "Pôle national de soutien au réseau — actions lourdes (PNSR)",
    "Le 23 novembre 2026",
]


def returned(users):
    case = new_case(users)
    submit(case, users)
    step(
        case,
        users,
        "return_for_completion",
        reason="- État hypothécaire de moins de trois mois\n- Relevé de propriété à jour",
    )
    return case


def adjudicated(users):
    """Decided (the orientation judgment), then the property adjudicated at its hearing."""
    case = decided(users, execution=False)
    proceedings.record_sale(
        case,
        users["jurist"],
        kind=SaleKind.ADJUDICATION,
        sold_on=D(2026, 10, 8),
        price=Decimal("182500.00"),
        buyer="SCI Les Tilleuls",
    )
    return case


CASES = {
    K.AVIS: with_opinion,
    K.ACCUSE: returned,
    K.SAISINE_AVOCAT: decided,
    K.PROJET_ECRITURES: decided,
    K.COMPTE_RENDU: decided,
    K.BORDEREAU: decided,
    K.COMPTE_RENDU_ADJUDICATION: adjudicated,
}

# What each document must show besides the common part (headings and key phrases).
EXPECTED = {
    K.AVIS: [
        "Avis d'opportunité",
        "Les faits",
        "Les créances",
        "Analyse",
        "Risque de non-recouvrement",
        "Risque moyen.",
        "Conclusion",
        "Avis favorable",
        "Avis rédigé par Sophie Delorme, expert",
        "Les conditions de l'action",
        "Les mesures plus légères",
        "Coût de l'action et recouvrement attendu",
        "Rang des créanciers",
        "Le chef du pôle national de soutien au réseau — actions lourdes,",
    ],
    K.ACCUSE: [
        "Accusé de réception de saisine",
        "Décision sur la recevabilité",
        "Dossier incomplet : renvoyé pour complément.",
        "Éléments à compléter",
        "État hypothécaire de moins de trois mois",
        "Relevé de propriété à jour",
        "Suites",
        "transmettez-le de nouveau au pôle",
    ],
    K.SAISINE_AVOCAT: [
        "Note de saisine de l'avocat",
        "Maître Anne Lefèvre-Dambrine",
        "Maître,",
        "Les parties",
        "Les faits",
        "Les créances",
        "Ce que le pôle vous demande",
        "Convention d'honoraires",
        "Forfait 1 500 € HT",
        "Pièces transmises",
        "jugement-orientation.pdf",
    ],
    K.PROJET_ECRITURES: [
        "Projet d'écritures",
        "PROJET",
        "Assignation à l'audience d'orientation devant le juge de l'exécution",
        "Parties",
        "Faits et procédure",
        "Discussion",
        "En droit",
        "Par ces motifs",
        "Pièces",
        "R.322-4",
        "À valider par Hélène Marchand, chef du pôle",
    ],
    K.COMPTE_RENDU: [
        "Compte rendu de décision",
        "La décision",
        "Demande accueillie",
        "Voies de recours et délais",
        "Date limite pour interjeter appel : 12 novembre 2026.",
        "Audiences tenues",
        "Encaissements",
        "Total encaissé",
        "Suites",
    ],
    K.BORDEREAU: [
        "Bordereau de pièces communiquées",
        "POUR :",
        "À la requête du comptable public compétent",
        "CONTRE :",
        "Pièces communiquées",
        "N°",
        "Désignation de la pièce",
        "Date",
        "Titre exécutoire (AMR, rôle)",
        "Jugement / décision",
        "20 octobre 2026",
        "Bordereau arrêté à 5 pièces.",
        "Avocat au barreau de Laon",
    ],
    K.COMPTE_RENDU_ADJUDICATION: [
        "compte rendu de l'adjudication du 8 octobre 2026",
        "L'adjudication",
        "La suite",
        "Le prix est distribué entre les créanciers selon leur rang",
    ],
}

AMOUNTS = {
    K.AVIS: IS_REMAINING,
    K.ACCUSE: IS_REMAINING,
    # What remains due once the first recovery (25,000 €) is imputed to it (C. civ. 1342-10).
    K.SAISINE_AVOCAT: IS_REMAINING - Decimal("25000.00"),
    K.PROJET_ECRITURES: IS_REMAINING,
    K.COMPTE_RENDU: Decimal("118000.00"),  # the amount awarded
    K.BORDEREAU: None,  # an inventory of pieces has no amount
    K.COMPTE_RENDU_ADJUDICATION: Decimal("182500.00"),  # the price
}


def flat(text: str) -> str:
    """Text with every run of spaces (narrow, no-break, line breaks) as one space: the
    fonts print the narrow no-break space of amounts as a space."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_opinion_pdf_says_the_opinion_version_in_its_header_and_signature(users):
    """The first PDF of a second version (returned, rewritten) says « version 2 » at the
    top of each page as at the signature."""
    case = with_opinion(users, validate=False)
    first = case.opinions.get()
    proceedings.review_opinion(first, users["head"], validate=False, comments="Chiffrez.")
    proceedings.submit_opinion(
        case,
        users["expert"],
        conclusion=first.conclusion,
        reasons=first.reasons,
        risk_level=first.risk_level,
        risk_assessment=first.risk_assessment,
        **{name: getattr(first, name) for name in risk_grid.FIELDS},
    )
    html = render_html(K.AVIS, build_snapshot(case, K.AVIS), meta(case, K.AVIS, version=1))
    assert "— version 2</div>" in html  # the running header
    assert "Version 2 du" in html
    assert "version 1" not in html.lower()


def produce(case, kind) -> bytes:
    assert applicability(case, kind) is None
    html = render_html(kind, build_snapshot(case, kind), meta(case, kind, version=2))
    return html_to_pdf(html)


@pytest.mark.parametrize("kind", K.values)
def test_each_document_reads_right(users, kind):
    case = CASES[kind](users)
    pdf = produce(case, kind)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    text = flat("\n".join(pages))
    assert case.reference in text
    assert DEBTOR in text
    if AMOUNTS[kind] is not None:
        assert flat(euros(AMOUNTS[kind])) in text
    # The bordereau is the lawyer's act before the court: the court's caption, not the
    # pôle's letterhead.
    for line in LETTERHEAD if kind != K.BORDEREAU else ["Le 23 novembre 2026"]:
        assert line in text, line
    for expected in EXPECTED[kind]:
        assert flat(expected) in text, expected
    label = K(kind).label
    # The opinion's header says the opinion's version (1), the others the PDF's (2).
    version = 1 if kind == K.AVIS else 2
    for number, page in enumerate(pages, start=1):
        page = flat(page)
        assert f"Page {number} / {len(pages)}" in page
        assert f"{case.reference} — {label} — version {version}" in page

    with pikepdf.open(io.BytesIO(pdf)) as archive:
        assert archive.open_metadata().pdfa_status == "3A"
        info = archive.docinfo
        assert str(info["/Title"]) == f"{label} — {case.reference}"
        assert str(info["/Author"]) == AUTHOR
        assert case.reference in str(info["/Subject"])
        assert archive.Root.MarkInfo.Marked  # tagged
        assert str(archive.Root.Lang) == "fr"


def tags(pdf: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(pdf)) as archive:
        return {
            str(obj.S)
            for obj in archive.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"
        }


def test_headings_and_tables_are_tagged(users):
    case = decided(users)
    found = tags(produce(case, K.COMPTE_RENDU))
    assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= found


def test_a_draft_opinion_says_it_is_not_validated(users):
    case = with_opinion(users, validate=False)
    text = flat(
        "\n".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(produce(case, K.AVIS))).pages
        )
    )
    assert "PROJET" in text
    assert "n'est pas encore validé par le chef du pôle" in text
    assert "Validé par" not in text


def test_edited_sections_are_printed_in_order(users):
    case = decided(users)
    sections = [
        {"key": "b", "title": "Sur la recevabilité", "body": "Premier moyen.\n\n- point un"},
        {"key": "a", "title": "Sur le fond", "body": "Second moyen."},
    ]
    html = render_html(
        K.PROJET_ECRITURES,
        build_snapshot(case, K.PROJET_ECRITURES, sections=sections),
        meta(case, K.PROJET_ECRITURES),
    )
    assert html.index("Sur la recevabilité") < html.index("Sur le fond")
    assert "<li>point un</li>" in html
    assert "Faits et procédure" not in html
