"""Bulk demo data: N realistic cases for the dashboards and the benchmarks.

`seed_demo --cases N` calls `generate`. Each case is simulated in Python along the pôle's
real path — referral, receivability (with returns for completion), assignment, then the
opinion, the technical support or the takeover (lawyer, starting act, procedure acts,
hearings and adjournments, decision, appeal, execution, recoveries, closure; for an
assignation to open collective proceedings granted, the opening judgment, its BODACC
publication, the declaration of the claim within R.622-24's two months, and the stop of
the debtor's other pending action, L.622-21) — with the
transitions of `cases.lifecycle` (checked against its table), the rows each
`cases.proceedings` and `deadlines.services` operation writes and the history entries
they record, each by the user who takes that step, with the case's thread and the pôle's
notes at the moments the flow produces them (`thread.py`). The simulation stops at today:
what would happen later does not happen, and the case keeps the status it reached, with
the one open step of its `CaseFlow` process.

Rows are written with `bulk_create` (COPY on PostgreSQL), a batch of cases per
transaction, with their search entries: no notification, no document, no per-row query.
The same seed gives the same cases (relative to today).

The history entries carry the operations' own sentences (`cases.history`, the lifecycle's
table), the deadlines the real appeal period and bases (`deadlines.calendar.appeal_deadline`,
`deadlines.services.deadline_basis`). The process is `workflows.process`: each simulated
step ends one of the ways it describes (`CaseSim.take`), which fires its transition (the
lifecycle's own table and body) and opens the step that follows.

- `reference.py`: places, names, trades, the wording of facts and requests, the shares;
- `people.py`: the jurists, experts and referring agents, the stored sample PDF;
- `case.py`: `CaseSim`, one case from its creation to today;
- `thread.py`: `Talk`, its messages (as `cases.services.post_message` writes them) and the
  pôle's notes (as `cases.workspace.add_note` does);
- `generator.py`: creation times, references, the batches;
- `rows.py`: a batch's rows and how they are written (bulk_create, COPY);
- `progress.py`: the progress line.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import connection, transaction

from cases.models import Case

from .generator import Generator
from .people import People, ensure_people
from .progress import Progress

__all__ = ["Generator", "People", "Progress", "ensure_people", "generate"]


def generate(
    count: int,
    *,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Generate `count` cases; returns the number of rows written per model."""
    people = ensure_people()
    generator = Generator(people, seed=seed, now=now)
    totals: dict[str, int] = {}
    done = 0
    for batch in generator.batches(count):
        with transaction.atomic():
            counts = batch.write()
        for model, number in counts.items():
            totals[model.__name__] = totals.get(model.__name__, 0) + number
        done += len(batch.rows[Case])
        if progress:
            progress(done)
    with transaction.atomic():
        generator.save_counters()
    # Fresh statistics for the query planner: without them PostgreSQL plans the
    # dashboards' joins over the loaded tables as if they were nearly empty. On PostgreSQL
    # outside a transaction, VACUUM as well, as autovacuum would do in time: it sets the
    # visibility map (index-only scans) and the rows' hint bits, which the first reads of
    # freshly loaded tables would otherwise write.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    totals["CaseProcess"] = totals.get("Process", 0)
    return totals
