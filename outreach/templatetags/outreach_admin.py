"""Template tags of the Outreach admin: times in a stated zone (outreach.admin.times)."""

from django import template

from outreach.admin.times import CLINIC, PATIENT, clinic_zone, zoned

register = template.Library()


def _render(context, moment, *, contact=None, whose=CLINIC, relative=False):
    time = zoned(moment, contact=contact, whose=whose, clinic=clinic_zone(context.get("request")))
    return {"time": time, "relative": relative}


@register.inclusion_tag("outreach/admin/_time_tag.html", takes_context=True)
def patient_time(context, moment, contact, relative=False):
    """`{% patient_time consultation.starts_at consultation.contact %}`: 'Tue 1 Dec, 9:00 AM EST (patient's time,
    America/New_York)'. Without a contact (an unknown sender) the clinic's time, labelled so."""
    return _render(context, moment, contact=contact, whose=PATIENT, relative=relative)


@register.inclusion_tag("outreach/admin/_time_tag.html", takes_context=True)
def clinic_time(context, moment, relative=False):
    """`{% clinic_time entry.timestamp %}`: 'Tue 1 Dec, 9:00 AM EST (clinic time, America/New_York)'."""
    return _render(context, moment, relative=relative)
