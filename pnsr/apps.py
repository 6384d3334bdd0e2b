from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.signals import request_finished

from . import sessions


class PnsrConfig(AppConfig):
    """The project as an app: its static files, the login time stamped in the session
    as the login writes it (pnsr.sessions), not by one more write on the next page, and
    the request id cleared once a response is sent (pnsr.middleware)."""

    name = "pnsr"
    verbose_name = "PNSR actions lourdes"

    def ready(self) -> None:
        from .middleware import clear_request_id

        user_logged_in.connect(sessions.stamp_login, dispatch_uid="pnsr.sessions.stamp_login")
        request_finished.connect(clear_request_id, dispatch_uid="pnsr.clear_request_id")
