# Two entry points for newcomers: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= .data
# `make run PORT=8001`; PASSPORT_REGISTRY_PORT in the environment works too.
PORT ?= $(or $(PASSPORT_REGISTRY_PORT),8000)

.PHONY: run test test-fast api-fuzz hostile resilience lint venv clean

$(BIN)/python:
	@echo "Creating $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml Makefile | $(BIN)/python
	@echo "Installing the registry and its dependencies into $(VENV) (1-2 minutes the first time) ..."
	$(BIN)/pip install --progress-bar off -e '.[dev,bench]'
	touch $@

venv: $(VENV)/.installed

run: venv
	$(BIN)/passport-registry serve --dev --data-dir $(DATA_DIR) --load-examples --port $(PORT)

# Test modules run on one pytest-xdist worker per core (TEST_WORKERS=1: one process, no xdist); how the
# modules are shared out: tests/work_units.py.
TEST_WORKERS ?= auto
PYTEST_PARALLEL = $(if $(filter 1,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadscope)

# The whole suite and the linters (what CI runs): about 8 minutes on 2 cores. pytest shows its progress.
test: venv
	@echo "Running the whole test suite (about 8 minutes on 2 cores; make test-fast: the quick subset) ..."
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The inner loop: every test but those marked slow (servers in processes, PostgreSQL, oxigraph serve,
# browsers, benchmarks, the OpenAPI fuzz run). Give more pytest options with ARGS='-x -k passports'.
test-fast: venv
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m 'not slow' $(ARGS)

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

# The long runs of the resilience suites (tests/resilience/; CI runs them bounded in `make test`): 400
# leak-property examples each for REST and SPARQL, 20 SIGKILLs of a serving registry under concurrent
# writes, 5 SIGKILLs of an import, 40 rounds of each race. Figures: bench/results/resilience.json.
resilience: venv
	rm -f bench/results/resilience.json
	RESILIENCE_LONG=1 RESILIENCE_RESULTS=bench/results/resilience.json $(BIN)/python -m pytest tests/resilience -p no:cacheprovider

clean:
	rm -rf $(VENV) $(DATA_DIR)
