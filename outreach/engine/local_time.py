"""Times and durations in words, for what the engine tells staff: always in a stated zone.

The engine's own wording (the gate's decisions and forecasts) says patient times in the patient's zone, labelled;
the admin's screens use outreach/admin/times.py, which follows the same rule. Kept here, below the admin, because the
engine may not import it.
"""

import datetime

PATIENT_LABEL = "patient's time"
UNITS = (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def clock(moment, zone, *, with_zone=True):
    """'8:00 AM EST' (or '8:00 AM' without the zone's abbreviation)."""
    local = moment.astimezone(zone)
    hour = local.strftime("%I").lstrip("0")
    text = f"{hour}:{local:%M %p}"
    return f"{text} {local.tzname()}" if with_zone else text


def day(moment, zone, now=None):
    """'Tue 1 Dec'; the year is added when it is not this year."""
    local = moment.astimezone(zone)
    year = "" if now is None or local.year == now.astimezone(zone).year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year}"


def zone_name(zone):
    return getattr(zone, "key", str(zone))


def patient_time(moment, zone, now=None):
    """'8:00 AM EST on Tue 1 Dec (patient's time, America/New_York)'."""
    return f"{clock(moment, zone)} on {day(moment, zone, now)} ({PATIENT_LABEL}, {zone_name(zone)})"


def window_clock(value):
    """A wall-clock time of day (datetime.time), '8:00 AM'."""
    return clock(datetime.datetime.combine(datetime.date(2000, 1, 1), value), datetime.UTC, with_zone=False)


def format_duration(value):
    """'1 day 2 hours', '45 minutes', '0 minutes'; weeks only when whole ('2 weeks', but '10 days')."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.timedelta):
        return str(value)
    sign = "minus " if value < datetime.timedelta(0) else ""
    remaining = int(abs(value).total_seconds())
    if remaining == 0:
        return "0 minutes"
    parts = []
    for name, size in UNITS:
        if name == "week" and remaining % size:
            continue
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count} {name}{'' if count == 1 else 's'}")
    return sign + " ".join(parts)
