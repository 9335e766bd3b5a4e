"""Outreach's Prometheus metrics: what happened (counters, one call per event) and what is (gauges, read from the
database when /metrics is scraped).

Counters are prometheus-client metrics. Under gunicorn and Celery, PROMETHEUS_MULTIPROC_DIR makes each process write
them to a shared directory that the /metrics view adds up (config/metrics.py); without it they live in the process.
Each function here is one line at its call site, so the send path can move without losing its counters.

Gauges are not counted by processes at all: `OutboxCollector` asks PostgreSQL at scrape time, so every web process
and host reports the same truth and nothing drifts when a worker dies.

Labels never carry personal data: channels, providers, provider error codes and fixed outcome words only.
"""

from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily

SENT = Counter("clinic_messages_sent", "Messages a provider accepted.", ["channel", "provider"])
SEND_ERRORS = Counter(
    "clinic_send_errors",
    "Provider calls that failed, by provider error code; kind is transient (retried) or permanent.",
    ["channel", "code", "kind"],
)
DELIVERY_REPORTS = Counter(
    "clinic_delivery_reports",
    "Provider delivery reports by result: applied (moved the row), unchanged, unmatched (no row), duplicate.",
    ["provider", "result"],
)
CRISIS_ALERTS = Counter("clinic_crisis_alerts", "Inbound texts read as a possible crisis (on-call alerted).")


def sent(channel, provider):
    SENT.labels(channel=channel, provider=provider).inc()


def send_error(channel, code, kind):
    SEND_ERRORS.labels(channel=channel, code=str(code or "unknown")[:40], kind=kind).inc()


def delivery_report(provider, result):
    DELIVERY_REPORTS.labels(provider=provider, result=result).inc()


def crisis_alert():
    CRISIS_ALERTS.inc()


class OutboxCollector:
    """Gauges computed from the database at scrape time (a few indexed aggregate queries)."""

    def collect(self):
        from outreach.models import InboundMessage, MessageStatus, OutboundMessage

        now = timezone.now()
        by_status = GaugeMetricFamily(
            "clinic_outbox_messages", "Outbox rows by status and channel.", labels=["status", "channel"]
        )
        for row in OutboundMessage.objects.order_by().values("status", "channel").annotate(n=Count("pk")):
            by_status.add_metric([row["status"], row["channel"]], row["n"])
        yield by_status

        # Due but not sent: waiting rows whose time has come, and claimed rows not yet answered.
        due = OutboundMessage.objects.filter(
            Q(status=MessageStatus.SCHEDULED, scheduled_for__lte=now) | Q(status=MessageStatus.SENDING)
        ).aggregate(n=Count("pk"), oldest=Min("scheduled_for"))
        yield GaugeMetricFamily(
            "clinic_outbox_due_unsent", "Rows due (or claimed) and not yet sent.", value=due["n"] or 0
        )
        lateness = (now - due["oldest"]).total_seconds() if due["oldest"] else 0.0
        yield GaugeMetricFamily(
            "clinic_outbox_oldest_due_seconds",
            "How long the oldest due-but-unsent row has been due (0 when none).",
            value=max(lateness, 0.0),
        )

        crisis = InboundMessage.objects.filter(kind=InboundMessage.Kind.CRISIS, handled_at__isnull=True).aggregate(
            n=Count("pk"), oldest=Min("received_at")
        )
        yield GaugeMetricFamily(
            "clinic_crisis_unhandled", "Possible-crisis texts no staff member has marked handled.", value=crisis["n"]
        )
        yield GaugeMetricFamily(
            "clinic_crisis_unhandled_oldest_seconds",
            "Age of the oldest unhandled possible-crisis text (0 when none).",
            value=(now - crisis["oldest"]).total_seconds() if crisis["oldest"] else 0.0,
        )
