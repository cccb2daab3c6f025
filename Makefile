# The README's words: `make run` (prepare, load the demo, serve) and `make test` (the suite).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000
WORKERS ?= 3

.PHONY: run test install lint format typecheck check pytest serve demo bench clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	@echo "Erhvervskontakt on http://127.0.0.1:$(PORT)/ (API docs: /api/v1/docs, admin: /admin/)"
	$(VENV)/bin/gunicorn erhvervskontakt.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers $(WORKERS) --threads 4 \
		--access-logfile - --graceful-timeout 10

test: install lint check typecheck pytest

lint: install
	$(VENV)/bin/ruff check src scripts
	$(VENV)/bin/ruff format --check src scripts

format: install
	$(VENV)/bin/ruff check --fix src scripts
	$(VENV)/bin/ruff format src scripts

check: install
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

typecheck: install
	$(VENV)/bin/mypy src/erhvervskontakt

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: install
	$(PY) scripts/bench_api.py

clean:
	rm -rf $(VENV) var
