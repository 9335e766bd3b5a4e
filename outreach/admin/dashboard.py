"""The Outreach panel on the admin home: the last 14 days, as a chart and as numbers.

Three aggregate queries whatever the volume: outbox counts per (day, channel), consultation outcomes, patient
opt-outs. Days are the clinic's calendar days (ClinicSettings.time_zone). A message counts on the day it was
handed to the provider (or, if it never was, the day it failed); "delivered" and "failed" are what became of the
messages of that day. Only counts leave this module: no patient detail is shown, so marketing editors see it too.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from wagtail.admin.ui.components import Component

from cms.clinic import get_clinic_settings
from outreach.admin.permissions import can_see_dashboard
from outreach.models import Channel, ConsentRecord, Consultation, InboundMessage, MessageStatus, OutboundMessage

DAYS = 14
SERIES = (("sent", "Sent", "#2e6fbd"), ("delivered", "Delivered", "#1d8a4e"), ("failed", "Failed", "#c8341f"))
FAILED_STATUSES = (MessageStatus.FAILED, MessageStatus.BOUNCED)


@dataclass
class DayCounts:
    day: datetime.date
    sent: int = 0
    delivered: int = 0
    failed: int = 0


@dataclass
class DashboardStats:
    days: list
    by_channel: dict  # channel -> [DayCounts] (one per day, oldest first)
    reminded: int = 0
    confirmed: int = 0
    no_shows: int = 0
    opt_outs: int = 0
    totals: dict = field(default_factory=dict)  # channel -> DayCounts summed over the period

    @property
    def confirmation_rate(self):
        return round(100 * self.confirmed / self.reminded) if self.reminded else None


def collect(now=None, zone=None):
    now = now or timezone.now()
    zone = zone or get_clinic_settings().tzinfo
    today = now.astimezone(zone).date()
    days = [today - datetime.timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]
    start = datetime.datetime.combine(days[0], datetime.time.min, tzinfo=zone)

    by_channel = {channel: {day: DayCounts(day) for day in days} for channel in Channel.values}
    moment = Coalesce("sent_at", "failed_at", "provider_call_started_at")
    rows = (
        OutboundMessage.objects.filter(
            Q(sent_at__gte=start) | Q(failed_at__gte=start) | Q(provider_call_started_at__gte=start)
        )
        .annotate(day=TruncDate(moment, tzinfo=zone))
        .values("day", "channel")
        .annotate(
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            delivered=Count("pk", filter=Q(status=MessageStatus.DELIVERED)),
            failed=Count("pk", filter=Q(status__in=FAILED_STATUSES)),
        )
    )
    for row in rows:
        counts = by_channel.get(row["channel"], {}).get(row["day"])
        if counts is not None:
            counts.sent, counts.delivered, counts.failed = row["sent"], row["delivered"], row["failed"]

    reminded = Q(messages__sent_at__gte=start)
    confirmed = Q(status=Consultation.Status.CONFIRMED) | Q(inbound_messages__kind=InboundMessage.Kind.CONFIRM)
    no_show = Q(status=Consultation.Status.NO_SHOW, starts_at__gte=start, starts_at__lte=now)
    outcomes = Consultation.objects.filter(reminded | Q(starts_at__gte=start, starts_at__lte=now)).aggregate(
        reminded=Count("pk", distinct=True, filter=reminded),
        confirmed=Count("pk", distinct=True, filter=reminded & confirmed),
        no_shows=Count("pk", distinct=True, filter=no_show),
    )
    opt_outs = ConsentRecord.objects.filter(
        granted=False, recorded_at__gte=start, source__in=ConsentRecord.PATIENT_SOURCES
    ).aggregate(contacts=Count("contact", distinct=True))["contacts"]

    stats = DashboardStats(
        days=days,
        by_channel={channel: list(per_day.values()) for channel, per_day in by_channel.items()},
        opt_outs=opt_outs,
        **outcomes,
    )
    for channel, counts in stats.by_channel.items():
        stats.totals[channel] = DayCounts(
            days[-1],
            sent=sum(c.sent for c in counts),
            delivered=sum(c.delivered for c in counts),
            failed=sum(c.failed for c in counts),
        )
    return stats


# Chart geometry (SVG user units). One chart per channel: 14 groups of three bars.
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 180, 34, 22, 10


def chart(counts):
    """Bars, gridlines and labels for one channel's days, ready for the template to draw."""
    peak = max([max(c.sent, c.delivered, c.failed) for c in counts] + [1])
    scale_top = _nice_ceiling(peak)
    plot_height = HEIGHT - BOTTOM - TOP
    group = (WIDTH - LEFT) / len(counts)
    bar = group / (len(SERIES) + 1)
    bars, labels = [], []
    for index, day_counts in enumerate(counts):
        x0 = LEFT + index * group + bar / 2
        for position, (key, label, colour) in enumerate(SERIES):
            value = getattr(day_counts, key)
            height = plot_height * value / scale_top
            bars.append(
                {
                    "x": round(x0 + position * bar, 1),
                    "y": round(TOP + plot_height - height, 1),
                    "width": round(bar - 1, 1),
                    "height": round(height, 1),
                    "colour": colour,
                    "title": f"{day_counts.day:%b %d}: {value} {label.lower()}",
                }
            )
        if index % 2 == 0 or len(counts) <= 7:
            labels.append({"x": round(x0 + 1.5 * bar, 1), "text": f"{day_counts.day:%m/%d}"})
    grid = [
        {"y": round(TOP + plot_height - plot_height * fraction, 1), "value": round(scale_top * fraction)}
        for fraction in (0, 0.5, 1)
    ]
    return {
        "bars": bars,
        "labels": labels,
        "grid": grid,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "label_y": HEIGHT - 6,
    }


def _nice_ceiling(value):
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


class OutreachDashboardPanel(Component):
    name = "outreach_dashboard"
    order = 50
    template_name = "outreach/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        stats = collect()
        channels = [
            {
                "key": channel,
                "label": Channel(channel).label,
                "days": stats.by_channel[channel],
                "total": stats.totals[channel],
                "chart": chart(stats.by_channel[channel]),
            }
            for channel in Channel.values
        ]
        return {"stats": stats, "channels": channels, "series": SERIES, "days": DAYS}


def add_panel(request, panels):
    if can_see_dashboard(request.user):
        panels.append(OutreachDashboardPanel())
