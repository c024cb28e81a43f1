# Two commands on a fresh machine: `make demo` and `make test`. Every target sets up what is
# missing first (Debian packages, the virtualenv, the package) and then runs.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON ?= python3

.PHONY: setup demo test test-fast lint serve bench lock clean

setup: system $(STAMP)

.PHONY: system

system:
	@scripts/setup-system.sh

# Python packages come from the lock alone, every file hash-checked (scripts/install-locked.sh):
# a fresh clone builds the same program every time. `make lock` refreshes the locks.
$(STAMP): pyproject.toml requirements/dev.lock scripts/install-locked.sh
	@PYTHON=$(PYTHON) scripts/install-locked.sh $(VENV) requirements/dev.lock
	@touch $@

demo: setup
	@scripts/demo.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest -m "not slow" -x -q

serve: setup
	$(BIN)/sohoa serve

bench: setup
	@SOHOA_EXTRA_PACKAGES="ghostscript" scripts/setup-system.sh
	@PYTHON=$(PYTHON) scripts/install-locked.sh $(VENV) requirements/bench.lock
	@if [[ -z "$${SOHOA_BENCH_DATABASE_URL:-}" ]] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  export SOHOA_BENCH_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"; fi; \
	  $(BIN)/python -m bench $(BENCH_ARGS)

lock: $(STAMP)
	@PYTHON=$(PY) UV=$(BIN)/uv scripts/lock.sh

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
