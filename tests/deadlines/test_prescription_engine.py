"""The prescription engine (deadlines.prescription_engine), worked by hand from LPF L.274,
C. civ. 2230-2245, C. pén. 133-2 to 133-4. Pure tests: no database."""

import datetime

import pytest

from deadlines.prescription_engine import (
    REGIMES,
    Act,
    ActKind,
    Outcome,
    Party,
    Regime,
    State,
    Suspension,
    SuspensionCause,
    prescription,
    split_prescribed,
)

D = datetime.date
MED = ActKind.MISE_EN_DEMEURE
COURT = ActKind.DEMANDE_EN_JUSTICE


def test_l274_four_years_from_the_mise_en_recouvrement():
    """LPF L.274: rôle put into recovery 31 July 2019 → last day 31 July 2023."""
    result = prescription("impot_role", assessed_on=D(2019, 7, 31))
    assert (result.state, result.date) == (State.RUNNING, D(2023, 7, 31))
    assert "LPF L.274" in result.steps[0].effect
    assert not result.is_prescribed(D(2023, 7, 31)) and result.is_prescribed(D(2023, 8, 1))


def test_l274_amr_runs_from_its_sending_both_dates_kept():
    """LPF L.274: an AMR dated 10 March 2019, sent 15 March → 15 March 2023; without the
    sending date, the earlier AMR date (10 March 2023), said so."""
    sent = prescription("impot_amr", assessed_on=D(2019, 3, 10), sent_on=D(2019, 3, 15))
    assert (sent.date, sent.assessed_on, sent.sent_on) == (
        D(2023, 3, 15),
        D(2019, 3, 10),
        D(2019, 3, 15),
    )
    unknown = prescription("impot_amr", assessed_on=D(2019, 3, 10))
    assert unknown.date == D(2023, 3, 10)
    assert "date d'envoi de l'AMR inconnue" in unknown.steps[0].effect


def test_an_act_against_the_debtor_interrupts():
    """C. civ. 2231 and LPF L.257-0 A: a mise en demeure of the debtor on 1 June 2022
    starts four new years → 1 June 2026."""
    result = prescription(
        "impot_amr",
        assessed_on=D(2022, 2, 14),
        sent_on=D(2022, 2, 14),
        acts=[Act(MED, D(2022, 6, 1), Party.DEBTOR)],
    )
    assert result.date == D(2026, 6, 1)
    assert result.steps[-1].effect.startswith("interruption : nouveau délai de 4 ans")


@pytest.mark.parametrize(
    ("party", "label"),
    [
        (Party.MANAGER, "Assignation du dirigeant (LPF L.267)"),
        (Party.THIRD_PARTY_HOLDER, "Assignation du tiers détenteur"),
        (Party.ACQUIRER, "Assignation de l'acquéreur (action paulienne)"),
        (Party.OTHER, "Assignation d'un tiers"),
    ],
)
def test_an_act_against_someone_else_interrupts_nothing(party, label):
    """C. civ. 2241, 2245 (demo case 6): the company's VAT, put into recovery (AMR sent)
    14 February 2022, mise en demeure 1 June 2022 → 1 June 2026. Assigning the manager
    (before his condemnation), a third-party holder or the acquirer on 10 March 2026 leaves
    it there, and says why."""
    result = prescription(
        "impot_amr",
        assessed_on=D(2022, 2, 14),
        sent_on=D(2022, 2, 14),
        acts=[
            Act(MED, D(2022, 6, 1), Party.DEBTOR),
            Act(COURT, D(2026, 3, 10), party, label),
        ],
    )
    assert (result.state, result.date) == (State.RUNNING, D(2026, 6, 1))
    assert result.steps[-1].effect.startswith("sans effet : acte dirigé contre")
    assert result.steps[-1].date_after == D(2026, 6, 1)


def test_satd_to_the_holder_does_not_interrupt_its_notification_to_the_debtor_does():
    """C. civ. 2244: the SATD served on the holder 5 May 2022 is directed against him; its
    notification to the debtor on 6 May 2022 interrupts → 6 May 2026."""
    result = prescription(
        "impot_role",
        assessed_on=D(2021, 1, 31),
        acts=[
            Act(ActKind.EXECUTION, D(2022, 5, 5), Party.THIRD_PARTY_HOLDER, "SATD"),
            Act(ActKind.EXECUTION, D(2022, 5, 6), Party.DEBTOR, "SATD notifiée au débiteur"),
        ],
    )
    assert result.date == D(2026, 5, 6)


