# Sammen om Byen: the two commands that matter are `make run` and `make test`.
# Everything else is a step they share. Each step is re-run only when its inputs change.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded database for development; override with DATABASE_URL=postgres://...
export DATABASE_URL ?= sqlite:///var/db.sqlite3
# `make test` uses SQLite unless told otherwise: make test TEST_DATABASE_URL=postgres://…
TEST_DATABASE_URL ?=
# Test processes (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one process, e.g. to debug.
PYTEST_WORKERS ?= auto

.PHONY: run test setup venv assets messages messages-update demo lint format lock bench clean help

help:
	@echo "make run    set everything up and serve the site with demo content on http://$(HOST):$(PORT)"
	@echo "make test   set everything up and run the whole test suite"
	@echo "make lint   ruff, missing migrations and the deploy check"
	@echo "make lock   re-resolve requirements.lock from pyproject.toml"

setup: venv assets messages

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	  echo "Using $$python"; \
	  [ -x $(PY) ] || $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install the design system: install Node.js 20 or newer (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed $(VENV)/.installed
	$(PY) scripts/build_assets.py

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt is needed to build the translations: install GNU gettext (Debian: apt-get install gettext)"; exit 1; }
	@DEBUG=1 $(MANAGE) compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules

var:
	@mkdir -p var

# The demo runs in development mode (console e-mail, development secret key, no two-factor).
demo run: export DEBUG := 1
# Two-factor is off only here, so the demo accounts log in with a password; check --deploy warns.
demo run: export STAFF_TWO_FACTOR_REQUIRED := 0

demo: setup var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo --if-empty

run: demo
	@scripts/serve "$(PY)" "$(HOST)" "$(PORT)"

test: setup
	@DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv var
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	scripts/check-deploy
	scripts/check-messages

# Extract new interface texts into the Danish catalogue (then translate them).
messages-update: venv
	DEBUG=1 $(MANAGE) makemessages -l da --no-location --ignore=.venv --ignore=node_modules --ignore=bench

format: venv
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

lock: venv
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.12 --generate-hashes -o requirements.lock

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules sammen/static/vendor var
