"""How long a signed-in session lasts: SESSION_IDLE_MINUTES without a request, and
SESSION_MAX_HOURS after the login whatever the activity. The session holds both times
(seconds since the epoch); SessionLifetimeMiddleware ends the session past either."""

from __future__ import annotations

import time

from django.conf import settings

LOGIN_AT = "pnsr_login_at"
SEEN_AT = "pnsr_seen_at"
# Writing the last activity on every request would turn each page into a session write:
# a minute's precision is enough for a 30-minute limit.
SEEN_PRECISION = 60


def idle_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def max_seconds() -> int:
    return settings.SESSION_MAX_HOURS * 3600


def ended(session, now: float | None = None) -> str | None:
    """Why the session is over (a French sentence for the login page), or None."""
    now = time.time() if now is None else now
    login_at = session.get(LOGIN_AT)
    if login_at is not None and now - login_at > max_seconds():
        return (
            f"Votre session a pris fin {settings.SESSION_MAX_HOURS} heures après votre "
            "connexion : reconnectez-vous."
        )
    seen_at = session.get(SEEN_AT)
    if seen_at is not None and now - seen_at > idle_seconds():
        return (
            f"Votre session a pris fin après {settings.SESSION_IDLE_MINUTES} minutes sans "
            "activité : reconnectez-vous."
        )
    return None


def idle_seconds_left(session, now: float | None = None, *, active: bool = False) -> int:
    """Seconds before the session ends (idle end, or the absolute end if sooner);
    `active`: as of a request that counts as activity (a page being rendered)."""
    now = time.time() if now is None else now
    seen_at = now if active else session.get(SEEN_AT, now)
    left = idle_seconds() - (now - seen_at)
    if LOGIN_AT in session:
        left = min(left, max_seconds() - (now - session[LOGIN_AT]))
    return max(round(left), 0)


def stamp_login(sender, request, user, **kwargs) -> None:
    """On `user_logged_in`: the session starts now (saved with the login's own write)."""
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


def record_activity(session, now: float | None = None, *, force: bool = False) -> None:
    """Stamp the last activity (and the login time of a session opened before these
    stamps existed)."""
    now = time.time() if now is None else now
    session.setdefault(LOGIN_AT, now)
    if force or now - session.get(SEEN_AT, 0) >= SEEN_PRECISION:
        session[SEEN_AT] = now
