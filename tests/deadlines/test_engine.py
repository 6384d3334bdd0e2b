"""Legal deadlines (CPC art. 640-642): worked examples derived from the articles on real
2024-2027 calendars, then properties that hold for any start, length and département.

Every worked example states the weekday of the dates it relies on, and the test checks the
weekday of the expected date too, so a wrong comment cannot hide a wrong expectation."""

import datetime

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.validators import add_months, add_years
from deadlines.engine import (
    DEPARTEMENT_SUBDIVISIONS,
    compute_deadline,
    holiday_subdivision,
    is_jour_ouvrable,
    is_working_day,
    public_holidays,
)

D = datetime.date
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def check(start, expected, weekday, departement=None, **length):
    result = compute_deadline(start, departement=departement, **length)
    assert result == expected
    assert WEEKDAYS[result.weekday()] == weekday


# --- Months and years: the same day number, or the last day of a shorter month (CPC 641) --


@pytest.mark.parametrize(
    ("start", "months", "expected", "weekday"),
    [
        # 31 January 2025 + 1 month: February 2025 has no 31st → its last day, Friday 28.
        (D(2025, 1, 31), 1, D(2025, 2, 28), "vendredi"),
        # 2024 is a leap year: the last day of February is Thursday 29.
        (D(2024, 1, 31), 1, D(2024, 2, 29), "jeudi"),
        # 31 January 2026 → Saturday 28 February 2026 → CPC 642: Monday 2 March.
        (D(2026, 1, 31), 1, D(2026, 3, 2), "lundi"),
        # 31 January 2027 → Sunday 28 February 2027 → Monday 1 March.
        (D(2027, 1, 31), 1, D(2027, 3, 1), "lundi"),
        # 31 March 2025 → April has 30 days → Wednesday 30 April.
        (D(2025, 3, 31), 1, D(2025, 4, 30), "mercredi"),
        # The same day number, not the end of the month: 30 April → Friday 30 May 2025.
        (D(2025, 4, 30), 1, D(2025, 5, 30), "vendredi"),
        # R.321-6 (publish within 2 months of service): served Monday 31 August 2026 →
        # 31 October is a Saturday, Sunday 1 November is Toussaint → Monday 2 November.
        (D(2026, 8, 31), 2, D(2026, 11, 2), "lundi"),
        # CPC 538 (appeal, 1 month): notified Friday 14 June 2024 → Sunday 14 July 2024,
        # both a Sunday and the Fête nationale → Monday 15 July.
        (D(2024, 6, 14), 1, D(2024, 7, 15), "lundi"),
        # Notified Saturday 14 June 2025 → Monday 14 July 2025 (Fête nationale) → Tuesday 15.
        (D(2025, 6, 14), 1, D(2025, 7, 15), "mardi"),
        # 1 April 2026 → Friday 1 May 2026 (Fête du Travail), then the week-end → Monday 4 May.
        (D(2026, 4, 1), 1, D(2026, 5, 4), "lundi"),
        # 1 October 2024 → Friday 1 November 2024 (Toussaint) → Monday 4 November.
        (D(2024, 10, 1), 1, D(2024, 11, 4), "lundi"),
    ],
)
def test_months(start, months, expected, weekday):
    check(start, expected, weekday, months=months)


@pytest.mark.parametrize(
    ("start", "years", "expected", "weekday"),
    [
        # 29 February 2024 + 1 year: no 29 February in 2025 → Friday 28 February 2025.
        (D(2024, 2, 29), 1, D(2025, 2, 28), "vendredi"),
        # + 2 years: Saturday 28 February 2026 → Monday 2 March (R.321-20's two years).
        (D(2024, 2, 29), 2, D(2026, 3, 2), "lundi"),
        # + 4 years: 2028 is a leap year → Tuesday 29 February 2028.
        (D(2024, 2, 29), 4, D(2028, 2, 29), "mardi"),
    ],
)
def test_years(start, years, expected, weekday):
    check(start, expected, weekday, years=years)


