# Common tasks. `make run` starts the whole app; `make test` runs the test suite.
PYTHON ?= .venv/bin/python

.PHONY: venv
venv: .venv/.installed

.venv/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv .venv
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

include make/*.mk
