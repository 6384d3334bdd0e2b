"""Where a version's editable copies stand, now that they are made by their own task after
its PDF (documents/copies.py): the versions that already have them are marked ready; the
others (produced before the copies existed, or not produced) ask for none. On SQLite adding
the column rebuilds the table, which drops the stored-file trigger of 0003: it is put
back."""

import importlib

from django.db import migrations, models

frozen = importlib.import_module("cases.migrations.0015_stored_files_frozen")


def mark_ready(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.filter(status="ready", editable_copies__isnull=False).update(
        copies_status="ready"
    )


def refreeze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        frozen.unfreeze(schema_editor, "documents_document")
        frozen.freeze(schema_editor, "documents_document")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_templateversion_saisie_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="copies_status",
            field=models.CharField(
                blank=True,
                choices=[("pending", "En préparation"), ("ready", "Prêtes"), ("failed", "Échec")],
                default="",
                help_text="L'ODT et le DOCX, produits après le PDF ; vide : aucune copie demandée.",
                max_length=10,
                verbose_name="copies modifiables",
            ),
        ),
        migrations.RunPython(refreeze, migrations.RunPython.noop),
        migrations.RunPython(mark_ready, migrations.RunPython.noop),
    ]
