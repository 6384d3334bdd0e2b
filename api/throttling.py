"""Rate limit per token (per user for the session of the documentation page, per address
for anonymous requests).

Counted in the database (`RateWindow`, one row per requester and fixed window, incremented
by a single upsert), so that every web process shares the same count."""

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
        return f"address-{self.get_ident(request)}"

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
