"""Rate limit per token (per user for the session of the documentation page).

Requests without valid credentials are answered 401 before any throttle runs, so only
authenticated requests are counted: in the database (`RateWindow`, one row per requester
and fixed window, incremented by a single upsert), so that every web process shares the
same count. The upsert's RETURNING needs SQLite 3.35 or later (PostgreSQL: any)."""

import hashlib
import time

from django.conf import settings
from django.db import connection
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from .models import ApiToken, RateWindow

_UPSERT = (
    "INSERT INTO {table} ({key}, {window}, {count}) VALUES (%s, %s, 1) "
    "ON CONFLICT ({key}, {window}) DO UPDATE SET {count} = {table}.{count} + 1 "
    "RETURNING {count}"
)


def _sql(template: str) -> str:
    q = connection.ops.quote_name
    return template.format(
        table=q(RateWindow._meta.db_table), key=q("key"), window=q("window"), count=q("count")
    )


class TokenRateThrottle(BaseThrottle):
    def requester(self, request) -> str:
        if isinstance(request.auth, ApiToken):
            return f"token-{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        # Not reached through the API's views (they require authentication); hashed so
        # that a long forwarded-for header cannot overflow the key.
        return "address-" + hashlib.sha256(self.get_ident(request).encode()).hexdigest()[:32]

    def allow_request(self, request, view) -> bool:
        allowed, self.duration = SimpleRateThrottle.parse_rate(None, settings.API_RATE)
        now = time.time()
        window = int(now // self.duration)
        self.window_end = (window + 1) * self.duration
        self.now = now
        key = self.requester(request)
        with connection.cursor() as cursor:
            cursor.execute(_sql(_UPSERT), [key, window])
            count = cursor.fetchone()[0]
            if count == 1:  # the first request of a window: forget the older ones
                cursor.execute(
                    _sql("DELETE FROM {table} WHERE {key} = %s AND {window} < %s"),
                    [key, window],
                )
        return count <= allowed

    def wait(self) -> float:
        return max(self.window_end - self.now, 1)
