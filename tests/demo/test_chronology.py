"""The demo's cases (seed_demo) and the generated ones (seed_demo --cases) follow the
chronology a jurist expects, on every case: a scenario or a generator change that breaks
it fails here, naming the case and the rule.

- The history is in order and in the past; the demo's cases are referred over the last
  year, not all at once, on working days; the generated ones on working days too.
- Saisie immobilière (CPCE): the commandement is published within two months of its
  service (R.321-6); the debtor is assigned within two months of the publication (R.322-4
  al. 1), the assignation served one to three months before the orientation hearing
  written in it (R.322-4); the commandement is denounced to the registered creditors and
  the cahier des conditions de vente filed by the fifth jour ouvrable after the assignation
  (R.322-6, R.322-10); to the spouse by the first jour ouvrable after the service
  (R.321-1 al. 3).
- Hearings on days the court sits (not a Saturday, Sunday or public holiday of the
  court's département: CPC 642's calendar, deadlines.engine) between 9:00 and 16:30, after
  the starting act; a lawyer mandated from the bar of the court the case goes before
  (his directory entry lists it, fixtures/lawyers.json) and of the cour d'appel.
- A decision after its instance's hearings, notified after it; an appeal after the
  decision and within the appeal period (CPC 538, CPCE R.121-20, C. com. R.661-3);
  recoveries after the decision; an opinion written and reviewed within plausible delays.
- Collective proceedings: the opening published in the BODACC after the opening judgment,
  the claim declared after that publication and within its two months (C. com. R.622-24);
  a holder condemned within its obligation (LPF L.262, CPCE L.211-2).
"""

from __future__ import annotations

import datetime
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.decisions import awards_money
from cases.enums import (
    CaseStatus,
    DecisionOutcome,
    EventKind,
    HearingKind,
    HearingStatus,
    Instance,
)
from cases.models import Case, Decision
from cases.validators import add_months
from deadlines.calendar import appeal_deadline, calendar_departement
from deadlines.engine import compute_deadline, compute_deadline_before, is_working_day
from deadlines.enums import ProcedureActKind as P
from deadlines.services import local_law_applies
from demo import bulk as bulk_demo
from demo.courts import pleads_before
from demo.scenarios import scenarios

# The orientation judgments that send the saisie to its sale, and the sale's hearings.
ORIENTATION_TO_SALE = {DecisionOutcome.VENTE_FORCEE, DecisionOutcome.VENTE_AMIABLE}
SALE_HEARINGS = {HearingKind.ADJUDICATION, HearingKind.VENTE_AMIABLE}
FIRST_HEARING, LAST_HEARING = datetime.time(9, 0), datetime.time(16, 30)
ONE_DAY = datetime.timedelta(days=1)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _cases():
    return Case.objects.select_related("action_type", "direction").prefetch_related(
        "properties",
        "events",
        "starting_acts",
        "procedure_acts",
        "hearings",
        "mandates__lawyer",
        "decisions",
        "appeals__decision",
        "recoveries",
        "opinions",
        "deadlines",
    )


def history_problems(case: Case, now: datetime.datetime) -> list[str]:
    events = sorted(case.events.all(), key=lambda e: e.pk)
    problems = []
    if any(a.at > b.at for a, b in pairwise(events)):
        problems.append("historique hors de l'ordre chronologique")
    if events and events[-1].at > now:
        problems.append("historique dans le futur")
    if events and case.created_at > events[0].at:
        problems.append("dossier créé après sa première entrée d'historique")
    if case.submitted_at:
        if case.submitted_at < case.created_at or case.submitted_at > now:
            problems.append("transmission avant la création ou dans le futur")
        day = _local(case.submitted_at).date()
        if not is_working_day(day, calendar_departement(case)):
            problems.append(f"transmis un jour non ouvré ({day})")
    return problems


