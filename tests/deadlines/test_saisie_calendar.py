"""The saisie immobilière calendar (deadlines.saisie_calendar), worked by hand from the CPCE
on a 2025-2030 calendar. Pure tests: no database."""

import datetime

import pytest

from deadlines.saisie_calendar import (
    CADUCITE,
    LOCAL_LAW_NOTICE,
    Bound,
    MaritalSituation,
    Prorogation,
    SaisieDates,
    SaisieSequenceError,
    saisie_calendar,
)

D = datetime.date

# Served Monday 3 March 2025, published Thursday 24 April, debtor assigned Tuesday 10 June
# for the orientation hearing of Thursday 4 September; orientation judgment Thursday
# 2 October; adjudication hearing (and adjudication) Thursday 8 January 2026; Aisne.
FULL = SaisieDates(
    commandement_signifie=D(2025, 3, 3),
    publie=D(2025, 4, 24),
    assigne=D(2025, 6, 10),
    audience_orientation_assignation=D(2025, 9, 4),
    jugement_orientation=D(2025, 10, 2),
    audience_adjudication=D(2026, 1, 8),
    adjudication=D(2026, 1, 8),
    departement="02",
    marital_situation=MaritalSituation.NOT_MARRIED,
)


def by_code(calendar):
    return {line.code: line for line in calendar.lines}


def dates(dates_, **changes):
    values = {**dates_.__dict__, **changes}
    return SaisieDates(**values)


def test_r321_6_publication_within_two_months_of_service():
    """R.321-6: 3 March + 2 months = Saturday 3 May 2025 → CPC 642 → Monday 5 May; met by
    the publication of 24 April; critical (R.311-11)."""
    line = by_code(saisie_calendar(FULL))["si_publication"]
    assert (line.date, line.bound, line.article) == (D(2025, 5, 5), Bound.NOT_AFTER, "R.321-6")
    assert line.critical and line.sanction == CADUCITE
    assert line.met is True and line.met_on == D(2025, 4, 24)


def test_r322_4_assignation_within_two_months_of_publication():
    """R.322-4: 24 April + 2 months = Tuesday 24 June 2025; the assignation of 10 June
    meets it; critical."""
    line = by_code(saisie_calendar(FULL))["si_assignation"]
    assert (line.date, line.bound, line.article, line.met) == (
        D(2025, 6, 24),
        Bound.NOT_AFTER,
        "R.322-4",
        True,
    )
    assert line.critical


def test_r322_6_and_r322_10_fifth_jour_ouvrable_after_the_assignation():
    """R.322-6 (dénonciation of the commandement to the registered creditors) and R.322-10
    (cahier des conditions de vente): after Tuesday 10 June 2025, Wednesday 11 (1),
    Thursday 12 (2), Friday 13 (3), Saturday 14 (4), [Sunday], Monday 16 (5)."""
    lines = by_code(saisie_calendar(FULL))
    denonciation, cahier = lines["si_denonciation_creanciers"], lines["si_cahier"]
    assert denonciation.date == cahier.date == D(2025, 6, 16)
    assert denonciation.article == "R.322-6" and cahier.article == "R.322-10"
    assert "commandement aux créanciers inscrits" in denonciation.label
    assert "assignation aux" not in denonciation.label
    assert denonciation.critical and cahier.critical


def test_r322_6_counts_the_courts_holidays():
    """R.322-6 in La Réunion: after Tuesday 16 December 2025, Wednesday 17 (1), Thursday 18
    (2), Friday 19 (3), [Saturday 20, abolition day, not ouvrable there; Sunday], Monday 22
    (4), Tuesday 23 (5). In the Aisne Saturday 20 is the 4th, Monday 22 the 5th."""
    base = SaisieDates(
        commandement_signifie=D(2025, 9, 1), publie=D(2025, 10, 20), assigne=D(2025, 12, 16)
    )
    reunion = by_code(saisie_calendar(dates(base, departement="974")))
    aisne = by_code(saisie_calendar(dates(base, departement="02")))
    assert reunion["si_denonciation_creanciers"].date == D(2025, 12, 23)
    assert aisne["si_denonciation_creanciers"].date == D(2025, 12, 22)


def test_r322_4_one_and_three_months_before_the_hearing():
    """R.322-4: the assignation is served between three months and one month before the
    hearing of Thursday 4 September 2025: not before Wednesday 4 June, not after Monday
    4 August (a working day). Only the three-month limit is under R.311-11."""
    lines = by_code(saisie_calendar(FULL))
    earliest, latest = lines["si_orientation_max"], lines["si_orientation_min"]
    assert (earliest.date, earliest.bound, earliest.critical) == (
        D(2025, 6, 4),
        Bound.NOT_BEFORE,
        True,
    )
    assert (latest.date, latest.bound, latest.critical) == (D(2025, 8, 4), Bound.NOT_AFTER, False)
    assert "pas de caducité" in latest.sanction
    assert earliest.met and latest.met


