# Obserwatorium — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export OBS_DATA_DIR ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/obserwatorium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-sqlite test-postgres lint browser bench clean

$(BIN)/obserwatorium: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==25.3" 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install --quiet -e ".[test]" 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import obserwatorium, django, polars, playwright"
	touch $@

setup: $(BIN)/obserwatorium
	$(BIN)/obserwatorium setup --preset krakow --demo $(if $(BOUNDARIES),--boundaries $(BOUNDARIES))

run: setup
	$(BIN)/obserwatorium serve --host $(HOST) --port $(PORT)

browser:
	@scripts/ensure-chromium

lint: $(BIN)/obserwatorium
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

test: $(BIN)/obserwatorium browser lint
	@scripts/run-tests

bench: $(BIN)/obserwatorium
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
