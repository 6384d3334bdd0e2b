"""The history is append-only at the database level too: no UPDATE, no DELETE, from any
client. (TRUNCATE, used only to empty a test database, is not a row operation.)"""

from django.db import migrations

from cases.migrations._append_only import AppendOnly

MESSAGE = "L'historique d'un dossier est en ajout seul : il ne peut être ni modifié ni supprimé."
HISTORY = AppendOnly("cases_caseevent", MESSAGE)
# What cases/migrations/0012 and the tests read.
POSTGRES, SQLITE, SQLITE_REVERSE = HISTORY.postgres, HISTORY.sqlite, HISTORY.sqlite_reverse


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [HISTORY.operation()]
