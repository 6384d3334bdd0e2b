"""The saisie immobilière's calendar on a case (issue 15): péremption and prorogation,
the missing critical deadlines, R.322-4 judged on the hearing written in the assignation,
R.322-6's wording, R.322-31's window, the sequence checks and the hearings' kinds. Dates
worked by hand from the texts (CPC 640-642, the Aisne's statutory public holidays)."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.enums import DebtorKind, EventKind, HearingKind, MaritalSituation
from cases.models import Hearing, PropertyTarget
from deadlines import rules, services
from deadlines.enums import DeadlineStatus, ProcedureActKind
from deadlines.saisie_calendar import RULES, SaisieDates, saisie_calendar

from .conftest import starting_act

pytestmark = pytest.mark.django_db
D = datetime.date
PAU = ProcedureActKind


def by_template(case):
    return {d.template: d for d in case.deadlines.all()}


def act(case, user, kind, date, **kwargs):
    return services.record_procedure_act(case, user, kind=kind, date=date, **kwargs)


def hearing(case, user, day, kind, purpose=""):
    return Hearing.objects.create(
        case=case,
        court="TJ de Laon",
        scheduled_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30))),
        kind=kind,
        purpose=purpose,
        created_by=user,
    )


# --- R.321-20 / R.321-22 -----------------------------------------------------------------


def test_peremption_is_five_years_after_publication(users, engaged_case):
    """R.321-20 as amended by décret 2020-1452: published Sunday 20 February 2022, the
    commandement is périmé five years later; 20 February 2027 is a Saturday: Monday 22
    (CPC 642). A péremption, not a caducité; met by the adjudication judgment published."""
    case = engaged_case()
    jurist = users["jurist"]
    act(case, jurist, PAU.PUBLICATION, D(2022, 2, 20))
    peremption = by_template(case)["si_peremption"]
    assert peremption.due_date == D(2027, 2, 22)
    assert "Péremption" in peremption.label and "caducité" not in peremption.label.lower()
    assert "R.321-20" in peremption.basis and "5 ans" in peremption.basis
    assert not peremption.critical
    act(case, jurist, PAU.ADJUDICATION_PUBLISHED, D(2026, 10, 1))
    peremption.refresh_from_db()
    assert peremption.status == DeadlineStatus.DONE


def test_a_vente_amiable_published_meets_the_peremption(users, engaged_case):
    """R.321-20: the judgment recording the vente amiable, published, also meets it."""
    case = engaged_case()
    act(case, users["jurist"], PAU.PUBLICATION, D(2022, 2, 20))
    act(case, users["jurist"], PAU.VENTE_AMIABLE_PUBLISHED, D(2026, 3, 2))
    assert by_template(case)["si_peremption"].status == DeadlineStatus.DONE


def test_a_prorogation_moves_the_peremption(users, engaged_case):
    """R.321-22: a prorogation mentioned on Monday 15 June 2026 with no date of its own
    runs five years from its mention: 15 June 2031 is a Sunday, Monday 16 June (CPC 642);
    one that fixes 1 March 2029 ends then. Each move is a « Échéances recalculées » entry."""
    case = engaged_case()
    jurist = users["jurist"]
    act(case, jurist, PAU.PUBLICATION, D(2022, 2, 20))
    act(case, jurist, PAU.PROROGATION, D(2026, 6, 15))
    peremption = by_template(case)["si_peremption"]
    assert peremption.due_date == D(2031, 6, 16)
    assert peremption.is_open
    event = case.events.filter(kind=EventKind.DEADLINES_RECOMPUTED).get()
    assert "22/02/2027 → 16/06/2031" in event.summary and "R.321-22" in event.reason
    act(case, jurist, PAU.PROROGATION, D(2026, 9, 1), until=D(2029, 3, 1))
    peremption.refresh_from_db()
    assert peremption.due_date == D(2029, 3, 1)
    assert case.events.filter(kind=EventKind.DEADLINES_RECOMPUTED).count() == 2


def test_a_commandement_perime_cannot_be_prorogated(users, engaged_case):
    """R.321-22: published 20 February 2020, périmé on Monday 20 February 2025: a
    prorogation of 2026 comes too late; nothing is saved."""
    case = engaged_case()
    jurist = users["jurist"]
    act(case, jurist, PAU.PUBLICATION, D(2020, 2, 20))
    with pytest.raises(ValidationError, match="périmé"):
        act(case, jurist, PAU.PROROGATION, D(2026, 1, 5))
    assert not case.procedure_acts.filter(kind=PAU.PROROGATION).exists()
    with pytest.raises(ValidationError, match="publication du commandement"):
        act(engaged_case(), jurist, PAU.PROROGATION, D(2026, 1, 5))


def test_the_prorogation_is_recorded_through_the_workflow_step(users, engaged_case):
    """The procedure act form carries the new end of the effects."""
    from workflows.steps import ProcedureActForm

    case = engaged_case()
    form = ProcedureActForm(
        {"kind": "prorogation", "date": "2026-06-15", "until": "2029-03-01"},
        case=case,
        user=users["jurist"],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["until"] == D(2029, 3, 1)


# --- R.321-1 al. 3 -------------------------------------------------------------------------


def married_debtor(case, family_home=True, marital=MaritalSituation.MARRIED):
    debtor = case.debtor
    debtor.kind, debtor.first_name, debtor.marital_situation = (
        DebtorKind.NATURAL,
        "Jean",
        marital,
    )
    debtor.save()
    PropertyTarget.objects.filter(case=case).update(family_home=family_home)


def test_the_spouse_is_denounced_the_next_working_day(users, engaged_case):
    """R.321-1 al. 3: the commandement served on Monday 13 July 2026 on a married debtor
    whose own property is the family home is denounced to the spouse no later than the
    first jour ouvrable after: Tuesday 14 July is a public holiday, so Wednesday 15 July.
    Critical (R.311-11)."""
    case = engaged_case()
    jurist = users["jurist"]
    married_debtor(case)
    services.on_starting_act(case, jurist, starting_act(case, jurist, D(2026, 7, 13)))
    spouse = by_template(case)["si_denonciation_conjoint"]
    assert spouse.due_date == D(2026, 7, 15)
    assert spouse.critical and "R.321-1" in spouse.basis
    assert "à vérifier" not in spouse.label
    act(case, jurist, PAU.DENONCIATION_CONJOINT, D(2026, 7, 15))
    spouse.refresh_from_db()
    assert spouse.status == DeadlineStatus.DONE and not spouse.is_late
    # The calendar of the calculator gives the same day.
    line = {
        line.code: line
        for line in saisie_calendar(
            SaisieDates(
                commandement_signifie=D(2026, 7, 13),
                departement="02",
                marital_situation=MaritalSituation.MARRIED,
                family_home=True,
            )
        ).lines
    }["si_denonciation_conjoint"]
    assert line.date == spouse.due_date


@pytest.mark.parametrize(
    "family_home, marital, expected",
    [
        (False, MaritalSituation.MARRIED, None),
        (True, MaritalSituation.NOT_MARRIED, None),
        (True, "", "à vérifier"),
        (None, MaritalSituation.MARRIED, "à vérifier"),
    ],
)
def test_no_spouse_deadline_unless_married_and_family_home(
    users, engaged_case, family_home, marital, expected
):
    """R.321-1 al. 3 applies to a married debtor's family home only; while the referral
    leaves either unknown the deadline is shown, marked to be checked."""
    case = engaged_case()
    jurist = users["jurist"]
    married_debtor(case, family_home=family_home, marital=marital)
    services.on_starting_act(case, jurist, starting_act(case, jurist, D(2026, 7, 13)))
    spouse = by_template(case).get("si_denonciation_conjoint")
    if expected is None:
        assert spouse is None
    else:
        assert expected in spouse.label


def test_a_legal_person_has_no_spouse(users, engaged_case):
    case = engaged_case()
    assert case.debtor.kind == DebtorKind.LEGAL
    jurist = users["jurist"]
    services.on_starting_act(case, jurist, starting_act(case, jurist, D(2026, 7, 13)))
    assert "si_denonciation_conjoint" not in by_template(case)


# --- R.322-4 -------------------------------------------------------------------------------


def test_r322_4_both_limits_judged_on_the_written_hearing(users, engaged_case):
    """R.322-4: assignation of Thursday 30 April 2026 for the hearing written in it, Monday
    15 June 2026: at the latest one month before, Friday 15 May (met), and the hearing no
    later than three months after the assignation, 30 July (met; critical, R.311-11)."""
    case = engaged_case()
    act(case, users["jurist"], PAU.ASSIGNATION, D(2026, 4, 30), hearing_on=D(2026, 6, 15))
    deadlines = by_template(case)
    minimum, maximum = deadlines["si_orientation_min"], deadlines["si_orientation_max"]
    assert (minimum.due_date, minimum.status, minimum.is_late) == (
        D(2026, 5, 15),
        DeadlineStatus.DONE,
        False,
    )
    assert not minimum.critical
    assert (maximum.due_date, maximum.done_on, maximum.is_late) == (
        D(2026, 7, 30),
        D(2026, 6, 15),
        False,
    )
    assert maximum.critical


def test_a_late_assignation_stays_flagged(users, engaged_case, client):
    """R.322-4: served on Wednesday 20 May 2026 for the hearing of 15 June, the assignation
    is late (last day Friday 15 May); a hearing more than three months after the
    assignation of Monday 2 March 2026 (2 June) is late too. The deadlines page says so."""
    case = engaged_case()
    jurist = users["jurist"]
    act(case, jurist, PAU.ASSIGNATION, D(2026, 5, 20), hearing_on=D(2026, 6, 15))
    minimum = by_template(case)["si_orientation_min"]
    assert minimum.is_late and minimum.status == DeadlineStatus.DONE
    assert case.events.filter(summary__contains="hors délai").exists()
    other = engaged_case()
    act(other, jurist, PAU.ASSIGNATION, D(2026, 3, 2), hearing_on=D(2026, 6, 15))
    assert by_template(other)["si_orientation_max"].is_late
    client.force_login(jurist)
    page = client.get(f"/echeances/dossier/{case.reference}/")
    assert page.status_code == 200
    assert "Hors délai" in page.content.decode()


def test_the_assignation_needs_its_hearing_date(users, engaged_case):
    """R.322-4 is judged on the hearing date written in the assignation: required."""
    case = engaged_case()
    with pytest.raises(ValidationError, match="écrite dans l'assignation"):
        act(case, users["jurist"], PAU.ASSIGNATION, D(2026, 4, 30))
    assert not case.procedure_acts.exists()


# --- R.322-6 -------------------------------------------------------------------------------


def test_r322_6_denounces_the_commandement_to_the_registered_creditors(users, engaged_case):
    """R.322-6: the commandement (not the assignation) is denounced to the registered
    creditors no later than the 5th jour ouvrable after the debtor's assignation."""
    case = engaged_case()
    jurist = users["jurist"]
    act(case, jurist, PAU.ASSIGNATION, D(2026, 4, 30), hearing_on=D(2026, 6, 15))
    denonciation = by_template(case)["si_denonciation_creanciers"]
    assert denonciation.label == "Dénoncer le commandement aux créanciers inscrits"
    assert "dénonciation du commandement aux créanciers inscrits" in denonciation.basis
    act(case, jurist, PAU.DENONCIATION_CREANCIERS, D(2026, 5, 6))
    denonciation.refresh_from_db()
    assert denonciation.status == DeadlineStatus.DONE
    root = Path(__file__).resolve().parents[2]
    texts = [root / "deadlines" / "rules.py", root / "deadlines" / "saisie_calendar.py"]
    texts += list((root / "templates").rglob("*.txt")) + list((root / "templates").rglob("*.html"))
    for path in texts:
        text = path.read_text(encoding="utf-8").lower()
        assert "l'assignation aux créanciers" not in text, path
        assert "l'assignation leur est dénoncée" not in text, path


