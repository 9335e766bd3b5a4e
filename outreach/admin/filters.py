"""List filters of the Outreach admin (django-filter, rendered by Wagtail's filter drawer)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from outreach.admin.times import clinic_zone
from outreach.models import (
    Campaign,
    Channel,
    ConsentRecord,
    Consultation,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Purpose,
)


class ClinicDateRangeFilter(django_filters.DateFromToRangeFilter):
    """A date range in the clinic's calendar: "1 Dec" means midnight to midnight in the clinic's zone, so a visit at
    9 PM in Connecticut is on its own day, not the next UTC one."""

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, label=f"{label} (clinic's calendar)", widget=DateRangePickerWidget, **kwargs)

    def filter(self, qs, value):
        if value:
            zone = clinic_zone()
            start = value.start and datetime.datetime.combine(value.start.date(), datetime.time.min, tzinfo=zone)
            stop = value.stop and datetime.datetime.combine(value.stop.date(), datetime.time.max, tzinfo=zone)
            value = slice(start, stop)
        return super().filter(qs, value)


def yes_no_filter(label, yes, no, **kwargs):
    """A yes/no filter offering "Any", `yes` and `no` (django-filter's default reads "Unknown", "Yes", "No")."""
    choices = [("", "Any"), ("true", yes), ("false", no)]
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=choices), **kwargs)


class CampaignFilterSet(WagtailFilterSet):
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices)
    active = yes_no_filter("Sending", "Active", "Paused")

    class Meta:
        model = Campaign
        fields = ["purpose", "active"]


class ConsultationFilterSet(WagtailFilterSet):
    starts_at = ClinicDateRangeFilter(label="Date")
    status = django_filters.MultipleChoiceFilter(choices=Consultation.Status.choices)

    class Meta:
        model = Consultation
        fields = ["starts_at", "status"]


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=MessageStatus.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    campaign = django_filters.ModelChoiceFilter(
        label="Campaign", field_name="step__campaign", queryset=Campaign.objects.all()
    )
    scheduled_for = ClinicDateRangeFilter(label="Scheduled for")
    skip_reason = django_filters.ChoiceFilter(choices=OutboundMessage.SkipReason.choices)

    class Meta:
        model = OutboundMessage
        fields = ["status", "channel", "campaign", "scheduled_for", "skip_reason"]


class ConsentLedgerFilterSet(WagtailFilterSet):
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices)
    granted = yes_no_filter("Consent", "Granted", "Withdrawn")
    source = django_filters.MultipleChoiceFilter(choices=ConsentRecord.Source.choices)
    recorded_at = ClinicDateRangeFilter(label="Recorded")

    class Meta:
        model = ConsentRecord
        fields = ["channel", "purpose", "granted", "source", "recorded_at"]


class InboxFilterSet(WagtailFilterSet):
    open = yes_no_filter("Needs attention", "Needs attention", "Handled", method="filter_open")
    urgent = yes_no_filter("Urgent", "Urgent only", "Not urgent")
    kind = django_filters.MultipleChoiceFilter(choices=InboundMessage.Kind.choices)
    received_at = ClinicDateRangeFilter(label="Received")

    class Meta:
        model = InboundMessage
        fields = ["open", "urgent", "kind", "received_at"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(handled_at__isnull=value))
