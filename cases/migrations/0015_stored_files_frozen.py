"""A stored file's name and fingerprint, once written, are never rewritten: otherwise
whoever holds the application's role could swap a file on disk, update its sha256, and
`verify_integrity` would pass. The change from empty to set stays allowed (a document
version is created pending, its file and sha256 written once when rendered).
documents/migrations/0003 puts the same trigger on documents_document."""

from django.db import migrations

MESSAGE = (
    "Le fichier et l''empreinte SHA-256 d''un fichier déposé ne peuvent plus être "
    "modifiés une fois enregistrés."
)
TABLES = ("cases_piece", "cases_messageattachment")

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION pnsr_stored_file_frozen() RETURNS trigger AS $$
BEGIN
    IF (OLD.sha256 <> '' AND NEW.sha256 IS DISTINCT FROM OLD.sha256)
       OR (OLD.file <> '' AND NEW.file IS DISTINCT FROM OLD.file) THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def postgres_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_file_frozen BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION pnsr_stored_file_frozen();"
    )


def sqlite_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_file_frozen BEFORE UPDATE OF sha256, file ON {table} "
        "WHEN (OLD.sha256 <> '' AND NEW.sha256 IS NOT OLD.sha256) "
        "OR (OLD.file <> '' AND NEW.file IS NOT OLD.file) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
    )


def drop_trigger(vendor: str, table: str) -> str:
    on = f" ON {table}" if vendor == "postgresql" else ""
    return f"DROP TRIGGER IF EXISTS {table}_file_frozen{on};"


def freeze(schema_editor, table: str) -> None:
    """The trigger on `table` (the PostgreSQL function must exist)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres_trigger(table))
    elif vendor == "sqlite":
        schema_editor.execute(sqlite_trigger(table))


def unfreeze(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor in ("postgresql", "sqlite"):
        schema_editor.execute(drop_trigger(vendor, table))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        freeze(schema_editor, table)


def backward(apps, schema_editor):
    for table in TABLES:
        unfreeze(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_merge_20261202_0126")]

    operations = [migrations.RunPython(forward, backward)]
