"""The prescription of the claims wired on the case (deadlines.prescription and services):
worked examples computed by hand from the texts, each naming its article."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cases import proceedings
from cases.enums import (
    TAX_NATURES,
    ActOutcome,
    ActParty,
    AppealParty,
    ClaimNature,
    DecisionOutcome,
    EventKind,
    Instance,
    PrescriptionState,
    StartingActKind,
)
from cases.forms import ClaimForm
from cases.models import ActionType, Case, Claim
from cases.pieces import sample_pdf
from cases.referral import claim_warnings, referral_problems
from deadlines import prescription, prescription_engine, services
from deadlines.enums import ProcedureActKind, SuspensionCause
from deadlines.models import PrescriptionSuspension
from tests.factories import CaseFactory, ClaimFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _case(code="saisie_immobiliere", **kwargs):
    return CaseFactory(action_type=ActionType.objects.get(code=code), **kwargs)


def _claim(case, **kwargs) -> Claim:
    values = {"nature": ClaimNature.IMPOT_AMR, "assessment_date": D(2023, 3, 15)}
    return ClaimFactory(case=case, **{**values, **kwargs})


def _served(case, user, kind, on, party=""):
    act = proceedings.record_starting_act(
        case, user, kind=kind, court="Tribunal judiciaire de Laon", signed_on=on, served_on=on,
        party=party,
    )  # fmt: skip
    services.on_starting_act(case, user, act)
    return act


def _decide(case, user, *, on, notified_on=None, outcome=DecisionOutcome.GRANTED, instance=None):
    decision = proceedings.record_decision(
        case,
        user,
        instance=instance or Instance.FIRST,
        decided_on=on,
        court="Tribunal judiciaire de Laon",
        outcome=outcome,
        notified_on=notified_on,
        judgment_file=SimpleUploadedFile("jugement.pdf", sample_pdf("Jugement")),
    )
    services.on_decision(case, user, decision)
    return decision


def _reload(claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


# --- The lists of the kernel are the engine's ---------------------------------------------


def test_the_kernel_choices_are_the_engine_values():
    assert set(ClaimNature.values) == set(prescription_engine.REGIMES)
    assert set(ActParty.values) == {p.value for p in prescription_engine.Party}
    assert set(ActOutcome.values) == {o.value for o in prescription_engine.Outcome}
    assert set(SuspensionCause.values) == {c.value for c in prescription_engine.SuspensionCause}
    states = {s.value for s in prescription_engine.State}
    assert states == set(PrescriptionState.values) - {PrescriptionState.UNKNOWN}


# --- The starting point, per regime ----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # LPF L.274: four years from the mise en recouvrement of the rôle.
        ({"nature": ClaimNature.IMPOT_ROLE, "assessment_date": D(2023, 6, 12)}, D(2027, 6, 12)),
        # LPF L.274: an AMR, four years from its sending (kept beside its date).
        (
            {
                "nature": ClaimNature.IMPOT_AMR,
                "assessment_date": D(2023, 3, 10),
                "amr_sent_on": D(2023, 3, 20),
            },
            D(2027, 3, 20),
        ),
        # An AMR whose sending is not known: from its date, earlier (never too late).
        ({"nature": ClaimNature.IMPOT_AMR, "assessment_date": D(2023, 3, 10)}, D(2027, 3, 10)),
        # C. pén. 133-3: a délit's fine, six years from the conviction become final.
        (
            {
                "nature": ClaimNature.AMENDE_DELIT,
                "assessment_date": D(2023, 9, 1),
                "conviction_final_on": D(2021, 5, 4),
            },
            D(2027, 5, 4),
        ),
        # C. pén. 133-4: a contravention's fine, three years.
        (
            {
                "nature": ClaimNature.AMENDE_CONTRAVENTION,
                "assessment_date": D(2024, 2, 1),
                "conviction_final_on": D(2024, 1, 15),
            },
            D(2027, 1, 15),
        ),
        # C. pén. 133-2: a crime's fine, twenty years.
        (
            {
                "nature": ClaimNature.AMENDE_CRIME,
                "assessment_date": D(2011, 1, 3),
                "conviction_final_on": D(2010, 2, 1),
            },
            D(2030, 2, 1),
        ),
    ],
)
def test_the_stored_date_starts_where_the_regime_says(values, expected):
    claim = _reload(_claim(_case(), **values))
    assert claim.prescription_date == expected
    assert claim.prescription_state == PrescriptionState.RUNNING


def test_a_claim_without_nature_gets_no_date_and_is_refused_on_the_referral():
    """No default term: a claim of unknown nature is a French refusal (form, referral)."""
    case = _case()
    claim = _reload(ClaimFactory(case=case, nature=""))
    assert claim.prescription_date is None
    assert claim.prescription_state == PrescriptionState.UNKNOWN
    assert any("indiquez la nature de la créance" in m for m in referral_problems(case)["claims"])
    form = ClaimForm(
        data={
            "tax": "amende",
            "period": "2023",
            "assessment_date": "2024-03-15",
            "principal": "100",
            "remaining": "100",
        }
    )
    assert not form.is_valid()
    assert form.errors["nature"] == [
        "Indiquez la nature de la créance (impôt par rôle ou par AMR, amende et sa classe, "
        "produit local…) : elle fixe le délai de prescription, aucun n'est supposé par défaut."
    ]


def test_a_fine_needs_the_day_its_conviction_became_final():
    form = ClaimForm(
        data={
            "tax": "amende",
            "nature": "amende_delit",
            "period": "2023",
            "assessment_date": "2024-03-15",
            "principal": "100",
            "remaining": "100",
        }
    )
    assert not form.is_valid()
    assert "condamnation est devenue définitive" in form.errors["conviction_final_on"][0]


def test_the_migration_maps_the_taxes_to_their_nature_and_leaves_fines_unknown():
    """Migration 0009: IR/TF/TH/CFE by rôle, TVA/IS/CVAE/PAS by AMR (LPF L.256); a fine, a
    taxe annexe, another claim: no nature by the tax alone."""
    import importlib

    migration = importlib.import_module("cases.migrations.0009_presc_claim_nature_data")
    assert {k: v.value for k, v in TAX_NATURES.items()} == migration.TAX_NATURES
    assert {"amende", "taxe_annexe", "autre"}.isdisjoint(migration.TAX_NATURES)


# --- Interruption only by an act against the debtor or a co-débiteur ------------------------


def test_the_assignation_of_the_manager_interrupts_nothing_for_the_company(users):
    """C. civ. 2241, 2245; LPF L.267: the manager is no co-débiteur before his condemnation.
    The demo case 6 regression: his assignation moved the company's VAT to 2030."""
    case = _case("solidarite_dirigeant", to="taken_over")
    claim = case.claims.get()
    before = claim.prescription_date
    act = _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 2, 10))
    assert act.party == ActParty.MANAGER  # the action type's default
    claim = _reload(claim)
    assert claim.prescription_date == before
    [item] = prescription.explain(case)
    assert "sans effet : acte dirigé contre le dirigeant" in item.result.steps[-1].effect


