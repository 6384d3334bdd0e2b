"""Issue 17: the parties of a case and the decisions of each procedure.

The parties the pôle adds on the takeover steps (their residence moving the opponent's
periods, CPC 643-644), the parties an action needs before its starting act (C. civ.
1341-1, 1341-2, 815-17), the warning when the mandated lawyer's bar cannot plead before the
court (postulation: loi n° 71-1130 art. 5; CPCE R.311-4), the outcomes each procedure and
instance can have, an amount only where money is awarded, the radiation that sends the
case back to its hearings (CPC 381-383), the pourvoi (CPC 612) and the opposition (CPC 538,
571-572). Every date is counted by hand from the texts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import decisions, proceedings
from cases.enums import (
    AppealParty,
    CaseStatus,
    DecisionOutcome,
    EventKind,
    Instance,
    PartyRole,
    Residence,
)
from cases.models import ActionType, Decision, Lawyer, Party
from cases.pieces import sample_pdf
from deadlines import services as deadline_services
from deadlines.calendar import appeal_deadline, decision_recourse, late_appeal, opponent_appeal
from tests.factories import COMPLETIONS, CaseFactory, case_at_step, take_step
from tests.workflows.conftest import open_step_names, open_task
from workflows.services import deadline_note
from workflows.steps import AppealForm, DecisionForm, HearingForm, MandateForm, StartingActForm

pytestmark = pytest.mark.django_db
D = datetime.date
Out = DecisionOutcome


def action(code: str) -> ActionType:
    return ActionType.objects.get(code=code)


def judgment() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def decided_case(code: str = "action_paulienne", **kwargs):
    return CaseFactory(
        to=CaseStatus.DECIDED, lifecycle_only=True, action_type=action(code), **kwargs
    )


def decide(case, user, notified_on, *, instance=Instance.FIRST, outcome=Out.GRANTED, **kw):
    decision = proceedings.record_decision(
        case,
        user,
        instance=instance,
        decided_on=notified_on,
        court="Tribunal judiciaire de Laon",
        outcome=outcome,
        notified_on=notified_on,
        judgment_file=judgment(),
        **kw,
    )
    deadline_services.on_decision(case, user, decision)
    return decision


def add_party(case, user, role=PartyRole.ACQUIRER, **values):
    values.setdefault("name", "SCI LES TILLEULS")
    return proceedings.record_party(case, user, role=role, **values)


# --- Parties ------------------------------------------------------------------------------


def test_a_party_added_on_a_takeover_step_is_on_the_case_page(client, users):
    """« Ajouter une partie » on the mandate step: the party, its residence and its counsel
    on the case page, beside the debtor read from the referral; one history entry."""
    case = case_at_step("mandate_lawyer", action_type=action("action_paulienne"))
    task = open_task(case, "mandate_lawyer")
    client.force_login(case.assigned_jurist)
    response = client.post(
        reverse("workflows:side_action", args=[task.pk, "party"]),
        {
            "role": PartyRole.ACQUIRER,
            "name": "SCI LES TILLEULS",
            "address": "3 rue des Lilas, 02000 Laon",
            "residence": Residence.REUNION,
            "counsel_name": "Maître Paul Morel",
            "counsel_bar": "Barreau de Saint-Denis de La Réunion",
        },
    )
    assert response.status_code == 302
    party = case.parties.get()
    assert (party.role, party.residence) == (PartyRole.ACQUIRER, Residence.REUNION)
    assert case.events.filter(kind=EventKind.UPDATED, summary__contains="SCI LES TILLEULS")

    page = client.get(case.get_absolute_url()).content.decode()
    assert "SCI LES TILLEULS" in page
    assert "acquéreur (action paulienne)" in page
    assert "La Réunion" in page
    assert "Maître Paul Morel (Barreau de Saint-Denis de La Réunion)" in page
    assert str(case.debtor) in page and "(saisine)" in page


def test_a_party_is_edited_on_the_same_side_action(users):
    """Choosing the party changes it rather than adding another."""
    case = decided_case()
    party = add_party(case, users["jurist"])
    proceedings.record_party(
        case,
        users["jurist"],
        party=party,
        role=PartyRole.ACQUIRER,
        name="SCI LES TILLEULS",
        residence=Residence.ETRANGER,
    )
    assert case.parties.count() == 1
    assert Party.objects.get(pk=party.pk).residence == Residence.ETRANGER


def test_a_party_without_a_name_is_refused_in_french(users):
    case = decided_case()
    with pytest.raises(ValidationError) as refused:
        add_party(case, users["jurist"], name="  ")
    assert "name" in refused.value.message_dict
    assert not case.parties.exists()


def test_cpc_643_the_residence_of_a_recorded_party_moves_the_opponent_s_appeal(users):
    """CPC 643 2°: an acquirer living abroad gets two more months to appeal. Notified Friday
    10 April 2026, one month ends Sunday 10 May → Monday 11 May for the debtor in
    metropolitan France; the acquirer abroad: 10 April + 3 months = Friday 10 July 2026. The
    latest opponent's period is the one the pôle watches; the pôle's own takes no
    extension."""
    case = decided_case()
    before = decide(case, users["jurist"], D(2026, 4, 10))
    assert opponent_appeal(before).last_day == D(2026, 5, 11)

    add_party(case, users["jurist"], residence=Residence.ETRANGER)
    period = opponent_appeal(Decision.objects.get(pk=before.pk))
    assert period.last_day == D(2026, 7, 10)
    assert period.deadline.extension.article == "CPC 643"
    assert "SCI LES TILLEULS" in period.party
    assert appeal_deadline(before) == D(2026, 5, 11)


def test_cpc_644_a_co_plaintiff_is_not_an_opponent(users):
    """A co-plaintiff (URSSAF) stands with the administration: its residence abroad does not
    extend the opponent's period."""
    case = decided_case()
    add_party(
        case, users["jurist"], role=PartyRole.CO_PLAINTIFF, name="URSSAF", residence="etranger"
    )
    decision = decide(case, users["jurist"], D(2026, 4, 10))
    assert opponent_appeal(decision).last_day == D(2026, 5, 11)


