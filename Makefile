# Two commands on a fresh machine: `make run` and `make test`.
# Everything they need is set up here; a second run only redoes what changed.

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve-prod test setup setup-dev messages editor moderator lint check bench bench-tagging faults clean

run: setup
	$(PY) manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at /admin/; make an account with 'make editor')"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production configuration on this machine: debug off, a fresh secret
# key each start, compressed static files, gunicorn. Plain HTTP on loopback,
# so no redirect to HTTPS; browsers accept secure cookies from localhost.
serve-prod: setup
	@DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_SECURE_SSL_REDIRECT=false \
	DJANGO_CONN_MAX_AGE="$${DJANGO_CONN_MAX_AGE:-60}" \
	GUNICORN_BIND="$(HOST):$(PORT)" \
	sh -c '$(PY) manage.py collectstatic --no-input --verbosity 0 && \
		echo "Serving the production configuration on http://$(HOST):$(PORT)/" && \
		exec $(VENV)/bin/gunicorn --config gunicorn.conf.py newsroom.wsgi'

test: setup-dev
	@if [ -x /usr/bin/chromium ]; then \
		echo "Browser tests run with /usr/bin/chromium (screenshots in test-artifacts/screenshots/)."; \
	else \
		echo "Browser tests are skipped: /usr/bin/chromium is missing (apt-get install chromium)."; \
	fi
	$(PY) -m pytest -rs

setup: $(VENV)/.requirements messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0

setup-dev: setup $(VENV)/.requirements-dev

$(VENV)/bin/python:
	@interpreter=$$(sh scripts/find-python) && \
		echo "Using $$interpreter" && \
		"$$interpreter" -m venv $(VENV)

$(VENV)/.requirements: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements-dev.txt requirements.txt $(VENV)/.requirements
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Compiled catalogues are built, never committed; Babel compiles them, so
# no gettext is needed on the machine.
messages: $(VENV)/.requirements
	@for po in $$(find locale -name django.po 2>/dev/null); do \
		$(VENV)/bin/pybabel compile --use-fuzzy --statistics -i $$po -o $${po%.po}.mo >/dev/null || exit 1; \
	done

# Rebuild the message catalogues from the code (needs GNU gettext).
makemessages: $(VENV)/.requirements
	$(PY) manage.py makemessages --locale de --locale en --no-obsolete --ignore '.venv/*'

editor: setup
	@read -p "Username for the new editor: " name && $(PY) manage.py create_editor "$$name"

moderator: setup
	@read -p "Username for the new moderator: " name && $(PY) manage.py create_editor --role moderator "$$name"

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: setup
	$(PY) manage.py makemigrations --check --dry-run

# How long one scan of a 10,000-word story takes (must stay under 20 ms).
bench-tagging: setup
	$(PY) bench/tagging.py

# The benchmark and the load-and-faults run; see the README for the options.
bench: setup-dev
	$(PY) bench/bench.py $(BENCH_ARGS)

faults: setup-dev
	$(PY) bench/faults.py $(FAULTS_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