def test_r322_4_a_late_assignation_stays_flagged_after_a_renvoi():
    """R.322-4: assigned Monday 18 August 2025 for the hearing written as Thursday
    4 September (less than a month: the latest day was Monday 4 August). The hearing
    moved to Thursday 2 October by renvoi does not cure it."""
    late = dates(
        FULL,
        assigne=D(2025, 8, 18),
        audience_orientation=D(2025, 10, 2),
        jugement_orientation=D(2025, 10, 2),
    )
    line = by_code(saisie_calendar(late))["si_orientation_min"]
    assert line.date == D(2025, 8, 4)
    assert line.met is False and line.met_on == D(2025, 8, 18)
    assert "NON RESPECTÉ" in line.text


def test_r322_4_three_month_maximum():
    """R.322-4, three months at most: the hearing of Thursday 11 September 2025 needs an
    assignation on or after Wednesday 11 June; served Tuesday 10 June, too early: the
    critical line is not met (caducité, R.311-11)."""
    early = dates(FULL, audience_orientation_assignation=D(2025, 9, 11))
    line = by_code(saisie_calendar(early))["si_orientation_max"]
    assert (line.date, line.met, line.critical) == (D(2025, 6, 11), False, True)


def test_r322_4_window_of_the_hearing_when_not_yet_fixed():
    """Without a hearing date: the hearing falls from 10 July to 10 September 2025."""
    lines = by_code(saisie_calendar(dates(FULL, audience_orientation_assignation=None)))
    assert lines["si_orientation_min"].date == D(2025, 7, 10)
    assert lines["si_orientation_min"].bound is Bound.NOT_BEFORE
    assert lines["si_orientation_max"].date == D(2025, 9, 10)
    assert lines["si_orientation_max"].bound is Bound.NOT_AFTER


def test_r322_26_adjudication_two_to_four_months_after_the_judgment():
    """R.322-26: judgment Thursday 2 October 2025 → not before Tuesday 2 December 2025, not
    after Monday 2 February 2026; the hearing of 8 January 2026 is within."""
    lines = by_code(saisie_calendar(FULL))
    assert lines["si_adjudication_min"].date == D(2025, 12, 2)
    assert lines["si_adjudication_max"].date == D(2026, 2, 2)
    assert lines["si_adjudication_min"].met and lines["si_adjudication_max"].met


def test_r322_31_publicity_between_two_months_and_one_month_before():
    """R.322-31: hearing Thursday 8 January 2026 → publicity not before Saturday
    8 November 2025, not after Monday 8 December 2025; both critical. Done Wednesday
    5 November: too early."""
    lines = by_code(saisie_calendar(dates(FULL, publicite_vente_fait=D(2025, 11, 5))))
    earliest, latest = lines["si_publicite_min"], lines["si_publicite_max"]
    assert (earliest.date, earliest.bound) == (D(2025, 11, 8), Bound.NOT_BEFORE)
    assert (latest.date, latest.bound) == (D(2025, 12, 8), Bound.NOT_AFTER)
    assert earliest.critical and latest.critical
    assert earliest.met is False and latest.met is True


def test_r322_50_surenchere_ten_days():
    """R.322-50: Thursday 8 January 2026 + 10 days = Sunday 18 → Monday 19 January."""
    line = by_code(saisie_calendar(FULL))["si_surenchere"]
    assert (line.date, line.article) == (D(2026, 1, 19), "R.322-50")


def test_r321_20_peremption_five_years_and_prorogation():
    """R.321-20 (décret 2020-1452): five years from the publication of 24 April 2025 →
    Wednesday 24 April 2030, a péremption (not R.311-11's caducité). R.321-22: a prorogation
    mentioned Friday 1 March 2030 without a day of its own runs five years from its mention
    → Thursday 1 March 2035; one with the day fixed by the judgment takes it."""
    line = by_code(saisie_calendar(FULL))["si_peremption"]
    assert (line.date, line.article, line.critical) == (D(2030, 4, 24), "R.321-20", False)
    assert "péremption" in line.sanction
    prorogated = dates(FULL, prorogations=(Prorogation(D(2030, 3, 1)),))
    line = by_code(saisie_calendar(prorogated))["si_peremption"]
    assert (line.date, line.article) == (D(2035, 3, 1), "R.321-22")
    fixed = dates(FULL, prorogations=(Prorogation(D(2030, 3, 1), until=D(2032, 3, 1)),))
    assert by_code(saisie_calendar(fixed))["si_peremption"].date == D(2032, 3, 1)