# --- Days: the starting day is not counted (CPC 641), then CPC 642 -------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected", "weekday"),
    [
        # R.121-20 (JEX appeal, 15 days): notified Monday 2 December 2024 → Tuesday 17.
        (D(2024, 12, 2), 15, D(2024, 12, 17), "mardi"),
        # Notified Tuesday 17 December 2024 → Wednesday 1 January 2025 (Jour de l'an) →
        # Thursday 2 January.
        (D(2024, 12, 17), 15, D(2025, 1, 2), "jeudi"),
        # Monday 27 October 2025 → Tuesday 11 November 2025 (Armistice) → Wednesday 12.
        (D(2025, 10, 27), 15, D(2025, 11, 12), "mercredi"),
        # Thursday 23 April 2026 → Friday 8 May 2026 (Victoire) → Monday 11 May.
        (D(2026, 4, 23), 15, D(2026, 5, 11), "lundi"),
        # R.322-50 (surenchère, 10 days): adjudication Thursday 21 November 2024 → Sunday
        # 1 December → Monday 2 December.
        (D(2024, 11, 21), 10, D(2024, 12, 2), "lundi"),
        # From a Saturday (Saturday 4 January 2025): + 15 → Sunday 19 → Monday 20 January.
        (D(2025, 1, 4), 15, D(2025, 1, 20), "lundi"),
        # Not counting the starting day: 1 day after Wednesday 15 January 2025 is Thursday 16.
        (D(2025, 1, 15), 1, D(2025, 1, 16), "jeudi"),
        # A holiday as starting day changes nothing: Monday 14 July 2025 + 1 → Tuesday 15.
        (D(2025, 7, 14), 1, D(2025, 7, 15), "mardi"),
        # Zero days: the starting day itself if a working day (Wednesday 15 January 2025)…
        (D(2025, 1, 15), 0, D(2025, 1, 15), "mercredi"),
        # …else the next working day (Saturday 11 January 2025 → Monday 13).
        (D(2025, 1, 11), 0, D(2025, 1, 13), "lundi"),
    ],
)
def test_days(start, days, expected, weekday):
    check(start, expected, weekday, days=days)


# --- Local calendars: Alsace-Moselle and overseas -------------------------------------------


