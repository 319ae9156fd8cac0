# Two entry points for newcomers: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= .data

.PHONY: run test api-fuzz hostile lint venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

venv: $(VENV)/.installed

run: venv
	$(BIN)/passport-registry serve --dev --data-dir $(DATA_DIR) --load-examples

test: venv
	$(BIN)/python -m pytest
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# A long property-based run of the API against its own OpenAPI document (CI runs a short one in `make test`).
API_FUZZ_EXAMPLES ?= 200
api-fuzz: venv
	API_FUZZ_EXAMPLES=$(API_FUZZ_EXAMPLES) API_FUZZ_SEED=random $(BIN)/python -m pytest tests/api/test_openapi_fuzz.py

# The hostile-input corpus, louder: every case sent HOSTILE_ROUNDS times, each answer logged to HOSTILE_LOG
# (CI runs it once, quietly, in `make test`). docs/security.md says what it covers.
HOSTILE_ROUNDS ?= 5
HOSTILE_LOG ?= hostile.log
hostile: venv
	rm -f $(HOSTILE_LOG)
	HOSTILE_ROUNDS=$(HOSTILE_ROUNDS) HOSTILE_LOG=$(abspath $(HOSTILE_LOG)) $(BIN)/python -m pytest tests/hostile -v
	@echo "Every answer: $(HOSTILE_LOG) (one JSON line per request: case, status, seconds, detail)"

clean:
	rm -rf $(VENV) $(DATA_DIR)
