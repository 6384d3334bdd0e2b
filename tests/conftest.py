import os

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.client import ClientHandler

from cases.enums import Role
from cases.models import Direction, PosteComptable
from tests import database
from tests.factories import UserFactory

# The heavy property tests at full strength in continuous integration (.ci/run exports
# CI=true), lighter for the everyday `make test`: the random walks of the pôle's process
# (tests/workflows/test_stateful.py, examples of 30 steps each) and schemathesis'
# examples per API operation (tests/api/test_schema.py). An explicit value in the
# environment wins in both cases.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
os.environ.setdefault("STATEFUL_EXAMPLES", "30" if IN_CI else "5")
os.environ.setdefault("SCHEMATHESIS_EXAMPLES", "25" if IN_CI else "5")

# .ci/run runs the suite twice, on PostgreSQL then on SQLite (PNSR_CI_SUITE names which):
# what does not depend on the database runs in one of the two only, to keep CI short: the
# pages in Chromium (axe, keyboard, 390 px, policies) with PostgreSQL, production's
# database; the demo's data (tests/demo/) with SQLite, `make demo`'s; and the tests that
# cannot touch a database at all (no django_db mark nor database fixture: pytest-django
# refuses them any query; the deadline engine, the calendars, the commands run in a process
# of their own, the settings read) with SQLite, on the newest Python. `make test` runs all.
CI_SUITE = os.environ.get("PNSR_CI_SUITE", "")
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def _uses_no_database(item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return False
    return not DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))


def _drives_chromium(module) -> bool:
    source = getattr(module, "__file__", "") or ""
    if not source.endswith(".py"):
        return False
    with open(source, encoding="utf-8") as handle:
        text = handle.read()
    return "playwright" in text or "from tests.pnsr.browsing import" in text


def pytest_collection_modifyitems(config, items):
    if CI_SUITE not in ("postgresql", "sqlite"):
        return
    elsewhere = pytest.mark.skip(reason=f"lancé par .ci/run dans l'autre suite que {CI_SUITE}")
    seen: dict[str, bool] = {}
    for item in items:
        path = str(item.path)
        if path not in seen:
            seen[path] = _drives_chromium(item.module)
        in_browser = seen[path]
        of_the_demo = f"{os.sep}tests{os.sep}demo{os.sep}" in path
        in_sqlite_only = of_the_demo or (not in_browser and _uses_no_database(item))
        if (CI_SUITE == "sqlite" and in_browser) or (CI_SUITE == "postgresql" and in_sqlite_only):
            item.add_marker(elsewhere)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data (directions, action catalogue, postes comptables, lawyers) once per
    run, loaded by the tables' owner; then, on PostgreSQL, the tests run as the
    application's role, as in production (tests/database.py)."""
    with django_db_blocker.unblock():
        call_command(
            "loaddata",
            "directions",
            "action_types",
            "postes_comptables",
            "lawyers",
            verbosity=0,
        )
        role = database.ApplicationRole() if connection.vendor == "postgresql" else None
        if role:
            role.start()
            if django_settings.DATABASE_POOLER == "transaction":
                database.drop_past_the_pooler()
        else:
            database.flush_past_sqlite_triggers()
    yield
    if role:
        with django_db_blocker.unblock():
            role.stop()


@pytest.fixture
def reference_data(transactional_db):
    """For the tests that commit (live server, concurrent connections): the flush after
    each takes the reference data loaded once per run (above); load it again (the flush
    itself goes past the history's append-only triggers: tests/database.py)."""
    call_command(
        "loaddata", "directions", "action_types", "postes_comptables", "lawyers", verbosity=0
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    """What the code writes under var/ at run time (seed_demo's signing certificate) goes
    to the test's own folder."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _close_streamed_responses(monkeypatch):
    """Close, at the end of each test, the downloads (streamed responses) the test client
    returned, as the WSGI server does once it has sent them: a test that only checks the
    status of a download would otherwise leave its file open (a ResourceWarning, an error
    under filterwarnings). Django's own closing_iterator_wrapper does the same on the
    responses read to the end, keeping the test's database connection."""
    responses = []
    handle = ClientHandler.__call__

    def keeping(self, environ):
        response = handle(self, environ)
        if response.streaming:
            responses.append(response)
        return response

    monkeypatch.setattr(ClientHandler, "__call__", keeping)
    yield
    request_finished.disconnect(close_old_connections)
    try:
        for response in responses:
            response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_unknown_template_variable():
    """Fail a test whose pages or emails used a variable our templates do not receive
    (tests/settings.py: UnknownVariables)."""
    found = django_settings.UNKNOWN_VARIABLES.found
    found.clear()
    yield
    unknown = sorted(set(found))
    found.clear()
    assert not unknown, "Variables inconnues dans nos gabarits : " + ", ".join(unknown)


def _poste(name: str) -> PosteComptable:
    return PosteComptable.objects.get(name=name)


@pytest.fixture
def users(db) -> dict:
    """One user per role, named after what they are to a DDFIP 02 case referred by
    the SIE de Laon."""
    d02 = Direction.objects.get(code="DDFIP 02")
    d67 = Direction.objects.get(code="DRFIP 67")
    d30 = Direction.objects.get(code="DDFIP 30")
    laon = _poste("SIE de Laon")
    make = UserFactory
    return {
        "poste_agent": make(
            username="comptable.laon", role=Role.POSTE_AGENT, poste_comptable=laon, direction=d02
        ),
        "other_poste_agent": make(
            username="comptable.stquentin",
            role=Role.POSTE_AGENT,
            poste_comptable=_poste("SGC de Saint-Quentin"),
            direction=d02,
        ),
        "direction_agent": make(username="agent.d02", role=Role.DIRECTION_AGENT, direction=d02),
        "other_direction_agent": make(
            username="agent.d67", role=Role.DIRECTION_AGENT, direction=d67
        ),
        "jurist": make(username="juriste.a", role=Role.JURIST),
        "other_jurist": make(username="juriste.b", role=Role.JURIST),
        "head": make(username="chef", role=Role.HEAD),
        "expert": make(username="expert.d30", role=Role.EXPERT, direction=d30),
        "management": make(username="pilotage.national", role=Role.MANAGEMENT),
        "management_d02": make(username="pilotage.d02", role=Role.MANAGEMENT, direction=d02),
        "management_d67": make(username="pilotage.d67", role=Role.MANAGEMENT, direction=d67),
        "admin": make(username="admin.site", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
