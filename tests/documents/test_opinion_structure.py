"""The avis d'opportunité's structure (issue 21, « Avis d'opportunité »): the action's
legal conditions and their examination, the lighter measures among the choices (SATD,
LPF L.262; hypothèque légale, CGI 1929 ter; saisie conservatoire, CPCE L.511-1;
saisie-vente, CPCE L.221-1; the associates), the costs against the expected recovery,
the creditors' ranking (CGI 1920), and the signature with the signer's title, « par
délégation » when the signer is not the head of the pôle."""

import io
import os
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ValidationError

from cases import proceedings
from cases.enums import LighterMeasure, OpinionConclusion, PartyRole, RiskLevel
from cases.models import Party
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.render import html_to_pdf, render_html
from tests.documents import new_case, step, submit, with_opinion
from tests.documents.test_templates import flat
from tests.factories import RISK_GRID
from workflows.steps import OpinionForm

K = DocumentKind
pytestmark = pytest.mark.django_db


def opinion_text(case, name: str = "") -> str:
    case.refresh_from_db()
    pdf = html_to_pdf(render_html(K.AVIS, build_snapshot(case, K.AVIS), meta_of(case)))
    if name and os.environ.get("PNSR_KEEP_PDF"):  # to look at it: pdftoppm -png -r 60
        with open(os.path.join(os.environ["PNSR_KEEP_PDF"], f"avis-{name}.pdf"), "wb") as out:
            out.write(pdf)
    return flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def meta_of(case):
    from tests.documents import meta

    return meta(case, K.AVIS)


def measured(users, reviewer):
    """An opinion recommending an SATD instead of the saisie, costed, reviewed by
    `reviewer`."""
    case = new_case(users, mode="avis")
    submit(case, users)
    step(case, users, "accept")
    case.assigned_expert = users["expert"]
    case.save(update_fields=["assigned_expert"])
    Party.objects.create(
        case=case,
        role=PartyRole.REGISTERED_CREDITOR,
        name="Crédit Agricole du Nord-Est",
        created_by=users["jurist"],
    )
    opinion = proceedings.submit_opinion(
        case,
        users["expert"],
        conclusion=OpinionConclusion.OTHER_ACTION,
        recommended_measure=LighterMeasure.SATD,
        reasons="Le redevable perçoit des loyers réguliers du local.",
        conditions="Le titre exécutoire est produit ; l'immeuble est grevé d'une hypothèque "
        "conventionnelle de 140 000 € qui prime le Trésor.",
        estimated_costs=Decimal("9500.00"),
        expected_recovery=Decimal("4000.00"),
        creditors_ranking="La banque, inscrite en 2019, absorberait le prix.",
        risk_level=RiskLevel.HIGH,
        risk_assessment="Prix de vente probable inférieur à l'inscription de la banque.",
        **RISK_GRID,
    )
    proceedings.review_opinion(opinion, reviewer, validate=True)
    return case


def test_the_opinion_is_structured_and_recommends_a_lighter_measure(users):
    text = opinion_text(measured(users, users["head"]), "mesure")
    conditions = text[text.index("Les conditions de l'action") : text.index("Les mesures plus")]
    assert "CPCE art. L.311-2" in conditions  # the saisie's own conditions
    assert "hypothèque conventionnelle de 140 000 €" in conditions  # their examination
    lighter = text[text.index("Les mesures plus légères") : text.index("Coût de l'action")]
    for label in LighterMeasure.labels:
        assert flat(label) in lighter, label
    assert "à tiers détenteur (LPF L.262) : sur les comptes bancaires" in lighter
    assert lighter.count("mesure recommandée par le présent avis") == 1
    costs = text[text.index("Coût de l'action") : text.index("Rang des créanciers")]
    assert "Coût estimé de l'action 9 500,00 €" in costs
    assert "Recouvrement attendu 4 000,00 €" in costs
    assert "Solde attendu pour le Trésor -5 500,00 €" in costs
    assert "Le coût de l'action n'est pas couvert par le recouvrement attendu." in costs
    ranking = text[text.index("Rang des créanciers") : text.index("Analyse")]
    assert "CGI art. 1920" in ranking and "Crédit Agricole du Nord-Est" in ranking
    assert "La banque, inscrite en 2019" in ranking
    assert "Mesure recommandée : Saisie administrative à tiers détenteur" in text


def test_the_head_signs_with_the_title_and_another_signer_by_delegation(users):
    head = opinion_text(with_opinion(users))
    assert "Le chef du pôle national de soutien au réseau — actions lourdes, Hélène Marchand" in (
        head
    )
    assert "par délégation" not in head
    delegated = opinion_text(measured(users, users["jurist"]), "delegation")
    signature = delegated[delegated.index("Avis rédigé par") :]
    assert (
        "Pour le chef du pôle national de soutien au réseau — actions lourdes, et par "
        "délégation, Julien Roussel Juriste du pôle" in signature
    )


def test_another_action_is_a_heavy_one_or_a_lighter_measure_never_both(users):
    case = with_opinion(users, validate=False)
    form = OpinionForm(
        {
            "conclusion": OpinionConclusion.OTHER_ACTION,
            "recommended_action": case.action_type.pk,
            "recommended_measure": LighterMeasure.SAISIE_VENTE,
            "reasons": "x",
            "risk_level": RiskLevel.LOW,
            "risk_assessment": "y",
        },
        case=case,
        user=users["expert"],
    )
    assert not form.is_valid()
    assert form.errors["recommended_measure"] == [
        "Recommandez une action lourde ou une mesure plus légère, pas les deux."
    ]
    opinion = case.opinions.get()
    opinion.conclusion = OpinionConclusion.OTHER_ACTION
    opinion.recommended_action = case.action_type
    opinion.recommended_measure = LighterMeasure.SAISIE_VENTE
    with pytest.raises(ValidationError, match="une seule"):
        opinion.full_clean()
