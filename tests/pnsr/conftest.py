import pytest
from django.core.management import call_command


@pytest.fixture
def reference_data(transactional_db):
    """The live server's tests commit, and the flush after each takes the reference data
    loaded once per run (tests/conftest.py): load it again (the flush itself goes past the
    history's append-only triggers: tests/database.py)."""
    call_command(
        "loaddata", "directions", "action_types", "postes_comptables", "lawyers", verbosity=0
    )