def test_co_debtor_2245():
    """C. civ. 2245: a demande en justice against a co-débiteur solidaire interrupts (final
    decision 15 March 2024 → 15 March 2028); a mere mise en demeure of him does not."""
    court = prescription(
        "impot_role",
        assessed_on=D(2021, 1, 31),
        acts=[
            Act(COURT, D(2023, 1, 3), Party.CO_DEBTOR, "", Outcome.FINAL_DECISION, D(2024, 3, 15))
        ],
    )
    assert court.date == D(2028, 3, 15)
    notice = prescription(
        "impot_role", assessed_on=D(2021, 1, 31), acts=[Act(MED, D(2023, 1, 3), Party.CO_DEBTOR)]
    )
    assert notice.date == D(2025, 1, 31)
    assert "C. civ. 2245" in notice.steps[-1].effect


def test_payment_by_the_debtor_interrupts_not_by_a_third_person():
    """C. civ. 2240: a payment by the debtor on 2 September 2021 → 2 September 2025."""
    by_debtor = prescription(
        "impot_role",
        assessed_on=D(2020, 3, 31),
        acts=[Act(ActKind.PAIEMENT, D(2021, 9, 2), Party.DEBTOR)],
    )
    assert by_debtor.date == D(2025, 9, 2)
    assert "Paiement par le débiteur" in by_debtor.steps[-1].event
    by_other = prescription(
        "impot_role",
        assessed_on=D(2020, 3, 31),
        acts=[Act(ActKind.PAIEMENT, D(2021, 9, 2), Party.OTHER)],
    )
    assert by_other.date == D(2024, 3, 31)


def test_2242_interrupted_until_the_end_of_the_instance():
    """C. civ. 2242: assigned 3 January 2023, instance pending: no date, never prescribed
    meanwhile; a later act changes nothing."""
    result = prescription(
        "impot_role",
        assessed_on=D(2020, 3, 31),
        acts=[Act(COURT, D(2023, 1, 3), Party.DEBTOR), Act(MED, D(2023, 6, 1), Party.DEBTOR)],
    )
    assert (result.state, result.date) == (State.INTERRUPTED_PENDING, None)
    assert result.state.label == "interrompue jusqu'à l'issue de l'instance"
    assert not result.is_prescribed(D(2040, 1, 1))
    assert "déjà interrompue jusqu'à l'issue de l'instance" in result.steps[-1].effect
    assert result.summary.startswith("interrompue jusqu'à l'issue de l'instance")


def test_2242_new_term_from_the_final_decision():
    """C. civ. 2242 and 2231: the decision became final on 15 March 2024 → 15 March 2028;
    an act during the instance (1 June 2023) has no effect of its own."""
    result = prescription(
        "impot_role",
        assessed_on=D(2020, 3, 31),
        acts=[
            Act(COURT, D(2023, 1, 3), Party.DEBTOR, "", Outcome.FINAL_DECISION, D(2024, 3, 15)),
            Act(MED, D(2023, 6, 1), Party.DEBTOR),
        ],
    )
    assert (result.state, result.date) == (State.RUNNING, D(2028, 3, 15))
    assert "sans effet propre" in result.steps[-1].effect


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        (COURT, Outcome.WITHDRAWN),
        (COURT, Outcome.LAPSED),
        (COURT, Outcome.REJECTED),
        (ActKind.EXECUTION, Outcome.CADUC),
        (ActKind.EXECUTION, Outcome.PERIME),
    ],
)
def test_2243_interruption_wiped_out(kind, outcome):
    """C. civ. 2243: withdrawn, lapsed or finally rejected, or a commandement caduc or
    périmé: the interruption of 3 January 2023 is non avenue; the date stays 31 March 2024
    (four years from 31 March 2020)."""
    result = prescription(
        "impot_role",
        assessed_on=D(2020, 3, 31),
        acts=[Act(kind, D(2023, 1, 3), Party.DEBTOR, "", outcome, D(2023, 9, 1))],
    )
    assert result.date == D(2024, 3, 31)
    assert "non avenue" in result.steps[-1].effect and "2243" in result.steps[-1].effect


def test_suspension_adds_its_days():
    """C. civ. 2230, LPF L.277: rôle of 31 July 2019 (→ 31 July 2023), sursis de paiement
    from 1 February to 1 August 2021 (181 days) → 28 January 2024."""
    result = prescription(
        "impot_role",
        assessed_on=D(2019, 7, 31),
        suspensions=[Suspension(SuspensionCause.SURSIS_DE_PAIEMENT, D(2021, 2, 1), D(2021, 8, 1))],
    )
    assert result.date == D(2024, 1, 28)
    assert "LPF L.277" in result.steps[-1].event