# --- The parties an action needs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "role", "words"),
    [
        # C. civ. 1341-2: the act is declared inopposable against the acquirer heard.
        ("action_paulienne", PartyRole.ACQUIRER, "l'acquéreur"),
        # C. civ. 1341-1: the creditor sues the third-party debtor in the debtor's name.
        ("action_oblique", PartyRole.THIRD_PARTY_DEBTOR, "le tiers débiteur"),
        # C. civ. 815-17 al. 3, CPC 1360: every co-owner is called to the partage.
        ("partage_indivision", PartyRole.CO_OWNER, "les co-indivisaires"),
    ],
)
def test_the_action_is_not_engaged_without_the_party_it_needs(client, users, code, role, words):
    case = case_at_step("starting_act", action_type=action(code))
    data, _ = COMPLETIONS[("starting_act", "engage")](case)
    form = StartingActForm(data, case=case, user=case.assigned_jurist)
    assert not form.is_valid()
    message = " ".join(form.non_field_errors())
    assert words in message
    assert f"« {PartyRole(role).label} »" in message
    assert "« Ajouter une partie »" in message
    # The step page says it before the jurist tries.
    client.force_login(case.assigned_jurist)
    page = client.get(reverse("workflows:task", args=[open_task(case).pk])).content.decode()
    assert "Parties à ajouter avant d'engager l'action" in page

    add_party(case, users["jurist"], role=role, name="M. Jean DUPONT")
    take_step(case, "starting_act", "engage")
    assert case.status == CaseStatus.ACTION_ENGAGED


def test_a_saisie_needs_no_particular_party():
    case = case_at_step("starting_act")
    data, _ = COMPLETIONS[("starting_act", "engage")](case)
    assert StartingActForm(data, case=case, user=case.assigned_jurist).is_valid()