# --- R.322-31 ------------------------------------------------------------------------------


def test_r322_31_window_before_the_adjudication_hearing(users, engaged_case):
    """R.322-31: for the adjudication hearing of Tuesday 10 November 2026, the publicity
    comes at the latest one month before — Saturday 10 October, counted back to Friday 9
    October — and not earlier than two months before, 10 September: one made on 1 September
    is flagged."""
    case = engaged_case()
    jurist = users["jurist"]
    adjudication = hearing(case, jurist, D(2026, 11, 10), HearingKind.ADJUDICATION)
    services.on_hearing(case, jurist, adjudication)
    publicity = by_template(case)["si_publicite_max"]
    assert publicity.due_date == D(2026, 10, 9) and publicity.critical
    act(case, jurist, PAU.PUBLICITE_VENTE, D(2026, 9, 1))
    publicity.refresh_from_db()
    assert publicity.status == DeadlineStatus.DONE
    assert "prématurée" in publicity.done_act and "10/09/2026" in publicity.done_act


# --- Hearing kinds -------------------------------------------------------------------------


def test_deadlines_start_from_the_kind_never_from_the_purpose(users, engaged_case):
    """A plaidoirie whose purpose happens to say « adjudication » starts nothing."""
    case = engaged_case()
    jurist = users["jurist"]
    words = hearing(case, jurist, D(2026, 11, 10), HearingKind.PLAIDOIRIE, "Adjudication ?")
    assert services.on_hearing(case, jurist, words) == []
    assert services.hearing_trigger(words) is None
    assert rules.HEARING_TRIGGERS[HearingKind.ADJUDICATION] == rules.Trigger.ADJUDICATION_HEARING