def saisie_problems(case: Case) -> list[str]:
    """CPCE R.321-1 al. 3, R.321-6, R.322-4, R.322-6, R.322-10."""
    if case.action_type.code != "saisie_immobiliere" or local_law_applies(case):
        return []
    served = next((a.served_on for a in case.starting_acts.all() if a.kind == "commandement"), None)
    if served is None:
        return []
    dep = calendar_departement(case)
    acts = {}
    for act in sorted(case.procedure_acts.all(), key=lambda a: (a.date, a.pk)):
        acts.setdefault(act.kind, act)
    problems = []

    def within(kind, start, last, rule):
        act = acts.get(kind)
        if act is not None and not (start <= act.date <= last):
            problems.append(f"{rule} : {kind} le {act.date}, hors de [{start} ; {last}]")

    within(P.DENONCIATION_CONJOINT, served, compute_deadline(served, ouvrables=1, departement=dep),
           "R.321-1 al. 3")  # fmt: skip
    within(P.PUBLICATION, served + ONE_DAY, compute_deadline(served, months=2, departement=dep),
           "R.321-6")  # fmt: skip
    published = acts.get(P.PUBLICATION)
    if published:
        last = compute_deadline(published.date, months=2, departement=dep)
        within(P.ASSIGNATION, published.date + ONE_DAY, last, "R.322-4 al. 1")
    elif P.ASSIGNATION in acts:
        problems.append("assignation sans publication du commandement")
    assignation = acts.get(P.ASSIGNATION)
    if assignation:
        hearing = assignation.hearing_on
        if hearing is None:
            problems.append("R.322-4 : assignation sans date d'audience d'orientation")
        else:
            earliest = compute_deadline_before(hearing, months=1, departement=dep)
            if not (add_months(hearing, -3) <= assignation.date <= earliest):
                problems.append(
                    f"R.322-4 : assignation du {assignation.date} pour l'audience du {hearing}"
                )
        fifth = compute_deadline(assignation.date, ouvrables=5, departement=dep)
        within(P.DENONCIATION_CREANCIERS, assignation.date, fifth, "R.322-6")
        within(P.CAHIER, assignation.date, fifth, "R.322-10")
    return problems


def deadline_problems(case: Case) -> list[str]:
    """Every deadline met is met in its days (the denunciations, the cahier, the
    publication...): the act that met it dated on or before its last day."""
    return [
        f"échéance « {d.label} » respectée le {d.done_on}, après le {d.due_date}"
        for d in case.deadlines.all()
        if d.status == "done" and d.done_on and d.done_on > d.due_date
    ]


def hearing_problems(case: Case) -> list[str]:
    dep = calendar_departement(case)
    served = min((a.served_on or a.signed_on for a in case.starting_acts.all()), default=None)
    problems = []
    held_at = {
        e.data.get("hearing"): e.at for e in case.events.all() if e.kind == EventKind.HEARING_HELD
    }
    for hearing in case.hearings.all():
        local = _local(hearing.scheduled_at)
        if not is_working_day(local.date(), dep):
            problems.append(f"audience un jour où le tribunal ne siège pas ({local:%Y-%m-%d})")
        if not FIRST_HEARING <= local.time() <= LAST_HEARING:
            problems.append(f"audience à {local:%H:%M}")
        if served and local.date() <= served:
            problems.append(f"audience du {local.date()} avant l'acte introductif ({served})")
        if held_at.get(hearing.pk, hearing.scheduled_at) < hearing.scheduled_at:
            problems.append("audience marquée tenue avant d'avoir eu lieu")
    return problems


def lawyer_problems(case: Case) -> list[str]:
    problems = []
    courts = {a.court for a in case.starting_acts.all()} | {a.court for a in case.appeals.all()}
    submitted = _local(case.submitted_at).date() if case.submitted_at else None
    for mandate in case.mandates.all():
        for court in courts:
            if not pleads_before(mandate.lawyer, court):
                problems.append(f"{mandate.lawyer} ne plaide pas devant « {court} »")
        if submitted and mandate.mandated_on < submitted:
            problems.append("avocat mandaté avant la saisine du pôle")
        for act in case.starting_acts.all():
            if act.signed_on < mandate.mandated_on:
                problems.append("acte introductif signé avant le mandat de l'avocat")
    for act in case.starting_acts.all():
        if act.served_on and act.served_on < act.signed_on:
            problems.append("acte signifié avant d'être signé")
    return problems


