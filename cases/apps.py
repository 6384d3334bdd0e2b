from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Dossiers"

    def ready(self) -> None:
        from . import search
        from .sql import register_sqlite_functions

        search.register_kernel()
        # The percentile aggregate on SQLite (PostgreSQL has its own).
        connection_created.connect(register_sqlite_functions, dispatch_uid="cases.sqlite_sql")
