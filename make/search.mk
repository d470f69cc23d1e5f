# The search page's speed on a registry-sized corpus (benchmarks/search.py).
# `make bench-search N=10000` for a quicker run; KEEP=1 keeps its scratch database for the next.
.PHONY: bench-search
bench-search: N ?= 100000
bench-search: venv
	$(WITH_SERVICES) $(PYTHON) -m benchmarks.search --studies $(N) $(if $(KEEP),--keep)
