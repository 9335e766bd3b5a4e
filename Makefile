# The two commands most people need: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format install install-dev clean audit chaos bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
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

clean:
	rm -rf $(VENV) var/db.sqlite3 var/celerybeat-schedule* var/test-media
