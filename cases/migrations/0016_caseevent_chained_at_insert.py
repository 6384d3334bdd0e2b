"""PostgreSQL refuses, at insert, a history entry that is not chained to its case's last
one (`previous_hash` must be that entry's `entry_hash`, or empty for a case's first entry),
whoever inserts it: a row appended by hand with the application's role must at least
continue the chain, and `verify_integrity` checks the rest. The case's row is locked
first, as `CaseEvent.save` does, so that two writers take turns.

No rule on `at` here: the demo seeding (demo/walk.py, demo/bulk/) writes entries dated in
the past on purpose, under the same role as the application, and an entry's `at` is taken
before the case's lock (two writers may append slightly out of order); a session setting
to allow back-dating would be open to the application's role too, so would prove nothing.
Back-dating past the previous entry is reported by `verify_integrity`; an entry dated
between the last one and now cannot be told from a genuine one inside the database (keep
the nightly verification's output outside it)."""

from django.db import migrations

MESSAGE = (
    "Entrée d''historique refusée : elle ne suit pas la dernière entrée du dossier "
    "(empreinte précédente « % » attendue, « % » reçue)."
)

FORWARD = f"""
CREATE OR REPLACE FUNCTION cases_caseevent_chained() RETURNS trigger AS $$
DECLARE
    last_hash text;
BEGIN
    PERFORM 1 FROM cases_case WHERE id = NEW.case_id FOR UPDATE;
    SELECT entry_hash INTO last_hash FROM cases_caseevent
        WHERE case_id = NEW.case_id ORDER BY id DESC LIMIT 1;
    IF NEW.previous_hash IS DISTINCT FROM coalesce(last_hash, '') THEN
        RAISE EXCEPTION '{MESSAGE}', coalesce(last_hash, ''), NEW.previous_hash;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_caseevent_chained BEFORE INSERT ON cases_caseevent
FOR EACH ROW EXECUTE FUNCTION cases_caseevent_chained();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS cases_caseevent_chained ON cases_caseevent;
DROP FUNCTION IF EXISTS cases_caseevent_chained();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_stored_files_frozen")]

    operations = [migrations.RunPython(forward, backward)]
