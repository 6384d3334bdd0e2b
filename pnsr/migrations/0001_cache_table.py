"""The table of Django's database cache (settings.CACHES): created by `createcachetable`,
run here so that every deployment and the tests' database have it after `migrate`."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor) -> None:
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
            schema_editor.execute(
                f"DROP TABLE IF EXISTS {schema_editor.quote_name(cache['LOCATION'])}"
            )


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop)]
