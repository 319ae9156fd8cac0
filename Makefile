# Two entry points for newcomers: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= .data

.PHONY: run test api-fuzz resilience lint venv clean

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

# The long runs of the resilience suites (tests/resilience/; CI runs them bounded in `make test`): 400
# leak-property examples each for REST and SPARQL, 20 SIGKILLs of a serving registry under concurrent
# writes, 5 SIGKILLs of an import, 40 rounds of each race. Figures: bench/results/resilience.json.
resilience: venv
	rm -f bench/results/resilience.json
	RESILIENCE_LONG=1 RESILIENCE_RESULTS=bench/results/resilience.json $(BIN)/python -m pytest tests/resilience -p no:cacheprovider

clean:
	rm -rf $(VENV) $(DATA_DIR)
