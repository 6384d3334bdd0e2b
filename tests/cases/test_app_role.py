"""The application's database role (cases/roles.py, `manage.py grant_app_role`), which the
whole suite runs as on PostgreSQL (tests/database.py): it appends to the history and can
do nothing else to it; the owner is held back by the triggers."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from cases.enums import CaseStatus, EventKind
from cases.models import AccessLog, CaseEvent
from cases.roles import RoleError, grant_app_role
from tests import database
from tests.factories import CaseFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="database roles and privileges are PostgreSQL's (run with DATABASE_URL=postgres://…)",
)


def _refused(sql: str) -> str:
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return str(refused.value)


@pytest.mark.django_db
def test_the_application_role_appends_to_the_history_and_nothing_more(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, pg_get_userbyid(relowner), rolsuper FROM pg_class, pg_roles "
            "WHERE relname = 'cases_caseevent' AND rolname = current_user"
        )
        user, owner, superuser = cursor.fetchone()
    assert user != owner and not superuser
    CaseEvent.record(case, users["jurist"], EventKind.UPDATED, "Note ajoutée")
    assert case.events.filter(summary="Note ajoutée").exists()
    for sql in (
        "UPDATE cases_caseevent SET summary = 'Réécrit'",
        "DELETE FROM cases_caseevent",
        "TRUNCATE cases_caseevent",
        "TRUNCATE cases_case CASCADE",
    ):
        assert "permission denied" in _refused(sql)
    for sql in (
        "ALTER TABLE cases_caseevent DISABLE TRIGGER cases_caseevent_append_only",
        "ALTER TABLE cases_caseevent DISABLE TRIGGER ALL",
        "DROP TRIGGER cases_caseevent_no_truncate ON cases_caseevent",
    ):
        assert "must be owner" in _refused(sql)
    # The other tables are written as usual.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET updated_at = updated_at WHERE id = %s", [case.pk])


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_held_back_by_the_triggers():
    call_command("loaddata", "directions", "action_types", "postes_comptables", verbosity=0)
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    owner = database.owner_connection()
    try:
        with owner.cursor() as cursor:
            cursor.execute("SET lock_timeout = '10s'")
            for sql, message in [
                ("UPDATE cases_caseevent SET summary = 'Réécrit'", "ajout seul"),
                ("DELETE FROM cases_caseevent", "ajout seul"),
                ("TRUNCATE cases_caseevent CASCADE", "ne peut pas être vidé"),
                ("TRUNCATE cases_case CASCADE", "ne peut pas être vidé"),
            ]:
                with pytest.raises(DatabaseError, match=message):
                    cursor.execute(sql)
    finally:
        owner.close()
    assert case.events.count() > 0


@pytest.mark.django_db
def test_grant_app_role_refuses_to_make_the_owner_the_application_role():
    owner = database.owner_connection()
    try:
        with pytest.raises(RoleError, match="ne peut pas être celui qui possède les tables"):
            grant_app_role(owner, database.OWNER["USER"])
    finally:
        owner.close()


@pytest.mark.django_db
def test_the_application_role_cannot_erase_the_consultation_journal(client, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    client.force_login(users["jurist"])
    client.get(case.get_absolute_url())
    assert AccessLog.objects.filter(case=case).exists()
    for sql in (
        "DELETE FROM cases_accesslog",
        "UPDATE cases_accesslog SET user_label = 'Quelqu''un d''autre'",
        "UPDATE cases_accesslog SET at = at - interval '1 year'",
        "TRUNCATE cases_accesslog",
    ):
        assert "permission denied" in _refused(sql)
    # A case or a user deleted leaves the journal's row, under the names it kept.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_accesslog SET user_id = NULL WHERE case_id = %s", [case.pk])
    assert AccessLog.objects.filter(case=case, user=None).exists()
