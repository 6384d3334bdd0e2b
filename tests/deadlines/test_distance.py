"""Délais de distance, CPC 643-647 (deadlines.distance), worked by hand on 2025-2026."""

import datetime

import pytest

from deadlines.distance import (
    ETRANGER,
    METROPOLE,
    PeriodKind,
    Residence,
    ResidenceKind,
    deadline_with_distance,
    distance_extension,
)

D = datetime.date
REUNION = Residence(ResidenceKind.OUTRE_MER, "974")
GUADELOUPE = Residence(ResidenceKind.OUTRE_MER, "971")
CALEDONIE = Residence(ResidenceKind.OUTRE_MER, "NC")


def test_643_appeal_of_a_party_living_overseas_before_a_metropolitan_court():
    """CPC 538 + 643 1°: an appeal period of one month from Friday 14 November 2025 before
    the TJ of Laon (02): Sunday 14 December → Monday 15 December alone; for a party living
    in La Réunion, one month more: Wednesday 14 January 2026."""
    result = deadline_with_distance(D(2025, 11, 14), PeriodKind.APPEL, REUNION, "02", months=1)
    assert result.base_last_day == D(2025, 12, 15)
    assert (result.extension.months, result.extension.article) == (1, "CPC 643")
    assert result.last_day == D(2026, 1, 14) and result.last_day.weekday() == 2


def test_643_two_months_abroad():
    """CPC 643 2°: the same appeal, a party living abroad: three months → Saturday
    14 February 2026 → Monday 16 February."""
    result = deadline_with_distance(D(2025, 11, 14), PeriodKind.APPEL, ETRANGER, "02", months=1)
    assert result.extension.months == 2
    assert result.last_day == D(2026, 2, 16)


def test_643_days_and_months_months_first():
    """R.121-20 (15 days) + 643 2° (two months), CPC 641 al. 2: months first. Notified
    Monday 1 December 2025: + 2 months = 1 February 2026, + 15 days = Monday 16 February;
    the period alone ends Tuesday 16 December 2025."""
    result = deadline_with_distance(D(2025, 12, 1), PeriodKind.APPEL, ETRANGER, "02", days=15)
    assert result.base_last_day == D(2025, 12, 16)
    assert result.last_day == D(2026, 2, 16)


def test_643_no_extension_in_metropolitan_france():
    extension = distance_extension(PeriodKind.COMPARUTION, METROPOLE, "02")
    assert extension.months == 0
    assert distance_extension(PeriodKind.COMPARUTION, CALEDONIE, "75").months == 1


def test_644_party_in_metropolitan_france_before_an_overseas_court():
    """CPC 644: before the TJ of Saint-Denis (974), a party living in metropolitan France
    gets one month: appeal from Monday 3 November 2025 → Saturday 3 January 2026 → Monday
    5 January; a party living in La Réunion none (Wednesday 3 December 2025)."""
    far = deadline_with_distance(D(2025, 11, 3), PeriodKind.APPEL, METROPOLE, "974", months=1)
    assert (far.extension.months, far.extension.article) == (1, "CPC 644")
    assert far.last_day == D(2026, 1, 5)
    near = deadline_with_distance(D(2025, 11, 3), PeriodKind.APPEL, REUNION, "974", months=1)
    assert near.extension.months == 0 and near.last_day == D(2025, 12, 3)


def test_644_other_collectivity_and_abroad():
    assert distance_extension(PeriodKind.APPEL, GUADELOUPE, "974").months == 1
    assert distance_extension(PeriodKind.APPEL, ETRANGER, "974").months == 2


def test_644_does_not_extend_the_pourvoi():
    """CPC 644 (as amended by décret 2017-892) no longer names the pourvoi en cassation;
    643 still does."""
    assert distance_extension(PeriodKind.POURVOI, METROPOLE, "974").months == 0
    assert distance_extension(PeriodKind.POURVOI, REUNION, "02").months == 1


def test_other_periods_get_no_extension():
    """Only the periods 643-644 name: not, e.g., the pôle's own R.321-6 deadline."""
    assert distance_extension(PeriodKind.OTHER, ETRANGER, "02").months == 0


def test_645_an_express_derogation_rules_it_out():
    """CPC 645: the extensions apply unless a text expressly derogates."""
    extension = distance_extension(
        PeriodKind.APPEL, ETRANGER, "02", derogation="un texte spécial (délai exprès)"
    )
    assert (extension.months, extension.article) == (0, "CPC 645")


def test_647_served_in_person_where_no_extension_applies():
    """CPC 647: a party living abroad handed the act in person in metropolitan France gets
    the metropolitan period."""
    extension = distance_extension(PeriodKind.APPEL, ETRANGER, "02", served_in=METROPOLE)
    assert (extension.months, extension.article) == (0, "CPC 647")


def test_residence_and_court_validation():
    with pytest.raises(ValueError, match="Collectivité d'outre-mer inconnue"):
        Residence(ResidenceKind.OUTRE_MER, "XX")
    with pytest.raises(ValueError, match="Département inconnu"):
        distance_extension(PeriodKind.APPEL, METROPOLE, "99")
