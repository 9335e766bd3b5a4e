"""Clinic-wide settings edited by admins in Settings > Clinic, read by the API and by outreach.

A generic setting (one row for the deployment) rather than a per-Site setting: each deployment serves one clinic,
and outreach reads these values from Celery tasks, where there is no request and so no Site to choose.
"""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@functools.cache
def time_zone_names():
    return frozenset(zoneinfo.available_timezones())  # scans the tz database (~20 ms): once per process


def validate_time_zone(value):
    # The message does not repeat the value: in an import, a shifted column may put a phone number here.
    if value not in time_zone_names():
        raise ValidationError("not an IANA time zone name (e.g. America/New_York)")


class ClinicSettingsForm(WagtailAdminModelForm):
    """Says so when a name would show a condition or treatment on patients' lock screens (cms/clinic.py)."""

    def clean(self):
        from cms.clinic import sensitive_terms_in

        cleaned = super().clean()
        messaging_name = cleaned.get("messaging_name") or ""
        shown = sensitive_terms_in(messaging_name)
        if shown:
            self.add_error(
                "messaging_name",
                f"Would show {', '.join(repr(term) for term in shown)} on patients' lock screens: choose a neutral "
                'name, e.g. initials and a town ("KCC Milford").',
            )
        in_clinic_name = sensitive_terms_in(cleaned.get("clinic_name") or "")
        if in_clinic_name and not messaging_name:
            self.add_error(
                "messaging_name",
                f"The clinic's name shows {', '.join(repr(term) for term in in_clinic_name)}, so texts, email "
                'subjects and the sender name cannot use it: give a neutral messaging name (e.g. "KCC Milford").',
            )
        return cleaned


@register_setting(icon="site")
class ClinicSettings(BaseGenericSetting):
    base_form_class = ClinicSettingsForm

    clinic_name = models.CharField(max_length=120, blank=True)
    messaging_name = models.CharField(
        max_length=40,
        blank=True,
        help_text="What patients' lock screens and inbox lists show: the start of every text, email subjects and the "
        "sender's name. Neutral, never a condition or treatment, e.g. \"KCC Milford\". Empty: the clinic's name if "
        "it is neutral, else its initials.",
    )
    phone = models.CharField(max_length=40, blank=True, help_text='As shown to patients, e.g. "(203) 701-6388".')
    postal_address = models.TextField(blank=True, help_text="One line per address line.")
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone], help_text="IANA name."
    )
    booking_url = models.URLField(blank=True, help_text="Where patients book a consultation.")
    medical_disclaimer = models.TextField(blank=True, help_text="Shown with every article and in messages.")
    privacy_page = models.ForeignKey(
        "cms.InfoPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The privacy notice, linked from the site's footer and the subscribe form.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("clinic_name"),
                FieldPanel("messaging_name"),
                FieldPanel("phone"),
                FieldPanel("postal_address"),
            ],
            "Clinic",
        ),
        FieldPanel("time_zone"),
        FieldPanel("booking_url"),
        FieldPanel("medical_disclaimer"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = "clinic settings"

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def api_representation(self):
        return {
            "clinic_name": self.clinic_name,
            "phone": self.phone,
            "postal_address": self.postal_address,
            "time_zone": self.time_zone,
            "booking_url": self.booking_url,
            "medical_disclaimer": self.medical_disclaimer,
            "privacy_notice": self.privacy_notice_link(),
        }

    def privacy_notice_link(self):
        """``{id, title, url, type}`` of the privacy notice while it is public, else None."""
        from cms.serializers import page_link
        from cms.visibility import public_pages

        page = public_pages().filter(pk=self.privacy_page_id).first() if self.privacy_page_id else None
        return page_link(page, {}) if page else None
