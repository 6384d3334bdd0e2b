"""The history is append-only at the database level too: no UPDATE, no DELETE, from any
client. (TRUNCATE, used only to empty a test database, is not a row operation.)"""

from django.db import migrations

MESSAGE = "L''historique d''un dossier est en ajout seul : il ne peut être ni modifié ni supprimé."

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER cases_caseevent_append_only
    BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent;",
    "DROP FUNCTION IF EXISTS cases_caseevent_append_only();",
]
SQLITE = [
    f"""
    CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE ON cases_caseevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER cases_caseevent_no_delete BEFORE DELETE ON cases_caseevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_caseevent_no_update;",
    "DROP TRIGGER IF EXISTS cases_caseevent_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
