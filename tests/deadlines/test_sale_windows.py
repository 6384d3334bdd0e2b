"""The saisie immobilière after the orientation judgment, on plain dates: the hearings the
judge fixes and their windows, and the two months of the price (pure functions)."""

import datetime

import pytest

from deadlines.saisie_calendar import WINDOWS, SaisieDates, saisie_calendar

D = datetime.date


def test_r322_56_the_price_within_two_months_of_the_adjudication():
    """R.322-56: the price consigned within two months of the adjudication, à peine de
    réitération des enchères: Thursday 8 January 2026 + 2 months = Sunday 8 March → CPC 642
    → Monday 9 March. Not a caducité of the commandement (R.311-11): not critical."""
    dates = SaisieDates(
        commandement_signifie=D(2025, 3, 3),
        audience_adjudication=D(2026, 1, 8),
        adjudication=D(2026, 1, 8),
        departement="02",
    )
    line = next(line for line in saisie_calendar(dates).lines if line.code == "si_paiement_prix")
    assert (line.date, line.article, line.critical) == (D(2026, 3, 9), "R.322-56", False)
    assert "réitération des enchères" in line.sanction


@pytest.mark.parametrize(
    ("window", "start", "day", "refused"),
    [
        # R.322-26: two to four months after the judgment ordering the forced sale.
        ("adjudication", D(2026, 1, 15), D(2026, 3, 14), True),
        ("adjudication", D(2026, 1, 15), D(2026, 3, 16), False),
        ("adjudication", D(2026, 1, 15), D(2026, 5, 15), False),
        ("adjudication", D(2026, 1, 15), D(2026, 5, 19), True),
        # R.322-21: the recall hearing within four months.
        ("rappel", D(2026, 1, 15), D(2026, 1, 15), True),
        ("rappel", D(2026, 1, 15), D(2026, 2, 2), False),
        # R.322-21: the one extra delay, three months at most.
        ("delai_supplementaire", D(2026, 5, 12), D(2026, 8, 12), False),
        ("delai_supplementaire", D(2026, 5, 12), D(2026, 9, 1), True),
        # R.322-53 and R.322-69: two to four months again.
        ("surenchere", D(2026, 1, 20), D(2026, 2, 20), True),
        ("reiteration", D(2026, 1, 20), D(2026, 4, 20), False),
    ],
)
def test_the_hearings_the_judge_fixes_fall_in_their_window(window, start, day, refused):
    problem = WINDOWS[window].problem(start, day, "02")
    assert bool(problem) == refused
    if refused:
        assert WINDOWS[window].article in problem and "mois après" in problem


def test_the_window_says_its_bounds_in_french():
    problem = WINDOWS["adjudication"].problem(D(2026, 1, 15), D(2026, 2, 2), "02")
    assert problem == (
        "L'audience d'adjudication doit se tenir entre deux et quatre mois après le jugement "
        "qui ordonne la vente forcée (CPCE R.322-26) : entre le 15/03/2026 et le 15/05/2026, "
        "et non le 02/02/2026."
    )
