# The two commands: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests run on both cores; override with `make test PYTEST_ARGS=...`.
PYTEST_ARGS ?= -n 2

.PHONY: demo test test-exhaustive venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/autograder demo

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The long proofs `make test` skips (the validity proof on 200 variants of every variant assignment).
test-exhaustive: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS) --exhaustive -m exhaustive

clean:
	rm -rf dist demo-out .pytest_cache
