import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField

from cms.models.settings import validate_time_zone

from .choices import Channel


def validate_language(value):
    from outreach.languages import codes

    # Choices come from OUTREACH_LANGUAGES (the environment), so they are checked here rather than declared on the
    # field, where a change of setting would ask for a migration.
    if value and value not in codes():
        raise ValidationError(f"not a language messages are sent in ({', '.join(codes())})")


def default_channels():
    return [Channel.SMS, Channel.EMAIL]


class Contact(models.Model):
    """A patient, or a reader who only subscribed to articles. One person is one contact: intake matches by phone,
    then by email. The identity rule (outreach/consent/identity.py) keeps the two kinds apart."""

    class Origin(models.TextChoices):
        PATIENT = "patient", "Patient (booking system or staff)"
        SUBSCRIBE_FORM = "subscribe_form", "Subscriber (public form only)"

    origin = models.CharField(
        max_length=20,
        choices=Origin.choices,
        default=Origin.PATIENT,
        help_text="A subscriber holds one address from the public form and never acts on visits until the booking "
        "system sends it as a patient.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    phone = PhoneNumberField(null=True, blank=True, unique=True, help_text="E.164, e.g. +12035550123")
    email = models.EmailField(null=True, blank=True, unique=True)
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    language = models.CharField(
        "language",
        max_length=8,
        blank=True,
        validators=[validate_language],
        help_text="The language of this patient's messages. Empty: the clinic's default (Settings > Clinic).",
    )
    preferred_channels = models.JSONField(default=default_channels, blank=True)
    sms_reachable = models.BooleanField(
        default=True, help_text="Cleared when the carrier reports the number cannot receive texts (e.g. a landline)."
    )
    link_version = models.PositiveIntegerField(
        default=1, help_text="Raised to revoke every unsubscribe and preference link sent so far."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Contact {self.pk}"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def message_language(self):
        """The language this contact's messages are written in (theirs, else the clinic's default)."""
        from outreach.languages import of

        return of(self)

    @property
    def language_label(self):
        """For staff: the language's name, or "Default (...)" while the patient has not chosen one."""
        from outreach.languages import default_language, name

        return name(self.language) if self.language else f"Default ({name(default_language())})"

    @property
    def is_patient(self):
        return self.origin == self.Origin.PATIENT

    def address_for(self, channel):
        if channel == Channel.SMS:
            return self._phone_text()
        return self.email or None

    def _phone_text(self):
        """The number in E.164, formatted once per number held (phonenumber_field validates the number again on
        every str() and len(): a quarter of a millisecond each, four times a send)."""
        phone = self.phone
        if phone is None or phone == "":
            return None
        key = (getattr(phone, "raw_input", phone), getattr(phone, "national_number", None))
        cached = self.__dict__.get("_phone_text_cache")
        if cached is None or cached[0] != key:
            cached = (key, str(phone) or None)
            self.__dict__["_phone_text_cache"] = cached
        return cached[1]

    def prefers(self, channel):
        return channel in (self.preferred_channels or default_channels())
