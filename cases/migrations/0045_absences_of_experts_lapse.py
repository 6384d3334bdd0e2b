"""The end of an absence that ran to its last day, journalled by the daily task
(`cases.absences.record_lapsed`): when, on the absence; the journal's line has no actor
(the application wrote it)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cases.migrations._append_only import AppendOnly, run

MESSAGE = "Le journal des comptes est en ajout seul : il ne peut être ni modifié ni supprimé."
JOURNAL = AppendOnly("cases_accountchange", MESSAGE)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0044_claims_import_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="absence",
            name="lapse_recorded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="fin consignée le"),
        ),
        migrations.AlterField(
            model_name="accountchange",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="auteur",
            ),
        ),
        # SQLite rebuilt the journal's table for the nullable column, and its triggers went
        # with the old table: put them back (PostgreSQL altered the column in place).
        migrations.RunPython(
            run({"sqlite": JOURNAL.sqlite_reverse + JOURNAL.sqlite}),
            migrations.RunPython.noop,
        ),
    ]
