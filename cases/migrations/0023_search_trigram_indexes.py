"""The case list's search (`cases.selectors.case_list`, `?q=`): a reference or a debtor's
name containing the words typed (Django's `icontains`: `UPPER(col) LIKE UPPER('%…%')`), a
SIREN's start. On PostgreSQL each is answered by a trigram index (pg_trgm, a trusted
extension the database's owner may create) instead of reading every case and every debtor;
SQLite has no such index and keeps reading them (nothing to do there)."""

from django.db import migrations

INDEXES = {
    "debtor_name_trgm": 'cases_debtor USING gin ((UPPER("name"::text)) gin_trgm_ops)',
    "debtor_siren_trgm": 'cases_debtor USING gin ("siren" gin_trgm_ops)',
    "case_reference_trgm": 'cases_case USING gin ((UPPER("reference"::text)) gin_trgm_ops)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0022_case_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
