"""Helpers that drive the engine step by step in tests, without a worker."""

import datetime
import zoneinfo

from django.utils import timezone

from outreach.engine.dispatch import claim_due
from outreach.engine.planner import plan_due
from outreach.engine.sending import send_message


def plan_and_send(now=None):
    """One tick, sending inline: plan, claim, send each claimed row. Returns the claimed ids."""
    now = now or timezone.now()
    plan_due(now)
    ids = claim_due(now)
    for message_id in ids:
        send_message(message_id, now=now)
    return ids


def zone_where_local_hour_is(hours):
    """An IANA zone (Etc/GMT±N) whose current local hour is in `hours`."""
    now = timezone.now()
    for offset in range(-12, 15):
        name = f"Etc/GMT{'+' if offset <= 0 else '-'}{abs(offset)}" if offset else "Etc/GMT"
        zone = zoneinfo.ZoneInfo(name)
        if now.astimezone(zone).hour in hours:
            return name
    raise AssertionError("no zone found")  # pragma: no cover - 27 offsets cover every hour


def daytime_zone():
    return zone_where_local_hour_is(range(10, 18))


def night_zone():
    return zone_where_local_hour_is(range(1, 5))


def hours(value):
    return datetime.timedelta(hours=value)