def test_r321_22_a_peremption_reached_cannot_be_prorogated():
    late = dates(FULL, prorogations=(Prorogation(D(2030, 4, 25)),))
    with pytest.raises(SaisieSequenceError, match="périmé ne peut plus être prorogé"):
        saisie_calendar(late)


def test_r321_1_spouse_denunciation():
    """R.321-1 al. 3: served Friday 7 March 2025, the property of one spouse being the
    family home: first jour ouvrable after = Saturday 8 → CPC 642 → Monday 10 March.
    Critical (R.311-11). No line for a debtor who is not married; a line to check when the
    marital situation is unknown."""
    base = SaisieDates(commandement_signifie=D(2025, 3, 7), departement="02")
    married = dates(base, marital_situation=MaritalSituation.MARRIED, family_home=True)
    line = by_code(saisie_calendar(married))["si_denonciation_conjoint"]
    assert (line.date, line.article, line.critical) == (D(2025, 3, 10), "R.321-1", True)
    assert "à vérifier" not in line.label
    single = dates(base, marital_situation=MaritalSituation.NOT_MARRIED)
    assert "si_denonciation_conjoint" not in by_code(saisie_calendar(single))
    not_home = dates(base, marital_situation=MaritalSituation.MARRIED, family_home=False)
    assert "si_denonciation_conjoint" not in by_code(saisie_calendar(not_home))
    unknown = by_code(saisie_calendar(base))["si_denonciation_conjoint"]
    assert "à vérifier" in unknown.label


def test_lines_are_sorted_by_date():
    lines = saisie_calendar(FULL).lines
    assert [line.date for line in lines] == sorted(line.date for line in lines)
    # no R.321-1: the debtor is not married; R.322-56: the price, after the adjudication
    assert len(lines) == 13


def test_only_lines_known_from_the_dates_given():
    """From the service alone: R.321-6 and (marital situation unknown) R.321-1."""
    lines = saisie_calendar(SaisieDates(commandement_signifie=D(2025, 3, 3))).lines
    assert [line.article for line in lines] == ["R.321-1", "R.321-6"]


def test_non_statutory_holiday_is_a_warning_on_the_line():
    """R.321-6 in Martinique: served Wednesday 21 May 2025 → Monday 21 July 2025, Victor
    Schoelcher day, not a statutory holiday: the deadline stays, with a warning."""
    calendar = saisie_calendar(SaisieDates(commandement_signifie=D(2025, 5, 21), departement="972"))
    line = by_code(calendar)["si_publication"]
    assert line.date == D(2025, 7, 21)
    assert line.warnings and "n'est pas un jour férié légal" in line.warnings[0]


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_gets_the_local_law_notice(departement):
    """Loi du 1er juin 1924: no CPCE calendar in 57, 67, 68."""
    calendar = saisie_calendar(dates(FULL, departement=departement))
    assert calendar.lines == () and calendar.local_law_notice == LOCAL_LAW_NOTICE
    assert "loi du 1er juin 1924" in LOCAL_LAW_NOTICE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"commandement_signe": D(2025, 3, 4)},
            "la signification du commandement .03/03/2025. "
            "doit venir au plus tôt le jour de la signature",
        ),
        ({"publie": D(2025, 3, 3)}, "la publication du commandement .03/03/2025. doit venir après"),
        ({"assigne": D(2025, 4, 24)}, "l'assignation du débiteur .24/04/2025. doit venir après"),
        ({"audience_orientation_assignation": D(2025, 6, 10)}, "l'audience d'orientation"),
        ({"jugement_orientation": D(2025, 9, 3)}, "le jugement d'orientation"),
        ({"audience_adjudication": D(2025, 10, 2)}, "l'audience d'adjudication"),
        ({"adjudication": D(2026, 1, 7)}, "l'adjudication .07/01/2026."),
        # Monday 14 July 2025, Fête nationale; Saturday 10 January 2026.
        ({"audience_orientation_assignation": D(2025, 7, 14)}, r"jour férié \(Fête nationale\)"),
        ({"audience_adjudication": D(2026, 1, 10), "adjudication": D(2026, 1, 10)}, "un samedi"),
    ],
)
def test_sequence_checks(changes, message):
    with pytest.raises(SaisieSequenceError, match=message):
        saisie_calendar(dates(FULL, **changes))


def test_signed_the_day_it_is_served_is_in_sequence():
    assert saisie_calendar(dates(FULL, commandement_signe=D(2025, 3, 3))).lines


def test_unknown_departement():
    with pytest.raises(ValueError, match="Département inconnu"):
        saisie_calendar(dates(FULL, departement="99"))
