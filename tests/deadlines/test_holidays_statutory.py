"""Only statutory public holidays extend a deadline (deadlines.engine): C. trav. L.3133-1,
L.3134-13 (Alsace-Moselle), L.3422-2 (abolition of slavery overseas). The `holidays`
package's other days are warnings. Weekdays checked by hand on a 2005-2026 calendar and
asserted, so that a wrong comment cannot hide a wrong expectation."""

import datetime

import pytest
from dateutil.easter import easter as easter_sunday

from deadlines.engine import (
    compute_deadline,
    compute_deadline_before,
    compute_deadline_details,
    is_jour_ouvrable,
    non_statutory_days,
    non_statutory_holidays,
    public_holidays,
)

D = datetime.date


@pytest.mark.parametrize(
    ("year", "whit_monday"),
    [(2005, D(2005, 5, 16)), (2006, D(2006, 6, 5)), (2007, D(2007, 5, 28))],
)
def test_whit_monday_stays_a_holiday_in_2005_2007(year, whit_monday):
    """C. trav. L.3133-1 (then L.222-1): the loi n° 2004-626 made Whit Monday the default
    journée de solidarité without removing it from the fêtes légales; the package drops
    it for those years. Easter 2005: 27 March, 2006: 16 April, 2007: 8 April; + 50 days."""
    assert whit_monday.weekday() == 0
    holidays = public_holidays(year)
    assert holidays[whit_monday] == "Lundi de Pentecôte"
    assert len(holidays) == 11


def test_a_deadline_ending_on_whit_monday_2006_is_extended():
    """CPC 642 with L.3133-1: 15 days from Sunday 21 May 2006 end on Monday 5 June 2006,
    Whit Monday → Tuesday 6 June."""
    assert D(2006, 5, 21).weekday() == 6
    assert compute_deadline(D(2006, 5, 21), days=15) == D(2006, 6, 6)


def test_good_friday_in_guadeloupe_does_not_extend_but_is_reported():
    """L.3422-2 gives Guadeloupe the abolition day only; Good Friday (the package's) is
    not statutory there. 15 days from Thursday 3 April 2025 → Friday 18 April 2025, Good
    Friday: the deadline stays on it, with a warning; counting it would have given
    Tuesday 22 April (week-end, then Easter Monday 21, a statutory holiday)."""
    details = compute_deadline_details(D(2025, 4, 3), days=15, departement="971")
    assert details.last_day == D(2025, 4, 18) and details.last_day.weekday() == 4
    assert details.customary_last_day == D(2025, 4, 22)
    assert details.non_statutory_days == ((D(2025, 4, 18), "Vendredi saint"),)
    # In Moselle Good Friday is statutory (L.3134-13): extended, and no warning.
    moselle = compute_deadline_details(D(2025, 4, 3), days=15, departement="57")
    assert moselle.last_day == D(2025, 4, 22) and moselle.non_statutory_days == ()


def test_mi_careme_is_no_holiday_for_jours_ouvrables():
    """Mi-Carême (Easter 20 April 2025 − 24 days = Thursday 27 March 2025) is a jour
    ouvrable in Guadeloupe. 4 jours ouvrables after Monday 24 March 2025: Tuesday 25 (1),
    Wednesday 26 (2), Thursday 27 (3), Friday 28 (4). Skipping Mi-Carême would give
    Saturday 29 (4), extended by CPC 642 to Monday 31 March."""
    assert is_jour_ouvrable(D(2025, 3, 27), "971")
    details = compute_deadline_details(D(2025, 3, 24), ouvrables=4, departement="971")
    assert details.last_day == D(2025, 3, 28) and details.last_day.weekday() == 4
    assert details.customary_last_day == D(2025, 3, 31)
    assert details.non_statutory_days == ((D(2025, 3, 27), "Mi-Carême"),)


def test_21_july_in_martinique_does_not_extend():
    """1 month from Saturday 21 June 2025 ends on Monday 21 July 2025 (Victor Schoelcher,
    not a statutory holiday): kept, with a warning; the customary reading gives Tuesday."""
    details = compute_deadline_details(D(2025, 6, 21), months=1, departement="972")
    assert details.last_day == D(2025, 7, 21) and details.last_day.weekday() == 0
    assert details.customary_last_day == D(2025, 7, 22)
    assert [day for day, _ in details.non_statutory_days] == [D(2025, 7, 21)]