# --- The lawyer's bar and the court ----------------------------------------------------------


def test_the_mandate_warns_when_the_lawyer_does_not_plead_before_the_court(client):
    """Maître Lefèvre-Dambrine (Barreau de Laon) pleads before the Tribunal judiciaire de
    Laon: no warning there; before Saint-Quentin's, a warning (not a refusal), and for a
    saisie immobilière the postulation rule (loi n° 71-1130 art. 5; CPCE R.311-4)."""
    case = case_at_step("mandate_lawyer")
    laon = Lawyer.objects.get(bar="Barreau de Laon")
    data = {"lawyer": laon.pk, "mandated_on": "2026-01-05"}
    form = MandateForm(
        {**data, "court": "Tribunal judiciaire de Laon"}, case=case, user=case.assigned_jurist
    )
    assert form.is_valid() and form.warnings == []

    form = MandateForm(
        {**data, "court": "Tribunal judiciaire de Saint-Quentin"},
        case=case,
        user=case.assigned_jurist,
    )
    assert form.is_valid()
    (warning,) = form.warnings
    assert "ne plaide pas devant « Tribunal judiciaire de Saint-Quentin »" in warning
    assert "loi n° 71-1130 du 31 décembre 1971, art. 5" in warning and "R.311-4" in warning

    # Through the page: the step is done and the warning shown.
    client.force_login(case.assigned_jurist)
    response = client.post(
        reverse("workflows:task", args=[open_task(case).pk]),
        {"action": "complete", **data, "court": "Tribunal judiciaire de Saint-Quentin"},
        follow=True,
    )
    assert response.status_code == 200
    assert case.mandates.filter(lawyer=laon).exists()
    assert "ne plaide pas devant" in response.content.decode()


def test_a_hearing_before_another_court_warns_and_the_step_page_says_it(client, users):
    """An action other than a saisie: the warning without the postulation rule."""
    case = case_at_step("hearings", action_type=action("solidarite_dirigeant"))
    lawyer = case.mandates.get().lawyer
    form = HearingForm(
        {
            "court": "Tribunal judiciaire de Lille",
            "scheduled_at": "2026-01-05T09:30",
            "kind": "plaidoirie",
        },
        case=case,
        user=case.assigned_jurist,
    )
    assert form.is_valid(), form.errors
    (warning,) = form.warnings
    assert lawyer.name in warning and "Lille" in warning
    assert "71-1130" not in warning
    # The starting act named the Tribunal judiciaire de Laon, in the lawyer's list: none.
    client.force_login(case.assigned_jurist)
    page = client.get(reverse("workflows:task", args=[open_task(case).pk])).content.decode()
    assert "Avocat et juridiction" not in page


# --- The outcomes of each procedure ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "instance", "offered", "not_offered"),
    [
        ("saisie_immobiliere", Instance.FIRST, {"vente_amiable", "vente_forcee", "nullite"},
         {"condemned"}),
        ("solidarite_dirigeant", Instance.FIRST, {"condemned"}, {"vente_forcee"}),
        ("tiers_detenteur", Instance.FIRST, {"holder_condemned"}, {"condemned"}),
        ("action_paulienne", Instance.FIRST, {"inopposable"}, {"partage_ordonne"}),
        ("partage_indivision", Instance.FIRST, {"partage_ordonne"}, {"inopposable"}),
        ("procedure_collective", Instance.FIRST, {"opening_rj", "opening_lj", "rejected"},
         {"condemned"}),
        ("solidarite_dirigeant", Instance.APPEAL, {"confirmed", "reversed", "partly"},
         {"condemned"}),
        ("solidarite_dirigeant", Instance.CASSATION, {"cassation_rejected", "cassation_granted"},
         {"confirmed"}),
        ("action_paulienne", Instance.OPPOSITION, {"inopposable", "confirmed", "reversed"},
         {"cassation_granted"}),
    ],
)  # fmt: skip
def test_the_outcomes_of_each_procedure_and_instance(code, instance, offered, not_offered):
    found = set(decisions.outcomes(code, instance))
    assert offered <= found
    assert not (not_offered & found)
    # For all: radiation suspends, caducité ends, désistement, rejet.
    assert {Out.RADIATION, Out.CADUCITE, Out.WITHDRAWN, Out.REJECTED} <= found
    assert Out.STRUCK_OUT not in found


