"""`make bench-pages`: what each list and page costs at national scale, on PostgreSQL,
against a bare Django view on the same database.

The databases are those of `make bench-dashboards` (`pnsr_bench_<N>`, loaded once by
`seed_demo --cases N`, kept between runs; `BENCH_CASES`, default 1,000 and 100,000). In one
process bound to each database, the same run times every page below through Django's test
client, signed in as the demo account named, and the **bare view**: login required, one
indexed query (25 cases by primary key), a trivial template — what any page costs at the
least. Page and bare view are interleaved; the median of `BENCH_REPEAT` runs (15) of each.

Goals (issue « National scale »): a list or page within 3× the bare view at the largest
size and its time there within 1.5× its time at the smallest; a dashboard within 10× and
2×. The table prints both sizes; the command exits 1 when a figure misses its goal.
"""

from __future__ import annotations

import json
import os
import sys
import time
from functools import partial

from bench.dashboards import SERVER, alternated, by_size, database

os.environ.setdefault("ALLOW_PLAIN_HTTP", "1")
# The head's pages are timed behind their sign-in, not the TOTP prompt that would redirect
# them (the second factor is asked once per session: no cost to the pages measured).
os.environ.setdefault("PNSR_LOCAL_MFA", "0")
SIZES = [int(n) for n in os.environ.get("BENCH_CASES", "1000,100000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", 15))
LIST, DASHBOARD = "liste", "pilotage"
GOALS = {LIST: (3.0, 1.5), DASHBOARD: (10.0, 2.0)}  # ratio to the bare view, growth
FIVE_YEARS = "debut=2022-01-01&pas=trimestre"

# label, kind, demo account (or "token:<account>" for the API), address (a callable of
# the database's first taken-over case reference, for the case page).
PAGES = [
    ("/dossiers/ (chef du pôle)", LIST, "chef.pole", "/dossiers/"),
    ("/dossiers/ (juriste)", LIST, "juriste1", "/dossiers/"),
    ("/dossiers/ (agent de direction)", LIST, "agent.ddfip02", "/dossiers/"),
    ("/dossiers/ page 2000", LIST, "chef.pole", "/dossiers/?page=2000"),
    ("/dossiers/?q=Martin", LIST, "chef.pole", "/dossiers/?q=Martin"),
    ("/taches/ (juriste)", LIST, "juriste1", "/taches/"),
    ("/taches/a-prendre/ (chef)", LIST, "chef.pole", "/taches/a-prendre/"),
    ("/taches/equipe/ (charge)", LIST, "chef.pole", "/taches/equipe/"),
    ("/echeances/ (chef)", LIST, "chef.pole", "/echeances/"),
    ("/echeances/ (pilotage)", LIST, "pilotage", "/echeances/"),
    ("/notifications/ (juriste)", LIST, "juriste1", "/notifications/"),
    ("/api/v1/cases/ (jeton du chef)", LIST, "token:chef.pole", "/api/v1/cases/"),
    ("page d'un dossier", LIST, "chef.pole", lambda ref: f"/dossiers/{ref}/"),
    ("/pilotage/resultats/ 5 ans", DASHBOARD, "pilotage", f"/pilotage/resultats/?{FIVE_YEARS}"),
    ("/pilotage/avis/ 5 ans", DASHBOARD, "pilotage", f"/pilotage/avis/?{FIVE_YEARS}"),
]


def measure(size: int) -> dict:
    """Run in a child process bound to the database of `size` cases."""
    os.environ["DATABASE_URL"] = f"{SERVER}/{database(size)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pnsr.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from api.models import ApiToken
    from cases.enums import CaseStatus
    from cases.models import Case, User

    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench.urls"  # the site, and the bare view
    clients: dict[str, Client] = {}

    def client_for(account: str) -> Client:
        if account not in clients:
            client = Client()
            if account.startswith("token:"):
                user = User.objects.get(username=account.removeprefix("token:"))
                _, secret = ApiToken.issue(user, "bench-pages")
                client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
            else:
                client.force_login(User.objects.get(username=account))
            clients[account] = client
        return clients[account]

    def timed(client: Client, url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    reference = (
        Case.objects.filter(status=CaseStatus.EXECUTION)
        .order_by("pk")
        .values_list("reference", flat=True)
        .first()
    )
    result = {"cases": Case.objects.count(), "pages": {}}
    for label, kind, account, address in PAGES:
        url = address(reference) if callable(address) else address
        client = client_for(account)
        bare_client = client_for("chef.pole")
        timed(client, url), timed(bare_client, "/__bench__/bare/")  # warm-up
        page_time, bare_time = alternated(
            partial(timed, client, url), partial(timed, bare_client, "/__bench__/bare/"), REPEAT
        )
        result["pages"][label] = {"kind": kind, "page": page_time, "bare": bare_time}
    return result


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(int(sys.argv[2]))))
        return 0
    results = by_size("bench.pages", SIZES)
    small, large = min(SIZES), max(SIZES)
    n = {size: f"{results[size]['cases']:,}".replace(",", " ") for size in SIZES}
    print(
        f"\nPages sur PostgreSQL contre une vue Django nue (connexion, une requête indexée, "
        f"un gabarit trivial) ; médiane de {REPEAT} mesures alternées\n"
    )
    print(
        f"{'page':<36}{'ms ' + n[small]:>12}{'ratio':>7}{'ms ' + n[large]:>14}{'ratio':>7}"
        f"{'croissance':>12}  objectif"
    )
    missed = []
    for label, figures in results[large]["pages"].items():
        before = results[small]["pages"][label]
        ratio_small = before["page"] / before["bare"]
        ratio = figures["page"] / figures["bare"]
        growth = figures["page"] / before["page"]
        goal_ratio, goal_growth = GOALS[figures["kind"]]
        ok = ratio <= goal_ratio and (small == large or growth <= goal_growth)
        if not ok:
            missed.append(label)
        print(
            f"{label:<36}{before['page'] * 1000:>12.0f}{ratio_small:>7.1f}"
            f"{figures['page'] * 1000:>14.0f}{ratio:>7.1f}{growth:>12.2f}  "
            f"≤ {goal_ratio:.0f}× et ≤ {goal_growth}× {'oui' if ok else 'NON'}"
        )
    print(
        f"\nVue nue : {results[small]['pages'][label]['bare'] * 1000:.1f} ms à {n[small]} "
        f"dossiers, {results[large]['pages'][label]['bare'] * 1000:.1f} ms à {n[large]}."
    )
    print(
        f"{len(missed)} page(s) hors objectif sur {len(PAGES)}."
        if missed
        else "Toutes les pages dans leur objectif."
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
