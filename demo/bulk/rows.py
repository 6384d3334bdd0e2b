"""A batch of generated rows, written with bulk_create (SQLite) or COPY (PostgreSQL), then
their search entries (`cases.search.index_many`: no post_save writes them here)."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import CharField, FileField, JSONField, TextField
from viewflow.workflow.models import Process, Task

from cases import chain, search
from cases.models import (
    Appeal,
    Case,
    CaseEvent,
    CaseNote,
    Claim,
    ClaimDeclaration,
    CollectiveProceeding,
    Debtor,
    Decision,
    Hearing,
    LawyerMandate,
    ManagerTarget,
    Message,
    MessageRead,
    Opinion,
    Piece,
    PropertySale,
    PropertyTarget,
    Recovery,
    ReturnGroundRecord,
    SearchEntry,
    StartingAct,
    StoppedAction,
    ThirdPartyHolderTarget,
)
from deadlines.models import Deadline, PrescriptionSuspension, ProcedureAct
from workflows.models import CaseProcess

BATCH = 2000  # rows per bulk_create, cases per transaction


class Ref:
    """'starting_act:<pk>': an act's reference, known once the act is saved."""

    def __init__(self, prefix: str, obj):
        self.prefix, self.obj = prefix, obj

    def __str__(self) -> str:
        return f"{self.prefix}:{self.obj.pk}"


def _resolve(value):
    if isinstance(value, dict):
        return {k: _resolve(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(v) for v in value]
    if isinstance(value, Ref):
        return str(value)
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk
    return value


MODELS_IN_ORDER = [
    Debtor,
    Case,
    Claim,
    PropertyTarget,
    ManagerTarget,
    ThirdPartyHolderTarget,
    Piece,
    Opinion,
    LawyerMandate,
    StartingAct,
    Hearing,
    PropertySale,
    Decision,
    CollectiveProceeding,
    StoppedAction,
    ClaimDeclaration,
    PrescriptionSuspension,
    Appeal,
    Recovery,
    ProcedureAct,
    Deadline,
    Process,
    Task,
    CaseEvent,
    ReturnGroundRecord,
    Message,
    MessageRead,
    CaseNote,
]


class Batch:
    def __init__(self) -> None:
        self.rows: dict[type, list] = {model: [] for model in MODELS_IN_ORDER}
        self.links: list[tuple[Process, Case]] = []
        self.hearing_depth: dict[int, int] = {}

    def add(self, obj) -> object:
        self.rows[type(obj)].append(obj)
        return obj

    def write(self) -> dict[type, int]:
        if connection.vendor == "postgresql":
            return self.copy()
        counts = {}
        updated_at = Case._meta.get_field("updated_at")
        for model in MODELS_IN_ORDER:
            rows = self.rows[model]
            counts[model] = len(rows)
            if not rows:
                continue
            if model is Hearing:
                # An adjourned hearing's replacement points at it: save by depth.
                depth = self.hearing_depth
                for level in sorted({depth.get(id(h), 0) for h in rows}):
                    Hearing.objects.bulk_create(
                        [h for h in rows if depth.get(id(h), 0) == level], batch_size=BATCH
                    )
                continue
            if model is Deadline:
                for deadline in rows:
                    deadline.source = str(deadline.source)
            if model is CaseEvent:
                for event in rows:
                    event.data = _resolve(event.data)
                _seal(rows)
            if model is Case:
                # updated_at is the case's last step, not the generation time.
                updated_at.auto_now = False
                try:
                    Case.objects.bulk_create(rows, batch_size=BATCH)
                finally:
                    updated_at.auto_now = True
                continue
            model.objects.bulk_create(rows, batch_size=BATCH)
            if model is Process and self.links:
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {CaseProcess._meta.db_table} (process_ptr_id, case_id) "
                        "VALUES (%s, %s)",
                        [(process.pk, case.pk) for process, case in self.links],
                    )
        counts[SearchEntry] = self.index()
        return counts

    def index(self) -> int:
        """The search entries of the batch's rows, as their post_save would write them: a
        piece's text is the one sample PDF's, read once (its extraction done)."""
        return search.index_many(
            [row for model in MODELS_IN_ORDER if search.indexes(model) for row in self.rows[model]],
            extract_now=True,
        )

    def copy(self) -> dict[type, int]:
        """PostgreSQL: the primary keys reserved from each table's sequence, then every
        table loaded with COPY (foreign keys are checked at commit)."""
        counts = {}
        with connection.cursor() as cursor:
            for model in MODELS_IN_ORDER:
                rows = self.rows[model]
                counts[model] = len(rows)
                if rows:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [model._meta.db_table, len(rows)],
                    )
                    for obj, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                        obj.pk = pk
            for deadline in self.rows[Deadline]:
                deadline.source = str(deadline.source)
            for event in self.rows[CaseEvent]:
                event.data = _resolve(event.data)
            _seal(self.rows[CaseEvent])
            raw = cursor.cursor
            for model in MODELS_IN_ORDER:
                if self.rows[model]:
                    _copy(raw, model, self.rows[model])
                if model is Process and self.links:
                    table = connection.ops.quote_name(CaseProcess._meta.db_table)
                    with raw.copy(f"COPY {table} (process_ptr_id, case_id) FROM STDIN") as out:
                        for process, case in self.links:
                            out.write_row((process.pk, case.pk))
        counts[SearchEntry] = self.index()
        return counts


def _seal(events: list[CaseEvent]) -> None:
    """Chain each case's entries (cases/chain.py) in the order they are written: a batch
    holds the whole history of each of its cases, so each chain starts here."""
    last: dict[int, str] = {}
    for event in events:
        case = event.case.pk
        chain.seal(event, last.get(case, ""))
        last[case] = event.entry_hash


def _columns(model) -> list[tuple[str, str, object]]:
    """(attname, how to convert, field) for each column of the model's table."""
    columns = []
    for f in model._meta.local_concrete_fields:
        if f.is_relation:
            how = "fk"
        elif isinstance(f, JSONField):
            how = "json"
        elif isinstance(f, FileField) or f.__class__.__module__.startswith("viewflow"):
            how = "prep"
        elif isinstance(f, CharField | TextField):
            how = "str"
        else:
            how = "raw"
        columns.append((f.attname, how, f))
    return columns


def _copy(raw, model, rows) -> None:
    columns = _columns(model)
    names = ", ".join(connection.ops.quote_name(f.column) for _, _, f in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with raw.copy(f"COPY {table} ({names}) FROM STDIN") as out:
        for obj in rows:
            values = []
            for attname, how, f in columns:
                value = obj.__dict__.get(attname)
                if how == "fk":
                    related = f.get_cached_value(obj, None)
                    if related is not None:
                        # Its id too, as bulk_create sets it: the search entries read it.
                        value = obj.__dict__[attname] = related.pk
                elif value is None:
                    pass
                elif how == "str":
                    value = str(value)
                elif how == "json":
                    value = json.dumps(value, ensure_ascii=False)
                elif how == "prep":
                    value = f.get_prep_value(value)
                values.append(value)
            out.write_row(values)
