"""A piece's number required and unique in its case. On SQLite both operations rebuild
the table, which drops the stored-file trigger of 0015: it is put back."""

import importlib

from django.db import migrations, models

frozen = importlib.import_module("cases.migrations.0015_stored_files_frozen")


def refreeze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        frozen.unfreeze(schema_editor, "cases_piece")
        frozen.freeze(schema_editor, "cases_piece")


class Migration(migrations.Migration):
    dependencies = [("cases", "0038_piece_number_data")]

    operations = [
        migrations.AlterField(
            model_name="piece",
            name="number",
            field=models.PositiveIntegerField(editable=False, verbose_name="numéro"),
        ),
        migrations.AddConstraint(
            model_name="piece",
            constraint=models.UniqueConstraint(
                fields=("case", "number"),
                name="piece_number_unique_in_case",
                violation_error_message="Ce numéro de pièce est déjà pris dans ce dossier.",
            ),
        ),
        migrations.RunPython(refreeze, migrations.RunPython.noop),
    ]
