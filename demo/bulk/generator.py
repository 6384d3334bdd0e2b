"""The generator: when the cases were created, their references, the batches."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.utils import timezone

from cases.enums import ExperimentRole
from cases.models import (
    ActionType,
    Debtor,
    Direction,
    Lawyer,
    PosteComptable,
    ReferenceCounter,
)
from cases.validators import add_years
from deadlines.calendar import template_due
from demo.courts import pleads_before

from .case import PARIS, STOPPED_SHARE, CaseSim, Opening
from .people import People, stored_sample
from .reference import ACTION_WEIGHTS
from .rows import BATCH, Batch

YEARS = 5  # the generated cases are created over the last five years
# A case referred against the debtor of a pending assignation to open collective
# proceedings: between two months and a year and a half before the opening.
STOP_LEAD = (datetime.timedelta(days=60), datetime.timedelta(days=540))


class Generator:
    def __init__(self, people: People, *, seed: int, now: datetime.datetime | None = None):
        self.people = people
        self.seed = seed
        self.rng = random.Random(seed)
        # Up to the start of today: the same seed gives the same cases all day long.
        self.now = now or datetime.datetime.combine(
            timezone.localdate(), datetime.time(0), tzinfo=PARIS
        )
        self.today = self.now.astimezone(PARIS).date()
        self.directions = {d.pk: d for d in Direction.objects.all()}
        self.postes = list(PosteComptable.objects.order_by("pk"))
        sending = {
            pk for pk, d in self.directions.items() if d.experiment_role == ExperimentRole.SENDING
        }
        # Mostly the sending directions (and more cases for the bigger ones).
        self.poste_weights = [(8 if p.direction_id in sending else 2) for p in self.postes]
        self.actions = list(ActionType.objects.order_by("position", "pk"))
        self.action_weights = [ACTION_WEIGHTS.get(a.code, 5) for a in self.actions]
        self.actions_by_code = {a.code: a for a in self.actions}
        self.sample = stored_sample()
        self._due_cache: dict = {}
        self._lawyers_cache: dict = {}
        # The collective proceedings opened on the batch's cases so far (`CaseSim`).
        self.openings: list[Opening] = []
        # The identities of the debtors referred so far (`Debtor.identity_key`, unique): a
        # new debtor takes none of them (`CaseSim.unique_debtor`).
        self.identities: set[str] = set(
            Debtor.objects.exclude(identity_key=None).values_list("identity_key", flat=True)
        )

    def pick_poste(self, rng: random.Random) -> PosteComptable:
        return rng.choices(self.postes, self.poste_weights)[0]

    def lawyer_for(self, courts: list[str], rng: random.Random) -> Lawyer:
        """A lawyer of the right bar: one whose directory entry lists every court of
        `courts` (the court of first instance and its cour d'appel, demo.courts)."""
        key = tuple(courts)
        if key not in self._lawyers_cache:
            self._lawyers_cache[key] = [
                lawyer
                for lawyer in self.people.lawyers
                if all(pleads_before(lawyer, court) for court in courts)
            ]
        found = self._lawyers_cache[key]
        if not found:
            raise ValueError(f"Aucun avocat de l'annuaire ne plaide devant {', '.join(courts)}.")
        return rng.choice(found)

    def opening_for(
        self, direction: int, created_at: datetime.datetime, rng: random.Random
    ) -> Opening | None:
        """Now and then (`STOPPED_SHARE`), a collective proceeding of the batch to be
        opened some months after `created_at` on a case of the same direction, whose
        debtor the case created then is referred against (its other pending action, which
        the opening will stop); or None."""
        early, late = STOP_LEAD
        # The cases come in the order of their creation: an opening too close now stays so.
        self.openings = [o for o in self.openings if not o.taken and o.at - created_at >= early]
        found = [o for o in self.openings if o.direction == direction and o.at - created_at <= late]
        if not found or rng.random() >= STOPPED_SHARE:
            return None
        opening = rng.choice(found)
        opening.taken = True
        return opening

    def compute(self, start, template, departement) -> datetime.date:
        key = (start, template.code, departement)
        if key not in self._due_cache:
            self._due_cache[key] = template_due(template, departement, start)
        return self._due_cache[key]

    def creation_times(self, count: int) -> list[datetime.datetime]:
        """When the cases were created: over five years up to last week, growing volumes,
        fewer in August (and at Christmas), on weekdays during office hours."""
        rng = self.rng
        first = add_years(self.today, -YEARS)
        days = [first + datetime.timedelta(days=i) for i in range((self.today - first).days - 2)]
        weights = []
        for index, day in enumerate(days):
            weight = 1 + 2.5 * index / len(days)
            if day.month == 8:
                weight *= 0.4
            elif day.month == 12 and day.day > 20:
                weight *= 0.5
            if day.weekday() >= 5:
                weight *= 0.03
            weights.append(weight)
        chosen = sorted(rng.choices(days, weights, k=count))
        times = []
        for day in chosen:
            moment = datetime.datetime.combine(
                day,
                datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)),
                tzinfo=PARIS,
            )
            times.append(min(moment, self.now - datetime.timedelta(hours=1)))
        return sorted(times)

    def references(self, times: list[datetime.datetime]) -> list[str]:
        last = dict(ReferenceCounter.objects.values_list("year", "last"))
        refs = []
        for moment in times:
            year = moment.year
            last[year] = last.get(year, 0) + 1
            refs.append(f"PNSR-{year}-{last[year]:06d}")
        self.counters = last
        return refs

    def batches(self, count: int, size: int = BATCH) -> Iterator[Batch]:
        times = self.creation_times(count)
        refs = self.references(times)
        for start in range(0, count, size):
            batch = Batch()
            self.openings = []  # a stopped case and its proceeding are written together
            for index in range(start, min(start + size, count)):
                # One random stream per case: a case never shifts the ones after it; and
                # one for its thread, which shifts nothing of the case.
                rng = random.Random(self.seed * 1_000_003 + index)
                talk = random.Random(f"fil:{self.seed}:{index}")
                sim = CaseSim(self, batch, times[index], refs[index], rng, talk)
                sim.run()
                sim.finish()
            yield batch

    def save_counters(self) -> None:
        for year, last in self.counters.items():
            updated = ReferenceCounter.objects.filter(year=year, last__lt=last).update(last=last)
            if not updated:
                ReferenceCounter.objects.get_or_create(year=year, defaults={"last": last})
