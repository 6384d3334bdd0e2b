"""The saisie immobilière of a property in Alsace-Moselle (57, 67, 68) follows the local law:
loi du 1er juin 1924 mettant en vigueur la législation civile française dans les
départements du Bas-Rhin, du Haut-Rhin et de la Moselle, « De l'exécution forcée sur les
biens immeubles », art. 141 s. — a requête to the tribunal of the property's situation
(art. 141), an ordonnance d'exécution forcée, its notification, the inscription at the livre
foncier, the adjudication by a notaire commis. The CPCE's acts (commandement valant saisie,
R.321-1; publication, R.321-6; assignation, R.322-4; cahier, R.322-10; publicity, R.322-31)
are refused there, the local acts everywhere else. The only length counted: the pourvoi
immédiat, fifteen days from the ordonnance's notification (the figure of the ministère de la
Justice, CDAD de la Moselle); every other step « délai à vérifier ». Dates worked by hand
(CPC 640-642, the public holidays of the Bas-Rhin: Good Friday and 26 December, C. trav.
L.3134-13)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import proceedings
from cases.enums import CaseStatus, HearingKind, StartingActKind
from cases.models import PropertyTarget
from deadlines import rules, services
from deadlines.enums import ProcedureActKind
from deadlines.local_law import (
    CPCE_ACTS,
    LOCAL_ACTS,
    STEPS,
    TO_CHECK,
    LocalDates,
    local_calendar,
)
from deadlines.saisie_calendar import SaisieSequenceError
from tests.factories import case_at_step
from workflows import services as workflow
from workflows.selectors import active_tasks
from workflows.steps import ProcedureActForm, StartingActForm

from .conftest import starting_act

pytestmark = pytest.mark.django_db
D = datetime.date
PAK = ProcedureActKind
REFUSAL = "En Alsace-Moselle la saisie immobilière suit la loi du 1er juin 1924 : "


def act(case, user, kind, date, **kwargs):
    return services.record_procedure_act(case, user, kind=kind, date=date, **kwargs)


# --- The starting act: the requête, never a commandement valant saisie --------------------


def test_a_commandement_valant_saisie_is_refused_in_the_domain(users, engaged_case):
    """Loi du 1er juin 1924, art. 141: the exécution forcée is ordered on a requête; the
    CPCE's commandement valant saisie (R.321-1) has no place there."""
    case = engaged_case(departement="67")
    with pytest.raises(ValidationError) as refused:
        proceedings.record_starting_act(
            case,
            users["jurist"],
            kind=StartingActKind.COMMANDEMENT,
            court="TJ de Strasbourg",
            signed_on=D(2026, 1, 15),
            served_on=D(2026, 1, 16),
        )
    message = refused.value.message_dict["kind"][0]
    assert message.startswith(REFUSAL) and "requête" in message and "art. 141" in message
    assert not case.starting_acts.exists()
    # The requête is the local starting act.
    requete = proceedings.record_starting_act(
        case,
        users["jurist"],
        kind=StartingActKind.REQUETE,
        court="TJ de Strasbourg",
        signed_on=D(2026, 1, 15),
    )
    assert requete.pk
    # In the Aisne the commandement stays the starting act.
    elsewhere = engaged_case()
    commandement = proceedings.record_starting_act(
        elsewhere,
        users["jurist"],
        kind=StartingActKind.COMMANDEMENT,
        court="TJ de Laon",
        signed_on=D(2026, 1, 15),
    )
    assert commandement.pk


def _at_starting_act(departement):
    case = case_at_step("starting_act")
    PropertyTarget.objects.filter(case=case).update(departement=departement)
    return case


def test_the_starting_act_step_refuses_the_commandement_and_takes_the_requete(users):
    """The step's form offers the requête (loi du 1er juin 1924, art. 141); a commandement
    sent anyway is refused with the reason, nothing recorded, the case still taken over."""
    case = _at_starting_act("57")
    jurist = case.assigned_jurist
    form = StartingActForm(case=case, user=jurist)
    assert form.fields["kind"].initial == StartingActKind.REQUETE
    assert "tribunal de l'exécution" in form.fields["court"].initial
    (task,) = active_tasks(case)
    data = {
        "kind": "commandement",
        "court": "TJ de Metz",
        "signed_on": D(2026, 1, 15),
        "served_on": None,
        "party": "",
    }
    with pytest.raises(ValidationError, match="loi du 1er juin 1924"):
        workflow.complete_task(task.pk, jurist, data, {})
    case.refresh_from_db()
    assert case.status == CaseStatus.TAKEN_OVER and not case.starting_acts.exists()
    workflow.complete_task(task.pk, jurist, {**data, "kind": "requete"}, {})
    case.refresh_from_db()
    # On to the local procedure's ordonnance (workflows: « local_ordonnance »), no hearings.
    assert case.status == CaseStatus.LOCAL_REQUESTED
    assert [t.flow_task.name for t in active_tasks(case)] == ["local_ordonnance"]
    assert case.starting_acts.get().kind == StartingActKind.REQUETE


