"""List filters of the Outreach admin (django-filter, rendered by Wagtail's filter drawer)."""

import django_filters
from django.db.models import Q
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

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


class CampaignFilterSet(WagtailFilterSet):
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices)
    active = django_filters.BooleanFilter()

    class Meta:
        model = Campaign
        fields = ["purpose", "active"]


class ConsultationFilterSet(WagtailFilterSet):
    starts_at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)
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
    scheduled_for = django_filters.DateFromToRangeFilter(label="Scheduled for", widget=DateRangePickerWidget)
    skip_reason = django_filters.ChoiceFilter(choices=OutboundMessage.SkipReason.choices)

    class Meta:
        model = OutboundMessage
        fields = ["status", "channel", "campaign", "scheduled_for", "skip_reason"]


class ConsentLedgerFilterSet(WagtailFilterSet):
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices)
    granted = django_filters.BooleanFilter()
    source = django_filters.MultipleChoiceFilter(choices=ConsentRecord.Source.choices)
    recorded_at = django_filters.DateFromToRangeFilter(label="Recorded", widget=DateRangePickerWidget)

    class Meta:
        model = ConsentRecord
        fields = ["channel", "purpose", "granted", "source", "recorded_at"]


class InboxFilterSet(WagtailFilterSet):
    open = django_filters.BooleanFilter(label="Needs attention", method="filter_open")
    urgent = django_filters.BooleanFilter()
    kind = django_filters.MultipleChoiceFilter(choices=InboundMessage.Kind.choices)
    received_at = django_filters.DateFromToRangeFilter(label="Received", widget=DateRangePickerWidget)

    class Meta:
        model = InboundMessage
        fields = ["open", "urgent", "kind", "received_at"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(handled_at__isnull=value))