def test_no_warning_when_no_customary_day_matters():
    """A Mi-Carême in the middle of a two-month deadline changes nothing: no warning."""
    details = compute_deadline_details(D(2025, 3, 3), months=2, departement="971")
    assert details.non_statutory_days == ()
    assert details.last_day == details.customary_last_day == D(2025, 5, 5)


@pytest.mark.parametrize(
    ("departement", "day"),
    [
        ("971", D(2026, 5, 27)),
        ("972", D(2026, 5, 22)),
        ("973", D(2026, 6, 10)),
        ("974", D(2026, 12, 20)),
        ("976", D(2026, 4, 27)),
    ],
)
def test_abolition_days_are_statutory(departement, day):
    """C. trav. L.3422-2, dates of décret n° 83-1003: each overseas département's own day,
    and no other's; none in the Aisne."""
    assert public_holidays(2026, departement)[day] == "Abolition de l'esclavage"
    assert day not in public_holidays(2026, "02")
    others = {"971", "972", "973", "974", "976"} - {departement}
    assert all(day not in public_holidays(2026, other) for other in others)


def test_the_non_statutory_days_listed():
    """The package's extras for 2025: Guadeloupe Good Friday 18 April, Mi-Carême 27 March,
    21 July; Martinique 21 July; none elsewhere (Alsace-Moselle's are statutory)."""
    assert non_statutory_holidays(2025, "971") == {
        D(2025, 3, 27): "Mi-Carême",
        D(2025, 4, 18): "Vendredi saint",
        D(2025, 7, 21): "Fête de Victor Schoelcher",
    }
    assert list(non_statutory_holidays(2025, "972")) == [D(2025, 7, 21)]
    for departement in (None, "02", "57", "67", "974", "976"):
        assert non_statutory_holidays(2025, departement) == {}
    assert list(non_statutory_days(D(2025, 4, 1), D(2025, 12, 31), "971")) == [
        D(2025, 4, 18),
        D(2025, 7, 21),
    ]


def test_statutory_calendar_is_the_eleven_days_every_year():
    """L.3133-1: the eleven days every year 2000 to 2040, Whit Monday included (in 2008
    Ascension fell on 1 May: ten distinct dates), plus Good Friday and 26 December in
    Alsace-Moselle (L.3134-13) and 27 May only in Guadeloupe (L.3422-2)."""
    for year in range(2000, 2041):
        easter = easter_sunday(year)
        national = {D(year, m, d) for m, d in ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15))}
        national |= {D(year, 11, 1), D(year, 11, 11), D(year, 12, 25)}
        national |= {easter + datetime.timedelta(days=n) for n in (1, 39, 50)}
        assert set(public_holidays(year)) == national, year
        alsace = national | {easter - datetime.timedelta(days=2), D(year, 12, 26)}
        assert set(public_holidays(year, "67")) == alsace, year
        assert set(public_holidays(year, "971")) == national | {D(year, 5, 27)}, year


@pytest.mark.parametrize(
    ("hearing", "months", "departement", "expected"),
    [
        # R.322-4 / R.322-31: one month before Monday 2 March 2026 → Monday 2 February.
        (D(2026, 3, 2), 1, None, D(2026, 2, 2)),
        # One month before Tuesday 31 March 2026 → Saturday 28 February → Friday 27.
        (D(2026, 3, 31), 1, None, D(2026, 2, 27)),
        # One month before Monday 26 January 2026 → Friday 26 December 2025, Saint-Étienne
        # in the Bas-Rhin → Wednesday 24 December; a working day in the Aisne.
        (D(2026, 1, 26), 1, "67", D(2025, 12, 24)),
        (D(2026, 1, 26), 1, "02", D(2025, 12, 26)),
    ],
)
def test_deadline_before_a_hearing_moves_to_the_working_day_before(
    hearing, months, departement, expected
):
    """CPC 641 counted back, and never extended forward (CPC 642 runs forward only)."""
    assert compute_deadline_before(hearing, months=months, departement=departement) == expected
    assert expected.weekday() < 5


def test_deadline_before_rejects_bad_lengths():
    with pytest.raises(ValueError, match="une et une seule durée"):
        compute_deadline_before(D(2026, 3, 2))
    with pytest.raises(ValueError, match="entier positif"):
        compute_deadline_before(D(2026, 3, 2), months=-1)
