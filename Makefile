# 明镜 Mingjing. `make run` serves the demo court; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := MINGJING_DEBUG=1 MINGJING_SECRET_KEY_FILE=var/secret_key MINGJING_MASTER_KEY_FILE=var/master.key

.PHONY: install run test lint format demo clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/secret_key var/master.key:
	mkdir -p var && chmod 700 var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	$(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > var/master.key
	chmod 600 var/secret_key var/master.key

run: install var/secret_key var/master.key
	$(DEV_ENV) $(BIN)/mingjing migrate --no-input
	$(DEV_ENV) $(BIN)/mingjing demo
	$(DEV_ENV) $(BIN)/mingjing runserver 127.0.0.1:8000

demo: install var/secret_key var/master.key
	$(DEV_ENV) $(BIN)/mingjing migrate --no-input
	$(DEV_ENV) $(BIN)/mingjing demo

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache
