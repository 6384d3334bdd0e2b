"""The database role the application runs as in production (PostgreSQL): not the owner of
the tables, so that it can neither alter their structure nor disable their triggers, and
with no right to rewrite the history nor the consultation journal: SELECT and INSERT only
on the append-only tables, SELECT, INSERT, UPDATE and DELETE on the others, never
TRUNCATE. Migrations run under the owner role, which then grants (`manage.py
grant_app_role`, idempotent: run it after each `migrate`). The test suite runs as such a
role on PostgreSQL (tests/database.py)."""

from __future__ import annotations

import re

from .models import AccessLog, AccountChange, CaseEvent

# The tables the application may only read and append to: the history, the consultation
# journal and the accounts' journal (an insider must not erase their own traces;
# `purge_access_log` runs under the owner, like `migrate`).
APPEND_ONLY_TABLES = (
    CaseEvent._meta.db_table,
    AccessLog._meta.db_table,
    AccountChange._meta.db_table,
)
# Columns of those the application may still update: the journal's links to a user or a
# case that is deleted (on_delete=SET_NULL, done by Django); the row keeps their names.
NULLABLE_LINKS = {AccessLog._meta.db_table: ("user_id", "case_id")}

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(Exception):
    """A role this command refuses to set up, with a French message."""


def grant_app_role(connection, role: str, password: str | None = None) -> None:
    """Create `role` (LOGIN) if it does not exist, set its password if one is given, and
    grant it what the application needs on the current database, as its owner."""
    if connection.vendor != "postgresql":
        raise RoleError("Les rôles de base de données ne concernent que PostgreSQL.")
    if not ROLE_NAME.match(role):
        raise RoleError(
            f"Nom de rôle invalide : « {role} » (lettres minuscules, chiffres et _, "
            "63 caractères au plus)."
        )
    quote = connection.ops.quote_name
    name = quote(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
        if owner == role:
            raise RoleError(
                f"Le rôle de l'application ne peut pas être celui qui possède les tables "
                f"({owner}) : lancez cette commande sous le rôle propriétaire, avec un autre nom."
            )
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found and found[0]:
            raise RoleError(f"Le rôle « {role} » est superutilisateur : il passerait outre tout.")
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {name} LOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
        if password:
            cursor.execute(f"ALTER ROLE {name} LOGIN PASSWORD %s", [password])
        statements = [
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {name}",
            f"GRANT USAGE ON SCHEMA public TO {name}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
            *(f"REVOKE UPDATE, DELETE ON {quote(t)} FROM {name}" for t in APPEND_ONLY_TABLES),
            *(
                f"GRANT UPDATE ({', '.join(map(quote, columns))}) ON {quote(t)} TO {name}"
                for t, columns in NULLABLE_LINKS.items()
            ),
            # Sequences: nextval (USAGE), and setval (UPDATE) for loaddata's sequence reset.
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}",
            # Tables that later migrations create get the same rights (run this command
            # again after each migrate all the same: a new append-only table needs it).
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {name}",
        ]
        for statement in statements:
            cursor.execute(statement)