# --- The procedure acts: the CPCE's refused, the local ones only there ---------------------


@pytest.mark.parametrize(
    "kind",
    [PAK.PUBLICATION, PAK.ASSIGNATION, PAK.CAHIER, PAK.PUBLICITE_VENTE, PAK.COMMANDEMENT_SERVED],
)
def test_the_cpce_acts_are_refused_with_the_reason(users, engaged_case, kind):
    """CPCE R.321-6 (publication at the SPF), R.322-4 (assignation to the audience
    d'orientation), R.322-10 (cahier des conditions de vente), R.322-31 (publicity): not in
    Alsace-Moselle, where the loi du 1er juin 1924 (art. 141 s.) applies."""
    case = engaged_case(departement="68")
    with pytest.raises(ValidationError) as refused:
        act(case, users["jurist"], kind, D(2026, 2, 20), hearing_on=D(2026, 4, 14))
    message = refused.value.message_dict["kind"][0]
    assert message.startswith(REFUSAL) and ProcedureActKind(kind).label in message
    assert not case.procedure_acts.exists() and not case.deadlines.exists()


def test_the_local_acts_are_refused_elsewhere(users, engaged_case):
    with pytest.raises(ValidationError, match="réservé à une saisie immobilière d'un bien"):
        act(engaged_case(), users["jurist"], PAK.LF_ORDONNANCE, D(2026, 2, 20))


def test_the_procedure_act_form_offers_the_acts_of_the_case_s_procedure(users, engaged_case):
    local = ProcedureActForm(case=engaged_case(departement="67"), user=users["jurist"])
    offered = {value for value, _ in local.fields["kind"].choices}
    assert offered >= LOCAL_ACTS and not offered & CPCE_ACTS
    assert PAK.RECONNAISSANCE in offered and PAK.DECISION_NOTIFIED in offered
    general = ProcedureActForm(case=engaged_case(), user=users["jurist"])
    offered = {value for value, _ in general.fields["kind"].choices}
    assert offered >= CPCE_ACTS and not offered & LOCAL_ACTS
    # A CPCE act sent anyway passes the form: the operation refuses it, saying why.
    sent = ProcedureActForm(
        {"kind": "publication", "date": "2026-02-20"},
        case=engaged_case(departement="67"),
        user=users["jurist"],
    )
    assert sent.is_valid(), sent.errors


def test_the_local_acts_are_accepted_and_the_pourvoi_is_counted(users, engaged_case):
    """The ordonnance notified on Thursday 11 December 2025: fifteen days end on Friday
    26 December — a public holiday in the Bas-Rhin only (C. trav. L.3134-13) — then come
    Saturday 27 and Sunday 28: the pourvoi immédiat runs until Monday 29 December (CPC
    642)."""
    case = engaged_case(departement="67")
    jurist = users["jurist"]
    proceedings.record_starting_act(
        case, jurist, kind="requete", court="TJ de Strasbourg", signed_on=D(2025, 10, 5)
    )
    act(case, jurist, PAK.LF_COMMANDEMENT, D(2025, 9, 1))
    act(case, jurist, PAK.LF_ORDONNANCE, D(2025, 11, 20))
    act(case, jurist, PAK.LF_NOTIFICATION, D(2025, 12, 11))
    deadline = case.deadlines.get()
    assert deadline.template == "lf_pourvoi" and deadline.due_date == D(2025, 12, 29)
    assert "Loi du 1er juin 1924" in deadline.basis and "à vérifier" in deadline.basis
    assert not deadline.critical
    lines = {line.code: line for line in services.local_calendar(case).lines}
    assert [code for code in lines if code != "lf_pourvoi"] == [step.code for step in STEPS]
    assert lines["lf_requete"].done_on == D(2025, 10, 5)
    assert lines["lf_requete"].article == "Loi du 1er juin 1924, art. 141"
    assert lines["lf_notification"].done_on == D(2025, 12, 11)
    assert lines["lf_pourvoi"].date == deadline.due_date  # one source for both
    for code in ("lf_inscription", "lf_notaire", "lf_cahier", "lf_adjudication"):
        assert lines[code].to_check and lines[code].status == TO_CHECK and lines[code].date is None


def test_the_local_acts_keep_their_order(users, engaged_case):
    case = engaged_case(departement="67")
    jurist = users["jurist"]
    act(case, jurist, PAK.LF_ORDONNANCE, D(2025, 11, 20))
    with pytest.raises(ValidationError, match="Dates incohérentes : la notification"):
        act(case, jurist, PAK.LF_NOTIFICATION, D(2025, 11, 19))
    with pytest.raises(ValidationError, match="Dates incohérentes : l'adjudication"):
        act(case, jurist, PAK.LF_ADJUDICATION, D(2025, 11, 20))
    assert case.procedure_acts.count() == 1


