"""A case's history is append-only, from the ORM and from raw SQL, on every database engine;
its entries keep who acted as they were then, and read in chronological order."""

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from cases.enums import CaseStatus, EventKind, Role
from cases.lifecycle import CaseLifecycle
from cases.models import AppendOnlyError, Case, CaseEvent
from tests.factories import CaseFactory, UserFactory

S = CaseStatus


@pytest.fixture
def event(db) -> CaseEvent:
    case = CaseFactory(to=S.SUBMITTED)
    return case.events.filter(kind=EventKind.TRANSITION).get()


def _unchanged(event: CaseEvent) -> None:
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.summary == "Dossier transmis au pôle"
    assert stored.target_status == S.SUBMITTED


# --- The ORM refuses -----------------------------------------------------------------------


def test_saving_an_existing_event_is_refused(event):
    event.summary = "Réécrit"
    with pytest.raises(AppendOnlyError, match="ne peut pas être modifié"):
        event.save()
    _unchanged(event)


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError, match="ne peut pas être supprimé"):
        event.delete()
    _unchanged(event)


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).update(summary="Réécrit")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.all().delete()
    event.summary = "Réécrit"
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.bulk_update([event], ["summary"])
    _unchanged(event)


def test_related_manager_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError):
        event.case.events.update(summary="Réécrit")
    with pytest.raises(AppendOnlyError):
        event.case.events.all().delete()
    # On PostgreSQL the tests run as the application role, which may not even lock a
    # history row (SELECT … FOR UPDATE needs the UPDATE right it lacks).
    with pytest.raises((AppendOnlyError, DatabaseError)), transaction.atomic():
        CaseEvent.objects.update_or_create(pk=event.pk, defaults={"summary": "Réécrit"})
    _unchanged(event)


def test_a_case_with_history_cannot_be_deleted(event):
    case = event.case
    events = case.events.count()
    with pytest.raises(ProtectedError), transaction.atomic():
        case.delete()
    assert Case.objects.filter(pk=case.pk).exists()
    assert CaseEvent.objects.filter(case=case).count() == events


def test_appending_still_works(event):
    events = event.case.events.count()
    CaseEvent.record(event.case, None, EventKind.UPDATED, "Note ajoutée")
    assert event.case.events.count() == events + 1


# --- The database refuses, whatever the client ---------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_caseevent SET summary = 'Réécrit' WHERE id = %s",
        "UPDATE cases_caseevent SET reason = 'Réécrit'",
        "DELETE FROM cases_caseevent WHERE id = %s",
        "DELETE FROM cases_caseevent",
    ],
)
def test_raw_sql_update_and_delete_are_refused_by_the_database(event, sql):
    params = [event.pk] if "%s" in sql else []
    events = CaseEvent.objects.count()
    with (
        pytest.raises((IntegrityError, DatabaseError)) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    # On PostgreSQL the tests run as the application role: its rights refuse before the
    # trigger does (the trigger itself, as the owner: tests/cases/test_app_role.py).
    assert "ajout seul" in str(refused.value) or "permission denied" in str(refused.value)
    _unchanged(event)
    assert CaseEvent.objects.count() == events


def test_database_triggers_exist_on_this_engine(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'cases_caseevent'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            assert connection.vendor == "sqlite"
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'cases_caseevent'"
            )
        assert cursor.fetchone()[0] >= 1


# --- Who acted, as they were then ----------------------------------------------------------


@pytest.mark.django_db
def test_actor_label_is_frozen_at_the_time_of_the_event():
    head = UserFactory(username="chef.x", first_name="Jeanne", last_name="Martin", role=Role.HEAD)
    case = CaseFactory(to=S.SUBMITTED)
    CaseLifecycle(case, head).accept()
    head.first_name, head.last_name, head.role = "Jeanne", "Martin-Dupuis", Role.MANAGEMENT
    head.save()

    event = CaseEvent.objects.get(case=case, transition="accept")
    assert event.actor == head
    assert event.actor_label == "Jeanne Martin (Chef du pôle)"


@pytest.mark.django_db
def test_actor_label_without_a_full_name_uses_the_username():
    jurist = UserFactory(username="juriste.z", first_name="", last_name="", role=Role.JURIST)
    case = CaseFactory(to=S.SUBMITTED)
    CaseLifecycle(case, jurist).accept()
    assert case.events.last().actor_label == "juriste.z (Juriste du pôle)"


@pytest.mark.django_db
def test_event_without_actor_has_no_label():
    case = CaseFactory()
    event = CaseEvent.record(case, None, EventKind.UPDATED, "Import automatique")
    assert event.actor is None and event.actor_label == ""


# --- Chronological order -----------------------------------------------------------------


@pytest.mark.django_db
def test_lifecycle_events_come_back_in_the_order_they_happened():
    case = CaseFactory(to=S.DECIDED)
    transitions = [e.transition for e in Case.objects.get(pk=case.pk).events.all() if e.transition]
    assert transitions == [
        "submit",
        "accept",
        "take_over",
        "engage_action",
        "await_decision",
        "record_decision",
    ]
    ats = list(case.events.values_list("at", flat=True))
    assert ats == sorted(ats)


@pytest.mark.django_db
def test_events_are_ordered_by_date_then_by_insertion():
    case = CaseFactory()
    now = timezone.now()
    late = CaseEvent.objects.create(case=case, kind="updated", summary="c", at=now)
    early = CaseEvent.objects.create(
        case=case, kind="updated", summary="a", at=now - datetime.timedelta(days=2)
    )
    same_as_late = CaseEvent.objects.create(case=case, kind="updated", summary="d", at=now)
    middle = CaseEvent.objects.create(
        case=case, kind="updated", summary="b", at=now - datetime.timedelta(days=1)
    )
    expected = [early.pk, middle.pk, late.pk, same_as_late.pk]
    assert [e.pk for e in case.events.all()] == expected
    assert [e.pk for e in CaseEvent.objects.filter(case=case)] == expected
