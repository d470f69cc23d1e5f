# The labeller scored against the shared reference labels, beside a naive keyword baseline
# (trials/labelling/evaluate.py). The shared data is $CTGOV_SHARED_DIR, by default ../shared/ctgov.
.PHONY: eval
eval: venv
	$(PYTHON) -m trials.labelling.evaluate

# Records labelled per second in one process, and against the naive baseline (benchmarks/label_speed.py).
.PHONY: bench-labels
bench-labels: venv
	$(PYTHON) -m benchmarks.label_speed
