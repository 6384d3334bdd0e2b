"""The site's perimeter: requests refused before any view runs, how long a session lasts,
and the headers every response carries."""

from __future__ import annotations

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.urls import reverse
from django.utils.cache import patch_cache_control

from worker import request_id

from . import sessions
from .views import bad_request


class RequestIdMiddleware:
    """The request's id (worker.request_id): the proxy's X-Request-ID when it is a valid
    one, else a new one; on every log line of the request and of the tasks it queues, and
    sent back in X-Request-ID. Cleared when the response is closed (after Django logs a
    4xx or 5xx: `clear_request_id`), not when the view returns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id.from_header(request.headers.get("X-Request-ID"))
        request_id.set_current(request.request_id)
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request.request_id
        return response


def clear_request_id(**kwargs) -> None:
    """On `request_finished`: what a process logs between requests carries no id."""
    request_id.set_current(None)


class SessionLifetimeMiddleware:
    """Ends a session signed in through the site idle for too long or older than its
    maximum (pnsr.sessions), before the view: the login check that follows sends the user
    to the login page, with the reason. Every other signed-in request counts as activity,
    except the idle warning's own question « how long is left? » (GET on /session/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session:
            reason = sessions.ended(request.session)
            if reason:
                logout(request)
                messages.warning(request, reason)
        response = self.get_response(request)
        # Signed in through the site (the API's tokens have no session: none is created).
        if SESSION_KEY in request.session:
            asking = request.method == "GET" and request.path == reverse("session")
            if not asking:
                sessions.record_activity(request.session)
        return response


class SecurityHeadersMiddleware:
    """`Cache-Control: private, no-store` on every response — pages, downloads, API,
    calendar feed: they carry data under the secret fiscal (LPF L.103), which no browser
    or proxy cache may keep — and a Permissions-Policy denying the browser features no
    page uses (PERMISSIONS_POLICY_DENIED)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED
        )

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class RefuseNulBytesMiddleware:
    """An address or query string with a NUL byte is a 400: PostgreSQL cannot compare a
    text with it, so every view looking a case, a token or a document up by it would
    fail (the forms refuse NUL bytes they are posted, in French, on their fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in request.path or "\x00" in query:
            return bad_request(request)
        return self.get_response(request)
