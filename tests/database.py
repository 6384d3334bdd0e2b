"""How the suite uses its database.

On PostgreSQL the suite runs as the application's production role, not as the tables'
owner (cases/roles.py; README, « Production »).

The owner (DATABASE_URL's user) creates the test database, migrates it and loads the
reference data, as a deployment does; `grant_app_role` then sets up a role of the test
database's own (`<test database>_app`, so that parallel workers do not share one), and
every connection of the tests logs in as that role. At the end the owner takes the
connection back to drop the database, and the role goes with it.

Between transactional tests Django empties the tables with one TRUNCATE
(`DatabaseOperations.execute_sql_flush`): the application role has no TRUNCATE right and
the history's `BEFORE TRUNCATE` trigger refuses anyone who does not say so on purpose. The
flush is therefore run on a connection of the owner's, which sets
`pnsr.allow_history_truncate` for its own transaction: the one honest way past the
trigger, open to the tables' owner only.

On SQLite (no roles) Django's flush is one DELETE per table, which the append-only
triggers (the history, the documents' template versions) refuse: the flush drops them for
its own transaction and creates them again (`flush_past_sqlite_triggers`). The
application has no such path."""

from __future__ import annotations

import contextlib
import importlib
import secrets

from django.db import connection, connections, transaction

from cases.roles import grant_app_role

# Every append-only table (cases/migrations/_append_only.py): its SQLite triggers are lifted
# around a flush, which deletes rows.
APPEND_ONLY = (
    importlib.import_module("cases.migrations.0002_caseevent_append_only").HISTORY,
    importlib.import_module("cases.migrations.0030_account_change_direction_admin").JOURNAL,
    importlib.import_module("documents.migrations.0005_template_versions").TEMPLATE_VERSIONS,
)
SQLITE_TRIGGERS = tuple(statement for table in APPEND_ONLY for statement in table.sqlite)
SQLITE_TRIGGERS_REVERSE = tuple(
    statement for table in APPEND_ONLY for statement in table.sqlite_reverse
)

OWNER: dict = {}  # the owner's connection settings, while the tests run as the role


def owner_connection():
    """A new connection to the test database as the tables' owner (to be closed): what
    someone holding the owner's password could do, for the tests that tamper."""
    return connections["default"].__class__(dict(OWNER), alias="owner")


@contextlib.contextmanager
def as_owner():
    """Run the block on the default connection as the tables' owner, as production runs
    `migrate` and `purge_access_log` (PostgreSQL; nothing to do on SQLite). For
    transactional tests only: the connection is closed and opened again."""
    if not OWNER:
        yield
        return
    app = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(USER=OWNER["USER"], PASSWORD=OWNER["PASSWORD"])
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(app)


def _flush_as_owner(self, sql_list) -> None:
    owner = owner_connection()
    try:
        with owner.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SET LOCAL pnsr.allow_history_truncate = 'on'")
            for sql in sql_list:
                cursor.execute(sql)
            cursor.execute("COMMIT")
    finally:
        owner.close()


class ApplicationRole:
    def start(self) -> None:
        OWNER.update(connection.settings_dict)
        self.role = f"{OWNER['NAME']}_app"[:63]
        password = secrets.token_urlsafe(24)
        grant_app_role(connection, self.role, password)
        self.operations = type(connection.ops)
        self.original_flush = self.operations.execute_sql_flush
        self.operations.execute_sql_flush = _flush_as_owner
        connections.close_all()
        connection.settings_dict.update(USER=self.role, PASSWORD=password)

    def stop(self) -> None:
        self.operations.execute_sql_flush = self.original_flush
        connections.close_all()
        connection.settings_dict.update(USER=OWNER["USER"], PASSWORD=OWNER["PASSWORD"])
        OWNER.clear()
        with connection.cursor() as cursor:
            role = connection.ops.quote_name(self.role)
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def _drop_past_the_pooler(self, test_database_name, verbosity) -> None:
    """Behind PgBouncer (DATABASE_POOLER=transaction) the pooler keeps its server
    connections to the test database open after the tests: the owner drops it with them."""
    self.connection.close_pool()
    with self._nodb_cursor() as cursor:
        cursor.execute(
            f"DROP DATABASE {self.connection.ops.quote_name(test_database_name)} WITH (FORCE)"
        )


def drop_past_the_pooler() -> None:
    type(connection.creation)._destroy_test_db = _drop_past_the_pooler


def _flush_sqlite(self, sql_list) -> None:
    with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
        for statement in (*SQLITE_TRIGGERS_REVERSE, *sql_list, *SQLITE_TRIGGERS):
            cursor.execute(statement)


def flush_past_sqlite_triggers() -> None:
    type(connection.ops).execute_sql_flush = _flush_sqlite


def migrate_to(targets):
    """Migrate the default database to `targets` (forward or back), for the tests of a
    migration (transactional: migrating commits); returns the models' state there."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    from django.db.migrations.executor import MigrationExecutor

    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
