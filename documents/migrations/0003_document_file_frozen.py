"""A generated document's file and sha256, written once when it is rendered (from empty),
are never rewritten (the trigger of cases/migrations/0015_stored_files_frozen)."""

import importlib

from django.db import migrations

frozen = importlib.import_module("cases.migrations.0015_stored_files_frozen")
TABLE = "documents_document"


def forward(apps, schema_editor):
    frozen.freeze(schema_editor, TABLE)


def backward(apps, schema_editor):
    frozen.unfreeze(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_claim_and_heartbeat"),
        ("cases", "0015_stored_files_frozen"),
    ]

    operations = [migrations.RunPython(forward, backward)]