@pytest.mark.parametrize(
    ("code", "party"),
    [("tiers_detenteur", ActParty.THIRD_PARTY_HOLDER), ("action_paulienne", ActParty.ACQUIRER)],
)
def test_an_act_against_a_third_party_interrupts_nothing(users, code, party):
    """C. civ. 2241, 2244: the assignation of a third-party holder, of the acquirer in a
    paulienne, is not an act against the debtor."""
    case = _case(code)
    claim = _claim(case)
    act = _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 2, 10))
    assert act.party == party
    assert _reload(claim).prescription_date == D(2027, 3, 15)


def test_the_commandement_served_on_the_debtor_interrupts(users):
    """C. civ. 2244 (act of forced execution), 2231: a new term of four years."""
    case = _case()
    claim = _claim(case)
    _served(case, users["jurist"], StartingActKind.COMMANDEMENT, D(2026, 2, 10))
    assert _reload(claim).prescription_date == D(2030, 2, 10)
    event = case.events.filter(kind=EventKind.PRESCRIPTION_MOVED).latest("at")
    assert "10/02/2030" in event.summary and "nouveau délai de 4 ans" in event.reason


@pytest.mark.parametrize(
    ("party", "expected"),
    [(ActParty.DEBTOR, D(2030, 3, 2)), (ActParty.THIRD_PARTY_HOLDER, D(2027, 3, 15))],
)
def test_a_payment_interrupts_only_when_made_by_the_debtor(users, party, expected):
    """C. civ. 2240: the debtor's payment acknowledges the debt; a third party's does not."""
    case = _case()
    claim = _claim(case)
    recovery = proceedings.record_recovery(
        case, users["jurist"], received_on=D(2026, 3, 2), amount=Decimal("100"), party=party
    )
    services.record_interruptive_act(case, users["jurist"], recovery.received_on, "paiement")
    assert _reload(claim).prescription_date == expected


