# The labeller scored against both reference sets, beside a naive keyword baseline
# (trials/labelling/evaluate.py): the development set in data/ctgov/dev/ and records/, and the
# validation set in data/ctgov/validation/.
.PHONY: eval
eval: venv
	$(PYTHON) -m trials.labelling.evaluate

# Records labelled per second in one process, and against the naive baseline (benchmarks/label_speed.py).
.PHONY: bench-labels
bench-labels: venv
	$(PYTHON) -m benchmarks.label_speed
