# Every target installs what it needs first, so each works on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install test lint redis federation sandbox demo bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Tests start their own redis-server on a free loopback port; install it where it is missing.
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server (Debian package)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null; }

# The supergraph test composes and serves through Node packages pinned in tests/federation/package-lock.json.
FEDERATION := tests/federation
$(FEDERATION)/node_modules/.package-lock.json: $(FEDERATION)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm (Node 20+) is needed for tests/federation"; exit 1; }
	cd $(FEDERATION) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

federation: $(FEDERATION)/node_modules/.package-lock.json

# Each test starts gateway and sandbox processes; where the environment forbids bytecode files
# (PYTHONDONTWRITEBYTECODE), every start would compile the project's modules again.
# Most of a test's time is waiting on those processes (timeouts, paced rates, polls), so two workers,
# each taking whole files (a file's shared gateway is started once), halve the run on 2 cores.
TEST_WORKERS ?= 2
test: lint redis federation
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

sandbox: $(STAMP)
	$(BIN)/campusgraph sandbox

demo: $(STAMP)
	$(BIN)/campusgraph demo

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache $(FEDERATION)/node_modules
