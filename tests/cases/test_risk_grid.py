"""The opinion's risk grid in the kernel (cases.risk_grid): a new version fills it whole,
each high risk explained; the database keeps a grid whole or blank (an opinion written
before the grid), each level one of the scale."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases import proceedings, risk_grid
from cases.enums import CaseStatus, Mode, OpinionConclusion, RiskLevel
from cases.models import Opinion
from tests.factories import RISK_GRID, CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinion_case(users):
    return CaseFactory(to=CaseStatus.UNDER_EXAMINATION, mode=Mode.AVIS)


TEXT = {
    "conclusion": OpinionConclusion.FAVOURABLE,
    "reasons": "Bien libre d'hypothèque.",
    "risk_level": RiskLevel.LOW,
    "risk_assessment": "Bien estimé au double de la créance.",
}


def test_a_new_version_without_its_grid_is_refused_and_nothing_is_saved(opinion_case, users):
    partial = {**RISK_GRID, "prescription_risk": "", "cost_risk": ""}
    with pytest.raises(ValidationError) as refused:
        proceedings.submit_opinion(opinion_case, users["jurist"], **TEXT, **partial)
    assert refused.value.message_dict == {
        "prescription_risk": [
            "Indiquez le risque lié à « Prescription des créances » : faible, moyen ou élevé."
        ],
        "cost_risk": ["Indiquez le risque lié à « Coût de l'action » : faible, moyen ou élevé."],
    }
    with pytest.raises(ValidationError) as refused:  # no grid at all, as before issue 24
        proceedings.submit_opinion(opinion_case, users["jurist"], **TEXT)
    assert sorted(refused.value.message_dict) == sorted(risk_grid.LEVEL_FIELDS)
    assert not Opinion.objects.filter(case=opinion_case).exists()


def test_a_high_risk_is_explained(opinion_case, users):
    grid = {**RISK_GRID, "solvency_risk": RiskLevel.HIGH, "solvency_comment": " "}
    with pytest.raises(ValidationError) as refused:
        proceedings.submit_opinion(opinion_case, users["jurist"], **TEXT, **grid)
    assert refused.value.message_dict == {
        "solvency_comment": [
            "Expliquez en quelques mots pourquoi le risque lié à « Solvabilité du redevable » "
            "est élevé."
        ]
    }
    grid["solvency_comment"] = "Aucun revenu saisissable."
    opinion = proceedings.submit_opinion(opinion_case, users["jurist"], **TEXT, **grid)
    assert [row["level"] for row in opinion.risk_grid_rows] == [
        "high",
        "low",
        "low",
        "low",
        "medium",
    ]


def test_the_database_keeps_a_grid_whole_or_blank(opinion_case, users):
    opinion = proceedings.submit_opinion(opinion_case, users["jurist"], **TEXT, **RISK_GRID)
    rows = Opinion.objects.filter(pk=opinion.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(assets_risk="")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(assets_risk="inconnu")  # not a level (within the column's 10 characters)
    rows.update(**{name: "" for name in risk_grid.LEVEL_FIELDS})  # as before the grid
    opinion.refresh_from_db()
    assert not opinion.has_risk_grid
    opinion.full_clean()  # an older opinion still validates (its review, its follow-up)
