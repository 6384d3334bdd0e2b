"""The migration that makes the debtor one entity (issue 24): the duplicate rows of the
cases sent to the pôle are merged into the oldest, every case keeps its debtor, and each
merged row is kept whole in a report; a draft keeps its own row.

Migrating commits, so these tests are transactional (tests/deadlines/
test_calendar_token_migration.py says how)."""

import pytest
from django.db import connection

from cases.enums import CaseStatus, DebtorKind
from cases.models import Case, Debtor, DebtorMerge
from tests.database import as_owner, migrate_to, migrate_to_latest
from tests.factories import CaseFactory, DebtorFactory

BEFORE = [("cases", "0046_claim_import_progressed_at")]
AFTER = [("cases", "0048_debtor_merge")]
SIREN = "552100554"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def owner(reference_data):
    """Migrations run as the tables' owner, as in production (PostgreSQL)."""
    with as_owner():
        yield


def _case(status, debtor):
    case = CaseFactory(debtor=debtor)
    Case.objects.filter(pk=case.pk).update(status=status)  # as the rows stood before
    return case


def test_duplicate_debtors_are_merged_into_the_oldest_and_reported(users):
    oldest = _case(CaseStatus.SUBMITTED, DebtorFactory(siren=SIREN, address=""))
    later = _case(
        CaseStatus.EXECUTION,
        DebtorFactory(siren=SIREN, name="LES TANNEURS", address="8 place du Marché, Laon"),
    )
    draft = _case(CaseStatus.DRAFT, DebtorFactory(siren=SIREN))
    person = _case(
        CaseStatus.SUBMITTED,
        DebtorFactory(kind=DebtorKind.NATURAL, name="Durand", first_name="Paul", siren=""),
    )  # no birth date: an incomplete identity stays the case's own
    kept_pk, merged_pk = oldest.debtor_id, later.debtor_id
    try:
        migrate_to(BEFORE)
        migrate_to(AFTER)
        assert Debtor.objects.count() == 3
        for case in (oldest, later, draft, person):
            case.refresh_from_db()
        assert oldest.debtor_id == later.debtor_id == kept_pk
        entity = Debtor.objects.get(pk=kept_pk)
        assert entity.identity_key == f"pm:{SIREN}"
        assert entity.address == "8 place du Marché, Laon"  # the later row's detail
        report = DebtorMerge.objects.get()
        assert (report.kept_id, report.merged_pk, report.source) == (
            kept_pk,
            merged_pk,
            "migration",
        )
        assert report.values["name"] == "LES TANNEURS"
        assert report.cases == [later.reference]
        assert report.changed == {"address": ["", "8 place du Marché, Laon"]}
        assert draft.debtor_id not in (kept_pk, merged_pk)
        assert draft.debtor.identity_key is None
        assert person.debtor.identity_key is None
    finally:
        migrate_to_latest()


def test_going_back_gives_each_case_its_own_row_again_with_its_referrals_values(users):
    first = _case(CaseStatus.SUBMITTED, DebtorFactory(siren=SIREN, address="1 rue Haute"))
    second = _case(CaseStatus.SUBMITTED, DebtorFactory(siren=SIREN, name="LES TANNEURS"))
    try:
        migrate_to(BEFORE)
        migrate_to(AFTER)
        migrate_to(BEFORE)  # would fail on the one-to-one field if a row were still shared
        rows = connection.cursor()
        rows.execute(
            "SELECT c.reference, d.name FROM cases_case c JOIN cases_debtor d ON d.id = c.debtor_id"
        )
        names = dict(rows.fetchall())
        assert names[second.reference] == "LES TANNEURS"
        assert names[first.reference] != "LES TANNEURS"
    finally:
        migrate_to_latest()
