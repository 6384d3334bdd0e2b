"""Case references: PNSR-<year>-<six digits>, one sequence per year, never reused."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.enums import CaseStatus
from cases.lifecycle import CaseLifecycle
from cases.models import Case, ReferenceCounter
from tests.factories import CaseFactory, DebtorFactory

YEAR = timezone.localdate().year


@pytest.mark.django_db
def test_references_are_numbered_from_one_and_increase():
    references = [CaseFactory().reference for _ in range(3)]
    assert references == [f"PNSR-{YEAR}-000001", f"PNSR-{YEAR}-000002", f"PNSR-{YEAR}-000003"]
    assert all(re.fullmatch(r"PNSR-\d{4}-\d{6}", r) for r in references)
    assert Case.objects.filter(reference__in=references).count() == 3


@pytest.mark.django_db
def test_reference_is_kept_through_edits_and_transitions(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    reference = case.reference
    case.facts = "Complément."
    case.save()
    CaseLifecycle(case, users["head"]).accept()
    assert Case.objects.get(pk=case.pk).reference == reference
    assert CaseFactory().reference == f"PNSR-{YEAR}-000002"


@pytest.mark.django_db
def test_each_year_starts_again_at_one(monkeypatch):
    first = CaseFactory()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(YEAR + 1, 1, 1))
    assert CaseFactory().reference == f"PNSR-{YEAR + 1}-000001"
    assert CaseFactory().reference == f"PNSR-{YEAR + 1}-000002"
    monkeypatch.undo()
    assert CaseFactory().reference == f"PNSR-{YEAR}-000002"
    assert first.reference == f"PNSR-{YEAR}-000001"


@pytest.mark.django_db
def test_a_reference_cannot_be_given_twice(users):
    existing = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            reference=existing.reference,
            direction=existing.direction,
            poste_comptable=existing.poste_comptable,
            debtor=DebtorFactory(),
            created_by=existing.created_by,
        )
    assert Case.objects.filter(reference=existing.reference).count() == 1


@pytest.mark.django_db
def test_counter_follows_the_last_number_given():
    CaseFactory()
    CaseFactory()
    assert ReferenceCounter.objects.get(year=YEAR).last == 2
    assert ReferenceCounter.next_reference(YEAR) == f"PNSR-{YEAR}-000003"
    assert CaseFactory().reference == f"PNSR-{YEAR}-000004"  # 3 is spent, never reused
