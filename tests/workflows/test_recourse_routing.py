"""Issue 17: where the case goes after a decision on a recourse. An abandoned recourse
(désistement, caducité of the déclaration d'appel, déchéance of the pourvoi) leaves the
judgment attacked in force: the case goes on as that judgment says, not as if the recourse
were pending."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import decisions, proceedings
from cases.enums import AppealParty, CaseStatus, DecisionOutcome, Instance
from cases.models import ActionType
from cases.pieces import sample_pdf
from deadlines import services as deadline_services
from tests.factories import CaseFactory, case_at_step, case_for_ending, take_step
from tests.workflows.conftest import open_step_names
from workflows.steps import AppealForm

D = datetime.date
Out = DecisionOutcome
S = CaseStatus
pytestmark = pytest.mark.django_db


def action(code: str) -> ActionType:
    return ActionType.objects.get(code=code)


def judgment() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def decide(case, user, day, *, instance=Instance.FIRST, outcome=Out.GRANTED, **kw):
    decision = proceedings.record_decision(
        case,
        user,
        instance=instance,
        decided_on=day,
        court="Tribunal judiciaire de Laon",
        outcome=outcome,
        notified_on=day,
        judgment_file=judgment(),
        **kw,
    )
    deadline_services.on_decision(case, user, decision)
    return decision


def lodge(case, user, decision, day, instance=Instance.APPEAL):
    return proceedings.record_appeal(
        case,
        user,
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=day,
        court="Cour d'appel d'Amiens",
        grounds="Erreur de droit.",
        instance=instance,
    )


def choices(case, user) -> list[str]:
    return [value for value, _ in AppealForm(case=case, user=user).fields["choice"].choices]


class Row:
    def __init__(self, instance, outcome):
        self.instance, self.outcome = instance, outcome


# --- The rule, pure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "instance, outcome, abandons",
    [
        (Instance.APPEAL, Out.WITHDRAWN, True),  # CPC 403
        (Instance.APPEAL, Out.CADUCITE, True),  # CPC 908, 911-1
        (Instance.CASSATION, Out.WITHDRAWN, True),  # CPC 1024
        (Instance.CASSATION, Out.CADUCITE, True),  # déchéance, CPC 978
        (Instance.OPPOSITION, Out.WITHDRAWN, True),
        (Instance.FIRST, Out.WITHDRAWN, False),  # a désistement d'instance: no recourse
        (Instance.FIRST, Out.CADUCITE, False),
        (Instance.APPEAL, Out.REVERSED, False),
    ],
)
def test_which_decisions_abandon_a_recourse(instance, outcome, abandons):
    """CPC 403 (désistement d'appel emporte acquiescement), 911-1 (caducité de la
    déclaration d'appel), 978 (déchéance du pourvoi), 1024 (désistement du pourvoi)."""
    assert decisions.abandons_recourse(instance, outcome) is abandons
    if abandons:
        assert decisions.recourses(instance, outcome, by_default=False) == ()
        assert not decisions.ends(outcome, instance)


def test_the_judgment_attacked_stays_in_force_after_an_abandoned_recourse():
    """CPC 403, 911-1, 978, 1024: the judgment attacked governs, as after a confirmation
    or a pourvoi rejected; a reversal governs by itself."""
    first = Row(Instance.FIRST, Out.OPENING_LJ)
    for later in (
        [Row(Instance.APPEAL, Out.WITHDRAWN)],
        [Row(Instance.APPEAL, Out.CADUCITE)],
        [Row(Instance.APPEAL, Out.CONFIRMED)],
        [Row(Instance.CASSATION, Out.WITHDRAWN), Row(Instance.APPEAL, Out.CONFIRMED)],
        [Row(Instance.CASSATION, Out.CASSATION_REJECTED), Row(Instance.APPEAL, Out.CONFIRMED)],
    ):
        assert decisions.in_force([*later, first]) is first
    reversed_ = Row(Instance.APPEAL, Out.REVERSED)
    assert decisions.in_force([reversed_, first]) is reversed_
    assert decisions.in_force([]) is None


# --- The process --------------------------------------------------------------------------


def test_cpc_403_a_withdrawn_appeal_goes_to_the_execution_without_a_pourvoi(users):
    """CPC 403: the désistement d'appel emporte acquiescement au jugement: the first
    judgment is in force; no pourvoi is offered against the order recording the
    désistement, and the case goes to the execution of the judgment."""
    case = case_at_step("appeal_decision", action_type=action("solidarite_dirigeant"))
    take_step(case, "appeal_decision", "opponent_appeal")
    take_step(case, "hearings", "deliberation")
    take_step(case, "decision", "decided", {"outcome": Out.WITHDRAWN, "amount_awarded": ""})
    assert case.decisions.order_by("-pk").first().instance == Instance.APPEAL
    assert open_step_names(case) == ["appeal_decision"]
    assert choices(case, case.assigned_jurist) == ["none"]
    take_step(case, "appeal_decision", "no_appeal")
    assert case.status == S.EXECUTION and open_step_names(case) == ["execution"]


def test_cpc_911_1_the_caducite_of_the_appeal_does_not_restart_the_action(users):
    """CPC 908, 911-1: the caducité of the déclaration d'appel ends the appeal, not the
    action: the first judgment is in force and executed; the case does not go back to a
    new starting act as after the caducité of the first instance (CPC 385)."""
    case = case_at_step("appeal_decision", action_type=action("solidarite_dirigeant"))
    take_step(case, "appeal_decision", "opponent_appeal")
    take_step(case, "hearings", "deliberation")
    take_step(case, "decision", "decided", {"outcome": Out.CADUCITE, "amount_awarded": ""})
    assert case.status == S.DECIDED and open_step_names(case) == ["appeal_decision"]
    assert case.starting_acts.count() == 1
    take_step(case, "appeal_decision", "no_appeal")
    assert case.status == S.EXECUTION


def test_cpc_403_a_withdrawn_appeal_of_an_opening_leads_to_the_declaration(users):
    """CPC 403: the debtor withdraws its appeal of the opening judgment: the opening is in
    force and the claim is declared (C. com. L.622-24), as with no appeal at all."""
    case = case_for_ending("appeal_decision", "no_appeal_opening")
    take_step(case, "appeal_decision", "opponent_appeal")
    take_step(case, "hearings", "deliberation")
    take_step(case, "decision", "decided", {"outcome": Out.WITHDRAWN})
    form = AppealForm(case=case, user=case.assigned_jurist)
    (label,) = [label for value, label in form.fields["choice"].choices if value == "none"]
    assert "jugement d'ouverture est en force" in label
    take_step(case, "appeal_decision", "no_appeal_opening")
    assert case.status == S.DECIDED and open_step_names(case) == ["declare_claim"]


def test_cpc_1024_after_a_withdrawn_pourvoi_the_orientation_in_force_decides(users):
    """CPC 403 and 1024: the appeal of an orientation judgment ordering the forced sale,
    then the pourvoi, both withdrawn: the forced sale it ordered goes on (R.322-26), not
    the amicable sale."""
    case = CaseFactory(to=S.DECIDED, lifecycle_only=True, action_type=action("saisie_immobiliere"))
    jurist = case.assigned_jurist or users["jurist"]
    orientation = decide(case, jurist, D(2026, 3, 2), outcome=Out.VENTE_FORCEE)
    lodge(case, jurist, orientation, D(2026, 3, 10))
    confirmed = decide(case, jurist, D(2026, 4, 1), instance=Instance.APPEAL, outcome=Out.CONFIRMED)
    lodge(case, jurist, confirmed, D(2026, 4, 10), Instance.CASSATION)
    decide(case, jurist, D(2026, 5, 4), instance=Instance.CASSATION, outcome=Out.WITHDRAWN)
    offered = choices(case, jurist)
    assert "pole_pourvoi" not in offered and "pole" not in offered
    wrong = AppealForm({"choice": "amicable_sale"}, case=case, user=jurist)
    assert not wrong.is_valid()
    assert "vente forcée ordonnée" in wrong.errors["choice"][0]
    assert AppealForm({"choice": "forced_sale"}, case=case, user=jurist).is_valid()


# --- Collective proceedings: the opening judgment on recourse ------------------------------


def _opening_appealed():
    """An assignation to open proceedings whose opening judgment (a liquidation) the
    debtor appealed, at the decision of the court of appeal."""
    case = case_for_ending("appeal_decision", "no_appeal_opening")
    take_step(case, "appeal_decision", "opponent_appeal")
    take_step(case, "hearings", "deliberation")
    return case


def test_an_opening_confirmed_on_appeal_leads_to_the_declaration(users):
    """C. com. L.622-24, R.661-3: the opening judgment confirmed by the court of appeal is
    in force; the claim is declared, as after an opening not appealed (a pourvoi is still
    offered, CPC 612)."""
    case = _opening_appealed()
    take_step(case, "decision", "decided", {"outcome": Out.CONFIRMED})
    assert "pole_pourvoi" in choices(case, case.assigned_jurist)
    take_step(case, "appeal_decision", "no_appeal_opening")
    assert case.status == S.DECIDED and open_step_names(case) == ["declare_claim"]


def test_an_opening_reversed_on_appeal_ends_the_proceeding_and_resumes_the_saisie(client, users):
    """C. com. L.622-21: the opening stopped the pending saisie of the same debtor; the
    opening judgment reversed (infirmé) on appeal, the proceeding ends and the saisie goes
    on from the day of the reversal: its jurist is told and its page says so. Nothing is
    left to declare (the declaration deadline of R.622-24 is cancelled), and the
    assignation goes on to its execution, not to the declaration."""
    from cases import collective
    from deadlines import rules
    from deadlines.enums import DeadlineStatus
    from deadlines.services import on_collective_publication

    saisie = CaseFactory(to=S.ACTION_ENGAGED, assigned_jurist=users["other_jurist"])
    case = _opening_appealed()
    proceeding = collective.case_proceeding(case)
    stopped = saisie.stopped_actions.get()
    assert stopped.proceeding == proceeding and stopped.resumed_on is None
    published = collective.record_publication(
        proceeding, case.assigned_jurist, bodacc_on=proceeding.opened_on
    )
    on_collective_publication(case, case.assigned_jurist, published)
    assert case.deadlines.get(template=rules.DECLARATION).is_open

    take_step(case, "decision", "decided", {"outcome": Out.REVERSED})
    reversal = case.decisions.order_by("-pk").first()
    proceeding.refresh_from_db()
    assert proceeding.closed_on == reversal.decided_on
    assert proceeding.get_closing_cause_display() == "Jugement d'ouverture infirmé sur recours"
    assert collective.open_proceeding(case) is None
    stopped.refresh_from_db()
    assert stopped.resumed_on == reversal.decided_on
    entry = saisie.events.get(data__collective="resumed")
    assert "Action individuelle reprise" in entry.summary
    assert "jugement d'ouverture infirmé sur recours" in entry.summary
    declaration = case.deadlines.get(template=rules.DECLARATION)
    assert declaration.status == DeadlineStatus.CANCELLED

    client.force_login(saisie.assigned_jurist)
    page = client.get(saisie.get_absolute_url()).content.decode()
    assert "Action individuelle reprise" in page and "infirmé sur recours" in page
    assert 'id="action-reprise"' in page and 'id="action-arretee"' not in page

    assert not collective.awaits_declaration(case)
    take_step(case, "appeal_decision", "no_appeal")
    assert case.status == S.EXECUTION and open_step_names(case) == ["execution"]
