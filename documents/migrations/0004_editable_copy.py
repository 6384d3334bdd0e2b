"""The editable copies (ODT, DOCX) of a document version; their file and sha256 are
frozen by the trigger of cases/migrations/0015_stored_files_frozen, as the PDF's."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

import documents.models

frozen = importlib.import_module("cases.migrations.0015_stored_files_frozen")
TABLE = "documents_editablecopy"


def forward(apps, schema_editor):
    frozen.freeze(schema_editor, TABLE)


def backward(apps, schema_editor):
    frozen.unfreeze(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_document_file_frozen"),
    ]

    operations = [
        migrations.CreateModel(
            name="EditableCopy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        choices=[("odt", "ODT (modifiable)"), ("docx", "DOCX (modifiable)")],
                        max_length=10,
                        verbose_name="format",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=300,
                        upload_to=documents.models.editable_upload_to,
                        verbose_name="fichier",
                    ),
                ),
                ("size", models.PositiveBigIntegerField(verbose_name="taille (octets)")),
                ("sha256", models.CharField(max_length=64, verbose_name="empreinte SHA-256")),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="editable_copies",
                        to="documents.document",
                        verbose_name="document",
                    ),
                ),
            ],
            options={
                "verbose_name": "copie modifiable",
                "verbose_name_plural": "copies modifiables",
                "ordering": ["document", "format"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("document", "format"),
                        name="editable_copy_unique",
                        violation_error_message="Ce document a déjà sa copie dans ce format.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("file", ""), _negated=True),
                            models.Q(("sha256", ""), _negated=True),
                        ),
                        name="editable_copy_has_file",
                        violation_error_message="Une copie modifiable a son fichier et son empreinte.",
                    ),
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
