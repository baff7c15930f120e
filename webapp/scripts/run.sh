#!/usr/bin/env bash
# Runs the whole platform on this machine: migrates, imports the curriculum, makes the first staff
# account and the demo accounts (passwords printed once, when made), then starts the web server
# (Django + Gradio demos) and one Celery worker with its beat. Without SECRET_KEY, the settings make
# a random one once and keep it in $SOUNDPATH_VAR_DIR/secret-key (mode 0600); DEBUG stays off
# unless DEBUG=true is set.
# With no configuration it uses embedded defaults (SQLite, a SQLite-backed Celery broker);
# set DATABASE_URL / CELERY_BROKER_URL to use PostgreSQL and Redis. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-webapp.settings.base}
export SOUNDPATH_VAR_DIR=${SOUNDPATH_VAR_DIR:-$PWD/var}
export NUMBA_CACHE_DIR=${NUMBA_CACHE_DIR:-$SOUNDPATH_VAR_DIR/numba-cache}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
PY=.venv/bin/python
mkdir -p "$SOUNDPATH_VAR_DIR"

say() { printf '\033[1m[soundpath]\033[0m %s\n' "$*"; }

say "database: ${DATABASE_URL:-embedded SQLite in $SOUNDPATH_VAR_DIR}; broker: ${CELERY_BROKER_URL:-embedded SQLite broker}"
$PY manage.py migrate --noinput -v 0
$PY manage.py createcachetable  # rate-limit counters when no Redis is configured
$PY manage.py import_curriculum
$PY manage.py import_questions
$PY manage.py collectstatic --noinput -v 0
$PY manage.py first_staff --url "http://$HOST:$PORT"
$PY manage.py demo_accounts

pids=()
stop() {
  trap - INT TERM EXIT
  say "stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A workers.celery worker --pool=prefork --concurrency=1 -Q cpu,gpu -n "worker@%h" -l INFO \
  -B --schedule "$SOUNDPATH_VAR_DIR/celerybeat-schedule" \
  --without-mingle --without-gossip &
pids+=($!)
# WEB_PROCESSES page processes (default: one per core) and the one Gradio demo process (webapp/serve.py).
$PY -m webapp.serve --host "$HOST" --port "$PORT" &
pids+=($!)
# The phase notebooks' read-only views, executed once (a few minutes, in the background, at low priority).
# The same for each challenge's baseline score on this server's own packs (shown on its page).
(nice -n 10 $PY manage.py render_notebooks --missing && nice -n 10 $PY manage.py challenges baseline --missing) \
  > "$SOUNDPATH_VAR_DIR/background-setup.log" 2>&1 &

say "starting… open http://$HOST:$PORT/ once the page processes say they are running (Ctrl-C stops everything)"
wait -n "${pids[@]}"
