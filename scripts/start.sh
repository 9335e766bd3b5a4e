#!/bin/sh
# Starts one production process: web, worker or beat (README "Deploying"). Used by the Procfile, the example systemd
# units (deploy/systemd/) and the Dockerfile, so every way of running the clinic starts the same commands.
#   web     migrations (one host at a time), collectstatic, then gunicorn with config/gunicorn.py
#   worker  Celery workers: WORKER_PROCESSES (one per core) of WORKER_CONCURRENCY threads (scripts/workers.py)
#   beat    Celery beat: the one scheduler (a second one is harmless: config/periodic.py)
# No DJANGO_SETTINGS_MODULE means production, which stops at once naming every required variable that is unset.
set -eu
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi

case "${1:-}" in
  web)
    python manage.py migrate_exclusive --verbosity 1
    python manage.py collectstatic --noinput --verbosity 0
    exec gunicorn --config config/gunicorn.py config.wsgi
    ;;
  worker)
    exec python scripts/workers.py
    ;;
  beat)
    exec celery -A celery_app beat --loglevel INFO --schedule "${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}"
    ;;
  *)
    echo "usage: scripts/start.sh web|worker|beat" >&2
    exit 2
    ;;
esac
