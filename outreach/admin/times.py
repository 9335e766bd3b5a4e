"""Dates and times as the Outreach admin shows them: always in a stated zone, future times as future.

One rule for every screen (the template tags in outreach/templatetags/outreach_admin.py and ZonedTimeColumn in
outreach/admin/columns.py both call `zoned`):

- What happens to or at the patient (a visit, a message planned, sent or delivered to them, a reply they sent) is
  shown in the patient's zone (Contact.time_zone), labelled "patient's time, <zone>".
- Everything else (records kept, staff actions, tokens, the dashboard's days) is shown in the clinic's zone
  (ClinicSettings.time_zone), labelled "clinic time, <zone>".

Django's own rendering would use the admin's active zone (UTC unless a user picked another) with no label, and
Wagtail's relative dates read a visit tomorrow as "Just now": neither is used for outreach times.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from cms.models import ClinicSettings

PATIENT = "patient"
CLINIC = "clinic"
WHOSE_LABEL = {PATIENT: "patient's time", CLINIC: "clinic time"}


def clinic_zone(request=None):
    """The clinic's zone; with a request, the settings row is read once per request (Wagtail caches it there)."""
    return ClinicSettings.load(request_or_site=request).tzinfo


@dataclass(frozen=True)
class ZonedTime:
    moment: datetime.datetime
    zone: datetime.tzinfo
    whose: str
    now: datetime.datetime

    @property
    def local(self):
        return self.moment.astimezone(self.zone)

    @property
    def text(self):
        """'Tue 1 Dec, 9:00 AM EST'; the year is added when it is not this year."""
        local = self.local
        hour = local.strftime("%I").lstrip("0")
        year = "" if local.year == self.now.astimezone(self.zone).year else f" {local.year}"
        return f"{local:%a} {local.day} {local:%b}{year}, {hour}:{local:%M %p} {local.tzname()}"

    @property
    def date_text(self):
        local = self.local
        return f"{local:%a} {local.day} {local:%b} {local.year}"

    @property
    def zone_name(self):
        return getattr(self.zone, "key", str(self.zone))

    @property
    def label(self):
        return f"{WHOSE_LABEL[self.whose]}, {self.zone_name}"

    @property
    def iso(self):
        return self.local.isoformat()

    @property
    def relative(self):
        """'in 5 hours', '3 days ago' or 'now': the direction is never lost (Wagtail's 'Just now' for the future)."""
        delta = self.moment - self.now
        if abs(delta) < datetime.timedelta(minutes=1):
            return "now"
        if delta > datetime.timedelta(0):
            return "in " + timeuntil(self.moment, self.now, depth=2)
        return timesince(self.moment, self.now, depth=2) + " ago"


def zoned(moment, *, contact=None, whose=CLINIC, clinic=None, now=None):
    """A ZonedTime for `moment` (None for None). `whose=PATIENT` uses the contact's zone; with no contact (an unknown
    sender) the clinic's zone is used and said."""
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime) and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    if whose == PATIENT and contact is not None:
        zone = contact.zone
    else:
        whose, zone = CLINIC, clinic or clinic_zone()
    return ZonedTime(moment=moment, zone=zone, whose=whose, now=now or timezone.now())


def clinic_day_label(clinic=None):
    return f"{WHOSE_LABEL[CLINIC]}, {getattr(clinic or clinic_zone(), 'key', '')}"
