# Common tasks. `make run` starts the whole app; `make test` runs the test suite.
# Both use the servers named by DATABASE_URL and REDIS_URL when those are set, and start embedded
# ones with their data under var/ when not (scripts/localservices.py).
PYTHON ?= .venv/bin/python
MANAGE := $(PYTHON) manage.py
WITH_SERVICES := $(PYTHON) scripts/localservices.py

.PHONY: venv run serve migrate test clean clean-data

venv: .venv/.installed

.venv/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv .venv
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The web server on http://localhost:8000/, the Celery worker and beat, with data in it.
run: venv
	$(WITH_SERVICES) $(MAKE) --no-print-directory serve

# What `make run` does once DATABASE_URL and REDIS_URL point at running servers.
serve: migrate
	mkdir -p var
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) bootstrap
	@echo "TrialFinder is starting: open http://localhost:8000/ (Ctrl-C stops it)."
	PATH="$(CURDIR)/.venv/bin:$$PATH" $(PYTHON) -m honcho start

migrate: venv
	$(WITH_SERVICES) $(MANAGE) migrate --noinput

# Embedded test servers live apart from the app's (var/test/), so tests never touch its data.
test: venv
	$(WITH_SERVICES) --state-dir var/test $(PYTHON) -m pytest $(PYTEST_ARGS)

# Generated files; the app's data in var/ stays.
clean:
	rm -rf staticfiles .pytest_cache var/test var/celerybeat-schedule*
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +

# The embedded databases too: the next `make run` starts again from the bundled snapshot.
clean-data: clean
	rm -rf var

include $(wildcard make/*.mk)
