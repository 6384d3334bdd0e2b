"""Where a version's editable copies stand, now that they are made by their own task after
its PDF (documents/copies.py): the versions that already have them are marked ready; the
others (produced before the copies existed, or not produced) ask for none."""

from django.db import migrations, models


def mark_ready(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.filter(status="ready", editable_copies__isnull=False).update(
        copies_status="ready"
    )


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
        migrations.RunPython(mark_ready, migrations.RunPython.noop),
    ]