def test_an_acknowledgement_by_the_debtor_interrupts(users):
    """C. civ. 2240: a reconnaissance de dette by the debtor."""
    case = _case()
    claim = _claim(case)
    services.record_procedure_act(
        case, users["jurist"], kind=ProcedureActKind.RECONNAISSANCE, date=D(2026, 4, 7)
    )
    assert _reload(claim).prescription_date == D(2030, 4, 7)


def test_the_manager_condemned_under_l267_is_a_co_debtor_from_the_decision(users):
    """LPF L.267, C. civ. 2245: once condemned, an act of execution against the manager
    interrupts the company's claim; before, it did not."""
    case = _case("solidarite_dirigeant", to="taken_over")
    claim = case.claims.get()
    before = _reload(claim).prescription_date
    services.record_procedure_act(
        case,
        users["jurist"],
        kind=ProcedureActKind.COMMANDEMENT_SERVED,
        date=D(2026, 3, 2),
        party=ActParty.MANAGER,
    )
    assert _reload(claim).prescription_date == before
    _decide(case, users["jurist"], on=D(2026, 5, 4))
    services.record_procedure_act(
        case,
        users["jurist"],
        kind=ProcedureActKind.COMMANDEMENT_SERVED,
        date=D(2026, 6, 1),
        party=ActParty.MANAGER,
    )
    assert _reload(claim).prescription_date == D(2030, 6, 1)


# --- A court action: until the end of the instance, or wiped out ----------------------------


def test_an_action_against_the_debtor_interrupts_until_the_end_of_the_instance(users):
    """C. civ. 2242: « interrompue jusqu'à l'issue de l'instance »; then a new term from
    the decision become final. Decision notified Wednesday 10 June 2026: appeal until
    Friday 10 July (CPC 538, one month); final on 11 July; four years: 11 July 2030."""
    case = _case("partage_indivision")
    claim = _claim(case)
    _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 1, 12))
    claim = _reload(claim)
    assert claim.prescription_state == PrescriptionState.INTERRUPTED_PENDING
    assert claim.prescription_date is None
    assert not claim.is_prescribed(D(2040, 1, 1))
    _decide(case, users["jurist"], on=D(2026, 6, 8), notified_on=D(2026, 6, 10))
    claim = _reload(claim)
    assert claim.prescription_state == PrescriptionState.RUNNING
    assert claim.prescription_date == D(2030, 7, 11)


def test_an_appeal_keeps_the_instance_pending(users):
    """C. civ. 2242: the instance goes on in appeal; the appeal decision ends it at once."""
    case = _case("partage_indivision")
    claim = _claim(case)
    _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 1, 12))
    decision = _decide(case, users["jurist"], on=D(2026, 6, 8), notified_on=D(2026, 6, 10))
    appeal = proceedings.record_appeal(
        case,
        users["jurist"],
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=D(2026, 6, 20),
        court="Cour d'appel d'Amiens",
        grounds="Contestation.",
    )
    services.on_appeal(case, users["jurist"], str(appeal))
    assert _reload(claim).prescription_state == PrescriptionState.INTERRUPTED_PENDING
    _decide(case, users["jurist"], on=D(2026, 11, 3), instance=Instance.APPEAL)
    assert _reload(claim).prescription_date == D(2030, 11, 3)