def decision_problems(case: Case, today: datetime.date) -> list[str]:
    problems = []
    hearings = [h for h in case.hearings.all() if h.status == HearingStatus.HELD]
    for decision in case.decisions.all():
        of_instance = [h for h in hearings if h.instance == decision.instance]
        if decision.outcome in ORIENTATION_TO_SALE:
            # The orientation judgment fixes the sale's hearing, which follows it: the
            # adjudication two to four months on (CPCE R.322-26), the recall of an
            # amicable sale within four months (R.322-21).
            for h in of_instance:
                if h.kind in SALE_HEARINGS and _local(h.scheduled_at).date() <= decision.decided_on:
                    problems.append(f"audience de vente avant le jugement d'orientation ({h.kind})")
            of_instance = [h for h in of_instance if h.kind not in SALE_HEARINGS]
        held = [_local(h.scheduled_at).date() for h in of_instance]
        if not held or decision.decided_on < max(held):
            problems.append(f"décision du {decision.decided_on} avant l'audience de son instance")
        if decision.decided_on > today:
            problems.append("décision dans le futur")
        if not is_working_day(decision.decided_on, calendar_departement(case)):
            problems.append(f"décision rendue un jour non ouvré ({decision.decided_on})")
        if decision.notified_on and not (decision.decided_on <= decision.notified_on <= today):
            problems.append(f"notification du {decision.notified_on}")
        if _local(decision.created_at).date() < decision.decided_on:
            problems.append("décision enregistrée avant d'être rendue")
    for appeal in case.appeals.all():
        decision = appeal.decision
        start = decision.notified_on or decision.decided_on
        last = appeal_deadline(decision)
        if (
            appeal.lodged_on < start
            or (last and appeal.lodged_on > last)
            or appeal.lodged_on > today
        ):
            problems.append(f"appel du {appeal.lodged_on} hors du délai ({start} ; {last})")
    # A recovery follows a judgment, or the sale whose price it shares (Alsace-Moselle: the
    # notaire's adjudication, with no judgment).
    decided = min(
        [d.decided_on for d in case.decisions.all()] + [s.sold_on for s in case.sales.all()],
        default=None,
    )
    for recovery in case.recoveries.all():
        if decided is None or recovery.received_on < decided or recovery.received_on > today:
            problems.append(f"encaissement du {recovery.received_on} (décision : {decided})")
    return problems


def collective_problems(case: Case) -> list[str]:
    problems = []
    for proceeding in case.collective_proceedings.all():
        bodacc = proceeding.bodacc_on
        if bodacc and bodacc < proceeding.opened_on:
            problems.append(f"BODACC du {bodacc} avant le jugement d'ouverture")
        for declaration in proceeding.declarations.all():
            if bodacc is None or not (bodacc <= declaration.declared_on <= add_months(bodacc, 2)):
                problems.append(
                    f"créance déclarée le {declaration.declared_on} (BODACC : {bodacc})"
                )
    holders = list(case.holders.all())
    for decision in case.decisions.filter(outcome=DecisionOutcome.HOLDER_CONDEMNED):
        limit = sum(h.claimed_amount for h in holders)
        if decision.amount_awarded is not None and decision.amount_awarded > limit:
            problems.append(f"tiers condamné à {decision.amount_awarded} au-delà de {limit}")
    return problems


def opinion_problems(case: Case) -> list[str]:
    """An opinion written within six months of the assignment, reviewed within two."""
    assigned = min((e.at for e in case.events.all() if e.kind == EventKind.ASSIGNED), default=None)
    problems = []
    for opinion in case.opinions.all():
        if assigned is None or not (
            assigned < opinion.submitted_at <= assigned + datetime.timedelta(days=183)
        ):
            problems.append(
                f"avis soumis le {opinion.submitted_at:%Y-%m-%d} (attribué : {assigned})"
            )
        if opinion.reviewed_at and not (
            opinion.submitted_at < opinion.reviewed_at
            <= opinion.submitted_at + datetime.timedelta(days=61)
        ):  # fmt: skip
            problems.append("avis relu avant sa soumission ou après deux mois")
    return problems


