from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from . import sessions


class PnsrConfig(AppConfig):
    """The project as an app: its static files, and the login time stamped in the session
    as the login writes it (pnsr.sessions), not by one more write on the next page."""

    name = "pnsr"
    verbose_name = "PNSR actions lourdes"

    def ready(self) -> None:
        user_logged_in.connect(sessions.stamp_login, dispatch_uid="pnsr.sessions.stamp_login")
