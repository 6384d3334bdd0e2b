"""Bordereau de pièces: the inventory of the case's pieces, all in the common part."""

from __future__ import annotations

from cases.models import Case


def not_yet(case: Case) -> str | None:
    if not case.pieces.exists():
        return "Aucune pièce n'a encore été déposée dans ce dossier."
    return None


def part(case: Case) -> dict:
    return {}
