"""`make bench-dashboards`: the dashboard pages at national scale, on PostgreSQL.

Two databases are loaded once by `seed_demo --cases N` (kept between runs, reloaded only
when their number of cases differs): 1,000 and 100,000 cases (`BENCH_CASES`). For each
dashboard page, as the national pilot, the same run measures:

- the page: the whole request through Django's test client (session, user, header
  counts, the aggregates, the charts and tables rendered);
- the raw SQL: the aggregate queries the page's tables issue, captured from the page
  itself and executed again as they are through a cursor (rows fetched);

and reports the median of several runs of each (alternating which goes first) and their
ratio (target: within 2×), and each page's number of queries at both sizes (target:
the same).

`BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432) names the server; the
databases are `pnsr_bench_<N>`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

# Measured locally, over plain HTTP and without DEBUG (pnsr.settings asks to be told).
os.environ.setdefault("ALLOW_PLAIN_HTTP", "1")
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SIZES = [int(n) for n in os.environ.get("BENCH_CASES", "1000,100000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", 7))
TARGET = 2.0
PERIOD = {"debut": "2022-01-01", "pas": "trimestre"}  # the last five years by quarter


def database(size: int) -> str:
    return f"pnsr_bench_{size}"


def ensure_database(size: int) -> None:
    """Create and load the database unless it already holds `size` generated cases."""
    import psycopg

    name = database(size)
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists:
        with psycopg.connect(f"{SERVER}/{name}") as conn:
            try:
                marker = conn.execute(
                    "SELECT count(*) FROM cases_case WHERE reference LIKE 'PNSR-%%'"
                ).fetchone()[0]
            except psycopg.errors.UndefinedTable:
                marker = -1
        if marker >= size:
            return
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}"')
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{name}"}
    print(f"Chargement de {size:,} dossiers dans {name}…".replace(",", " "), flush=True)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--cases", str(size)]):
        subprocess.run([sys.executable, "manage.py", *command], env=env, check=True)


def alternated(first, second, repeat: int) -> tuple[float, float]:
    """The medians of `repeat` timings of two callables (each returns its time), which of
    them goes first alternating run by run, so that neither always profits from warm
    caches: `second` first on even runs, `first` first on odd ones."""
    times: tuple[list[float], list[float]] = ([], [])
    for run in range(repeat):
        order = [(times[0], first), (times[1], second)]
        for measured, timed in order if run % 2 else reversed(order):
            measured.append(timed())
    return statistics.median(times[0]), statistics.median(times[1])


def by_size(module: str, sizes: list[int]) -> dict[int, dict]:
    """Each size's figures, measured by `python -m <module> --measure <size>` (which prints
    them as JSON on its last line) in a child process bound to that size's database,
    loaded first if need be."""
    results = {}
    for size in sizes:
        ensure_database(size)
        child = subprocess.run(
            [sys.executable, "-m", module, "--measure", str(size)],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        results[size] = json.loads(child.stdout.strip().splitlines()[-1])
    return results


def measure(size: int) -> dict:
    """Run in a child process bound to the database of `size` cases."""
    os.environ["DATABASE_URL"] = f"{SERVER}/{database(size)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pnsr.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cases.enums import Role
    from cases.models import Case, User
    from dashboards.filters import FilterForm, Filters
    from dashboards.panels import DASHBOARDS

    settings.ALLOWED_HOSTS = ["*"]
    pilot = User.objects.filter(role=Role.MANAGEMENT, direction__isnull=True).first()
    client = Client()
    client.force_login(pilot)
    result = {"cases": Case.objects.count(), "pages": {}}
    for slug, dashboard in DASHBOARDS.items():
        url = reverse("dashboards:show", args=[slug])
        form = FilterForm(PERIOD, user=pilot)
        assert form.is_valid(), form.errors
        f = Filters.from_form(form)
        with CaptureQueriesContext(connection) as aggregates:
            for build in dashboard.tables:
                build(f)
        sql = [q["sql"] for q in aggregates.captured_queries]

        def page(url=url) -> float:
            start = time.perf_counter()
            response = client.get(url, PERIOD)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            return elapsed

        def raw(sql=sql) -> float:
            start = time.perf_counter()
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
                    cursor.fetchall()
            return time.perf_counter() - start

        issued = []

        def count(execute, sql, params, many, context, issued=issued):
            issued.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            page()  # warm-up, and the page's number of queries
        raw()
        raw_time, page_time = alternated(raw, page, REPEAT)
        result["pages"][slug] = {
            "title": dashboard.title,
            "queries": len(issued),
            "aggregates": len(sql),
            "page": page_time,
            "raw": raw_time,
        }
    return result


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(int(sys.argv[2]))))
        return 0
    results = by_size("bench.dashboards", SIZES)
    largest = max(SIZES)
    big = results[largest]
    print(
        f"\nTableaux de bord sur PostgreSQL, {big['cases']:,} dossiers, vue nationale, "
        f"cinq ans par trimestre ; médiane de {REPEAT} mesures\n".replace(",", " ")
    )
    counts = "".join(f"{'req. ' + format(n, ',').replace(',', ' '):>16}" for n in SIZES)
    print(f"{'tableau':<20}{'page (ms)':>11}{'SQL brut (ms)':>15}{'ratio':>8}{counts}")
    worst, constant = 0.0, True
    for slug, figures in big["pages"].items():
        ratio = figures["page"] / figures["raw"]
        worst = max(worst, ratio)
        per_size = [results[n]["pages"][slug]["queries"] for n in SIZES]
        constant &= len(set(per_size)) == 1
        print(
            f"{figures['title']:<20}{figures['page'] * 1000:>11.0f}{figures['raw'] * 1000:>15.0f}"
            f"{ratio:>8.2f}" + "".join(f"{n:>16}" for n in per_size)
        )
    ok = worst <= TARGET and constant
    print(
        f"\nRatio le plus élevé : {worst:.2f} (cible ≤ {TARGET:.0f}) ; nombre de requêtes "
        f"{'identique' if constant else 'DIFFÉRENT'} entre les tailles — "
        f"{'dans la cible' if ok else 'HORS CIBLE'}."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
