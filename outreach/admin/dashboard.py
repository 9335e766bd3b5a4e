"""The Outreach panel on the admin home: what needs action first, then every outcome of the last 14 days, then the
sent/delivered/failed chart per day.

A fixed number of aggregate queries whatever the volume: outbox counts per (day, channel), every outcome with its
reason, consultation outcomes, patient opt-outs, open inbox items, pages awaiting review. Days are the clinic's
calendar days (ClinicSettings.time_zone). In the chart a message counts on the day it was handed to the provider
(or, if it never was, the day it failed); the outcome table counts the messages that fell due in the period, by
what became of them. Only counts leave this module: no patient detail is shown, so marketing editors see it too.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState
from wagtail.permissions import policy_registry

from cms.clinic import get_clinic_settings
from outreach.admin.permissions import can_see_dashboard
from outreach.admin.times import clinic_day_label
from outreach.admin.wording import plural
from outreach.models import Channel, ConsentRecord, Consultation, InboundMessage, MessageStatus, OutboundMessage

DAYS = 14
SERIES = (("sent", "Sent", "#2e6fbd"), ("delivered", "Delivered", "#1d7a45"), ("failed", "Failed", "#c8341f"))
FAILED_STATUSES = (MessageStatus.FAILED, MessageStatus.BOUNCED)


@dataclass
class DayCounts:
    day: datetime.date
    sent: int = 0
    delivered: int = 0
    failed: int = 0


@dataclass
class Outcome:
    """How many messages due in the period ended in one status, and why (reason text -> count, largest first)."""

    status: str
    label: str
    count: int = 0
    reasons: list = field(default_factory=list)  # [(reason, count)]


@dataclass
class DashboardStats:
    days: list
    by_channel: dict  # channel -> [DayCounts] (one per day, oldest first)
    reminded: int = 0
    confirmed: int = 0
    no_shows: int = 0
    opt_outs: int = 0
    totals: dict = field(default_factory=dict)  # channel -> DayCounts summed over the period
    outcomes: list = field(default_factory=list)  # [Outcome], one per status, in MessageStatus order
    open_inbox: int = 0
    urgent_inbox: int = 0
    pages_awaiting_review: int = 0

    def outcome(self, status):
        return next(outcome for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self):
        return self.outcome(MessageStatus.FAILED).count + self.outcome(MessageStatus.BOUNCED).count

    @property
    def expired(self):
        return self.outcome(MessageStatus.EXPIRED).count

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

    inbox = InboundMessage.objects.needing_attention().aggregate(
        open=Count("pk"), urgent=Count("pk", filter=Q(urgent=True))
    )
    stats = DashboardStats(
        days=days,
        by_channel={channel: list(per_day.values()) for channel, per_day in by_channel.items()},
        opt_outs=opt_outs,
        outcomes=outcome_counts(start, now),
        open_inbox=inbox["open"],
        urgent_inbox=inbox["urgent"],
        pages_awaiting_review=WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count(),
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


# Reasons shown per outcome: what was skipped says which rule stopped it; what expired, was cancelled or failed says
# what the engine, staff or the provider recorded.
MAX_REASONS = 6


def outcome_counts(start, now):
    """Every status of the messages due in [start, now], with the reasons recorded for it (one query)."""
    rows = (
        OutboundMessage.objects.filter(due_at__gte=start, due_at__lte=now)
        .values("status", "skip_reason", "error_code", "error_message")
        .annotate(n=Count("pk"))
    )
    outcomes = {status: Outcome(status, label) for status, label in MessageStatus.choices}
    reasons = {status: {} for status in outcomes}
    skip_labels = dict(OutboundMessage.SkipReason.choices)
    for row in rows:
        outcome = outcomes.get(row["status"])
        if outcome is None:
            continue
        outcome.count += row["n"]
        if row["skip_reason"]:
            reason = skip_labels.get(row["skip_reason"], row["skip_reason"])
        else:
            reason = " ".join(part for part in (row["error_code"], row["error_message"]) if part)
        if reason:
            reasons[row["status"]][reason] = reasons[row["status"]].get(reason, 0) + row["n"]
    for status, outcome in outcomes.items():
        ranked = sorted(reasons[status].items(), key=lambda item: (-item[1], item[0]))
        if len(ranked) > MAX_REASONS:
            ranked = ranked[: MAX_REASONS - 1] + [("other reasons", sum(n for _, n in ranked[MAX_REASONS - 1 :]))]
        outcome.reasons = ranked
    return list(outcomes.values())


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

    def __init__(self, user):
        self.user = user

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
        return {
            "stats": stats,
            "channels": channels,
            "series": SERIES,
            "days": DAYS,
            "zone_label": clinic_day_label(),
            "actions": action_items(stats, self.user),
        }


def action_items(stats, user):
    """What needs someone, first: dicts of key, count, text and a link (only to screens the user may open)."""
    outbox = reverse("outreach_outbox:index")
    can_outbox = user.has_perm("outreach.view_outboundmessage")
    can_inbox = user.has_perm("outreach.view_inboundmessage")
    can_pages = policy_registry.get_by_type(Page).user_has_any_permission(user, ["add", "change", "publish"])
    crisis = f" ({plural(stats.urgent_inbox, 'possible crisis', 'possible crises')})" if stats.urgent_inbox else ""
    items = [
        (
            "failed",
            stats.failed,
            plural(stats.failed, "failed or bounced message", "failed or bounced messages"),
            f"{outbox}?status=failed&status=bounced" if can_outbox else None,
        ),
        (
            "expired",
            stats.expired,
            plural(stats.expired, "expired message", "expired messages"),
            f"{outbox}?status=expired" if can_outbox else None,
        ),
        (
            "open-inbox",
            stats.open_inbox,
            plural(stats.open_inbox, "patient reply waiting for staff", "patient replies waiting for staff") + crisis,
            reverse("outreach_inbox:index") + "?open=true" if can_inbox else None,
        ),
        (
            "pages-awaiting-review",
            stats.pages_awaiting_review,
            plural(stats.pages_awaiting_review, "page awaiting medical review", "pages awaiting medical review"),
            reverse("wagtailadmin_reports:workflow") if can_pages else None,
        ),
    ]
    return [
        {"key": key, "count": count, "text": text, "url": url, "urgent": key == "open-inbox" and stats.urgent_inbox}
        for key, count, text, url in items
    ]


def add_panel(request, panels):
    if can_see_dashboard(request.user):
        panels.append(OutreachDashboardPanel(request.user))
