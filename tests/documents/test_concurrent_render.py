"""The rendering holds no transaction: while the worker renders a PDF, others write (on
SQLite a write transaction locks the whole base: « database is locked » after its
timeout). With two real connections, so committed: a transactional test."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases.enums import Mode
from cases.models import User
from documents import generation, render, services
from documents.enums import DocumentKind, DocumentStatus


@pytest.fixture
def committed(transactional_db):
    """A test that commits, on SQLite too: the reference data loaded again (the flush after
    each such test takes it), and the history's append-only triggers dropped before that
    flush (on PostgreSQL it is a TRUNCATE, which they do not see). Transactional tests run
    last, so no later test misses them."""
    call_command(
        "loaddata", "directions", "action_types", "postes_comptables", "lawyers", verbosity=0
    )
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS cases_caseevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS cases_caseevent_no_delete")


@pytest.fixture
def users(committed, users):
    return users


@pytest.mark.django_db(transaction=True)
def test_nobody_waits_on_a_rendering(users, submitted_case, monkeypatch):
    """While the worker renders, another connection writes (on SQLite, a write transaction
    held during the rendering would lock the whole base: « database is locked »)."""
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    document = services.request_document(case, DocumentKind.BORDEREAU, users["head"])
    real = render.html_to_pdf
    outcome = {}

    def write_from_elsewhere() -> None:
        try:
            User.objects.filter(pk=users["jurist"].pk).update(last_login=timezone.now())
            outcome["written"] = True
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = error
        finally:
            connection.close()

    def rendering(html):
        other = threading.Thread(target=write_from_elsewhere)
        other.start()
        other.join()
        return real(html)

    monkeypatch.setattr(render, "html_to_pdf", rendering)
    generation.generate(document.pk)
    assert outcome == {"written": True}
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