def test_the_decision_form_offers_only_the_case_s_outcomes():
    case = case_at_step("decision", action_type=action("solidarite_dirigeant"))
    form = DecisionForm(case=case, user=case.assigned_jurist)
    values = {value for value, _ in form.fields["outcome"].choices}
    assert Out.CONDEMNED in values and Out.VENTE_FORCEE not in values
    data, files = COMPLETIONS[("decision", "decided")](case)
    refused = DecisionForm(
        {**data, "outcome": Out.VENTE_FORCEE}, files, case=case, user=case.assigned_jurist
    )
    assert not refused.is_valid() and "outcome" in refused.errors


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("action_paulienne", Out.INOPPOSABLE),
        ("saisie_immobiliere", Out.NULLITE),
        ("action_paulienne", Out.GRANTED),
    ],
)
def test_an_amount_is_refused_where_no_money_is_awarded(code, outcome):
    case = case_at_step("decision", action_type=action(code))
    data, files = COMPLETIONS[("decision", "decided")](case)
    form = DecisionForm(
        {**data, "outcome": outcome, "amount_awarded": "1 000,00"},
        files,
        case=case,
        user=case.assigned_jurist,
    )
    assert not form.is_valid()
    assert "n'alloue aucune somme" in form.errors["amount_awarded"][0]
    data, files = COMPLETIONS[("decision", "decided")](case)
    form = DecisionForm(
        {**data, "outcome": outcome, "amount_awarded": ""},
        files,
        case=case,
        user=case.assigned_jurist,
    )
    assert form.is_valid(), form.errors


def test_the_database_refuses_an_amount_where_no_money_is_awarded(users):
    case = decided_case()
    decision = decide(case, users["jurist"], D(2026, 4, 10), outcome=Out.INOPPOSABLE)
    decision.amount_awarded = 1000
    with pytest.raises(ValidationError) as refused:
        decision.full_clean()
    assert "ne s'enregistre qu'avec une décision qui condamne au paiement" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(amount_awarded=1000)
    Decision.objects.filter(pk=decision.pk).update(outcome=Out.CONDEMNED, amount_awarded=1000)


# --- Radiation -----------------------------------------------------------------------------


def test_a_radiation_sends_the_case_back_to_its_hearings(users):
    """CPC 381-383: the radiation suspends the instance; the case goes back to the hearings
    (reinstatement), with no appeal deadline and no execution; the instance goes on to a
    decision once reinstated."""
    case = case_at_step("decision")
    take_step(case, "decision", "radiation")
    assert case.status == CaseStatus.ACTION_ENGAGED
    assert open_step_names(case) == ["hearings"]
    assert case.decisions.get().outcome == Out.RADIATION
    assert not case.deadlines.filter(template="appel").exists()
    assert case.events.filter(summary__startswith="Affaire radiée").exists()
    # Rétablissement: a new hearing held, the deliberation, the decision.
    take_step(case, "hearings", "deliberation")
    take_step(case, "decision", "decided")
    assert case.status == CaseStatus.DECIDED
    assert open_step_names(case) == ["appeal_decision"]


# --- Pourvoi and opposition ------------------------------------------------------------------


