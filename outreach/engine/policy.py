"""Send-time rules that protect patients: quiet hours and frequency caps, in the contact's own time zone."""

import datetime

from django.db.models import Q

from outreach.models import MessageStatus, OutboundMessage

COUNTED_STATUSES = (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED)


def next_allowed_moment(now, zone, start, end):
    """`now` if it falls inside the local sending window, else the window's next opening."""
    local = now.astimezone(zone)
    if start <= local.time() < end:
        return now
    day = local.date() if local.time() < start else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, start, tzinfo=zone).astimezone(datetime.UTC)


def local_day_bounds(now, zone):
    local = now.astimezone(zone)
    start = datetime.datetime.combine(local.date(), datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def over_frequency_cap(message, now):
    """True when this contact already had its day's or week's share of messages of this purpose on this channel.

    A day is the contact's local calendar day (so the 24-hour and 2-hour reminders of a morning visit both fit);
    a week is the last seven days. Messages in flight count, so two workers cannot both squeeze under a cap (the
    caller holds a lock on the contact's row).
    """
    per_day, per_week = message.step.campaign.caps_for(message.channel)
    sent = (
        OutboundMessage.objects.filter(
            contact_id=message.contact_id,
            channel=message.channel,
            step__campaign__purpose=message.step.campaign.purpose,
            status__in=COUNTED_STATUSES,
            provider_call_started_at__isnull=False,
        )
        .exclude(pk=message.pk)
        .filter(Q(provider_call_started_at__gte=now - datetime.timedelta(days=7)))
    )
    day_start, day_end = local_day_bounds(now, message.contact.zone)
    if sent.filter(provider_call_started_at__gte=day_start, provider_call_started_at__lt=day_end).count() >= per_day:
        return True
    return sent.count() >= per_week