def test_the_pure_calendar_shows_every_step_to_check_until_done():
    calendar = local_calendar(LocalDates(departement="57"))
    assert [line.code for line in calendar.lines] == [step.code for step in STEPS]
    assert all(line.to_check and line.date is None for line in calendar.lines)
    # Notified Thursday 2 April 2026: the fifteenth day is Friday 17 April (Good Friday is
    # 3 April, before the end), a working day.
    notified = local_calendar(
        LocalDates(ordonnance=D(2026, 3, 30), notification=D(2026, 4, 2), departement="57")
    )
    pourvoi = next(line for line in notified.lines if line.code == "lf_pourvoi")
    assert pourvoi.date == D(2026, 4, 17) and pourvoi.status == "jusqu'au 17/04/2026"
    with pytest.raises(SaisieSequenceError):
        local_calendar(LocalDates(requete=D(2026, 3, 2), ordonnance=D(2026, 3, 1)))


def test_the_local_template_is_never_used_outside_alsace_moselle(users, engaged_case):
    """The pourvoi's row belongs to the local law: an act of that trigger elsewhere (none
    can be recorded, but the rule says so) starts nothing; the CPCE rows not in 57/67/68."""
    template = rules.BY_CODE["lf_pourvoi"]
    assert template.local_law and not template.cpce
    case = engaged_case()
    created = services.on_act(
        case,
        users["jurist"],
        rules.Trigger.LF_NOTIFICATION,
        D(2025, 12, 11),
        source="test",
        act_label="Notification",
    )
    assert created == []


def test_the_case_deadlines_page_shows_the_local_calendar(client, users, engaged_case):
    case = engaged_case(departement="67")
    jurist = users["jurist"]
    starting_act(case, jurist, D(2025, 10, 5), kind=StartingActKind.REQUETE)
    act(case, jurist, PAK.LF_ORDONNANCE, D(2025, 11, 20))
    act(case, jurist, PAK.LF_NOTIFICATION, D(2025, 12, 11))
    client.force_login(jurist)
    html = client.get(reverse("deadlines:case", args=[case.reference])).content.decode()
    assert 'id="local-calendar"' in html
    assert "Calendrier de l'exécution forcée immobilière (droit local)" in html
    assert "Jusqu'au <strong>29/12/2025</strong>" in html  # the pourvoi immédiat
    assert "Loi du 1er juin 1924, art. 141" in html
    assert "Délai à vérifier" in html
    # Elsewhere: no local calendar.
    other = engaged_case()
    html = client.get(reverse("deadlines:case", args=[other.reference])).content.decode()
    assert 'id="local-calendar"' not in html


def test_the_calculator_gives_the_local_calendar(client, users):
    """The « Calculateur de délais »: the same steps and the same pourvoi immédiat (Bas-Rhin,
    notified Thursday 11 December 2025: Monday 29 December, 26 December being a public
    holiday there, C. trav. L.3134-13)."""
    client.force_login(users["poste_agent"])
    url = reverse("deadlines:calculator")
    query = {"calcul": "local", "l-departement": "67", "l-notification": "2025-12-11"}
    response = client.get(url, {**query, "l-ordonnance": "2025-11-20"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="local-result"' in html
    assert "Jusqu'au <strong>29/12/2025</strong>" in html and "Délai à vérifier" in html
    refused = client.get(url, {**query, "l-ordonnance": "2025-12-12"})
    assert refused.status_code == 400
    assert "Dates incohérentes" in refused.content.decode()


def test_no_audience_d_orientation_there(users, engaged_case):
    """CPCE R.322-4 (audience d'orientation) and R.322-26 (audience d'adjudication): the
    local law has neither, the notaire commis adjudicates (loi du 1er juin 1924, art. 141
    s.)."""
    case = engaged_case(departement="57")
    when = timezone.make_aware(datetime.datetime(2025, 11, 18, 9, 30))
    for kind in (HearingKind.ORIENTATION, HearingKind.ADJUDICATION):
        with pytest.raises(ValidationError) as refused:
            proceedings.schedule_hearing(
                case, users["jurist"], instance="first", court="TJ de Metz", scheduled_at=when,
                kind=kind,
            )  # fmt: skip
        assert refused.value.message_dict["kind"][0].startswith(REFUSAL)
    assert not case.hearings.exists()
    other = proceedings.schedule_hearing(
        case, users["jurist"], instance="first", court="TJ de Metz", scheduled_at=when,
        kind=HearingKind.OTHER,
    )  # fmt: skip
    assert other.pk
    laon = proceedings.schedule_hearing(
        engaged_case(), users["jurist"], instance="first", court="TJ de Laon", scheduled_at=when,
        kind=HearingKind.ORIENTATION,
    )  # fmt: skip
    assert laon.pk