@pytest.mark.parametrize(
    ("start", "length", "departement", "expected", "weekday"),
    [
        # 15 days from Thursday 19 March 2026 end on Friday 3 April 2026, Good Friday: an
        # ordinary Friday in the Aisne, a holiday in Alsace-Moselle, where Saturday, Sunday
        # and Easter Monday 6 April follow → Tuesday 7 April.
        (D(2026, 3, 19), {"days": 15}, "02", D(2026, 4, 3), "vendredi"),
        (D(2026, 3, 19), {"days": 15}, None, D(2026, 4, 3), "vendredi"),
        (D(2026, 3, 19), {"days": 15}, "57", D(2026, 4, 7), "mardi"),
        (D(2026, 3, 19), {"days": 15}, "67", D(2026, 4, 7), "mardi"),
        (D(2026, 3, 19), {"days": 15}, "68", D(2026, 4, 7), "mardi"),
        # 15 days from Thursday 11 December 2025 → Friday 26 December 2025: a working day in
        # the Aisne, Saint-Étienne in Moselle (→ week-end → Monday 29 December).
        (D(2025, 12, 11), {"days": 15}, "02", D(2025, 12, 26), "vendredi"),
        (D(2025, 12, 11), {"days": 15}, "57", D(2025, 12, 29), "lundi"),
        # From Wednesday 10 December 2025: Thursday 25 December (Noël) → Friday 26 in the
        # Aisne; in the Bas-Rhin the 26th is a holiday too → Monday 29.
        (D(2025, 12, 10), {"days": 15}, "02", D(2025, 12, 26), "vendredi"),
        (D(2025, 12, 10), {"days": 15}, "67", D(2025, 12, 29), "lundi"),
        # 1 month from Tuesday 26 November 2024 → Thursday 26 December 2024: kept in the
        # Aisne, → Friday 27 in the Haut-Rhin.
        (D(2024, 11, 26), {"months": 1}, "02", D(2024, 12, 26), "jeudi"),
        (D(2024, 11, 26), {"months": 1}, "68", D(2024, 12, 27), "vendredi"),
        # Friday 25 December 2026 (Noël) → Saturday 26 (Saint-Étienne in Alsace, but a
        # Saturday anyway) → Sunday → Monday 28, the same everywhere.
        (D(2026, 12, 10), {"days": 15}, "02", D(2026, 12, 28), "lundi"),
        (D(2026, 12, 10), {"days": 15}, "67", D(2026, 12, 28), "lundi"),
        # La Réunion: Friday 20 December 2024 (abolition of slavery) → Monday 23 December.
        (D(2024, 12, 5), {"days": 15}, "974", D(2024, 12, 23), "lundi"),
        (D(2024, 12, 5), {"days": 15}, "02", D(2024, 12, 20), "vendredi"),
        # Guadeloupe: 1 month from Sunday 27 April 2025 → Tuesday 27 May 2025 (abolition of
        # slavery in Guadeloupe) → Wednesday 28 May.
        (D(2025, 4, 27), {"months": 1}, "971", D(2025, 5, 28), "mercredi"),
        (D(2025, 4, 27), {"months": 1}, "02", D(2025, 5, 27), "mardi"),
        # Martinique: Thursday 22 May 2025 (abolition of slavery) → Friday 23 May.
        (D(2025, 5, 7), {"days": 15}, "972", D(2025, 5, 23), "vendredi"),
        (D(2025, 5, 7), {"days": 15}, "02", D(2025, 5, 22), "jeudi"),
        # Guyane: 15 days from Sunday 25 May 2025 → Monday 9 June (Lundi de Pentecôte,
        # everywhere) → Tuesday 10 June, abolition of slavery in Guyane → Wednesday 11 June.
        (D(2025, 5, 25), {"days": 15}, "973", D(2025, 6, 11), "mercredi"),
        (D(2025, 5, 25), {"days": 15}, "02", D(2025, 6, 10), "mardi"),
        # Mayotte: Monday 27 April 2026 (abolition of slavery) → Tuesday 28 April.
        (D(2026, 4, 12), {"days": 15}, "976", D(2026, 4, 28), "mardi"),
        (D(2026, 4, 12), {"days": 15}, "02", D(2026, 4, 27), "lundi"),
        # Corsica follows the national calendar.
        (D(2025, 12, 11), {"days": 15}, "2A", D(2025, 12, 26), "vendredi"),
        (D(2025, 12, 11), {"days": 15}, "2b", D(2025, 12, 26), "vendredi"),
    ],
)
def test_local_calendars(start, length, departement, expected, weekday):
    check(start, expected, weekday, departement=departement, **length)


# --- Jours ouvrables: every day but Sundays and holidays -------------------------------------


@pytest.mark.parametrize(
    ("start", "ouvrables", "departement", "expected", "weekday"),
    [
        # R.322-6 / R.322-10 (5th jour ouvrable after the assignation). Assigned Thursday
        # 17 April 2025: Friday 18 (1), Saturday 19 (2), [Sunday 20, Easter Monday 21],
        # Tuesday 22 (3), Wednesday 23 (4), Thursday 24 (5).
        (D(2025, 4, 17), 5, "02", D(2025, 4, 24), "jeudi"),
        # In Alsace Good Friday 18 is not ouvrable either: Saturday 19 (1), Tuesday 22 (2),
        # Wednesday 23 (3), Thursday 24 (4), Friday 25 (5).
        (D(2025, 4, 17), 5, "67", D(2025, 4, 25), "vendredi"),
        # Tuesday 23 December 2025: Wednesday 24 (1), [Noël], Friday 26 (2), Saturday 27 (3),
        # [Sunday], Monday 29 (4), Tuesday 30 (5)…
        (D(2025, 12, 23), 5, "02", D(2025, 12, 30), "mardi"),
        # …and in the Bas-Rhin, without Saint-Étienne 26: Wednesday 31 December.
        (D(2025, 12, 23), 5, "67", D(2025, 12, 31), "mercredi"),
        # Wednesday 6 May 2026: Thursday 7 (1), [Friday 8 May], Saturday 9 (2), [Sunday],
        # Monday 11 (3), Tuesday 12 (4), Wednesday 13 (5).
        (D(2026, 5, 6), 5, None, D(2026, 5, 13), "mercredi"),
        # Monday 11 May 2026: Tuesday 12 (1), Wednesday 13 (2), [Ascension 14], Friday 15 (3),
        # Saturday 16 (4), [Sunday], Monday 18 (5).
        (D(2026, 5, 11), 5, None, D(2026, 5, 18), "lundi"),
        # The 5th jour ouvrable after Monday 6 January 2025 is Saturday 11 January: a
        # deadline ending on a Saturday is extended by CPC 642 → Monday 13 January.
        (D(2025, 1, 6), 5, None, D(2025, 1, 13), "lundi"),
        # The starting day is not counted: 1 jour ouvrable after Saturday 11 January 2025 is
        # Monday 13 (Sunday is not ouvrable); after Friday 10 it is Saturday 11 → Monday 13.
        (D(2025, 1, 11), 1, None, D(2025, 1, 13), "lundi"),
        (D(2025, 1, 10), 1, None, D(2025, 1, 13), "lundi"),
    ],
)
def test_jours_ouvrables(start, ouvrables, departement, expected, weekday):
    check(start, expected, weekday, departement=departement, ouvrables=ouvrables)


