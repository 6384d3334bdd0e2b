"""A history entry appended behind the application's back must at least continue its
case's chain (PostgreSQL refuses it otherwise: cases/migrations/0016), and a case whose
whole history disappeared is named by `verify_integrity` (every case is created with its
first entry)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cases import chain
from cases.enums import CaseStatus
from cases.models import Case
from tests.factories import CaseFactory, DebtorFactory

pytestmark = pytest.mark.django_db
ON_PG = connection.vendor == "postgresql"


def _insert(case, previous_hash: str) -> None:
    """An INSERT any holder of the application's database password could run."""
    last = case.events.order_by("pk").last()
    fields = {"case_id": case.pk, "at": last.at, "actor_id": None, "data": {}, "kind": "updated",
              "summary": "Décision favorable", "previous_hash": previous_hash}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, at, actor_label, kind, transition, "
            "source_status, target_status, summary, reason, data, previous_hash, entry_hash) "
            "VALUES (%s, %s, '', 'updated', '', '', '', %s, '', '{}', %s, %s)",
            [case.pk, last.at, fields["summary"], previous_hash, chain.entry_hash(fields)],
        )


@pytest.mark.skipif(not ON_PG, reason="the insert trigger is PostgreSQL's")
@pytest.mark.parametrize("previous", ["first", "empty", "forged"])
def test_an_entry_not_chained_to_the_last_one_is_refused(users, previous):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    entries = list(case.events.order_by("pk"))
    assert len(entries) > 1
    wrong = {"first": entries[0].entry_hash, "empty": "", "forged": "0" * 64}[previous]
    with pytest.raises(DatabaseError, match="ne suit pas la dernière entrée"), transaction.atomic():
        _insert(case, wrong)
    assert case.events.count() == len(entries)
    _insert(case, entries[-1].entry_hash)  # chained to the last one: accepted
    assert case.events.count() == len(entries) + 1


def test_a_case_without_any_history_entry_is_named(users):
    existing = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    emptied = Case.objects.create(
        reference="PNSR-2020-999999",
        direction=existing.direction,
        poste_comptable=existing.poste_comptable,
        debtor=DebtorFactory(),
        created_by=existing.created_by,
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_integrity", "--history-only", stdout=out, stderr=io.StringIO())
    assert f"le dossier {emptied.reference} : historique disparu" in out.getvalue()
    assert existing.reference not in out.getvalue()
