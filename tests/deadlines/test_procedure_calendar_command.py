"""`manage.py procedure_calendar saisie_immobiliere …` (issue 15): one tab-separated line per
deadline sorted by date, exit 2 with a French message and an empty stdout for bad input, the
local-law notice alone in Alsace-Moselle. Exit statuses need a real process."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "procedure_calendar", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": "postgres://nobody:x@127.0.0.1:9/nowhere"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_prints_the_calendar_sorted_by_date():
    """Served Monday 3 March 2025, published Thursday 24 April, assigned Tuesday 10 June
    for Thursday 4 September (Aisne): R.321-1 (marital situation unknown, to be checked),
    R.321-6, R.322-4 (three bounds), R.322-6, R.322-10, R.321-20, worked in
    test_saisie_calendar."""
    result = run(
        "saisie_immobiliere",
        "--commandement-signifie", "2025-03-03",
        "--publie", "2025-04-24",
        "--assigne", "2025-06-10",
        "--audience-orientation", "2025-09-04",
        "--departement", "02",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(date, article) for date, article, _ in rows] == [
        ("<=2025-03-04", "R.321-1"),
        ("<=2025-05-05", "R.321-6"),
        (">=2025-06-04", "R.322-4"),
        ("<=2025-06-16", "R.322-6"),
        ("<=2025-06-16", "R.322-10"),
        ("<=2025-06-24", "R.322-4"),
        ("<=2025-08-04", "R.322-4"),
        ("<=2030-04-24", "R.321-20"),
    ]
    assert rows[3][2].startswith("Dénoncer le commandement aux créanciers inscrits")


def test_json_output():
    out = io.StringIO()
    call_command(
        "procedure_calendar",
        "saisie_immobiliere",
        "--commandement-signifie=2024-01-08",
        "--adjudication=2026-01-08",
        "--json",
        stdout=out,
    )
    lines = json.loads(out.getvalue())
    surenchere = next(line for line in lines if line["article"] == "R.322-50")
    # R.322-50: Thursday 8 January 2026 + 10 days = Sunday 18 → Monday 19 January.
    assert (surenchere["date"], surenchere["bound"]) == ("2026-01-19", "<=")


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_prints_the_notice_on_stderr_and_exits_0(departement):
    result = run(
        "saisie_immobiliere", "--commandement-signifie", "2025-03-03", "--departement", departement
    )
    assert (result.returncode, result.stdout) == (0, "")
    assert "loi du 1er juin 1924" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["saisie_immobiliere"], "Indiquez la date de signification du commandement"),
        (["saisie", "--commandement-signifie", "2025-03-03"], "Procédure inconnue « saisie »"),
        ([], "Procédure inconnue"),
        (["saisie_immobiliere", "--commandement-signifie", "2025-02-30"], "Date invalide"),
        (["saisie_immobiliere", "--commandement-signifie", "03/03/2025"], "AAAA-MM-JJ"),
        (
            [
                "saisie_immobiliere", "--commandement-signifie", "2025-03-03",
                "--publie", "2025-03-01",
            ],
            "Dates incohérentes : la publication du commandement",
        ),
        (
            [
                "saisie_immobiliere", "--commandement-signifie", "2025-03-03",
                "--commandement-signe", "2025-03-04",
            ],
            "Dates incohérentes",
        ),
        (
            [
                "saisie_immobiliere", "--commandement-signifie", "2025-03-03",
                "--publie", "2025-04-24", "--assigne", "2025-06-10",
                "--audience-orientation", "2025-07-14",
            ],
            "jour férié",
        ),
        (
            ["saisie_immobiliere", "--commandement-signifie", "2025-03-03", "--departement", "99"],
            "Département inconnu",
        ),
        (["saisie_immobiliere", "--commandement-signifie"], "attend une valeur"),
        (["saisie_immobiliere", "--commandement-signifie", "2025-03-03", "--bogus"], "non reconnu"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_a_french_message_and_nothing_on_stdout(args, message):
    result = run(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert message in result.stderr
    assert "Usage : manage.py procedure_calendar" in result.stderr
