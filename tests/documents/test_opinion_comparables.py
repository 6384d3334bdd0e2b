"""The avis d'opportunité prints its risk grid and the comparable cases' figures as its
version froze them at submission (issue 24), not as the pôle's history says them later."""

import pytest

from cases import proceedings, risk_grid
from cases.comparables import comparables
from cases.enums import ClosureReason
from cases.models import Opinion
from tests.comparables import History, crafted_history
from tests.documents import step, with_opinion
from tests.documents.test_opinion_structure import opinion_text

pytestmark = pytest.mark.django_db


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def test_the_validated_opinion_prints_its_grid_and_the_figures_it_relied_on(users):
    crafted_history(users)
    case = with_opinion(users, validate=False)
    opinion = case.opinions.get()
    # After the submission the history moves on: three irrecoverable saisies closed.
    h = History(users)
    for i in range(3):
        h.cost(h.case(f"later{i}", closure=ClosureReason.IRRECOVERABLE))
    assert comparables(case)["n"] == 15
    proceedings.review_opinion(opinion, users["head"], validate=True)
    step(case, users, "give_opinion")

    text = opinion_text(case, "comparables")
    grid = section(text, "Grille d'analyse des risques", "Dossiers comparables du pôle")
    assert "Solvabilité du redevable Moyen Revenus fonciers réguliers" in grid
    assert "Patrimoine et sûretés qui le grèvent Faible Immeuble libre de toute inscription." in (
        grid
    )
    assert "Coût de l'action Moyen Frais estimés à 8 000 € pour 95 000 € de créances." in grid
    figures = section(text, "Dossiers comparables du pôle", "Conclusion")
    assert "même action (saisie immobilière), redevable sans procédure collective, personne " in (
        figures
    )
    assert "montant en jeu de 50 000,00 € à moins de 250 000,00 €" in figures
    assert "à la soumission de la version 1 de l'avis" in figures
    assert "Dossiers comparables 12" in figures
    assert "Recouvrement intégral : 5 ; Recouvrement partiel : 4 ; Créance irrécouvrable : 3" in (
        figures
    )
    assert "dans 7 dossiers sur 12" in figures
    assert "190 jours (sur 10 décisions)" in figures
    assert "58,3 % (700 000,00 € recouvrés sur 1 200 000,00 € de créances)" in figures
    assert "Recouvrement net médian 65 000,00 € par dossier" in figures
    assert "Dossiers comparables 15" not in figures  # not today's count


def test_too_few_comparable_cases_and_no_rate(users, settings):
    settings.COMPARABLES_MIN_CASES = 15
    crafted_history(users)
    text = opinion_text(with_opinion(users), "trop-peu")
    figures = section(text, "Dossiers comparables du pôle", "Conclusion")
    assert "Trop peu de dossiers comparables (n = 14)" in figures
    assert "à partir de 15 dossiers" in figures
    assert "ne sont pas retenus : le montant en jeu, la nature du redevable" in figures
    assert "Taux de recouvrement" not in figures and "%" not in figures


def test_an_opinion_older_than_the_grid_says_so(users):
    case = with_opinion(users)
    Opinion.objects.filter(case=case).update(
        comparables={}, **{name: "" for name in risk_grid.FIELDS}
    )
    text = opinion_text(case)
    assert "Grille d'analyse des risques : non renseignée" in text
    assert "Les éléments de comparaison n'ont pas été relevés pour cette version de l'avis." in (
        text
    )
