# The sync's write path: bulk upserts against one save() per study (benchmarks/ingest.py).
# `make bench-ingest N=10000` for a quicker run; it works in its own scratch database.
.PHONY: bench-ingest
bench-ingest: N ?= 100000
bench-ingest: venv
	$(WITH_SERVICES) $(PYTHON) -m benchmarks.ingest --studies $(N)
