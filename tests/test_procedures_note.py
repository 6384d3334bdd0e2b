"""The note on the procedures (docs/procedures.md) names every step of the pôle's process
and every deadline rule, so that a new phase or deadline cannot be added without saying
which texts it follows."""

from pathlib import Path

import pytest

from deadlines.rules import TEMPLATES
from workflows.process import PROCESS

NOTE = (Path(__file__).resolve().parent.parent / "docs" / "procedures.md").read_text()


@pytest.mark.parametrize("step", sorted(PROCESS))
def test_every_step_is_in_the_note(step):
    assert f"`{step}`" in NOTE


@pytest.mark.parametrize("code", sorted(t.code for t in TEMPLATES))
def test_every_deadline_rule_is_in_the_note(code):
    assert f"`{code}`" in NOTE