def test_cpc_403_a_withdrawn_appeal_leaves_the_judgment_final_not_the_action_wiped(users):
    """CPC 403: the désistement d'appel emporte acquiescement au jugement: the judgment is
    final from the order recording the désistement; C. civ. 2243 (the interruption non
    avenue) is for a désistement of the demande itself, not of the appeal: a new term of
    four years from 3 November 2026, not the date before the assignation."""
    case = _case("partage_indivision")
    claim = _claim(case)
    _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 1, 12))
    decision = _decide(case, users["jurist"], on=D(2026, 6, 8), notified_on=D(2026, 6, 10))
    proceedings.record_appeal(
        case,
        users["jurist"],
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=D(2026, 6, 20),
        court="Cour d'appel d'Amiens",
        grounds="Contestation.",
    )
    _decide(
        case,
        users["jurist"],
        on=D(2026, 11, 3),
        instance=Instance.APPEAL,
        outcome=DecisionOutcome.WITHDRAWN,
    )
    claim = _reload(claim)
    assert claim.prescription_state == PrescriptionState.RUNNING
    assert claim.prescription_date == D(2030, 11, 3)


@pytest.mark.parametrize(
    "outcome", [ActOutcome.WITHDRAWN, ActOutcome.LAPSED, ActOutcome.REJECTED, ActOutcome.CADUC]
)
def test_a_withdrawn_lapsed_or_rejected_action_never_interrupted(users, outcome):
    """C. civ. 2243: the interruption is non avenue; the date is the one before it, with a
    history entry saying why."""
    case = _case("partage_indivision")
    claim = _claim(case)
    act = _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 1, 12))
    services.record_act_outcome(
        act, users["jurist"], outcome=outcome, on=D(2026, 3, 2), reason="Ordonnance du 2 mars"
    )
    claim = _reload(claim)
    assert claim.prescription_state == PrescriptionState.RUNNING
    assert claim.prescription_date == D(2027, 3, 15)
    event = case.events.filter(kind=EventKind.PRESCRIPTION_MOVED).latest("at")
    assert "C. civ. 2243" in event.reason and "Ordonnance du 2 mars" in event.summary


def test_a_decision_recording_a_withdrawal_wipes_the_interruption_out(users):
    """C. civ. 2243, read from the decisions of the case."""
    case = _case("partage_indivision")
    claim = _claim(case)
    _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 1, 12))
    _decide(case, users["jurist"], on=D(2026, 4, 1), outcome=DecisionOutcome.WITHDRAWN)
    assert _reload(claim).prescription_date == D(2027, 3, 15)


def test_a_commandement_become_caduc_never_interrupted(users):
    case = _case()
    claim = _claim(case)
    act = _served(case, users["jurist"], StartingActKind.COMMANDEMENT, D(2026, 2, 10))
    assert _reload(claim).prescription_date == D(2030, 2, 10)
    services.record_act_outcome(
        act, users["jurist"], outcome=ActOutcome.CADUC, on=D(2026, 6, 1), reason="Caducité"
    )
    assert _reload(claim).prescription_date == D(2027, 3, 15)


def test_an_outcome_that_does_not_fit_the_act_is_refused_in_french(users):
    case = _case()
    claim = _claim(case)
    act = _served(case, users["jurist"], StartingActKind.COMMANDEMENT, D(2026, 2, 10))
    with pytest.raises(ValidationError, match="ne peut devenir que caduc ou périmé"):
        services.record_act_outcome(
            act, users["jurist"], outcome=ActOutcome.WITHDRAWN, on=D(2026, 6, 1), reason="x"
        )
    with pytest.raises(ValidationError, match="ne peut précéder la signification"):
        services.record_act_outcome(
            act, users["jurist"], outcome=ActOutcome.CADUC, on=D(2026, 1, 1), reason="x"
        )
    assert _reload(claim).prescription_date == D(2030, 2, 10)


# --- Suspension ---------------------------------------------------------------------------


