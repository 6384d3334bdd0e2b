"""Calendar feed tokens kept as their SHA-256 digest, like the API's tokens.

The existing secrets are hashed in place, so the feed URLs users already subscribed to
keep working; the plain secret is then dropped. Going back cannot recover the secrets:
the tokens are deleted, and each user makes a new link."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarToken = apps.get_model("deadlines", "CalendarToken")
    for token in CalendarToken.objects.only("pk", "token"):
        token.digest = hashlib.sha256(token.token.encode()).hexdigest()
        token.save(update_fields=["digest"])


def forget_tokens(apps, schema_editor):
    apps.get_model("deadlines", "CalendarToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0005_procedure_act_kinds_merged"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendartoken",
            name="digest",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="empreinte SHA-256"
            ),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendartoken", name="token"),
        # Backwards, before the plain column comes back: no secret can fill it.
        migrations.RunPython(migrations.RunPython.noop, forget_tokens),
        migrations.AlterField(
            model_name="calendartoken",
            name="digest",
            field=models.CharField(
                editable=False, max_length=64, unique=True, verbose_name="empreinte SHA-256"
            ),
        ),
    ]
