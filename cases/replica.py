"""The read replica: the pages that only read (the dashboards, the exports, the search)
read from it when DATABASE_REPLICA_URL names one; everything else, and every write, goes to
the primary (`default`).

A read goes to the replica only inside `reads_from_replica` (a view decorator), and never
for a browser that is pinned to the primary: the request itself wrote, or the same browser
wrote less than REPLICA_PIN_SECONDS ago (a cookie holding the moment the pin ends, set by
`PinToPrimaryMiddleware`). So a user who has just changed a case never reads a replica that
has not replayed the change yet. The request's bookkeeping (its session, the consultation
journal that the replica's own pages write) does not pin: no page reads it back.

Without the replica alias the router sends everything to `default`, the middleware sets no
cookie, and `lag_notice` asks nothing: nothing changes."""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "pnsr_primary"

# Written by every page, read back by none of the replica's: they do not pin.
BOOKKEEPING = frozenset({"sessions.session", "cases.accesslog"})


@dataclasses.dataclass
class _Reads:
    replica: bool = False  # inside reads_from_replica
    pinned: bool = False  # the browser wrote less than REPLICA_PIN_SECONDS ago
    wrote: bool = False  # this request wrote


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("pnsr_reads", default=None)


def configured() -> bool:
    return REPLICA in connections.settings


def from_replica() -> bool:
    """Whether a read made now goes to the replica."""
    reads = _reads.get()
    return bool(reads and reads.replica and not reads.pinned and not reads.wrote and configured())


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if from_replica() else None

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        # Django's database cache routes a model of its own, without a label: a write too.
        label = getattr(model._meta, "label_lower", None)
        if reads is not None and label not in BOOKKEEPING:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class PinToPrimaryMiddleware:
    """Opens each request's routing state; after a request that wrote, pins the browser to
    the primary for REPLICA_PIN_SECONDS (longer than the replica's usual lag)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            pinned_until = float(request.COOKIES.get(PIN_COOKIE, 0))
        except ValueError:
            pinned_until = 0
        reads = _Reads(pinned=time.time() < pinned_until)
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote and configured():
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + settings.REPLICA_PIN_SECONDS),
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def reads_from_replica(view):
    """The view's reads (and those of a streamed response's content, read after the view
    returned) go to the replica, unless the request or the browser is pinned to the
    primary. Its writes go to the primary, and from the first one on its reads too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        reads = _reads.get()
        if reads is None:  # called without the middleware: only this call's state
            reads = _Reads()
        outer = _reads.set(dataclasses.replace(reads, replica=True))
        try:
            response = view(request, *args, **kwargs)
            inner = _reads.get()
            reads.wrote = reads.wrote or inner.wrote
        finally:
            _reads.reset(outer)
        if getattr(response, "streaming", False):
            response.streaming_content = _streamed(response.streaming_content, inner)
        return response

    return wrapper


class _streamed:
    """A streamed response's chunks, each read under the view's routing state (the WSGI
    server reads them after the view and the middleware have returned)."""

    def __init__(self, chunks, reads: _Reads):
        self.chunks = iter(chunks)
        self.reads = reads

    def __iter__(self):
        return self

    def __next__(self):
        token = _reads.set(self.reads)
        try:
            return next(self.chunks)
        finally:
            _reads.reset(token)

    def close(self) -> None:
        close = getattr(self.chunks, "close", None)
        if close:
            close()


def lag_seconds() -> float | None:
    """How far behind the primary the replica is, in seconds; None without a replica or
    when it cannot tell.

    `now() - pg_last_xact_replay_timestamp()` alone grows while the primary is idle (no
    transaction to replay, the last one gets older): when the replica has replayed all the
    WAL it received (`pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()`), it is up to
    date and the lag is 0. Otherwise (WAL received and not replayed yet: replay slow or
    paused) the lag is the age of the last transaction it replayed, an upper bound. What
    this cannot see: a replica cut off from its primary (nothing received) reads as up to
    date; the streaming's own health is for the monitoring (pg_stat_replication on the
    primary)."""
    if not configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            """
            SELECT CASE
                WHEN NOT pg_is_in_recovery() THEN NULL
                WHEN pg_last_wal_receive_lsn() IS NOT NULL
                     AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
            END
            """
        )
        (lag,) = cursor.fetchone()
    return None if lag is None else float(lag)


def lag_notice() -> str:
    """The page's warning when what it read from the replica is more than
    REPLICA_LAG_NOTICE_SECONDS behind the primary; empty otherwise."""
    if not from_replica():
        return ""
    lag = lag_seconds()
    if lag is None or lag <= settings.REPLICA_LAG_NOTICE_SECONDS:
        return ""
    minutes = int(lag // 60)
    unit = "minute" if minutes < 2 else "minutes"
    return f"Données du tableau de bord en retard de {minutes} {unit} sur la base principale."
