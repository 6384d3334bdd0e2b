from django.apps import AppConfig
from django.db.backends.signals import connection_created

from .sql import register_sqlite_functions


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Pilotage"

    def ready(self) -> None:
        connection_created.connect(register_sqlite_functions)
