"""`manage.py deadline`: the date alone on stdout and exit 0, or a French error on stderr and
exit status 2. Exit statuses need a real process (call_command raises instead of exiting)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "deadline", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def deadline(*args: str) -> str:
    out = io.StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


# --- Success ---------------------------------------------------------------------------------


def test_prints_the_date_alone_and_exits_0():
    # 15 days from Thursday 11 December 2025 → Friday 26 December, Saint-Étienne in
    # Moselle → Monday 29 December.
    result = run("2025-12-11", "--days", "15", "--department", "57")
    assert (result.returncode, result.stdout, result.stderr) == (0, "2025-12-29\n", "")


def test_needs_no_database():
    # An unreachable PostgreSQL server: the command must not try to connect.
    result = run("11/12/2025", "--days=15", DATABASE_URL="postgres://nobody:x@127.0.0.1:9/nowhere")
    assert (result.returncode, result.stdout, result.stderr) == (0, "2025-12-26\n", "")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # 31 January 2025 + 1 month → Friday 28 February 2025.
        (["2025-01-31", "--months", "1"], "2025-02-28\n"),
        # The same in French notation.
        (["31/01/2025", "--months", "1"], "2025-02-28\n"),
        # 29 February 2024 + 2 years → Saturday 28 February 2026 → Monday 2 March.
        (["2024-02-29", "--years", "2"], "2026-03-02\n"),
        # 15 days from Thursday 19 March 2026 → Good Friday 3 April: kept without a
        # département and in the Aisne, → Tuesday 7 April in the Bas-Rhin.
        (["2026-03-19", "--days", "15"], "2026-04-03\n"),
        (["2026-03-19", "--days", "15", "--department", "02"], "2026-04-03\n"),
        (["2026-03-19", "--days", "15", "--department", "67"], "2026-04-07\n"),
        (["2026-03-19", "--days", "15", "--departement", "67"], "2026-04-07\n"),
        # La Réunion: Friday 20 December 2024, abolition of slavery → Monday 23.
        (["2024-12-05", "--days", "15", "--department", "974"], "2024-12-23\n"),
        # 5 jours ouvrables from Thursday 17 April 2025, across the Easter week-end (Sunday
        # 20 and Monday 21 not counted): Thursday 24 April.
        (["2025-04-17", "--ouvrables", "5"], "2025-04-24\n"),
        (["2025-04-17", "--ouvrables", "5", "--department", "2A"], "2025-04-24\n"),
        # A length of zero: the starting day itself, here Saturday 11 January 2025 → Monday.
        (["2025-01-11", "--days", "0"], "2025-01-13\n"),
    ],
)
def test_output(args, expected):
    # No database fixture: pytest-django would fail the test if the command touched it.
    assert deadline(*args) == expected


# --- Errors: French message on stderr, exit status 2 -----------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2025-02-30", "--days", "15"], "Date de départ invalide : « 2025-02-30 »"),
        (["31-01-2025", "--days", "15"], "Date de départ invalide : « 31-01-2025 »"),
        (["--days", "15"], "Indiquez la date de départ du délai"),
        (["2025-01-31"], "Indiquez la durée du délai"),
        (["2025-01-31", "--days", "-3"], "Durée invalide pour --days : « -3 »"),
        (["2025-01-31", "--months", "1", "--days", "15"], "Indiquez une seule durée de délai"),
        (["2025-01-31", "--days", "15", "--department", "99"], "Département inconnu : « 99 »"),
        (["2025-01-31", "--days", "15", "--frobnicate"], "Argument(s) non reconnu(s)"),
    ],
)
def test_errors_exit_2_with_a_french_message(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Erreur : {message}")
    assert "Usage : manage.py deadline" in result.stderr
    # Neither argparse's English usage nor Django's exception class name, nor a traceback.
    for english in ("usage:", "error:", "CommandError", "Traceback", "required"):
        assert english not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demain", "--days", "15"], "Date de départ invalide"),
        (["2025-13-01", "--days", "15"], "Date de départ invalide"),
        (["2025-01-31", "--days", "quinze"], "Durée invalide pour --days : « quinze »"),
        (["2025-01-31", "--years", "1.5"], "Durée invalide pour --years"),
        (["2025-01-31", "--ouvrables", "5", "--years", "1"], "une seule durée"),
        (["2025-01-31", "--days"], "L'option --days attend une valeur"),
        (["2025-01-31", "--days", "3", "--department"], "L'option --department attend"),
        (["2025-01-31", "2025-02-01", "--days", "3"], "non reconnu(s) : 2025-02-01"),
        (["2025-01-31", "--days", "3", "--department", "6AE"], "Département inconnu"),
        (["2100-12-20", "--days", "30"], "ne sont connus que de"),
    ],
)
def test_errors_through_call_command(args, message):
    with pytest.raises(CommandError, match=re.escape(message)) as info:
        deadline(*args)
    assert info.value.returncode == 2
