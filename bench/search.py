"""`make bench-search`: the full-text search (`/recherche/`, cases/search.py) at national
scale, on PostgreSQL, against the bare SQL of its ranked query.

The databases are those of `make bench-dashboards` (`pnsr_bench_<N>`, loaded once by
`seed_demo --cases N`, kept between runs; `BENCH_CASES`, default 1,000 and 100,000), searched
over the entries the app writes: the referral and its debtor, the claims, the targets, the
opinions, the hearings, the messages, the pieces with the text of their PDF (the bulk
generator writes them with its rows). A base loaded before it did has its missing entries
written once, first (`cases.search.index_missing`, idempotent; the pieces' PDF read from
`MEDIA_ROOT`, that of the load).

In one process bound to each database, for each query below, signed in as the head
(`chef.pole`) and as a direction agent (`agent.ddfip02`):

- the page: the whole request through Django's test client (session, user, the access
  journal's line, the ranked query, the passages, the cases of the results, the template);
- the bare SQL: the page's ranked query (the one over the entries ordered by `ts_rank`),
  captured from the page itself and executed again as it is through a cursor (rows fetched).

The table also gives the rows of the ranked query and the page's number of queries, and the
footer bench-pages' bare view (login, one indexed query, a trivial template): the least any
page costs, which a selective query's page cannot go below whatever its SQL.

Page and bare SQL are interleaved (which goes first alternating); the median of
`BENCH_REPEAT` runs (15) of each. Goals (issue 22 « Speed »): the page within 3× its bare
SQL at the largest size (at the smallest the bare SQL takes a few milliseconds, less than
any page's sign-in and template), and its number of queries the same at every size. The
table prints both sizes; the command exits 1 when a figure misses its goal.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.dashboards import SERVER, alternated, by_size, database

os.environ.setdefault("ALLOW_PLAIN_HTTP", "1")
os.environ.setdefault("PNSR_LOCAL_MFA", "0")  # the head signed in, no TOTP prompt
SIZES = [int(n) for n in os.environ.get("BENCH_CASES", "1000,100000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", 15))
TARGET = 3.0
ACCOUNTS = [("chef.pole", "chef"), ("agent.ddfip02", "agent")]

# label, query (or a callable of the database: its first generated debtor's SIREN, the
# longest word of its first generated piece's PDF text — « démonstration » of the sample).
QUERIES = [
    ("nom d'un redevable", "Lemaire"),
    ("mot d'un message", "paiements"),
    ("texte des pièces", lambda: _piece_word()),
    ("SIREN", lambda: _first_siren()),
    ("deux mots", "Travaux Publics"),
]


def _first_siren() -> str:
    from cases.models import Case

    return (
        Case.objects.filter(reference__startswith="PNSR-", debtor__siren__gt="")
        .order_by("pk")
        .values_list("debtor__siren", flat=True)
        .first()
    )


def _piece_word() -> str:
    from cases.models import SearchEntry

    text = (
        SearchEntry.objects.filter(source="piece", text_state=SearchEntry.TextState.DONE)
        .order_by("pk")
        .values_list("body", flat=True)
        .first()
    )
    assert text, "Aucune pièce dont le texte a été extrait."
    return max(text.split(), key=len)


def fill(stream=sys.stderr) -> int:
    """The entries missing from a base loaded before the generator wrote them."""
    from django.db import connection

    from cases import search

    start = time.perf_counter()
    written = search.index_missing()
    if written:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_searchentry")
        print(
            f"Index de recherche : {written:,} textes manquants écrits en "
            f"{time.perf_counter() - start:.0f} s.".replace(",", " "),
            file=stream,
        )
    return written


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

    from cases.models import Case, SearchEntry, User

    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench.urls"  # the site, and bench-pages' bare view
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise
    filled = fill()
    result = {
        "cases": Case.objects.count(),
        "entries": SearchEntry.objects.count(),
        "filled": filled,
        "queries": {},
    }
    for username, who in ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        if "bare_view" not in result:
            client.get("/__bench__/bare/")  # warm-up
            times = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                client.get("/__bench__/bare/")
                times.append(time.perf_counter() - start)
            result["bare_view"] = statistics.median(times)
        for label, query in QUERIES:
            text = query() if callable(query) else query
            url = f"/recherche/?{urlencode({'q': text})}"

            def page(client=client, url=url) -> float:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, (url, response.status_code)
                return elapsed

            page()  # warm-up
            with CaptureQueriesContext(connection) as captured:
                page()
            # Read now: the next request's request_started resets the log it slices.
            issued = [q["sql"] for q in captured.captured_queries]
            ranked = [sql for sql in issued if "ts_rank(" in sql]
            assert len(ranked) == 1, (url, ranked)
            sql = ranked[0]

            def bare(sql=sql) -> float:
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    cursor.fetchall()
                return time.perf_counter() - start

            with connection.cursor() as cursor:
                cursor.execute(sql)
                hits = len(cursor.fetchall())
            page_time, bare_time = alternated(page, bare, REPEAT)
            result["queries"][f"{label} ({who})"] = {
                "query": text,
                "hits": hits,
                "queries": len(issued),
                "page": page_time,
                "bare": bare_time,
            }
    return result


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(int(sys.argv[2]))))
        return 0
    results = by_size("bench.search", SIZES)
    sizes = sorted(SIZES)

    def spaced(n: int) -> str:
        return f"{n:,}".replace(",", " ")

    print(
        f"\nRecherche /recherche/ sur PostgreSQL contre le SQL brut de sa requête classée "
        f"(ts_rank) ; médiane de {REPEAT} mesures alternées\n"
    )
    for size in sizes:
        print(
            f"{spaced(results[size]['cases'])} dossiers : "
            f"{spaced(results[size]['entries'])} textes indexés"
        )
    print()
    header = "".join(
        f"{'ms ' + spaced(n):>13}{'brut':>8}{'ratio':>7}{'rés.':>6}{'req.':>6}" for n in sizes
    )
    print(f"{'recherche':<30}{header}  objectif")
    missed = []
    for label in results[sizes[0]]["queries"]:
        row = [results[n]["queries"][label] for n in sizes]
        ratios = [figures["page"] / figures["bare"] for figures in row]
        constant = len({figures["queries"] for figures in row}) == 1
        ok = ratios[-1] <= TARGET and constant
        if not ok:
            missed.append(label)
        cells = "".join(
            f"{figures['page'] * 1000:>13.1f}{figures['bare'] * 1000:>8.1f}{ratio:>7.2f}"
            f"{figures['hits']:>6}{figures['queries']:>6}"
            for figures, ratio in zip(row, ratios, strict=True)
        )
        print(
            f"{label:<30}{cells}  ≤ {TARGET:.0f}× à {spaced(sizes[-1])}, req. identiques "
            f"{'oui' if ok else 'NON'}"
        )
    print("\nrés. : lignes de la requête classée (au plus 50) ; req. : requêtes de la page.")
    floor = " ; ".join(
        f"{results[n]['bare_view'] * 1000:.1f} ms à {spaced(n)} dossiers" for n in sizes
    )
    print(f"Vue nue de bench-pages (connexion, une requête indexée, un gabarit trivial) : {floor}.")
    print(
        f"{len(missed)} recherche(s) hors objectif sur {len(results[sizes[0]]['queries'])}."
        if missed
        else "Toutes les recherches dans leur objectif."
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
