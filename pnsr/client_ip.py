"""The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Without django-ipware axes would only read REMOTE_ADDR, which behind a reverse proxy is the
proxy's: one person's five failures would then lock everyone out. Each of the
TRUSTED_PROXIES proxies appends the address it received the request from to
X-Forwarded-For, so the client is the TRUSTED_PROXIES-th entry from the right. Entries
further left were written by the client itself and prove nothing: they are never read.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        # Not through every proxy we were told of: only the connection's address is known.
        return remote
    return _address(hops[-proxies]) or remote
