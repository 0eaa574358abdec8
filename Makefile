# PeerPath chores. `make demo` and `make test` are all a new machine needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test test-sqlite test-postgres test-browser lint bench load drill messages vendor screenshots clean system-deps

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Browser tests need Debian's Chromium; message checks need gettext; PDFs (WeasyPrint) need Pango.
# Installed when we are root.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v xgettext >/dev/null \
	  || ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	  else echo "note: install chromium, gettext and Pango (libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core) for browser, message and PDF tests"; fi; \
	fi

demo: $(STAMP)
	DEBUG=true $(BIN)/peerpath demo

test: $(STAMP) system-deps
	$(BIN)/python scripts/run_tests.py

# One database, or the browser tests alone (on both databases). Extra pytest arguments: ARGS=...
test-sqlite: $(STAMP) system-deps
	DATABASE_URL= $(BIN)/python -m pytest $(ARGS)

test-postgres: $(STAMP) system-deps
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest $(ARGS)

test-browser: $(STAMP) system-deps
	TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(BIN)/python scripts/run_tests.py tests/browser $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy

# Key pages against their SQL floor on a generated state (SCALE=small|tenth), then the import
# and audit benchmarks. Needs the PostgreSQL server (BENCH_DATABASE_URL); never run by `make test`.
SCALE ?= tenth
bench: $(STAMP)
	SCALE=$(SCALE) $(BIN)/python scripts/bench_pages.py
	$(BIN)/python scripts/bench.py

# 100 peers and 10 supervisors against gunicorn + PgBouncer + PostgreSQL with the production
# settings, on a copy of the generated tenth scale (made first if needed). Not run by `make test`.
load: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[load]'
	$(BIN)/python scripts/load.py

# A restore drill: base backup + archived WAL into a second scratch cluster after a hard stop;
# reports the recovery point and verifies the audit trail. Needs root and PostgreSQL's binaries.
drill: $(STAMP)
	$(BIN)/python scripts/drill.py

# Spanish catalogs, one per app (peerpath/<app>/locale). Edit the .po files, then run this again.
APPS_WITH_TEXT := $(patsubst %/templates,%,$(wildcard peerpath/*/templates))
messages: $(STAMP) system-deps
	@for app in $(APPS_WITH_TEXT); do \
	  mkdir -p $$app/locale && (cd $$app && DEBUG=true DJANGO_SETTINGS_MODULE=peerpath.settings \
	    $(CURDIR)/$(BIN)/django-admin makemessages -l es --no-obsolete -i 'static/*' -i 'tests/*' >/dev/null \
	  && DEBUG=true DJANGO_SETTINGS_MODULE=peerpath.settings $(CURDIR)/$(BIN)/django-admin compilemessages >/dev/null) \
	  && echo "$$app/locale/es/LC_MESSAGES/django.po"; \
	done

vendor:
	bash scripts/vendor-assets.sh

screenshots: $(STAMP) system-deps
	DEBUG=true $(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
