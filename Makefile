# pnsr — every target works from a fresh clone.
# Python 3.11 to 3.13; another interpreter and environment: `make test PYTHON=python3.13
# VENV=.venv-3.13` (what .ci/run does for the SQLite run).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed


.PHONY: install lock demo demo-proconnect test test-pooler lint format clean bench bench-documents bench-dashboards bench-uploads bench-pages bench-search bench-import bench-multi

install: $(STAMP)

# Every dependency comes from requirements/dev.lock, pinned with its hashes (pip refuses
# a file whose hash differs); the project itself is then installed without dependencies.
$(STAMP): pyproject.toml requirements/dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The one command that upgrades the dependencies: re-resolves pyproject.toml's ranges to
# their newest releases and rewrites the lock file with the hashes; review and commit it.
lock:
	test -x $(BIN)/pip-compile || $(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra dev \
		-o requirements/dev.lock pyproject.toml

# Demo on the local SQLite base (var/), DEBUG on (for every command: outside DEBUG the
# settings demand HTTPS) so that the development server serves the static files.
# seed_demo creates nothing when the demo accounts already exist.
# Two background workers run beside the server, one per queue (emails, which go to
# var/mail/, and documents), each restarted 5 s after it stops, until the server stops.
demo: export DEBUG := 1
# seed_demo writes the demo's self-signed certificate of the pôle there: the workers sign
# the documents that are not drafts with it (documents/signing.py).
demo: export PNSR_SIGNING_P12 := $(or $(PNSR_VAR_DIR),var)/signing/pole-demo.p12
demo: export PNSR_SIGNING_PASSWORD := demo
# The head's and the administrators' second factor (TOTP) off, so that every demo account
# signs in with its password alone; `PNSR_LOCAL_MFA=1 make demo` shows the enrolment.
demo: export PNSR_LOCAL_MFA ?= 0
demo: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	pids=""; for queue in default documents; do \
		( trap 'kill $$worker 2>/dev/null; exit 0' INT TERM; \
		  while true; do \
			$(BIN)/python manage.py run_worker --no-reload --interval 5 --queue-name $$queue \
				>> var/worker-$$queue.log 2>&1 & \
			worker=$$!; wait $$worker; \
			echo "run_worker $$queue arrêté (voir var/worker-$$queue.log) : redémarrage dans 5 s" >&2; \
			sleep 5 & wait $$!; \
		  done ) & pids="$$pids $$!"; \
	done; \
	trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The demo signing in with ProConnect: the tests' OpenID Connect provider (tests/oidc_provider,
# standing for ProConnect) on 127.0.0.1:8001, its login page offering the demo accounts'
# emails (any email signs in there, with or without a second factor), and the demo with the
# PROCONNECT_* settings pointing at it. The local accounts work as in `make demo`.
PROVIDER := http://127.0.0.1:8001/o
demo-proconnect: export DEBUG := 1
demo-proconnect: export PROCONNECT_ISSUER := $(PROVIDER)
demo-proconnect: export PROCONNECT_CLIENT_ID := pnsr
demo-proconnect: export PROCONNECT_CLIENT_SECRET := pnsr-demo-secret
demo-proconnect: export OIDC_PROVIDER_CLIENT_SECRET := pnsr-demo-secret
demo-proconnect: export PROCONNECT_AUTHORIZATION_ENDPOINT := $(PROVIDER)/authorize/
demo-proconnect: export PROCONNECT_TOKEN_ENDPOINT := $(PROVIDER)/token/
demo-proconnect: export PROCONNECT_USERINFO_ENDPOINT := $(PROVIDER)/userinfo/
demo-proconnect: export PROCONNECT_JWKS_ENDPOINT := $(PROVIDER)/.well-known/jwks.json
demo-proconnect: export PROCONNECT_LOGOUT_ENDPOINT := $(PROVIDER)/logout/
demo-proconnect: export OIDC_PROVIDER_DB := var/oidc-provider.sqlite3
demo-proconnect: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	OIDC_PROVIDER_EMAILS=$$($(BIN)/python manage.py shell -v 0 -c \
		"from cases.models import User; print(','.join(User.objects.exclude(email='').filter(is_active=True).order_by('username').values_list('email', flat=True)))") \
		$(BIN)/python -m tests.oidc_provider 8001 http://127.0.0.1:8000 http://localhost:8000 & \
	provider=$$!; trap 'kill $$provider 2>/dev/null' EXIT INT TERM; \
	$(MAKE) --no-print-directory demo

# The suite in parallel, one pytest-xdist worker per core (each with its own test database).
# --dist load sends each worker its tests in collection order, so pytest-django's "the
# transactional tests last" holds on every worker (they flush the reference data that the
# other tests read; worksteal could hand a worker earlier tests after them). CI=true
# (.ci/run) runs the property tests at full strength (tests/conftest.py). pytest's -q comes
# from pyproject.toml: a second one would hide the closing "N passed" line.
test: install
	$(BIN)/pytest -n auto --dist load

# A part of the suite through PgBouncer in transaction pooling mode, on DATABASE_URL's
# PostgreSQL (tests/pooler.py starts the pooler; README, « Derrière un pooler de
# connexions »): the referral, the process' journeys and races, the documents, the lists
# and their exports (server-side cursors off). One process (no -n): within two minutes.
POOLER_TESTS ?= tests/cases/test_views_referral.py tests/workflows/test_journeys.py \
	tests/workflows/test_concurrency.py tests/documents/test_services.py \
	tests/cases/test_case_list_views.py
test-pooler: install
	$(BIN)/python -m tests.pooler -p no:cacheprovider $(POOLER_TESTS)

# Benchmarks: figures against a baseline measured in the same run (not part of make test).
bench: bench-documents bench-dashboards bench-uploads

bench-documents: install
	$(BIN)/python -m bench.documents

# On the local PostgreSQL (BENCH_DATABASE_URL): loads 1,000 and 100,000 cases once.
bench-dashboards: install
	$(BIN)/python -m bench.dashboards

# On the local PostgreSQL: every list and page against a bare view, at 1,000 and 100,000
# cases (the databases of bench-dashboards); exits 1 when a page misses its goal.
bench-pages: install
	$(BIN)/python -m bench.pages

# On the local PostgreSQL: the search page, as the head and a direction agent, against the
# bare SQL of its ranked query, at 1,000 and 100,000 cases (the databases of
# bench-dashboards, their missing search entries written once); exits 1 when a search
# misses its goal.
bench-search: install
	$(BIN)/python -m bench.search

# The peak memory of the upload check on a zip bomb (BENCH_BOMB_MB, default 256).
bench-uploads: install
	$(BIN)/python -m bench.uploads

# A 20,000-line claims extract checked and imported (BENCH_IMPORT_LINES), on a fresh SQLite
# base unless DATABASE_URL names one; exits 1 above 30 s.
bench-import: install
	$(BIN)/python -m bench.claims_import

# Two gunicorn processes and two workers on one PostgreSQL database (BENCH_DATABASE_URL,
# default the local one; the test database is created beside it): the figures of
# tests/test_multiprocess.py — requests/s through both processes, tasks/s by both
# workers, duplicates.
bench-multi: install
	DATABASE_URL=$(or $(BENCH_DATABASE_URL),postgres://postgres@127.0.0.1:5432/pnsr) \
		$(BIN)/pytest -p no:cacheprovider -p no:logging tests/test_multiprocess.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layers' import contracts (pyproject.toml)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
