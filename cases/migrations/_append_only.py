"""Tables that are append-only at the database level: no UPDATE and no DELETE from any
client (TRUNCATE, used only to empty a test database, is not a row operation). One
PostgreSQL function and trigger, or two SQLite triggers, per table. Used by the migrations
of the cases' history (0002), the accounts' journal (0030) and the documents' template
versions (documents/0005), and by tests/database.py, which lifts the SQLite triggers
around a test database's flush. (A module of the migrations package whose name starts with
an underscore: Django's migration loader skips it.)"""

from __future__ import annotations

from django.db import migrations


class AppendOnly:
    def __init__(self, table: str, message: str):
        self.table = table
        self.message = message.replace("'", "''")  # inside an SQL string literal

    @property
    def postgres(self) -> list[str]:
        """The function raising the message, then the trigger calling it."""
        return [
            f"""
            CREATE OR REPLACE FUNCTION {self.table}_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{self.message}';
            END;
            $$ LANGUAGE plpgsql;
            """,
            f"CREATE TRIGGER {self.table}_append_only BEFORE UPDATE OR DELETE ON {self.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.table}_append_only();",
        ]

    @property
    def postgres_reverse(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.table}_append_only ON {self.table};",
            f"DROP FUNCTION IF EXISTS {self.table}_append_only();",
        ]

    @property
    def sqlite(self) -> list[str]:
        return [
            f"CREATE TRIGGER {self.table}_no_{operation.lower()} BEFORE {operation} "
            f"ON {self.table} BEGIN SELECT RAISE(ABORT, '{self.message}'); END;"
            for operation in ("UPDATE", "DELETE")
        ]

    @property
    def sqlite_reverse(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.table}_no_{operation};"
            for operation in ("update", "delete")
        ]

    def operation(self) -> migrations.RunPython:
        return migrations.RunPython(
            run({"postgresql": self.postgres, "sqlite": self.sqlite}),
            run({"postgresql": self.postgres_reverse, "sqlite": self.sqlite_reverse}),
        )


def run(statements_by_vendor: dict[str, list[str]]):
    """A RunPython function executing the statements of the connection's vendor."""

    def execute(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return execute