def test_a_sursis_de_paiement_suspends_the_term(users):
    """LPF L.277, C. civ. 2230: from 10 Jan. 2023, four years end on 10 Jan. 2027; a sursis
    from 10 Jan. to 10 July 2024 (182 days) is not counted: 11 July 2027. While it runs,
    the claim is « suspendue »."""
    case = _case()
    claim = _claim(case, nature=ClaimNature.IMPOT_ROLE, assessment_date=D(2023, 1, 10))
    assert _reload(claim).prescription_date == D(2027, 1, 10)
    suspension = services.record_suspension(
        case, users["jurist"], cause=SuspensionCause.SURSIS_DE_PAIEMENT, start=D(2024, 1, 10)
    )
    assert _reload(claim).prescription_state == PrescriptionState.SUSPENDED
    services.end_suspension(suspension, users["jurist"], end=D(2024, 7, 10))
    claim = _reload(claim)
    assert claim.prescription_state == PrescriptionState.RUNNING
    assert claim.prescription_date == D(2027, 7, 11)


def test_a_suspension_of_one_claim_leaves_the_others(users):
    case = _case()
    one = _claim(case)
    other = _claim(case, assessment_date=D(2023, 4, 1))
    services.record_suspension(
        case,
        users["jurist"],
        cause=SuspensionCause.PROCEDURE_COLLECTIVE,
        start=D(2024, 1, 10),
        claim=one,
    )
    assert _reload(one).prescription_state == PrescriptionState.SUSPENDED
    assert _reload(other).prescription_date == D(2027, 4, 1)


def test_a_bad_suspension_is_refused_in_french_and_nothing_is_saved(users):
    case = _case()
    _claim(case)
    with pytest.raises(ValidationError, match="ne peut pas finir avant de commencer"):
        services.record_suspension(
            case,
            users["jurist"],
            cause=SuspensionCause.SURENDETTEMENT,
            start=D(2024, 5, 1),
            end=D(2024, 4, 1),
        )
    assert not PrescriptionSuspension.objects.exists()


def test_the_deadlines_page_records_and_ends_a_suspension(client, users):
    case = _case(to="action_engaged")
    claim = case.claims.get()
    client.force_login(case.assigned_jurist)
    url = f"/echeances/dossier/{case.reference}/suspension/"
    response = client.post(url, {"cause": "sursis_de_paiement", "start": "2026-01-05"})
    assert response.status_code == 302
    assert _reload(claim).prescription_state == PrescriptionState.SUSPENDED
    suspension = PrescriptionSuspension.objects.get()
    response = client.post(f"/echeances/suspension/{suspension.pk}/fin/", {"end": "2025-01-01"})
    assert response.status_code == 422
    assert "ne peut finir avant de commencer" in response.content.decode()
    client.post(f"/echeances/suspension/{suspension.pk}/fin/", {"end": "2026-02-04"})
    page = client.get(f"/echeances/dossier/{case.reference}/").content.decode()
    assert "Pourquoi cette date" in page and "Sursis de paiement (LPF L.277)" in page
    assert _reload(claim).prescription_state == PrescriptionState.RUNNING


# --- The page, the command -----------------------------------------------------------------