def test_the_data_migration_guesses_the_kind_from_the_purpose():
    migration = importlib.import_module("cases.migrations.0008_saisie_hearing_kind_marital")
    guesses = {
        "Audience d'orientation": "orientation",
        "AUDIENCE D'ADJUDICATION": "adjudication",
        "Rappel vente amiable": "vente_amiable",
        "Plaidoiries": "plaidoirie",
        "Audience de mise en état": "mise_en_etat",
        "Référé-provision": "refere",
        "Conférence": "other",
    }
    for purpose, kind in guesses.items():
        folded = migration._fold(purpose)
        guessed = next((k for word, k in migration.GUESSES if word in folded), "other")
        assert guessed == kind, purpose


def test_one_source_for_lengths_and_articles():
    """The deadline rows read the saisie calendar's definitions: no rule written twice."""
    for template in rules.TEMPLATES:
        if template.code in RULES:
            rule = RULES[template.code]
            assert template.length == rule.length and template.critical == rule.critical
            assert f"R.{rule.article[2:]}" in template.basis
    assert RULES["si_peremption"].length == {"years": 5}


def test_the_deadline_rows_and_the_calendar_give_the_same_dates(users, engaged_case):
    """One source: the rows of a case and `saisie_calendar` of the same dates agree
    (R.321-6, R.322-4, R.321-20, R.322-6, R.322-10, R.322-31, R.322-50)."""
    case = engaged_case()
    jurist = users["jurist"]
    services.on_starting_act(case, jurist, starting_act(case, jurist, D(2026, 1, 15)))
    act(case, jurist, PAU.PUBLICATION, D(2026, 2, 20))
    act(case, jurist, PAU.ASSIGNATION, D(2026, 4, 30), hearing_on=D(2026, 6, 15))
    services.on_hearing(
        case, jurist, hearing(case, jurist, D(2026, 11, 10), HearingKind.ADJUDICATION)
    )
    act(case, jurist, PAU.ADJUDICATION, D(2026, 11, 10))
    rows = by_template(case)
    lines = {line.code: line for line in saisie_calendar(services.saisie_dates(case)).lines}
    same = [
        "si_publication",
        "si_assignation",
        "si_peremption",
        "si_denonciation_creanciers",
        "si_cahier",
        "si_orientation_min",
        "si_publicite_max",
        "si_surenchere",
    ]
    for code in same:
        assert rows[code].due_date == lines[code].date, code
        assert RULES[code].article in rows[code].basis, code