def test_an_open_suspension_leaves_the_claim_suspended():
    result = prescription(
        "impot_role",
        assessed_on=D(2019, 7, 31),
        suspensions=[Suspension(SuspensionCause.PROCEDURE_COLLECTIVE, D(2021, 2, 1))],
    )
    assert (result.state, result.date) == (State.SUSPENDED, None)
    assert not result.is_prescribed(D(2040, 1, 1))


def test_nothing_revives_a_prescribed_claim():
    """Prescribed on 31 July 2023: a mise en demeure of 1 September 2023 or a suspension
    begun then has no effect."""
    result = prescription(
        "impot_role",
        assessed_on=D(2019, 7, 31),
        acts=[Act(MED, D(2023, 9, 1), Party.DEBTOR)],
        suspensions=[Suspension(SuspensionCause.SURENDETTEMENT, D(2023, 8, 15), D(2024, 1, 1))],
    )
    assert result.date == D(2023, 7, 31)
    assert all("prescription était acquise" in step.effect for step in result.steps[1:])


@pytest.mark.parametrize(
    ("nature", "expected", "article"),
    [
        ("amende_crime", D(2040, 5, 10), "C. pén. 133-2"),
        ("amende_delit", D(2026, 5, 10), "C. pén. 133-3"),
        ("amende_contravention", D(2023, 5, 10), "C. pén. 133-4"),
    ],
)
def test_criminal_fines_by_class_of_offence(nature, expected, article):
    """C. pén. 133-2 (20 years), 133-3 (6 years), 133-4 (3 years) from the conviction
    become final on 10 May 2020."""
    result = prescription(nature, assessed_on=D(2020, 5, 10))
    assert result.date == expected and result.regime.basis == article


def test_a_fine_is_not_interrupted_by_a_payment():
    """C. proc. pén. 707-1: only the Trésor's acts of execution interrupt a sentence's
    prescription; a payment leaves the délit's six years (10 May 2026)."""
    result = prescription(
        "amende_delit",
        assessed_on=D(2020, 5, 10),
        acts=[Act(ActKind.PAIEMENT, D(2022, 1, 5), Party.DEBTOR)],
    )
    assert result.date == D(2026, 5, 10)
    seized = prescription(
        "amende_delit",
        assessed_on=D(2020, 5, 10),
        acts=[Act(ActKind.EXECUTION, D(2022, 1, 5), Party.DEBTOR)],
    )
    assert seized.date == D(2028, 1, 5)


def test_other_regimes_as_data():
    """CGCT L.1617-5 3° (4 years), C. civ. 2224 (5 years), CPCE L.111-4 (10 years), and a
    regime the caller defines."""
    assert REGIMES["produit_local"].years == 4
    assert prescription("creance_civile", assessed_on=D(2020, 1, 15)).date == D(2025, 1, 15)
    assert prescription("titre_executoire", assessed_on=D(2020, 1, 15)).date == D(2030, 1, 15)
    custom = Regime("x", "Créance X", 2, "texte X", "l'émission", frozenset(ActKind), "texte X")
    assert prescription(custom, assessed_on=D(2020, 1, 15)).date == D(2022, 1, 15)


def test_an_unknown_nature_is_refused():
    with pytest.raises(ValueError, match="Nature de créance inconnue : « tva_magique »"):
        prescription("tva_magique", assessed_on=D(2020, 1, 15))


def test_inconsistent_dates_are_refused():
    with pytest.raises(ValueError, match="précède le point de départ"):
        prescription(
            "impot_role", assessed_on=D(2020, 1, 15), acts=[Act(MED, D(2019, 1, 1), Party.DEBTOR)]
        )
    with pytest.raises(ValueError, match="ne peut précéder sa mise en recouvrement"):
        prescription("impot_amr", assessed_on=D(2020, 1, 15), sent_on=D(2020, 1, 1))


def test_l267_prescribed_claims_are_excluded_not_the_referral():
    """LPF L.267 (Cass. com. 5 December 2000): on 1 January 2025 the 2019 claim is
    prescribed (31 July 2023), the 2022 one live, the one in a pending instance live."""
    results = {
        "IS 2019": prescription("impot_role", assessed_on=D(2019, 7, 31)),
        "TVA 2022": prescription("impot_role", assessed_on=D(2022, 7, 31)),
        "CFE 2018": prescription(
            "impot_role", assessed_on=D(2018, 12, 1), acts=[Act(COURT, D(2021, 1, 4), Party.DEBTOR)]
        ),
    }
    split = split_prescribed(results, D(2025, 1, 1))
    assert split.prescribed == ("IS 2019",)
    assert split.live == ("TVA 2022", "CFE 2018")
