"""The agenda (Outreach > Agenda): every message the engine will send in the next days, by the clinic's day.

Not only the quarter of an hour the planner has written: `gate.forecast_window` (outreach/admin/forecasts.py) reads
the steps of every active campaign against the consultations they will fall due for, and the outbox rows already
written, and says what the worker will do with each. Filterable by campaign, channel, outcome and day; exported as
CSV or XLSX through Wagtail's spreadsheet export (every CSV cell formula-neutralised: config/spreadsheets.py) and
audited like the other exports. For staff who can view consultations.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.base import ViewSet

from outreach.admin import forecasts
from outreach.admin.audit import audit
from outreach.admin.times import CLINIC, PATIENT, clinic_day_label, clinic_zone, zoned
from outreach.models import Campaign, CampaignStep, Channel

PERMISSION = "outreach.view_consultation"
DEFAULT_DAYS = 7
MAX_DAYS = 31


class AgendaFilterForm(forms.Form):
    days = forms.IntegerField(
        label="Days ahead",
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text=f"From now; at most {MAX_DAYS}.",
    )
    campaign = forms.ModelChoiceField(
        label="Campaign",
        queryset=Campaign.objects.filter(active=True).exclude(steps__trigger=CampaignStep.Trigger.NEW_ARTICLE),
        required=False,
        empty_label="All campaigns",
    )
    channel = forms.ChoiceField(label="Channel", choices=[("", "Both channels"), *Channel.choices], required=False)
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "Every outcome"), *forecasts.OUTCOMES.items()], required=False
    )
    day = forms.TypedChoiceField(label="Day", required=False, coerce=datetime.date.fromisoformat, empty_value=None)

    def __init__(self, data, *, day_choices, zone_label):
        super().__init__(data)
        # The days are the clinic's: the list says so, as every time on these screens does (outreach.admin.times).
        self.fields["day"].choices = [("", f"Every day ({zone_label})"), *day_choices]
        self.fields["day"].widget.attrs["data-zoned-time"] = "clinic"

    def clean_days(self):
        return self.cleaned_data.get("days") or DEFAULT_DAYS


@dataclass
class AgendaDay:
    day: datetime.date
    label: str
    lines: list


def clinic_day(moment, zone):
    return moment.astimezone(zone).date()


def day_text(day):
    return f"{day:%A} {day.day} {day:%B} {day.year}"


class AgendaView(SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "outreach/admin/agenda.html"
    page_title = "Agenda"
    header_icon = "calendar-alt"
    export_filename = "agenda"
    list_export = [
        "clinic_day",
        "when_utc",
        "patient_time",
        "patient_zone",
        "patient",
        "contact_id",
        "consultation",
        "campaign",
        "step",
        "channel",
        "outcome",
        "words",
        "message_id",
    ]
    export_headings = {
        "clinic_day": "clinic day",
        "when_utc": "when (UTC)",
        "patient_time": "patient's time",
        "patient_zone": "patient's zone",
        "patient": "patient",
        "contact_id": "contact id",
        "consultation": "consultation",
        "campaign": "campaign",
        "step": "step",
        "channel": "channel",
        "outcome": "outcome",
        "words": "what will happen",
        "message_id": "outbox id",
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Agenda"}]

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def zone(self):
        return clinic_zone(self.request)

    def day_choices(self, days):
        first = clinic_day(self.now, self.zone)
        last = clinic_day(self.now + datetime.timedelta(days=days), self.zone)
        count = (last - first).days + 1
        return [(day.isoformat(), day_text(day)) for day in (first + datetime.timedelta(days=n) for n in range(count))]

    @cached_property
    def form(self):
        data = self.request.GET
        days = data.get("days", "")
        span = int(days) if days.isdigit() and 1 <= int(days) <= MAX_DAYS else DEFAULT_DAYS
        return AgendaFilterForm(
            data if data else None, day_choices=self.day_choices(span), zone_label=clinic_day_label(self.zone)
        )

    @cached_property
    def filters(self):
        if not self.form.is_bound:
            return {"days": DEFAULT_DAYS}
        return self.form.cleaned_data if self.form.is_valid() else None

    @cached_property
    def lines(self):
        filters = self.filters
        if filters is None:
            return []
        start, end = self.now, self.now + datetime.timedelta(days=filters["days"])
        day = filters.get("day")
        if day:
            start = max(start, datetime.datetime.combine(day, datetime.time.min, tzinfo=self.zone))
            end = min(end, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, self.zone))
        if start >= end:
            return []
        lines = forecasts.in_window(start, end, self.now)
        campaign, channel, outcome = filters.get("campaign"), filters.get("channel"), filters.get("outcome")
        return [
            line
            for line in lines
            if line.forecast.step.trigger != CampaignStep.Trigger.NEW_ARTICLE
            and (campaign is None or line.campaign.pk == campaign.pk)
            and (not channel or line.channel == channel)
            and (not outcome or line.outcome == outcome)
        ]

    def days(self):
        grouped = {}
        for line in sorted(self.lines, key=lambda line: line.when):
            grouped.setdefault(clinic_day(line.when, self.zone), []).append(line)
        return [AgendaDay(day, day_text(day), lines) for day, lines in grouped.items()]

    def get(self, request, *args, **kwargs):
        if self.is_export:
            if self.filters is None:
                fields = ", ".join(self.form.errors)
                return HttpResponse(f"Check the agenda's filters: {fields}.", status=400, content_type="text/plain")
            rows = [ExportRow(line, self.zone, self.now) for line in sorted(self.lines, key=lambda line: line.when)]
            audit(
                request.user,
                "outreach.list.export",
                request.user,
                list="agenda",
                format=request.GET.get("export"),
                rows=len(rows),
                filters={key: value for key, value in request.GET.lists() if key != "export"},
            )
            return self.as_spreadsheet(rows, request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters or {"days": DEFAULT_DAYS}
        context.update(
            form=self.form,
            agenda_days=self.days(),
            count=len(self.lines),
            span=filters["days"],
            clinic_label=clinic_day_label(self.zone),
            csv_url=self.csv_export_url,
            xlsx_url=self.xlsx_export_url,
            now=self.now,
        )
        return context


class ExportRow:
    """One agenda line as spreadsheet cells: times in UTC and in the patient's zone, both said."""

    def __init__(self, line, zone, now):
        self.line, self.zone, self.now = line, zone, now

    @property
    def clinic_day(self):
        return clinic_day(self.line.when, self.zone).isoformat()

    @property
    def when_utc(self):
        return self.line.when.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")

    @property
    def patient_time(self):
        contact = self.line.contact
        return zoned(self.line.when, contact=contact, whose=PATIENT if contact else CLINIC, now=self.now).text

    @property
    def patient_zone(self):
        return self.line.contact.time_zone if self.line.contact else ""

    @property
    def patient(self):
        return str(self.line.contact) if self.line.contact else ""

    @property
    def contact_id(self):
        return self.line.contact.pk if self.line.contact else ""

    @property
    def consultation(self):
        return self.line.consultation.external_id if self.line.consultation else ""

    @property
    def campaign(self):
        return self.line.campaign.name

    @property
    def step(self):
        return self.line.step.name

    @property
    def channel(self):
        return self.line.channel_label

    @property
    def outcome(self):
        return self.line.outcome_label

    @property
    def words(self):
        return self.line.words

    @property
    def message_id(self):
        return self.line.message.pk if self.line.message else ""


class AgendaMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


class AgendaViewSet(ViewSet):
    name = "outreach_agenda"
    url_prefix = "outreach/agenda"
    menu_label = "Agenda"
    icon = "calendar-alt"
    menu_icon = "calendar-alt"
    menu_item_class = AgendaMenuItem

    @property
    def menu_url(self):
        return reverse("outreach_agenda:index")

    def get_urlpatterns(self):
        return [path("", AgendaView.as_view(), name="index")]
