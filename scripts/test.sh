#!/usr/bin/env bash
# The whole suite: lint (ruff check and format), types (mypy), tests on SQLite, tests on
# PostgreSQL, browser tests.
# Without a PostgreSQL server or chromium the missing legs are skipped and named;
# with CI set, every leg is required and a missing one fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL_BASE=${MINGJING_TEST_PG:-postgresql://postgres@127.0.0.1:5432}
CHROMIUM=${MINGJING_CHROMIUM:-/usr/bin/chromium}
failed=()
skipped=()

leg() { echo; echo "==> $*"; }

pytest_leg() {
  # pytest exits 5 when it collected nothing: that is a failure here too.
  "$BIN/pytest" "$@"
}

leg "ruff"
if ! "$BIN/ruff" check src tests bench; then failed+=("ruff"); fi
if ! "$BIN/ruff" format --check src tests bench; then failed+=("ruff format"); fi
# The layers of the apps (.importlinter); a broken contract fails the run.
if ! "$BIN/lint-imports"; then failed+=("import-linter"); fi

leg "mypy"
# Configured in pyproject.toml ([tool.mypy]): all of src/, strict on the security package,
# services and selectors.
if ! "$BIN/mypy"; then failed+=("mypy"); fi

leg "suite on SQLite"
if ! pytest_leg -m "not browser"; then failed+=("sqlite"); fi

leg "suite on PostgreSQL"
if "$BIN/python" - "$PG_URL_BASE" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1] + "/postgres", connect_timeout=3).close()
PY
then
  dbname="mingjing_ci_$$_$RANDOM"
  "$BIN/python" - "$PG_URL_BASE" "$dbname" create <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1] + "/postgres", autocommit=True) as conn:
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
  if ! MINGJING_DATABASE_URL="$PG_URL_BASE/$dbname" pytest_leg -m "not browser" -p no:cacheprovider; then
    failed+=("postgresql")
  fi
  "$BIN/python" - "$PG_URL_BASE" "$dbname" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1] + "/postgres", autocommit=True) as conn:
    for name in (sys.argv[2], "test_" + sys.argv[2]):
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
PY
else
  skipped+=("postgresql (no server at $PG_URL_BASE)")
fi

leg "browser tests in chromium"
if [ -x "$CHROMIUM" ]; then
  if ! MINGJING_CHROMIUM="$CHROMIUM" pytest_leg -m browser -p no:cacheprovider; then failed+=("browser"); fi
else
  skipped+=("browser ($CHROMIUM not found)")
fi

echo
if [ ${#skipped[@]} -gt 0 ]; then
  echo "SKIPPED LEGS: ${skipped[*]}"
  if [ -n "${CI:-}" ]; then failed+=("skipped legs are not allowed when CI is set"); fi
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "All legs passed."
