"""`/metrics`: Prometheus metrics, for a scraper holding METRICS_TOKEN (off, a 404, while it is unset).

What is exposed (README, "Monitoring"):
- counters and histograms counted by the processes (outreach/metrics.py, config/periodic.py, webhook outcomes
  below). With PROMETHEUS_MULTIPROC_DIR set (scripts/start.sh sets it for gunicorn and the Celery worker on one
  host), every process writes them to files in that directory and this view adds them up, so a scrape sees all
  gunicorn workers and the host's Celery worker, not the one process that answered
  (https://prometheus.github.io/client_python/multiprocess/);
- gauges read from the database and the cache at scrape time (outbox, crisis texts, last periodic runs), which
  multiprocess mode cannot hold and which are the same from every host.
"""

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily

WEBHOOK_REQUESTS = Counter(
    "clinic_webhook_requests",
    "Provider webhook requests by provider and outcome (ok, rejected: bad signature or credentials, invalid, "
    "too_large, error).",
    ["provider", "outcome"],
)
PERIODIC_TASKS = ("outreach-tick", "retention")


def webhook_outcome(status_code):
    if status_code < 400:
        return "ok"
    if status_code in (401, 403):
        return "rejected"
    if status_code == 413:
        return "too_large"
    return "invalid" if status_code < 500 else "error"


class WebhookMetricsMiddleware:
    """Counts every request under /webhooks/ by provider and outcome, whichever view (ours or anymail's) answered:
    one place for all of them, so a new webhook route is counted without anyone remembering to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/webhooks/"):
            parts = request.path.split("/")
            provider = parts[3] if len(parts) > 3 and parts[2] == "anymail" else parts[2]
            if provider not in ("twilio", "postmark", "mailgun"):
                provider = "other"
            WEBHOOK_REQUESTS.labels(provider=provider, outcome=webhook_outcome(response.status_code)).inc()
        return response


class PeriodicCollector:
    """When each periodic task last finished, from the cache (the same on every host)."""

    def collect(self):
        from config.periodic import last_run

        family = GaugeMetricFamily(
            "clinic_periodic_last_run_timestamp_seconds",
            "Unix time each periodic task last finished a run (absent: never since the cache was emptied).",
            labels=["task"],
        )
        for task in PERIODIC_TASKS:
            when = last_run(task)
            if when is not None:
                family.add_metric([task], when.timestamp())
        yield family


def registry():
    from outreach.metrics import OutboxCollector

    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(_ProcessRegistry())
    scrape.register(OutboxCollector())
    scrape.register(PeriodicCollector())
    return scrape


class _ProcessRegistry:
    """This process's own metrics (no multiprocess directory: `make run`, tests)."""

    def collect(self):
        return REGISTRY.collect()


def authorised(request):
    expected = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), expected.encode())


@never_cache
@require_GET
def metrics(request):
    if not settings.METRICS_TOKEN:
        raise Http404
    if not authorised(request):
        return HttpResponse(
            "a bearer token is required\n",
            status=401,
            content_type="text/plain",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
