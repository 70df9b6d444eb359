# 明镜 Mingjing. `make run` serves the demo court (with tick's reminder loop); `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := MINGJING_DEBUG=1 MINGJING_SECRET_KEY_FILE=var/secret_key MINGJING_MASTER_KEY_FILE=var/master.key
# `make run` serves the demo as production would look: debug off, static files by WhiteNoise.
DEMO_ENV := MINGJING_DEMO=1 MINGJING_SECRET_KEY_FILE=var/secret_key MINGJING_MASTER_KEY_FILE=var/master.key

.PHONY: install run serve test lint format demo clean

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
	$(DEMO_ENV) $(BIN)/mingjing migrate --no-input
	$(DEMO_ENV) $(BIN)/mingjing demo
	$(DEMO_ENV) $(BIN)/mingjing collectstatic --no-input --verbosity 0
	@# The reminders' scheduler runs beside the server (docs/operations.md) and stops with it.
	$(DEMO_ENV) $(BIN)/mingjing tick --loop & tick=$$!; \
	trap 'kill $$tick 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/mingjing runserver 127.0.0.1:8000

# Production settings (debug off) under gunicorn (src/mingjing/gunicorn_conf.py), as
# docs/deployment.md runs it behind a TLS proxy. Over plain HTTP on this machine, add
# SERVE_ENV="MINGJING_SECURE_COOKIES=0 MINGJING_SSL_REDIRECT=0" to sign in.
PROD_ENV := MINGJING_SECRET_KEY_FILE=var/secret_key MINGJING_MASTER_KEY_FILE=var/master.key
SERVE_ENV ?=
serve: install var/secret_key var/master.key
	$(PROD_ENV) $(SERVE_ENV) $(BIN)/mingjing migrate --no-input
	$(PROD_ENV) $(SERVE_ENV) $(BIN)/mingjing collectstatic --no-input --verbosity 0
	$(PROD_ENV) $(SERVE_ENV) $(BIN)/mingjing serve

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
