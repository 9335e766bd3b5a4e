"""gunicorn's settings in production: `gunicorn -c config/gunicorn.py config.wsgi` (scripts/start.sh web).

Sizes come from the environment (README "Deploying", "Running at scale"): WEB_CONCURRENCY processes of WEB_THREADS
threads each (the gthread worker: a request waiting on PostgreSQL does not hold a whole process), WEB_TIMEOUT
seconds before a stuck request's worker is replaced. The access log has no query strings, no Referer and no token
path segments (config.logs.redact): the links in patients' messages carry signed tokens. It carries the request id
that the application logs too (X-Request-ID), so one request can be followed through both.

With PROMETHEUS_MULTIPROC_DIR set, each worker process writes its metrics there and /metrics adds them up
(prometheus-client's multiprocess mode). The directory is shared with the host's Celery worker, so gunicorn does not
empty it when it starts (the worker would go on writing to deleted files); it holds only counters and histograms,
whose files from earlier processes rightly keep counting in the totals. scripts/start.sh creates it under /run or
$TMPDIR, which a reboot empties.
"""

import logging
import os

from gunicorn.glogging import Logger as _GunicornLogger

from config.logs import redact as _redact

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# 4 x 4 by default: the measured best on 2 cores (README "Performance", webhooks): 2 x 8 had the same median but a
# p99 ten times longer (threads of one process busy at once wait for each other's GIL after every query).
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Requests reach gunicorn through the TLS proxy; the proxy's own address is the only one trusted for
# X-Forwarded-* (Django's TRUSTED_PROXY_COUNT governs the client address the application uses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %({x-request-id}o)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'


class RedactingLogger(_GunicornLogger):
    """gunicorn's logger with the path redacted and no query string or Referer in any access-log atom; JSON lines
    when LOG_FORMAT=json, like the application's."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = _redact(atoms.get("U") or "")
        atoms["r"] = f"{atoms.get('m')} {atoms['U']} {atoms.get('H')}"
        atoms["q"] = ""
        atoms["f"] = "-"
        atoms.pop("{referer}i", None)
        return atoms

    def setup(self, cfg):
        super().setup(cfg)
        if os.environ.get("LOG_FORMAT") == "json":
            from pythonjsonlogger.json import JsonFormatter

            formatter = JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(formatter)


logger_class = RedactingLogger


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


logging.captureWarnings(True)