def chronology_problems(cases, now: datetime.datetime) -> dict[str, list[str]]:
    today = timezone.localdate(now)
    found = {}
    for case in cases:
        problems = (
            history_problems(case, now)
            + saisie_problems(case)
            + deadline_problems(case)
            + hearing_problems(case)
            + lawyer_problems(case)
            + decision_problems(case, today)
            + opinion_problems(case)
            + collective_problems(case)
        )
        if problems:
            found[f"{case.reference} {case.debtor}"] = problems
    return found


@pytest.mark.django_db
def test_the_demo_cases_follow_the_chronology():
    call_command("seed_demo")
    now = timezone.now()
    cases = list(_cases().filter(status__in=set(CaseStatus.values) - {CaseStatus.DRAFT}))
    assert chronology_problems(_cases(), now) == {}

    # A realistic past: referred over the last year, not all at once.
    sent = sorted(_local(case.submitted_at).date() for case in cases)
    today = timezone.localdate()
    assert sent[0] >= today - datetime.timedelta(days=366)
    assert (sent[-1] - sent[0]).days >= 300
    assert len({(day.year, day.month) for day in sent}) >= 8
    assert max(sent.count(day) for day in sent) <= 2
    for case in _cases().filter(status=CaseStatus.DRAFT):
        assert today - datetime.timedelta(days=30) <= _local(case.created_at).date() < today

    # Each rule has a case to bite on.
    saisie = Case.objects.get(debtor__name="SARL Immobilière de la Cathédrale")
    kinds = set(saisie.procedure_acts.values_list("kind", flat=True))
    assert {P.PUBLICATION, P.ASSIGNATION, P.DENONCIATION_CREANCIERS, P.CAHIER} <= kinds
    assert all(case.mandates.exists() for case in cases if case.starting_acts.exists())
    assert Case.objects.filter(appeals__isnull=False, recoveries__isnull=True).exists()
    assert Case.objects.filter(recoveries__isnull=False, opinions__isnull=True).exists()
    assert Case.objects.filter(opinions__reviewed_at__isnull=False).exists()
    assert Case.objects.filter(claim_declarations__isnull=False).exists()
    assert Case.objects.filter(decisions__outcome=DecisionOutcome.HOLDER_CONDEMNED).exists()

    # No deadline left overdue, no text quoting a date it did not fill in.
    for case in cases:
        late = [d.label for d in case.deadlines.all() if d.status == "open" and d.due_date < today]
        assert not late, (case.reference, late)
        for event in case.events.all():
            assert "{" not in event.summary + event.reason, (case.reference, event.summary)

    # The scenarios' claims and targets come before their referral.
    for spec in scenarios(today):
        if spec.referred is None:
            continue
        for claim in spec.claims:
            assert claim["assessment_date"] < spec.referred, spec.debtor["name"]
            last = claim["last_interruptive_act"]
            assert last is None or claim["assessment_date"] <= last < spec.referred
        assert all(h["satd_date"] < spec.referred for h in spec.holders)


@pytest.mark.django_db
def test_the_generated_cases_follow_the_chronology(users):
    bulk_demo.generate(150, seed=11)
    assert chronology_problems(_cases(), timezone.now()) == {}
    # The sample has something of each kind to check.
    assert Case.objects.filter(procedure_acts__kind=P.ASSIGNATION).exists()
    assert Case.objects.filter(appeals__isnull=False).exists()
    assert Case.objects.filter(recoveries__isnull=False).exists()
    assert Case.objects.filter(opinions__reviewed_at__isnull=False).exists()
    assert Case.objects.filter(hearings__instance=Instance.APPEAL).exists()
    # Issue 17: the judgments say what each procedure grants, an amount only with money.
    decided = Decision.objects.filter(instance=Instance.FIRST).select_related("case__action_type")
    codes = {(d.case.action_type.code, d.outcome) for d in decided}
    assert ("solidarite_dirigeant", DecisionOutcome.CONDEMNED) in codes
    assert ("tiers_detenteur", DecisionOutcome.HOLDER_CONDEMNED) in codes
    assert ("solidarite_dirigeant", DecisionOutcome.GRANTED) not in codes
    for decision in decided:
        if decision.amount_awarded is not None:
            assert awards_money(decision.case.action_type.code, decision.outcome), decision


