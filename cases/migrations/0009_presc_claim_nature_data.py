"""Existing rows under the prescription regimes of issue 15.

- A claim's nature follows from its tax where the tax decides it (LPF L.274): the taxes
  assessed by rôle (IR, TF, TH, CFE) and the self-assessed ones recovered by AMR (TVA, IS,
  CVAE, PAS, LPF L.256; the sending of the AMR is not known: the engine counts from its
  mise en recouvrement, earlier, never too late). A fine (its class and the day its
  conviction became final), a taxe annexe or another claim keeps no nature: no date is
  supposed for it, the case shows « nature de la créance à préciser » and the referral
  form asks for it.
- The stored date of a mapped claim is recounted from its own dates only (four years from
  the mise en recouvrement or the poste's last declared interruptive act): the old rule let
  any served act of the case move it (demo case 6: the assignation of the manager). The
  acts of the pôle against the debtor are applied again by deadlines.prescription on the
  next act, decision or suspension of the case, or by `manage.py prescription --recompute`.
- The starting act of each action type is directed against the party its nature says
  (C. civ. 2241, 2244, 2245): the manager (L.267), the third-party holder, the acquirer
  (paulienne), the debtor's own debtor (oblique); the others, the debtor.
"""

from django.db import migrations

TAX_NATURES = {
    "IR": "impot_role",
    "TF": "impot_role",
    "TH": "impot_role",
    "CFE": "impot_role",
    "TVA": "impot_amr",
    "IS": "impot_amr",
    "CVAE": "impot_amr",
    "PAS": "impot_amr",
}
STARTING_ACT_PARTIES = {
    "solidarite_dirigeant": "manager",
    "tiers_detenteur": "third_party_holder",
    "action_paulienne": "acquirer",
    "action_oblique": "other",
}


def add_years(start, years):
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February: the last day of the month
        return start.replace(year=start.year + years, day=28)


def forwards(apps, schema_editor):
    Claim = apps.get_model("cases", "Claim")
    ActionType = apps.get_model("cases", "ActionType")
    for claim in Claim.objects.all().iterator():
        nature = TAX_NATURES.get(claim.tax, "")
        if nature:
            start = claim.last_interruptive_act or claim.assessment_date
            claim.nature, claim.prescription_state = nature, "running"
            claim.prescription_date = add_years(start, 4)
        else:
            claim.nature, claim.prescription_state, claim.prescription_date = "", "unknown", None
        claim.save(update_fields=["nature", "prescription_state", "prescription_date"])
    for code, party in STARTING_ACT_PARTIES.items():
        ActionType.objects.filter(code=code).update(starting_act_party=party)


def backwards(apps, schema_editor):
    Claim = apps.get_model("cases", "Claim")
    for claim in Claim.objects.filter(prescription_date__isnull=True).iterator():
        start = claim.last_interruptive_act or claim.assessment_date
        claim.prescription_date = add_years(start, 4)
        claim.save(update_fields=["prescription_date"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_presc_claim_nature_parties")]

    operations = [migrations.RunPython(forwards, backwards)]
