"""Search entries written in bulk — by the bulk generator (`demo.bulk`, no post_save) and by
`search.index_missing` — are the very entries `search.index` writes (then the worker's
extraction of a piece's text): same source, title, body, internal flag, text state and, on
PostgreSQL, the same vector."""

import datetime

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from cases import search
from cases.models import SearchEntry
from demo import bulk as bulk_demo

pytestmark = pytest.mark.django_db

FIELDS = ("case_id", "source", "source_id", "title", "body", "internal", "text_state")


def _entries() -> dict[tuple[str, int], tuple]:
    entries = SearchEntry.objects.all()
    fields = FIELDS
    if connection.vendor == "postgresql":
        entries = entries.annotate(words=Cast("vector", TextField()))
        fields = (*FIELDS, "words")
    return {(row[1], row[2]): row for row in entries.values_list(*fields)}


def _index_one_by_one() -> dict[tuple[str, int], tuple]:
    """Every entry written again by `index`, each piece's text extracted as the worker
    does (`rebuild`: the instances read back from the database)."""
    SearchEntry.objects.all().delete()
    search.rebuild(extract_now=True)
    return _entries()


@pytest.fixture
def generated():
    bulk_demo.generate(40, seed=7)
    return _entries()


def test_the_generators_entries_are_those_index_writes(generated):
    sources = {source for source, _ in generated}
    assert {"case", "claim", "piece", "hearing", "opinion"} <= sources
    pieces = [row for key, row in generated.items() if key[0] == "piece"]
    assert all(row[6] == SearchEntry.TextState.DONE for row in pieces)
    assert all("démonstration" in row[4] for row in pieces)  # the sample PDF's text
    assert _index_one_by_one() == generated


def test_index_missing_writes_the_missing_entries_once(generated):
    SearchEntry.objects.filter(source__in=["piece", "claim", "case"]).delete()
    kept = SearchEntry.objects.count()
    written = search.index_missing(chunk=50)  # several chunks
    assert written == len(generated) - kept
    assert _entries() == generated
    assert search.index_missing() == 0


def test_a_hearings_title_gives_its_day_in_france_whatever_its_time_zone():
    from cases.models import Hearing

    at = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 in Paris
    title = search._sources[Hearing].title(Hearing(court="TJ de Laon", scheduled_at=at))
    assert title == "Audience TJ de Laon 02/03/2026"
