# The prescription's parties and suspensions and the saisie immobilière's procedure acts
# (issue 15) were added side by side on 0002.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0003_presc_parties_suspensions"),
        ("deadlines", "0003_saisie_procedure_acts"),
    ]

    operations = []
