"""The years the holiday calendar covers, both ends included (deadlines.engine): a deadline
may start and end in the first or the last of them; one year further is refused in
French rather than computed without holidays."""

import datetime

import pytest

from deadlines.engine import FIRST_YEAR, LAST_YEAR, compute_deadline, public_holidays


@pytest.mark.parametrize("year", [FIRST_YEAR, LAST_YEAR])
def test_the_first_and_last_known_years_have_their_holidays(year):
    holidays = public_holidays(year)
    assert datetime.date(year, 12, 25) in holidays
    assert compute_deadline(datetime.date(year, 3, 2), days=10) >= datetime.date(year, 3, 12)


@pytest.mark.parametrize("year", [FIRST_YEAR - 1, LAST_YEAR + 1])
def test_a_year_outside_the_calendar_is_refused(year):
    with pytest.raises(ValueError, match=f"impossible de calculer un délai en {year}"):
        public_holidays(year)
