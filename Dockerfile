# The clinic's image (README "Deploying"): one image, three processes (web, worker, beat) chosen by the command.
# Not built by CI: the machines that run CI have no Docker engine. compose.yaml runs it with PostgreSQL and Redis.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PROMETHEUS_MULTIPROC_DIR=/tmp/clinic-metrics

# pg_dump/pg_restore for scripts/backup.sh and scripts/restore.sh; nothing else from the distribution.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 clinic

WORKDIR /app
COPY requirements.txt ./
# Every file is checked against the hashes in the lock file.
RUN pip install --require-hashes -r requirements.txt

COPY --chown=clinic:clinic . .
RUN mkdir -p var/static var/media && chown -R clinic:clinic var

USER clinic
EXPOSE 8000
# scripts/start.sh web: migrations (one container at a time), collectstatic, gunicorn on $PORT (8000).
CMD ["scripts/start.sh", "web"]