@pytest.mark.django_db
def test_the_demo_clock_dates_what_the_services_write_and_gives_the_time_back():
    from cases.models import CaseEvent
    from demo.clock import DemoClock

    past = timezone.now() - datetime.timedelta(days=200)
    with DemoClock() as clock:
        clock.set(past)
        at = CaseEvent._meta.get_field("at").get_default()
        assert past <= at < past + datetime.timedelta(minutes=1)
        assert timezone.localdate() == timezone.localdate(past)
        # the templates still show every moment in Paris time
        assert timezone.template_localtime(past).utcoffset() is not None
        with pytest.raises(ValueError, match="dans le futur"):
            clock.set(timezone.now() + datetime.timedelta(days=400))
    assert (
        timezone.now() - datetime.timedelta(minutes=1)
        < CaseEvent._meta.get_field("at").get_default()
    )


def test_a_court_is_pleaded_before_by_the_lawyers_of_its_seat():
    from cases.models import Lawyer

    laon = Lawyer(courts="Tribunal judiciaire de Laon\nCour d'appel d'Amiens")
    assert pleads_before(laon, "Juge de l'exécution du tribunal judiciaire de Laon")
    assert pleads_before(laon, "Président du tribunal judiciaire de Laon")
    assert pleads_before(laon, "Cour d’appel d’Amiens")
    assert not pleads_before(laon, "Tribunal de commerce de Saint-Quentin")
    assert not pleads_before(laon, "Tribunal judiciaire de Laonnois")
    strasbourg = Lawyer(courts="Tribunal judiciaire de Strasbourg (chambre commerciale)")
    assert pleads_before(strasbourg, "Chambre commerciale du tribunal judiciaire de Strasbourg")


@pytest.mark.django_db
def test_a_scenario_gives_a_step_its_fields_and_is_walked_on_the_chronology():
    """How the integrator adds a scenario (demo/scenarios.py): its fields for a step's form
    in `Scenario.steps`, a callable one read from the walk; the case is checked like
    the demo's."""
    from dataclasses import replace

    from cases.enums import DecisionOutcome
    from demo.clock import DemoClock
    from demo.people import create_users
    from demo.walk import create_case

    today = timezone.localdate()
    [spec] = [s for s in scenarios(today) if s.debtor["name"] == "SARL Le Comptoir Laonnois"]
    spec = replace(
        spec,
        steps={
            "decision": {
                "outcome": DecisionOutcome.PARTLY,
                "amount_awarded": lambda walk: "45 000,00",
            }
        },
    )
    users = create_users()
    with DemoClock() as clock:
        case = create_case(spec, users, clock)
    assert case.status == CaseStatus.DECIDED
    decision = case.decisions.get()
    assert (decision.outcome, str(decision.amount_awarded)) == ("partly", "45000.00")
    assert chronology_problems(_cases().filter(pk=case.pk), timezone.now()) == {}


def test_the_starting_act_sentences_agree_with_the_act():
    """« Assignation signée le …, signifiée le … », « Commandement … signifié »."""
    from types import SimpleNamespace

    from cases import history
    from cases.enums import StartingActKind

    def act(kind, served_on):
        return SimpleNamespace(
            get_kind_display=lambda: StartingActKind(kind).label,
            signed_on=datetime.date(2026, 3, 2),
            served_on=served_on,
            court="Tribunal judiciaire de Laon",
            published_on=None,
            confirmed_checks=(),
        )

    assert history.action_engaged(act("assignation", datetime.date(2026, 3, 5))) == (
        "Assignation signée le 2 mars 2026, signifiée le 5 mars 2026 (Tribunal judiciaire de Laon)"
    )
    assert history.action_engaged(act("requete", None)).startswith("Requête signée le 2 mars")
    assert history.served("Assignation") == "Assignation signifiée"
    assert history.served(StartingActKind.COMMANDEMENT.label).endswith("saisie signifié")
