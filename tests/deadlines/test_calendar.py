"""The CPCE calendar of a saisie immobilière, worked on a case."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.enums import EventKind, HearingKind, HearingStatus
from cases.models import Hearing
from cases.proceedings import adjourn_hearing
from deadlines import services
from deadlines.enums import DeadlineStatus, ProcedureActKind
from deadlines.models import Deadline

from .conftest import starting_act

pytestmark = pytest.mark.django_db
D = datetime.date


def by_template(case) -> dict[str, Deadline]:
    return {d.template: d for d in case.deadlines.all()}


def test_commandement_served_opens_its_publication_deadline(users, engaged_case):
    case = engaged_case()
    jurist = users["jurist"]
    act = starting_act(case, jurist, D(2026, 1, 15))
    created = services.on_starting_act(case, jurist, act)
    assert [d.template for d in created] == ["si_publication"]
    publication = created[0]
    # 15 March 2026 is a Sunday: the deadline runs to Monday 16 March (CPC 642).
    assert publication.due_date == D(2026, 3, 16)
    assert publication.critical
    assert "R.321-6" in publication.basis and "caducité" in publication.basis
    event = case.events.get(kind=EventKind.DEADLINES_CREATED)
    assert "16/03/2026" in event.summary and "R.321-6" in event.reason


def test_publication_meets_its_deadline_and_opens_the_next_ones(users, engaged_case):
    case = engaged_case()
    jurist = users["jurist"]
    services.on_starting_act(case, jurist, starting_act(case, jurist, D(2026, 1, 15)))
    services.record_procedure_act(
        case, jurist, kind=ProcedureActKind.PUBLICATION, date=D(2026, 2, 20)
    )
    deadlines = by_template(case)
    assert deadlines["si_publication"].status == DeadlineStatus.DONE
    assert deadlines["si_publication"].done_on == D(2026, 2, 20)
    assert deadlines["si_assignation"].due_date == D(2026, 4, 20)  # a Monday
    assert deadlines["si_assignation"].critical
    # R.321-20 as amended by décret 2020-1452: five years, a Thursday.
    assert deadlines["si_peremption"].due_date == D(2031, 2, 20)
    assert not deadlines["si_peremption"].critical
    assert "péremption" in deadlines["si_peremption"].basis


def test_assignation_counts_jours_ouvrables_across_a_week_end_and_a_holiday(users, engaged_case):
    case = engaged_case()
    jurist = users["jurist"]
    services.record_procedure_act(
        case,
        jurist,
        kind=ProcedureActKind.ASSIGNATION,
        date=D(2026, 4, 30),
        hearing_on=D(2026, 6, 15),
    )
    deadlines = by_template(case)
    # Friday 1 May is a holiday, Saturday 2 counts (1), Sunday 3 does not, Monday 4 to
    # Thursday 7 (2 to 5): the 5th jour ouvrable is Thursday 7 May (R.322-6, R.322-10).
    assert deadlines["si_denonciation_creanciers"].due_date == D(2026, 5, 7)
    assert deadlines["si_cahier"].due_date == D(2026, 5, 7)
    assert deadlines["si_denonciation_creanciers"].critical and deadlines["si_cahier"].critical


def test_adjudication_opens_the_surenchere(users, engaged_case):
    case = engaged_case()
    services.record_procedure_act(
        case, users["jurist"], kind=ProcedureActKind.ADJUDICATION, date=D(2026, 6, 4)
    )
    assert by_template(case)["si_surenchere"].due_date == D(2026, 6, 15)  # 14/06 is a Sunday


def test_a_renvoi_moves_the_deadline_counted_from_the_hearing(users, engaged_case):
    case = engaged_case()
    jurist = users["jurist"]
    when = timezone.make_aware(datetime.datetime(2027, 3, 10, 9, 30))
    hearing = Hearing.objects.create(
        case=case,
        court="TJ de Laon",
        scheduled_at=when,
        kind=HearingKind.ADJUDICATION,
        created_by=jurist,
    )
    services.on_hearing(case, jurist, hearing)
    publicity = by_template(case)["si_publicite_max"]
    assert publicity.due_date == D(2027, 2, 10)  # one month before, a Wednesday
    assert publicity.critical

    new = adjourn_hearing(
        hearing,
        jurist,
        new_date=timezone.make_aware(datetime.datetime(2027, 4, 14, 9, 30)),
        reason="Renvoi demandé par le débiteur",
    )
    services.on_hearing_adjourned(case, jurist, hearing, new)
    publicity.refresh_from_db()
    # 14 March 2027 is a Sunday: counted back, the last day is the Friday before.
    assert publicity.due_date == D(2027, 3, 12)
    assert publicity.source == f"hearing:{new.pk}"
    event = case.events.get(kind=EventKind.DEADLINES_RECOMPUTED)
    assert event.get_kind_display() == "Échéances recalculées"
    assert "10/02/2027 → 12/03/2027" in event.summary
    assert "Renvoi demandé par le débiteur" in event.reason
    assert Hearing.objects.get(pk=hearing.pk).status == HearingStatus.ADJOURNED


def test_correcting_an_act_date_moves_its_deadlines(users, engaged_case):
    case = engaged_case()
    jurist = users["jurist"]
    act = services.record_procedure_act(
        case, jurist, kind=ProcedureActKind.ADJUDICATION, date=D(2026, 6, 4)
    )
    services.correct_procedure_act(act, jurist, date=D(2026, 6, 5), reason="Erreur de saisie")
    assert by_template(case)["si_surenchere"].due_date == D(2026, 6, 15)  # 15/06 Monday
    assert case.events.filter(kind=EventKind.DEADLINES_RECOMPUTED).count() == 1


def test_alsace_moselle_gets_no_cpce_calendar(users, engaged_case):
    case = engaged_case(departement="67")
    assert case.is_alsace_moselle
    jurist = users["jurist"]
    created = services.on_starting_act(case, jurist, starting_act(case, jurist, D(2026, 1, 15)))
    assert created == []
    # The CPCE's publication is refused there (tests/deadlines/test_local_law.py).
    with pytest.raises(ValidationError, match="loi du 1er juin 1924"):
        services.record_procedure_act(
            case, jurist, kind=ProcedureActKind.PUBLICATION, date=D(2026, 2, 20)
        )
    assert not case.deadlines.exists() and not case.procedure_acts.exists()
    manual = services.add_manual_deadline(
        case,
        jurist,
        label="Requête en vente forcée",
        due_date=D(2027, 1, 15),
        basis="Loi du 1er juin 1924, art. 144",
    )
    assert manual.template == "" and manual.is_open
    assert case.events.filter(kind=EventKind.DEADLINE_ADDED).exists()


def test_a_deadline_is_marked_done_or_cancelled(users, engaged_case):
    from django.core.exceptions import ValidationError

    case = engaged_case()
    jurist = users["jurist"]
    first = services.add_manual_deadline(
        case, jurist, label="Conclusions", due_date=D(2027, 1, 15), basis="Calendrier du juge"
    )
    second = services.add_manual_deadline(
        case, jurist, label="Pièces", due_date=D(2027, 1, 20), basis="Calendrier du juge"
    )
    with pytest.raises(ValidationError):
        services.mark_done(first, jurist, act="")
    services.mark_done(first, jurist, act="Conclusions signifiées", done_on=D(2026, 11, 2))
    with pytest.raises(ValidationError):
        services.cancel(second, jurist, reason=" ")
    services.cancel(second, jurist, reason="Calendrier modifié par le juge")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == DeadlineStatus.DONE and first.done_act == "Conclusions signifiées"
    assert second.status == DeadlineStatus.CANCELLED
    with pytest.raises(ValidationError, match="n'est plus à respecter"):
        services.cancel(first, jurist, reason="Trop tard")
    kinds = list(case.events.values_list("kind", flat=True))
    assert EventKind.DEADLINE_DONE in kinds and EventKind.DEADLINE_CANCELLED in kinds


def test_a_notification_recorded_later_opens_the_appeal_deadline(users, engaged_case):
    from cases.models import ActionType

    case = engaged_case()
    services.record_procedure_act(
        case, users["jurist"], kind=ProcedureActKind.DECISION_NOTIFIED, date=D(2026, 10, 1)
    )
    appeal = by_template(case)["appel"]
    assert appeal.due_date == D(2026, 10, 16)  # JEX: 15 days (a Friday)
    assert "R.121-20" in appeal.basis
    # An ordinary judgment: one month (CPC 538); 1 November is a Sunday and a holiday.
    other = engaged_case(action_type=ActionType.objects.get(code="action_paulienne"))
    services.record_procedure_act(
        other, users["jurist"], kind=ProcedureActKind.DECISION_NOTIFIED, date=D(2026, 10, 1)
    )
    appeal = other.deadlines.get(template="appel")
    assert appeal.due_date == D(2026, 11, 2)
    assert "CPC art. 538" in appeal.basis