# --- Helpers -----------------------------------------------------------------------------------


def test_working_days_and_jours_ouvrables():
    saturday, sunday, monday = D(2025, 1, 11), D(2025, 1, 12), D(2025, 1, 13)
    assert not is_working_day(saturday) and is_jour_ouvrable(saturday)
    assert not is_working_day(sunday) and not is_jour_ouvrable(sunday)
    assert is_working_day(monday) and is_jour_ouvrable(monday)
    good_friday = D(2025, 4, 18)
    assert is_working_day(good_friday, "02") and is_jour_ouvrable(good_friday, "02")
    for departement in ("57", "67", "68"):
        assert not is_working_day(good_friday, departement)
        assert not is_jour_ouvrable(good_friday, departement)
    assert not is_working_day(D(2025, 12, 20), "974")  # a Saturday, and a holiday there


def test_public_holidays():
    national = public_holidays(2026)
    assert len(national) == 11  # the eleven days of Code du travail L.3133-1
    assert national[D(2026, 7, 14)] == "Fête nationale"
    assert national[D(2026, 5, 25)] == "Lundi de Pentecôte"
    assert public_holidays(2026, "02") == national
    assert list(national) == sorted(national)

    alsace = public_holidays(2026, "67")
    assert set(alsace) - set(national) == {D(2026, 4, 3), D(2026, 12, 26)}
    assert alsace[D(2026, 4, 3)] == "Vendredi saint"
    assert public_holidays(2026, "57") == alsace == public_holidays(2026, "68")

    assert public_holidays(2026, "974")[D(2026, 12, 20)] == "Abolition de l'esclavage"

    # A copy: changing it does not change the cached calendar.
    national.clear()
    assert len(public_holidays(2026)) == 11


def test_subdivisions_exist_in_the_installed_holidays_package():
    # Guards against an older `holidays` (before 0.76 the subdivisions had other codes).
    for subdivision in DEPARTEMENT_SUBDIVISIONS.values():
        assert subdivision in holidays.France.subdivisions
    assert holiday_subdivision(None) is None
    assert holiday_subdivision("02") is None
    assert holiday_subdivision("2A") is None
    assert holiday_subdivision("67") == holiday_subdivision("68") == "6AE"
    assert holiday_subdivision("57") == "57"
    assert holiday_subdivision(" 974 ") == "974"


