"""The debtor as one entity (cases/debtors.py): the rows of today's duplicates merged.

Apart from 0047's schema changes: on PostgreSQL the indexes Django creates at the end of a
migration could not follow the rows this one changes in the same transaction."""

from django.db import migrations

# --- The merge: one row per debtor ------------------------------------------------------
# Every debtor of a case sent to the pôle gets its identity key; rows of the same identity
# are merged into the oldest (the cases point to it, the later rows' details bring it up
# to date as a later referral would), and each merged row is kept whole in a DebtorMerge
# report. A draft's row stays its own (joined when the draft is sent).

NEVER_SENT = ("draft", "discarded")


def merge_debtors(apps, schema_editor):
    from cases.debtors import bring_up_to_date, identity_key, reported

    Debtor = apps.get_model("cases", "Debtor")
    Case = apps.get_model("cases", "Case")
    DebtorMerge = apps.get_model("cases", "DebtorMerge")
    sent = (
        Case.objects.exclude(status__in=NEVER_SENT)
        .order_by("debtor_id")
        .values_list("debtor_id", flat=True)
        .distinct()
    )
    groups: dict[str, list] = {}
    for debtor in Debtor.objects.filter(pk__in=sent).order_by("pk").iterator(chunk_size=2000):
        key = identity_key(
            debtor.kind,
            siren=debtor.siren,
            name=debtor.name,
            first_name=debtor.first_name,
            birth_date=debtor.birth_date,
        )
        if key:
            groups.setdefault(key, []).append(debtor)
    merged = 0
    for key, rows in groups.items():
        kept, *others = rows
        for other in others:
            changed = bring_up_to_date(kept, other)
            references = list(
                Case.objects.filter(debtor_id=other.pk).values_list("reference", flat=True)
            )
            Case.objects.filter(debtor_id=other.pk).update(debtor_id=kept.pk)
            DebtorMerge.objects.create(
                kept_id=kept.pk,
                merged_pk=other.pk,
                values=reported(other),
                changed=changed,
                cases=references,
                source="migration",
            )
            other.delete()
            merged += 1
        kept.identity_key = key
        kept.save()
    if merged:
        print(
            f"\n  Redevables : {merged} fiche(s) en double fusionnée(s) ; "
            "rapport dans « Fusions de redevables » (administration)."
        )


def split_debtors(apps, schema_editor):
    """Back to one debtor row per case: each case beyond the first of a shared row gets a
    row of its own, with the values its referral had when the report kept them."""
    from django.db.models import Count

    from cases.validators import fold_name

    Debtor = apps.get_model("cases", "Debtor")
    Case = apps.get_model("cases", "Case")
    DebtorMerge = apps.get_model("cases", "DebtorMerge")
    shared = Debtor.objects.annotate(count=Count("cases")).filter(count__gt=1)
    for debtor in shared.iterator(chunk_size=500):
        kept = {}
        for merge in DebtorMerge.objects.filter(kept_id=debtor.pk).order_by("pk"):
            for reference in merge.cases:
                kept[reference] = merge.values
        for case in Case.objects.filter(debtor_id=debtor.pk).order_by("pk")[1:]:
            copy = Debtor.objects.get(pk=debtor.pk)
            copy.pk = None
            for name, value in kept.get(case.reference, {}).items():
                setattr(copy, name, value)
            copy.identity_key = None
            copy.name_key = fold_name(copy.name)
            copy.save()
            Case.objects.filter(pk=case.pk).update(debtor_id=copy.pk)
    Debtor.objects.update(identity_key=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0047_debtor_entity"),
    ]

    operations = [
        migrations.RunPython(merge_debtors, split_debtors, elidable=False),
    ]
