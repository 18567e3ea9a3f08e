# make run: set up .venv and open the app.  make test: set up .venv and run every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_DEV := $(VENV)/.installed-dev
STAMP_RUN := $(VENV)/.installed-run
STAMP_BENCH := $(VENV)/.installed-bench

.PHONY: run test lint typecheck architecture pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

$(STAMP_BENCH): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@ $(STAMP_RUN) $(STAMP_DEV)

run: $(STAMP_RUN)
	$(BIN)/studyapp $(ARGS)

test: lint typecheck architecture pytest

lint: $(STAMP_DEV)
	$(BIN)/ruff check studyapp tests
	$(BIN)/ruff format --check studyapp tests

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

architecture: $(STAMP_DEV)
	$(BIN)/lint-imports

pytest: $(STAMP_DEV)
	$(BIN)/python -m pytest -q

bench: $(STAMP_BENCH)
	$(BIN)/python -m tests.benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