def test_cpc_612_a_pourvoi_within_two_months_of_the_notification(users):
    """An appeal's decision notified Friday 10 April 2026: two months (CPC 612) end
    Wednesday 10 June 2026. The appeal step offers the pourvoi, not a second appeal, and
    refuses the pôle's pourvoi lodged on 11 June."""
    case = decided_case("solidarite_dirigeant")
    decision = decide(
        case, users["jurist"], D(2026, 4, 10), instance=Instance.APPEAL, outcome=Out.CONFIRMED
    )
    assert decision_recourse(decision) == Instance.CASSATION
    assert appeal_deadline(decision, Instance.CASSATION) == D(2026, 6, 10)
    assert deadline_note(case).startswith("Délai de pourvoi expiré le 10 juin 2026")
    form = AppealForm(case=case, user=users["jurist"])
    choices = [value for value, _ in form.fields["choice"].choices]
    assert choices == ["pole_pourvoi", "opponent_pourvoi", "none"]
    data = {
        "choice": "pole_pourvoi",
        "court": "Cour de cassation",
        "grounds": "Violation de la loi.",
    }
    assert AppealForm(
        {**data, "lodged_on": "2026-06-10"}, case=case, user=users["jurist"]
    ).is_valid()
    late = AppealForm({**data, "lodged_on": "2026-06-11"}, case=case, user=users["jurist"])
    assert not late.is_valid()
    assert "Le délai de pourvoi expirait le 10 juin 2026" in late.errors["lodged_on"][0]


def test_cpc_538_an_opposition_within_one_month_and_its_distance(users):
    """A default judgment (CPC 473) notified Friday 10 April 2026: the opposition (CPC 538,
    571-572) runs one month, Sunday 10 May → Monday 11 May 2026 (CPC 642); for an acquirer
    living abroad, two more months (CPC 643): Friday 10 July 2026; an opposition lodged on
    13 July is late."""
    case = decided_case()
    decision = decide(case, users["jurist"], D(2026, 4, 10), by_default=True)
    assert decision_recourse(decision) == Instance.OPPOSITION
    assert appeal_deadline(decision, Instance.OPPOSITION) == D(2026, 5, 11)
    form = AppealForm(case=case, user=users["jurist"])
    assert [value for value, _ in form.fields["choice"].choices] == ["opposition", "none"]
    add_party(case, users["jurist"], residence=Residence.ETRANGER)
    period = opponent_appeal(decision, Instance.OPPOSITION)
    assert period.last_day == D(2026, 7, 10)
    late = proceedings.record_appeal(
        case,
        users["jurist"],
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=D(2026, 7, 13),
        court="Tribunal judiciaire de Laon",
        grounds="Défaut de citation.",
        instance=Instance.OPPOSITION,
    )
    assert "appel tardif" in late_appeal(late)


def test_an_opposition_reopens_the_instance_before_the_same_court(users):
    """CPC 572: the opposition brings the case back before the court that gave the default
    judgment; its decision is one of the opposition's outcomes."""
    case = case_at_step("appeal_decision", action_type=action("action_paulienne"))
    take_step(case, "appeal_decision", "opposition")
    assert case.status == CaseStatus.UNDER_APPEAL
    assert case.appeals.get().instance == Instance.OPPOSITION
    take_step(case, "hearings", "deliberation")
    form = DecisionForm(case=case, user=case.assigned_jurist)
    values = {value for value, _ in form.fields["outcome"].choices}
    assert {Out.CONFIRMED, Out.REVERSED, Out.INOPPOSABLE} <= values


def test_a_caducite_ends_the_instance_a_new_act_starts_the_action_again(users):
    """CPC 385, 406-407: the caducité extinguishes the instance: no appeal to decide, the
    case goes back to the starting act (a new act; or the head closes it, `close` runs from
    « pris en charge »); the instance's act no longer interrupts the prescription (C. civ.
    2243)."""
    case = case_at_step("decision", action_type=action("solidarite_dirigeant"))
    take_step(case, "decision", "caducite")
    assert case.status == CaseStatus.TAKEN_OVER
    assert open_step_names(case) == ["starting_act"]
    assert case.decisions.get().outcome == Out.CADUCITE
    assert case.events.filter(summary__startswith="Instance éteinte (caducité)").exists()
    take_step(case, "starting_act", "engage")
    assert case.status == CaseStatus.ACTION_ENGAGED
    assert case.starting_acts.count() == 2