# --- Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lengths", "message"),
    [
        ({}, "une et une seule durée"),
        ({"days": 15, "months": 1}, "une et une seule durée"),
        ({"months": 1, "ouvrables": 5}, "une et une seule durée"),
        ({"days": -1}, "nombre entier positif ou nul"),
        ({"ouvrables": -5}, "nombre entier positif ou nul"),
        ({"months": 1.5}, "nombre entier positif ou nul"),
        ({"days": "15"}, "nombre entier positif ou nul"),
        ({"years": True}, "nombre entier positif ou nul"),
        ({"days": 15, "departement": "20"}, "Département inconnu : « 20 »"),
        ({"days": 15, "departement": "99"}, "Département inconnu"),
        ({"days": 15, "departement": "977"}, "Département inconnu"),
        ({"days": 15, "departement": ""}, "Département inconnu"),
        ({"days": 15, "departement": "Moselle"}, "Département inconnu"),
        ({"days": 10**10}, "au-delà de l'an 9999"),
        ({"years": 8000}, "au-delà de l'an 9999"),
        ({"days": 365 * 80}, "jours fériés ne sont connus que de"),
        ({"ouvrables": 365 * 80}, "jours fériés ne sont connus que de"),
    ],
)
def test_invalid_arguments(lengths, message):
    with pytest.raises(ValueError, match=message):
        compute_deadline(D(2025, 1, 15), **lengths)


def test_helpers_reject_unknown_departements_and_datetimes():
    with pytest.raises(ValueError, match="Département inconnu"):
        is_working_day(D(2025, 1, 15), "100")
    with pytest.raises(ValueError, match="Département inconnu"):
        public_holidays(2025, "6AE")  # the package's code, not a département
    with pytest.raises(TypeError, match="datetime.date"):
        compute_deadline(datetime.datetime(2025, 1, 15, 12, 0), days=15)
    with pytest.raises(TypeError, match="datetime.date"):
        is_jour_ouvrable("2025-01-15")


# --- Properties ----------------------------------------------------------------------------

DEPARTEMENTS = [None, "02", "2A", "13", "57", "67", "68", "971", "972", "973", "974", "976"]
starts = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))
departements = st.sampled_from(DEPARTEMENTS)
lengths = st.one_of(
    st.builds(dict, days=st.integers(0, 400)),
    st.builds(dict, months=st.integers(0, 36)),
    st.builds(dict, years=st.integers(0, 8)),
    st.builds(dict, ouvrables=st.integers(0, 60)),
)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def plain(start, length):
    """The last day by bare arithmetic, before CPC 642 and without skipping any day."""
    ((unit, n),) = length.items()
    if unit == "months":
        return add_months(start, n)
    if unit == "years":
        return add_years(start, n)
    return start + datetime.timedelta(days=n)


@PROPERTY_SETTINGS
@given(start=starts, length=lengths, departement=departements)
def test_a_deadline_ends_on_a_working_day_of_its_calendar(start, length, departement):
    result = compute_deadline(start, departement=departement, **length)
    assert result.weekday() < 5
    assert result not in public_holidays(result.year, departement)
    assert is_working_day(result, departement)


@PROPERTY_SETTINGS
@given(start=starts, length=lengths, departement=departements)
def test_a_deadline_is_never_earlier_than_plain_arithmetic(start, length, departement):
    result = compute_deadline(start, departement=departement, **length)
    assert result >= plain(start, length)
    if "ouvrables" not in length:
        # CPC 642 only adds days off in a row: at most four (Good Friday to Easter Monday in
        # Alsace-Moselle; a Thursday and a Friday holiday, then the week-end).
        assert result - plain(start, length) <= datetime.timedelta(days=4)


@PROPERTY_SETTINGS
@given(
    start=starts,
    later_by=st.integers(0, 60),
    length=lengths,
    departement=departements,
)
def test_a_later_start_never_gives_an_earlier_deadline(start, later_by, length, departement):
    later = start + datetime.timedelta(days=later_by)
    assert compute_deadline(start, departement=departement, **length) <= compute_deadline(
        later, departement=departement, **length
    )


@PROPERTY_SETTINGS
@given(start=starts, ouvrables=st.integers(1, 60), departement=departements)
def test_jours_ouvrables_are_counted_exactly(start, ouvrables, departement):
    result = compute_deadline(start, ouvrables=ouvrables, departement=departement)
    assert result >= start + datetime.timedelta(days=ouvrables)
    following = (start + datetime.timedelta(days=n) for n in range(1, (result - start).days + 1))
    counted = [day for day in following if is_jour_ouvrable(day, departement)]
    assert counted[-1] == result
    if len(counted) != ouvrables:
        # The N-th jour ouvrable was a Saturday, extended by CPC 642 to the next working day.
        assert len(counted) == ouvrables + 1
        assert counted[-2].weekday() == 5
