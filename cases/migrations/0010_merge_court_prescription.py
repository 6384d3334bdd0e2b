# The court's département and parties' residence (issue 15, calendar) and the claims'
# prescription regime (issue 15, prescription) were added side by side on 0007.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_court_residence_court_departement"),
        ("cases", "0009_presc_claim_nature_data"),
    ]

    operations = []
