"""The migration that keeps calendar feed tokens as digests: a link subscribed before it
still works after it, and nothing of the plain secret is left.

Migrating commits, so these tests are transactional: Django empties the database after
each, reference data included, which `reference_data` loads again before each."""

import hashlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from deadlines.models import CalendarToken
from tests.database import as_owner, migrate_to, migrate_to_latest

BEFORE = [("deadlines", "0005_procedure_act_kinds_merged")]
AFTER = [("deadlines", "0006_calendar_token_digest")]


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    call_command(
        "loaddata", "directions", "action_types", "postes_comptables", "lawyers", verbosity=0
    )


@pytest.fixture(autouse=True)
def owner(reference_data):
    """Migrations run as the tables' owner, as in production (PostgreSQL)."""
    with as_owner():
        yield


def test_an_existing_link_keeps_working_once_its_token_is_hashed(client, users):
    jurist = users["jurist"]
    old = migrate_to(BEFORE)
    old.get_model("deadlines", "CalendarToken").objects.create(
        user_id=jurist.pk, token="ancien-lien-abonne"
    )
    try:
        new = migrate_to(AFTER)
        stored = new.get_model("deadlines", "CalendarToken").objects.get(user_id=jurist.pk)
        assert stored.digest == hashlib.sha256(b"ancien-lien-abonne").hexdigest()
        columns = [
            column.name
            for column in connection.introspection.get_table_description(
                connection.cursor(), "deadlines_calendartoken"
            )
        ]
        assert "token" not in columns
    finally:
        migrate_to_latest()
    assert client.get(reverse("deadlines:feed", args=["ancien-lien-abonne"])).status_code == 200
    assert client.get(reverse("deadlines:feed", args=["autre-chose"])).status_code == 404


def test_going_back_forgets_the_tokens(users):
    migrate_to(AFTER)
    CalendarToken.issue(users["jurist"])
    CalendarToken.issue(users["head"])
    try:
        old = migrate_to(BEFORE)
        assert not old.get_model("deadlines", "CalendarToken").objects.exists()
    finally:
        migrate_to_latest()
