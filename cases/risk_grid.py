"""The risk grid of an avis d'opportunité (issue 24): one row per `RiskDimension`
(solvency, assets and their encumbrances, collective proceedings, prescription, cost of the
action), each a `RiskLevel` (faible, moyen, élevé: the scale of the opinion's overall risk
of non-recovery, which the grid breaks down) and a short comment.

Plain columns of `Opinion` (`<dimension>_risk`, `<dimension>_comment`), their choices and
« the whole grid or none of it » checked by the database. A new version fills the whole
grid (`cases.proceedings.submit_opinion`, the opinion step's form, through `problems`); an
opinion written before the grid existed keeps it blank, and says so where it is printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .enums import RiskDimension, RiskLevel

COMMENT_MAX_LENGTH = 500


def level_field(dimension: str) -> str:
    return f"{dimension}_risk"


def comment_field(dimension: str) -> str:
    return f"{dimension}_comment"


LEVEL_FIELDS = [level_field(d) for d in RiskDimension]
FIELDS = [name for d in RiskDimension for name in (level_field(d), comment_field(d))]


def missing_level(dimension: RiskDimension) -> str:
    return f"Indiquez le risque lié à « {dimension.label} » : faible, moyen ou élevé."


def unexplained_high(dimension: RiskDimension) -> str:
    return f"Expliquez en quelques mots pourquoi le risque lié à « {dimension.label} » est élevé."


def problems(values: Mapping[str, Any], *, required: bool = True) -> dict[str, str]:
    """{field: French message} of what is wrong with a grid's values: a level missing (when
    `required`, i.e. a new version: an opinion older than the grid keeps it blank whole), a
    level that is not one, a high risk without a word of why."""
    found: dict[str, str] = {}
    blank = not any(values.get(name) for name in LEVEL_FIELDS)
    for dimension in RiskDimension:
        level = values.get(level_field(dimension)) or ""
        comment = (values.get(comment_field(dimension)) or "").strip()
        if not level:
            if required or not blank:
                found[level_field(dimension)] = missing_level(dimension)
        elif level not in RiskLevel.values:
            found[level_field(dimension)] = "Choisissez faible, moyen ou élevé."
        elif level == RiskLevel.HIGH and not comment:
            found[comment_field(dimension)] = unexplained_high(dimension)
    return found


def rows(opinion) -> list[dict]:
    """The grid as it is printed and served: one row per dimension, in order (blank level
    and label on an opinion written before the grid)."""
    return [
        {
            "dimension": dimension.value,
            "label": dimension.label,
            "level": getattr(opinion, level_field(dimension)),
            "level_label": RiskLevel(level).label
            if (level := getattr(opinion, level_field(dimension)))
            else "",
            "comment": getattr(opinion, comment_field(dimension)),
        }
        for dimension in RiskDimension
    ]


def is_filled(opinion) -> bool:
    return all(getattr(opinion, name) for name in LEVEL_FIELDS)
