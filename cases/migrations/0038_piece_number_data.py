"""The existing pieces numbered in their upload order (the numbers their bordereau
already showed), each case's counter set to its last number."""

from django.db import migrations

BATCH = 2000


def number(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Piece = apps.get_model("cases", "Piece")
    pieces = Piece.objects.order_by("case_id", "uploaded_at", "pk").only("pk", "case_id")
    changed, last = [], {}
    for piece in pieces.iterator(chunk_size=BATCH):
        last[piece.case_id] = piece.number = last.get(piece.case_id, 0) + 1
        changed.append(piece)
        if len(changed) >= BATCH:
            Piece.objects.bulk_update(changed, ["number"])
            changed = []
    Piece.objects.bulk_update(changed, ["number"])
    for case_id, count in last.items():
        Case.objects.filter(pk=case_id).update(last_piece_number=count)


class Migration(migrations.Migration):
    dependencies = [("cases", "0037_piece_number")]

    operations = [migrations.RunPython(number, migrations.RunPython.noop)]
