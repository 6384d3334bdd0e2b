# The saisie immobilière fields (hearing kinds, marital situation, family home; issue 15)
# were added beside the court's département and the claims' prescription regime.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_merge_court_prescription"),
        ("cases", "0008_saisie_hearing_kind_marital"),
    ]

    operations = []
