#!/usr/bin/env bash
# Runs the whole test suite against real services: PostgreSQL and Redis (a real Celery worker
# and uvicorn are started by the tests themselves). Says exactly what is missing if a service
# is not there.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DJANGO_SETTINGS_MODULE=webapp.settings.test
export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/soundpath}
export CELERY_BROKER_URL=${TEST_CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}
export SOUNDPATH_VAR_DIR=$PWD/var
export NUMBA_CACHE_DIR=${NUMBA_CACHE_DIR:-$PWD/var/numba-cache}
mkdir -p var

.venv/bin/python webapp/scripts/check_services.py

echo "[test] lint (ruff, including banned module-level imports of heavy libraries)"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --check .; exit 1; }
echo "[test] layers (import-linter: the README's import order)"
.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache

echo "[test] pytest"
exec .venv/bin/pytest -p no:cacheprovider "$@"