def test_the_case_page_shows_the_chain_and_the_state(client, users):
    case = _case("partage_indivision", to="taken_over")
    _served(case, users["head"], StartingActKind.ASSIGNATION, D(2026, 1, 12))
    client.force_login(users["head"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Interrompue jusqu&#x27;à l&#x27;issue de l&#x27;instance" in page
    assert "Pourquoi cette date" in page
    assert "C. civ. 2242" in page


def test_the_command_prints_one_line_per_claim(users):
    case = _case("solidarite_dirigeant")
    _claim(case, period="2023", assessment_date=D(2023, 3, 15))
    _claim(case, period="2019", assessment_date=D(2019, 5, 2))
    out = io.StringIO()
    call_command("prescription", case.reference, "--detail", stdout=out)
    lines = out.getvalue().splitlines()
    claims = [line for line in lines if not line.startswith("    ")]
    assert claims[0].startswith("2023-05-02\tTVA 2019 (prescrite : exclue de l'action)\t")
    assert claims[-1].startswith("2027-03-15\tTVA 2023\t")
    assert any("Point de départ" in line for line in lines if line.startswith("    "))


def test_the_command_refuses_an_unknown_case_with_exit_2():
    with pytest.raises(CommandError) as error:
        call_command("prescription", "PNSR-1999-00001")
    assert error.value.returncode == 2
    assert "Aucun dossier de référence « PNSR-1999-00001 »" in str(error.value)


# --- L.267: a prescribed claim is excluded, not a refusal -----------------------------------


def test_l267_excludes_a_prescribed_claim_from_the_form_amounts_and_pleadings(client, users):
    """LPF L.267, Cass. com. 5 déc. 2000: the referral goes through; the prescribed claim is
    shown as excluded and left out of the amounts and the draft assignation."""
    from documents.pleadings import default_sections

    case = _case("solidarite_dirigeant", complete=True)
    live = case.claims.get()
    _claim(case, period="2019", assessment_date=D(2019, 5, 2), remaining=Decimal("5000"))
    assert "claims" not in referral_problems(case)
    assert case.amounts["remaining"] == live.remaining
    [warning] = claim_warnings(case)
    assert "TVA 2019 prescrite depuis le 03/05/2023 : exclue de l'action" in warning
    text = "\n".join(s["body"] for s in default_sections(case))
    assert "TVA 2019, prescrites, ne sont pas comprises" in text
    assert "mise en recouvrement le 2 mai 2019" not in text
    client.force_login(case.created_by)
    page = client.get(f"/dossiers/{case.reference}/modifier/").content.decode()
    assert "exclue de l&#x27;action" in page


def test_another_action_only_warns_on_a_prescribed_claim():
    case = _case("saisie_immobiliere")
    _claim(case, period="2019", assessment_date=D(2019, 5, 2), remaining=Decimal("5000"))
    assert case.excluded_claims() == []
    assert case.amounts["remaining"] == Decimal("5000")
    [warning] = claim_warnings(case)
    assert "vérifiez qu'aucun acte interruptif ne manque" in warning


def test_the_daily_task_sets_running_a_claim_whose_decision_became_final(users):
    """C. civ. 2242: the appeal period ran out after the decision was recorded; the daily
    run gives the new term with no act to trigger it (here the claim's stored state is put
    back as it stood before the period ended)."""
    case = _case("partage_indivision")
    claim = _claim(case)
    _served(case, users["jurist"], StartingActKind.ASSIGNATION, D(2026, 1, 12))
    _decide(case, users["jurist"], on=D(2026, 6, 8), notified_on=D(2026, 6, 10))
    Claim.objects.filter(pk=claim.pk).update(
        prescription_date=None, prescription_state=PrescriptionState.INTERRUPTED_PENDING
    )
    assert prescription.refresh_pending_instances() == 1
    assert _reload(claim).prescription_date == D(2030, 7, 11)


def test_l267_lists_and_dashboards_count_only_the_pursued_claims(users):
    """LPF L.267 (Cass. com. 5 déc. 2000): the prescribed claim left out of the action is left
    out of the case list's amount and earliest prescription and of the dashboards' « near
    prescription » too (it would show the case as already prescribed); another action keeps
    counting it."""
    from dashboards.figures import earliest_prescription

    case = _case("solidarite_dirigeant", complete=True)
    live = case.claims.get()
    _claim(case, period="2019", assessment_date=D(2019, 5, 2), remaining=Decimal("5000"))
    listed = Case.objects.with_amounts().get(pk=case.pk)
    assert listed.total_remaining == live.remaining
    assert listed.earliest_prescription == _reload(live).prescription_date
    assert (
        Case.objects.annotate(p=earliest_prescription()).get(pk=case.pk).p
        == _reload(live).prescription_date
    )
    other = _case("saisie_immobiliere")
    _claim(other, period="2019", assessment_date=D(2019, 5, 2), remaining=Decimal("5000"))
    assert Case.objects.annotate(p=earliest_prescription()).get(pk=other.pk).p == D(2023, 5, 2)
