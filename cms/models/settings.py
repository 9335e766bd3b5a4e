"""Clinic-wide settings edited by admins in Settings > Clinic, read by the API and by outreach.

A generic setting (one row for the deployment) rather than a per-Site setting: each deployment serves one clinic,
and outreach reads these values from Celery tasks, where there is no request and so no Site to choose.
"""

import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@functools.cache
def time_zone_names():
    return frozenset(zoneinfo.available_timezones())  # scans the tz database (~20 ms): once per process


def validate_time_zone(value):
    # The message does not repeat the value: in an import, a shifted column may put a phone number here.
    if value not in time_zone_names():
        raise ValidationError("not an IANA time zone name (e.g. America/New_York)")


def message_language_choices():
    """The languages messages are sent in (OUTREACH_LANGUAGES), each named in its own language ("español")."""
    from babel import Locale

    return [(code, Locale.parse(code).get_display_name(code).capitalize()) for code in settings.OUTREACH_LANGUAGES]


class ClinicSettingsForm(WagtailAdminModelForm):
    """Says so when a name would show a condition or treatment on patients' lock screens (cms/clinic.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "default_language" in self.fields:
            field = self.fields["default_language"]
            self.fields["default_language"] = forms.ChoiceField(
                choices=message_language_choices(), label=field.label, help_text=field.help_text, required=False
            )

    def clean_default_language(self):
        # Not sent (a form from before the field existed): the current default stays.
        return self.cleaned_data.get("default_language") or self.instance.default_language or "en"

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
class ClinicSettings(ClusterableModel, BaseGenericSetting):
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
    default_language = models.CharField(
        "default language of messages",
        max_length=8,
        default="en",
        help_text="What patients who have not chosen a language get: reminders, answers to their texts, emails. "
        "A campaign step's main templates are in this language; its translations add the others.",
    )
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
        FieldPanel("default_language"),
        FieldPanel("medical_disclaimer"),
        FieldPanel("privacy_page"),
        InlinePanel("translations", label="In other languages", heading="In other languages"),
    ]

    class Meta:
        verbose_name = "clinic settings"

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def translation_for(self, language_code):
        """The clinic's texts in a language (a ClinicTranslation), or None: the default language's are above."""
        from cms.translations import locale_for

        locale = locale_for(language_code)
        if locale is None:
            return None
        return next((t for t in self.translations.all() if t.locale_id == locale.pk), None)

    def localized(self, field, language_code=None):
        """``field`` (medical_disclaimer, booking_url) in a language, falling back to the default language's."""
        translation = self.translation_for(language_code) if language_code else None
        return (getattr(translation, field, "") if translation else "") or getattr(self, field)

    def api_representation(self, language_code=None):
        return {
            "clinic_name": self.clinic_name,
            "phone": self.phone,
            "postal_address": self.postal_address,
            "time_zone": self.time_zone,
            "booking_url": self.localized("booking_url", language_code),
            "medical_disclaimer": self.localized("medical_disclaimer", language_code),
            "privacy_notice": self.privacy_notice_link(language_code),
        }

    def privacy_notice_link(self, language_code=None):
        """``{id, title, url, type}`` of the privacy notice (its public translation in ``language_code`` when there
        is one) while it is public, else None."""
        from cms.serializers import page_link
        from cms.translations import live_translation
        from cms.visibility import public_pages

        page = public_pages().filter(pk=self.privacy_page_id).first() if self.privacy_page_id else None
        if page is not None and language_code:
            page = live_translation(page, language_code)
        return page_link(page, {}) if page else None


class ClinicTranslation(models.Model):
    """The clinic's patient-facing texts in another language (Settings > Clinic, "In other languages")."""

    settings = ParentalKey(ClinicSettings, on_delete=models.CASCADE, related_name="translations")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+", verbose_name="language"
    )
    medical_disclaimer = models.TextField(blank=True, help_text="Empty: the default language's.")
    booking_url = models.URLField(blank=True, help_text="A booking page in this language. Empty: the default one.")

    panels = [FieldPanel("locale"), FieldPanel("medical_disclaimer"), FieldPanel("booking_url")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["settings", "locale"], name="cms_clinic_translation_once")]
        verbose_name = "clinic texts in another language"
