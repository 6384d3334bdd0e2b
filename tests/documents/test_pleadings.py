"""The default draft pleadings per action type, rendered from the templates in
templates/documents/pleadings/: their structure, the key sentences of each draft's
argument, and how a template's plain text becomes a section (paragraphs, lists, the
case's own line breaks, no HTML escaping)."""

from decimal import Decimal

import pytest

from cases.formatting import euros
from cases.models import ActionType, Claim, PropertyTarget
from documents import pleadings
from tests.documents import DEBTOR, IS_REMAINING, mandated, taken_over

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


EXPECTED = {
    "saisie_immobiliere": ("audience d'orientation", ["L.311-2", "R.322-4", "R.322-15"]),
    "solidarite_dirigeant": ("L.267", ["L.267", "président du tribunal judiciaire", "L.274"]),
    "tiers_detenteur": ("tiers détenteur", ["L.262", "L.263", "R.211-5", "R.211-9"]),
    "action_paulienne": ("action paulienne", ["1341-2"]),
    "action_oblique": ("action oblique", ["1341-1"]),
    "partage_indivision": ("partage", ["815-17"]),
    "procedure_collective": (
        "procédure collective",
        ["L.631-5", "L.640-5", "cessation des paiements"],
    ),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_default_sections_per_action_type(users, code):
    case = taken_over(users, code)
    title_part, citations = EXPECTED[code]
    assert title_part in pleadings.draft_title(case)
    sections = pleadings.default_sections(case)
    assert [s["key"] for s in sections] == [
        "parties",
        "faits",
        "discussion",
        "dispositif",
        "pieces",
    ]
    assert [s["title"] for s in sections] == [
        "Parties",
        "Faits et procédure",
        "Discussion",
        "Par ces motifs",
        "Pièces",
    ]
    text = "\n".join(s["body"] for s in sections)
    for citation in citations:
        assert citation in text, citation
    assert "comptable public compétent, responsable du SIE de Laon" in text
    assert DEBTOR in text
    assert euros(IS_REMAINING) in text and euros(Decimal("198000")) in text
    assert "bordereau de pièces" in sections[-1]["body"]
    assert "En droit" in sections[2]["body"] and "En fait" in sections[2]["body"]


def test_the_draft_names_the_targets_and_the_lawyer(users):
    case = mandated(users, "solidarite_dirigeant")
    text = "\n".join(s["body"] for s in pleadings.default_sections(case))
    assert "DURAND Paul" in text and "gérant de droit" in text
    assert "Défaut de dépôt des déclarations de TVA" in text
    assert "Maître Anne Lefèvre-Dambrine, avocat au barreau de Laon" in text

    holder_case = taken_over(users, "tiers_detenteur")
    text = "\n".join(s["body"] for s in pleadings.default_sections(holder_case))
    assert "Banque du Nord" in text
    assert f"à concurrence de {euros(Decimal('15000'))}" in text
    assert "2 mai 2025" in text


def test_a_case_without_claims_still_gets_a_draft(users):
    case = taken_over(users)
    Claim.objects.filter(case=case).delete()
    sections = pleadings.default_sections(case)
    assert len(sections) == 5
    assert euros(Decimal("0")) in sections[1]["body"]


# The key sentences of each draft, on a case with a lawyer mandated (tests.documents):
# a change of the legal text shows here, on purpose.
PLAINTIFF = (
    "À la requête du comptable public compétent, responsable du SIE de Laon, domicilié en "
    "ses bureaux, agissant sous l'autorité de la direction départementale des finances "
    "publiques de l'Aisne (DDFIP 02), pour le recouvrement des créances publiques dont il a "
    "la charge (LPF art. L.252).\nAyant pour avocat constitué : Maître Anne Lefèvre-Dambrine, "
    "avocat au barreau de Laon (Cabinet Lefèvre & Associés), 8 rue Sérurier, 02000 Laon, au "
    "cabinet duquel il est fait élection de domicile, et qui se constitue sur la présente "
    "assignation et ses suites."
)
COMPANY = (
    f"{DEBTOR}, société immatriculée sous le numéro SIREN 552{NBSP}100{NBSP}554, dont le siège "
    "est situé 4 rue du Bourg, 02000 Laon, prise en la personne de son représentant légal "
    "domicilié en cette qualité audit siège"
)
REMAINING = euros(Decimal("198000"))
KEY_SENTENCES = {
    "saisie_immobiliere": {
        "parties": [
            "D'AVOIR À COMPARAÎTRE devant le juge de l'exécution du tribunal judiciaire dans le "
            "ressort duquel est situé l'immeuble saisi, Laon (02),",
            PLAINTIFF,
            f"DONNÉ ASSIGNATION À :\n\n{COMPANY}, partie saisie.",
        ],
        "faits": [
            "Bien saisi :\n- 12 rue des Tanneurs, 02000 Laon, cadastré section AB n° 142.",
            "Par acte de commissaire de justice du [à compléter], le comptable public a fait "
            "délivrer au débiteur un commandement de payer valant saisie immobilière",
        ],
        "discussion": [
            "Aux termes de l'article L.311-2 du code des procédures civiles d'exécution, tout "
            "créancier muni d'un titre exécutoire constatant une créance liquide et exigible "
            "peut procéder à une saisie immobilière.",
            f"dont {REMAINING} restent dus. Le commandement est demeuré infructueux.",
        ],
        "dispositif": [
            "- dire que les dépens seront compris dans les frais de vente soumis à taxe.",
            "(R.322-5, 7°)",
        ],
    },
    "solidarite_dirigeant": {
        "parties": [
            "- DURAND Paul, demeurant 9 place de l'Hôtel de Ville, 02000 Laon, pris "
            f"en sa qualité de gérant de droit de {DEBTOR} (SIREN 552{NBSP}100{NBSP}554).",
        ],
        "faits": [
            "Manquements reprochés :\n- DURAND Paul : Défaut de dépôt des déclarations de TVA",
        ],
        "discussion": [
            "Aux termes de l'article L.267 du livre des procédures fiscales, lorsqu'un "
            "dirigeant d'une société est responsable des manœuvres frauduleuses",
            "1. La qualité de dirigeant : DURAND Paul exerce ou a exercé la direction de",
            "La prescription de l'action en recouvrement (LPF art. L.274) n'est acquise pour "
            "aucune de ces créances avant le 15 mars 2028.",
        ],
        "dispositif": [
            f"- déclarer DURAND Paul solidairement responsable avec {DEBTOR} du paiement des "
            f"impositions et pénalités dues par celle-ci, soit {REMAINING} ;",
            "- en conséquence, condamner DURAND Paul à payer cette somme au comptable public ;",
        ],
    },
    "tiers_detenteur": {
        "parties": [
            "- Banque du Nord, dont le siège est situé [à compléter], pris en la "
            "personne de son représentant légal, tiers détenteur.",
            f"Redevable : {COMPANY}.",
        ],
        "faits": [
            "Banque du Nord n'a pas versé les fonds [déclaration du tiers à compléter], "
            "malgré la relance du [à compléter].",
        ],
        "discussion": [
            "Aux termes de l'article L.262 du livre des procédures fiscales,",
            "Par analogie avec l'article R.211-5 du code des procédures civiles d'exécution,",
            "Banque du Nord a reçu la saisie, ainsi qu'en atteste l'accusé de réception "
            "produit, et n'a pas payé,",
        ],
        "dispositif": [
            "- condamner Banque du Nord à payer au comptable public la somme de "
            f"{euros(Decimal('15000'))}, montant de la saisie administrative à tiers "
            "détenteur du 2 mai 2025, sauf son recours contre le redevable ;",
        ],
    },
    "action_paulienne": {
        "parties": [
            f"DONNÉ ASSIGNATION À :\n\n- {COMPANY} ;\n- le tiers cocontractant de l'acte "
            "contesté [à compléter].",
        ],
        "discussion": ["Aux termes de l'article 1341-2 du code civil,"],
        "dispositif": [
            "- déclarer inopposable au comptable public l'acte [à compléter] passé par "
            f"{DEBTOR} en fraude de ses droits ;",
        ],
    },
    "action_oblique": {
        "parties": ["- le débiteur du redevable contre lequel l'action est exercée"],
        "discussion": ["Aux termes de l'article 1341-1 du code civil,"],
        "dispositif": ["l'action [à compléter] que celui-ci néglige d'exercer ;"],
    },
    "partage_indivision": {
        "parties": ["- les coïndivisaires [à compléter]."],
        "discussion": ["Aux termes de l'article 815-17 du code civil,"],
        "dispositif": [
            "liquidation et partage de l'indivision portant sur 12 rue des Tanneurs, 02000 "
            "Laon, cadastré section AB n° 142 ;",
        ],
    },
    "procedure_collective": {
        "parties": [
            "devant le tribunal de commerce (tribunal des activités économiques là où il est "
            "institué) dans le ressort duquel le débiteur a son siège, Laon (02000),",
            f"DONNÉ ASSIGNATION À :\n\n{COMPANY}.",
        ],
        "discussion": ["Aux termes des articles L.631-5 et L.640-5 du code de commerce,"],
        "dispositif": [
            "- dire que les dépens seront employés en frais privilégiés de procédure.",
        ],
    },
}


@pytest.mark.parametrize("code", sorted(KEY_SENTENCES))
def test_the_key_sentences_of_each_draft(users, code):
    case = mandated(users, code)
    sections = {s["key"]: s["body"] for s in pleadings.default_sections(case)}
    for key, sentences in KEY_SENTENCES[code].items():
        for sentence in sentences:
            assert sentence in sections[key], (key, sentence)
    assert sections["parties"].count(PLAINTIFF) == 1
    assert sections["pieces"].startswith(
        "Les pièces visées sont énumérées au bordereau de pièces communiquées établi par le "
        f"pôle ({case.pieces.count()} pièces) : n°{NBSP}1 : "
    )


def test_the_local_law_draft_in_alsace_moselle(users):
    case = mandated(users)
    PropertyTarget.objects.filter(case=case).update(departement="57", commune="Metz")
    sections = {s["key"]: s["body"] for s in pleadings.default_sections(case)}
    assert pleadings.draft_name(case) == "saisie_immobiliere_droit_local"
    assert sections["parties"].startswith(
        "Devant le tribunal de l'exécution (tribunal judiciaire dans le ressort duquel est "
        "situé l'immeuble (Metz)).\n\nRequérant : le comptable public compétent, responsable "
        "du SIE"
    )
    assert "Immeuble inscrit au livre foncier :\n- 12 rue des Tanneurs" in sections["faits"]
    assert "régie par la loi du 1er juin 1924" in sections["discussion"]
    assert "- commettre un notaire pour procéder à l'adjudication ;" in sections["dispositif"]


def test_an_action_without_its_own_text_gets_draft_conclusions(users):
    case = taken_over(users, "action_oblique")
    other = ActionType.objects.get(code="action_oblique")
    other.pk, other.code, other.label = None, "revendication", "Action en revendication"
    other.legal_basis = "Code civil art. 2276"
    other.save()
    case.action_type = other
    case.save(update_fields=["action_type"])
    assert pleadings.draft_title(case) == "Conclusions — Action en revendication"
    sections = {s["key"]: s["body"] for s in pleadings.default_sections(case)}
    assert "L'action est fondée sur : Code civil art. 2276." in sections["discussion"]
    assert sections["dispositif"] == (
        "Il est demandé au tribunal de :\n\n"
        "- faire droit à la demande du comptable public [à compléter] ;\n"
        "- condamner les défendeurs aux dépens."
    )


def test_a_section_is_plain_text_with_the_case_s_own_line_breaks(users):
    case = taken_over(users, "partage_indivision")
    case.facts = "Premier point.\n\nSecond point, <important> & urgent."
    case.save(update_fields=["facts"])
    Claim.objects.filter(case=case).delete()
    faits = {s["key"]: s["body"] for s in pleadings.default_sections(case)}["faits"]
    paragraphs = faits.split("\n\n")
    assert paragraphs[0].endswith(f"pour un montant restant dû de {euros(0)} :")
    assert paragraphs[1] == (
        "Biens concernés :\n- 12 rue des Tanneurs, 02000 Laon, cadastré section AB n° 142."
    )
    assert paragraphs[2:] == [
        "Situation exposée par la direction :\nPremier point.",
        "Second point, <important> & urgent.",
    ]
