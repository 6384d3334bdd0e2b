"""The demo's clock: the walked cases happen in the past, through the real services.

Every row the application writes takes its time from Django's clock
(`django.utils.timezone.now`, and so `localdate`, `localtime` and the models' `default=
timezone.now`): a history entry's `at`, a notification's `created_at`, a task's `created`
and `finished`, a case's `submitted_at`. The history is append-only and hash-chained
(`cases/chain.py`): an entry is dated and sealed when it is inserted, never afterwards. So
the walker (`demo.walk`) does not back-date rows once written: it sets this clock to the
moment each step happens (`DemoClock.set`), runs the step through the services, and every
row it writes, its history entries included, is dated then and sealed in order.

While it runs, the clock reads the moment last set plus the real time elapsed since, so
the entries of one operation keep their order and never share a microsecond with the
next step's. It is only ever used by `seed_demo`, in one thread, and always given back
(`with DemoClock() as clock:`).
"""

from __future__ import annotations

import datetime
import time

from django.utils import timezone

_REAL = datetime.datetime


class _AnyDatetime(type):
    """Every datetime is still one for `django.utils.timezone` (`template_localtime`
    asks `isinstance(value, datetime)`) while its `datetime` is the simulated one."""

    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, _REAL)

    def __subclasscheck__(cls, subclass) -> bool:
        return issubclass(subclass, _REAL)


class DemoClock:
    """`with DemoClock() as clock: clock.set(moment)` — Django's clock reads `moment`
    (then moves on in real time) until the next `set` or the end of the block."""

    def __init__(self) -> None:
        self.base: datetime.datetime | None = None
        self.started = 0.0
        self.last: datetime.datetime | None = None
        self._saved = _REAL

    def __enter__(self) -> DemoClock:
        clock = self

        class Simulated(_REAL, metaclass=_AnyDatetime):
            @classmethod
            def now(cls, tz=None):
                moment = clock.now()
                if moment is None:
                    return clock._saved.now(tz)
                return moment.astimezone(tz) if tz else moment.astimezone().replace(tzinfo=None)

        self._saved = timezone.datetime
        timezone.datetime = Simulated
        return self

    def __exit__(self, *exc) -> None:
        timezone.datetime = self._saved

    def now(self) -> datetime.datetime | None:
        if self.base is None:
            return None
        return self.base + datetime.timedelta(seconds=time.monotonic() - self.started)

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        """Django's clock reads `moment` from now on (never earlier than what it last read:
        the history stays in order). Returns the moment set."""
        assert moment.tzinfo is not None, "an aware moment"
        current = self.now()
        if current is not None and moment <= current:
            moment = current + datetime.timedelta(seconds=1)
        if moment > self._saved.now(datetime.UTC):  # the clock it replaced: the real one
            raise ValueError(f"Démonstration : le moment {moment.isoformat()} est dans le futur.")
        self.base, self.started = moment, time.monotonic()
        if abs((timezone.now() - moment).total_seconds()) > 60:  # Django reads it: checked
            raise RuntimeError("django.utils.timezone ne lit plus l'horloge de la démonstration.")
        return moment

    def real_now(self) -> datetime.datetime:
        """The moment of the clock it replaced (the real one, or a test's)."""
        return self._saved.now(datetime.UTC)

    def real(self) -> None:
        """Back to the clock it replaced (the real one, unless a test runs the demo
        under a clock of its own)."""
        self.base = None
