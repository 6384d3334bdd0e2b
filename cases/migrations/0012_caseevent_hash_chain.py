"""The history becomes tamper-evident: each entry stores the hash of the previous entry of
the same case and the hash of its own canonical content (cases/chain.py). The existing
rows are chained here, in the order they were written (their id), case by case.

The append-only UPDATE trigger of 0002 forbids filling the two columns: it is dropped for
the fill and created again, on PostgreSQL and on SQLite (where adding the columns rebuilt
the table and dropped its triggers with it), in the same transaction.

On PostgreSQL a `BEFORE TRUNCATE` trigger now refuses to empty the history too. Only the
tables' owner may get past it, and only on purpose: by setting `pnsr.allow_history_truncate`
to `on` in its session (the test suite's flush between transactional tests does, as owner;
see tests/database.py). The application's own role has no TRUNCATE privilege at all
(`manage.py grant_app_role`)."""

import importlib

from django.db import migrations, models

from cases import chain

append_only = importlib.import_module("cases.migrations.0002_caseevent_append_only")

TRUNCATE_MESSAGE = "L''historique des dossiers est en ajout seul : il ne peut pas être vidé."
POSTGRES_TRUNCATE = [
    f"""
    CREATE OR REPLACE FUNCTION cases_caseevent_no_truncate() RETURNS trigger AS $$
    BEGIN
        IF current_setting('pnsr.allow_history_truncate', true) = 'on'
           AND pg_has_role(current_user,
                           (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{TRUNCATE_MESSAGE}';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER cases_caseevent_no_truncate
    BEFORE TRUNCATE ON cases_caseevent
    FOR EACH STATEMENT EXECUTE FUNCTION cases_caseevent_no_truncate();
    """,
]
POSTGRES_TRUNCATE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_caseevent_no_truncate ON cases_caseevent;",
    "DROP FUNCTION IF EXISTS cases_caseevent_no_truncate();",
]

BATCH = 2000
FIELDS = ("id", "case_id", "at", "actor_id", "data", *chain.TEXT_FIELDS)


def _without_update_trigger(schema_editor, fill) -> None:
    vendor = schema_editor.connection.vendor
    # On SQLite, adding the columns rebuilt the table, which took its triggers away:
    # both are created again.
    drop = {
        "postgresql": ["DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent;"],
        "sqlite": append_only.SQLITE_REVERSE,
    }
    create = {
        "postgresql": append_only.POSTGRES[1:],  # the function is kept
        "sqlite": append_only.SQLITE,
    }
    for statement in drop.get(vendor, []):
        schema_editor.execute(statement)
    fill()
    for statement in create.get(vendor, []):
        schema_editor.execute(statement)


def chain_existing(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    using = schema_editor.connection.alias

    def fill():
        previous: dict[int, str] = {}
        pending = []
        rows = CaseEvent.objects.using(using).order_by("case_id", "id").values(*FIELDS)
        for row in rows.iterator(chunk_size=BATCH):
            row["previous_hash"] = previous.get(row["case_id"], "")
            digest = chain.entry_hash(row)
            previous[row["case_id"]] = digest
            pending.append(
                CaseEvent(id=row["id"], previous_hash=row["previous_hash"], entry_hash=digest)
            )
            if len(pending) >= BATCH:
                CaseEvent.objects.using(using).bulk_update(pending, ["previous_hash", "entry_hash"])
                pending = []
        if pending:
            CaseEvent.objects.using(using).bulk_update(pending, ["previous_hash", "entry_hash"])

    _without_update_trigger(schema_editor, fill)


def no_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_TRUNCATE:
            schema_editor.execute(statement)


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_TRUNCATE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_merge_saisie")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="previous_hash",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="empreinte de l'entrée précédente"
            ),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="entry_hash",
            field=models.CharField(default="", max_length=64, verbose_name="empreinte"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(no_truncate, allow_truncate),
    ]
