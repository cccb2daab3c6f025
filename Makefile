# The README's words: `make run` (prepare, load the demo, serve) and `make test` (the suite).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000
WORKERS ?= 3

VENDOR := src/erhvervskontakt/web/static/vendor

.PHONY: run test install assets messages lint format typecheck check pytest browser serve demo bench clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Debian's xmlsec1 for SAML (pysaml2 calls it): installed when missing and this user may.
install: $(VENV)/.installed
	@scripts/ensure-xmlsec1

# Det Fælles Designsystem, htmx and axe-core from npm, copied into static files (not committed).
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/dkfds
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img $(VENDOR)/dkfds/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/
	@touch $@

assets: $(VENDOR)/.installed messages

# Translations: the .po files are committed, the compiled .mo files are made here (Babel, no
# system gettext needed).
LOCALE := src/erhvervskontakt/locale
# A file target: compiled only when its .po changed, so two test runs side by side (CI) never
# rewrite a catalogue the other is reading.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/django.po))
messages: $(MO_FILES)
$(LOCALE)/%/LC_MESSAGES/django.mo: $(LOCALE)/%/LC_MESSAGES/django.po $(VENV)/.installed
	@$(VENV)/bin/pybabel compile -i $< -o $@.tmp -l $* >/dev/null && mv $@.tmp $@

run: install assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	@echo "Erhvervskontakt on http://127.0.0.1:$(PORT)/ (API docs: /api/v1/docs, admin: /admin/)"
	@echo "Background worker beside it; e-mails go to var/mail/ unless EMAIL_HOST is set. Ctrl-C stops both."
	$(PY) manage.py serve --bind 127.0.0.1:$(PORT) --web-workers $(WORKERS)

test: install assets lint check typecheck pytest

# ruff, then the import contracts of docs/architecture.md (pyproject's [tool.importlinter]).
lint: install
	$(VENV)/bin/ruff check src scripts
	$(VENV)/bin/ruff format --check src scripts
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix src scripts
	$(VENV)/bin/ruff format src scripts

check: install
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

typecheck: install
	$(VENV)/bin/mypy src/erhvervskontakt

# Debian's chromium for the browser tests: installed when missing and this user may, else one
# line saying what to run.
browser:
	@scripts/ensure-chromium

pytest: install assets browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: install
	$(PY) scripts/bench_api.py

# The promise dashboard's selectors over loaded volume (DATABASE_URL=…; see the script).
.PHONY: bench-measures
bench-measures: install
	$(PY) scripts/bench_measures.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var node_modules $(VENDOR)
